//! The list's order: pinned accounts first, then the user's choice of their
//! own order, by name, or most recently used. One rule for every front end
//! (the app's list and tray menu, the CLI's picker).
//!
//! When each account was last used is this device's business, not the
//! household's: it is kept in a small file beside the vault
//! (`<vault>.used`, 0600), not in the vault, so that copying a code never
//! rewrites the vault or starts a household round. It names accounts by
//! their random ids only. It is not precious: a damaged or hostile file
//! reads as "nothing used yet" and is replaced at the next use.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::entry::{Entry, EntryId};
use crate::timestamp::UnixMs;

/// How the accounts below the pinned ones are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// The user's own order (dragged, or moved with the keyboard).
    #[default]
    Manual,
    /// By issuer, then account, ignoring case.
    Name,
    /// The most recently used first; never-used ones after, in the user's order.
    Recent,
}

/// The largest usage file read; 10,000 accounts take about 600 KB.
pub const MAX_USAGE_FILE: u64 = 1 << 20;
/// The most accounts whose use is remembered; the oldest go first.
pub const MAX_REMEMBERED: usize = 10_000;

/// When each account was last used (copied, typed) on this device.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    last_used: HashMap<EntryId, UnixMs>,
}

impl Usage {
    /// Where the usage of the vault at `vault` is kept.
    pub fn path_for(vault: &Path) -> PathBuf {
        let mut name = vault.file_name().unwrap_or_default().to_os_string();
        name.push(".used");
        vault.with_file_name(name)
    }

    /// Reads the file at `path`: missing, too large, not a regular file or
    /// not ours reads as empty (a link is not followed).
    pub fn load(path: &Path) -> Usage {
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            return Usage::default();
        }
        match crate::vault::fsio::read_regular(path, MAX_USAGE_FILE) {
            Ok(bytes) => Usage::from_bytes(&bytes),
            Err(_) => Usage::default(),
        }
    }

    /// A usage file's bytes; anything but our JSON reads as empty, and
    /// more than [`MAX_REMEMBERED`] accounts are cut to the latest.
    pub fn from_bytes(bytes: &[u8]) -> Usage {
        if bytes.len() as u64 > MAX_USAGE_FILE {
            return Usage::default();
        }
        let mut usage: Usage = serde_json::from_slice(bytes).unwrap_or_default();
        usage.bound();
        usage
    }

    /// Writes it to `path` atomically (0600).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        crate::vault::fsio::write_atomic(path, &bytes)
    }

    /// Notes that `id` was used at `now`.
    pub fn touch(&mut self, id: EntryId, now: UnixMs) {
        self.last_used.insert(id, now);
        self.bound();
    }

    /// When `id` was last used, if ever.
    pub fn last_used(&self, id: EntryId) -> Option<UnixMs> {
        self.last_used.get(&id).copied()
    }

    /// Forgets accounts no longer in `entries`.
    pub fn retain(&mut self, entries: &[Entry]) {
        let ids: std::collections::HashSet<EntryId> = entries.iter().map(|e| e.id).collect();
        self.last_used.retain(|id, _| ids.contains(id));
    }

    fn bound(&mut self) {
        if self.last_used.len() > MAX_REMEMBERED {
            let mut times: Vec<UnixMs> = self.last_used.values().copied().collect();
            let cut = times.len() - MAX_REMEMBERED;
            let (_, &mut oldest_kept, _) = times.select_nth_unstable(cut);
            self.last_used.retain(|_, t| *t >= oldest_kept);
        }
    }
}

/// `entries` in the order the list shows them: pinned first, each part in
/// `order`. Stable: ties keep the vault's (the user's) order.
pub fn arrange<'a>(entries: &'a [Entry], order: SortOrder, usage: &Usage) -> Vec<&'a Entry> {
    let mut out: Vec<&Entry> = entries.iter().collect();
    match order {
        SortOrder::Manual => out.sort_by_key(|e| !e.pinned),
        SortOrder::Name => out.sort_by_cached_key(|e| {
            (
                !e.pinned,
                e.data.issuer.to_lowercase(),
                e.data.account.to_lowercase(),
            )
        }),
        SortOrder::Recent => out.sort_by_key(|e| {
            (
                !e.pinned,
                std::cmp::Reverse(usage.last_used(e.id).unwrap_or(i64::MIN)),
            )
        }),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(issuer: &str, pinned: bool) -> Entry {
        let data = crate::uri::parse_otpauth(&format!(
            "otpauth://totp/{issuer}:jan?secret=JBSWY3DPEHPK3PXP"
        ))
        .unwrap();
        let mut e = Entry::new(data, 0);
        e.pinned = pinned;
        e
    }

    fn names(list: &[&Entry]) -> Vec<String> {
        list.iter().map(|e| e.data.issuer.clone()).collect()
    }

    #[test]
    fn pinned_accounts_lead_in_every_order() {
        let v = [
            entry("ista", false),
            entry("Enphase", true),
            entry("brunata", false),
            entry("SolarEdge", true),
        ];
        let mut usage = Usage::default();
        usage.touch(v[2].id, 20);
        usage.touch(v[0].id, 10);
        usage.touch(v[3].id, 5);
        let arranged = |o| names(&arrange(&v, o, &usage));
        assert_eq!(
            arranged(SortOrder::Manual),
            ["Enphase", "SolarEdge", "ista", "brunata"]
        );
        assert_eq!(
            arranged(SortOrder::Name),
            ["Enphase", "SolarEdge", "brunata", "ista"]
        );
        assert_eq!(
            arranged(SortOrder::Recent),
            ["SolarEdge", "Enphase", "brunata", "ista"]
        );
    }

    #[test]
    fn usage_survives_a_save_and_a_bad_file_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = Usage::path_for(&dir.path().join("vault.authdesk"));
        assert!(path.ends_with("vault.authdesk.used"));
        let e = entry("ista", false);
        let mut usage = Usage::load(&path);
        usage.touch(e.id, 42);
        usage.save(&path).unwrap();
        assert_eq!(Usage::load(&path).last_used(e.id), Some(42));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, b"{not json").unwrap();
        assert_eq!(Usage::load(&path), Usage::default());
        std::fs::write(&path, vec![b' '; MAX_USAGE_FILE as usize + 1]).unwrap();
        assert_eq!(Usage::load(&path), Usage::default());
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_usage_file_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("elsewhere");
        let e = entry("ista", false);
        let mut usage = Usage::default();
        usage.touch(e.id, 7);
        usage.save(&other).unwrap();
        let path = dir.path().join("vault.authdesk.used");
        std::os::unix::fs::symlink(&other, &path).unwrap();
        assert_eq!(Usage::load(&path), Usage::default());
    }

    #[test]
    fn the_oldest_uses_are_forgotten_beyond_the_bound() {
        let mut usage = Usage::default();
        for t in 0..(MAX_REMEMBERED as i64 + 5) {
            usage.touch(uuid::Uuid::new_v4(), t);
        }
        assert_eq!(usage.last_used.len(), MAX_REMEMBERED);
        assert!(usage.last_used.values().all(|&t| t >= 5));
    }
}
