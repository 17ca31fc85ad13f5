//! Copying codes: arboard, and clearing the clipboard after a while if it
//! still holds the code we put there (never what the user copied since).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use zeroize::Zeroizing;

use crate::error::CmdError;

/// A code is not kept by clipboard managers: Windows' history and cloud
/// clipboard, macOS's nspasteboard.org convention, and on Linux KDE's
/// password-manager hint (which Klipper and most X11 and Wayland
/// clipboard managers honour).
fn exclude_from_history(set: arboard::Set<'_>) -> arboard::Set<'_> {
    #[cfg(windows)]
    let set = arboard::SetExtWindows::exclude_from_cloud(
        arboard::SetExtWindows::exclude_from_history(set),
    );
    #[cfg(target_os = "macos")]
    let set = arboard::SetExtApple::exclude_from_history(set);
    #[cfg(target_os = "linux")]
    let set = arboard::SetExtLinux::exclude_from_history(set);
    set
}

/// The clipboard, opened on first use.
fn opened(inner: &mut Option<arboard::Clipboard>) -> Result<&mut arboard::Clipboard, CmdError> {
    if inner.is_none() {
        *inner = Some(arboard::Clipboard::new().map_err(|e| {
            CmdError::new("clipboard", format!("the clipboard is not available: {e}"))
        })?);
    }
    Ok(inner.as_mut().expect("just set"))
}

#[derive(Default)]
pub struct Clipboard {
    // On X11 the owner must stay alive to serve the selection.
    inner: Mutex<Option<arboard::Clipboard>>,
    last: Mutex<Option<Zeroizing<String>>>,
}

impl Clipboard {
    pub fn copy(
        self: &Arc<Self>,
        text: Zeroizing<String>,
        clear_after_secs: u32,
    ) -> Result<(), CmdError> {
        {
            let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            exclude_from_history(opened(&mut inner)?.set())
                .text(text.as_str())
                .map_err(|e| CmdError::new("clipboard", format!("could not copy: {e}")))?;
        }
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(text.clone());
        if clear_after_secs > 0 {
            let this = Arc::clone(self);
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_secs(u64::from(clear_after_secs)));
                this.clear_if_holds(&text);
            });
        }
        Ok(())
    }

    /// Text that is no secret (a command to paste into a desktop's
    /// settings): offered to clipboard history as any text is, and neither
    /// cleared later nor at lock.
    pub fn copy_plain(&self, text: &str) -> Result<(), CmdError> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        opened(&mut inner)?
            .set_text(text)
            .map_err(|e| CmdError::new("clipboard", format!("could not copy: {e}")))
    }

    fn clear_if_holds(&self, text: &str) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(cb) = inner.as_mut()
            && cb
                .get_text()
                .is_ok_and(|t| Zeroizing::new(t).as_str() == text)
        {
            let _ = cb.clear();
        }
    }

    /// At exit: a code we copied goes with the app, and the X11 owner is
    /// given up before the process ends. Tauri exits without dropping its
    /// state, so arboard's own drop (which does the same for hinted data)
    /// would never run, and a clipboard manager that sees the owner vanish
    /// may take it for a crash and save what it served.
    pub fn release(&self) {
        self.clear_ours();
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
        drop(inner);
    }

    /// On lock: a code we copied does not outlive the session.
    pub fn clear_ours(&self) {
        let last = self.last.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(text) = last {
            self.clear_if_holds(&text);
        }
    }
}
