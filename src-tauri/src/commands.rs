//! The IPC surface: thin wrappers over [`Session`](crate::session::Session)
//! and the settings. Async so that the KDF never blocks the main thread.
//! Every command here is listed in `command_names.rs` and granted by name
//! in `capabilities/main.json`.

use secrecy::SecretString;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use crate::error::CmdError;
use crate::session::{
    AddReport, BackupDone, BackupStatus, CodeView, Codes, EntryEdit, EntryView, ImportFile,
    ImportPreview, ManualInput, MigrationQr, Preview, PreviewEntry, RestorePreview, Retyped,
    Reveal, ScanReport, Status, now_ms,
};
use crate::settings::{self, Language, Settings};
use crate::state::AppState;
use crate::{shortcut, tray, window};
use authdesk_core::backup::RestoreReport;

type Reply<T> = Result<T, CmdError>;

/// Everything the first screen needs, in one round trip: start-up time
/// is dominated by WebKit, so the page should not wait on several replies.
#[derive(Serialize)]
pub struct BootReply {
    #[serde(flatten)]
    status: Status,
    settings: Settings,
    /// The language the UI should show ("en" or "nl").
    language: Language,
    /// When the vault is (or could be, through the keychain) unlocked: the
    /// list and its codes.
    list: Option<ListReply>,
}

#[derive(Serialize)]
pub struct ListReply {
    entries: Vec<EntryView>,
    codes: Codes,
}

/// The page's first call: status, settings and, when the key is
/// remembered on this device, the unlocked list.
#[tauri::command]
pub async fn boot(state: State<'_, AppState>) -> Reply<BootReply> {
    crate::trace("ui boots");
    let settings = state.settings().clone();
    let mut session = state.session();
    // A keychain failure only means the user types the password.
    let unlocked = session.unlock_with_keychain().unwrap_or(false);
    let list = if unlocked {
        Some(ListReply {
            entries: session.entries()?,
            codes: session.codes(crate::clock::code_now_ms(&state))?,
        })
    } else {
        None
    };
    crate::trace("boot reply");
    Ok(BootReply {
        status: session.status(),
        language: settings.effective_language(),
        settings,
        list,
    })
}

#[tauri::command]
pub async fn create_vault(
    state: State<'_, AppState>,
    password: String,
    remember: bool,
) -> Reply<()> {
    // Argon2 runs without the session lock, which lock and codes need.
    let (path, kdf) = state.session().vault_path_and_kdf();
    let vault = authdesk_core::vault::Vault::create(&path, &SecretString::from(password), kdf)?;
    state.session().opened_elsewhere(vault, remember)
}

#[tauri::command]
pub async fn unlock(state: State<'_, AppState>, password: String, remember: bool) -> Reply<()> {
    let (path, _) = state.session().vault_path_and_kdf();
    let vault = authdesk_core::vault::Vault::open(&path, &SecretString::from(password))?;
    state.session().opened_elsewhere(vault, remember)
}

#[tauri::command]
pub async fn is_remembered(state: State<'_, AppState>) -> Reply<bool> {
    Ok(state.session().remembered())
}

#[tauri::command]
pub async fn set_remember(state: State<'_, AppState>, remember: bool) -> Reply<()> {
    state.session().set_remember(remember)
}

#[tauri::command]
pub async fn lock<R: Runtime>(app: AppHandle<R>) -> Reply<()> {
    window::lock(&app, "manual");
    Ok(())
}

/// The user did something: postpones the automatic lock.
#[tauri::command]
pub async fn touch(state: State<'_, AppState>) -> Reply<()> {
    state.session().last_activity = std::time::Instant::now();
    Ok(())
}

#[tauri::command]
pub async fn list_entries(state: State<'_, AppState>) -> Reply<Vec<EntryView>> {
    state.session().entries()
}

#[tauri::command]
pub async fn get_codes(state: State<'_, AppState>) -> Reply<Codes> {
    let now = crate::clock::code_now_ms(&state);
    state.session().codes(now)
}

#[tauri::command]
pub async fn next_hotp(state: State<'_, AppState>, id: String) -> Reply<CodeView> {
    state.session().next_hotp(&id)
}

#[tauri::command]
pub async fn preview_uri(state: State<'_, AppState>, text: String) -> Reply<Preview> {
    state.session().preview_uri(&text)
}

