//! Global shortcuts on Linux: key grabs on the X server (X11, or XWayland
//! under a Wayland desktop), made with x11rb, and a thread that sleeps in
//! the X connection until a grabbed key is pressed.
//!
//! Why not tauri-plugin-global-shortcut here: its backend (global-hotkey
//! 0.8 and 0.9) wakes every 50 ms to poll its X connection, which was a
//! fifth of the app's CPU while it sat idle (docs/BENCHMARKS.md, issue
//! 16), and its grabs wait for the main thread. Accelerators are still
//! parsed by the plugin's `Shortcut`, so a setting means the same on every
//! platform; Windows and macOS keep the plugin. The keysym table below is
//! ours because global-hotkey's is private.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use tauri_plugin_global_shortcut::{Modifiers, Shortcut};
use x11rb::connection::{Connection, RequestConnection};
use x11rb::errors::ReplyError;
use x11rb::protocol::xkb::{self, ConnectionExt as _};
use x11rb::protocol::xproto::{ConnectionExt as _, GrabMode, KeyButMask, Keycode, ModMask, Window};
use x11rb::protocol::{ErrorKind, Event};
use x11rb::rust_connection::RustConnection;
use xkeysym::Keysym;

use super::keysym::keysym;

type OnPress = dyn Fn(&Shortcut) + Send + Sync;

/// The app's grabs. The X connection opens with the first grab, off the
/// main thread, and stays open while the app runs.
pub struct Shortcuts {
    on_press: Arc<OnPress>,
    x: OnceLock<Result<Arc<X>, String>>,
}

struct X {
    conn: RustConnection,
    root: Window,
    grabs: Mutex<Vec<Grab>>,
}

#[derive(Clone, Copy)]
struct Grab {
    shortcut: Shortcut,
    keycode: Keycode,
    mods: u16,
}

/// The modifiers a shortcut is told apart by; the lock keys are not.
fn meant() -> u16 {
    u16::from(KeyButMask::SHIFT | KeyButMask::CONTROL | KeyButMask::MOD1 | KeyButMask::MOD4)
}

/// A grab holds only for the exact modifier state, and X counts NumLock
/// (Mod2) and CapsLock (Lock) as modifiers: each shortcut is grabbed with
/// every combination of them.
fn lock_states() -> [u16; 4] {
    let (num, caps) = (u16::from(ModMask::M2), u16::from(ModMask::LOCK));
    [0, num, caps, num | caps]
}

impl Shortcuts {
    pub fn new(on_press: impl Fn(&Shortcut) + Send + Sync + 'static) -> Self {
        Self {
            on_press: Arc::new(on_press),
            x: OnceLock::new(),
        }
    }

