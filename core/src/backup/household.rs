//! A household backup folder: a folder that a sync tool (Syncthing,
//! Nextcloud, Dropbox, OneDrive, …) shares between the family's devices.
//!
//! - Each device writes only its own file, `authdesk-<device>.authdesk-backup`,
//!   so a sync tool never sees two writers of one file. Before it is
//!   replaced, the previous one is copied into `authdesk-history/`, where
//!   the last N per device are kept.
//! - Every device merges every other backup in the folder ([`super::sync`]):
//!   additions, edits and deletions travel; nothing is lost.
//! - Sync tools' conflict copies (`x.sync-conflict-….authdesk-backup`,
//!   `x (conflicted copy …).authdesk-backup`, Nextcloud's
//!   `x (conflicted copy 2024-01-01 120000).authdesk-backup` or
//!   `x_conflict-….authdesk-backup`) are backups like any other and are
//!   merged; conflict copies of this device's own file are removed once
//!   its next backup holds what they had.
//! - All files share one random data key with one password slot per
//!   member. A vault that joined keeps the key and slots
//!   ([`HouseholdKey`], inside the encrypted vault), so writing and merging
//!   need no password and no Argon2 run. Removing a password stops it
//!   opening new backups, but a device that joined already holds the key.

use std::io;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::format::{DataKey, SLOT_LEN, Slot};
use super::{Backup, CreateBackupError, EXTENSION, OpenBackupError, RestoreReport};
use crate::vault::{Contents, KdfParams, SaveError, Vault};

/// The history subfolder, beside the backups.
pub const HISTORY_DIR: &str = "authdesk-history";

/// The household's data key and password slots, as a vault keeps them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StoredKey", into = "StoredKey")]
pub struct HouseholdKey {
    pub(crate) key: DataKey,
    pub slots: Vec<Slot>,
    /// Unix ms of the last change to `slots`: the newest set wins.
    pub slots_changed: i64,
}

#[derive(Serialize, Deserialize)]
struct StoredKey {
    key: String,
    slots: Vec<String>,
    slots_changed: i64,
}

impl Drop for StoredKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.key);
    }
}

impl From<HouseholdKey> for StoredKey {
    fn from(h: HouseholdKey) -> Self {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        StoredKey {
            key: b64.encode(h.key.as_bytes()),
            slots: h.slots.iter().map(|s| b64.encode(s.to_bytes())).collect(),
            slots_changed: h.slots_changed,
        }
    }
}

impl TryFrom<StoredKey> for HouseholdKey {
    type Error = String;
    fn try_from(s: StoredKey) -> Result<Self, String> {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        let key = zeroize::Zeroizing::new(
            b64.decode(s.key.as_bytes())
                .map_err(|e| format!("household key: {e}"))?,
        );
        let key: [u8; 32] = key[..]
            .try_into()
            .map_err(|_| "household key: not 32 bytes".to_string())?;
        let slots = s
            .slots
            .iter()
            .map(|t| {
                let b = b64.decode(t).map_err(|e| format!("household slot: {e}"))?;
                let b: [u8; SLOT_LEN] = b
                    .try_into()
                    .map_err(|_| "household slot: wrong length".to_string())?;
                Slot::from_bytes(&b).map_err(|e| format!("household slot: {e:?}"))
            })
            .collect::<Result<Vec<_>, String>>()?;
        if slots.is_empty() || slots.len() > super::format::MAX_SLOTS {
            return Err("household key: 1 to 16 slots".into());
        }
        Ok(HouseholdKey {
            key: DataKey::from_bytes(key),
            slots,
            slots_changed: s.slots_changed,
        })
    }
}

impl HouseholdKey {
    /// A new household with one password.
    pub fn new(password: &SecretString, kdf: KdfParams) -> Result<Self, CreateBackupError> {
        Ok(Backup::new(Vec::new(), password, kdf)?.household_key())
    }

