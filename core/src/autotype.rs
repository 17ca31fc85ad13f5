//! Auto-type: which account belongs to the window in front (its title
//! against each account's window matches), and typing a code into that
//! window through the OS's input API (feature `autotype`: enigo, which
//! sends X11 XTEST, Windows SendInput or macOS CGEvent events).
//!
//! A portal's login page names itself in the browser tab's title ("Mijn
//! ista – Inloggen - Chromium"), so a few words of it ("ista",
//! "mijn.ista.nl") pick the account. Typing never decides where it types:
//! the caller checks the window first (never our own), and the user's
//! focus is what receives the keys.

pub use crate::entry::AutoType;
use crate::entry::Entry;

/// The most window matches one account keeps.
pub const MAX_WINDOWS: usize = 10;
/// The longest window match kept, in characters.
pub const MAX_WINDOW: usize = 100;

/// Window matches as they are kept: one line each, trimmed, at most
/// [`MAX_WINDOW`] characters, no empty ones or repeats (ignoring case), at
/// most [`MAX_WINDOWS`].
pub fn clean_windows(windows: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in windows {
        let w = crate::text::one_line(w, MAX_WINDOW);
        if !w.is_empty() && !out.iter().any(|o| o.to_lowercase() == w.to_lowercase()) {
            out.push(w);
        }
        if out.len() == MAX_WINDOWS {
            break;
        }
    }
    out
}

/// The accounts a window title picks.
#[derive(Debug, PartialEq, Eq)]
pub enum WindowMatch<'a> {
    /// Exactly one account: type its code.
    One(&'a Entry),
    /// Several match equally well: the user chooses.
    Several(Vec<&'a Entry>),
    /// None: the user chooses (and may remember the choice).
    Nothing,
}

/// The account whose window match best fits `title`: the longest match
/// found in the title wins ("ista.nl" over "ista"), ignoring case.
pub fn for_window<'a>(entries: &'a [Entry], title: &str) -> WindowMatch<'a> {
    let title = title.to_lowercase();
    let mut best = 0;
    let mut found: Vec<&Entry> = Vec::new();
    for e in entries {
        let len = e
            .autotype
            .windows
            .iter()
            .map(|w| w.trim().to_lowercase())
            .filter(|w| !w.is_empty() && title.contains(w.as_str()))
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        if len == 0 || len < best {
            continue;
        }
        if len > best {
            best = len;
            found.clear();
        }
        found.push(e);
    }
    match found.len() {
        0 => WindowMatch::Nothing,
        1 => WindowMatch::One(found[0]),
        _ => WindowMatch::Several(found),
    }
}

/// What a browser adds to a page's title, last first as browsers write it.
const BROWSER_SUFFIXES: [&str; 8] = [
    "Chromium",
    "Google Chrome",
    "Mozilla Firefox",
    "Firefox",
    "Microsoft Edge",
    "Brave",
    "Safari",
    "Opera",
];

/// The window match a title suggests: the page's own title, without the
/// browser's name and a trailing separator ("Mijn ista – Inloggen -
/// Chromium" gives "Mijn ista – Inloggen"). Empty when nothing is left.
pub fn suggest(title: &str) -> String {
    let mut t = title.trim();
    for suffix in BROWSER_SUFFIXES {
        if let Some(rest) = t.strip_suffix(suffix) {
            let rest = rest.trim_end();
            if let Some(r) = rest
                .strip_suffix(" -")
                .or_else(|| rest.strip_suffix(" —"))
                .or_else(|| rest.strip_suffix(" –"))
            {
                t = r.trim_end();
                break;
            }
        }
    }
    crate::text::one_line(t, MAX_WINDOW)
}

/// Why a code could not be typed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TypeError {
    /// This session offers no way to send keys to other programs (Wayland
    /// without an X11 display, no display at all).
    #[error("this session cannot type into other windows: {reason}")]
    Unavailable {
        /// What is missing, in the OS's words.
        reason: String,
    },
    /// macOS: the Accessibility permission is needed to type.
    #[error(
        "typing needs the Accessibility permission (System Settings → Privacy & Security → Accessibility)"
    )]
    Permission,
    /// The OS refused a key.
    #[error("could not type the code: {reason}")]
    Failed {
        /// The OS's reason.
        reason: String,
    },
}

impl crate::error::Kind for TypeError {
    fn kind(&self) -> &'static str {
        match self {
            TypeError::Unavailable { .. } => "type_unavailable",
            TypeError::Permission => "type_permission",
            TypeError::Failed { .. } => "type_failed",
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            TypeError::Unavailable { reason } | TypeError::Failed { reason } => {
                vec![("reason", reason.clone())]
            }
            TypeError::Permission => Vec::new(),
        }
    }
}

