// A shortcut field that records the keys pressed, rather than asking for
// Tauri's accelerator syntax ("CommandOrControl+Alt+A") to be typed.
import { h } from "../dom";
import { t } from "../i18n";

const MODIFIERS = new Set(["Control", "Shift", "Alt", "Meta", "AltGraph", "OS"]);

/**
 * The accelerator for a key press, or null while only modifiers are held
 * or no modifier is (a bare letter as a global shortcut would take that
 * letter from every other program).
 */
export function acceleratorOf(ev: Pick<KeyboardEvent, "key" | "code" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey">): string | null {
  if (MODIFIERS.has(ev.key)) return null;
  const mods = [
    ev.ctrlKey || ev.metaKey ? "CommandOrControl" : "",
    ev.altKey ? "Alt" : "",
    ev.shiftKey ? "Shift" : "",
  ].filter(Boolean);
  const fKey = /^F([1-9]|1[0-9]|2[0-4])$/.test(ev.code);
  if (mods.length === 0 || (mods.length === 1 && mods[0] === "Shift" && !fKey)) return fKey ? ev.code : null;
  const key = /^Key[A-Z]$/.test(ev.code) ? ev.code.slice(3)
    : /^Digit[0-9]$/.test(ev.code) ? ev.code.slice(5)
      : ev.code;
  return [...mods, key].join("+");
}

/** How an accelerator reads on this computer: "Ctrl+Alt+A". */
export function shownAccelerator(acc: string, mac = /Mac/.test(navigator.platform)): string {
  // German keyboards say "Strg".
  const ctrl = mac ? "⌘" : t("settings.ctrlKey");
  return acc.split("+").map((p) => (p === "CommandOrControl" || p === "CmdOrCtrl" ? ctrl : p)).join("+");
}

/** The field; `value()` is the accelerator ("" for none). */
export function keyRecorder(initial: string, testid: string): { element: HTMLElement; value: () => string } {
  let acc = initial;
  const input = h("input", {
    type: "text",
    readonly: true,
    value: acc ? shownAccelerator(acc) : "",
    placeholder: t("settings.shortcutNone"),
    "aria-description": t("settings.shortcutRecord"),
    "data-testid": testid,
  });
  const clear = h("button", { type: "button", "data-testid": `${testid}-clear` }, t("settings.shortcutClear"));
  const set = (next: string) => {
    acc = next;
    input.value = next ? shownAccelerator(next) : "";
  };
  input.addEventListener("keydown", (ev) => {
    // Tab and Shift+Tab still move on; Escape still closes the dialog.
    if (ev.key === "Tab" || (ev.key === "Escape" && !ev.ctrlKey && !ev.altKey)) return;
    ev.preventDefault();
    ev.stopPropagation();
    if ((ev.key === "Backspace" || ev.key === "Delete") && !ev.ctrlKey && !ev.altKey && !ev.metaKey) return set("");
    const next = acceleratorOf(ev);
    if (next) set(next);
  });
  clear.addEventListener("click", () => set(""));
  return { element: h("span", { class: "key-recorder" }, input, clear), value: () => acc };
}
