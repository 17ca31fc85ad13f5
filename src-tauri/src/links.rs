//! `otpauth://` and `otpauth-migration://` links opened from a browser or
//! mail: the desktop hands them to the app (its argument at start, a second
//! start's argument through single-instance, an Apple event on macOS; all
//! through tauri-plugin-deep-link). A link is hostile input like any other:
//! it is only kept here, bounded, until the unlocked page takes it to show
//! the Add preview; parsing it is the preview's job, and nothing is added
//! without the user's click.

use std::sync::Mutex;

use zeroize::Zeroizing;

/// Longer than any link a QR code can carry (under 3 KB) or a migration
/// link of a few hundred accounts; anything longer is not a link of ours.
pub const MAX_LINK: usize = 64 * 1024;

/// The last link received, waiting for the page (it carries a secret).
#[derive(Default)]
pub struct PendingLink(Mutex<Option<Zeroizing<String>>>);

impl PendingLink {
    /// Keeps the last of `links` that is one of ours; whether one was.
    pub fn offer<I, S>(&self, links: I) -> bool
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let Some(link) = links
            .into_iter()
            .map(|l| Zeroizing::new(l.into()))
            .filter(|l| is_ours(l))
            .last()
        else {
            return false;
        };
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(link);
        true
    }

    /// The waiting link, once.
    pub fn take(&self) -> Option<Zeroizing<String>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// Takes the link the app was started with, and each one a later start
/// hands over: the window comes forward and the page is told.
pub fn listen<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    use tauri::{Emitter, Manager};
    use tauri_plugin_deep_link::DeepLinkExt;
    let to = app.clone();
    app.deep_link().on_open_url(move |event| {
        let urls = event.urls();
        if to
            .state::<PendingLink>()
            .offer(urls.iter().map(|u| u.as_str()))
        {
            crate::window::show(&to);
            let _ = to.emit("open-link", ());
        }
    });
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        app.state::<PendingLink>()
            .offer(urls.iter().map(|u| u.as_str()));
    }
}

/// An otpauth or otpauth-migration link of bounded length (schemes are
/// case-insensitive, RFC 3986 §3.1).
pub fn is_ours(link: &str) -> bool {
    if link.len() > MAX_LINK {
        return false;
    }
    let Some((scheme, _)) = link.split_once("://") else {
        return false;
    };
    scheme.eq_ignore_ascii_case("otpauth") || scheme.eq_ignore_ascii_case("otpauth-migration")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bounded_otpauth_links_wait_and_each_is_taken_once() {
        let pending = PendingLink::default();
        assert!(!pending.offer(["--vault", "/tmp/v", "https://example.com/"]));
        assert!(pending.take().is_none());
        assert!(pending.offer(["authdesk-app", "OTPAUTH://totp/A?secret=JBSWY3DPEHPK3PXP"]));
        assert_eq!(
            pending.take().as_deref().map(String::as_str),
            Some("OTPAUTH://totp/A?secret=JBSWY3DPEHPK3PXP")
        );
        assert!(pending.take().is_none());
        assert!(pending.offer(["otpauth-migration://offline?data=CgA"]));
        let long = format!("otpauth://totp/A?secret={}", "A".repeat(MAX_LINK));
        assert!(!pending.offer([long]));
        assert!(!is_ours("otpauth:totp/A"));
        assert!(!is_ours("javascript://otpauth://"));
    }
}
