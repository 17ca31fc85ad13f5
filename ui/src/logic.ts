// Pure functions behind the views, unit-tested with vitest.
import type { CmdError, EntryView, Skipped } from "./api";
import { format, hasKey, t } from "./i18n";

/** "123456" → "123 456", "12345678" → "1234 5678"; Steam codes stay whole. */
export function groupCode(code: string): string {
  if (code.length < 6 || !/^\d+$/.test(code)) return code;
  const half = Math.ceil(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`;
}

export function displayName(e: Pick<EntryView, "issuer" | "account">): string {
  if (e.issuer && e.account) return `${e.issuer} (${e.account})`;
  return e.issuer || e.account || "—";
}

/** Case- and accent-insensitive substring search over issuer and account. */
export function matches(e: Pick<EntryView, "issuer" | "account">, query: string): boolean {
  const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const q = fold(query.trim());
  return q === "" || fold(e.issuer).includes(q) || fold(e.account).includes(q);
}

/** Up to two letters for the avatar. */
export function initials(e: Pick<EntryView, "issuer" | "account">): string {
  const source = (e.issuer || e.account || "?").trim();
  const words = source.split(/[\s._@-]+/u).filter(Boolean);
  const letters = words.length > 1 ? [words[0]?.[0], words[1]?.[0]] : [...source].slice(0, 2);
  return letters.filter(Boolean).join("").toUpperCase();
}

/** A stable hue per name, so an account keeps its colour. */
export function hueFor(name: string): number {
  let h = 0;
  for (const ch of name.toLowerCase()) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return h % 360;
}

/** Seconds left and the fraction of the period still to run. */
export function countdown(nowMs: number, validUntil: number, period: number): { left: number; fraction: number } {
  const leftMs = Math.max(0, validUntil * 1000 - nowMs);
  return { left: Math.ceil(leftMs / 1000), fraction: Math.min(1, leftMs / (period * 1000)) };
}

/** The next code is worth showing in the last 5 seconds of a period. */
export function showNext(left: number): boolean {
  return left <= 5;
}

/** 0 (too short) … 4 (strong): length and variety, nothing clever. */
export function passwordStrength(pw: string): 0 | 1 | 2 | 3 | 4 {
  if (pw.length < 8) return 0;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length;
  const distinct = new Set(pw).size;
  let score = 1;
  if (pw.length >= 12) score++;
  if (pw.length >= 16 || (pw.length >= 12 && classes >= 3)) score++;
  if (classes >= 3 && distinct >= 10) score++;
  if (distinct < 5) score = 1;
  return Math.min(4, score) as 0 | 1 | 2 | 3 | 4;
}

/** A command error in the user's language; the core's text as a fallback. */
export function errorText(e: unknown): string {
  if (typeof e === "object" && e !== null && "kind" in e) {
    const err = e as CmdError;
    const params = { ...err.params, message: err.message };
    const key = `errors.${err.kind}`;
    return hasKey(key) ? t(key, params) : t("errors.unknown", { message: err.message });
  }
  return format(t("errors.unknown", { message: String(e) }));
}

/** Why an account in an export cannot be used, in the user's language. */
export function skipReason(s: Skipped): string {
  return t(`import.why.${s.kind}`, { detail: s.reason });
}

/** Moves `id` to the position of `target` (drag and drop). */
export function moveBefore(ids: string[], id: string, target: string): string[] {
  if (id === target) return ids;
  const rest = ids.filter((x) => x !== id);
  const at = rest.indexOf(target);
  const fromIndex = ids.indexOf(id);
  const targetIndex = ids.indexOf(target);
  rest.splice(fromIndex < targetIndex ? at + 1 : at, 0, id);
  return rest;
}
