//! Backups and the household folder: back up now, passwords, restore.

use secrecy::SecretString;
use tauri::{AppHandle, Runtime, State};

use super::{Reply, dropped_file, picked_path};
use crate::error::CmdError;
use crate::session::{BackupDone, BackupStatus, RestorePreview};
use crate::settings::{self, Settings};
use crate::state::AppState;
use authdesk_core::backup::RestoreReport;

/// "Back up now": this device's backup in the chosen folder. The password
/// is needed only the first time (to join or start the household).
#[tauri::command]
pub async fn backup_now(
    state: State<'_, AppState>,
    password: Option<String>,
    name: Option<String>,
) -> Reply<BackupDone> {
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
    let sync = crate::session::household::back_up_now(
        &state.shared,
        folder,
        password,
        name.as_deref().unwrap_or_default(),
        keep,
    )?;
    let mut session = state.session();
    session.last_activity = std::time::Instant::now();
    session.backup_done(folder, sync)
}

/// Names this device for the household; the name now shown.
#[tauri::command]
pub async fn set_device_name(state: State<'_, AppState>, name: String) -> Reply<String> {
    state.session().set_device_name(&name)
}

/// Where this vault's backups stand: for the Backup screen and the reminder.
#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> Reply<BackupStatus> {
    let folder = state.settings().backup_folder.clone();
    Ok(state.session().backup_status(&folder))
}

/// Another member's password, named for the household's list.
#[tauri::command]
pub async fn add_backup_password(
    state: State<'_, AppState>,
    password: String,
    name: String,
) -> Reply<()> {
    crate::session::household::add_password(&state.shared, SecretString::from(password), &name)
}

/// Names household password `index`, which the list showed as `was`.
#[tauri::command]
pub async fn rename_backup_password(
    state: State<'_, AppState>,
    index: usize,
    was: String,
    name: String,
) -> Reply<()> {
    crate::session::household::rename_password(&state.shared, index, &was, &name)
}

/// Removes household password `index` (shown as `name`); with `keep`, the
/// user's own household password, for good under a new key.
#[tauri::command]
pub async fn remove_backup_password(
    state: State<'_, AppState>,
    index: usize,
    name: String,
    keep: Option<String>,
) -> Reply<crate::session::household::Revoked> {
    let (folder, keep_backups) = {
        let s = state.settings();
        (s.backup_folder.clone(), s.keep_backups as usize)
    };
    let folder = (!folder.is_empty()).then(|| std::path::PathBuf::from(folder));
    crate::session::household::remove_password(
        &state.shared,
        folder.as_deref(),
        index,
        &name,
        keep.filter(|k| !k.is_empty()).map(SecretString::from),
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
        let Some(path) = picked_path(dialog, "backup_io")? else {
            return Ok(None);
        };
        let name = path.display().to_string();
        let cap = authdesk_core::backup::household::folder::MAX_FILE_BYTES;
        let bytes = authdesk_core::vault::fsio::read_regular(&path, cap).map_err(|e| {
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
    crate::session::household::preview_restore(&state.shared, SecretString::from(password))
}

#[tauri::command]
pub async fn apply_restore(state: State<'_, AppState>) -> Reply<RestoreReport> {
    state.session().apply_restore()
}
