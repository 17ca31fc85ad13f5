//! "Start with the computer": the OS's own autostart (an XDG autostart
//! entry on Linux, a Launch Agent on macOS, the Run key on Windows) through
//! the official plugin, with `--hidden` so that a start at login waits in
//! the tray instead of opening a window.

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_autostart::AutoLaunchManager;

use crate::error::CmdError;

/// The argument the autostart entry passes.
const HIDDEN: &str = "--hidden";

pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_autostart::Builder::new()
        .args([HIDDEN])
        .build()
}

/// This start came from the autostart entry.
pub fn started_by_login() -> bool {
    std::env::args_os().skip(1).any(|a| a == HIDDEN)
}

/// Adds or removes the autostart entry.
pub fn set<R: Runtime>(app: &AppHandle<R>, on: bool) -> Result<(), CmdError> {
    let Some(manager) = app.try_state::<AutoLaunchManager>() else {
        return Ok(()); // the tests' mock app has no plugins
    };
    let done = if on {
        manager.enable()
    } else {
        manager.disable()
    };
    done.map_err(|e| {
        CmdError::new(
            "autostart_failed",
            format!("could not change starting with the computer: {e}"),
        )
        .with("reason", e)
    })
}
