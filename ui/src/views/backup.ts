// Backup & restore. Loaded on demand.
import { api, type BackupStatus, type RestorePreview, type Settings } from "../api";
import { dialog, h, tabs, toast } from "../dom";
import { formatDateTime, t } from "../i18n";
import { errorText } from "../logic";
import { passwordField } from "./password";
import { householdPasswords } from "./slots";
import { strengthMeter } from "./strength";


/** The Backup & restore screen; with `file` (dropped on the window) it starts restoring it. */
export function showBackup(
  settings: Settings,
  onRestored: () => void,
  onSettings: (s: Settings) => void,
  file?: File,
  start?: "restore" | "join",
): void {
  // --- back up -------------------------------------------------------------
  const folder = h("code", { class: "path", "data-testid": "backup-folder" }, settings.backup_folder || t("backup.noFolder"));
  const choose = h("button", { type: "button", "data-testid": "backup-choose" }, t("backup.chooseFolder"));
  const pw = h("input", { type: "password", autocomplete: "new-password", "data-testid": "backup-password" });
  const pw2 = h("input", { type: "password", autocomplete: "new-password", "data-testid": "backup-password2" });
  const owner = h("input", { type: "text", autocomplete: "off", maxlength: "64", "data-testid": "backup-owner" });
  const backupError = h("p", { class: "error", role: "alert", "data-testid": "backup-error" });
  const state = h("div", { class: "backup-state", "aria-live": "polite", "data-testid": "backup-state" });
  const deviceName = h("input", { type: "text", autocomplete: "off", maxlength: "64", "data-testid": "device-name" });
  const renameDevice = h("button", { type: "button", "data-testid": "device-rename" }, t("backup.rename"));
  // On the Household tab, which shows once this device has joined.
  const naming = h(
    "div",
    { class: "field" },
    h("label", {}, h("span", {}, t("backup.deviceName")), deviceName),
    h("span", { class: "hint" }, t("backup.deviceNameHint")),
    h("div", { class: "actions" }, renameDevice),
  );
  const rejoinPw = h("input", { type: "password", autocomplete: "off", "data-testid": "rejoin-password" });
  const rejoin = h(
    "label",
    { class: "field", hidden: true },
    h("span", {}, t("backup.rejoin")), passwordField(rejoinPw), h("span", { class: "hint" }, t("backup.rejoinHint")),
  );
  // Rust refuses a weak password that would start a household; one that
  // joins an existing household is accepted as it is.
  const pwMeter = strengthMeter(pw, "backup-strength", { floor: (level) => t("strength.fileFloorNew", { level }) });
  const firstTime = h(
    "div",
    { class: "first-time" },
    h("label", { class: "field" }, h("span", {}, t("backup.password")), passwordField(pw), pwMeter.element, h("span", { class: "hint" }, t("backup.passwordHint"))),
    h("label", { class: "field" }, h("span", {}, t("backup.passwordAgain")), passwordField(pw2)),
    h("label", { class: "field" }, h("span", {}, t("backup.owner")), owner, h("span", { class: "hint" }, t("backup.ownerHint"))),
  );
  const backupForm = h(
    "form",
    { class: "backup" },
    h("p", { class: "hint" }, t("backup.folderHint")),
    h("div", { class: "field" }, h("span", {}, t("backup.folder")), folder, choose),
    state,
    firstTime,
    rejoin,
    backupError,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", "data-testid": "backup-now" }, t("backup.now"))),
  );

  // Household passwords: who can open the backups.
  const passwords = householdPasswords(() => refresh());
  const slots = h(
    "section",
    { class: "household", hidden: true },
    // How the household's other devices list this one: household business.
    naming,
    passwords.element,
  );
  const deviceError = h("p", { class: "error", role: "alert", "data-testid": "device-error" });
  naming.append(deviceError);

  let joined = false;
  const showStatus = (st: BackupStatus) => {
    joined = st.joined;
    firstTime.hidden = joined;
    if (document.activeElement !== deviceName) deviceName.value = st.device_name;
    rejoin.hidden = !joined || !(st.last_sync?.other_household.length);
    // Household passwords exist once this device has joined.
    tabbed.tab("household").hidden = !joined;
    if (!joined && tabbed.current() === "household") select("backup");
    passwords.show(st.passwords);
    const lines: HTMLElement[] = [];
    if (joined) {
      lines.push(h("p", { class: "ok" }, t("backup.automatic", { keep: settings.keep_backups })));
      lines.push(h("p", { "data-testid": "backup-last" }, st.last_backup_ms
        ? t("backup.last", { when: formatDateTime(st.last_backup_ms) }) + (st.current ? "" : " " + t("backup.behind"))
        : t("backup.never")));
      const s = st.last_sync;
      if (s?.error) lines.push(h("p", { class: "error" }, errorText(s.error)));
      if (s && s.devices.length) {
        lines.push(h("section", { class: "devices", "data-testid": "backup-devices" },
          h("h3", {}, t("backup.devices")),
          h("ul", {}, ...s.devices.map((d) => h("li", { class: d.stale ? "warning" : "", "data-testid": "backup-device" },
            h("strong", {}, d.name),
            d.this_device ? " " + t("backup.thisDevice") : "",
            " — " + t("backup.deviceLine", { when: formatDateTime(d.last_backup_ms), count: d.accounts }),
            d.stale ? " " + t("backup.deviceStale") : "")))));
      }
      for (const w of s?.warnings ?? []) lines.push(h("p", { class: "warning" }, t("backup.warning", { text: w })));
      if (s && s.other_household.length) lines.push(h("p", { class: "warning" }, t("backup.otherHousehold", { files: s.other_household.join(", ") })));
      for (const u of s?.unreadable ?? []) lines.push(h("p", { class: "warning" }, t("backup.unreadable", { file: u })));
    } else if (settings.backup_folder) {
      lines.push(h("p", { class: "hint" }, t("backup.firstTime")));
    }
    state.replaceChildren(...lines);
  };
  const refresh = () => void api.backupStatus().then(showStatus, () => undefined);
  refresh();
  const onStatus = (ev: Event) => showStatus((ev as CustomEvent<BackupStatus>).detail);
  document.addEventListener("authdesk:backup-status", onStatus);

  choose.addEventListener("click", async () => {
    try {
      const s = await api.chooseBackupFolder(t("backup.chooseFolder"));
      if (s) {
        settings = s;
        folder.textContent = s.backup_folder;
        onSettings(s);
        refresh();
      }
    } catch (e) {
      backupError.textContent = errorText(e);
    }
  });
  backupForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    backupError.textContent = "";
    if (!joined) {
      if (!pw.value) return void (backupError.textContent = t("errors.empty_password"));
      if (pw.value !== pw2.value) return void (backupError.textContent = t("setup.mismatch"));
    }
    try {
      const done = await api.backupNow(joined ? (rejoinPw.value || undefined) : pw.value, joined ? undefined : owner.value);
      rejoinPw.value = "";
      pw.value = pw2.value = "";
      pwMeter.clear();
      toast(t("backup.done", { count: done.accounts, path: done.path }));
      if (done.sync.added.length + done.sync.updated.length + done.sync.removed.length > 0) onRestored();
      refresh();
    } catch (e) {
      backupError.textContent = errorText(e);
    }
  });
  renameDevice.addEventListener("click", async () => {
    deviceError.textContent = "";
    try {
      deviceName.value = await api.setDeviceName(deviceName.value);
      toast(t("backup.renamed", { name: deviceName.value }));
      refresh();
    } catch (e) {
      deviceError.textContent = errorText(e);
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
    h("p", { class: "hint" }, t("restore.hint")),
    h("div", { class: "field" }, chosen, open),
    h("label", { class: "field" }, h("span", {}, t("restore.password")), passwordField(rpw)),
    preview,
    h("div", { class: "actions" }, check, apply),
  );
  const staged = (name: string) => {
    select("restore");
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
      h("p", {}, t("restore.about", { count: p.accounts, device: p.device, when: formatDateTime(p.created_ms) })),
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

  // Three jobs, three tabs: backing up, the household (this device's name,
  // its passwords), and restoring. One long dialog hid Restore below the fold.
  const tabbed = tabs({
    backup: { label: t("backup.create"), testid: "backup-tab-backup", panel: backupForm },
    household: { label: t("backup.tabHousehold"), testid: "backup-tab-household", panel: slots },
    restore: { label: t("restore.title"), testid: "backup-tab-restore", panel: restoreForm },
  });
  const select = tabbed.select;
  tabbed.tab("household").hidden = true;

  const d = dialog(
    t("backup.title"),
    h("div", { class: "backup-screen" },
      tabbed.list,
      backupForm, slots, restoreForm,
      h("div", { class: "actions" }, h("button", { type: "button", onclick: () => d.close() }, t("common.close")))),
    {
      onClose: () => {
        pw.value = pw2.value = rpw.value = "";
        passwords.clear();
        document.removeEventListener("authdesk:backup-status", onStatus);
      },
    },
  );
  if (file) {
    void api.stageBackup(file, file.name).then(() => staged(file.name), (e) => preview.replaceChildren(h("p", { class: "error" }, errorText(e))));
  } else if (start === "restore") {
    // From the first start: straight to choosing the backup.
    select("restore");
    open.focus();
  } else if (start === "join") {
    // The household's folder first; its password then opens its backups.
    (settings.backup_folder ? pw : choose).focus();
  }
}
