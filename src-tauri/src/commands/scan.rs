//! Scanning QR codes: an image (picked, dropped or pasted) or the screen.

use tauri::{AppHandle, Runtime, State};

use super::{Reply, dropped_file, picked_path};
use crate::error::CmdError;
use crate::session::{AddReport, ScanReport};
use crate::state::AppState;
use crate::window;

/// An image's bytes as the raw request body (file picker, drop or paste),
/// its name in the `x-name` header. Decoded off the async workers.
#[tauri::command]
pub async fn scan_image<R: Runtime>(
    app: AppHandle<R>,
    request: tauri::ipc::Request<'_>,
) -> Reply<ScanReport> {
    use tauri::Manager;
    let (name, bytes) = dropped_file(&request, "image")
        .ok_or_else(|| CmdError::new("invalid_image", "no image was sent"))?;
    let bytes = bytes.to_vec();
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
        let Some(path) = picked_path(dialog, "image_io")? else {
            return Ok(None);
        };
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
                if authdesk_core::display::is_wayland() {
                    400
                } else {
                    150
                },
            ));
        }
        // The window in front once ours stepped aside: the portal whose QR
        // code is being scanned, named in its title.
        let focused = crate::autotype::focus::focused();
        crate::trace(&format!("scan: window in front {focused:?}"));
        let window = focused
            .filter(|f| !f.ours)
            .map(|f| authdesk_core::autotype::suggest(&f.title))
            .filter(|t| !t.is_empty());
        authdesk_core::screen::scan().map(|shots| (shots, window))
    })
    .await;
    // Also after the scan shortcut, pressed while the window was hidden:
    // the result is to be seen.
    window::show(&app);
    let (shots, window) = shots.map_err(|e| CmdError::new("scan_failed", e.to_string()))??;
    let texts = shots.into_iter().flat_map(|s| s.texts).collect();
    app.state::<AppState>()
        .session()
        .scan_texts_in(texts, window)
}

#[tauri::command]
pub async fn add_scanned(state: State<'_, AppState>) -> Reply<AddReport> {
    state.session().add_scanned()
}
