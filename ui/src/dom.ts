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

export function toast(text: string, action?: { label: string; run: () => void }, ms = 2500): void {
  const box = document.getElementById("toasts");
  if (!box) return;
  const item = h("div", { class: "toast" }, h("span", {}, text));
  if (action) {
    item.append(
      h("button", { class: "link", type: "button", onclick: () => { action.run(); item.remove(); } }, action.label),
    );
  }
  box.append(item);
  setTimeout(() => item.remove(), ms);
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
