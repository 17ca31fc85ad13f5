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

use crate::notices::{self, Notice};
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

fn words(lang: Language) -> [&'static str; 3] {
    match lang {
        Language::Nl => ["Tonen/verbergen", "Vergrendelen", "Afsluiten"],
        Language::De => ["Anzeigen/Ausblenden", "Sperren", "Beenden"],
        Language::Fr => ["Afficher/Masquer", "Verrouiller", "Quitter"],
        _ => ["Show/Hide", "Lock", "Quit"],
    }
}

fn menu<R: Runtime>(
    app: &AppHandle<R>,
    lang: Language,
    pinned: &[PinnedItem],
) -> tauri::Result<Menu<R>> {
    let [toggle, lock, quit] = words(lang);
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
        toggle,
        true,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(app, "lock", lock, true, None::<&str>)?)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(app, "quit", quit, true, None::<&str>)?)?;
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
    if !state.session().is_unlocked() {
        window::show(app);
        notices::show(app, Notice::UnlockFirst, &[]);
        return;
    }
    let now = state.code_now_ms();
    let got = state.session().code_for_tray(id, now);
    let seconds = state.settings().clipboard_clear_seconds;
    match got.and_then(|(code, name, copied)| {
        state.clipboard.copy(code, seconds)?;
        Ok((name, copied))
    }) {
        Ok((name, copied)) if copied.next => notices::show(
            app,
            Notice::CopiedNext,
            &[("name", &name), ("s", &copied.starts_in_s.to_string())],
        ),
        Ok((name, _)) => notices::show(app, Notice::Copied, &[("name", &name)]),
        Err(e) => notices::show_text(app, &e.message),
    }
}

/// Whether a tray icon is shown anywhere: a StatusNotifierItem host (KDE,
/// most panels, GNOME only with the AppIndicator extension) or, on X11,
/// an XEmbed tray. Built, the icon is exported either way; GNOME without
/// the extension shows it nowhere, and a window hidden "to the tray" at
/// login would be nowhere to be found.
#[cfg(target_os = "linux")]
pub fn shown_somewhere() -> bool {
    status_notifier_host() || (!authdesk_core::display::is_wayland() && xembed_tray())
}

#[cfg(not(target_os = "linux"))]
pub fn shown_somewhere() -> bool {
    true
}

#[cfg(target_os = "linux")]
fn status_notifier_host() -> bool {
    let Ok(conn) = dbus::blocking::Connection::new_session() else {
        return false;
    };
    conn.with_proxy(
        "org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        Duration::from_millis(500),
    )
    .method_call::<(bool,), _, _, _>(
        "org.freedesktop.DBus",
        "NameHasOwner",
        ("org.kde.StatusNotifierWatcher",),
    )
    .is_ok_and(|(owned,)| owned)
}

#[cfg(target_os = "linux")]
fn xembed_tray() -> bool {
    use x11rb::protocol::xproto::ConnectionExt;
    let Ok((conn, screen)) = x11rb::rust_connection::RustConnection::connect(None) else {
        return false;
    };
    let Some(atom) = crate::autotype::focus::atom(&conn, &format!("_NET_SYSTEM_TRAY_S{screen}"))
    else {
        return false;
    };
    conn.get_selection_owner(atom)
        .ok()
        .and_then(|c| c.reply().ok())
        .is_some_and(|r| r.owner != 0)
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
