//! Locks when the operating system says the session locks or the machine
//! goes to sleep. Linux: logind's PrepareForSleep and session Lock on the
//! system bus, and the ScreenSaver ActiveChanged signals (GNOME and
//! freedesktop) on the session bus. Elsewhere the idle timer still applies.

use tauri::{AppHandle, Runtime};

#[cfg(target_os = "linux")]
pub fn watch<R: Runtime>(app: &AppHandle<R>) {
    use std::time::Duration;

    use dbus::blocking::Connection;
    use dbus::message::MatchRule;

    fn listen<R: Runtime>(
        app: AppHandle<R>,
        connect: fn() -> Result<Connection, dbus::Error>,
        rules: Vec<(&'static str, &'static str, &'static str)>,
    ) {
        std::thread::spawn(move || {
            let Ok(conn) = connect() else {
                return; // No such bus (headless, container): nothing to follow.
            };
            for (interface, member, reason) in rules {
                let app = app.clone();
                let rule = MatchRule::new_signal(interface, member);
                // ActiveChanged/PrepareForSleep carry a bool; Lock carries none.
                let added = conn.add_match(rule, move |(), _, msg| {
                    let starting = msg.read1::<bool>().unwrap_or(true);
                    if starting {
                        crate::window::lock(&app, reason);
                    }
                    true
                });
                if added.is_err() {
                    return;
                }
            }
            while conn.process(Duration::from_secs(3600)).is_ok() {}
        });
    }

    listen(
        app.clone(),
        Connection::new_system,
        vec![
            ("org.freedesktop.login1.Manager", "PrepareForSleep", "sleep"),
            ("org.freedesktop.login1.Session", "Lock", "session"),
        ],
    );
    listen(
        app.clone(),
        Connection::new_session,
        vec![
            ("org.gnome.ScreenSaver", "ActiveChanged", "session"),
            ("org.freedesktop.ScreenSaver", "ActiveChanged", "session"),
        ],
    );
}

#[cfg(not(target_os = "linux"))]
pub fn watch<R: Runtime>(_app: &AppHandle<R>) {}
