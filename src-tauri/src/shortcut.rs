//! The global shortcuts: one brings the window forward, one scans the
//! screen, one types the code of the window in front (auto-type).

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_global_shortcut::Shortcut;

use crate::settings::Settings;
use crate::state::AppState;

pub mod help;
mod keysym;
#[cfg(target_os = "linux")]
pub mod portal;
#[cfg(target_os = "linux")]
pub mod x11;

/// Replaces the registered shortcuts with the settings' (empty = none).
/// Reports the first that could not be registered.
pub fn apply<R: Runtime>(app: &AppHandle<R>, settings: &Settings) -> Result<(), String> {
    let Some(shortcuts) = Registry::of(app) else {
        // Absent under the mock runtime of the tests.
        return Ok(());
    };
    shortcuts.unregister_all();
    // Settings' panel explains what to bind instead; a "could not be
    // registered" on every start and save would only alarm.
    if help::Env::current().grabs_impossible(cfg!(target_os = "linux")) {
        return Ok(());
    }
    let mut first_error = None;
    for accelerator in [
        &settings.global_shortcut,
        &settings.scan_shortcut,
        &settings.autotype_shortcut,
    ] {
        if accelerator.is_empty() {
            continue;
        }
        if let Err(e) = shortcuts.register(accelerator) {
            first_error.get_or_insert(format!("{accelerator}: {e}"));
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Where shortcuts are registered: our own X11 grabs on Linux
/// ([`x11`]), the global-shortcut plugin elsewhere.
#[cfg(target_os = "linux")]
struct Registry<'a>(tauri::State<'a, x11::Shortcuts>);
#[cfg(not(target_os = "linux"))]
struct Registry<'a, R: Runtime>(&'a tauri_plugin_global_shortcut::GlobalShortcut<R>);

#[cfg(target_os = "linux")]
impl<'a> Registry<'a> {
    fn of<R: Runtime>(app: &'a AppHandle<R>) -> Option<Self> {
        app.try_state::<x11::Shortcuts>().map(Registry)
    }
    fn unregister_all(&self) {
        self.0.unregister_all();
    }
    fn register(&self, accelerator: &str) -> Result<(), String> {
        self.0.register(accelerator)
    }
}

#[cfg(not(target_os = "linux"))]
impl<'a, R: Runtime> Registry<'a, R> {
    fn of(app: &'a AppHandle<R>) -> Option<Self> {
        use tauri_plugin_global_shortcut::{GlobalShortcut, GlobalShortcutExt};
        app.try_state::<GlobalShortcut<R>>()?;
        Some(Registry(app.global_shortcut()))
    }
    fn unregister_all(&self) {
        let _ = self.0.unregister_all();
    }
    fn register(&self, accelerator: &str) -> Result<(), String> {
        self.0.register(accelerator).map_err(|e| e.to_string())
    }
}

/// What Settings shows about the shortcuts: the commands to bind where
/// nothing grabs them, or that the desktop's portal holds them.
pub fn help(settings: &Settings) -> help::ShortcutHelp {
    let help = help::current(settings);
    #[cfg(target_os = "linux")]
    if portal::bound() {
        return help::ShortcutHelp {
            needed: false,
            portal: true,
            ..help
        };
    }
    help
}

/// A registered shortcut was pressed.
pub fn pressed<R: Runtime>(app: &AppHandle<R>, shortcut: &Shortcut) {
    let state = app.state::<AppState>();
    let (scan, autotype) = {
        let s = state.settings();
        (s.scan_shortcut.clone(), s.autotype_shortcut.clone())
    };
    let is = |accelerator: &str| {
        accelerator
            .parse::<Shortcut>()
            .is_ok_and(|s| &s == shortcut)
    };
    use crate::actions::Action;
    fire(
        app,
        if is(&autotype) {
            Action::Type
        } else if is(&scan) {
            Action::Scan
        } else {
            Action::Show
        },
    );
}

/// A shortcut's action, wherever the press came from (our X11 grabs, the
/// plugin, the desktop's portal).
pub fn fire<R: Runtime>(app: &AppHandle<R>, action: crate::actions::Action) {
    match action {
        // In front: hidden again (to the tray); otherwise brought forward.
        crate::actions::Action::Show => crate::window::toggle(app),
        other => crate::actions::run(app, other),
    }
}
