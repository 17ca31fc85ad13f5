// An account's picture on its card: its coloured initials (the colour
// chosen in Edit, or one drawn from the issuer's name).
import type { EntryView } from "../api";
import { h } from "../dom";
import { avatarColour, hueFor, initials, initialsColour } from "../logic";

export function avatar(e: EntryView): HTMLElement {
  const el = h("div", { class: "avatar", "aria-hidden": "true" }, initials(e));
  const chosen = e.icon && /^#[0-9a-f]{6}$/i.test(e.icon) ? e.icon : null;
  const colour = chosen ?? avatarColour(hueFor(e.issuer || e.account));
  el.style.backgroundColor = colour;
  // A chosen colour may be light: its initials go dark where white would
  // not reach 4.5:1 (automatic colours are dark enough for white).
  if (chosen) el.style.color = initialsColour(chosen);
  return el;
}
