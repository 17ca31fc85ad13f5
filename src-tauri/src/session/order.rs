//! The list's order (pinned first, then manual, by name or most recently
//! used: `authdesk_core::order`), what a use of an account records, and the
//! pinned accounts the tray menu lists.

use std::path::Path;

use authdesk_core::order::{self, SortOrder, Usage};
use authdesk_core::otp::OtpType;
use authdesk_core::timestamp::UnixMs;
use zeroize::Zeroizing;

use super::{Copied, EntryView, Session, parse_id};
use crate::error::CmdError;

/// The most pinned accounts the tray menu lists: a menu, not a second list.
pub const TRAY_PINNED: usize = 10;

/// A pinned account as the tray menu lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinnedItem {
    pub id: String,
    /// "Issuer (account)".
    pub name: String,
    /// Its current code, when a setting asks for codes in the menu.
    pub code: Option<String>,
}

pub(super) fn load_usage(vault: &Path) -> Usage {
    Usage::load(&Usage::path_for(vault))
}

impl Session {
    /// The accounts as the list shows them: pinned first, then in `order`.
    pub fn arranged(&self, order: SortOrder) -> Result<Vec<EntryView>, CmdError> {
        let vault = self.vault()?;
        Ok(order::arrange(vault.entries(), order, &self.usage)
            .into_iter()
            .map(EntryView::from)
            .collect())
    }

    /// Records that `id` was just used (copied, typed): "most recently
    /// used" puts it first. The file is best effort: failing to write it
    /// never fails the copy.
    pub(super) fn note_use(&mut self, id: authdesk_core::EntryId, now_ms: UnixMs) {
        self.usage.touch(id, now_ms);
        if let Some(vault) = &self.vault {
            self.usage.retain(vault.entries());
        }
        let _ = self.usage.save(&Usage::path_for(&self.vault_path));
    }

    /// Up to [`TRAY_PINNED`] pinned accounts in the list's order; none while
    /// locked. `codes_at`: label each with its current code (a setting).
    pub fn pinned(&self, order: SortOrder, codes_at: Option<UnixMs>) -> Vec<PinnedItem> {
        let Some(vault) = &self.vault else {
            return Vec::new();
        };
        order::arrange(vault.entries(), order, &self.usage)
            .into_iter()
            .filter(|e| e.pinned)
            .take(TRAY_PINNED)
            .map(|e| PinnedItem {
                id: e.id.to_string(),
                name: e.data.display_name(),
                code: codes_at
                    .filter(|_| e.data.otp.kind != OtpType::Hotp)
                    .and_then(|now| e.data.time_code(now.max(0) as u64 / 1000).ok())
                    .map(|c| c.as_str().to_owned()),
            })
            .collect()
    }

    /// The code a tray click copies (and auto-type types), and the
    /// account's name for the notification. HOTP issues its next code
    /// (saved first): neither has a "next code" button before it.
    pub fn code_for_tray(
        &mut self,
        id: &str,
        now_ms: UnixMs,
    ) -> Result<(Zeroizing<String>, String, Copied), CmdError> {
        let entry_id = parse_id(id)?;
        let entry = self
            .vault()?
            .get(entry_id)
            .ok_or_else(CmdError::not_found)?;
        let name = entry.data.display_name();
        if entry.data.otp.kind == OtpType::Hotp {
            self.next_hotp(id)?;
        }
        let (code, copied) = self.code_for_copy(id, now_ms)?;
        Ok((code, name, copied))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::EntryEdit;
    use crate::session::tests::{SOLAR, unlocked};

    const METER: &str = "otpauth://totp/ista:jan?secret=GEZDGNBVGY3TQOJQ";

    #[test]
    fn pinned_accounts_lead_and_reach_the_tray_and_copies_count_as_use() {
        let (_dir, mut s) = unlocked();
        s.add_uri(SOLAR).unwrap();
        s.add_uri(METER).unwrap();
        let ids: Vec<String> = s.entries().unwrap().iter().map(|e| e.id.clone()).collect();
        assert!(s.pinned(SortOrder::Manual, None).is_empty());
        let pin = EntryEdit {
            pinned: Some(true),
            ..Default::default()
        };
        s.update(&ids[1], pin).unwrap();
        let listed: Vec<String> = s.entries().unwrap().iter().map(|e| e.id.clone()).collect();
        assert_eq!(listed, [ids[1].clone(), ids[0].clone()]);
        let tray = s.pinned(SortOrder::Manual, None);
        assert_eq!(tray.len(), 1);
        assert_eq!(
            (tray[0].name.as_str(), &tray[0].code),
            ("ista (jan)", &None)
        );
        let with_code = s.pinned(SortOrder::Manual, Some(1_800_000_000_000));
        assert_eq!(with_code[0].code.as_ref().map(String::len), Some(6));

        // Most recently used: a copy counts, and survives a lock.
        s.code_for_copy(&ids[0], 1_800_000_000_000).unwrap();
        let (code, name, _) = s.code_for_tray(&ids[1], 1_800_000_001_000).unwrap();
        assert_eq!((code.len(), name.as_str()), (6, "ista (jan)"));
        s.update(
            &ids[1],
            EntryEdit {
                pinned: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
        let recent = |s: &Session| -> Vec<String> {
            s.arranged(SortOrder::Recent)
                .unwrap()
                .into_iter()
                .map(|e| e.id)
                .collect()
        };
        assert_eq!(recent(&s), [ids[1].clone(), ids[0].clone()]);
        s.lock();
        assert!(s.pinned(SortOrder::Manual, None).is_empty());
        s.unlock(crate::session::tests::PASSWORD.into(), false)
            .unwrap();
        assert_eq!(recent(&s), [ids[1].clone(), ids[0].clone()]);
    }
}
