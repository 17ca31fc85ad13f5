//! The system tray: show/hide, lock, quit, in the UI's language.

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Runtime};

use crate::settings::Language;
use crate::window;

const TRAY_ID: &str = "main";

fn labels(lang: Language) -> [&'static str; 3] {
    match lang {
        Language::Nl => ["Tonen/verbergen", "Vergrendelen", "Afsluiten"],
        Language::De => ["Anzeigen/Ausblenden", "Sperren", "Beenden"],
        Language::Fr => ["Afficher/Masquer", "Verrouiller", "Quitter"],
        _ => ["Show/Hide", "Lock", "Quit"],
    }
}

fn menu<R: Runtime>(app: &AppHandle<R>, lang: Language) -> tauri::Result<Menu<R>> {
    let [toggle, lock, quit] = labels(lang);
    Menu::with_items(
        app,
        &[
            &MenuItem::with_id(app, "toggle", toggle, true, None::<&str>)?,
            &MenuItem::with_id(app, "lock", lock, true, None::<&str>)?,
            &PredefinedMenuItem::separator(app)?,
            &MenuItem::with_id(app, "quit", quit, true, None::<&str>)?,
        ],
    )
}

pub fn build<R: Runtime>(app: &AppHandle<R>, lang: Language) -> tauri::Result<()> {
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Authdesk")
        .menu(&menu(app, lang)?)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "toggle" => window::toggle(app),
            "lock" => window::lock(app, "tray"),
            "quit" => {
                window::flush_backup(app);
                app.exit(0)
            }
            _ => {}
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
    Ok(())
}

pub fn relabel<R: Runtime>(app: &AppHandle<R>, lang: Language) {
    if let Some(tray) = app.tray_by_id(TRAY_ID)
        && let Ok(m) = menu(app, lang)
    {
        let _ = tray.set_menu(Some(m));
    }
}
