//! Global shortcuts through the GlobalShortcuts portal
//! (`org.freedesktop.portal.GlobalShortcuts`, xdg-desktop-portal 1.17 and
//! later; offered by GNOME 48's, KDE Plasma's and Hyprland's backends, not
//! by wlroots'): on Wayland the desktop, not the app, holds a shortcut.
//!
//! The app asks once per run for its three, with Settings' keys as the
//! preferred triggers. The desktop may ask the user first, and its own
//! settings change them afterwards: Settings then says so instead of
//! recording keys. Where no portal offers the interface (Debian 12's 1.16,
//! sway), nothing is bound and Settings shows the commands to bind by hand.

use std::sync::atomic::{AtomicBool, Ordering};

use ashpd::desktop::CreateSessionOptions;
use ashpd::desktop::global_shortcuts::{BindShortcutsOptions, GlobalShortcuts, NewShortcut};
use futures_util::StreamExt;
use tauri::{AppHandle, Runtime};

use crate::actions::Action;
use crate::settings::{Language, Settings};

static BOUND: AtomicBool = AtomicBool::new(false);

/// Whether the desktop holds our shortcuts through the portal.
pub fn bound() -> bool {
    BOUND.load(Ordering::Relaxed)
}

/// The shortcuts' ids, as the desktop lists them, and what each does.
const IDS: [(&str, Action); 3] = [
    ("show", Action::Show),
    ("scan", Action::Scan),
    ("type", Action::Type),
];

/// What the desktop's dialog and settings call each shortcut.
fn descriptions(lang: Language) -> [&'static str; 3] {
    match lang {
        Language::Nl => [
            "Authdesk tonen of verbergen",
            "Scherm scannen op een QR-code",
            "Code typen in het venster dat vooraan staat",
        ],
        Language::De => [
            "Authdesk anzeigen oder ausblenden",
            "Bildschirm nach einem QR-Code durchsuchen",
            "Code in das vordere Fenster tippen",
        ],
        Language::Fr => [
            "Afficher ou masquer Authdesk",
            "Chercher un code QR à l’écran",
            "Taper le code dans la fenêtre au premier plan",
        ],
        _ => [
            "Show or hide Authdesk",
            "Scan the screen for a QR code",
            "Type the code into the window in front",
        ],
    }
}

/// Asks the portal for the shortcuts and carries out their presses, on a
/// task of its own for as long as the app runs. Once per run: the desktop
/// keeps what the user chose for them.
pub fn start<R: Runtime>(app: &AppHandle<R>, settings: &Settings) {
    static STARTED: AtomicBool = AtomicBool::new(false);
    if STARTED.swap(true, Ordering::SeqCst) {
        return;
    }
    let accelerators = [
        settings.global_shortcut.clone(),
        settings.scan_shortcut.clone(),
        settings.autotype_shortcut.clone(),
    ];
    let wanted: Vec<NewShortcut> = IDS
        .iter()
        .zip(descriptions(settings.effective_language()))
        .zip(&accelerators)
        .map(|(((id, _), description), accelerator)| {
            let trigger = super::help::xdg_trigger(accelerator);
            NewShortcut::new(*id, description).preferred_trigger(trigger.as_deref())
        })
        .collect();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = serve(&app, &wanted).await {
            // Not an error for the user: Settings shows what to bind.
            eprintln!("authdesk: no global shortcuts from the desktop's portal ({e})");
        }
        BOUND.store(false, Ordering::Relaxed);
    });
}

async fn serve<R: Runtime>(app: &AppHandle<R>, wanted: &[NewShortcut]) -> ashpd::Result<()> {
    let portal = GlobalShortcuts::new().await?;
    // Listening before binding: a press right after the user's "Allow"
    // is not lost.
    let mut activated = portal.receive_activated().await?;
    let session = portal
        .create_session(CreateSessionOptions::default())
        .await?;
    portal
        .bind_shortcuts(&session, wanted, None, BindShortcutsOptions::default())
        .await?
        .response()?;
    BOUND.store(true, Ordering::Relaxed);
    // The portal sends a session's signals to its owner alone, and this
    // connection has this one session.
    while let Some(pressed) = activated.next().await {
        if let Some((_, action)) = IDS.iter().find(|(id, _)| *id == pressed.shortcut_id()) {
            super::fire(app, *action);
        }
    }
    drop(session);
    Ok(())
}
