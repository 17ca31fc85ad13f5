//! The window in front, as auto-type needs it: its title (to pick the
//! account), whether it is ours (never typed into), and a way to give it
//! the focus back after our picker. X11 (and XWayland) through x11rb, which
//! the global shortcuts use already; elsewhere nothing is known yet, and
//! the picker always opens.

/// The window that had the keyboard focus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focused {
    /// The X11 window id (0 where there is none).
    pub id: u32,
    /// Its title, "" when it has none.
    pub title: String,
    /// It belongs to this process: our own window.
    pub ours: bool,
}

#[cfg(target_os = "linux")]
mod x {
    use std::time::{Duration, Instant};

    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{
        AtomEnum, ClientMessageEvent, ConnectionExt, EventMask, InputFocus, KeyButMask, Window,
    };
    use x11rb::rust_connection::RustConnection;
    use x11rb::wrapper::ConnectionExt as _;

    use super::Focused;

    /// An X11 atom by name (the tray's check asks for one too).
    pub fn atom(conn: &RustConnection, name: &str) -> Option<u32> {
        Some(
            conn.intern_atom(false, name.as_bytes())
                .ok()?
                .reply()
                .ok()?
                .atom,
        )
    }

    fn property(conn: &RustConnection, w: Window, name: u32, kind: u32) -> Option<Vec<u8>> {
        let reply = conn
            .get_property(false, w, name, kind, 0, 1024)
            .ok()?
            .reply()
            .ok()?;
        (reply.format != 0).then_some(reply.value)
    }

    fn title_of(conn: &RustConnection, w: Window) -> Option<String> {
        let utf8 = atom(conn, "UTF8_STRING")?;
        if let Some(net) = atom(conn, "_NET_WM_NAME").and_then(|a| property(conn, w, a, utf8)) {
            return Some(String::from_utf8_lossy(&net).into_owned());
        }
        // WM_NAME is Latin-1 (STRING) by the book, yet many programs put
        // UTF-8 there: that is tried first.
        let bytes = property(conn, w, AtomEnum::WM_NAME.into(), AtomEnum::ANY.into())?;
        Some(match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => e.into_bytes().into_iter().map(char::from).collect(),
        })
    }

    fn pid_of(conn: &RustConnection, w: Window) -> Option<u32> {
        let a = atom(conn, "_NET_WM_PID")?;
        let v = property(conn, w, a, AtomEnum::CARDINAL.into())?;
        Some(u32::from_ne_bytes(v.get(..4)?.try_into().ok()?))
    }

    /// The focused window, walked up to the first one with a title (the
    /// focus may rest on a child of the toplevel, as without a window
    /// manager).
    pub fn focused() -> Option<Focused> {
        // XWayland's focus is an X11 window's, not the window in front
        // (which may be a Wayland one): not known, rather than wrong (a
        // scan would take another program's title as the account's match).
        if authdesk_core::display::is_wayland() {
            return None;
        }
        let (conn, _) = RustConnection::connect(None).ok()?;
        let mut w = conn.get_input_focus().ok()?.reply().ok()?.focus;
        // 0 is None, 1 is PointerRoot: no window has the focus.
        for _ in 0..16 {
            if w <= 1 {
                return None;
            }
            if let Some(title) = title_of(&conn, w) {
                let ours = pid_of(&conn, w) == Some(std::process::id());
                return Some(Focused { id: w, title, ours });
            }
            let tree = conn.query_tree(w).ok()?.reply().ok()?;
            if tree.parent == tree.root || tree.parent == 0 {
                return None;
            }
            w = tree.parent;
        }
        None
    }

    /// Gives `id` the focus again: asked of the window manager, and set
    /// directly for a session without one.
    pub fn refocus(id: u32) {
        let Ok((conn, screen)) = RustConnection::connect(None) else {
            return;
        };
        let root = conn.setup().roots[screen].root;
        if let Some(active) = atom(&conn, "_NET_ACTIVE_WINDOW") {
            // Source 2: a pager-like request, which window managers honour.
            let event = ClientMessageEvent::new(32, id, active, [2, 0, 0, 0, 0]);
            let _ = conn.send_event(
                false,
                root,
                EventMask::SUBSTRUCTURE_REDIRECT | EventMask::SUBSTRUCTURE_NOTIFY,
                event,
            );
        }
        let _ = conn.set_input_focus(InputFocus::PARENT, id, x11rb::CURRENT_TIME);
        let _ = conn.sync();
    }

    /// Waits (at most `limit`) until no modifier key is held: the shortcut's
    /// Ctrl and Alt would otherwise turn the typed digits into shortcuts.
    pub fn wait_for_modifiers_released(limit: Duration) {
        let Ok((conn, screen)) = RustConnection::connect(None) else {
            return;
        };
        let root = conn.setup().roots[screen].root;
        let held = KeyButMask::SHIFT | KeyButMask::CONTROL | KeyButMask::MOD1 | KeyButMask::MOD4;
        let start = Instant::now();
        while start.elapsed() < limit {
            let Ok(Ok(p)) = conn.query_pointer(root).map(|c| c.reply()) else {
                return;
            };
            if u16::from(p.mask) & u16::from(held) == 0 {
                return;
            }
            std::thread::sleep(Duration::from_millis(15));
        }
    }
}

#[cfg(target_os = "linux")]
pub use x::{atom, focused, refocus, wait_for_modifiers_released};

/// Whether [`focused`] can tell the window in front on this system: where
/// it cannot, its `None` means "unknown", not "no window".
pub const KNOWS_THE_WINDOW: bool = cfg!(target_os = "linux");

#[cfg(not(target_os = "linux"))]
pub fn focused() -> Option<Focused> {
    None
}

#[cfg(not(target_os = "linux"))]
pub fn refocus(_id: u32) {}

#[cfg(not(target_os = "linux"))]
pub fn wait_for_modifiers_released(limit: std::time::Duration) {
    // Without a way to ask, the usual time to let go of the keys.
    std::thread::sleep(limit.min(std::time::Duration::from_millis(300)));
}
