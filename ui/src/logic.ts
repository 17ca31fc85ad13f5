// Pure functions behind the views, unit-tested with vitest.
import type { CmdError, EntryView, Hint, Skipped, Strength } from "./api";
import { hasKey, t } from "./i18n";

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

/** Case- and accent-insensitive substring search over issuer, account, tags and note. */
export function matches(e: Pick<EntryView, "issuer" | "account"> & Partial<Pick<EntryView, "tags" | "note">>, query: string): boolean {
  const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const q = fold(query.trim());
  return q === "" || [e.issuer, e.account, e.note ?? "", ...(e.tags ?? [])].some((s) => fold(s).includes(q));
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

/** WCAG 2 relative luminance of a `#rrggbb` colour. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `hsl(h s% l%)` as `#rrggbb`. */
export function hslHex(h: number, s: number, l: number): string {
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const v = l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255).toString(16).padStart(2, "0");
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/**
 * An avatar's colour for a hue: as light as white initials on it allow
 * at 4.5:1 (yellows and greens must go darker than blues to get there).
 */
export function avatarColour(hue: number): string {
  for (let l = 45; l > 10; l--) {
    const c = hslHex(hue, 55, l);
    if (contrast(c, "#ffffff") >= 4.5) return c;
  }
  return hslHex(hue, 55, 10);
}

/** White or black initials, whichever reads better on `background`. */
export function initialsColour(background: string): string {
  return contrast(background, "#ffffff") >= contrast(background, "#000000") ? "#ffffff" : "#000000";
}

/**
 * Seconds left and the fraction of the period still to run, in whole
 * seconds: the ring steps with the number, so it changes (and is
 * repainted) once a second.
 */
export function countdown(nowMs: number, validUntil: number, period: number): { left: number; fraction: number } {
  const left = Math.ceil(Math.max(0, validUntil * 1000 - nowMs) / 1000);
  return { left, fraction: Math.min(1, left / period) };
}

/** The next code is worth showing in the last seconds of a period
 * (`within`: Rust's `otp::LAST_SECONDS`, sent with the codes). */
export function showNext(left: number, within: number): boolean {
  return left <= within;
}

/** One piece of password feedback in the user's language; zxcvbn's English for a key this UI does not know. */
export function hintText(kind: "warning" | "suggestion", hint: Hint): string {
  const key = `password.${kind}.${hint.key}`;
  return hasKey(key) ? t(key) : hint.text;
}

/** The warning, then the suggestions, each translated. */
export function strengthAdvice(s: Pick<Strength, "warning" | "suggestions">): string[] {
  return [
    ...(s.warning ? [hintText("warning", s.warning)] : []),
    ...s.suggestions.map((h) => hintText("suggestion", h)),
  ];
}

/** The advice of a `weak_password` error: its feedback keys, translated; keys this UI does not know are left out. */
export function weakPasswordAdvice(params: Record<string, string>): string {
  const keys = (kind: "warning" | "suggestion", list: string | undefined) =>
    (list ?? "").split(",").filter(Boolean).map((k) => `password.${kind}.${k}`).filter(hasKey);
  return [...keys("warning", params.warning), ...keys("suggestion", params.suggestions)].map((k) => t(k)).join(" ");
}

/** Whether a new vault password needs the "use it anyway" confirmation. */
export function needsWeakConfirmation(s: Pick<Strength, "score" | "min_vault_score">): boolean {
  return s.score < s.min_vault_score;
}

/**
 * Runs `fn` `ms` after the last `run`, and hands only the newest run's
 * result to `show`: a slow reply for older input never overwrites a newer one.
 */
export function debouncedLatest<A, R>(
  fn: (arg: A) => Promise<R>,
  show: (result: R) => void,
  ms = 150,
): { run: (arg: A) => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;
  const cancel = () => {
    generation++;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const run = (arg: A) => {
    cancel();
    const mine = generation;
    timer = setTimeout(() => {
      timer = undefined;
      fn(arg).then(
        (r) => {
          if (mine === generation) show(r);
        },
        () => undefined,
      );
    }, ms);
  };
  return { run, cancel };
}

/**
 * A command error in the user's language; the core's text as a fallback.
 * Core names each failure once; a `scope` (the workflow the error came
 * from, e.g. "import") picks wording of its own where the same kind reads
 * differently there (a wrong password for an export, not the vault).
 */
/** Characters base32 leaves out, and the letters they are mistaken for. */
const LOOKALIKES: Record<string, string> = { "0": "O", "1": "I / L", "8": "B" };

export function errorText(e: unknown, scope?: string): string {
  if (typeof e === "object" && e !== null && "kind" in e) {
    const err = e as CmdError;
    const params: Record<string, string> = { ...err.params, message: err.message };
    if (err.kind === "weak_password") {
      params.advice = weakPasswordAdvice(err.params);
      return t("errors.weak_password", params).replace(/ {2,}/g, " ");
    }
    if (err.kind === "invalid_secret_char") {
      // Keys are base32: a digit that looks like a letter was most likely
      // misread from the portal's screen.
      const like = LOOKALIKES[err.params.char ?? ""];
      if (like) return `${t("errors.invalid_secret_char", params)} ${t("add.secretLookalike", { char: err.params.char ?? "", like })}`;
    }
    const scoped = scope ? `errors.${scope}.${err.kind}` : "";
    const key = scoped && hasKey(scoped) ? scoped : `errors.${err.kind}`;
    return hasKey(key) ? t(key, params) : t("errors.unknown", { message: err.message });
  }
  return t("errors.unknown", { message: String(e) });
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
