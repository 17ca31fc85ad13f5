// Edit's icon field: automatic (the logo the issuer matches, else
// initials), a colour for the initials, a logo of the bundled set found by
// name, or the user's own picture (chosen, or dropped on the preview).
// The choice is a value the core checks when Edit saves it.
import { api, type EntryView } from "../api";
import type { BundledView } from "../bindings/BundledView";
import type { Picture } from "../bindings/Picture";
import { h } from "../dom";
import { t } from "../i18n";
import { errorText } from "../logic";
import { logo, pictureOf } from "./avatar";

// Each with its name: a screen reader says "Green", not "#1f8a70".
const COLOURS = [
  ["#1f8a70", "green"], ["#2563eb", "blue"], ["#7c3aed", "purple"], ["#db2777", "pink"],
  ["#dc2626", "red"], ["#ea580c", "orange"], ["#ca8a04", "yellow"], ["#475569", "grey"],
] as const;

export interface IconField {
  element: HTMLElement;
  /** The value to save: "" for automatic. */
  value(): string;
}

export function iconField(entry: EntryView): IconField {
  let value = entry.icon ?? "";
  // What the preview shows for each value chosen here.
  const known = new Map<string, Picture>([[value, entry.picture]]);
  if (entry.icon) {
    known.set("", entry.automatic_logo ? { kind: "bundled", automatic: true, ...entry.automatic_logo } : { kind: "initials", colour: null });
  }

  const preview = h("div", { class: "icon-preview", "data-testid": "edit-icon-preview" });
  const status = h("p", { class: "hint", role: "status", "data-testid": "edit-icon-status" });
  const field = h("div", { class: "field icon-field" });
  const select = (v: string, picture: Picture) => {
    value = v;
    known.set(v, picture);
    preview.replaceChildren(pictureOf(entry, picture));
    for (const b of field.querySelectorAll<HTMLElement>("[data-icon]")) {
      b.setAttribute("aria-checked", String(b.dataset.icon === v));
    }
  };
  const choice = (v: string, picture: Picture, label: string, content: Node | null, cls: string) => {
    const b = h("button", { type: "button", class: cls, role: "radio", "aria-checked": String(v === value), "aria-label": label, title: label }, content);
    b.dataset.icon = v;
    b.addEventListener("click", () => select(v, picture));
    return b;
  };

  const swatches = h("div", { class: "swatches", role: "radiogroup", "aria-label": t("edit.color") },
    choice("", known.get("") ?? { kind: "initials", colour: null }, t("edit.noColor"), null, "swatch auto"),
    ...COLOURS.map(([c, name]) => {
      const b = choice(c, { kind: "initials", colour: c }, t(`a11y.colour.${name}`), null, "swatch");
      b.style.background = c;
      return b;
    }));

  const results = h("div", { class: "icon-results", role: "radiogroup", "aria-label": t("edit.iconResults"), "data-testid": "edit-icon-results" });
  const search = h("input", { type: "search", autocomplete: "off", spellcheck: "false", placeholder: t("edit.iconSearch"), "aria-label": t("edit.iconSearch"), "data-testid": "edit-icon-search" });
  let asked = 0;
  search.addEventListener("input", () => {
    const query = search.value.trim();
    const mine = ++asked;
    if (!query) {
      results.replaceChildren();
      status.textContent = "";
      return;
    }
    void api.searchIcons(query).then((found: BundledView[]) => {
      if (mine !== asked) return;
      results.replaceChildren(...found.map((b) => {
        const v = `si:${b.slug}`;
        return choice(v, { kind: "bundled", automatic: false, ...b }, b.title, logo(b), "icon-choice");
      }));
      status.textContent = found.length ? t("edit.iconFound", { count: found.length }) : t("edit.iconNone", { query });
    });
  });

  const usePicture = (chosen: { value: string } | null) => {
    if (!chosen) return;
    select(chosen.value, chosen.value.startsWith("si:") ? known.get(chosen.value) ?? { kind: "initials", colour: null } : { kind: "image", url: chosen.value });
    status.textContent = t("edit.iconPicked");
  };
  const failed = (e: unknown) => { status.textContent = errorText(e); };
  const file = h("button", { type: "button", "data-testid": "edit-icon-file",
    onclick: () => void api.pickIcon(t("edit.iconFile"), t("edit.iconFileFilter")).then(usePicture, failed) }, t("edit.iconFile"));
  // An image dropped on the field (from a file manager or a browser).
  field.addEventListener("dragover", (ev) => ev.preventDefault());
  field.addEventListener("drop", (ev) => {
    const f = ev.dataTransfer?.files[0];
    if (!f) return;
    ev.preventDefault();
    ev.stopPropagation();
    void api.iconFromBytes(f).then(usePicture, failed);
  });

  field.append(
    h("span", {}, t("edit.icon")),
    h("div", { class: "icon-row" }, preview, swatches),
    h("div", { class: "icon-row" }, search, file),
    results,
    status,
    h("span", { class: "hint" }, t("edit.iconHint")),
  );
  preview.replaceChildren(pictureOf(entry, known.get(value) ?? entry.picture));
  return { element: field, value: () => value };
}
