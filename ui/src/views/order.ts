// Pins and the list's order: a card's pin button, and the Order menu in
// the header (your own order, by name, most recently used). Rust arranges
// the list (pinned first); the page only shows what it is sent.
import { api, type EntryView, type SortOrder } from "../api";
import { h, toast } from "../dom";
import { icon } from "../icons";
import { t } from "../i18n";
import { displayName, errorText } from "../logic";

const ORDERS = {
  manual: "list.order.manual",
  name: "list.order.name",
  recent: "list.order.recent",
} as const satisfies Record<SortOrder, string>;
let current: SortOrder = "manual";

/** The order the settings hold (at start, and after Settings is saved). */
export function knowOrder(order: SortOrder): void {
  current = order;
}

/** Dragging and Alt+arrows move accounts only in the user's own order. */
export function canMove(): boolean {
  return current === "manual";
}

/** The card's pin toggle; `reload` shows the list in its new order. */
export function pinButton(e: EntryView, reload: () => Promise<void>): HTMLButtonElement {
  const name = displayName(e);
  const b = h("button", {
    type: "button",
    class: "icon pin",
    "aria-pressed": String(e.pinned),
    "aria-label": t("list.pin", { name }),
    title: e.pinned ? t("list.unpin", { name }) : t("list.pin", { name }),
    "data-testid": "pin",
  }, icon("pin"));
  b.addEventListener("click", async (ev) => {
    ev.stopPropagation();
    try {
      await api.updateEntry(e.id, { pinned: !e.pinned });
      await reload();
      toast(t(e.pinned ? "list.unpinned" : "list.pinned", { name }), undefined, "pinned");
      document.querySelector<HTMLElement>(`[data-id="${e.id}"] [data-testid="pin"]`)?.focus();
    } catch (err) {
      toast(errorText(err));
    }
  });
  return b;
}

/** The header's Order button and its menu; `show` renders the list it gets. */
export function orderMenu(show: (entries: EntryView[]) => void): HTMLElement {
  const button = h("button", {
    type: "button",
    class: "icon",
    title: t("list.order"),
    "aria-label": t("list.order"),
    "aria-haspopup": "menu",
    "aria-expanded": "false",
    "data-testid": "sort",
  }, icon("sort"));
  const menu = h("div", { class: "menu", role: "menu", "aria-label": t("list.order"), hidden: true, "data-testid": "sort-menu" });
  const close = (focusButton: boolean) => {
    menu.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (focusButton) button.focus();
  };
  const items = () => (Object.keys(ORDERS) as SortOrder[]).map((order) => {
    const item = h("button", {
      type: "button",
      role: "menuitemradio",
      "aria-checked": String(order === current),
      "data-testid": `sort-${order}`,
    }, h("span", { class: "mark", "aria-hidden": "true" }, order === current ? icon("check") : ""), t(ORDERS[order]));
    item.addEventListener("click", async () => {
      close(true);
      const was = current;
      try {
        const entries = await api.setSortOrder(order);
        // Before the cards are built: whether they can be dragged follows it.
        current = order;
        show(entries);
      } catch (err) {
        current = was;
        toast(errorText(err));
      }
    });
    return item;
  });
  button.addEventListener("click", () => {
    if (!menu.hidden) return close(false);
    menu.replaceChildren(...items());
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    menu.querySelector<HTMLElement>('[aria-checked="true"]')?.focus();
  });
  menu.addEventListener("keydown", (ev) => {
    const all = [...menu.querySelectorAll<HTMLElement>("button")];
    const at = all.indexOf(document.activeElement as HTMLElement);
    if (ev.key === "Escape") {
      ev.preventDefault();
      ev.stopPropagation();
      close(true);
    } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      const step = ev.key === "ArrowDown" ? 1 : all.length - 1;
      all[(at + step) % all.length]?.focus();
    }
  });
  menu.addEventListener("focusout", (ev) => {
    const to = ev.relatedTarget as Node | null;
    if (!to || (!menu.contains(to) && to !== button)) close(false);
  });
  return h("div", { class: "menu-anchor" }, button, menu);
}