#[tauri::command]
pub async fn add_uri(state: State<'_, AppState>, text: String) -> Reply<AddReport> {
    state.session().add_uri(&text)
}

#[tauri::command]
pub async fn preview_manual(state: State<'_, AppState>, input: ManualInput) -> Reply<PreviewEntry> {
    state.session().preview_manual(&input)
}

#[tauri::command]
pub async fn add_manual(state: State<'_, AppState>, input: ManualInput) -> Reply<AddReport> {
    state.session().add_manual(&input)
}

#[tauri::command]
pub async fn update_entry(
    state: State<'_, AppState>,
    id: String,
    edit: EntryEdit,
) -> Reply<EntryView> {
    state.session().update(&id, edit)
}

#[tauri::command]
pub async fn delete_entry(state: State<'_, AppState>, id: String) -> Reply<()> {
    state.session().delete(&id)
}

#[tauri::command]
pub async fn undo_delete(state: State<'_, AppState>) -> Reply<Option<String>> {
    state.session().undo_delete()
}

#[tauri::command]
pub async fn reorder_entries(state: State<'_, AppState>, ids: Vec<String>) -> Reply<()> {
    state.session().reorder(&ids)
}

#[tauri::command]
pub async fn sort_entries(state: State<'_, AppState>) -> Reply<Vec<EntryView>> {
    state.session().sort()
}

/// The one command that sends a secret to the web view, and only with the
/// password typed again.
#[tauri::command]
pub async fn reveal_secret(
    state: State<'_, AppState>,
    id: String,
    password: String,
) -> Reply<Reveal> {
    let retyped = retype(&state, password)?;
    state.session().reveal(&id, retyped)
}

/// Checks a password typed again, with the session lock held only to read
/// the vault's path.
fn retype(state: &AppState, password: String) -> Result<Retyped, CmdError> {
    let path = state.session().unlocked_vault_path()?;
    Retyped::check(&path, &SecretString::from(password))
}

#[tauri::command]
pub async fn copy_code(state: State<'_, AppState>, id: String) -> Reply<()> {
    let now = crate::clock::code_now_ms(&state);
    let code = state.session().code_for_copy(&id, now)?;
    let seconds = state.settings().clipboard_clear_seconds;
    state.clipboard.copy(code, seconds)
}

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> Reply<Settings> {
    Ok(state.settings().clone())
}

#[derive(Serialize)]
pub struct SettingsReply {
    settings: Settings,
    language: Language,
    /// Why the global shortcut could not be registered, if it could not.
    shortcut_error: Option<String>,
}

#[tauri::command]
pub async fn set_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: Settings,
) -> Reply<SettingsReply> {
    let settings = settings.normalized();
    if let Some(path) = &state.settings_path {
        settings::save(path, &settings).map_err(|e| {
            CmdError::new("settings_save", format!("could not save the settings: {e}"))
        })?;
    }
    let previous = std::mem::replace(&mut *state.settings(), settings.clone());
    if previous.time_servers != settings.time_servers
        || (previous.clock_check_minutes == 0 && settings.clock_check_minutes > 0)
    {
        crate::clock::request();
    }
    let language = settings.effective_language();
    if previous.effective_language() != language {
        tray::relabel(&app, language);
    }
    if previous.hide_from_capture != settings.hide_from_capture {
        window::protect(&app, settings.hide_from_capture);
    }
    let shortcut_error = if previous.global_shortcut != settings.global_shortcut
        || previous.scan_shortcut != settings.scan_shortcut
    {
        shortcut::apply(&app, &settings).err()
    } else {
        None
    };
    Ok(SettingsReply {
        settings,
        language,
        shortcut_error,
    })
}

/// The UI has painted its first screen: work kept off the start-up path
/// may begin. With `$AUTHDESK_TRACE_STARTUP` set the wall-clock time is
/// printed, for benches/app.sh.
#[tauri::command]
pub async fn ui_ready<R: Runtime>(app: AppHandle<R>, screen: String) -> Reply<()> {
    if std::env::var_os("AUTHDESK_TRACE_STARTUP").is_some() {
        let ms = now_ms();
        eprintln!("authdesk: first screen '{screen}' painted at {ms} ms");
        crate::trace("painted");
    }
    crate::register_shortcut_once(&app);
    Ok(())
}