    /// Another member's password; the next backups open with it too.
    pub fn add_password(
        &mut self,
        password: &SecretString,
        kdf: KdfParams,
    ) -> Result<(), CreateBackupError> {
        let mut b = Backup::for_household(self, "", Vec::new(), Vec::new());
        b.add_password(password, kdf)?;
        *self = b.household_key();
        Ok(())
    }

    /// Removes the slot that `password` opens; the last one stays.
    pub fn remove_password(&mut self, password: &SecretString) -> Result<(), RemovePasswordError> {
        let index = self
            .slots
            .iter()
            .position(|s| s.open(password).as_ref() == Some(&self.key))
            .ok_or(RemovePasswordError::NoSuchPassword)?;
        if self.slots.len() == 1 {
            return Err(RemovePasswordError::LastPassword);
        }
        let mut b = Backup::for_household(self, "", Vec::new(), Vec::new());
        b.remove_password(index)
            .map_err(|_| RemovePasswordError::LastPassword)?;
        *self = b.household_key();
        Ok(())
    }
}

#[derive(Debug, Error)]
pub enum RemovePasswordError {
    #[error("none of the household's passwords is that password")]
    NoSuchPassword,
    #[error("the household's last password cannot be removed")]
    LastPassword,
}

impl RemovePasswordError {
    pub fn kind(&self) -> &'static str {
        match self {
            RemovePasswordError::NoSuchPassword => "no_such_password",
            RemovePasswordError::LastPassword => "last_password",
        }
    }
}

/// A device name as a file-name part: letters, digits and `-` stay.
fn safe_device(device: &str) -> String {
    device
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// This device's backup in `folder`.
pub fn own_path(folder: &Path, device: &str) -> PathBuf {
    folder.join(format!("authdesk-{}.{EXTENSION}", safe_device(device)))
}

/// Whether `name` is a backup (or a sync tool's copy of one) to merge.
/// Sync tools keep the extension at the end of their conflict copies; a
/// few put it in the middle, so both are accepted. Our own temporary files
/// (`.name.XXXX.tmp`) and other hidden files are not.
pub fn is_backup_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    let ext = format!(".{EXTENSION}");
    !lower.starts_with('.') && !lower.ends_with(".tmp") && lower.contains(&ext)
}

/// Whether `name` is a sync tool's conflict copy of `own`'s file (and not
/// of a device whose name merely starts like ours).
fn is_conflict_copy_of(name: &str, own: &str) -> bool {
    let stem = own.strip_suffix(&format!(".{EXTENSION}")).unwrap_or(own);
    let Some(rest) = name.strip_prefix(stem) else {
        return false;
    };
    let rest = rest.to_lowercase();
    rest.starts_with(".sync-conflict-")
        || rest.starts_with(&format!(".{EXTENSION}.sync-conflict-"))
        || (rest.starts_with(" (") && rest.contains("conflict"))
        || rest.starts_with("_conflict-")
}

/// The backups in `folder` (not its subfolders), sorted by name.
pub fn backups_in(folder: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for item in std::fs::read_dir(folder)? {
        let item = item?;
        let name = item.file_name().to_string_lossy().into_owned();
        if is_backup_name(&name) && item.file_type()?.is_file() {
            found.push(item.path());
        }
    }
    found.sort();
    Ok(found)
}

/// A cheap fingerprint of the folder's backups (names, sizes, times), so
/// that a caller polling it merges only when something arrived.
pub fn fingerprint(folder: &Path) -> io::Result<u64> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for path in backups_in(folder)? {
        path.hash(&mut h);
        if let Ok(meta) = std::fs::metadata(&path) {
            meta.len().hash(&mut h);
            meta.modified().ok().hash(&mut h);
        }
    }
    Ok(h.finish())
}

/// When this device's backup in `folder` was made, if there is one.
pub fn own_backup_time(folder: &Path, device: &str) -> Option<i64> {
    let bytes = std::fs::read(own_path(folder, device)).ok()?;
    Backup::peek(&bytes).map(|(created, _)| created)
}

