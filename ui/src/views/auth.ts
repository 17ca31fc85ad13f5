// First run (create the vault) and later runs (unlock).
import { api } from "../api";
import { dialog, h, mount } from "../dom";
import { t } from "../i18n";
import type { MessageKey } from "../locales/en";
import { errorText, needsWeakConfirmation } from "../logic";
import { passwordField } from "./password";
import { strengthMeter } from "./strength";

function brand(): HTMLElement {
  return h("div", { class: "brand" }, h("img", { class: "logo", src: "logo.png", alt: "", width: 40, height: 40 }), h("h1", {}, t("app.name")));
}

function field(label: string, input: HTMLElement, hint?: HTMLElement): HTMLElement {
  return h("label", { class: "field" }, h("span", {}, label), input, hint ?? null);
}

/** Where a new user's accounts are: the step that follows creating the vault. */
export type SetupIntent = "restore" | "join" | "import";

// Spelled out, so the key check sees each key used.
const INTENTS: Record<SetupIntent, { label: MessageKey; submit: MessageKey }> = {
  restore: { label: "setup.intent.restore", submit: "setup.createAnd.restore" },
  join: { label: "setup.intent.join", submit: "setup.createAnd.join" },
  import: { label: "setup.intent.import", submit: "setup.createAnd.import" },
};

/**
 * First start. Someone on a new laptop with a backup, a household folder
 * or another app's export says so here: the vault is created first (this
 * computer's own password), then the matching screen opens.
 */
export function showSetup(onDone: (then?: SetupIntent) => void, start: { intent?: SetupIntent; notice?: string } = {}): void {
  const pw = h("input", { type: "password", autocomplete: "new-password", required: true, "data-testid": "setup-password" });
  const pw2 = h("input", { type: "password", autocomplete: "new-password", required: true, "data-testid": "setup-confirm" });
  const remember = h("input", { type: "checkbox", "data-testid": "setup-remember" });
  const error = h("p", { class: "error", role: "alert", "data-testid": "setup-error" });
  const submit = h("button", { type: "submit", class: "primary", "data-testid": "setup-submit" }, t("setup.create"));
  let intent: SetupIntent | undefined;
  const intentButtons = (Object.keys(INTENTS) as SetupIntent[]).map((name) => {
    const b = h("button", { type: "button", class: "intent", "aria-pressed": "false", "data-testid": `setup-intent-${name}` },
      t(INTENTS[name].label));
    b.addEventListener("click", () => {
      intent = intent === name ? undefined : name;
      for (const other of intentButtons) other.setAttribute("aria-pressed", String(other === b && intent === name));
      submit.textContent = t(intent ? INTENTS[intent].submit : "setup.create");
    });
    return b;
  });
  if (start.intent) intentButtons[(Object.keys(INTENTS) as SetupIntent[]).indexOf(start.intent)]?.click();
  const intents = h("div", { class: "intents", role: "group", "aria-labelledby": "setup-have" },
    h("p", { class: "hint", id: "setup-have" }, t("setup.haveAccounts")), h("div", { class: "intent-buttons" }, ...intentButtons));
  // A weak vault password is allowed, but only when the user says so; the
  // box shows only for a weak password, and a new password unticks it.
  const weakOk = h("input", { type: "checkbox", "data-testid": "setup-weak-ok" });
  const weakRow = h("label", { class: "check", hidden: true }, weakOk, h("span", {}, t("setup.weakAnyway")));
  const showWeak = (weak: boolean) => {
    weakRow.hidden = !weak;
    if (!weak) weakOk.checked = false;
  };
  const meter = strengthMeter(pw, "setup-strength", { onEstimate: (s) => showWeak(s !== null && needsWeakConfirmation(s)) });
  pw.addEventListener("input", () => {
    weakOk.checked = false;
  });

  const form = h(
    "form",
    { class: "auth" },
    brand(),
    h("h2", {}, t("setup.title")),
    start.notice ? h("p", { class: "notice", role: "status", "data-testid": "setup-notice" }, start.notice) : null,
    h("p", {}, t("setup.intro")),
    intents,
    field(t("setup.password"), passwordField(pw), meter.element),
    field(t("setup.confirm"), passwordField(pw2)),
    weakRow,
    h("p", { class: "warning" }, t("setup.warning")),
    h("label", { class: "check" }, remember, h("span", {}, t("setup.remember"), h("span", { class: "hint block" }, t("setup.rememberHint")))),
    error,
    submit,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    if (pw.value !== pw2.value) {
      error.textContent = t("setup.mismatch");
      pw2.focus();
      return;
    }
    submit.disabled = true;
    try {
      // The estimate of the password as typed now, not the meter's last.
      const strength = await api.passwordStrength(pw.value).catch(() => null);
      if (strength && needsWeakConfirmation(strength) && !weakOk.checked) {
        showWeak(true);
        error.textContent = t("setup.weakConfirm");
        weakOk.focus();
        return;
      }
      await api.createVault(pw.value, remember.checked);
      pw.value = pw2.value = "";
      meter.clear();
      onDone(intent);
    } catch (e) {
      error.textContent = errorText(e);
    } finally {
      submit.disabled = false;
    }
  });
  mount(h("main", { class: "center" }, form));
  pw.focus();
}

