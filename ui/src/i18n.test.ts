import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { en } from "./locales/en";
import { nl } from "./locales/nl";
import { format } from "./i18n";

describe("translations", () => {
  it("Dutch has every key and the same placeholders", () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(en)) {
      const dutch = nl[key as keyof typeof en];
      expect(dutch, key).toBeTruthy();
      expect(placeholders(dutch), key).toEqual(placeholders(text));
    }
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
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
