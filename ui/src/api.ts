// Typed wrappers over the app's commands. Nothing here ever receives a
// secret except `revealSecret`.
import { invoke } from "@tauri-apps/api/core";
import type { Lang } from "./i18n";

export type OtpType = "totp" | "hotp" | "steam";

export interface CmdError {
  kind: string;
  message: string;
  params: Record<string, string>;
}

export interface Settings {
  language: "system" | Lang;
  theme: "system" | "light" | "dark";
  autolock_minutes: number;
  clipboard_clear_seconds: number;
  start_minimized: boolean;
  global_shortcut: string;
  scan_shortcut: string;
  backup_folder: string;
  keep_backups: number;
  clock_check_minutes: number;
  network_time: boolean;
  time_servers: string;
  hide_from_capture: boolean;
  check_updates: boolean;
}

/** The last update check (Rust's update.rs); `current` is this app's version. */
export type UpdateStatus = { current: string } & (
  | { state: "unchecked" }
  | { state: "checking" }
  | { state: "up_to_date"; checked_ms: number; older: string | null }
  | { state: "available"; version: string; date: string | null; notes: string; installable: boolean }
  | { state: "installing"; version: string }
  | { state: "failed"; error: CmdError; checked_ms: number }
);

/** The last clock check, or why there is none. */
export interface ClockStatus {
  offset_seconds: number | null;
  server: string | null;
  checked_at_ms: number | null;
  answers: { server: string; offset_seconds: number; round_trip_ms: number }[];
  error: string | null;
  network_time: boolean;
  warn_seconds: number;
  os: "linux" | "windows" | "macos";
}

/** The first screen's data in one reply; `list` when the vault is unlocked. */
export interface Boot {
  vault_exists: boolean;
  unlocked: boolean;
  vault_path: string;
  settings: Settings;
  language: Lang;
  list: { entries: EntryView[]; codes: Codes } | null;
}

export interface EntryView {
  id: string;
  issuer: string;
  account: string;
  type: OtpType;
  algorithm: string;
  digits: number;
  period: number;
  counter: number;
  icon: string | null;
}

/** One piece of zxcvbn's feedback: `key` for the locale, `text` zxcvbn's English. */
export interface Hint {
  key: string;
  text: string;
}

/** How hard a password being chosen is to guess (estimated in Rust). */
export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  guesses_log10: number;
  warning: Hint | null;
  suggestions: Hint[];
  /** Backup and household passwords below this are refused. */
  min_file_score: number;
  /** A vault password below this needs explicit confirmation. */
  min_vault_score: number;
}

export interface CodeView {
  id: string;
  code: string;
  next: string | null;
  valid_from: number | null;
  valid_until: number | null;
  counter: number | null;
}

export interface Codes {
  now_ms: number;
  codes: CodeView[];
}

export interface PreviewEntry {
  issuer: string;
  account: string;
  type: OtpType;
  algorithm: string;
  digits: number;
  period: number;
  counter: number;
  already_present: boolean;
}

export interface Skipped {
  name: string;
  /** The broad reason, worded by the locale (`import.why.*`). */
  kind: "unsupported" | "bad_secret" | "locked" | "damaged";
  /** The detail, in English. */
  reason: string;
}

export interface Preview {
  entries: PreviewEntry[];
  skipped: Skipped[];
  batch: [number, number] | null;
}

export interface RestoreReport {
  added: string[];
  updated: string[];
  unchanged: string[];
  kept_twice: string[];
}

/** The household folder's last round. */
export interface SyncView {
  at_ms: number;
  merged: string[];
  other_household: string[];
  unreadable: string[];
  cleaned: string[];
  added: string[];
  updated: string[];
  removed: string[];
  kept_twice: string[];
  /** Who backs up into the folder, newest first. */
  devices: HouseholdDevice[];
  /** What went wrong beside the backup itself (its history). */
  warnings: string[];
  error: CmdError | null;
}

