// Typed wrappers over the app's commands. Nothing here ever receives a
// secret except `revealSecret`.
import { invoke } from "@tauri-apps/api/core";
import type { AddReport } from "./bindings/AddReport";
import type { BackupDone } from "./bindings/BackupDone";
import type { BackupStatus } from "./bindings/BackupStatus";
import type { BootReply } from "./bindings/BootReply";
import type { BundledView } from "./bindings/BundledView";
import type { ClockStatus } from "./bindings/ClockStatus";
import type { CmdError } from "./bindings/CmdError";
import type { CodeView } from "./bindings/CodeView";
import type { Codes } from "./bindings/Codes";
import type { Copied } from "./bindings/Copied";
import type { Delivered } from "./bindings/Delivered";
import type { DeviceView } from "./bindings/DeviceView";
import type { EntryEdit } from "./bindings/EntryEdit";
import type { EntryView } from "./bindings/EntryView";
import type { ExportDone } from "./bindings/ExportDone";
import type { FormatView } from "./bindings/FormatView";
import type { Hint } from "./bindings/Hint";
import type { IconChoice } from "./bindings/IconChoice";
import type { ImportFile } from "./bindings/ImportFile";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { LeftOutView } from "./bindings/LeftOutView";
import type { ManualInput } from "./bindings/ManualInput";
import type { MigrationQr } from "./bindings/MigrationQr";
import type { OtpType } from "./bindings/OtpType";
import type { PickView } from "./bindings/PickView";
import type { Preview } from "./bindings/Preview";
import type { PreviewEntry } from "./bindings/PreviewEntry";
import type { RestorePreview } from "./bindings/RestorePreview";
import type { RestoreReport } from "./bindings/RestoreReport";
import type { Reveal } from "./bindings/Reveal";
import type { Revoked } from "./bindings/Revoked";
import type { ScanReport } from "./bindings/ScanReport";
import type { Settings } from "./bindings/Settings";
import type { SettingsReply } from "./bindings/SettingsReply";
import type { ShortcutCommand } from "./bindings/ShortcutCommand";
import type { ShortcutHelp } from "./bindings/ShortcutHelp";
import type { Skipped } from "./bindings/Skipped";
import type { SortOrder } from "./bindings/SortOrder";
import type { StrengthReply } from "./bindings/StrengthReply";
import type { SyncView } from "./bindings/SyncView";
import type { UpdateProgress } from "./bindings/UpdateProgress";
import type { UpdateStatus } from "./bindings/UpdateStatus";

// The commands' types, generated from the Rust ones (ui/src/bindings/,
// src-tauri/src/bindings.rs), under the names the views use.
export type {
  AddReport,
  BackupDone,
  BackupStatus,
  BootReply as Boot,
  ClockStatus,
  CmdError,
  CodeView,
  Codes,
  Copied,
  Delivered,
  DeviceView as HouseholdDevice,
  EntryEdit,
  EntryView,
  ExportDone,
  FormatView,
  Hint,
  ImportFile,
  ImportPreview,
  LeftOutView as LeftOut,
  ManualInput,
  MigrationQr,
  OtpType,
  PickView,
  Preview,
  PreviewEntry,
  RestorePreview,
  RestoreReport,
  Reveal,
  Revoked,
  ScanReport,
  Settings,
  SettingsReply,
  ShortcutCommand,
  ShortcutHelp,
  Skipped,
  SortOrder,
  StrengthReply as Strength,
  SyncView,
  UpdateProgress,
  UpdateStatus,
};

export function isCmdError(e: unknown): e is CmdError {
  return typeof e === "object" && e !== null && "kind" in e && "message" in e;
}

