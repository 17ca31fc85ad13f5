//! Moving accounts in and out: other apps' exports, exports of ours and
//! Google Authenticator transfer codes.

use secrecy::SecretString;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use super::{Reply, dropped_file, picked_path, retype};
use crate::error::CmdError;
use crate::session::{AddReport, ImportFile, ImportPreview, MigrationQr};
use crate::state::AppState;

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
        let Some(path) = picked_path(dialog, "import_io")? else {
            return Ok(None);
        };
        let bytes = authdesk_core::import::read_file(&path)?;
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
    if authdesk_core::import::too_large(bytes.len() as u64) {
        // The same refusal as a picked file's, with core's wording.
        return Err(authdesk_core::import::ReadFileError::TooLarge {
            path: name.into(),
            size: bytes.len() as u64,
        }
        .into());
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
    let exporter = crate::session::export_format(&format)?.exporter();
    let (default_name, ext) = (exporter.file_name(), exporter.extension());
    let dialog = app
        .dialog()
        .file()
        .set_title(title)
        .set_file_name(default_name)
        .add_filter(ext, &[ext]);
    tauri::async_runtime::spawn_blocking(move || {
        // The typed password, not the open session, unlocks an export.
        authdesk_core::vault::Vault::verify_password(&path, &password)?;
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
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExportDone {
    path: String,
    accounts: usize,
}
