//! Showing, hiding and locking, shared by the tray, the global shortcut,
//! the second-instance handler and the idle timer.

use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::AppState;

pub fn show<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        // A Wayland compositor lets no program raise its own window without
        // an activation token, which a second start has no way to hand on:
        // sway left a minimised window where it was. A window mapped anew
        // is placed in front and focused, as any new window is.
        if authdesk_core::display::is_wayland()
            && w.is_visible().unwrap_or(false)
            && !w.is_focused().unwrap_or(false)
        {
            let _ = w.hide();
        }
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
        let _ = app.emit("window-visible", true);
    }
}

/// Keeps the window's contents (codes) out of other programs' screenshots
/// and screen sharing, or lets them in. Windows and macOS only: Tauri does
/// nothing on Linux, where no desktop offers it.
pub fn protect<R: Runtime>(app: &AppHandle<R>, on: bool) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.set_content_protected(on);
    }
}

/// Zooms the page (text, controls and layout together, as a browser's
/// Ctrl + does): the CSS viewport narrows, so the narrow layout takes over.
pub fn zoom<R: Runtime>(app: &AppHandle<R>, percent: u16) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.set_zoom(f64::from(percent) / 100.0);
    }
}

/// Hides the window if it is in front, brings it forward otherwise (the
/// tray and the global shortcut).
pub fn toggle<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        if w.is_visible().unwrap_or(false) && w.is_focused().unwrap_or(false) {
            let _ = w.hide();
            // The page stops its per-second work: WebKitGTK does not always
            // report a hidden window as a hidden page.
            let _ = app.emit("window-visible", false);
        } else {
            show(app);
        }
    }
}

/// One last household-folder round before the vault closes: the poller
/// writes up to 3 s after a change, and a lock or quit in between must not
/// leave the change out of this device's backup.
pub fn flush_backup<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let (folder, keep) = {
        let s = state.settings();
        (s.backup_folder.clone(), s.keep_backups as usize)
    };
    if !folder.is_empty() {
        // A failure is kept for the Backup screen; quitting goes on.
        let _ =
            crate::session::household::round(&state.shared, std::path::Path::new(&folder), keep);
    }
}

/// Locks the vault, clears a code we copied and tells the UI, which drops
/// every code and name it holds.
///
/// The key is gone before anything slow happens: the last household backup
/// is written afterwards from a copy, on a thread of its own, so a hung
/// folder never delays locking.
pub fn lock<R: Runtime>(app: &AppHandle<R>, reason: &str) {
    let state = app.state::<AppState>();
    let (folder, keep) = {
        let s = state.settings();
        (s.backup_folder.clone(), s.keep_backups as usize)
    };
    let copy = {
        let mut session = state.session();
        let copy = session.copy_for_last_backup();
        session.lock();
        copy
    };
    state.clipboard.clear_ours();
    let _ = app.emit("locked", reason);
    if let Some(copy) = copy.filter(|_| !folder.is_empty()) {
        crate::session::household::write_at_lock(copy, folder.into(), keep);
    }
}