/// An image's bytes as the raw request body (file picker, drop or paste),
/// its name in the `x-name` header. Decoded off the async workers.
#[tauri::command]
pub async fn scan_image<R: Runtime>(
    app: AppHandle<R>,
    request: tauri::ipc::Request<'_>,
) -> Reply<ScanReport> {
    use tauri::Manager;
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(CmdError::new("invalid_image", "no image was sent"));
    };
    let bytes = bytes.clone();
    let name = request
        .headers()
        .get("x-name")
        .and_then(|v| v.to_str().ok())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .unwrap_or_else(|| "image".into());
    if !app.state::<AppState>().session().is_unlocked() {
        return Err(CmdError::locked());
    }
    tauri::async_runtime::spawn_blocking(move || {
        // Decoding takes a while on a large picture: not under the lock
        // that codes, lock and the idle timer need.
        let texts = authdesk_core::qr::scan_bytes(&bytes, &name)?;
        app.state::<AppState>().session().scan_texts(texts)
    })
    .await
    .map_err(|e| CmdError::new("scan_failed", e.to_string()))?
}

/// "Move to a phone": Google Authenticator transfer QR codes, after the
/// password is typed again.
#[tauri::command]
pub async fn export_migration(
    state: State<'_, AppState>,
    ids: Vec<String>,
    password: String,
) -> Reply<MigrationQr> {
    let retyped = retype(&state, password)?;
    state.session().export_migration(&ids, retyped)
}

/// The otpauth:// link the app was opened with, once, for the Add preview;
/// `None` while locked (the page asks again after unlocking) or when none
/// waits.
#[tauri::command]
pub async fn take_link(state: State<'_, AppState>) -> Reply<Option<String>> {
    if !state.session().is_unlocked() {
        return Ok(None);
    }
    Ok(state.link.take().map(|l| l.as_str().to_owned()))
}

/// "Back up now": this device's backup in the chosen folder. The password
/// is needed only the first time (to join or start the household).
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>, password: Option<String>) -> Reply<BackupDone> {
    let (folder, keep) = {
        let s = state.settings();
        (s.backup_folder.clone(), s.keep_backups as usize)
    };
    if folder.is_empty() {
        return Err(CmdError::new(
            "no_backup_folder",
            "choose a backup folder first",
        ));
    }
    let password = password.filter(|p| !p.is_empty()).map(SecretString::from);
    let folder = std::path::Path::new(&folder);
    let sync = crate::session::household::back_up_now(&state, folder, password, keep)?;
    let mut session = state.session();
    session.last_activity = std::time::Instant::now();
    session.backup_done(folder, sync)
}

/// Names this device for the household; the name now shown.
#[tauri::command]
pub async fn set_device_name(state: State<'_, AppState>, name: String) -> Reply<String> {
    state.session().set_device_name(&name)
}

/// How hard a password being chosen is to guess, for the meters of the
/// setup and Backup screens, with the floors it is held to.
#[derive(Serialize)]
pub struct StrengthReply {
    #[serde(flatten)]
    strength: authdesk_core::password::Strength,
    /// Backup and household passwords below this are refused.
    min_file_score: u8,
    /// A vault password below this needs explicit confirmation.
    min_vault_score: u8,
}

/// Works without the vault and keeps nothing; the copy received is wiped.
#[tauri::command]
pub async fn password_strength(password: String) -> Reply<StrengthReply> {
    use authdesk_core::password;
    let password = zeroize::Zeroizing::new(password);
    Ok(StrengthReply {
        strength: password::estimate_here(&password),
        min_file_score: password::MIN_FILE_PASSWORD_SCORE,
        min_vault_score: password::MIN_VAULT_PASSWORD_SCORE,
    })
}

/// The last update check: for Settings and the list's banner.
#[tauri::command]
pub async fn update_status<R: Runtime>(app: AppHandle<R>) -> Reply<crate::update::UpdateStatus> {
    Ok(crate::update::status(&app))
}

/// "Check now" in Settings; the answer also arrives as `update-status`.
#[tauri::command]
pub async fn check_update<R: Runtime>(app: AppHandle<R>) -> Reply<crate::update::UpdateStatus> {
    Ok(crate::update::run_check(&app).await)
}

/// "Install and restart": returns only on failure (the app restarts).
#[tauri::command]
pub async fn install_update<R: Runtime>(app: AppHandle<R>) -> Reply<()> {
    crate::update::install(&app).await
}

