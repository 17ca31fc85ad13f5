// Tags and notes on the list: the tag filter above the cards, and each
// card's tags and the first line of its note. Apart from list.ts, which
// keeps the cards and their codes.
import type { EntryView } from "../api";
import { h } from "../dom";
import { t } from "../i18n";

/** The row of tags above the list; hidden while no account has a tag. */
export function tagFilter(onChange: () => void): {
  element: HTMLElement;
  update: (entries: EntryView[]) => void;
  accepts: (e: EntryView) => boolean;
} {
  let chosen: string | null = null;
  const element = h("div", { class: "tag-filter", role: "group", "aria-label": t("tags.filter"), "data-testid": "tag-filter", hidden: true });
  const update = (entries: EntryView[]) => {
    const all = [...new Set(entries.flatMap((e) => e.tags))].sort((a, b) => a.localeCompare(b));
    // A tag whose last account lost it is no longer a filter.
    if (chosen !== null && !all.includes(chosen)) chosen = null;
    element.hidden = all.length === 0;
    element.replaceChildren(...[null, ...all].map((tag) => {
      const b = h("button", { type: "button", class: "tag-chip", "aria-pressed": String(chosen === tag), "data-testid": "tag-filter-chip" },
        tag ?? t("tags.all"));
      b.addEventListener("click", () => {
        chosen = tag;
        update(entries);
        onChange();
      });
      return b;
    }));
  };
  return { element, update, accepts: (e) => chosen === null || e.tags.includes(chosen) };
}

/** A card's tags and the first line of its note, or null when it has neither. */
export function cardExtras(e: EntryView): HTMLElement | null {
  if (e.tags.length === 0 && !e.note) return null;
  return h(
    "div",
    { class: "extras" },
    ...e.tags.map((tag) => h("span", { class: "tag", "data-testid": "card-tag" }, tag)),
    e.note ? h("span", { class: "note", title: e.note, "data-testid": "card-note" }, e.note.split("\n")[0] ?? "") : null,
  );
}

/** Tags as typed in Edit ("Thuis, Klant Jansen"); Rust cleans them further. */
export function parseTags(text: string): string[] {
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}