/// What can be known before typing, cheaply: on Linux, an X11 session to
/// type into. Asked before an HOTP code is issued, so that a session that
/// cannot type spends no code.
pub fn can_type() -> Result<(), TypeError> {
    // With or without XWayland: its keys reach X11 windows only, and which
    // window is in front is the compositor's secret, so on GNOME or KDE a
    // code could land in another program's X11 window (a chat) while the
    // portal's browser is in front.
    if crate::display::is_wayland() {
        return Err(TypeError::Unavailable {
            reason: "a Wayland session, where other programs' windows cannot be typed into".into(),
        });
    }
    let display = std::env::var_os("DISPLAY").is_some_and(|s| !s.is_empty());
    if cfg!(target_os = "linux") && !display {
        return Err(TypeError::Unavailable {
            reason: "no display ($DISPLAY is not set)".into(),
        });
    }
    Ok(())
}

/// Types `code` into the focused window, then Enter if asked, waiting
/// `key_delay_ms` between keys (some portals' scripts drop keys that
/// come faster).
#[cfg(feature = "autotype")]
pub fn type_code(code: &str, enter: bool, key_delay_ms: u32) -> Result<(), TypeError> {
    use enigo::{Direction, Enigo, Key, Keyboard, NewConError, Settings};
    can_type()?;
    let settings = Settings {
        linux_delay: key_delay_ms,
        ..Settings::default()
    };
    let mut enigo = Enigo::new(&settings).map_err(|e| match e {
        NewConError::NoPermission => TypeError::Permission,
        other => TypeError::Unavailable {
            reason: other.to_string(),
        },
    })?;
    let failed = |e: enigo::InputError| TypeError::Failed {
        reason: e.to_string(),
    };
    let pause = std::time::Duration::from_millis(u64::from(key_delay_ms));
    for c in code.chars().filter(|c| !c.is_whitespace()) {
        enigo
            .key(Key::Unicode(c), Direction::Click)
            .map_err(failed)?;
        std::thread::sleep(pause);
    }
    if enter {
        enigo.key(Key::Return, Direction::Click).map_err(failed)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(issuer: &str, windows: &[&str]) -> Entry {
        let data = crate::uri::parse_otpauth(&format!(
            "otpauth://totp/{issuer}:jan?secret=JBSWY3DPEHPK3PXP"
        ))
        .unwrap();
        let mut e = Entry::new(data, 0);
        e.autotype.windows = windows.iter().map(|w| (*w).to_owned()).collect();
        e
    }

    #[test]
    fn the_longest_match_in_the_title_picks_the_account() {
        let v = [
            entry("ista", &["ista"]),
            entry("ista zakelijk", &["zakelijk.ista.nl"]),
            entry("Innovoltus", &["Innovoltus", "installateursportaal"]),
            entry("Plain", &[]),
        ];
        let names = |m: WindowMatch| match m {
            WindowMatch::One(e) => vec![e.data.issuer.clone()],
            WindowMatch::Several(l) => l.iter().map(|e| e.data.issuer.clone()).collect(),
            WindowMatch::Nothing => vec![],
        };
        assert_eq!(
            names(for_window(&v, "Mijn ISTA – Inloggen - Chromium")),
            ["ista"]
        );
        assert_eq!(
            names(for_window(&v, "zakelijk.ista.nl/login - Firefox")),
            ["ista zakelijk"]
        );
        assert_eq!(
            names(for_window(&v, "INNOVOLTUS Installateursportaal")),
            ["Innovoltus"]
        );
        assert!(names(for_window(&v, "Terminal")).is_empty());
        let twins = [entry("A", &["meter"]), entry("B", &["METER"])];
        assert_eq!(names(for_window(&twins, "Meterportaal")), ["A", "B"]);
    }

    #[test]
    fn a_browser_title_suggests_the_page_title() {
        assert_eq!(
            suggest("Mijn ista – Inloggen - Chromium"),
            "Mijn ista – Inloggen"
        );
        assert_eq!(
            suggest("Enphase Installer Portal — Mozilla Firefox"),
            "Enphase Installer Portal"
        );
        assert_eq!(suggest("  Meterportaal  "), "Meterportaal");
        assert_eq!(suggest("Chromium"), "Chromium");
    }

    #[test]
    fn window_matches_are_cleaned() {
        let many: Vec<String> = (0..15).map(|i| format!("w{i}")).collect();
        assert_eq!(clean_windows(&many).len(), MAX_WINDOWS);
        let messy = vec![
            " ista\n".to_owned(),
            "ISTA".into(),
            "".into(),
            "x".repeat(150),
        ];
        let clean = clean_windows(&messy);
        assert_eq!(clean[0], "ista");
        assert_eq!(clean.len(), 2);
        assert_eq!(clean[1].chars().count(), MAX_WINDOW);
    }
}
