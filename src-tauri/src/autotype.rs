//! Auto-type from the global shortcut: the window in front picks the
//! account by its title, and the code is typed into it. No match (or
//! several, or a locked vault): our window opens a picker; the choice is
//! typed into the window that was in front, and may be remembered as a
//! match for it. Never into our own window.

use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::error::CmdError;
use crate::notices::{self, Notice};
use crate::state::AppState;
use crate::window;

pub mod focus;

/// Milliseconds between typed keys: portals' scripts see each one.
const KEY_DELAY_MS: u32 = 20;
/// Milliseconds between the shortcut's keys let go and the first typed key:
/// a margin only. X delivers the keys' release before our typed keys, in
/// order; the lost first codes a longer pause was once meant to cure were
/// the benchmark's one-at-a-time web server (`benches/autotype.sh`).
const SETTLE_MS: u64 = 20;

/// The window the shortcut was pressed in, while the picker is open.
#[derive(Default)]
pub struct Pending(Mutex<Option<focus::Focused>>);

impl Pending {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<focus::Focused>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What the picker shows.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PickView {
    /// The window's title, as it reads.
    pub title: String,
    /// What "remember" keeps as the chosen account's match.
    pub suggestion: String,
    /// The accounts the title matched, best first (preselected).
    pub matches: Vec<String>,
    /// Nothing can be typed in this session (Wayland): the choice is
    /// copied, and the picker says so before the user picks.
    pub copies: bool,
}

/// How a code reached the portal.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Delivered {
    Typed,
    /// This session cannot type: the code is on the clipboard instead.
    Copied,
}

/// The auto-type shortcut was pressed.
pub fn pressed<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    // Off the shortcut listener's thread: typing waits for keys to be let go.
    std::thread::spawn(move || run(&app));
}

fn run<R: Runtime>(app: &AppHandle<R>) {
    // On Wayland the window in front is the compositor's secret (XWayland
    // knows X11 windows only): the picker asks, and the code is copied.
    let wayland = authdesk_core::display::is_wayland();
    let target = match focus::focused() {
        Some(t) => t,
        // Not known here (Windows, macOS for now): the picker asks, and
        // types where the focus returns once our window steps aside.
        None if wayland || !focus::KNOWS_THE_WINDOW => focus::Focused {
            id: 0,
            title: String::new(),
            ours: false,
        },
        None => {
            notices::show(app, Notice::NoWindow, &[]);
            return;
        }
    };
    if target.ours {
        notices::show(app, Notice::NotIntoOurs, &[]);
        return;
    }
    let state = app.state::<AppState>();
    let matches = state.session().for_window(&target.title);
    crate::trace(&format!(
        "autotype: {target:?}, {} account(s) match",
        matches.as_ref().map_or(0, Vec::len)
    ));
    if let Ok([one]) = matches.as_deref() {
        if let Err(e) = deliver(app, &target, one) {
            crate::trace(&format!("autotype: not typed: {}", e.kind));
            notices::show_text(app, &e.message);
        }
        return;
    }
    // Several, none, or locked (the picker asks to unlock first).
    *app.state::<Pending>().lock() = Some(target);
    window::show(app);
    let _ = app.emit("autotype-pick", ());
}

/// The picker's question: `None` when no shortcut press waits.
pub fn pending_view<R: Runtime>(app: &AppHandle<R>) -> Result<Option<PickView>, CmdError> {
    let Some(target) = app.state::<Pending>().lock().clone() else {
        return Ok(None);
    };
    let matches = app
        .state::<AppState>()
        .session()
        .for_window(&target.title)?;
    Ok(Some(PickView {
        suggestion: authdesk_core::autotype::suggest(&target.title),
        title: target.title,
        matches,
        copies: authdesk_core::autotype::can_type().is_err(),
    }))
}

/// Types `id`'s code into the window the shortcut was pressed in, after
/// our window steps aside; `remember` keeps the title's suggestion as a
/// match of that account.
pub fn pick<R: Runtime>(
    app: &AppHandle<R>,
    id: &str,
    remember: bool,
) -> Result<Delivered, CmdError> {
    let target = app
        .state::<Pending>()
        .lock()
        .take()
        .ok_or_else(|| CmdError::new("nothing_to_type", "no window waits for a code"))?;
    if remember {
        let suggestion = authdesk_core::autotype::suggest(&target.title);
        app.state::<AppState>()
            .session()
            .remember_window(id, &suggestion)?;
    }
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.hide();
        let _ = app.emit("window-visible", false);
    }
    // 0: no window was known (Wayland, Windows, macOS); the focus goes
    // back by itself as ours hides.
    if target.id != 0 {
        focus::refocus(target.id);
    }
    // The window manager hands the focus back and the portal's page
    // focuses its field again.
    std::thread::sleep(Duration::from_millis(250));
    deliver(app, &target, id)
}

/// Forgets the waiting shortcut press (the picker was closed).
pub fn cancel<R: Runtime>(app: &AppHandle<R>) {
    app.state::<Pending>().lock().take();
}

fn deliver<R: Runtime>(
    app: &AppHandle<R>,
    target: &focus::Focused,
    id: &str,
) -> Result<Delivered, CmdError> {
    let state = app.state::<AppState>();
    let now = state.code_now_ms();
    let to_type = state.session().code_to_type(id, now)?;
    use authdesk_core::autotype::TypeError;
    // Where nothing can be typed (Wayland), the code is copied at once:
    // there is no window in front to wait for or check.
    let typed = match authdesk_core::autotype::can_type() {
        Err(e) => Err(e),
        Ok(()) => {
            focus::wait_for_modifiers_released(Duration::from_millis(1500));
            std::thread::sleep(Duration::from_millis(SETTLE_MS));
            // The focus may have moved while the keys were held: never into ours.
            let now_in_front = focus::focused();
            if now_in_front
                .as_ref()
                .is_some_and(|f| f.ours || f.id != target.id)
            {
                crate::trace(&format!(
                    "autotype: the front window became {now_in_front:?}"
                ));
                return Err(CmdError::new(
                    "focus_moved",
                    "the window in front changed before the code was typed; press the shortcut again",
                ));
            }
            authdesk_core::autotype::type_code(&to_type.code, to_type.enter, KEY_DELAY_MS)
        }
    };
    match typed {
        Ok(()) => Ok(Delivered::Typed),
        Err(e @ (TypeError::Unavailable { .. } | TypeError::Permission)) => {
            let seconds = state.settings().clipboard_clear_seconds;
            state.clipboard.copy(to_type.code, seconds)?;
            notices::show(
                app,
                Notice::CopiedInstead,
                &[("reason", &e.to_string()), ("name", &to_type.name)],
            );
            Ok(Delivered::Copied)
        }
        Err(e) => Err(e.into()),
    }
}
