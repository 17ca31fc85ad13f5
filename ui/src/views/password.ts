// A password field as people expect it: a button that shows what was
// typed (to catch a typo before it locks a vault or a backup) and a
// warning while Caps Lock is on.
import { h } from "../dom";
import { icon } from "../icons";
import { t } from "../i18n";

/**
 * Wraps `input` (type password): returns the element to place where the
 * input was. Shown text goes back to dots when the field loses focus to
 * another part of the page, so it is not left on screen.
 */
export function passwordField(input: HTMLInputElement): HTMLElement {
  const testid = input.dataset.testid ?? "password";
  const toggle = h("button", {
    type: "button",
    class: "icon reveal-toggle",
    "aria-pressed": "false",
    "aria-label": t("passwordField.show"),
    title: t("passwordField.show"),
    "data-testid": `${testid}-show`,
  }, icon("eye"));
  const caps = h("span", { class: "warning caps", role: "status", hidden: true, "data-testid": `${testid}-caps` }, t("passwordField.capsLock"));
  const show = (on: boolean) => {
    input.type = on ? "text" : "password";
    toggle.setAttribute("aria-pressed", String(on));
    const label = t(on ? "passwordField.hide" : "passwordField.show");
    toggle.setAttribute("aria-label", label);
    toggle.title = label;
    toggle.replaceChildren(icon(on ? "eyeOff" : "eye"));
  };
  toggle.addEventListener("click", () => {
    show(input.type === "password");
    input.focus();
  });
  // The password goes back to dots once the user moves on.
  input.addEventListener("blur", (ev) => {
    if ((ev as FocusEvent).relatedTarget !== toggle) show(false);
  });
  const capsFrom = (ev: KeyboardEvent | MouseEvent) => {
    caps.hidden = !ev.getModifierState("CapsLock");
  };
  input.addEventListener("keydown", capsFrom);
  input.addEventListener("keyup", capsFrom);
  input.addEventListener("mousedown", capsFrom);
  input.addEventListener("blur", () => (caps.hidden = true));
  return h("span", { class: "password-field" }, h("span", { class: "password-row" }, input, toggle), caps);
}
