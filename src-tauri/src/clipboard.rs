//! Copying codes: arboard, and clearing the clipboard after a while if it
//! still holds the code we put there (never what the user copied since).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use zeroize::Zeroizing;

use crate::error::CmdError;

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
            if inner.is_none() {
                *inner = Some(arboard::Clipboard::new().map_err(|e| {
                    CmdError::new("clipboard", format!("the clipboard is not available: {e}"))
                })?);
            }
            inner
                .as_mut()
                .expect("just set")
                .set_text(text.as_str())
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

    /// On lock: a code we copied does not outlive the session.
    pub fn clear_ours(&self) {
        let last = self.last.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(text) = last {
            self.clear_if_holds(&text);
        }
    }
}
