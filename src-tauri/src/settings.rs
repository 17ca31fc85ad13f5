//! User preferences, kept beside (not inside) the vault: they are needed
//! before unlocking (language, theme) and hold nothing secret.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    System,
    En,
    Nl,
    De,
    Fr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default)]
pub struct Settings {
    pub language: Language,
    pub theme: Theme,
    /// 0 = never.
    pub autolock_minutes: u32,
    /// 0 = never clear.
    pub clipboard_clear_seconds: u32,
    pub start_minimized: bool,
    /// Starts with the computer, hidden in the tray (opt-in).
    pub start_with_computer: bool,
    /// Tauri accelerator syntax, e.g. "CommandOrControl+Alt+A"; empty = none.
    pub global_shortcut: String,
    /// Scans the screen from anywhere; same syntax, empty = none.
    pub scan_shortcut: String,
    /// Types the code of the account that matches the window in front;
    /// same syntax, empty = none.
    pub autotype_shortcut: String,
    /// Where "Back up now" writes this device's backup (for example a
    /// folder a sync tool shares with the household); empty = none chosen.
    pub backup_folder: String,
    /// Earlier backups of this device kept in the folder's history.
    pub keep_backups: u32,
    /// Minutes between clock checks; 0 = never (also not at start).
    pub clock_check_minutes: u32,
    /// Compute codes from network time rather than the system clock.
    pub network_time: bool,
    /// Time servers, "host[:port]" separated by commas; empty = the
    /// system's own and public pools.
    pub time_servers: String,
    /// Keeps the window out of other programs' screenshots and screen
    /// sharing (Windows and macOS; Linux desktops offer no such thing).
    /// Our own screen scan is unaffected: the window steps aside for it.
    pub hide_from_capture: bool,
    /// Looks for a new version at most once a day (src/update.rs).
    pub check_updates: bool,
    /// The page's zoom in percent (Ctrl +, Ctrl −, Ctrl 0): 80 to 200.
    /// The web view's own zoom, so the narrow layout takes over as text
    /// grows, as it does in a browser.
    pub zoom_percent: u16,
    /// The list's order below the pinned accounts.
    pub sort_order: authdesk_core::order::SortOrder,
    /// The tray menu shows each pinned account's current code; off, it
    /// names them only (anyone glancing at the screen sees the menu).
    pub tray_codes: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            language: Language::System,
            theme: Theme::System,
            autolock_minutes: 5,
            clipboard_clear_seconds: 30,
            start_minimized: false,
            start_with_computer: false,
            global_shortcut: "CommandOrControl+Alt+A".into(),
            scan_shortcut: "CommandOrControl+Alt+S".into(),
            autotype_shortcut: "CommandOrControl+Alt+T".into(),
            backup_folder: String::new(),
            keep_backups: 10,
            clock_check_minutes: 60,
            network_time: false,
            time_servers: String::new(),
            hide_from_capture: true,
            check_updates: true,
            zoom_percent: 100,
            sort_order: Default::default(),
            tray_codes: false,
        }
    }
}

/// The zoom range: 200% is what WCAG 1.4.4 asks text to survive.
pub const MIN_ZOOM: u16 = 80;
/// See [`MIN_ZOOM`].
pub const MAX_ZOOM: u16 = 200;

impl Settings {
    /// Clamps values a hand-edited file might carry.
    pub fn normalized(mut self) -> Self {
        self.autolock_minutes = self.autolock_minutes.min(24 * 60);
        if self.clipboard_clear_seconds != 0 {
            self.clipboard_clear_seconds = self.clipboard_clear_seconds.clamp(5, 3600);
        }
        self.keep_backups = self.keep_backups.min(1000);
        self.clock_check_minutes = self.clock_check_minutes.min(24 * 60);
        self.time_servers = self.time_servers.trim().to_owned();
        self.global_shortcut = self.global_shortcut.trim().to_owned();
        self.scan_shortcut = self.scan_shortcut.trim().to_owned();
        self.autotype_shortcut = self.autotype_shortcut.trim().to_owned();
        self.zoom_percent = self.zoom_percent.clamp(MIN_ZOOM, MAX_ZOOM);
        self
    }

    /// The language actually shown: the setting, or the OS locale.
    pub fn effective_language(&self) -> Language {
        match self.language {
            Language::System => system_language(),
            other => other,
        }
    }
}

pub fn system_language() -> Language {
    language_of_locale(&sys_locale::get_locale().unwrap_or_default())
}

/// A BCP 47 tag or a POSIX locale ("de_AT.UTF-8") to the UI language that
/// fits it; English where the UI has no translation.
fn language_of_locale(locale: &str) -> Language {
    let lower = locale.to_ascii_lowercase();
    let primary = lower.split(['-', '_', '.', '@']).next().unwrap_or_default();
    match primary {
        "nl" => Language::Nl,
        "de" => Language::De,
        "fr" => Language::Fr,
        _ => Language::En,
    }
}

pub fn settings_path() -> Option<PathBuf> {
    authdesk_core::paths::config_dir().map(|d| d.join("settings.json"))
}

/// Missing or unreadable settings fall back to defaults: preferences are
/// never a reason not to start.
pub fn load(path: &Path) -> Settings {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Settings>(&b).ok())
        .unwrap_or_default()
        .normalized()
}

pub fn save(path: &Path, settings: &Settings) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let bytes = serde_json::to_vec_pretty(settings).expect("settings serialize");
    authdesk_core::vault::fsio::write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_edited_zoom_is_held_to_its_range() {
        let zoom = |z: u16| {
            Settings {
                zoom_percent: z,
                ..Settings::default()
            }
            .normalized()
            .zoom_percent
        };
        assert_eq!(zoom(0), MIN_ZOOM);
        assert_eq!(zoom(125), 125);
        assert_eq!(zoom(1000), MAX_ZOOM);
        // A settings file from before the setting: 100%.
        let old: Settings = serde_json::from_str(r#"{"theme":"dark"}"#).unwrap();
        assert_eq!(old.normalized().zoom_percent, 100);
    }

    #[test]
    fn locales_map_to_the_ui_languages() {
        for (locale, lang) in [
            ("nl-NL", Language::Nl),
            ("nl_BE.UTF-8", Language::Nl),
            ("de-DE", Language::De),
            ("de_AT.UTF-8", Language::De),
            ("fr-BE", Language::Fr),
            ("fr_CH", Language::Fr),
            ("en-GB", Language::En),
            ("es-ES", Language::En),
            // "dsb" (Lower Sorbian) starts with "d" but is not German.
            ("dsb-DE", Language::En),
            ("", Language::En),
        ] {
            assert_eq!(language_of_locale(locale), lang, "{locale}");
        }
    }

    #[test]
    fn languages_are_stored_by_their_codes() {
        for (lang, code) in [
            (Language::System, "system"),
            (Language::En, "en"),
            (Language::Nl, "nl"),
            (Language::De, "de"),
            (Language::Fr, "fr"),
        ] {
            assert_eq!(serde_json::to_value(lang).unwrap(), code);
            assert_eq!(
                serde_json::from_value::<Language>(code.into()).unwrap(),
                lang
            );
        }
    }
}
