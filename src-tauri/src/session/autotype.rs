//! Auto-type's part of the session: the accounts a window title picks, the
//! code to type (HOTP issued and saved first), and a remembered match.

use authdesk_core::autotype::{self, WindowMatch};
use authdesk_core::timestamp::UnixMs;
use authdesk_core::vault::EntryChange;
use zeroize::Zeroizing;

use super::{Session, parse_id};
use crate::error::CmdError;

/// The code to type, whether Enter follows, and the account's name.
pub struct ToType {
    pub code: Zeroizing<String>,
    pub enter: bool,
    pub name: String,
}

impl Session {
    /// The ids a window title picks, best first: one means "type it".
    pub fn for_window(&self, title: &str) -> Result<Vec<String>, CmdError> {
        Ok(match autotype::for_window(self.vault()?.entries(), title) {
            WindowMatch::One(e) => vec![e.id.to_string()],
            WindowMatch::Several(list) => list.iter().map(|e| e.id.to_string()).collect(),
            WindowMatch::Nothing => Vec::new(),
        })
    }

    /// The code to type for `id` at `now_ms`, as a tray click takes it
    /// ([`Session::code_for_tray`]: the next one in a period's last seconds,
    /// HOTP issued), with the account's Enter setting.
    pub fn code_to_type(&mut self, id: &str, now_ms: UnixMs) -> Result<ToType, CmdError> {
        let enter = self
            .vault()?
            .get(parse_id(id)?)
            .ok_or_else(CmdError::not_found)?
            .autotype
            .enter;
        let (code, name, _) = self.code_for_tray(id, now_ms)?;
        Ok(ToType { code, enter, name })
    }

    /// Adds `window` (a title's suggestion) to the account's window matches.
    pub fn remember_window(&mut self, id: &str, window: &str) -> Result<(), CmdError> {
        let entry_id = parse_id(id)?;
        let vault = self.vault_mut()?;
        let mut at = vault
            .get(entry_id)
            .ok_or_else(CmdError::not_found)?
            .autotype
            .clone();
        if window.trim().is_empty() {
            return Ok(());
        }
        at.windows.push(window.to_owned());
        vault.update(
            entry_id,
            EntryChange {
                autotype: Some(at),
                ..Default::default()
            },
        )?;
        vault.save()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::session::tests::{SOLAR, unlocked};

    #[test]
    fn a_remembered_window_picks_its_account_and_its_code_is_typed_once_asked() {
        let (_dir, mut s) = unlocked();
        s.add_uri(SOLAR).unwrap();
        s.add_uri("otpauth://totp/ista:jan?secret=GEZDGNBVGY3TQOJQ")
            .unwrap();
        let ista = s.entries().unwrap()[1].id.clone();
        assert!(s.for_window("Mijn ista – Inloggen").unwrap().is_empty());
        s.remember_window(&ista, "Mijn ista").unwrap();
        assert_eq!(
            s.for_window("MIJN ISTA – Inloggen - Chromium").unwrap(),
            std::slice::from_ref(&ista)
        );
        let t = s.code_to_type(&ista, 1_800_000_000_000).unwrap();
        assert_eq!(
            (t.code.len(), t.enter, t.name.as_str()),
            (6, false, "ista (jan)")
        );
    }
}
