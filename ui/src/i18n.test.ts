import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@formatjs/icu-messageformat-parser";
import { IntlMessageFormat } from "intl-messageformat";
import { afterEach, describe, expect, it } from "vitest";
import { en, type MessageKey } from "./locales/en";
import { argumentNames, format, formatDateTime, formatList, setLanguage, t, tables, translate, type Lang } from "./i18n";

const langs = Object.keys(tables) as Lang[];
const keys = Object.keys(en) as MessageKey[];

function walk(dir: string, keep: (path: string) => boolean, into: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p, keep, into);
    else if (keep(p)) into.push(p);
  }
  return into;
}

/** The UI's own code: where message keys are used. */
const sources = walk(__dirname, (p) => p.endsWith(".ts") && !p.endsWith(".test.ts") && !p.includes("locales"));

/**
 * Keys the code builds at run time, so no source file spells them out.
 * Each prefix must still be built somewhere (checked below), and keys
 * under "errors." must name a kind the Rust code sends.
 */
const DYNAMIC_PREFIXES = [
  "errors.", // errorText: `errors.${kind}` and `errors.${scope}.${kind}`, kinds from Rust
  "password.warning.", // hintText, weakPasswordAdvice: zxcvbn feedback keys from core
  "password.suggestion.",
  "import.why.", // skipReason: the Skipped kinds
  "import.app.", // appName: the generic formats
  "transfer.why.", // the LeftOut kinds
  "add.type.", // the OtpType options
  "a11y.colour.", // the swatches' names
  "strength.", // `strength.${score}`, 0 to 4
  "clock.fix.", // the OS the clock advice is for
  "clock.network.", // fast or slow
  "clock.fast",
  "clock.slow",
];

/** Dummy values for every argument: numbers, which plural and simple arguments both take. */
function dummies(message: string, n: number): Record<string, number> {
  return Object.fromEntries([...argumentNames(parse(message))].map((a) => [a, n]));
}

