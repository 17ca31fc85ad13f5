// Contrast, measured: the palette in styles.css against WCAG 2.2 AA (text
// 4.5:1, control edges, focus rings and the countdown 3:1), in both themes,
// and the avatars' initials for every hue. axe-core checks the rendered
// text in the end-to-end suite; edges and rings it does not measure.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { avatarColour, contrast, initialsColour } from "./logic";
import { zoomStep } from "./zoom";

const css = readFileSync(new URL("./styles.css", import.meta.url), "utf8");

function palette(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  const block = css.slice(start, css.indexOf("}", start));
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1]!, m[2]!]));
}
const light = palette(":root");
const dark = { ...light, ...palette(':root[data-theme="dark"]') };

// [foreground, background, minimum, what]
const PAIRS: [string, string, number, string][] = [
  ["text", "bg", 4.5, "body text"],
  ["text", "surface", 4.5, "text on cards and dialogs"],
  ["muted", "bg", 4.5, "hints"],
  ["muted", "surface", 4.5, "hints in dialogs, account names"],
  ["muted", "surface-2", 4.5, "disabled buttons, the search box"],
  ["accent", "surface", 4.5, "codes, links"],
  ["accent", "surface-2", 4.5, "the copied badge on a copied card"],
  ["accent-text", "accent", 4.5, "primary buttons"],
  ["danger", "surface", 4.5, "errors"],
  ["warn", "surface", 4.5, "warnings, an ending code"],
  ["warn", "surface-2", 4.5, "an ending code on a copied card"],
  ["bg", "text", 4.5, "toasts"],
  ["control", "surface", 3, "field and checkbox edges"],
  ["control", "surface-2", 3, "the search box's edge"],
  ["control", "bg", 3, "field edges on the page"],
  ["focus", "bg", 3, "focus ring"],
  ["focus", "surface", 3, "focus ring in dialogs"],
  ["accent", "surface", 3, "the countdown ring"],
];

describe.each([["light", light], ["dark", dark]] as const)("%s theme", (_name, p) => {
  it.each(PAIRS)("%s on %s reaches %d:1 (%s)", (fg, bg, min) => {
    expect(p[fg], `--${fg}`).toBeDefined();
    expect(p[bg], `--${bg}`).toBeDefined();
    expect(contrast(p[fg]!, p[bg]!)).toBeGreaterThanOrEqual(min);
  });
});

describe("avatars", () => {
  it("white initials reach 4.5:1 on every automatic colour", () => {
    for (let hue = 0; hue < 360; hue++) expect(contrast(avatarColour(hue), "#ffffff")).toBeGreaterThanOrEqual(4.5);
  });
  it("initials on a chosen colour take the readable one", () => {
    expect(initialsColour("#ca8a04")).toBe("#000000");
    expect(initialsColour("#2563eb")).toBe("#ffffff");
    for (const c of ["#1f8a70", "#2563eb", "#7c3aed", "#db2777", "#dc2626", "#ea580c", "#ca8a04", "#475569", "#ffffff", "#000000"]) {
      expect(contrast(c, initialsColour(c))).toBeGreaterThanOrEqual(4.5);
    }
  });
  it("measures as the WCAG formula does", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });
});

describe("zoom", () => {
  it("steps from 80% to 200% and back to 100%", () => {
    let z = 100;
    const up: number[] = [];
    for (let i = 0; i < 8; i++) up.push((z = zoomStep(z, 1)));
    expect(up).toEqual([110, 125, 150, 175, 200, 200, 200, 200]);
    expect(zoomStep(200, -1)).toBe(175);
    expect(zoomStep(80, -1)).toBe(80);
    expect(zoomStep(130, 1)).toBe(150);
    expect(zoomStep(130, -1)).toBe(125);
    expect(zoomStep(175, 0)).toBe(100);
  });
});