#[derive(Debug, Error)]
pub enum JoinError {
    #[error("cannot read the backup folder {path}: {source}")]
    Folder { path: PathBuf, source: io::Error },
    #[error(
        "the password does not open the backups already in {folder} ({files}); type a password that opens them (any household member's), or choose another folder"
    )]
    OtherPasswords { folder: PathBuf, files: String },
    #[error(transparent)]
    Create(#[from] CreateBackupError),
    #[error(transparent)]
    Open(#[from] OpenBackupError),
}

impl JoinError {
    pub fn kind(&self) -> &'static str {
        match self {
            JoinError::Folder { .. } => "backup_folder",
            JoinError::OtherPasswords { .. } => "wrong_password",
            JoinError::Create(e) => e.kind(),
            JoinError::Open(e) => e.kind(),
        }
    }
}

/// How a vault joined a folder's household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Joined {
    /// The folder had no backup: a new household key, with this password.
    Started,
    /// The password opened a backup there (made on `device`): its key and
    /// passwords are now this vault's.
    Adopted { device: String },
}

/// Sets `contents.household` for `folder`: the key of the backups already
/// there that `password` opens (the newest), or a new key.
pub fn join(
    contents: &mut Contents,
    folder: &Path,
    password: &SecretString,
    kdf: KdfParams,
) -> Result<Joined, JoinError> {
    let folder_err = |source| JoinError::Folder {
        path: folder.to_owned(),
        source,
    };
    let mut found: Vec<(i64, PathBuf, Vec<u8>)> = Vec::new();
    for path in backups_in(folder).map_err(folder_err)? {
        if let Ok(bytes) = std::fs::read(&path)
            && let Some((created, _)) = Backup::peek(&bytes)
        {
            found.push((created, path, bytes));
        }
    }
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    let mut refused = Vec::new();
    for (_, path, bytes) in &found {
        match Backup::open(bytes, password, &path.display().to_string()) {
            Ok(b) => {
                let key = b.household_key();
                contents.household = Some(key);
                return Ok(Joined::Adopted { device: b.device });
            }
            Err(OpenBackupError::WrongPassword { .. }) => refused.push(file_name(path)),
            // A damaged file does not decide the household.
            Err(_) => {}
        }
    }
    if !refused.is_empty() {
        return Err(JoinError::OtherPasswords {
            folder: folder.to_owned(),
            files: refused.join(", "),
        });
    }
    contents.household = Some(HouseholdKey::new(password, kdf)?);
    Ok(Joined::Started)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[derive(Debug, Error)]
pub enum SyncError {
    #[error("this vault has not joined a backup folder yet: back up once with a password")]
    NotJoined,
    #[error("cannot read the backup folder {path}: {source}")]
    Folder { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error(transparent)]
    Write(#[from] CreateBackupError),
}

impl SyncError {
    pub fn kind(&self) -> &'static str {
        match self {
            SyncError::NotJoined => "not_joined",
            SyncError::Folder { .. } => "backup_folder",
            SyncError::Save(SaveError::DiskFull { .. }) => "disk_full",
            SyncError::Save(_) => "save_failed",
            SyncError::Write(e) => e.kind(),
        }
    }
}

/// What a folder merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FolderSync {
    /// File names merged (this device's own included).
    pub merged: Vec<String>,
    /// Backups that the household key does not open: made with other
    /// passwords (another household), or altered. They are left alone.
    pub other_household: Vec<String>,
    /// Files that are not readable backups, with why.
    pub unreadable: Vec<(String, String)>,
    /// What the merge changed in the vault.
    pub report: RestoreReport,
    /// This device's backup was (re)written.
    pub written: bool,
    /// Conflict copies of this device's file, folded in and removed.
    pub cleaned: Vec<String>,
}

