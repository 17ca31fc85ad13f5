// A small element builder: no framework, no innerHTML.
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") {
      el.addEventListener(name.replace(/^on/, "").toLowerCase(), value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else {
      el.setAttribute(name, String(value));
    }
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

const SVG = "http://www.w3.org/2000/svg";

export function svg(tag: string, attrs: Record<string, string | number>, ...children: Element[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

export function mount(view: Node): void {
  const app = document.getElementById("app");
  if (app) app.replaceChildren(view);
}

/** The latest toast's action (Undo), for Ctrl+Z; cleared when it goes. */
let lastAction: (() => void) | null = null;

/** At most this many toasts at once: the oldest goes first. */
const MAX_TOASTS = 3;

/**
 * A short message at the bottom, read out by screen readers (the box is a
 * status region). It stays long enough to read (a second per ~15
 * characters, at least 4 s) and while the pointer or focus is on it; one
 * with an action (Undo) stays 15 s and its action is also Ctrl+Z. A toast
 * with a `key` replaces the one before with that key (each zoom step says
 * its size once, not stacked).
 */
export function toast(text: string, action?: { label: string; run: () => void }, key?: string): void {
  const box = document.getElementById("toasts");
  if (!box) return;
  if (key) for (const old of box.querySelectorAll<HTMLElement>(".toast")) if (old.dataset.key === key) old.remove();
  const item = h("div", { class: "toast", "data-key": key }, h("span", {}, text));
  let run: (() => void) | null = null;
  if (action) {
    run = () => {
      action.run();
      close();
    };
    item.append(h("button", { class: "link", type: "button", title: "Ctrl+Z", onclick: run }, action.label));
    lastAction = run;
  }
  const close = () => {
    item.remove();
    if (lastAction === run) lastAction = null;
  };
  box.append(item);
  while (box.children.length > MAX_TOASTS) box.firstElementChild?.remove();
  let left = action ? 15000 : Math.max(4000, (text.length / 15) * 1000);
  let since = Date.now();
  let timer = window.setTimeout(close, left);
  let held = false;
  const hold = () => {
    if (held) return;
    held = true;
    clearTimeout(timer);
    left -= Date.now() - since;
  };
  const resume = () => {
    if (!held || item.matches(":hover, :focus-within")) return;
    held = false;
    since = Date.now();
    timer = window.setTimeout(close, Math.max(left, 2000));
  };
  item.addEventListener("pointerenter", hold);
  item.addEventListener("focusin", hold);
  item.addEventListener("pointerleave", resume);
  item.addEventListener("focusout", resume);
}

/** Runs the latest toast's action (Ctrl+Z); whether there was one. */
export function runToastAction(): boolean {
  if (!lastAction) return false;
  lastAction();
  return true;
}

/**
 * Tabs over panels (Add, Backup): the tab list, and `select`, which shows
 * one panel and marks its tab. A click selects and then calls `onClick`
 * (to move the focus into the panel).
 */
export function tabs<N extends string>(
  defs: Record<N, { label: string; testid: string; panel: HTMLElement }>,
  onClick: (name: N) => void = () => undefined,
): { list: HTMLElement; select: (name: N) => void; tab: (name: N) => HTMLButtonElement; current: () => N } {
  const names = Object.keys(defs) as N[];
  const buttons = {} as Record<N, HTMLButtonElement>;
  let current = names[0] as N;
  const select = (which: N) => {
    current = which;
    for (const name of names) {
      buttons[name].setAttribute("aria-selected", String(name === which));
      defs[name].panel.hidden = name !== which;
    }
  };
  for (const name of names) {
    buttons[name] = h("button", { type: "button", role: "tab", "data-testid": defs[name].testid }, defs[name].label);
    buttons[name].addEventListener("click", () => {
      select(name);
      onClick(name);
    });
  }
  select(current);
  return {
    list: h("div", { class: "tabs", role: "tablist" }, ...names.map((n) => buttons[n])),
    select,
    tab: (name) => buttons[name],
    current: () => current,
  };
}

/** A modal dialog; resolves when it closes. */
export function dialog(title: string, body: Node, opts: { onClose?: () => void } = {}): HTMLDialogElement {
  const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
  const d = h("dialog", { "aria-labelledby": titleId }, h("h2", { id: titleId }, title), body);
  d.addEventListener("close", () => {
    opts.onClose?.();
    d.remove();
  });
  document.body.append(d);
  d.showModal();
  // showModal focuses the first control, which may be the Close button at
  // the bottom: the dialog opens at its title, not scrolled down to it.
  d.scrollTop = 0;
  return d;
}

/** An in-page confirmation (WebKit's native confirm() is unstyled and untranslated). */
export function confirmDialog(title: string, text: string, yes: string, no: string): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const body = h(
      "div",
      {},
      h("p", {}, text),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", "data-testid": "confirm-no", onclick: () => d.close() }, no),
        h("button", { type: "button", class: "danger", "data-testid": "confirm-yes", onclick: () => { answer = true; d.close(); } }, yes),
      ),
    );
    const d = dialog(title, body, { onClose: () => resolve(answer) });
  });
}
