//! Authdesk's desktop app: a thin Tauri 2 layer over authdesk-core.
//!
//! Codes are computed here, in Rust; the web view gets names and codes,
//! never a secret unless the user reveals one with the password.

// One block needs unsafe (render.rs sets an environment variable before
// any thread exists) and allows it there with its reason.
#![deny(unsafe_code)]

mod actions;
mod autostart;
pub mod autotype;
#[cfg(test)]
mod bindings;
mod clipboard;
pub mod clock;
pub mod command_names;
pub mod commands;
pub mod error;
pub mod links;
mod notices;
mod os_lock;
mod render;
pub mod session;
pub mod settings;
mod shortcut;
pub mod state;
mod tray;
pub mod update;
mod window;

use std::time::Duration;

use tauri::{Listener, Manager, Runtime};
use tauri_plugin_window_state::StateFlags;

use crate::session::Session;
use crate::state::AppState;

/// The state the app starts with: vault path and settings from the
/// environment and the platform folders.
pub fn initial_state() -> AppState {
    // `--vault PATH` opens another vault (a second one, or a fresh one for
    // a test); otherwise $AUTHDESK_VAULT or the platform's data folder.
    let mut args = std::env::args_os().skip(1);
    let mut chosen = None;
    while let Some(a) = args.next() {
        if a == "--vault" {
            chosen = args.next().map(std::path::PathBuf::from);
        }
    }
    let vault = chosen
        .or_else(authdesk_core::paths::vault_path)
        .unwrap_or_else(|| std::path::PathBuf::from("vault.authdesk"));
    let settings_path = settings::settings_path();
    let settings = settings_path
        .as_deref()
        .map(settings::load)
        .unwrap_or_default();
    AppState::new(Session::new(vault), settings, settings_path)
}

/// Our state and commands on any builder: the real one in [`run`], the
/// mock runtime's in tests.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .manage(state)
        .manage(links::PendingLink::default())
        .manage(autotype::Pending::default())
        .manage(std::sync::Mutex::new(update::UpdateState::default()))
        .invoke_handler(tauri::generate_handler![
            commands::vault::boot,
            commands::vault::create_vault,
            commands::vault::unlock,
            commands::vault::lock,
            commands::vault::touch,
            commands::accounts::list_entries,
            commands::accounts::get_codes,
            commands::accounts::next_hotp,
            commands::accounts::preview_uri,
            commands::accounts::add_uri,
            commands::accounts::preview_manual,
            commands::accounts::add_manual,
            commands::accounts::update_entry,
            commands::accounts::delete_entry,
            commands::accounts::undo_delete,
            commands::icons::search_icons,
            commands::icons::pick_icon,
            commands::icons::icon_from_bytes,
            commands::accounts::reorder_entries,
            commands::accounts::set_sort_order,
            commands::autotype::autotype_pending,
            commands::autotype::autotype_pick,
            commands::autotype::autotype_cancel,
            commands::accounts::reveal_secret,
            commands::accounts::copy_code,
            commands::settings::get_settings,
            commands::settings::set_settings,
            commands::vault::set_remember,
            commands::vault::is_remembered,
            commands::vault::set_vault_aside,
            commands::settings::ui_ready,
            commands::accounts::take_link,
            commands::scan::scan_image,
            commands::backup::backup_now,
            commands::backup::backup_status,
            commands::backup::set_device_name,
            commands::backup::add_backup_password,
            commands::backup::remove_backup_password,
            commands::backup::rename_backup_password,
            commands::backup::choose_backup_folder,
            commands::backup::stage_backup,
            commands::backup::pick_backup,
            commands::backup::preview_restore,
            commands::backup::apply_restore,
            commands::transfer::export_migration,
            commands::scan::scan_image_file,
            commands::scan::scan_screen,
            commands::scan::add_scanned,
            commands::transfer::pick_import,
            commands::transfer::stage_import,
            commands::transfer::preview_import,
            commands::transfer::apply_import,
            commands::transfer::export_accounts,
            commands::settings::clock_status,
            commands::settings::check_clock,
            commands::vault::password_strength,
            commands::settings::update_status,
            commands::settings::check_update,
            commands::settings::install_update,
            commands::settings::shortcut_help,
            commands::settings::copy_shortcut_text,
        ])
}

