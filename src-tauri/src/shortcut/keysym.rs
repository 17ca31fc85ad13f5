//! An accelerator's key as an X keysym: what our X11 grabs look up and
//! what sway's and Hyprland's configuration lines name (`help.rs`), so
//! both know the same keys.

use tauri_plugin_global_shortcut::Code;
use xkeysym::Keysym;

/// The keysym a key of a US keyboard types without modifiers: what
/// accelerators name. Keys no shortcut should take (modifiers, media keys)
/// have none.
pub fn keysym(code: Code) -> Option<Keysym> {
    use xkeysym::key;
    let name = code.to_string();
    let typed = |s: &str| s.chars().next().filter(|_| s.chars().count() == 1);
    if let Some(c) = name.strip_prefix("Key").and_then(typed) {
        return Some(Keysym::from_char(c.to_ascii_lowercase()));
    }
    if let Some(c) = name.strip_prefix("Digit").and_then(typed) {
        return Some(Keysym::from_char(c));
    }
    if let Some(n) = name
        .strip_prefix("Numpad")
        .and_then(|d| d.parse::<u32>().ok())
    {
        return (n <= 9).then(|| Keysym::new(key::KP_0 + n));
    }
    if let Some(n) = name.strip_prefix('F').and_then(|d| d.parse::<u32>().ok()) {
        return (1..=35).contains(&n).then(|| Keysym::new(key::F1 + n - 1));
    }
    let raw = match code {
        Code::Space => key::space,
        Code::Minus => key::minus,
        Code::Equal => key::equal,
        Code::BracketLeft => key::bracketleft,
        Code::BracketRight => key::bracketright,
        Code::Backslash => key::backslash,
        Code::Semicolon => key::semicolon,
        Code::Quote => key::apostrophe,
        Code::Backquote => key::grave,
        Code::Comma => key::comma,
        Code::Period => key::period,
        Code::Slash => key::slash,
        Code::Enter => key::Return,
        Code::Tab => key::Tab,
        Code::Escape => key::Escape,
        Code::Backspace => key::BackSpace,
        Code::Delete => key::Delete,
        Code::Insert => key::Insert,
        Code::Home => key::Home,
        Code::End => key::End,
        Code::PageUp => key::Prior,
        Code::PageDown => key::Next,
        Code::ArrowUp => key::Up,
        Code::ArrowDown => key::Down,
        Code::ArrowLeft => key::Left,
        Code::ArrowRight => key::Right,
        Code::PrintScreen => key::Print,
        Code::Pause => key::Pause,
        Code::NumpadAdd => key::KP_Add,
        Code::NumpadSubtract => key::KP_Subtract,
        Code::NumpadMultiply => key::KP_Multiply,
        Code::NumpadDivide => key::KP_Divide,
        Code::NumpadDecimal => key::KP_Decimal,
        Code::NumpadEnter => key::KP_Enter,
        _ => return None,
    };
    Some(Keysym::new(raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tauri_plugin_global_shortcut::Shortcut;

    #[test]
    fn accelerators_name_the_keys_a_us_keyboard_types() {
        let sym = |a: &str| keysym(a.parse::<Shortcut>().unwrap().key).map(Keysym::raw);
        assert_eq!(sym("Ctrl+Alt+A"), Some(u32::from(b'a')));
        assert_eq!(sym("Ctrl+Shift+7"), Some(u32::from(b'7')));
        assert_eq!(sym("Super+F12"), Some(xkeysym::key::F12));
        assert_eq!(sym("Ctrl+Space"), Some(xkeysym::key::space));
        assert_eq!(sym("Alt+PageDown"), Some(xkeysym::key::Next));
        assert_eq!(sym("Ctrl+Numpad5"), Some(xkeysym::key::KP_5));
    }
}
