//! The Backup screen's side of the session: this device's name, where its
//! backups stand, and restoring a backup file (staged, opened without the
//! session lock, previewed, then merged in). The household folder's rounds
//! are in `household.rs`.

use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use super::{Session, now_ms};
use crate::error::CmdError;

/// A backup file on its way in, and the last household round.
#[derive(Default)]
pub(super) struct Staged {
    /// A backup file chosen or dropped for restoring, until it is opened.
    file: Option<(String, Vec<u8>)>,
    /// An opened backup's entries, previewed and waiting for "Restore".
    restore: Option<Vec<authdesk_core::Entry>>,
    /// The household folder's last round, shown on the Backup screen.
    pub(super) last_sync: Option<SyncView>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BackupDone {
    pub path: String,
    pub accounts: usize,
    /// The household's backups merged on the way, and what they changed.
    pub sync: SyncView,
}

/// The last household-folder round, for the Backup screen.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SyncView {
    pub at_ms: authdesk_core::timestamp::UnixMs,
    pub merged: Vec<String>,
    pub other_household: Vec<String>,
    /// "name: why".
    pub unreadable: Vec<String>,
    pub cleaned: Vec<String>,
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub removed: Vec<String>,
    pub kept_twice: Vec<String>,
    /// Who backs up into the folder, newest first.
    pub devices: Vec<DeviceView>,
    pub warnings: Vec<String>,
    pub error: Option<CmdError>,
}

/// A household device, as the Backup screen lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DeviceView {
    pub name: String,
    pub last_backup_ms: i64,
    pub accounts: usize,
    pub this_device: bool,
    /// No backup for over 30 days.
    pub stale: bool,
}

impl SyncView {
    pub(super) fn of(done: &authdesk_core::backup::household::FolderSync) -> Self {
        let r = &done.report;
        SyncView {
            at_ms: now_ms(),
            merged: done.merged.clone(),
            other_household: done.other_household.clone(),
            unreadable: done
                .unreadable
                .iter()
                .map(|(n, why)| format!("{n}: {why}"))
                .collect(),
            cleaned: done.cleaned.clone(),
            added: r.added.clone(),
            updated: r.updated.clone(),
            removed: r.removed.clone(),
            kept_twice: r.kept_twice.clone(),
            devices: done
                .devices
                .iter()
                .map(|d| DeviceView {
                    name: d.name.clone(),
                    last_backup_ms: d.last_backup_ms,
                    accounts: d.accounts,
                    this_device: d.this_device,
                    stale: d.is_stale(now_ms()),
                })
                .collect(),
            warnings: done.warnings.clone(),
            error: None,
        }
    }
}

/// Where this vault's backups stand.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BackupStatus {
    pub folder: String,
    /// The vault holds the household key: backups are automatic.
    pub joined: bool,
    /// The passwords that open the household's backups, by name ("" for
    /// an unnamed one), in the household key's order.
    pub passwords: Vec<String>,
    /// When this device's backup in the folder was made.
    pub last_backup_ms: Option<i64>,
    /// It holds everything the vault holds.
    pub current: bool,
    /// This device's name in the household (the host name until renamed).
    pub device_name: String,
    /// "none": there is no backup; "stale": the last one is older than the
    /// newest change and writing it failed. `None`: nothing to remind.
    #[cfg_attr(test, ts(type = r#""none" | "stale" | null"#))]
    pub reminder: Option<&'static str>,
    pub last_sync: Option<SyncView>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RestorePreview {
    /// The file's name.
    pub name: String,
    pub device: String,
    pub created_ms: i64,
    pub accounts: usize,
    pub report: authdesk_core::backup::RestoreReport,
}

impl Session {
    /// Names this device for the household (an empty name goes back to the
    /// host name); the name now shown. The next round rewrites its backup.
    pub fn set_device_name(&mut self, name: &str) -> Result<String, CmdError> {
        let vault = self.vault_mut()?;
        let device = vault
            .contents_mut()
            .device
            .get_or_insert_with(Default::default);
        device.rename(name, now_ms());
        let shown = device.name();
        vault.save()?;
        self.last_activity = Instant::now();
        Ok(shown)
    }

    /// What "Back up now" did, once [`household::back_up_now`] ran.
    pub fn backup_done(
        &self,
        folder: &Path,
        sync: Option<SyncView>,
    ) -> Result<BackupDone, CmdError> {
        use authdesk_core::backup::household::Writer;
        let vault = self.vault()?;
        let path = Writer::of(vault.contents(), None)
            .map(|w| w.path(folder))
            .unwrap_or_else(|| folder.to_owned());
        Ok(BackupDone {
            path: path.display().to_string(),
            accounts: vault.entries().len(),
            sync: sync.unwrap_or_default(),
        })
    }

    /// A copy of what the household backup must hold, taken as the vault
    /// locks, for the last backup written after the lock; `None` when the
    /// vault has not joined a household.
    pub fn copy_for_last_backup(&self) -> Option<authdesk_core::vault::Contents> {
        let contents = self.vault.as_ref()?.contents();
        (contents.household.is_some() && contents.device.is_some()).then(|| contents.clone())
    }

