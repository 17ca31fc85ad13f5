//! Settings, the network-time check and updates.

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use super::Reply;
use crate::error::CmdError;
use crate::session::now_ms;
use crate::settings::{self, Language, Settings};
use crate::state::AppState;
use crate::{shortcut, tray, window};

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> Reply<Settings> {
    Ok(state.settings().clone())
}

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SettingsReply {
    settings: Settings,
    /// The language the UI now shows: never "system".
    #[cfg_attr(test, ts(type = r#""en" | "nl" | "de" | "fr""#))]
    language: Language,
    /// Why the global shortcut could not be registered, if it could not.
    shortcut_error: Option<String>,
}

#[tauri::command]
pub async fn set_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: Settings,
) -> Reply<SettingsReply> {
    let settings = settings.normalized();
    if let Some(path) = &state.settings_path {
        settings::save(path, &settings).map_err(CmdError::settings_save)?;
    }
    let previous = std::mem::replace(&mut *state.settings(), settings.clone());
    if previous.time_servers != settings.time_servers
        || (previous.clock_check_minutes == 0 && settings.clock_check_minutes > 0)
    {
        crate::clock::request();
    }
    let language = settings.effective_language();
    if previous.effective_language() != language
        || previous.tray_codes != settings.tray_codes
        || previous.sort_order != settings.sort_order
    {
        tray::refresh(&app);
    }
    if previous.start_with_computer != settings.start_with_computer {
        crate::autostart::set(&app, settings.start_with_computer)?;
    }
    if previous.hide_from_capture != settings.hide_from_capture {
        window::protect(&app, settings.hide_from_capture);
    }
    if previous.zoom_percent != settings.zoom_percent {
        window::zoom(&app, settings.zoom_percent);
    }
    let shortcut_error = if previous.global_shortcut != settings.global_shortcut
        || previous.scan_shortcut != settings.scan_shortcut
        || previous.autotype_shortcut != settings.autotype_shortcut
    {
        shortcut::apply(&app, &settings).err()
    } else {
        None
    };
    Ok(SettingsReply {
        settings,
        language,
        shortcut_error,
    })
}

/// Whether Settings shows how to bind the shortcuts in the desktop's own
/// settings (Wayland), and what to bind.
#[tauri::command]
pub async fn shortcut_help(state: State<'_, AppState>) -> Reply<shortcut::help::ShortcutHelp> {
    Ok(shortcut::help(&state.settings()))
}

/// A copy button of that panel: `which` is "show", "scan", "type" or
/// "config", and the text is worked out here, so the page cannot put
/// whatever it likes on the clipboard through this command.
#[tauri::command]
pub async fn copy_shortcut_text(state: State<'_, AppState>, which: String) -> Reply<()> {
    let help = shortcut::help::current(&state.settings());
    let text = help.text(&which).ok_or_else(|| {
        CmdError::new(
            "unknown_shortcut_text",
            format!("there is no shortcut text called {which:?} to copy"),
        )
        .with("which", &which)
    })?;
    state.clipboard.copy_plain(&text)
}

/// The UI has painted its first screen: work kept off the start-up path
/// may begin. With `$AUTHDESK_TRACE_STARTUP` set the wall-clock time is
/// printed, for benches/app.sh.
#[tauri::command]
pub async fn ui_ready<R: Runtime>(app: AppHandle<R>, screen: String) -> Reply<()> {
    if std::env::var_os("AUTHDESK_TRACE_STARTUP").is_some() {
        let ms = now_ms();
        eprintln!("authdesk: first screen '{screen}' painted at {ms} ms");
        crate::trace("painted");
    }
    crate::register_shortcut_once(&app);
    Ok(())
}

/// The last update check: for Settings and the list's banner.
#[tauri::command]
pub async fn update_status<R: Runtime>(app: AppHandle<R>) -> Reply<crate::update::UpdateStatus> {
    Ok(crate::update::status(&app))
}

/// "Check now" in Settings; the answer also arrives as `update-status`.
#[tauri::command]
pub async fn check_update<R: Runtime>(app: AppHandle<R>) -> Reply<crate::update::UpdateStatus> {
    Ok(crate::update::run_check(&app).await)
}

/// "Install and restart": returns only on failure (the app restarts).
#[tauri::command]
pub async fn install_update<R: Runtime>(app: AppHandle<R>) -> Reply<()> {
    crate::update::install(&app).await
}

/// The last clock check (or why there is none), for the banner and Settings.
#[tauri::command]
pub async fn clock_status(state: State<'_, AppState>) -> Reply<crate::clock::ClockStatus> {
    Ok(state.clock_status())
}

/// "Check now": a check on a worker thread; the page gets the outcome both
/// as the reply and as the `clock-status` event.
#[tauri::command]
pub async fn check_clock<R: Runtime>(app: AppHandle<R>) -> Reply<crate::clock::ClockStatus> {
    tauri::async_runtime::spawn_blocking(move || check_and_announce_clock(&app))
        .await
        .map_err(|e| CmdError::new("clock_failed", e.to_string()))
}

/// One clock check, kept and announced as `clock-status`: "Check now" and
/// the checker thread both come here. Blocks for up to the check's timeout.
pub(crate) fn check_and_announce_clock<R: Runtime>(
    app: &AppHandle<R>,
) -> crate::clock::ClockStatus {
    let view = app.state::<AppState>().check_clock();
    let _ = app.emit("clock-status", &view);
    view
}