/// Where this vault's backups stand: for the Backup screen and the reminder.
#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> Reply<BackupStatus> {
    let folder = state.settings().backup_folder.clone();
    Ok(state.session().backup_status(&folder))
}

#[tauri::command]
pub async fn add_backup_password(state: State<'_, AppState>, password: String) -> Reply<()> {
    crate::session::household::add_password(&state, SecretString::from(password))
}

#[tauri::command]
pub async fn remove_backup_password(
    state: State<'_, AppState>,
    password: String,
    keep: String,
) -> Reply<crate::session::household::Revoked> {
    let (folder, keep_backups) = {
        let s = state.settings();
        (s.backup_folder.clone(), s.keep_backups as usize)
    };
    let folder = (!folder.is_empty()).then(|| std::path::PathBuf::from(folder));
    crate::session::household::revoke(
        &state,
        folder.as_deref(),
        SecretString::from(password),
        SecretString::from(keep),
        keep_backups,
    )
}

/// The system's folder dialog for the backup folder; the new settings, or
/// `None` when cancelled.
#[tauri::command]
pub async fn choose_backup_folder<R: Runtime>(
    app: AppHandle<R>,
    title: String,
) -> Reply<Option<Settings>> {
    use tauri::Manager;
    use tauri_plugin_dialog::DialogExt;
    let dialog = app.dialog().file().set_title(title);
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_folder())
        .await
        .map_err(|e| CmdError::new("dialog_failed", e.to_string()))?;
    let Some(folder) = picked else {
        return Ok(None);
    };
    let folder = folder
        .into_path()
        .map_err(|e| CmdError::new("dialog_failed", e.to_string()))?;
    let state = app.state::<AppState>();
    let mut settings = state.settings().clone();
    settings.backup_folder = folder.display().to_string();
    if let Some(path) = &state.settings_path {
        settings::save(path, &settings).map_err(|e| {
            CmdError::new("settings_save", format!("could not save the settings: {e}"))
        })?;
    }
    *state.settings() = settings.clone();
    Ok(Some(settings))
}

/// A file dropped on the window, sent by the page as the raw request body
/// with its (percent-encoded) name in the `x-name` header; `None` when the
/// body is not raw bytes.
fn dropped_file<'a>(
    request: &'a tauri::ipc::Request<'_>,
    unnamed: &str,
) -> Option<(String, &'a [u8])> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return None;
    };
    let name = request
        .headers()
        .get("x-name")
        .and_then(|v| v.to_str().ok())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .unwrap_or_else(|| unnamed.to_owned());
    Some((name, bytes))
}