    fn x(&self) -> Result<&Arc<X>, String> {
        self.x
            .get_or_init(|| {
                let x = Arc::new(X::open()?);
                let (listener, on_press) = (x.clone(), self.on_press.clone());
                std::thread::Builder::new()
                    .name("shortcuts".into())
                    .spawn(move || listener.listen(&*on_press))
                    .map_err(|e| format!("could not start listening for shortcuts: {e}"))?;
                Ok(x)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Lets go of every shortcut.
    pub fn unregister_all(&self) {
        let Some(Ok(x)) = self.x.get() else {
            return;
        };
        let grabs = std::mem::take(&mut *x.grabs());
        for g in grabs {
            x.ungrab(g.keycode, g.mods);
        }
        let _ = x.conn.flush();
    }

    /// Grabs `accelerator` ("Ctrl+Alt+A"); why not, in words for the
    /// settings screen.
    pub fn register(&self, accelerator: &str) -> Result<(), String> {
        let shortcut: Shortcut = accelerator.parse().map_err(|e| format!("{e}"))?;
        let sym = keysym(shortcut.key)
            .ok_or_else(|| format!("the key {} cannot be a global shortcut", shortcut.key))?;
        let x = self.x()?;
        let keycode = x
            .keycode_of(sym)?
            .ok_or_else(|| format!("this keyboard has no {} key", shortcut.key))?;
        let mods = x11_mods(shortcut.mods);
        if x.grabs()
            .iter()
            .any(|g| g.keycode == keycode && g.mods == mods)
        {
            return Err("registered twice".into());
        }
        for lock in lock_states() {
            if let Err(e) = x.grab(keycode, mods | lock) {
                // Lets go of whichever lock states were grabbed already.
                x.ungrab(keycode, mods);
                let _ = x.conn.flush();
                return Err(e);
            }
        }
        x.grabs().push(Grab {
            shortcut,
            keycode,
            mods,
        });
        Ok(())
    }
}

impl X {
    fn open() -> Result<X, String> {
        let (conn, screen) = RustConnection::connect(None).map_err(|e| {
            format!(
                "no X display to register global shortcuts with (they need X11 or XWayland): {e}"
            )
        })?;
        let root = conn.setup().roots[screen].root;
        // Held down, a key repeats as press after press, with no release
        // between them: a shortcut held down acts once. A server without
        // XKB repeats it instead, which is all that is lost.
        if conn
            .extension_information(xkb::X11_EXTENSION_NAME)
            .ok()
            .flatten()
            .is_some()
            && let Ok(c) = conn.xkb_use_extension(1, 0)
            && c.reply().is_ok_and(|r| r.supported)
            && let Ok(c) = conn.xkb_per_client_flags(
                xkb::ID::USE_CORE_KBD.into(),
                xkb::PerClientFlag::DETECTABLE_AUTO_REPEAT,
                xkb::PerClientFlag::DETECTABLE_AUTO_REPEAT,
                Default::default(),
                Default::default(),
                Default::default(),
            )
        {
            let _ = c.reply();
        }
        Ok(X {
            conn,
            root,
            grabs: Mutex::new(Vec::new()),
        })
    }

    fn grabs(&self) -> MutexGuard<'_, Vec<Grab>> {
        self.grabs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The first keycode that types `sym` at any level (so the shortcut
    /// "Ctrl+A" is the key with A on it, whatever Shift would type).
    fn keycode_of(&self, sym: Keysym) -> Result<Option<Keycode>, String> {
        let setup = self.conn.setup();
        let (min, max) = (setup.min_keycode, setup.max_keycode);
        let map = self
            .conn
            .get_keyboard_mapping(min, max.saturating_sub(min).saturating_add(1))
            .map_err(|e| e.to_string())?
            .reply()
            .map_err(|e| format!("the X server did not give its keyboard map: {e}"))?;
        let per = usize::from(map.keysyms_per_keycode);
        if per == 0 {
            return Ok(None);
        }
        Ok(map
            .keysyms
            .chunks(per)
            .position(|syms| syms.contains(&sym.raw()))
            .and_then(|i| u8::try_from(i).ok())
            .and_then(|i| min.checked_add(i)))
    }

    fn grab(&self, keycode: Keycode, mods: u16) -> Result<(), String> {
        let done = self
            .conn
            .grab_key(
                false,
                self.root,
                ModMask::from(mods),
                keycode,
                GrabMode::ASYNC,
                GrabMode::ASYNC,
            )
            .map_err(|e| e.to_string())?
            .check();
        match done {
            Ok(()) => Ok(()),
            Err(ReplyError::X11Error(e)) if e.error_kind == ErrorKind::Access => {
                Err("another program uses this shortcut already".into())
            }
            Err(e) => Err(format!("the X server refused the shortcut: {e}")),
        }
    }

    fn ungrab(&self, keycode: Keycode, mods: u16) {
        for lock in lock_states() {
            if let Ok(c) = self
                .conn
                .ungrab_key(keycode, self.root, ModMask::from(mods | lock))
            {
                c.ignore_error();
            }
        }
    }

    /// Sleeps until X sends an event; ends when the display goes away.
    fn listen(&self, on_press: &OnPress) {
        let meant = meant();
        let mut down: Option<Keycode> = None;
        loop {
            match self.conn.wait_for_event() {
                Ok(Event::KeyPress(e)) => {
                    let mods = u16::from(e.state) & meant;
                    let hit = self
                        .grabs()
                        .iter()
                        .find(|g| g.keycode == e.detail && g.mods == mods)
                        .map(|g| g.shortcut);
                    if let Some(shortcut) = hit
                        && down != Some(e.detail)
                    {
                        down = Some(e.detail);
                        on_press(&shortcut);
                    }
                }
                Ok(Event::KeyRelease(e)) if down == Some(e.detail) => down = None,
                Ok(_) => {}
                Err(_) => return,
            }
        }
    }
}

fn x11_mods(mods: Modifiers) -> u16 {
    let mut m = 0;
    for (ours, theirs) in [
        (Modifiers::SHIFT, ModMask::SHIFT),
        (Modifiers::CONTROL, ModMask::CONTROL),
        (Modifiers::ALT, ModMask::M1),
        (Modifiers::SUPER, ModMask::M4),
        (Modifiers::META, ModMask::M4),
    ] {
        if mods.contains(ours) {
            m |= u16::from(theirs);
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_keys_never_tell_shortcuts_apart() {
        let s: Shortcut = "CommandOrControl+Alt+A".parse().unwrap();
        let m = x11_mods(s.mods);
        assert_eq!(m, u16::from(ModMask::CONTROL) | u16::from(ModMask::M1));
        assert_eq!(m & meant(), m);
        for lock in lock_states() {
            assert_eq!((m | lock) & meant(), m);
        }
    }
}