/// Locks after the configured idle time; the UI reports activity through
/// the `touch` command.
fn spawn_idle_lock<R: Runtime>(app: tauri::AppHandle<R>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(5));
            let state = app.state::<AppState>();
            let minutes = state.settings().autolock_minutes;
            let idle = {
                let s = state.session();
                s.is_unlocked()
                    && s.last_activity.elapsed() >= Duration::from_secs(u64::from(minutes) * 60)
            };
            if minutes > 0 && idle {
                window::lock(&app, "idle");
            }
        }
    });
}

/// The household folder: at unlock, after every change to the vault, and
/// whenever the folder's backups change (another device, a sync tool), one
/// round merges the folder and writes this device's backup. Polling keeps
/// it simple and works on network and FUSE folders where change
/// notifications do not arrive.
fn spawn_backup_poller<R: Runtime>(app: tauri::AppHandle<R>) {
    use authdesk_core::backup::household;
    use tauri::Emitter;
    std::thread::spawn(move || {
        // (vault mark, folder fingerprint, folder) after the last round,
        // and when the status was last worked out: both checks read the
        // folder's backups, so they run only when one of these moved.
        let mut done: Option<(u64, u64, String)> = None;
        let mut seen: Option<(u64, u64, String)> = None;
        let mut shown: Option<session::BackupStatus> = None;
        loop {
            std::thread::sleep(Duration::from_secs(3));
            let state = app.state::<AppState>();
            let (folder, keep) = {
                let s = state.settings();
                (s.backup_folder.clone(), s.keep_backups as usize)
            };
            let Some(mark) = state.session().vault_mark() else {
                done = None;
                seen = None;
                shown = None;
                continue;
            };
            let path = std::path::Path::new(&folder);
            let print = if folder.is_empty() {
                0
            } else {
                household::fingerprint(path).unwrap_or(0)
            };
            let key = (mark, print, folder.clone());
            let mut ran = false;
            if !folder.is_empty() && done.as_ref() != Some(&key) {
                let round = session::household::round(&state.shared, path, keep);
                if let Ok(Some(view)) = &round
                    && !(view.added.is_empty()
                        && view.updated.is_empty()
                        && view.removed.is_empty())
                {
                    let _ = app.emit("vault-changed", ());
                }
                // After our own write: what the folder and vault are now.
                done = match (round, state.session().vault_mark()) {
                    (Ok(_), Some(mark)) => Some((
                        mark,
                        household::fingerprint(path).unwrap_or(0),
                        folder.clone(),
                    )),
                    _ => None,
                };
                ran = true;
            }
            if ran || seen.as_ref() != Some(&key) {
                let status = state.session().backup_status(&folder);
                if shown.as_ref() != Some(&status) {
                    let _ = app.emit("backup-status", &status);
                    shown = Some(status);
                }
                seen = if ran { done.clone() } else { None }.or(Some(key));
            }
        }
    });
}

/// Registering is work start-up does not need (the plugin's grabs waited
/// ~80 ms for the main thread; ours open an X connection): so the shortcut
/// waits for the first paint (`ui_ready`), or a few seconds at most.
pub fn register_shortcut_once<R: Runtime>(app: &tauri::AppHandle<R>) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static DONE: AtomicBool = AtomicBool::new(false);
    if DONE.swap(true, Ordering::SeqCst) {
        return;
    }
    let app = app.clone();
    std::thread::spawn(move || {
        let settings = app.state::<AppState>().settings().clone();
        if let Err(e) = shortcut::apply(&app, &settings) {
            eprintln!("authdesk: global shortcut not registered: {e}");
        }
        // On Wayland the desktop holds shortcuts, where its portal offers
        // to (X11 grabs through XWayland see keys only while an X11
        // window has the focus).
        #[cfg(target_os = "linux")]
        if shortcut::help::Env::current().wayland(true) {
            shortcut::portal::start(&app, &settings);
        }
        trace("shortcut registered");
    });
}