describe("translations", () => {
  it("every language has exactly the English keys", () => {
    for (const lang of langs) {
      const have = Object.keys(tables[lang]);
      expect(keys.filter((k) => !have.includes(k)), `missing in ${lang}`).toEqual([]);
      expect(have.filter((k) => !(k in en)), `in ${lang} but not in English`).toEqual([]);
    }
  });

  it("every language reads the same arguments as English", () => {
    for (const key of keys) {
      const want = [...argumentNames(parse(en[key]))].sort();
      for (const lang of langs) {
        expect([...argumentNames(parse(tables[lang][key]))].sort(), `${lang} ${key}`).toEqual(want);
      }
    }
  });

  it("every message formats, leaving no brace and keeping its apostrophes", () => {
    for (const lang of langs) {
      for (const key of keys) {
        const message = tables[lang][key];
        for (const n of [0, 1, 2, 1000]) {
          // Straight through intl-messageformat: t() would hide a failure behind the raw text.
          const out = String(new IntlMessageFormat(message, lang, undefined, { ignoreTag: true }).format(dummies(message, n)));
          expect(out, `${lang} ${key}`).not.toMatch(/[{}]/);
          // An apostrophe before { } or # starts an ICU quote and vanishes.
          const straight = (s: string) => s.split("'").length;
          expect(straight(out), `${lang} ${key}: a ' was taken as ICU quoting`).toBe(straight(message));
        }
      }
    }
  });

  it("no message fakes a plural: ICU plurals instead of \"account(s)\"", () => {
    for (const lang of langs) {
      for (const key of keys) expect(tables[lang][key], `${lang} ${key}`).not.toMatch(/\p{L}\((s|en|e|n|er)\)/u);
    }
  });

  it("every key is used by the code", () => {
    const code = sources.map((f) => readFileSync(f, "utf8")).join("\n");
    // The fixed start of each template literal that builds a key: "errors.", "password.", "clock.fix."…
    const built = [...code.matchAll(/`([a-z][A-Za-z0-9]*\.[A-Za-z0-9.]*)\$\{/g)].map((m) => m[1] ?? "");
    for (const prefix of DYNAMIC_PREFIXES) {
      expect(built.some((b) => prefix.startsWith(b)), `nothing builds keys under ${prefix}: drop it from the list`).toBe(true);
    }
    const spelled = (k: string) => [`"${k}"`, `'${k}'`, "`" + k + "`"].some((q) => code.includes(q));
    const unused = keys.filter((k) => !spelled(k) && !DYNAMIC_PREFIXES.some((p) => k.startsWith(p)));
    expect(unused).toEqual([]);
  });

  it("every error key names a kind the Rust code sends", () => {
    const root = join(__dirname, "../..");
    const rust = [join(root, "core/src"), join(root, "src-tauri/src")]
      .flatMap((d) => walk(d, (p) => p.endsWith(".rs")))
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    const literals = new Set([...rust.matchAll(/"([a-z0-9_]+)"/g)].map((m) => m[1]));
    const stale = keys.filter((k) => k.startsWith("errors.") && !literals.has(k.slice(k.lastIndexOf(".") + 1)));
    expect(stale).toEqual([]);
  });

  it("every password feedback key of the core has a translation", () => {
    // The keys are the string literals of warning_key and suggestion_key.
    const rust = readFileSync(join(__dirname, "../../core/src/password.rs"), "utf8");
    const section = (fn: string) => {
      const start = rust.indexOf(`pub fn ${fn}(`);
      const body = rust.slice(start, rust.indexOf("\n}\n", start));
      return [...body.matchAll(/=> "([a-z0-9_]+)"/g)].map((m) => m[1]);
    };
    const warnings = section("warning_key");
    const suggestions = section("suggestion_key");
    expect(warnings.length).toBe(14);
    expect(suggestions.length).toBe(13);
    for (const k of warnings) expect(en, k).toHaveProperty([`password.warning.${k}`]);
    for (const k of suggestions) expect(en, k).toHaveProperty([`password.suggestion.${k}`]);
    const ours = Object.keys(en).filter((k) => k.startsWith("password."));
    expect(ours.length, "no translation of a key the core does not send").toBe(warnings.length + suggestions.length);
  });

  it("views hold no hard-coded English: text goes through t()", () => {
    // A string literal passed as an element child or label that reads as words.
    const suspicious = /h\("[a-z0-9]+",\s*\{[^}]*\},\s*"[A-Za-z][a-z]+ [a-z]/;
    const attr = /"(aria-label|title|placeholder|alt)":\s*"[A-Za-z]/;
    for (const f of sources) {
      const src = readFileSync(f, "utf8");
      expect(suspicious.test(src), `${f} has literal text`).toBe(false);
      expect(attr.test(src), `${f} has a literal label`).toBe(false);
    }
  });
});

describe("formatting", () => {
  afterEach(() => setLanguage("en"));

  it("fills arguments and shows a missing one as written", () => {
    expect(format("{a} and {b}", { a: 1, b: "x" })).toBe("1 and x");
    expect(format("{missing}", {})).toBe("{missing}");
    expect(t("errors.unknown")).toBe("Something went wrong: {message}");
  });

  it("a missing screenshot portal names the packages for the desktop, in English and Dutch", () => {
    const says = (lang: Lang, desktop: string) =>
      translate(lang, "errors.no_portal", { reason: "no portal implements org.freedesktop.portal.Screenshot", desktop });
    expect(says("en", "wlroots")).toContain("Install xdg-desktop-portal, xdg-desktop-portal-wlr and xdg-desktop-portal-gtk (the screenshot service needs both backends)");
    expect(says("nl", "wlroots")).toContain("Installeer xdg-desktop-portal, xdg-desktop-portal-wlr en xdg-desktop-portal-gtk");
    expect(says("nl", "gnome")).toContain("xdg-desktop-portal en xdg-desktop-portal-gnome");
    expect(says("en", "unknown-desktop")).toContain("-wlr with -gtk");
  });

  it("keeps apostrophes and angle brackets as text", () => {
    expect(format("Authdesk's own {what}", { what: "scan" })).toBe("Authdesk's own scan");
    expect(format("foto's van {n}", { n: 3 })).toBe("foto's van 3");
    expect(format("<b>{x}</b>", { x: 1 })).toBe("<b>1</b>");
  });

  it("picks singular and plural by each language's rules", () => {
    const about = (lang: Lang, count: number) => translate(lang, "import.about", { count, app: "Aegis" });
    expect(about("en", 1)).toBe("1 account in this file (Aegis).");
    expect(about("en", 2)).toBe("2 accounts in this file (Aegis).");
    expect(about("en", 0)).toBe("0 accounts in this file (Aegis).");
    expect(about("nl", 1)).toBe("1 account in dit bestand (Aegis).");
    expect(about("de", 1)).toBe("1 Konto in dieser Datei (Aegis).");
    expect(about("de", 2)).toBe("2 Konten in dieser Datei (Aegis).");
    expect(about("fr", 1)).toBe("1 compte dans ce fichier (Aegis).");
    expect(about("fr", 2)).toBe("2 comptes dans ce fichier (Aegis).");
    // French counts zero as singular.
    expect(about("fr", 0)).toBe("0 compte dans ce fichier (Aegis).");
    const seconds = (lang: Lang, n: number) => translate(lang, "clock.seconds", { n });
    expect(seconds("de", 1)).toBe("1 Sekunde");
    expect(seconds("nl", 2)).toBe("2 seconden");
    expect(translate("en", "list.secondsLeft", { seconds: 1 })).toBe("1 second left");
    expect(translate("de", "clock.minutes", { m: 2, s: 1 })).toBe("2 Minuten 1 Sekunde");
    expect(translate("fr", "add.partsMissing", { count: 1, missing: "3" })).toBe("Scannez la partie restante\u202f: 3.");
    // Error params come from Rust as strings.
    expect(translate("en", "errors.invalid_secret_length", { length: "1" })).toMatch(/^A secret key cannot be 1 character long/);
    expect(translate("de", "errors.update_too_big", { what: "package", limit: "1048576" })).toMatch(/ein Paket mit mehr als 1\.048\.576 Byte gesendet/);
    // Rust sends a key, never an English word, for what was too big.
    expect(translate("nl", "errors.update_too_big", { what: "release_list", limit: "1" })).toMatch(/^De updateserver stuurde een lijst met versies van meer dan 1 byte/);
  });

  it("writes counts with each language's digit grouping", () => {
    const done = (lang: Lang) => translate(lang, "backup.done", { count: 12345, path: "P" });
    expect(done("en")).toBe("Backed up 12,345 accounts to P");
    expect(done("nl")).toBe("Back-up van 12.345 accounts opgeslagen in P");
    expect(done("de")).toBe("12.345 Konten in P gesichert");
    expect(done("fr")).toBe("12\u202f345 comptes sauvegardés dans P");
    // A number shown as it is, outside any plural, is grouped too.
    expect(translate("de", "import.summary", { added: 1234, present: 0, skipped: 2 })).toBe("1.234 hinzuzufügen, 0 bereits vorhanden, 2 nicht verwendbar.");
    expect(translate("en", "transfer.showCount", { count: 1500 })).toBe("Show QR codes (1,500)");
  });

  it("writes dates and lists the way each language does", () => {
    // Local time, so the test holds in any time zone.
    const ms = new Date(2026, 2, 5, 14, 7).getTime();
    expect(formatDateTime(ms, "en")).toBe("5 Mar 2026, 14:07");
    expect(formatDateTime(ms, "nl")).toBe("5 mrt 2026, 14:07");
    expect(formatDateTime(ms, "de")).toBe("05.03.2026, 14:07");
    expect(formatDateTime(ms, "fr")).toBe("5 mars 2026, 14:07");
    setLanguage("de");
    expect(formatDateTime(ms)).toBe("05.03.2026, 14:07");
    expect(formatList(["2", "3", "5"])).toBe("2, 3 und 5");
    expect(formatList(["2", "3"], "fr")).toBe("2 et 3");
  });
});