/** What removing a household password did: the key changed. */
export interface Revoked {
  other_passwords_dropped: number;
  history_dropped: number;
}

/** A device of the household, as its backup in the folder says. */
export interface HouseholdDevice {
  name: string;
  last_backup_ms: number;
  accounts: number;
  this_device: boolean;
  /** No backup for over 30 days. */
  stale: boolean;
}

export interface BackupStatus {
  folder: string;
  joined: boolean;
  passwords: number;
  last_backup_ms: number | null;
  current: boolean;
  /** This device's name in the household. */
  device_name: string;
  reminder: "none" | "stale" | null;
  last_sync: SyncView | null;
}

export interface RestorePreview {
  name: string;
  device: string;
  created_ms: number;
  accounts: number;
  report: RestoreReport;
}

/** An account the transfer format cannot carry. */
export interface LeftOut {
  name: string;
  kind: "period" | "digits" | "steam" | "counter";
  value: number | null;
  reason: string;
}

export interface ScanReport {
  preview: Preview;
  /** The parts of a multi-QR Google Authenticator export scanned so far (1-based). */
  parts: { scanned: number[]; size: number } | null;
  other: string[];
  codes: number;
}

export interface FormatView {
  id: string;
  app: string;
  encrypted: boolean;
}

/** A file staged for importing: what it looks like, and every format to choose from. */
export interface ImportFile {
  name: string;
  detected: FormatView[];
  formats: FormatView[];
}

export interface ImportPreview {
  name: string;
  format: string;
  app: string;
  will_add: string[];
  already_present: string[];
  skipped: Skipped[];
}

export interface ExportDone {
  path: string;
  accounts: number;
}

export interface AddReport {
  added: string[];
  already_present: string[];
  skipped: Skipped[];
}

export interface ManualInput {
  issuer: string;
  account: string;
  secret: string;
  type: OtpType;
  algorithm: string;
  digits: number;
  period: number;
  counter: number;
}

export interface Reveal {
  secret: string;
  uri: string;
  qr_svg: string;
}

export interface SettingsReply {
  settings: Settings;
  language: Lang;
  shortcut_error: string | null;
}

export function isCmdError(e: unknown): e is CmdError {
  return typeof e === "object" && e !== null && "kind" in e && "message" in e;
}

