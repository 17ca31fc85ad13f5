//! Which Wayland desktop this is, and which packages give it the
//! screenshot portal: what the `no_portal` message tells the user to
//! install.

/// A Wayland desktop, as far as its screenshot portal goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Desktop {
    /// GNOME (and desktops built on it): xdg-desktop-portal-gnome.
    Gnome,
    /// KDE Plasma: xdg-desktop-portal-kde.
    Kde,
    /// Hyprland: xdg-desktop-portal-hyprland.
    Hyprland,
    /// sway and other wlroots compositors: xdg-desktop-portal-wlr, and
    /// xdg-desktop-portal-gtk beside it, since xdg-desktop-portal (1.16, in
    /// Debian 12) offers Screenshot only when a backend also offers Access,
    /// which -wlr does not.
    Wlroots,
    /// Any other: the names of the backends to choose from.
    Other,
}

impl Desktop {
    /// The desktop of this session, from `$XDG_CURRENT_DESKTOP`.
    pub fn current() -> Desktop {
        Desktop::from_names(&std::env::var("XDG_CURRENT_DESKTOP").unwrap_or_default())
    }

    /// `$XDG_CURRENT_DESKTOP`'s colon-separated names, such as
    /// "ubuntu:GNOME" or "sway".
    pub fn from_names(names: &str) -> Desktop {
        let lower = names.to_ascii_lowercase();
        let has = |n: &str| lower.split(':').any(|d| d.trim() == n);
        if has("gnome") || has("unity") || has("pantheon") || has("budgie") {
            Desktop::Gnome
        } else if has("kde") {
            Desktop::Kde
        } else if has("hyprland") {
            Desktop::Hyprland
        } else if [
            "sway", "wlroots", "river", "wayfire", "labwc", "niri", "hikari", "dwl",
        ]
        .iter()
        .any(|d| has(d))
        {
            Desktop::Wlroots
        } else {
            Desktop::Other
        }
    }

    /// Its name in messages' values, which translations select on.
    pub fn as_str(self) -> &'static str {
        match self {
            Desktop::Gnome => "gnome",
            Desktop::Kde => "kde",
            Desktop::Hyprland => "hyprland",
            Desktop::Wlroots => "wlroots",
            Desktop::Other => "other",
        }
    }
}

/// The packages that give `desktop` a screenshot portal, as a message says
/// them (Debian's and most distributions' names).
pub fn portal_packages(desktop: Desktop) -> &'static str {
    match desktop {
        Desktop::Gnome => "xdg-desktop-portal and xdg-desktop-portal-gnome",
        Desktop::Kde => "xdg-desktop-portal and xdg-desktop-portal-kde",
        Desktop::Hyprland => "xdg-desktop-portal and xdg-desktop-portal-hyprland",
        Desktop::Wlroots => "xdg-desktop-portal, xdg-desktop-portal-wlr and xdg-desktop-portal-gtk",
        Desktop::Other => {
            "xdg-desktop-portal with your desktop's backend (xdg-desktop-portal-gnome, -kde, or -wlr with -gtk)"
        }
    }
}
