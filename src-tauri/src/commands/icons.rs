//! Icons in Edit: the bundled set searched, a picture from a file the
//! user picks or drops. The value comes back to the page, which saves it
//! with the rest of the edit (`update_entry` checks it again).

use tauri::{AppHandle, Runtime, State};

use super::{Reply, dropped_file, picked_path};
use crate::error::CmdError;
use crate::session::{BundledView, IconChoice};
use crate::state::AppState;

#[tauri::command]
pub async fn search_icons(query: String) -> Reply<Vec<BundledView>> {
    Ok(crate::session::search_icons(&query))
}

/// The system's open dialog for an image; `None` when cancelled.
#[tauri::command]
pub async fn pick_icon<R: Runtime>(
    app: AppHandle<R>,
    title: String,
    filter: String,
) -> Reply<Option<IconChoice>> {
    use tauri::Manager;
    use tauri_plugin_dialog::DialogExt;
    if !app.state::<AppState>().session().is_unlocked() {
        return Err(CmdError::locked());
    }
    let dialog = app
        .dialog()
        .file()
        .set_title(title)
        .add_filter(filter, &["png", "jpg", "jpeg", "svg", "gif", "bmp", "webp"]);
    tauri::async_runtime::spawn_blocking(move || {
        let Some(path) = picked_path(dialog, "icon_failed")? else {
            return Ok(None);
        };
        crate::session::icon_from_file(&path).map(Some)
    })
    .await
    .map_err(|e| CmdError::new("icon_failed", e.to_string()))?
}

/// An image dropped on Edit's icon, as the raw request body.
#[tauri::command]
pub async fn icon_from_bytes(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> Reply<IconChoice> {
    if !state.session().is_unlocked() {
        return Err(CmdError::locked());
    }
    let (_, bytes) = dropped_file(&request, "image")
        .ok_or_else(|| CmdError::new("icon_not_image", "no image was sent"))?;
    crate::session::icon_from_bytes(bytes)
}