/// A backup file for restoring, dropped on the window.
#[tauri::command]
pub async fn stage_backup(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> Reply<()> {
    let (name, bytes) = dropped_file(&request, "backup")
        .ok_or_else(|| CmdError::new("not_a_backup", "no file was sent"))?;
    state.session().stage_backup(name, bytes.to_vec())
}

/// The system's open dialog for a backup file; its name, or `None` when
/// cancelled.
#[tauri::command]
pub async fn pick_backup<R: Runtime>(
    app: AppHandle<R>,
    title: String,
    filter: String,
) -> Reply<Option<String>> {
    use tauri::Manager;
    use tauri_plugin_dialog::DialogExt;
    let dialog = app
        .dialog()
        .file()
        .set_title(title)
        .add_filter(filter, &[authdesk_core::backup::EXTENSION]);
    tauri::async_runtime::spawn_blocking(move || {
        let Some(picked) = dialog.blocking_pick_file() else {
            return Ok(None);
        };
        let path = picked
            .into_path()
            .map_err(|e| CmdError::new("backup_io", e.to_string()))?;
        let name = path.display().to_string();
        let bytes = std::fs::read(&path).map_err(|e| {
            CmdError::new("backup_io", format!("cannot read backup {name}: {e}"))
                .with("name", &name)
        })?;
        let state = app.state::<AppState>();
        state.session().stage_backup(name.clone(), bytes)?;
        Ok(Some(name))
    })
    .await
    .map_err(|e| CmdError::new("dialog_failed", e.to_string()))?
}

#[tauri::command]
pub async fn preview_restore(
    state: State<'_, AppState>,
    password: String,
) -> Reply<RestorePreview> {
    crate::session::household::preview_restore(&state, SecretString::from(password))
}

#[tauri::command]
pub async fn apply_restore(state: State<'_, AppState>) -> Reply<RestoreReport> {
    state.session().apply_restore()
}

/// "Scan image": the system's file dialog, opened from Rust so that the
/// page never handles paths. `None` when the user cancels.
#[tauri::command]
pub async fn scan_image_file<R: Runtime>(
    app: AppHandle<R>,
    title: String,
    filter: String,
) -> Reply<Option<ScanReport>> {
    use tauri::Manager;
    use tauri_plugin_dialog::DialogExt;
    if !app.state::<AppState>().session().is_unlocked() {
        return Err(CmdError::locked());
    }
    let dialog = app.dialog().file().set_title(title).add_filter(
        filter,
        &["png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff"],
    );
    tauri::async_runtime::spawn_blocking(move || {
        let Some(picked) = dialog.blocking_pick_file() else {
            return Ok(None);
        };
        let path = picked
            .into_path()
            .map_err(|e| CmdError::new("image_io", e.to_string()))?;
        let texts = authdesk_core::qr::scan_file(&path)?;
        let state = app.state::<AppState>();
        let mut session = state.session();
        session.scan_texts(texts).map(Some)
    })
    .await
    .map_err(|e| CmdError::new("scan_failed", e.to_string()))?
}

/// "Scan screen": the window steps aside while every monitor is captured,
/// so that it neither hides the portal's code nor shows up itself.
#[tauri::command]
pub async fn scan_screen<R: Runtime>(app: AppHandle<R>) -> Reply<ScanReport> {
    use tauri::Manager;
    if !app.state::<AppState>().session().is_unlocked() {
        return Err(CmdError::locked());
    }
    let visible = app
        .get_webview_window("main")
        .filter(|w| w.is_visible().unwrap_or(false) && !w.is_minimized().unwrap_or(false));
    let hide = visible.is_some();
    if let Some(w) = visible {
        let _ = w.hide();
    }
    let shots = tauri::async_runtime::spawn_blocking(move || {
        if hide {
            // Compositors animate the window away; X11 unmaps at once.
            std::thread::sleep(std::time::Duration::from_millis(
                if authdesk_core::screen::is_wayland() {
                    400
                } else {
                    150
                },
            ));
        }
        authdesk_core::screen::scan()
    })
    .await;
    // Also after the scan shortcut, pressed while the window was hidden:
    // the result is to be seen.
    window::show(&app);
    let shots = shots.map_err(|e| CmdError::new("scan_failed", e.to_string()))??;
    let texts = shots.into_iter().flat_map(|s| s.texts).collect();
    app.state::<AppState>().session().scan_texts(texts)
}

#[tauri::command]
pub async fn add_scanned(state: State<'_, AppState>) -> Reply<AddReport> {
    state.session().add_scanned()
}

/// Reads a file the user chose for importing, refusing what cannot be an
/// export before it fills memory.
fn read_import_file(path: &std::path::Path) -> Reply<Vec<u8>> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| {
        CmdError::new("import_io", format!("cannot read {name}: {e}")).with("name", &name)
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > crate::session::MAX_IMPORT_FILE {
        return Err(
            CmdError::new("import_too_large", format!("{name} is too large")).with("name", &name),
        );
    }
    std::fs::read(path).map_err(io)
}

/// "Import from another app": the system's open dialog; the file's
/// detected format, or `None` when cancelled.
#[tauri::command]
pub async fn pick_import<R: Runtime>(
    app: AppHandle<R>,
    title: String,
) -> Reply<Option<ImportFile>> {
    use tauri::Manager;
    use tauri_plugin_dialog::DialogExt;
    if !app.state::<AppState>().session().is_unlocked() {
        return Err(CmdError::locked());
    }
    let dialog = app.dialog().file().set_title(title);
    tauri::async_runtime::spawn_blocking(move || {
        let Some(picked) = dialog.blocking_pick_file() else {
            return Ok(None);
        };
        let path = picked
            .into_path()
            .map_err(|e| CmdError::new("import_io", e.to_string()))?;
        let bytes = read_import_file(&path)?;
        let state = app.state::<AppState>();
        let file = state
            .session()
            .stage_import(path.display().to_string(), bytes)?;
        Ok(Some(file))
    })
    .await
    .map_err(|e| CmdError::new("dialog_failed", e.to_string()))?
}

/// A file dropped on the Import screen, as the raw request body, its name
/// in the `x-name` header.
#[tauri::command]
pub async fn stage_import(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> Reply<ImportFile> {
    let (name, bytes) = dropped_file(&request, "export")
        .ok_or_else(|| CmdError::new("import_io", "no file was sent"))?;
    if bytes.len() as u64 > crate::session::MAX_IMPORT_FILE {
        return Err(
            CmdError::new("import_too_large", format!("{name} is too large")).with("name", &name),
        );
    }
    state.session().stage_import(name, bytes.to_vec())
}

/// Reads the staged file as `format` (or what it was detected as) and
/// says what importing it would do. The parse runs on a worker thread
/// without the session: Ente's key derivation takes 1 GiB and seconds, and
/// the codes must keep ticking meanwhile.
#[tauri::command]
pub async fn preview_import(
    state: State<'_, AppState>,
    format: Option<String>,
    password: Option<String>,
) -> Reply<ImportPreview> {
    let (name, bytes) = state.session().staged_import()?;
    let password = password.filter(|p| !p.is_empty()).map(SecretString::from);
    let outcome = tauri::async_runtime::spawn_blocking(move || {
        authdesk_core::import::import(&bytes, format.as_deref(), password.as_ref())
    })
    .await
    .map_err(|e| CmdError::new("import_failed", e.to_string()))?;
    state.session().preview_import(name, outcome)
}

#[tauri::command]
pub async fn apply_import(state: State<'_, AppState>) -> Reply<AddReport> {
    state.session().apply_import()
}

/// "Export": after the vault password is typed again, the system's save
/// dialog, then the unencrypted file written 0600. The text never passes
/// through the page. `None` when the user cancels the dialog.
#[tauri::command]
pub async fn export_accounts<R: Runtime>(
    app: AppHandle<R>,
    format: String,
    password: String,
    title: String,
) -> Reply<Option<ExportDone>> {
    use tauri::Manager;
    use tauri_plugin_dialog::DialogExt;
    let path = {
        let state = app.state::<AppState>();
        let session = state.session();
        if !session.is_unlocked() {
            return Err(CmdError::locked());
        }
        session.vault_path().to_owned()
    };
    let password = SecretString::from(password);
    let (default_name, ext) = match format.as_str() {
        "aegis" => ("authdesk-aegis-export.json", "json"),
        _ => ("authdesk-otpauth-export.txt", "txt"),
    };
    let dialog = app
        .dialog()
        .file()
        .set_title(title)
        .set_file_name(default_name)
        .add_filter(ext, &[ext]);
    tauri::async_runtime::spawn_blocking(move || {
        // The typed password, not the open session, unlocks an export.
        authdesk_core::vault::Vault::open(&path, &password)?;
        drop(password);
        let Some(picked) = dialog.blocking_save_file() else {
            return Ok(None);
        };
        let out = picked
            .into_path()
            .map_err(|e| CmdError::new("export_io", e.to_string()))?;
        let (text, accounts) = app.state::<AppState>().session().export_text(&format)?;
        authdesk_core::vault::fsio::write_atomic(&out, text.as_bytes()).map_err(|e| {
            let kind = if e.raw_os_error() == Some(28) {
                "disk_full"
            } else {
                "export_io"
            };
            CmdError::new(kind, format!("cannot write {}: {e}", out.display()))
                .with("path", out.display())
                .with("message", e)
        })?;
        Ok(Some(ExportDone {
            path: out.display().to_string(),
            accounts,
        }))
    })
    .await
    .map_err(|e| CmdError::new("dialog_failed", e.to_string()))?
}

#[derive(Serialize)]
pub struct ExportDone {
    path: String,
    accounts: usize,
}

/// The last clock check (or why there is none), for the banner and Settings.
#[tauri::command]
pub async fn clock_status(state: State<'_, AppState>) -> Reply<crate::clock::ClockStatus> {
    Ok(crate::clock::status(&state))
}

/// "Check now": a check on a worker thread; the page gets the outcome both
/// as the reply and as the `clock-status` event.
#[tauri::command]
pub async fn check_clock<R: Runtime>(app: AppHandle<R>) -> Reply<crate::clock::ClockStatus> {
    tauri::async_runtime::spawn_blocking(move || crate::clock::check_now(&app))
        .await
        .map_err(|e| CmdError::new("clock_failed", e.to_string()))
}