    /// A cheap mark of everything a backup holds, so that a poller writes
    /// one only after a change; `None` while locked.
    pub fn vault_mark(&self) -> Option<u64> {
        use std::hash::{Hash, Hasher};
        let c = self.vault.as_ref()?.contents();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for e in &c.entries {
            (
                e.id,
                e.modified,
                e.data.otp.counter,
                &e.data.issuer,
                &e.data.account,
            )
                .hash(&mut h);
            (&e.icon, &e.groups).hash(&mut h);
        }
        c.tombstones.len().hash(&mut h);
        c.household.as_ref().map(|k| k.slots_changed).hash(&mut h);
        // A rename shows in this device's backup too.
        c.device.as_ref().map(|d| d.name()).hash(&mut h);
        Some(h.finish())
    }

    pub fn backup_status(&self, folder: &str) -> BackupStatus {
        use authdesk_core::backup::household;
        let Some(vault) = self.vault.as_ref() else {
            return BackupStatus {
                folder: folder.to_owned(),
                ..BackupStatus::default()
            };
        };
        let contents = vault.contents();
        let joined = contents.household.is_some() && !folder.is_empty();
        let path = Path::new(folder);
        // One read of this device's backup for both its time and its state.
        let own = if joined {
            household::own_backup(contents, path, None)
        } else {
            None
        };
        let current = own.is_some_and(|(_, current)| current);
        let failed = self
            .backup
            .last_sync
            .as_ref()
            .is_some_and(|s| s.error.is_some());
        let reminder = if contents.entries.is_empty() {
            None
        } else if !joined {
            Some("none")
        } else if !current && failed {
            Some("stale")
        } else {
            None
        };
        BackupStatus {
            folder: folder.to_owned(),
            device_name: contents
                .device
                .as_ref()
                .map_or_else(authdesk_core::device::host_name, |d| d.name()),
            joined,
            passwords: contents.household.as_ref().map_or_else(Vec::new, |k| {
                k.slots.iter().map(|s| s.name.clone()).collect()
            }),
            last_backup_ms: own.map(|(created, _)| created),
            current,
            reminder,
            last_sync: self.backup.last_sync.clone(),
        }
    }

    /// Another household member's password for the next backups.
    /// A backup file's bytes, waiting for its password.
    pub fn stage_backup(&mut self, name: String, bytes: Vec<u8>) -> Result<(), CmdError> {
        self.vault()?;
        self.forget_backup();
        self.backup.file = Some((name, bytes));
        Ok(())
    }

    /// A copy of the staged backup's name and bytes, to open without the
    /// session lock.
    pub fn staged_backup_copy(&self) -> Result<(String, Vec<u8>), CmdError> {
        self.vault()?;
        self.backup
            .file
            .clone()
            .ok_or_else(|| CmdError::new("nothing_staged", "choose a backup file first"))
    }

    /// What restoring an opened backup would do, without writing anything.
    pub fn preview_opened(
        &mut self,
        name: String,
        backup: authdesk_core::backup::Backup,
    ) -> Result<RestorePreview, CmdError> {
        let mut copy = self.vault()?.contents().clone();
        let report = authdesk_core::backup::restore(&mut copy, &backup.entries);
        let preview = RestorePreview {
            name,
            device: backup.device.clone(),
            created_ms: backup.created_ms,
            accounts: backup.entries.len(),
            report,
        };
        self.backup.restore = Some(backup.entries);
        self.last_activity = Instant::now();
        Ok(preview)
    }

    /// Restores the previewed backup: a merge that adds and updates, never
    /// removes.
    pub fn apply_restore(&mut self) -> Result<authdesk_core::backup::RestoreReport, CmdError> {
        let entries = self
            .backup
            .restore
            .take()
            .ok_or_else(|| CmdError::new("nothing_staged", "choose a backup file first"))?;
        self.backup.file = None;
        let vault = self.vault_mut()?;
        let report = authdesk_core::backup::restore(vault.contents_mut(), &entries);
        if report.changes_anything() {
            vault.save()?;
        }
        self.last_activity = Instant::now();
        Ok(report)
    }

    fn forget_backup(&mut self) {
        self.backup.file = None;
        self.backup.restore = None;
    }
}

#[cfg(test)]
mod tests {
    use crate::session::tests::{SOLAR, unlocked};

    #[test]
    fn the_reminder_asks_for_a_backup_once_there_are_accounts() {
        let (_dir, mut s) = unlocked();
        assert_eq!(s.backup_status("").reminder, None);
        s.add_uri(SOLAR).unwrap();
        let status = s.backup_status("");
        assert_eq!((status.reminder, status.joined), (Some("none"), false));
    }

    #[test]
    fn the_mark_moves_with_what_a_backup_holds() {
        let (_dir, mut s) = unlocked();
        let empty = s.vault_mark();
        s.add_uri(SOLAR).unwrap();
        let one = s.vault_mark();
        assert_ne!(empty, one);
        s.set_device_name("Laptop in de bus").unwrap();
        assert_ne!(s.vault_mark(), one, "a rename is in this device's backup");
        s.lock();
        assert_eq!(s.vault_mark(), None);
    }

    #[test]
    fn a_restore_needs_an_opened_backup() {
        let (_dir, mut s) = unlocked();
        assert_eq!(s.apply_restore().unwrap_err().kind, "nothing_staged");
        assert_eq!(s.staged_backup_copy().unwrap_err().kind, "nothing_staged");
    }
}