/// Merges every backup in `folder` into `contents` (which must have
/// joined) and says what happened. Nothing is written.
pub fn merge_folder(contents: &mut Contents, folder: &Path) -> Result<FolderSync, SyncError> {
    let mut out = FolderSync::default();
    let paths = backups_in(folder).map_err(|source| SyncError::Folder {
        path: folder.to_owned(),
        source,
    })?;
    for path in paths {
        let name = file_name(&path);
        let household = contents.household.clone().ok_or(SyncError::NotJoined)?;
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                out.unreadable.push((name, e.to_string()));
                continue;
            }
        };
        match Backup::open_with_key(&bytes, &household, &name) {
            Ok(b) => {
                let r = super::sync(contents, &b.entries, &b.tombstones);
                if b.slots_changed > household.slots_changed {
                    contents.household = Some(b.household_key());
                }
                let report = &mut out.report;
                report.added.extend(r.added);
                report.updated.extend(r.updated);
                report.kept_twice.extend(r.kept_twice);
                report.removed.extend(r.removed);
                out.merged.push(name);
            }
            Err(OpenBackupError::WrongPassword { .. }) => out.other_household.push(name),
            Err(e) => out.unreadable.push((name, e.to_string())),
        }
    }
    Ok(out)
}

/// Writes this device's backup of `contents` into `folder`, first copying
/// the previous one into the history and keeping the last `keep` there.
pub fn write_own(
    contents: &Contents,
    folder: &Path,
    device: &str,
    keep: usize,
) -> Result<PathBuf, SyncError> {
    let household = contents.household.as_ref().ok_or(SyncError::NotJoined)?;
    let path = own_path(folder, device);
    if keep > 0
        && let Ok(previous) = std::fs::read(&path)
    {
        let created = Backup::peek(&previous)
            .map(|(c, _)| c)
            .unwrap_or_else(crate::entry::now_ms);
        let history = folder.join(HISTORY_DIR);
        let stem = format!("authdesk-{}", safe_device(device));
        let copy = history.join(format!("{stem}-{}.{EXTENSION}", stamp(created)));
        let io_err = |source| SyncError::Write(CreateBackupError::io(&history, source));
        crate::vault::fsio::ensure_private_dir(&copy).map_err(io_err)?;
        crate::vault::fsio::write_atomic(&copy, &previous).map_err(io_err)?;
        prune(&history, &stem, keep).map_err(io_err)?;
    }
    let backup = Backup::for_household(
        household,
        device,
        contents.entries.clone(),
        contents.tombstones.clone(),
    );
    backup.write(&path)?;
    Ok(path)
}

/// `2026-11-24T10-15-30.123Z`: sorts by time, and is a valid file name
/// everywhere (no colons).
fn stamp(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}-{:02}-{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

fn prune(history: &Path, stem: &str, keep: usize) -> io::Result<()> {
    let prefix = format!("{stem}-");
    let mut mine: Vec<PathBuf> = std::fs::read_dir(history)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = file_name(p);
            name.starts_with(&prefix)
                && name.ends_with(&format!(".{EXTENSION}"))
                // Another device whose name extends ours ("anna" and
                // "anna-laptop") has a letter where our stamp has a digit.
                && name[prefix.len()..].starts_with(|c: char| c.is_ascii_digit())
        })
        .collect();
    mine.sort();
    let excess = mine.len().saturating_sub(keep);
    for old in &mine[..excess] {
        std::fs::remove_file(old)?;
    }
    Ok(())
}

