//! What kind of graphical session this is: on Wayland only the portal may
//! capture the screen (`screen`) and nothing may be typed into
//! other programs ([`crate::autotype::can_type`]).

/// Whether the session is Wayland, with or without XWayland's X11
/// display: XWayland's keys reach X11 windows only, and which window is in
/// front is the compositor's secret.
pub fn is_wayland() -> bool {
    let var = |v: &str| std::env::var(v).unwrap_or_default();
    cfg!(target_os = "linux")
        && in_wayland_session(&var("XDG_SESSION_TYPE"), &var("WAYLAND_DISPLAY"))
}

fn in_wayland_session(session_type: &str, wayland_display: &str) -> bool {
    session_type == "wayland" || !wayland_display.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wayland_session_is_wayland_even_with_xwayland() {
        assert!(in_wayland_session("wayland", "wayland-0"));
        // GNOME's and KDE's XWayland set $DISPLAY too: still Wayland.
        assert!(in_wayland_session("wayland", ""));
        assert!(in_wayland_session("", "wayland-1"));
        assert!(!in_wayland_session("x11", ""));
        assert!(!in_wayland_session("", ""));
    }
}
