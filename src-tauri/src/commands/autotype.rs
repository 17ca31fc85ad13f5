//! The auto-type picker: what waits, the account chosen, or no choice.

use tauri::{AppHandle, Runtime};

use super::Reply;
use crate::autotype::{self, Delivered, PickView};

#[tauri::command]
pub async fn autotype_pending<R: Runtime>(app: AppHandle<R>) -> Reply<Option<PickView>> {
    autotype::pending_view(&app)
}

/// Types the chosen account's code into the window the shortcut was
/// pressed in (off the async runtime: it waits for the window to return).
#[tauri::command]
pub async fn autotype_pick<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    remember: bool,
) -> Reply<Delivered> {
    tauri::async_runtime::spawn_blocking(move || autotype::pick(&app, &id, remember))
        .await
        .map_err(|e| crate::error::CmdError::new("type_failed", e.to_string()))?
}

#[tauri::command]
pub async fn autotype_cancel<R: Runtime>(app: AppHandle<R>) -> Reply<()> {
    autotype::cancel(&app);
    Ok(())
}