/// One full round for a vault that joined `folder`: merge the folder's
/// backups, save the vault if that changed it, and write this device's
/// backup when the vault has changes it does not hold yet. Conflict copies
/// of this device's file are removed once the new backup holds them.
pub fn sync_vault(
    vault: &mut Vault,
    folder: &Path,
    device: &str,
    keep: usize,
) -> Result<FolderSync, SyncError> {
    let before = vault.contents().clone();
    let mut out = merge_folder(vault.contents_mut(), folder)?;
    if *vault.contents() != before {
        vault.save()?;
    }
    let own = own_path(folder, device);
    let own_name = file_name(&own);
    let stale = !own_backup_current(vault.contents(), folder, device);
    let conflicts: Vec<String> = out
        .merged
        .iter()
        .filter(|n| is_conflict_copy_of(n, &own_name))
        .cloned()
        .collect();
    if stale || !conflicts.is_empty() || *vault.contents() != before {
        write_own(vault.contents(), folder, device, keep)?;
        out.written = true;
        for name in conflicts {
            if std::fs::remove_file(folder.join(&name)).is_ok() {
                out.cleaned.push(name);
            }
        }
    }
    Ok(out)
}

/// Whether this device's backup in `folder` holds exactly what `contents`
/// holds. Comparing contents rather than times keeps a device whose clock
/// runs ahead from making every other device write again and again.
pub fn own_backup_current(contents: &Contents, folder: &Path, device: &str) -> bool {
    let Some(household) = contents.household.as_ref() else {
        return false;
    };
    let path = own_path(folder, device);
    let Ok(bytes) = std::fs::read(&path) else {
        return false;
    };
    Backup::open_with_key(&bytes, household, "")
        .is_ok_and(|b| b.entries == contents.entries && b.tombstones == contents.tombstones)
}

/// The time of the vault's newest change (an edit or a deletion), Unix ms.
pub fn newest_change(contents: &Contents) -> i64 {
    let edits = contents.entries.iter().map(|e| e.modified);
    let deletions = contents.tombstones.iter().map(|t| t.deleted);
    edits.chain(deletions).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_tools_copies_are_backups() {
        for name in [
            "authdesk-anna.authdesk-backup",
            "authdesk-anna.sync-conflict-20261124-101530-ABCDEFG.authdesk-backup",
            "authdesk-anna (conflicted copy 2026-11-24).authdesk-backup",
            "authdesk-anna (Bob's conflicted copy 2026-11-24).authdesk-backup",
            "authdesk-anna (conflicted copy 2026-11-24 101530).authdesk-backup",
            "authdesk-anna_conflict-20261124-101530.authdesk-backup",
            "authdesk-anna.authdesk-backup.sync-conflict-20261124-101530-ABCDEFG",
            "Family.AUTHDESK-BACKUP",
        ] {
            assert!(is_backup_name(name), "{name}");
        }
        for name in [
            ".authdesk-anna.authdesk-backup.x1y2.tmp",
            "notes.txt",
            "authdesk-anna.authdesk",
            ".stfolder",
        ] {
            assert!(!is_backup_name(name), "{name}");
        }
    }

    #[test]
    fn only_own_conflict_copies_are_cleaned() {
        let own = "authdesk-anna.authdesk-backup";
        assert!(is_conflict_copy_of(
            "authdesk-anna.sync-conflict-20261124-101530-ABCDEFG.authdesk-backup",
            own
        ));
        assert!(is_conflict_copy_of(
            "authdesk-anna (conflicted copy 2026-11-24).authdesk-backup",
            own
        ));
        assert!(!is_conflict_copy_of(own, own));
        assert!(!is_conflict_copy_of(
            "authdesk-anna-laptop (conflicted copy 2026-11-24).authdesk-backup",
            own
        ));
        assert!(!is_conflict_copy_of(
            "authdesk-bob.sync-conflict-20261124-101530-ABCDEFG.authdesk-backup",
            own
        ));
    }

    #[test]
    fn stamps_sort_by_time_and_have_no_colons() {
        let a = stamp(1_790_000_000_000);
        let b = stamp(1_790_000_000_001);
        assert!(a < b);
        assert!(!a.contains(':'));
        assert_eq!(stamp(0), "1970-01-01T00-00-00.000Z");
    }
}
