// Import from another app, and export for another app. Loaded on demand.
// Secrets never reach the page: it sends the file and gets names back.
import { api, type ImportFile, type ImportPreview } from "../api";
import { dialog, h, toast } from "../dom";
import { hasKey, t } from "../i18n";
import { errorText, skipReason } from "../logic";
import { passwordField } from "./password";

/** A format's name: apps by their own name, generic formats in the user's language. */
function appName(id: string, app: string): string {
  const key = `import.app.${id}`;
  return hasKey(key) ? t(key) : app;
}

/** The Import screen; with `file` (dropped on the window) it starts with it. */
export function showImport(onImported: () => void, file?: File): void {
  const chosen = h("p", { class: "muted", "data-testid": "import-file" }, t("import.dropHint"));
  const open = h("button", { type: "button", "data-testid": "import-open" }, t("import.open"));
  const detected = h("p", { "aria-live": "polite", "data-testid": "import-detected" });
  const format = h("select", { "data-testid": "import-format", "aria-label": t("import.format") });
  const formatField = h("label", { class: "field", hidden: true }, h("span", {}, t("import.format")), format);
  const pw = h("input", { type: "password", autocomplete: "off", "data-testid": "import-password" });
  const pwField = h("label", { class: "field", hidden: true }, h("span", {}, t("import.password")), passwordField(pw));
  const busy = h("p", { class: "busy", hidden: true, role: "status", "data-testid": "import-busy" },
    h("span", { class: "spinner", "aria-hidden": "true" }), h("span", {}, t("import.reading")));
  const preview = h("div", { class: "preview", "aria-live": "polite", "data-testid": "import-preview" });
  const check = h("button", { type: "submit", disabled: true, "data-testid": "import-check" }, t("import.check"));
  const apply = h("button", { type: "button", class: "primary", disabled: true, "data-testid": "import-apply" }, t("import.apply"));
  const form = h(
    "form",
    { class: "import", "data-testid": "import-form" },
    h("p", { class: "hint" }, t("import.hint")),
    h("div", { class: "field" }, chosen, open),
    detected,
    formatField,
    pwField,
    busy,
    preview,
    h("div", { class: "actions" }, h("button", { type: "button", onclick: () => d.close() }, t("common.close")), check, apply),
  );

  let staged: ImportFile | null = null;
  const encrypted = () => {
    const id = format.value;
    const hit = staged?.detected.find((f) => f.id === id);
    // Detected: the content says. Chosen by hand: ask when the format can be.
    return hit ? hit.encrypted : (staged?.formats.find((f) => f.id === id)?.encrypted ?? false);
  };
  const stage = (f: ImportFile) => {
    staged = f;
    chosen.textContent = f.name;
    preview.replaceChildren();
    apply.disabled = true;
    check.disabled = false;
    const first = f.detected[0];
    if (f.detected.length === 1 && first) {
      detected.textContent = t(first.encrypted ? "import.detectedEncrypted" : "import.detected", { app: appName(first.id, first.app) });
    } else if (f.detected.length > 1) {
      detected.textContent = t("import.ambiguous", { apps: f.detected.map((x) => appName(x.id, x.app)).join(", ") });
    } else {
      detected.textContent = t("import.unknown");
    }
    // Detected formats first, then every other one, for when detection is wrong.
    const ids = new Set(f.detected.map((x) => x.id));
    const options = [...f.detected, ...f.formats.filter((x) => !ids.has(x.id))];
    format.replaceChildren(...options.map((x) => h("option", { value: x.id }, appName(x.id, x.app))));
    formatField.hidden = f.detected.length === 1;
    pwField.hidden = !encrypted();
    if (!pwField.hidden) pw.focus();
    else check.focus();
  };
  format.addEventListener("change", () => {
    pwField.hidden = !encrypted();
    preview.replaceChildren();
    apply.disabled = true;
  });
  const failed = (e: unknown) => preview.replaceChildren(h("p", { class: "error", role: "alert", "data-testid": "import-error" }, errorText(e, "import")));
  open.addEventListener("click", async () => {
    try {
      const f = await api.pickImport(t("import.open"));
      if (f) stage(f);
    } catch (e) {
      failed(e);
    }
  });
  const show = (p: ImportPreview) => {
    const found = p.will_add.length + p.already_present.length;
    const lines = [
      h("p", {}, t(found === 1 ? "import.aboutOne" : "import.about", { app: appName(p.format, p.app), count: found })),
      ...p.will_add.map((n) => h("p", { class: "ok", "data-testid": "import-line" }, t("import.willAdd", { name: n }))),
      ...p.already_present.map((n) => h("p", { class: "muted", "data-testid": "import-present" }, t("import.present", { name: n }))),
      ...p.skipped.map((s) => h("p", { class: "warning", "data-testid": "import-skipped" }, t("import.skipped", { name: s.name, reason: skipReason(s) }))),
      h("p", { class: "muted", "data-testid": "import-summary" },
        t("import.summary", { added: p.will_add.length, present: p.already_present.length, skipped: p.skipped.length })),
    ];
    preview.replaceChildren(...lines);
    apply.disabled = p.will_add.length === 0;
    apply.textContent = p.will_add.length === 1 ? t("import.applyOne") : t("import.applyCount", { count: p.will_add.length });
    apply.scrollIntoView({ block: "nearest" });
  };
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!staged) return;
    busy.hidden = false;
    check.disabled = true;
    preview.replaceChildren();
    try {
      const forced = staged.detected[0]?.id === format.value ? null : format.value;
      show(await api.previewImport(forced, pwField.hidden ? null : pw.value));
    } catch (e) {
      failed(e);
      const kind = (e as { kind?: string }).kind;
      if (kind === "password_needed" || kind === "wrong_password") {
        pwField.hidden = false;
        pw.select();
        pw.focus();
      }
    } finally {
      busy.hidden = true;
      check.disabled = false;
    }
  });
  apply.addEventListener("click", async () => {
    try {
      const r = await api.applyImport();
      d.close();
      toast(t("import.done", { added: r.added.length, present: r.already_present.length, skipped: r.skipped.length }));
      onImported();
    } catch (e) {
      failed(e);
    }
  });
  const d = dialog(t("import.title"), form, { onClose: () => { pw.value = ""; } });
  // A file dropped on the screen while it is open.
  form.addEventListener("dragover", (ev) => ev.preventDefault());
  form.addEventListener("drop", (ev) => {
    const f = ev.dataTransfer?.files[0];
    if (!f) return;
    ev.preventDefault();
    ev.stopPropagation();
    stageFile(f);
  });
  const stageFile = (f: File) => void api.stageImport(f, f.name).then(stage, failed);
  if (file) stageFile(file);
}

