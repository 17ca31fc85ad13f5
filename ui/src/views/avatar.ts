// An account's picture on its card: its logo (bundled, matched by the
// issuer or chosen in Edit), the user's own picture, or coloured initials
// (the colour chosen in Edit, or one drawn from the issuer's name).
import type { EntryView } from "../api";
import type { BundledView } from "../bindings/BundledView";
import type { Picture } from "../bindings/Picture";
import { h, svg } from "../dom";
import { avatarColour, hueFor, initials, initialsColour } from "../logic";

export function avatar(e: EntryView): HTMLElement {
  return pictureOf(e, e.picture);
}

/** The avatar of `e` as `p` would show it (Edit previews a choice). */
export function pictureOf(e: Pick<EntryView, "issuer" | "account">, p: Picture): HTMLElement {
  if (p.kind === "bundled") return logo(p);
  if (p.kind === "image") {
    // A static picture: nothing here repaints with the codes each second.
    return h("div", { class: "avatar picture", "aria-hidden": "true" }, h("img", { src: p.url, alt: "", draggable: "false" }));
  }
  const el = h("div", { class: "avatar", "aria-hidden": "true" }, initials(e));
  const colour = p.colour ?? avatarColour(hueFor(e.issuer || e.account));
  el.style.backgroundColor = colour;
  // A chosen colour may be light: its initials go dark where white would
  // not reach 4.5:1 (automatic colours are dark enough for white).
  if (p.colour) el.style.color = initialsColour(p.colour);
  return el;
}

/** A bundled logo: the brand's glyph, white or black, on its colour. */
export function logo(b: BundledView): HTMLElement {
  const el = h("div", { class: "avatar logo", "aria-hidden": "true" },
    svg("svg", { viewBox: "0 0 24 24", width: 22, height: 22, fill: initialsColour(b.hex) }, svg("path", { d: b.path })));
  el.style.backgroundColor = b.hex;
  return el;
}
