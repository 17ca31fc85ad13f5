// Settings. Loaded on demand.
import { api, type ClockStatus, type Settings } from "../api";
import { dialog, h, toast } from "../dom";
import { formatDateTime, t, type Lang } from "../i18n";
import { errorText } from "../logic";
import { amount } from "./list";
import { keyRecorder } from "./keys";
import { shortcutHelpPanel } from "./shortcuthelp";
import { updateSettings } from "./update";
import { ZOOM_STEPS } from "../zoom";

export function showSettings(
  current: Settings,
  vaultPath: string,
  remembered: boolean,
  onSaved: (s: Settings, lang: Lang) => void,
  openBackup: () => void,
  openImport: () => void,
): void {
  const select = <T extends string>(value: T, options: [T, string][], testid: string) =>
    h("select", { "data-testid": testid }, ...options.map(([v, label]) => h("option", { value: v, selected: v === value }, label)));
  const language = select(current.language, [["system", t("settings.language.system")], ["en", "English"], ["nl", "Nederlands"], ["de", "Deutsch"], ["fr", "Français"]], "settings-language");
  const theme = select(current.theme, [["system", t("settings.theme.system")], ["light", t("settings.theme.light")], ["dark", t("settings.theme.dark")]], "settings-theme");
  const zoom = select(String(current.zoom_percent), ZOOM_STEPS.map((z) => [String(z), `${z}%`] as [string, string]), "settings-zoom");
  // Choices rather than a number with "0 = never"; a value set by hand in
  // settings.json stays selectable.
  const choices = (now: number, options: number[], label: (n: number) => string) =>
    [...new Set([...options, now])].sort((x, y) => (x === 0 ? Infinity : x) - (y === 0 ? Infinity : y))
      .map((n) => [String(n), n === 0 ? t("settings.never") : label(n)] as [string, string]);
  const autolock = select(String(current.autolock_minutes),
    choices(current.autolock_minutes, [1, 2, 5, 10, 15, 30, 60, 0], (count) => t("settings.afterMinutes", { count })), "settings-autolock");
  const clipboard = select(String(current.clipboard_clear_seconds),
    choices(current.clipboard_clear_seconds, [10, 20, 30, 60, 120, 0], (count) => t("settings.afterSeconds", { count })), "settings-clipboard");
  const minimized = h("input", { type: "checkbox", checked: current.start_minimized });
  const trayCodes = h("input", { type: "checkbox", checked: current.tray_codes, "data-testid": "settings-tray-codes" });
  const withComputer = h("input", { type: "checkbox", checked: current.start_with_computer, "data-testid": "settings-autostart" });
  // WebKitGTK's user agent names Linux; Tauri protects windows only on
  // Windows and macOS.
  const linux = /Linux/.test(navigator.userAgent);
  const hideFromCapture = h("input", { type: "checkbox", checked: current.hide_from_capture && !linux, disabled: linux, "data-testid": "settings-hide-capture" });
  const shortcut = keyRecorder(current.global_shortcut, "settings-shortcut");
  const scanShortcut = keyRecorder(current.scan_shortcut, "settings-scan-shortcut");
  const autotypeShortcut = keyRecorder(current.autotype_shortcut, "settings-autotype-shortcut");
  const recordHint = h("span", { class: "hint" }, t("settings.shortcutRecord"));
  // On Wayland the recorded keys only suggest what to bind in the panel below.
  const shortcutHelp = shortcutHelpPanel(() => {
    recordHint.textContent = t("settings.shortcutRecordWayland");
  });
  const remember = h("input", { type: "checkbox", checked: remembered, "data-testid": "settings-remember" });
  const clockEvery = h("input", { type: "number", min: 0, max: 1440, value: current.clock_check_minutes, "data-testid": "settings-clock-minutes" });
  const networkTime = h("input", { type: "checkbox", checked: current.network_time, "data-testid": "settings-network-time" });
  const servers = h("input", { type: "text", value: current.time_servers, spellcheck: "false", placeholder: t("settings.clock.serversDefault"), "data-testid": "settings-time-servers" });
  const clockState = h("p", { class: "clock-state", "aria-live": "polite", "data-testid": "settings-clock-state" });
  const showClockState = (st: ClockStatus) => {
    const off = st.offset_seconds;
    const lines: string[] = [];
    if (off !== null && st.checked_at_ms !== null) {
      const when = formatDateTime(st.checked_at_ms);
      const what = Math.abs(off) < 0.5 ? t("settings.clock.right") : t(off > 0 ? "settings.clock.fast" : "settings.clock.slow", { amount: amount(off) });
      lines.push(t("settings.clock.last", { what, server: st.server ?? "", when }));
    }
    if (st.error) lines.push(t("settings.clock.notChecked", { reason: errorText(st.error) }));
    if (!lines.length) lines.push(t("settings.clock.never"));
    clockState.textContent = lines.join(" ");
  };
  void api.clockStatus().then(showClockState, () => undefined);
  const checkNow = h("button", { type: "button", "data-testid": "settings-clock-check" }, t("settings.clock.check"));
  checkNow.addEventListener("click", async () => {
    checkNow.disabled = true;
    clockState.textContent = t("settings.clock.checking");
    try {
      showClockState(await api.checkClock());
    } catch (e) {
      clockState.textContent = errorText(e);
    } finally {
      checkNow.disabled = false;
    }
  });
  const updates = updateSettings(current.check_updates);
  const error = h("p", { class: "error", role: "alert" });
  remember.addEventListener("change", () => {
    api.setRemember(remember.checked).catch((e) => {
      error.textContent = errorText(e);
      remember.checked = !remember.checked;
    });
  });

  // Opening another screen from here saves first: changes made here are
  // not lost by a click on Backup or Import.
  const thenOpen = (open: () => void) => async () => {
    if (JSON.stringify(collect()) !== JSON.stringify(current) && !(await save())) return;
    d.close();
    open();
  };
  const section = (title: string, ...children: (Node | null)[]) =>
    h("section", { class: "settings-section" }, h("h3", {}, title), ...children);
  const form = h(
    "form",
    { class: "settings" },
    section(t("settings.section.look"),
      h("label", { class: "field" }, h("span", {}, t("settings.language")), language),
      h("label", { class: "field" }, h("span", {}, t("settings.theme")), theme),
      h("label", { class: "field" }, h("span", {}, t("settings.zoom")), zoom)),
    section(t("settings.section.security"),
      h("label", { class: "field" }, h("span", {}, t("settings.autolock")), autolock),
      h("label", { class: "field" }, h("span", {}, t("settings.clipboard")), clipboard),
      h("label", { class: "check" }, remember, h("span", {}, t("settings.remember"), h("span", { class: "hint block" }, t("setup.rememberHint")))),
      h("label", { class: "check" }, hideFromCapture, h("span", {}, t("settings.hideFromCapture"))),
      h("p", { class: "hint", "data-testid": "settings-hide-capture-hint" }, t(linux ? "settings.hideFromCaptureLinux" : "settings.hideFromCaptureHint"))),
    section(t("settings.section.window"),
      h("label", { class: "check" }, withComputer, h("span", {}, t("settings.autostart"), h("span", { class: "hint block" }, t("settings.autostartHint")))),
      h("label", { class: "check" }, minimized, h("span", {}, t("settings.minimized"))),
      h("label", { class: "check" }, trayCodes, h("span", {}, t("settings.trayCodes"), h("span", { class: "hint block" }, t("settings.trayCodesHint")))),
      h("label", { class: "field" }, h("span", {}, t("settings.shortcut")), shortcut.element, recordHint),
      h("label", { class: "field" }, h("span", {}, t("settings.scanShortcut")), scanShortcut.element),
      h("label", { class: "field" }, h("span", {}, t("settings.autotypeShortcut")), autotypeShortcut.element),
      shortcutHelp),
    h("fieldset", { class: "clock-settings" },
      h("legend", {}, t("settings.clock")),
      clockState,
      h("div", { class: "actions" }, checkNow),
      h("label", { class: "field" }, h("span", {}, t("settings.clock.every")), clockEvery),
      h("label", { class: "check" }, networkTime, h("span", {}, t("settings.clock.networkTime"))),
      h("label", { class: "field" }, h("span", {}, t("settings.clock.servers")), servers)),
    updates.section,
    section(t("settings.section.accounts"),
      h("div", { class: "field" }, h("span", {}, t("settings.vault")), h("code", { class: "path" }, vaultPath)),
      h("div", { class: "settings-links" },
        h("button", { type: "button", "data-testid": "settings-backup", onclick: thenOpen(openBackup) }, t("settings.backup")),
        h("button", { type: "button", "data-testid": "settings-transfer",
          onclick: thenOpen(() => void import("./transfer").then((m) => m.showTransfer())) }, t("settings.transfer")),
        h("button", { type: "button", "data-testid": "settings-import", onclick: thenOpen(openImport) }, t("settings.import")),
        h("button", { type: "button", "data-testid": "settings-export",
          onclick: thenOpen(() => void import("./importer").then((m) => m.showExport())) }, t("settings.export")))),
    error,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", onclick: () => d.close() }, t("common.cancel")),
      h("button", { type: "submit", class: "primary", "data-testid": "settings-save" }, t("common.save")),
    ),
  );
  function collect(): Settings {
    return {
      language: language.value as Settings["language"],
      theme: theme.value as Settings["theme"],
      autolock_minutes: Number(autolock.value) || 0,
      clipboard_clear_seconds: Number(clipboard.value) || 0,
      start_minimized: minimized.checked,
      tray_codes: trayCodes.checked,
      start_with_computer: withComputer.checked,
      // Chosen in the list's Order menu, not here.
      sort_order: current.sort_order,
      global_shortcut: shortcut.value(),
      scan_shortcut: scanShortcut.value(),
      autotype_shortcut: autotypeShortcut.value(),
      backup_folder: current.backup_folder,
      keep_backups: current.keep_backups,
      clock_check_minutes: Math.max(0, Math.round(Number(clockEvery.value) || 0)),
      network_time: networkTime.checked,
      time_servers: servers.value.trim(),
      hide_from_capture: linux ? current.hide_from_capture : hideFromCapture.checked,
      check_updates: updates.box.checked,
      zoom_percent: Number(zoom.value),
    };
  }
  /** Saves what the form shows; false (and the error shown) when it could not. */
  async function save(): Promise<boolean> {
    try {
      const reply = await api.setSettings(collect());
      onSaved(reply.settings, reply.language);
      toast(reply.shortcut_error ? t("settings.shortcutError", { error: reply.shortcut_error }) : t("settings.saved"));
      return true;
    } catch (e) {
      error.textContent = errorText(e);
      return false;
    }
  }
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (await save()) d.close();
  });
  const onZoom = (ev: Event) => {
    zoom.value = String((ev as CustomEvent<number>).detail);
  };
  document.addEventListener("authdesk:zoom", onZoom);
  const d = dialog(t("settings.title"), form, { onClose: () => document.removeEventListener("authdesk:zoom", onZoom) });
  language.focus();
}
