//! The IPC surface: thin wrappers over [`Session`](crate::session::Session)
//! and the settings, one module per workflow. Async so that the KDF never blocks the main thread.
//! Every command here is listed in `command_names.rs` and granted by name
//! in `capabilities/main.json`.

pub mod accounts;
pub mod autotype;
pub mod backup;
pub mod icons;
pub mod scan;
pub mod settings;
pub mod transfer;
pub mod vault;

use secrecy::SecretString;

use crate::error::CmdError;
use crate::session::Retyped;
use crate::state::AppState;

pub(crate) type Reply<T> = Result<T, CmdError>;

/// Checks a password typed again, with the session lock held only to read
/// the vault's path.
pub(crate) fn retype(state: &AppState, password: String) -> Result<Retyped, CmdError> {
    let path = state.session().unlocked_vault_path()?;
    Retyped::check(&path, &SecretString::from(password))
}

/// A file dropped on the window, sent by the page as the raw request body
/// with its (percent-encoded) name in the `x-name` header; `None` when the
/// body is not raw bytes.
pub(crate) fn dropped_file<'a>(
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

/// Runs the system's open dialog (on a blocking thread: it waits for the
/// user); the chosen path, `None` when cancelled, or an error of `kind`
/// when the choice is no local path (a portal URI that cannot be read).
pub(crate) fn picked_path<R: tauri::Runtime>(
    dialog: tauri_plugin_dialog::FileDialogBuilder<R>,
    kind: &'static str,
) -> Result<Option<std::path::PathBuf>, CmdError> {
    let Some(picked) = dialog.blocking_pick_file() else {
        return Ok(None);
    };
    // What the dialog gave (a URI that is no local file), for messages
    // that name the file ("{name} cannot be read").
    let name = picked.to_string();
    picked
        .into_path()
        .map(Some)
        .map_err(|e| CmdError::new(kind, e.to_string()).with("name", &name))
}
