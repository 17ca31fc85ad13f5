// Authdesk's web view: boots into setup, unlock or the list, and keeps
// no name or code once the vault locks.
import "./styles.css";
import { listen } from "@tauri-apps/api/event";
import { api, type BackupStatus, type ClockStatus, type EntryView, type Settings, type UpdateStatus } from "./api";
import { setLanguage, t, type Lang } from "./i18n";
import { showSetup, showUnlock } from "./views/auth";
import { zoomStep } from "./zoom";
import { runToastAction, toast } from "./dom";
import { errorText } from "./logic";
import { clearList, focusSearch, showAdded, setWindowVisible, showClock, showList, showReminder, showUpdateBanner, typeToSearch } from "./views/list";
import { knowOrder } from "./views/order";

let settings: Settings | null = null;
let vaultPath = "";
let unlocked = false;

const systemDark = window.matchMedia("(prefers-color-scheme: dark)");

function applyTheme(): void {
  const theme = settings?.theme ?? "system";
  document.documentElement.dataset.theme = theme === "system" ? (systemDark.matches ? "dark" : "light") : theme;
}
systemDark.addEventListener("change", applyTheme);

let zooming = Promise.resolve();

/** Zooms the page a step (Rust zooms the web view and keeps the setting). */
async function zoom(dir: -1 | 0 | 1): Promise<void> {
  if (!settings) return;
  const percent = zoomStep(settings.zoom_percent, dir);
  if (percent === settings.zoom_percent) return;
  try {
    const reply = await api.setSettings({ ...settings, zoom_percent: percent });
    settings = reply.settings;
    toast(t("a11y.textSize", { percent }), undefined, "zoom");
    // An open Settings dialog shows the new size, so that saving it later
    // keeps the zoom rather than going back to the size it opened with.
    document.dispatchEvent(new CustomEvent("authdesk:zoom", { detail: percent }));
  } catch (e) {
    toast(errorText(e));
  }
}

function isTextField(target: EventTarget | null): boolean {
  return target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && target.type !== "checkbox");
}

function applySettings(s: Settings, lang: Lang): void {
  settings = s;
  knowOrder(s.sort_order);
  setLanguage(lang);
  applyTheme();
  document.title = t("app.name");
}

const actions = {
  // Buttons pass their click event: only a real File is an image to scan.
  add: (image?: unknown) =>
    void import("./views/add").then((m) =>
      m.showAdd(openAdded, image instanceof File || image === "screen" ? image : undefined),
    ),
  /** An otpauth:// link opened from a browser or mail: the Add preview, nothing added yet. */
  addLink: (link: string) => void import("./views/add").then((m) => m.showAdd(openAdded, { link })),
  edit: (e: EntryView) => void import("./views/edit").then((m) => m.showEdit(e, openList)),
  settings: () =>
    void Promise.all([import("./views/settings"), api.isRemembered().catch(() => false)]).then(([m, remembered]) =>
      settings &&
      m.showSettings(settings, vaultPath, remembered, (s, lang) => {
        const relabel = lang !== document.documentElement.lang;
        applySettings(s, lang);
        if (relabel) void openList();
        refreshClock();
      }, () => actions.backup(), () => actions.import()),
    ),
  lock: () => void api.lock(),
  import: (file?: File) =>
    void import("./views/importer").then((m) => m.showImport(() => void openList(), file)),
  backup: (file?: File, start?: "restore" | "join") =>
    void import("./views/backup").then((m) =>
      settings &&
      m.showBackup(settings, () => void openList(), (s) => {
        settings = s;
      }, file, start),
    ),
};

// "Use network time" on the clock banner: the setting, saved.
async function useNetworkTime(): Promise<void> {
  if (!settings) return;
  const reply = await api.setSettings({ ...settings, network_time: true });
  settings = reply.settings;
  refreshClock();
}
function refreshClock(): void {
  void api.clockStatus().then((st) => showClock(st, () => void useNetworkTime()), () => undefined);
}

/** The list again, with the accounts just added shown and focused. */
async function openAdded(ids: string[], existing = false): Promise<void> {
  await openList();
  showAdded(ids, existing);
}

// Passed as a callback to views: takes no arguments on purpose.
async function openList(): Promise<void> {
  unlocked = true;
  await showList(actions);
  refreshReminder();
  await openLink();
  openPicker();
}

/** The auto-type shortcut waits for a choice (after unlocking, too). */
function openPicker(): void {
  if (unlocked) void import("./views/picker").then((m) => m.openPicker());
}

// Rust announces the backup state when it changes; a page that was
// reloaded (or a list shown again) asks once.
function refreshReminder(): void {
  void api.backupStatus().then((st) => unlocked && showReminder(st), () => undefined);
}

/** A link waits in Rust until the vault is unlocked; then its Add preview opens. */
async function openLink(): Promise<void> {
  if (!unlocked) return;
  const link = await api.takeLink().catch(() => null);
  if (!link) return;
  for (const d of document.querySelectorAll("dialog")) d.close();
  actions.addLink(link);
}

function locked(notice?: string): void {
  unlocked = false;
  clearList();
  for (const d of document.querySelectorAll("dialog")) d.close();
  document.getElementById("toasts")?.replaceChildren();
  showUnlock(() => void openList(), notice, (aside) => setup({ intent: "restore", notice: t("forgot.done", { path: aside }) }));
}

/** A new vault, then the screen that brings the user's accounts into it. */
function setup(start: Parameters<typeof showSetup>[1] = {}): void {
  showSetup((then) => void openList().then(() => {
    // The new user's accounts are elsewhere: the screen that brings them.
    if (then === "import") actions.import();
    else if (then) actions.backup(undefined, then);
  }), start);
}