/// With `$AUTHDESK_TRACE_STARTUP`, prints how far start-up is (ms since
/// `run`), for benches/app.sh and for finding what makes start-up slow.
pub fn trace(stage: &str) {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    let start = START.get_or_init(std::time::Instant::now);
    if std::env::var_os("AUTHDESK_TRACE_STARTUP").is_some() {
        eprintln!("authdesk: {:>5} ms {stage}", start.elapsed().as_millis());
    }
}

pub fn run() {
    // First: it may set an environment variable, which is sound only while
    // this is the only thread.
    render::choose();
    trace("run");
    let state = initial_state();
    let builder = tauri::Builder::default()
        // First, so that a second launch hands over before anything starts.
        // A second start: `--show`, `--scan` or `--type` (a desktop's own
        // shortcut, where ours cannot be grabbed), else the window shown.
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            actions::run(app, actions::Action::from_args(&args));
        }))
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(StateFlags::all() - StateFlags::VISIBLE)
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_deep_link::init())
        // Only Rust notifies (a code copied from the tray menu): no
        // capability grants its commands to the page.
        .plugin(tauri_plugin_notification::init())
        // Only Rust turns it on or off (a setting): no capability grants it.
        .plugin(autostart::plugin())
        // Only Rust calls it (src/update.rs): no capability grants its
        // commands to the page.
        .plugin(tauri_plugin_updater::Builder::new().build());
    // On Linux the shortcuts are our own X11 grabs (see shortcut::x11),
    // managed in setup.
    #[cfg(not(target_os = "linux"))]
    let builder = builder.plugin(
        tauri_plugin_global_shortcut::Builder::new()
            .with_handler(|app, shortcut, event| {
                if event.state == tauri_plugin_global_shortcut::ShortcutState::Pressed {
                    shortcut::pressed(app, shortcut);
                }
            })
            .build(),
    );
    with_commands(builder, state)
        .setup(|app| {
            trace("setup");
            let handle = app.handle().clone();
            let settings = app.state::<AppState>().settings().clone();
            #[cfg(target_os = "linux")]
            {
                let pressed = handle.clone();
                app.manage(shortcut::x11::Shortcuts::new(move |s| {
                    shortcut::pressed(&pressed, s);
                }));
            }
            links::listen(&handle);
            window::protect(&handle, settings.hide_from_capture);
            if settings.zoom_percent != 100 {
                window::zoom(&handle, settings.zoom_percent);
            }
            app.manage(tray::Shown::default());
            let has_tray = tray::build(&handle, settings.effective_language()).is_ok();
            let relist = handle.clone();
            app.listen_any("locked", move |_| tray::refresh(&relist));
            trace("tray");
            let later = handle.clone();
            std::thread::spawn(move || {
                // When the window starts hidden nothing reports a paint.
                std::thread::sleep(Duration::from_secs(3));
                register_shortcut_once(&later);
            });
            spawn_idle_lock(handle.clone());
            spawn_backup_poller(handle.clone());
            let (minutes, check) = (handle.clone(), handle.clone());
            clock::spawn_checker(
                move || minutes.state::<AppState>().settings().clock_check_minutes,
                move || {
                    commands::settings::check_and_announce_clock(&check);
                },
            );
            update::spawn_checker(handle.clone(), |app| {
                app.state::<AppState>().settings().check_updates
            });
            os_lock::watch(&handle);
            let hidden = settings.start_minimized || autostart::started_by_login();
            // Asked only when the window would stay hidden: a D-Bus round
            // trip start-up does not otherwise need.
            if !(hidden && has_tray && tray::shown_somewhere()) {
                window::show(&handle);
            }
            trace("shown");
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("error while building Authdesk")
        .run(|app, event| match event {
            tauri::RunEvent::Exit => {
                app.state::<AppState>().clipboard.release();
                trace("exit");
            }
            // A click on the Dock icon brings a window hidden to the menu
            // bar back, as macOS users expect.
            #[cfg(target_os = "macos")]
            tauri::RunEvent::Reopen { .. } => window::show(app),
            _ => {}
        });
}
