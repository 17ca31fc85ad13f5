//! The global shortcuts: one brings the window forward, one scans the
//! screen.

use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_global_shortcut::{GlobalShortcut, GlobalShortcutExt, Shortcut};

use crate::settings::Settings;
use crate::state::AppState;

/// Replaces the registered shortcuts with the settings' (empty = none).
/// Reports the first that could not be registered.
pub fn apply<R: Runtime>(app: &AppHandle<R>, settings: &Settings) -> Result<(), String> {
    // Absent under the mock runtime of the tests.
    if app.try_state::<GlobalShortcut<R>>().is_none() {
        return Ok(());
    }
    let shortcuts = app.global_shortcut();
    let _ = shortcuts.unregister_all();
    let mut first_error = None;
    for accelerator in [&settings.global_shortcut, &settings.scan_shortcut] {
        if accelerator.is_empty() {
            continue;
        }
        if let Err(e) = shortcuts.register(accelerator.as_str()) {
            first_error.get_or_insert(format!("{accelerator}: {e}"));
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// A registered shortcut was pressed.
pub fn pressed<R: Runtime>(app: &AppHandle<R>, shortcut: &Shortcut) {
    let scan = app.state::<AppState>().settings().scan_shortcut.clone();
    if scan.parse::<Shortcut>().is_ok_and(|s| &s == shortcut) {
        // The page runs the scan so that it shows the result; scan_screen
        // brings the window forward afterwards.
        let _ = app.emit("scan-screen", ());
    } else {
        // In front: hidden again (to the tray); otherwise brought forward.
        crate::window::toggle(app);
    }
}
