//! The global shortcut that brings the window forward.

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_global_shortcut::{GlobalShortcut, GlobalShortcutExt};

/// Replaces the registered shortcut; an empty accelerator removes it.
pub fn apply<R: Runtime>(app: &AppHandle<R>, accelerator: &str) -> Result<(), String> {
    // Absent under the mock runtime of the tests.
    if app.try_state::<GlobalShortcut<R>>().is_none() {
        return Ok(());
    }
    let shortcuts = app.global_shortcut();
    let _ = shortcuts.unregister_all();
    if accelerator.is_empty() {
        return Ok(());
    }
    shortcuts
        .register(accelerator)
        .map_err(|e| format!("{accelerator}: {e}"))
}
