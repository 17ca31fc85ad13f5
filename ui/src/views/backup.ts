// Backup & restore. Loaded on demand.
import { api, type RestorePreview, type Settings } from "../api";
import { dialog, h, toast } from "../dom";
import { t } from "../i18n";
import { errorText } from "../logic";

function when(ms: number): string {
  return new Date(ms).toLocaleString(document.documentElement.lang || undefined);
}

/** The Backup & restore screen; with `file` (dropped on the window) it starts restoring it. */
export function showBackup(settings: Settings, onRestored: () => void, onSettings: (s: Settings) => void, file?: File): void {
  // --- back up -------------------------------------------------------------
  const folder = h("code", { class: "path", "data-testid": "backup-folder" }, settings.backup_folder || t("backup.noFolder"));
  const choose = h("button", { type: "button", "data-testid": "backup-choose" }, t("backup.chooseFolder"));
  const pw = h("input", { type: "password", autocomplete: "new-password", "data-testid": "backup-password" });
  const pw2 = h("input", { type: "password", autocomplete: "new-password", "data-testid": "backup-password2" });
  const backupError = h("p", { class: "error", role: "alert", "data-testid": "backup-error" });
  const backupForm = h(
    "form",
    { class: "backup" },
    h("h3", {}, t("backup.create")),
    h("p", { class: "hint" }, t("backup.folderHint")),
    h("div", { class: "field" }, h("span", {}, t("backup.folder")), folder, choose),
    h("label", { class: "field" }, h("span", {}, t("backup.password")), pw, h("span", { class: "hint" }, t("backup.passwordHint"))),
    h("label", { class: "field" }, h("span", {}, t("backup.passwordAgain")), pw2),
    backupError,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", "data-testid": "backup-now" }, t("backup.now"))),
  );
  choose.addEventListener("click", async () => {
    try {
      const s = await api.chooseBackupFolder(t("backup.chooseFolder"));
      if (s) {
        folder.textContent = s.backup_folder;
        onSettings(s);
      }
    } catch (e) {
      backupError.textContent = errorText(e);
    }
  });
  backupForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    backupError.textContent = "";
    if (!pw.value) return void (backupError.textContent = t("errors.empty_password"));
    if (pw.value !== pw2.value) return void (backupError.textContent = t("setup.mismatch"));
    try {
      const done = await api.backupNow(pw.value);
      pw.value = pw2.value = "";
      toast(t("backup.done", { count: done.accounts, path: done.path }));
    } catch (e) {
      backupError.textContent = errorText(e);
    }
  });

  // --- restore -------------------------------------------------------------
  const chosen = h("p", { class: "muted", "data-testid": "restore-file" }, t("restore.dropHint"));
  const open = h("button", { type: "button", "data-testid": "restore-open" }, t("restore.open"));
  const rpw = h("input", { type: "password", autocomplete: "off", "data-testid": "restore-password" });
  const preview = h("div", { class: "preview", "aria-live": "polite", "data-testid": "restore-preview" });
  const apply = h("button", { type: "button", class: "primary", disabled: true, "data-testid": "restore-apply" }, t("restore.apply"));
  const check = h("button", { type: "submit", disabled: true, "data-testid": "restore-check" }, t("restore.check"));
  const restoreForm = h(
    "form",
    { class: "restore" },
    h("h3", {}, t("restore.title")),
    h("p", { class: "hint" }, t("restore.hint")),
    h("div", { class: "field" }, chosen, open),
    h("label", { class: "field" }, h("span", {}, t("restore.password")), rpw),
    preview,
    h("div", { class: "actions" }, check, apply),
  );
  const staged = (name: string) => {
    chosen.textContent = name;
    check.disabled = false;
    apply.disabled = true;
    preview.replaceChildren();
    restoreForm.scrollIntoView({ block: "start" });
    rpw.focus();
  };
  open.addEventListener("click", async () => {
    try {
      const name = await api.pickBackup(t("restore.open"), t("restore.files"));
      if (name) staged(name);
    } catch (e) {
      preview.replaceChildren(h("p", { class: "error" }, errorText(e)));
    }
  });
  const show = (p: RestorePreview) => {
    const r = p.report;
    const lines = [
      h("p", {}, t("restore.about", { count: p.accounts, device: p.device, when: when(p.created_ms) })),
      ...r.added.map((n) => h("p", { class: "ok", "data-testid": "restore-line" }, t("restore.willAdd", { name: n }))),
      ...r.updated.map((n) => h("p", { class: "ok", "data-testid": "restore-line" }, t("restore.willUpdate", { name: n }))),
      ...r.kept_twice.map((n) => h("p", { class: "warning" }, t("restore.twice", { name: n }))),
      h("p", { class: "muted", "data-testid": "restore-summary" },
        t("restore.summary", { added: r.added.length, updated: r.updated.length, unchanged: r.unchanged.length })),
    ];
    preview.replaceChildren(...lines);
    apply.disabled = r.added.length + r.updated.length === 0;
    apply.scrollIntoView({ block: "nearest" });
  };
  restoreForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      show(await api.previewRestore(rpw.value));
    } catch (e) {
      preview.replaceChildren(h("p", { class: "error", "data-testid": "restore-error" }, errorText(e)));
      rpw.select();
    }
  });
  apply.addEventListener("click", async () => {
    try {
      const r = await api.applyRestore();
      d.close();
      toast(t("restore.done", { added: r.added.length, updated: r.updated.length }));
      onRestored();
    } catch (e) {
      preview.replaceChildren(h("p", { class: "error" }, errorText(e)));
    }
  });

  const d = dialog(
    t("backup.title"),
    h("div", { class: "backup-screen" }, backupForm, restoreForm,
      h("div", { class: "actions" }, h("button", { type: "button", onclick: () => d.close() }, t("common.close")))),
    { onClose: () => { pw.value = pw2.value = rpw.value = ""; } },
  );
  if (file) {
    void api.stageBackup(file, file.name).then(() => staged(file.name), (e) => preview.replaceChildren(h("p", { class: "error" }, errorText(e))));
  }
}
