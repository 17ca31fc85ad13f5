//! What Settings tells a Wayland user: Wayland lets no application grab
//! keys for the whole desktop, and through XWayland our X11 grabs see a
//! key only while an X11 window has the focus. So the user binds the
//! shortcuts in the desktop's own settings to `authdesk-app --show`,
//! `--scan` and `--type` (see [`crate::actions`]), and this works out the
//! exact commands, the keys Settings suggests, and for sway and Hyprland
//! the lines their configuration files take.
//!
//! Everything here is computed from values passed in, so the tests can
//! play any session; [`Env::current`] and [`current`] read the real ones.

use std::path::Path;

use authdesk_core::screen::Desktop;
use serde::Serialize;
use tauri_plugin_global_shortcut::{Code, Shortcut};

/// What Settings shows about binding the shortcuts by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ShortcutHelp {
    /// The app's own shortcuts cannot work here: the panel is shown.
    pub needed: bool,
    /// Whose steps the panel gives.
    #[cfg_attr(test, ts(type = r#""gnome" | "kde" | "sway" | "hyprland" | "other""#))]
    pub desktop: String,
    /// Show, scan and type, always all three.
    pub commands: Vec<ShortcutCommand>,
    /// sway's or Hyprland's configuration lines, for the actions that have
    /// keys; `None` on other desktops, or when no action has keys.
    pub config: Option<String>,
    /// The desktop holds the shortcuts through its GlobalShortcuts portal
    /// (`super::portal`): its own settings change them, not ours.
    pub portal: bool,
}

/// One action's command line and the keys Settings suggests for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ShortcutCommand {
    #[cfg_attr(test, ts(type = r#""show" | "scan" | "type""#))]
    pub action: String,
    /// For a POSIX shell: what GNOME, KDE, sway and Hyprland all run it with.
    pub command: String,
    /// "Ctrl+Alt+A", or "" when Settings has no shortcut for this action.
    pub keys: String,
}

/// The environment variables that decide it.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub session_type: String,
    pub wayland_display: String,
    pub display: String,
    pub current_desktop: String,
    pub appimage: String,
}