export const api = {
  boot: () => invoke<Boot>("boot"),
  createVault: (password: string, remember: boolean) => invoke<void>("create_vault", { password, remember }),
  unlock: (password: string, remember: boolean) => invoke<void>("unlock", { password, remember }),
  isRemembered: () => invoke<boolean>("is_remembered"),
  setRemember: (remember: boolean) => invoke<void>("set_remember", { remember }),
  lock: () => invoke<void>("lock"),
  touch: () => invoke<void>("touch"),
  listEntries: () => invoke<EntryView[]>("list_entries"),
  getCodes: () => invoke<Codes>("get_codes"),
  nextHotp: (id: string) => invoke<CodeView>("next_hotp", { id }),
  previewUri: (text: string) => invoke<Preview>("preview_uri", { text }),
  addUri: (text: string) => invoke<AddReport>("add_uri", { text }),
  previewManual: (input: ManualInput) => invoke<PreviewEntry>("preview_manual", { input }),
  addManual: (input: ManualInput) => invoke<AddReport>("add_manual", { input }),
  updateEntry: (id: string, edit: { issuer?: string; account?: string; icon?: string }) =>
    invoke<EntryView>("update_entry", { id, edit }),
  deleteEntry: (id: string) => invoke<void>("delete_entry", { id }),
  undoDelete: () => invoke<string | null>("undo_delete"),
  reorderEntries: (ids: string[]) => invoke<void>("reorder_entries", { ids }),
  sortEntries: () => invoke<EntryView[]>("sort_entries"),
  revealSecret: (id: string, password: string) => invoke<Reveal>("reveal_secret", { id, password }),
  copyCode: (id: string) => invoke<void>("copy_code", { id }),
  getSettings: () => invoke<Settings>("get_settings"),
  setSettings: (settings: Settings) => invoke<SettingsReply>("set_settings", { settings }),
  scanImage: async (file: Blob, name: string) =>
    invoke<ScanReport>("scan_image", new Uint8Array(await file.arrayBuffer()), {
      headers: { "x-name": encodeURIComponent(name) },
    }),
  /** Secrets as QR codes: only after the password is typed again. */
  exportMigration: (ids: string[], password: string) =>
    invoke<{ codes: string[]; left_out: LeftOut[] }>("export_migration", { ids, password }),
  /** The password only the first time: it joins or starts the household. */
  backupNow: (password?: string) =>
    invoke<{ path: string; accounts: number; sync: SyncView }>("backup_now", { password: password ?? null }),
  backupStatus: () => invoke<BackupStatus>("backup_status"),
  setDeviceName: (name: string) => invoke<string>("set_device_name", { name }),
  /** The strength meters: zxcvbn, in Rust, for a password being chosen. */
  passwordStrength: (password: string) => invoke<Strength>("password_strength", { password }),
  addBackupPassword: (password: string) => invoke<void>("add_backup_password", { password }),
  removeBackupPassword: (password: string, keep: string) =>
    invoke<Revoked>("remove_backup_password", { password, keep }),
  /** The system's folder dialog; the saved settings, or null when cancelled. */
  chooseBackupFolder: (title: string) => invoke<Settings | null>("choose_backup_folder", { title }),
  stageBackup: async (file: Blob, name: string) =>
    invoke<void>("stage_backup", new Uint8Array(await file.arrayBuffer()), { headers: { "x-name": encodeURIComponent(name) } }),
  /** The system's open dialog; the file's name, or null when cancelled. */
  pickBackup: (title: string, filter: string) => invoke<string | null>("pick_backup", { title, filter }),
  previewRestore: (password: string) => invoke<RestorePreview>("preview_restore", { password }),
  applyRestore: () => invoke<RestoreReport>("apply_restore"),
  scanScreen: () => invoke<ScanReport>("scan_screen"),
  /** The system's open dialog; null when cancelled. */
  scanImageFile: (title: string, filter: string) => invoke<ScanReport | null>("scan_image_file", { title, filter }),
  addScanned: () => invoke<AddReport>("add_scanned"),
  /** The system's open dialog; null when cancelled. */
  pickImport: (title: string) => invoke<ImportFile | null>("pick_import", { title }),
  stageImport: async (file: Blob, name: string) =>
    invoke<ImportFile>("stage_import", new Uint8Array(await file.arrayBuffer()), { headers: { "x-name": encodeURIComponent(name) } }),
  previewImport: (format: string | null, password: string | null) => invoke<ImportPreview>("preview_import", { format, password }),
  applyImport: () => invoke<AddReport>("apply_import"),
  /** Checks the password, then the system's save dialog; null when cancelled. */
  exportAccounts: (format: "otpauth" | "aegis", password: string, title: string) =>
    invoke<ExportDone | null>("export_accounts", { format, password, title }),
  clockStatus: () => invoke<ClockStatus>("clock_status"),
  checkClock: () => invoke<ClockStatus>("check_clock"),
  uiReady: (screen: string) => invoke<void>("ui_ready", { screen }),
  /** An otpauth:// link the app was opened with, once; null when none waits (or locked). */
  takeLink: () => invoke<string | null>("take_link"),
  updateStatus: () => invoke<UpdateStatus>("update_status"),
  /** Checks now, whatever the daily schedule says. */
  checkUpdate: () => invoke<UpdateStatus>("check_update"),
  /** Downloads, verifies and installs, then the app restarts; returns only on failure. */
  installUpdate: () => invoke<void>("install_update"),
};
