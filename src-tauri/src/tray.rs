//! The system tray: up to ten pinned accounts (a click copies the code and
//! says so in a notification), show/hide, lock, quit, in the UI's language.
//!
//! The menu names accounts only: a code appears in it only when the
//! "codes in the tray menu" setting asks, and then a thread relabels it
//! at each 30-second boundary. A locked vault lists no accounts.

use std::sync::Mutex;
use std::time::Duration;

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::session::PinnedItem;
use crate::settings::Language;
use crate::state::AppState;
use crate::window;

const TRAY_ID: &str = "main";
const PIN_PREFIX: &str = "pin:";

/// What the menu shows now, so that an unchanged list is not rebuilt
/// (each list reload asks).
#[derive(Default)]
pub struct Shown(Mutex<Option<(Language, Vec<PinnedItem>)>>);

struct Words {
    toggle: &'static str,
    lock: &'static str,
    quit: &'static str,
    /// "{name}: code copied"; `{name}` is replaced.
    copied: &'static str,
    /// The next period's code was copied: "… valid in {s} s".
    copied_next: &'static str,
    unlock_first: &'static str,
}

fn words(lang: Language) -> Words {
    match lang {
        Language::Nl => Words {
            toggle: "Tonen/verbergen",
            lock: "Vergrendelen",
            quit: "Afsluiten",
            copied: "Code van {name} gekopieerd",
            copied_next: "Volgende code van {name} gekopieerd: geldig over {s} s",
            unlock_first: "Ontgrendel Authdesk eerst; daarna kopieert het menu de code.",
        },
        Language::De => Words {
            toggle: "Anzeigen/Ausblenden",
            lock: "Sperren",
            quit: "Beenden",
            copied: "Code von {name} kopiert",
            copied_next: "Nächster Code von {name} kopiert: gültig in {s} s",
            unlock_first: "Entsperren Sie Authdesk zuerst; dann kopiert das Menü den Code.",
        },
        Language::Fr => Words {
            toggle: "Afficher/Masquer",
            lock: "Verrouiller",
            quit: "Quitter",
            copied: "Code de {name} copié",
            copied_next: "Code suivant de {name} copié : valable dans {s} s",
            unlock_first: "Déverrouillez d’abord Authdesk ; le menu copiera ensuite le code.",
        },
        _ => Words {
            toggle: "Show/Hide",
            lock: "Lock",
            quit: "Quit",
            copied: "Code for {name} copied",
            copied_next: "Next code for {name} copied: valid in {s} s",
            unlock_first: "Unlock Authdesk first; then the menu copies the code.",
        },
    }
}

fn menu<R: Runtime>(
    app: &AppHandle<R>,
    lang: Language,
    pinned: &[PinnedItem],
) -> tauri::Result<Menu<R>> {
    let w = words(lang);
    let menu = Menu::new(app)?;
    for p in pinned {
        let mut label = menu_label(&p.name);
        if let Some(code) = &p.code {
            label = format!("{label}    {code}");
        }
        let id = format!("{PIN_PREFIX}{}", p.id);
        menu.append(&MenuItem::with_id(app, id, label, true, None::<&str>)?)?;
    }
    if !pinned.is_empty() {
        menu.append(&PredefinedMenuItem::separator(app)?)?;
    }
    menu.append(&MenuItem::with_id(
        app,
        "toggle",
        w.toggle,
        true,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(app, "lock", w.lock, true, None::<&str>)?)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(app, "quit", w.quit, true, None::<&str>)?)?;
    Ok(menu)
}

/// A name as a menu shows it: `&` marks a mnemonic in menus (muda), so an
/// issuer's "A&B Energie" doubles it; a long name is cut to fit a menu.
fn menu_label(name: &str) -> String {
    const MAX: usize = 80;
    let mut out: String = name.chars().take(MAX).collect();
    if name.chars().nth(MAX).is_some() {
        out.push('…');
    }
    out.replace('&', "&&")
}

pub fn build<R: Runtime>(app: &AppHandle<R>, lang: Language) -> tauri::Result<()> {
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Authdesk")
        .menu(&menu(app, lang, &[])?)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "toggle" => window::toggle(app),
            "lock" => window::lock(app, "tray"),
            "quit" => {
                window::flush_backup(app);
                app.exit(0)
            }
            id => {
                if let Some(entry) = id.strip_prefix(PIN_PREFIX) {
                    copy_pinned(app, entry);
                }
            }
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                window::toggle(tray.app_handle());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    *app.state::<Shown>()
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = Some((lang, Vec::new()));
    spawn_code_ticker(app.clone());
    Ok(())
}

/// Rebuilds the menu if its language or pinned accounts changed: after a
/// list reload, a lock, a settings change.
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    let Some(shown) = app.try_state::<Shown>() else {
        return; // no tray built (tests of the commands)
    };
    let state = app.state::<AppState>();
    let (lang, order, codes) = {
        let s = state.settings();
        (s.effective_language(), s.sort_order, s.tray_codes)
    };
    let at = codes.then(|| state.code_now_ms());
    let pinned = state.session().pinned(order, at);
    let mut shown = shown.0.lock().unwrap_or_else(|p| p.into_inner());
    let Some(current) = shown.as_ref() else {
        return; // no tray on this desktop
    };
    if current.0 == lang && current.1 == pinned {
        return;
    }
    if let Some(tray) = app.tray_by_id(TRAY_ID)
        && let Ok(m) = menu(app, lang, &pinned)
        && tray.set_menu(Some(m)).is_ok()
    {
        *shown = Some((lang, pinned));
    }
}

/// With codes in the menu, relabels it as each 30-second period begins
/// (60-second codes change on the same boundaries). One wake-up per
/// period, whatever the setting: nothing else runs while it is off.
fn spawn_code_ticker<R: Runtime>(app: AppHandle<R>) {
    std::thread::spawn(move || {
        loop {
            let now = crate::session::now_ms().max(0) as u64;
            let wait = 30_000 - now % 30_000 + 20;
            std::thread::sleep(Duration::from_millis(wait));
            if app.state::<AppState>().settings().tray_codes {
                refresh(&app);
            }
        }
    });
}

fn copy_pinned<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let state = app.state::<AppState>();
    let lang = state.settings().effective_language();
    let w = words(lang);
    if !state.session().is_unlocked() {
        window::show(app);
        notify(app, w.unlock_first);
        return;
    }
    let now = state.code_now_ms();
    let got = state.session().code_for_tray(id, now);
    let text = match got {
        Ok((code, name, copied)) => {
            let seconds = state.settings().clipboard_clear_seconds;
            match state.clipboard.copy(code, seconds) {
                Ok(()) if copied.next => w
                    .copied_next
                    .replace("{name}", &name)
                    .replace("{s}", &copied.starts_in_s.to_string()),
                Ok(()) => w.copied.replace("{name}", &name),
                Err(e) => e.message,
            }
        }
        Err(e) => e.message,
    };
    notify(app, &text);
}

/// A desktop notification; where none can be shown (no notification
/// service), the copy has happened all the same.
fn notify<R: Runtime>(app: &AppHandle<R>, body: &str) {
    let _ = app
        .notification()
        .builder()
        .title("Authdesk")
        .body(body)
        .show();
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_name_is_shown_as_it_is_in_the_menu() {
        assert_eq!(super::menu_label("A&B Energie (jan)"), "A&&B Energie (jan)");
        assert_eq!(super::menu_label("ista_portal"), "ista_portal");
        let long = "x".repeat(100);
        assert_eq!(super::menu_label(&long).chars().count(), 81);
    }
}