impl Env {
    pub fn current() -> Env {
        let var = |name: &str| {
            std::env::var_os(name)
                .map(|v| v.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        Env {
            session_type: var("XDG_SESSION_TYPE"),
            wayland_display: var("WAYLAND_DISPLAY"),
            display: var("DISPLAY"),
            current_desktop: var("XDG_CURRENT_DESKTOP"),
            appimage: var("APPIMAGE"),
        }
    }

    /// A Wayland session. `XDG_SESSION_TYPE` is missing where no login
    /// manager set it (a compositor started from a console), so a Wayland
    /// socket without an X display counts too.
    pub fn wayland(&self, linux: bool) -> bool {
        linux
            && (self.session_type == "wayland"
                || (!self.wayland_display.is_empty() && self.display.is_empty()))
    }

    /// A grab has no X server to go to: registering would only fail, and
    /// say so in a toast, while the panel already explains.
    pub fn grabs_impossible(&self, linux: bool) -> bool {
        self.wayland(linux) && self.display.is_empty()
    }
}

/// The help for this session, with the shortcuts of `settings`.
pub fn current(settings: &crate::settings::Settings) -> ShortcutHelp {
    let exe = std::env::current_exe().ok();
    help(
        &Env::current(),
        cfg!(target_os = "linux"),
        exe.as_deref(),
        [
            &settings.global_shortcut,
            &settings.scan_shortcut,
            &settings.autotype_shortcut,
        ],
    )
}

/// The actions in the order Settings lists their shortcuts.
const ACTIONS: [(&str, &str); 3] = [("show", "--show"), ("scan", "--scan"), ("type", "--type")];

/// `accelerators` are Settings' show, scan and type shortcuts, in that
/// order ("" for none).
pub fn help(env: &Env, linux: bool, exe: Option<&Path>, accelerators: [&str; 3]) -> ShortcutHelp {
    // Inside an AppImage the executable lives in a mount that is gone
    // after the app quits; $APPIMAGE is the file the user started.
    let program = if !env.appimage.is_empty() {
        env.appimage.clone()
    } else {
        exe.map_or_else(
            || "authdesk-app".to_owned(),
            |p| p.to_string_lossy().into_owned(),
        )
    };
    let program = shell_quoted(&program);
    let desktop = desktop_name(&env.current_desktop);
    let mut commands = Vec::new();
    let mut lines = Vec::new();
    for ((action, flag), accelerator) in ACTIONS.into_iter().zip(accelerators) {
        let command = format!("{program} {flag}");
        let keys = Keys::parse(accelerator);
        if let Some(line) = keys
            .as_ref()
            .and_then(|k| config_line(desktop, k, &command))
        {
            lines.push(line);
        }
        commands.push(ShortcutCommand {
            action: action.to_owned(),
            command,
            keys: keys.map(|k| k.human()).unwrap_or_default(),
        });
    }
    let config = (!lines.is_empty()).then(|| lines.join("\n"));
    ShortcutHelp {
        needed: env.wayland(linux),
        desktop: desktop.to_owned(),
        commands,
        config,
        portal: false,
    }
}

/// `accelerator` as the XDG shortcuts specification writes a trigger
/// ("CTRL+ALT+a": its modifier names, then the xkb keysym), the preferred
/// trigger the GlobalShortcuts portal is asked for; `None` for none.
pub fn xdg_trigger(accelerator: &str) -> Option<String> {
    let keys = Keys::parse(accelerator)?;
    let key = xkb_name(keys.key)?;
    let mut all = keys.mods(["CTRL", "ALT", "SHIFT", "LOGO"]);
    all.push(&key);
    Some(all.join("+"))
}

impl ShortcutHelp {
    /// What a copy button puts on the clipboard: "show", "scan" or "type"
    /// (that command) or "config" (the lines); `None` for anything else.
    pub fn text(&self, which: &str) -> Option<String> {
        if which == "config" {
            return self.config.clone();
        }
        self.commands
            .iter()
            .find(|c| c.action == which)
            .map(|c| c.command.clone())
    }
}

/// The steps the panel gives. sway is one of several wlroots compositors,
/// and the others' configuration files differ from its.
fn desktop_name(names: &str) -> &'static str {
    match Desktop::from_names(names) {
        Desktop::Gnome => "gnome",
        Desktop::Kde => "kde",
        Desktop::Hyprland => "hyprland",
        Desktop::Wlroots if names.to_ascii_lowercase().contains("sway") => "sway",
        Desktop::Wlroots | Desktop::Other => "other",
    }
}

/// `s` as one word for a POSIX shell; left bare when nothing in it is
/// special, so the usual path reads as itself.
pub fn shell_quoted(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._+-".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// An accelerator taken apart.
#[derive(Debug, PartialEq, Eq)]
struct Keys {
    ctrl: bool,
    alt: bool,
    shift: bool,
    logo: bool,
    key: Code,
}

impl Keys {
    /// The modifiers are read here rather than by the global-shortcut
    /// plugin, which reads "CommandOrControl" as the platform's (⌘ on
    /// macOS); the help is for Linux, where it is Ctrl. The key is the
    /// plugin's, so it means what the grab would.
    fn parse(accelerator: &str) -> Option<Keys> {
        let mut parts: Vec<&str> = accelerator.split('+').map(str::trim).collect();
        let key = parts.pop().filter(|k| !k.is_empty())?;
        let key = key.parse::<Shortcut>().ok()?.key;
        let mut keys = Keys {
            ctrl: false,
            alt: false,
            shift: false,
            logo: false,
            key,
        };
        for m in parts {
            match m.to_ascii_lowercase().as_str() {
                "commandorcontrol" | "commandorctrl" | "cmdorctrl" | "cmdorcontrol" | "control"
                | "ctrl" => keys.ctrl = true,
                "alt" | "option" => keys.alt = true,
                "shift" => keys.shift = true,
                "super" | "meta" | "command" | "cmd" => keys.logo = true,
                _ => return None,
            }
        }
        Some(keys)
    }

    fn mods(&self, names: [&'static str; 4]) -> Vec<&'static str> {
        [self.ctrl, self.alt, self.shift, self.logo]
            .into_iter()
            .zip(names)
            .filter_map(|(on, name)| on.then_some(name))
            .collect()
    }

    /// "Ctrl+Alt+A", as a desktop's shortcut dialog shows it.
    fn human(&self) -> String {
        let name = self.key.to_string();
        let key = name
            .strip_prefix("Key")
            .or_else(|| name.strip_prefix("Digit"))
            .filter(|k| k.chars().count() == 1)
            .unwrap_or(&name);
        let mut all = self.mods(["Ctrl", "Alt", "Shift", "Super"]);
        all.push(key);
        all.join("+")
    }
}

fn config_line(desktop: &str, keys: &Keys, command: &str) -> Option<String> {
    let key = xkb_name(keys.key)?;
    match desktop {
        "sway" => {
            let mut all = keys.mods(["Ctrl", "Alt", "Shift", "Mod4"]);
            all.push(&key);
            Some(format!("bindsym {} exec {command}", all.join("+")))
        }
        "hyprland" => {
            let mods = keys.mods(["CTRL", "ALT", "SHIFT", "SUPER"]).join(" ");
            let key = if key.len() == 1 {
                key.to_ascii_uppercase()
            } else {
                key
            };
            Some(format!("bind = {mods}, {key}, exec, {command}"))
        }
        _ => None,
    }
}

/// The key's xkb keysym name, which sway and Hyprland bind by (the same
/// keys as the X11 grabs know: `keysym.rs`); `None` for a key whose line
/// would only be a configuration error.
fn xkb_name(code: Code) -> Option<String> {
    let name = super::keysym::keysym(code)?.name()?;
    Some(name.strip_prefix("XK_").unwrap_or(name).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(session_type: &str, wayland: &str, display: &str, desktop: &str) -> Env {
        Env {
            session_type: session_type.into(),
            wayland_display: wayland.into(),
            display: display.into(),
            current_desktop: desktop.into(),
            appimage: String::new(),
        }
    }

    const DEFAULTS: [&str; 3] = [
        "CommandOrControl+Alt+A",
        "CommandOrControl+Alt+S",
        "CommandOrControl+Alt+T",
    ];

    fn of(env: &Env, exe: &str, accelerators: [&str; 3]) -> ShortcutHelp {
        help(env, true, Some(Path::new(exe)), accelerators)
    }

    #[test]
    fn a_wayland_session_needs_it_and_an_x11_one_does_not() {
        let needed = |e: Env| of(&e, "/usr/bin/authdesk-app", DEFAULTS).needed;
        assert!(!needed(env("x11", "", ":0", "GNOME")));
        // XWayland: the grabs see keys only over X11 windows.
        assert!(needed(env("wayland", "wayland-0", ":0", "GNOME")));
        assert!(needed(env("wayland", "wayland-0", "", "sway")));
        // A compositor started from a console sets no session type.
        assert!(needed(env("tty", "wayland-1", "", "sway")));
        assert!(!needed(env("tty", "wayland-1", ":1", "sway")));
        assert!(!needed(env("", "", "", "")));
        // Never off Linux, whatever the variables say.
        let e = env("wayland", "wayland-0", "", "GNOME");
        assert!(!help(&e, false, None, DEFAULTS).needed);
    }

    #[test]
    fn grabs_are_skipped_only_without_an_x_server() {
        assert!(env("wayland", "wayland-0", "", "sway").grabs_impossible(true));
        assert!(!env("wayland", "wayland-0", ":0", "GNOME").grabs_impossible(true));
        assert!(!env("x11", "", ":0", "GNOME").grabs_impossible(true));
        // No display at all is not Wayland's doing: the error still shows.
        assert!(!env("tty", "", "", "").grabs_impossible(true));
        assert!(!env("wayland", "wayland-0", "", "sway").grabs_impossible(false));
    }

    #[test]
    fn the_desktop_picks_the_steps() {
        let desktop = |names: &str| of(&env("wayland", "w", "", names), "/a", DEFAULTS).desktop;
        assert_eq!(desktop("ubuntu:GNOME"), "gnome");
        assert_eq!(desktop("KDE"), "kde");
        assert_eq!(desktop("sway"), "sway");
        assert_eq!(desktop("Hyprland"), "hyprland");
        // Another wlroots compositor has a configuration of its own.
        assert_eq!(desktop("river"), "other");
        assert_eq!(desktop("X-Cinnamon"), "other");
        assert_eq!(desktop(""), "other");
    }

    #[test]
    fn a_path_is_quoted_only_when_a_shell_would_split_or_read_it() {
        assert_eq!(
            shell_quoted("/usr/bin/authdesk-app"),
            "/usr/bin/authdesk-app"
        );
        assert_eq!(shell_quoted("/opt/a_b/c+d-1.2"), "/opt/a_b/c+d-1.2");
        assert_eq!(
            shell_quoted("/home/an/My Apps/it's/authdesk"),
            r"'/home/an/My Apps/it'\''s/authdesk'"
        );
        assert_eq!(shell_quoted("/x/$HOME"), "'/x/$HOME'");
        assert_eq!(shell_quoted(""), "''");
    }

    #[test]
    fn all_three_commands_are_listed_with_their_keys() {
        let h = of(
            &env("wayland", "w", "", "GNOME"),
            "/home/an/My Apps/it's",
            ["CommandOrControl+Alt+A", "", "Ctrl+Shift+F5"],
        );
        let command = |action: &str, command: &str, keys: &str| ShortcutCommand {
            action: action.into(),
            command: command.into(),
            keys: keys.into(),
        };
        let q = r"'/home/an/My Apps/it'\''s'";
        assert_eq!(
            h.commands,
            [
                command("show", &format!("{q} --show"), "Ctrl+Alt+A"),
                command("scan", &format!("{q} --scan"), ""),
                command("type", &format!("{q} --type"), "Ctrl+Shift+F5"),
            ]
        );
        assert_eq!(h.config, None);
    }

    #[test]
    fn an_appimage_is_run_as_the_file_the_user_started() {
        let mut e = env("wayland", "w", "", "KDE");
        e.appimage = "/home/an/Apps/Authdesk.AppImage".into();
        let h = of(&e, "/tmp/.mount_Auth12/usr/bin/authdesk-app", DEFAULTS);
        assert_eq!(
            h.commands[0].command,
            "/home/an/Apps/Authdesk.AppImage --show"
        );
        // No executable path to be had: the name on $PATH.
        let h = help(&env("wayland", "w", "", "KDE"), true, None, DEFAULTS);
        assert_eq!(h.commands[2].command, "authdesk-app --type");
    }

    #[test]
    fn sway_gets_bindsym_lines_for_the_actions_with_keys() {
        let h = of(
            &env("wayland", "wayland-1", "", "sway"),
            "/usr/bin/authdesk-app",
            ["CommandOrControl+Alt+A", "", "Super+Shift+Enter"],
        );
        assert_eq!(
            h.config.as_deref(),
            Some(
                "bindsym Ctrl+Alt+a exec /usr/bin/authdesk-app --show\n\
                 bindsym Shift+Mod4+Return exec /usr/bin/authdesk-app --type"
            )
        );
        assert_eq!(h.commands[2].keys, "Shift+Super+Enter");
        assert_eq!(h.text("config"), h.config);
    }

    #[test]
    fn hyprland_gets_bind_lines() {
        let h = of(
            &env("wayland", "wayland-1", "", "Hyprland"),
            "/usr/bin/authdesk-app",
            ["CommandOrControl+Alt+A", "Alt+F5", "Meta+Digit1"],
        );
        assert_eq!(
            h.config.as_deref(),
            Some(
                "bind = CTRL ALT, A, exec, /usr/bin/authdesk-app --show\n\
                 bind = ALT, F5, exec, /usr/bin/authdesk-app --scan\n\
                 bind = SUPER, 1, exec, /usr/bin/authdesk-app --type"
            )
        );
    }

    #[test]
    fn the_portal_is_asked_for_triggers_in_the_xdg_form() {
        assert_eq!(
            xdg_trigger("CommandOrControl+Alt+A").as_deref(),
            Some("CTRL+ALT+a")
        );
        assert_eq!(
            xdg_trigger("Shift+Super+F5").as_deref(),
            Some("SHIFT+LOGO+F5")
        );
        assert_eq!(xdg_trigger(""), None);
        assert_eq!(xdg_trigger("Ctrl+CapsLock"), None);
    }

    #[test]
    fn keys_read_as_xkb_names() {
        let line = |accelerator: &str| {
            let h = of(
                &env("wayland", "w", "", "sway"),
                "/a",
                [accelerator, "", ""],
            );
            (h.commands[0].keys.clone(), h.config.unwrap_or_default())
        };
        assert_eq!(
            line("Ctrl+Alt+KeyQ"),
            (
                "Ctrl+Alt+Q".into(),
                "bindsym Ctrl+Alt+q exec /a --show".into()
            )
        );
        assert_eq!(line("Alt+Space").1, "bindsym Alt+space exec /a --show");
        assert_eq!(line("Ctrl+ArrowUp").1, "bindsym Ctrl+Up exec /a --show");
        assert_eq!(line("Ctrl+Numpad7").1, "bindsym Ctrl+KP_7 exec /a --show");
        assert_eq!(
            line("Ctrl+Backquote").1,
            "bindsym Ctrl+grave exec /a --show"
        );
        assert_eq!(
            line("F5"),
            ("F5".into(), "bindsym F5 exec /a --show".into())
        );
        // A key sway has no simple name for is left to the list of commands.
        assert_eq!(
            line("Ctrl+CapsLock"),
            ("Ctrl+CapsLock".into(), String::new())
        );
    }

    #[test]
    fn an_accelerator_that_does_not_parse_has_no_keys() {
        let h = of(
            &env("wayland", "w", "", "sway"),
            "/a",
            ["Ctrl+Alt+", "Hyper+A", "Ctrl+NoSuchKey"],
        );
        assert!(h.commands.iter().all(|c| c.keys.is_empty()));
        assert_eq!(h.config, None);
    }

    #[test]
    fn copy_texts_are_the_commands_or_the_lines() {
        let h = of(&env("wayland", "w", "", "GNOME"), "/a", DEFAULTS);
        assert_eq!(h.text("scan").as_deref(), Some("/a --scan"));
        assert_eq!(h.text("config"), None);
        assert_eq!(h.text("rm -rf"), None);
    }
}