/** Reports the first painted screen once (startup benchmark). */
let reported = false;
function painted(screen: string): void {
  if (reported) return;
  reported = true;
  requestAnimationFrame(() => requestAnimationFrame(() => void api.uiReady(screen).catch(() => undefined)));
}

async function boot(): Promise<void> {
  // Both requests in flight at once: every round trip delays the first paint.
  const listening = Promise.all([
    listen<string>("locked", (ev) => locked(ev.payload === "idle" ? t("list.locked.idle") : undefined)),
    // Hidden to the tray: the list stops its per-second work.
    listen<boolean>("window-visible", (ev) => setWindowVisible(ev.payload)),
    // The household folder brought accounts (or deletions) from another device.
    listen("vault-changed", () => {
      if (unlocked && !document.querySelector("dialog[open]")) void openList();
    }),
    listen<BackupStatus>("backup-status", (ev) => {
      if (unlocked) showReminder(ev.payload);
      document.dispatchEvent(new CustomEvent("authdesk:backup-status", { detail: ev.payload }));
    }),
    listen<ClockStatus>("clock-status", (ev) => showClock(ev.payload, () => void useNetworkTime())),
    // The daily update check (or "Check now") found a new version, or none.
    listen<UpdateStatus>("update-status", (ev) => {
      showUpdateBanner(ev.payload);
      document.dispatchEvent(new CustomEvent("authdesk:update-status", { detail: ev.payload }));
    }),
    // An otpauth:// link, handed over by a second start of the app.
    listen("open-link", () => void openLink()),
    // The auto-type shortcut found no account for the window in front.
    listen("autotype-pick", () => openPicker()),
    // The scan shortcut, pressed anywhere.
    listen("scan-screen", () => {
      if (!unlocked) return;
      for (const d of document.querySelectorAll("dialog")) d.close();
      actions.add("screen");
    }),
  ]);
  const b = await api.boot();
  vaultPath = b.vault_path;
  applySettings(b.settings, b.language);
  if (!b.vault_exists) {
    setup();
    painted("setup");
  } else if (b.list) {
    unlocked = true;
    await showList(actions, b.list);
    painted("codes");
    refreshReminder();
    void openLink();
  } else {
    locked();
    painted("unlock");
  }
  await listening;
  refreshClock();
  void api.updateStatus().then(showUpdateBanner, () => undefined);
}

// Activity postpones the automatic lock; at most one report per 10 s.
let lastTouch = 0;
function activity(): void {
  const now = Date.now();
  if (unlocked && now - lastTouch > 10_000) {
    lastTouch = now;
    void api.touch().catch(() => undefined);
  }
}
window.addEventListener("pointerdown", activity, { capture: true });
window.addEventListener("keydown", (ev) => {
  activity();
  const mod = ev.ctrlKey || ev.metaKey;
  if (mod && ev.key.toLowerCase() === "l" && unlocked) {
    ev.preventDefault();
    actions.lock();
  } else if (mod && ev.key.toLowerCase() === "f" && unlocked) {
    ev.preventDefault();
    focusSearch();
  } else if (mod && !ev.shiftKey && ev.key.toLowerCase() === "z" && !isTextField(ev.target)) {
    // The Undo of the latest toast, for whoever cannot reach it in time.
    if (runToastAction()) ev.preventDefault();
  } else if (mod && settings && (ev.key === "+" || ev.key === "=" || ev.key === "-" || ev.key === "0")) {
    ev.preventDefault();
    const dir = ev.key === "0" ? 0 : ev.key === "-" ? -1 : 1;
    // One step after the other: a held key must not step from a stale size.
    zooming = zooming.then(() => zoom(dir));
  }
}, { capture: true });
window.addEventListener("keydown", (ev) => {
  if (unlocked) typeToSearch(ev);
});

// An image dropped on the window or pasted opens "Add account" with it.
function imageFrom(items: DataTransferItemList | undefined): File | undefined {
  for (const item of items ?? []) {
    if (item.kind === "file" && item.type.startsWith("image/")) return item.getAsFile() ?? undefined;
  }
  return undefined;
}
function openWithImage(file: File | undefined, ev: Event): void {
  if (!file || !unlocked) return;
  ev.preventDefault();
  for (const d of document.querySelectorAll("dialog")) d.close();
  actions.add(file);
}

// A dropped .authdesk-backup opens "Restore" with it.
function backupFrom(items: DataTransferItemList | undefined): File | undefined {
  for (const item of items ?? []) {
    const f = item.kind === "file" ? item.getAsFile() : null;
    if (f?.name.toLowerCase().endsWith(".authdesk-backup")) return f;
  }
  return undefined;
}
window.addEventListener("dragover", (ev) => {
  if (ev.dataTransfer?.types.includes("Files")) ev.preventDefault();
});
// Any other file dropped: another app's export, for the Import screen.
function otherFile(items: DataTransferItemList | undefined): File | undefined {
  for (const item of items ?? []) {
    if (item.kind === "file" && !item.type.startsWith("image/")) return item.getAsFile() ?? undefined;
  }
  return undefined;
}
window.addEventListener("drop", (ev) => {
  const backup = backupFrom(ev.dataTransfer?.items);
  const other = otherFile(ev.dataTransfer?.items);
  if (backup && unlocked) {
    ev.preventDefault();
    for (const d of document.querySelectorAll("dialog")) d.close();
    actions.backup(backup);
  } else if (other && unlocked) {
    ev.preventDefault();
    for (const d of document.querySelectorAll("dialog")) d.close();
    actions.import(other);
  } else {
    openWithImage(imageFrom(ev.dataTransfer?.items), ev);
  }
});
window.addEventListener("paste", (ev) => openWithImage(imageFrom(ev.clipboardData?.items), ev));

void boot();
