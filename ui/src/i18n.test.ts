import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { en } from "./locales/en";
import { nl } from "./locales/nl";
import { format } from "./i18n";

describe("translations", () => {
  it("Dutch has every key and the same placeholders", () => {
    // {name}, and the argument of an ICU plural: {name, plural, one {…} other {…}}.
    const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)\s*[,}]/g)].map((m) => m[1]))].sort();
    for (const [key, text] of Object.entries(en)) {
      const dutch = nl[key as keyof typeof en];
      expect(dutch, key).toBeTruthy();
      expect(placeholders(dutch), key).toEqual(placeholders(text));
    }
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
  });

  it("Dutch plurals are whole ICU messages: balanced braces and an other branch", () => {
    for (const [key, text] of Object.entries(nl)) {
      if (!/\{\w+, plural,/.test(text)) continue;
      let depth = 0;
      for (const c of text) {
        depth += c === "{" ? 1 : c === "}" ? -1 : 0;
        expect(depth, key).toBeGreaterThanOrEqual(0);
      }
      expect(depth, key).toBe(0);
      expect(text, key).toMatch(/ other \{/);
    }
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

  it("fills placeholders", () => {
    expect(format("{a} and {b}", { a: 1, b: "x" })).toBe("1 and x");
    expect(format("{missing}", {})).toBe("{missing}");
  });

  it("views hold no hard-coded English: text goes through t()", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith(".ts") && !p.endsWith(".test.ts") && !p.includes("locales")) files.push(p);
      }
    };
    walk(join(__dirname));
    // A string literal passed as an element child or label that reads as words.
    const suspicious = /h\("[a-z0-9]+",\s*\{[^}]*\},\s*"[A-Za-z][a-z]+ [a-z]/;
    const attr = /"(aria-label|title|placeholder|alt)":\s*"[A-Za-z]/;
    for (const f of files) {
      const src = readFileSync(f, "utf8");
      expect(suspicious.test(src), `${f} has literal text`).toBe(false);
      expect(attr.test(src), `${f} has a literal label`).toBe(false);
    }
  });
});