export const api = {
  boot: () => invoke<BootReply>("boot"),
  createVault: (password: string, remember: boolean) => invoke<void>("create_vault", { password, remember }),
  unlock: (password: string, remember: boolean) => invoke<void>("unlock", { password, remember }),
  isRemembered: () => invoke<boolean>("is_remembered"),
  /** Forgot the password: the locked vault renamed aside (never deleted); its new path. */
  setVaultAside: () => invoke<string>("set_vault_aside"),
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
  updateEntry: (id: string, edit: EntryEdit) => invoke<EntryView>("update_entry", { id, edit }),
  deleteEntry: (id: string) => invoke<void>("delete_entry", { id }),
  undoDelete: () => invoke<string | null>("undo_delete"),
  reorderEntries: (ids: string[]) => invoke<void>("reorder_entries", { ids }),
  setSortOrder: (order: SortOrder) => invoke<EntryView[]>("set_sort_order", { order }),
  autotypePending: () => invoke<PickView | null>("autotype_pending"),
  autotypePick: (id: string, remember: boolean) => invoke<Delivered>("autotype_pick", { id, remember }),
  autotypeCancel: () => invoke<void>("autotype_cancel"),
  revealSecret: (id: string, password: string) => invoke<Reveal>("reveal_secret", { id, password }),
  copyCode: (id: string) => invoke<Copied>("copy_code", { id }),
  getSettings: () => invoke<Settings>("get_settings"),
  setSettings: (settings: Settings) => invoke<SettingsReply>("set_settings", { settings }),
  /** Wayland: what to bind in the desktop's own settings, for the saved shortcuts. */
  shortcutHelp: () => invoke<ShortcutHelp>("shortcut_help"),
  /** A command of that help, or its configuration lines: Rust picks the text. */
  copyShortcutText: (which: ShortcutCommand["action"] | "config") => invoke<void>("copy_shortcut_text", { which }),
  scanImage: async (file: Blob, name: string) =>
    invoke<ScanReport>("scan_image", new Uint8Array(await file.arrayBuffer()), {
      headers: { "x-name": encodeURIComponent(name) },
    }),
  /** Secrets as QR codes: only after the password is typed again. */
  exportMigration: (ids: string[], password: string) => invoke<MigrationQr>("export_migration", { ids, password }),
  /** The password only the first time: it joins or starts the household. */
  /** `name`: whose the first household password is, when this starts the household. */
  backupNow: (password?: string, name?: string) =>
    invoke<BackupDone>("backup_now", { password: password ?? null, name: name ?? null }),
  backupStatus: () => invoke<BackupStatus>("backup_status"),
  setDeviceName: (name: string) => invoke<string>("set_device_name", { name }),
  /** The strength meters: zxcvbn, in Rust, for a password being chosen. */
  passwordStrength: (password: string) => invoke<StrengthReply>("password_strength", { password }),
  addBackupPassword: (password: string, name: string) => invoke<void>("add_backup_password", { password, name }),
  renameBackupPassword: (index: number, was: string, name: string) =>
    invoke<void>("rename_backup_password", { index, was, name }),
  /** Password `index` as the list showed it (`name`); with `keep`, for good under a new key. */
  removeBackupPassword: (index: number, name: string, keep?: string) =>
    invoke<Revoked>("remove_backup_password", { index, name, keep: keep ?? null }),
  /** The system's folder dialog; the saved settings, or null when cancelled. */
  chooseBackupFolder: (title: string) => invoke<Settings | null>("choose_backup_folder", { title }),
  stageBackup: async (file: Blob, name: string) =>
    invoke<void>("stage_backup", new Uint8Array(await file.arrayBuffer()), { headers: { "x-name": encodeURIComponent(name) } }),
  /** Logos of the bundled set whose names start with or hold `query`. */
  searchIcons: (query: string) => invoke<BundledView[]>("search_icons", { query }),
  /** The system's open dialog for an image; the icon value, or null when cancelled. */
  pickIcon: (title: string, filter: string) => invoke<IconChoice | null>("pick_icon", { title, filter }),
  iconFromBytes: async (file: Blob) => invoke<IconChoice>("icon_from_bytes", new Uint8Array(await file.arrayBuffer())),
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