export function showUnlock(onDone: () => void, notice?: string, onForgot?: (aside: string) => void): void {
  const pw = h("input", { type: "password", autocomplete: "current-password", required: true, "data-testid": "unlock-password" });
  const remember = h("input", { type: "checkbox", "data-testid": "unlock-remember" });
  const error = h("p", { class: "error", role: "alert", "data-testid": "unlock-error" }, notice ?? "");
  const submit = h("button", { type: "submit", class: "primary", "data-testid": "unlock-submit" }, t("unlock.submit"));
  const form = h(
    "form",
    { class: "auth" },
    brand(),
    h("h2", {}, t("unlock.title")),
    field(t("unlock.password"), passwordField(pw)),
    h("label", { class: "check" }, remember, h("span", {}, t("unlock.remember"), h("span", { class: "hint block" }, t("setup.rememberHint")))),
    error,
    submit,
    onForgot ? h("button", { type: "button", class: "link", "data-testid": "unlock-forgot", onclick: () => forgot(onForgot) }, t("forgot.link")) : null,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    submit.textContent = t("unlock.working");
    try {
      await api.unlock(pw.value, remember.checked);
      pw.value = "";
      onDone();
    } catch (e) {
      // The typed password stays, so a typo can be fixed rather than retyped.
      error.textContent = errorText(e);
      pw.select();
    } finally {
      submit.disabled = false;
      submit.textContent = t("unlock.submit");
    }
  });
  mount(h("main", { class: "center" }, form));
  pw.focus();
}

/**
 * "Forgot your password?": nothing can recover it (it is the key), so the
 * way out is a new vault and a restore. The old file is renamed, never
 * deleted, in case the password comes back.
 */
function forgot(onAside: (aside: string) => void): void {
  const error = h("p", { class: "error", role: "alert", "data-testid": "forgot-error" });
  const yes = h("button", { type: "button", class: "primary", "data-testid": "forgot-confirm" }, t("forgot.start"));
  yes.addEventListener("click", async () => {
    error.textContent = "";
    try {
      const aside = await api.setVaultAside();
      d.close();
      onAside(aside);
    } catch (e) {
      error.textContent = errorText(e);
    }
  });
  const d = dialog(t("forgot.title"), h("div", {},
    h("p", {}, t("forgot.cannot")),
    h("p", {}, t("forgot.way")),
    h("p", { class: "hint" }, t("forgot.kept")),
    error,
    h("div", { class: "actions" },
      h("button", { type: "button", "data-testid": "forgot-cancel", onclick: () => d.close() }, t("common.cancel")),
      yes)));
}

/** Asks for the vault password again (reveal); resolves to it or null. */
export function askPassword(title: string, prompt: string): Promise<string | null> {
  return new Promise((resolve) => {
    const pw = h("input", { type: "password", autocomplete: "current-password", required: true, "data-testid": "confirm-password" });
    let result: string | null = null;
    const form = h(
      "form",
      { method: "dialog" },
      h("p", {}, prompt),
      field(t("common.password"), passwordField(pw)),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", onclick: () => d.close() }, t("common.cancel")),
        h("button", { type: "submit", class: "primary", "data-testid": "confirm-submit" }, t("reveal.submit")),
      ),
    );
    form.addEventListener("submit", () => {
      result = pw.value;
    });
    const d = dialog(title, form, { onClose: () => resolve(result) });
    pw.focus();
  });
}
