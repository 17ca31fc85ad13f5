//! What a second start asks the running app to do: `authdesk-app --show`,
//! `--scan` or `--type` reach it through the single-instance plugin. A
//! desktop whose global shortcuts the app cannot grab (Wayland without
//! the GlobalShortcuts portal) binds its own shortcut to one of these
//! commands; so can anyone else, for a launcher or a script.

use tauri::{AppHandle, Emitter, Runtime};

/// One of the shortcuts' actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Bring the window forward (and unlock, if locked, as it shows).
    Show,
    /// Scan the screen for a QR code, as the scan shortcut does.
    Scan,
    /// Type the code of the window in front, as the auto-type shortcut does.
    Type,
}

impl Action {
    /// The action a start's arguments ask for; the first such flag wins.
    /// Anything else (an otpauth:// link, which the deep-link plugin
    /// takes, or no argument) shows the window.
    pub fn from_args<S: AsRef<str>>(args: &[S]) -> Action {
        args.iter()
            .skip(1)
            .find_map(|a| match a.as_ref() {
                "--show" => Some(Action::Show),
                "--scan" => Some(Action::Scan),
                "--type" => Some(Action::Type),
                _ => None,
            })
            .unwrap_or(Action::Show)
    }
}

/// Carries out `action` in the running app.
pub fn run<R: Runtime>(app: &AppHandle<R>, action: Action) {
    match action {
        Action::Show => crate::window::show(app),
        // The page runs the scan so that it shows the result (as the
        // shortcut's press does); scan_screen brings the window forward.
        Action::Scan => {
            let _ = app.emit("scan-screen", ());
        }
        Action::Type => crate::autotype::pressed(app),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_action_flag_wins_and_anything_else_shows() {
        let of = |args: &[&str]| Action::from_args(args);
        assert_eq!(of(&["authdesk-app"]), Action::Show);
        assert_eq!(of(&["authdesk-app", "--scan"]), Action::Scan);
        assert_eq!(of(&["authdesk-app", "--type", "--scan"]), Action::Type);
        assert_eq!(
            of(&["authdesk-app", "otpauth://totp/A?secret=B"]),
            Action::Show
        );
        // The program's own name is never read as a flag.
        assert_eq!(of(&["--scan"]), Action::Show);
    }
}