/** The Export screen: the format, a warning, the password, then the save dialog. */
export function showExport(): void {
  const radio = (value: string, checked: boolean) =>
    h("input", { type: "radio", name: "export-format", value, checked, "data-testid": `export-${value}` });
  const aegis = radio("aegis", true);
  const otpauth = radio("otpauth", false);
  const pw = h("input", { type: "password", autocomplete: "current-password", "data-testid": "export-password" });
  const error = h("p", { class: "error", role: "alert", "data-testid": "export-error" });
  const go = h("button", { type: "submit", class: "primary", "data-testid": "export-go" }, t("export.go"));
  const form = h(
    "form",
    { class: "export" },
    h("fieldset", {},
      h("legend", {}, t("export.format")),
      h("label", { class: "check" }, aegis, h("span", {}, t("export.aegis"))),
      h("label", { class: "check" }, otpauth, h("span", {}, t("export.otpauth")))),
    h("p", { class: "warning" }, t("export.warning")),
    h("label", { class: "field" }, h("span", {}, t("export.password")), passwordField(pw)),
    error,
    h("div", { class: "actions" }, h("button", { type: "button", onclick: () => d.close() }, t("common.cancel")), go),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    if (!pw.value) return void (error.textContent = t("errors.empty_password"));
    go.disabled = true;
    try {
      const done = await api.exportAccounts(aegis.checked ? "aegis" : "otpauth", pw.value, t("export.title"));
      if (done) {
        d.close();
        toast(t("export.done", { count: done.accounts, path: done.path }));
      }
    } catch (e) {
      error.textContent = errorText(e);
      pw.select();
    } finally {
      go.disabled = false;
    }
  });
  const d = dialog(t("export.title"), form, { onClose: () => { pw.value = ""; } });
  pw.focus();
}
