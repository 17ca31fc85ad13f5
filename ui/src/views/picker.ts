// The auto-type picker: the shortcut was pressed in a window no account
// matches (or several do, or the vault was locked). The user picks the
// account, search as you type, Enter types its code into that window, and
// the choice may be remembered as a match. Loaded on demand.
import { api, type EntryView } from "../api";
import { dialog, h, toast } from "../dom";
import { t } from "../i18n";
import { displayName, errorText, matches } from "../logic";

export async function openPicker(): Promise<void> {
  const view = await api.autotypePending().catch(() => null);
  if (!view || document.querySelector("[data-testid=picker]")) return;
  for (const d of document.querySelectorAll("dialog")) d.close();
  const entries = await api.listEntries();
  // The title's matches first (when several matched), then the rest.
  const rank = (e: EntryView) => { const i = view.matches.indexOf(e.id); return i < 0 ? view.matches.length : i; };
  const all = [...entries].sort((a, b) => rank(a) - rank(b));
  let shown: EntryView[] = all;
  let selected = 0;
  let picked = false;

  const search = h("input", { type: "search", placeholder: t("list.search"), "aria-label": t("list.search"), "data-testid": "picker-search",
    role: "combobox", "aria-expanded": "true", "aria-controls": "picker-options", autocomplete: "off" });
  const options = h("ul", { class: "picker-options", role: "listbox", id: "picker-options", "aria-label": t(view.copies ? "picker.titleCopy" : "picker.title"), "data-testid": "picker-options" });
  const remember = h("input", { type: "checkbox", "data-testid": "picker-remember" });
  const error = h("p", { class: "error", role: "alert", "data-testid": "picker-error" });
  const paint = () => {
    options.replaceChildren(...shown.map((e, i) => {
      const li = h("li", { role: "option", id: `pick-${e.id}`, "aria-selected": String(i === selected), "data-testid": "picker-option", "data-id": e.id },
        h("span", { class: "issuer" }, e.issuer || e.account), h("span", { class: "account" }, e.issuer ? e.account : ""));
      li.addEventListener("click", () => { selected = i; void type(); });
      return li;
    }));
    const current = shown[selected];
    if (current) search.setAttribute("aria-activedescendant", `pick-${current.id}`);
    else search.removeAttribute("aria-activedescendant");
    options.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: "nearest" });
  };
  const type = async () => {
    const e = shown[selected];
    if (!e) return;
    try {
      const how = await api.autotypePick(e.id, remember.checked);
      picked = true;
      d.close();
      if (how === "copied") toast(t("picker.copied", { name: displayName(e) }));
    } catch (err) {
      error.textContent = errorText(err);
    }
  };
  search.addEventListener("input", () => {
    shown = all.filter((e) => matches(e, search.value));
    selected = 0;
    paint();
  });
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      const n = shown.length;
      if (n) selected = (selected + (ev.key === "ArrowDown" ? 1 : n - 1)) % n;
      paint();
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      void type();
    }
  });
  const body = h("div", { "data-testid": "picker" },
    h("p", {}, view.title ? t("picker.intro", { title: view.title }) : t(view.copies ? "picker.introCopy" : "picker.introUnknown")),
    search,
    options,
    view.suggestion ? h("label", { class: "check" }, remember, h("span", {}, t("picker.remember", { window: view.suggestion }))) : null,
    error,
    h("div", { class: "actions" },
      h("button", { type: "button", onclick: () => d.close() }, t("common.cancel")),
      h("button", { type: "button", class: "primary", "data-testid": "picker-type", onclick: () => void type() }, t(view.copies ? "picker.copy" : "picker.type"))));
  const d = dialog(t(view.copies ? "picker.titleCopy" : "picker.title"), body, { onClose: () => { if (!picked) void api.autotypeCancel(); } });
  paint();
  search.focus();
}
