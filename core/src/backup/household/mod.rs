//! A household backup folder: a folder that a sync tool (Syncthing,
//! Nextcloud, Dropbox, OneDrive, …) shares between the family's devices.
//!
//! - Each device writes only its own file, `authdesk-<id>.authdesk-backup`,
//!   named by a random id kept in its vault ([`crate::device`]), so a sync
//!   tool never sees two writers of one file, even on laptops with one host
//!   name. Before it is replaced, the previous version is copied into
//!   `authdesk-history/`, where the last N distinct versions are kept.
//! - Every device merges every other backup in the folder ([`super::sync`]):
//!   additions, edits and deletions travel; nothing is lost ([`round`]).
//! - Sync tools' conflict copies (`x.sync-conflict-….authdesk-backup`,
//!   `x (conflicted copy …).authdesk-backup`, `x_conflict-….authdesk-backup`,
//!   OneDrive's `x-<machine>.authdesk-backup`) are backups like any other
//!   and are merged, then removed once this device's backup holds them.
//! - The folder is hostile input ([`folder`]): no link is followed, only
//!   regular files of bounded size are read, and the password work a join
//!   may spend is bounded.
//! - All files share one random data key with one password slot per
//!   member. A vault that joined keeps the key and slots
//!   ([`HouseholdKey`], inside the encrypted vault), so writing and merging
//!   need no password and no Argon2 run. Removing a password stops it
//!   opening new backups, but a device that joined already holds the key.

pub mod folder;
mod history;
pub mod round;

use std::io;
use std::path::{Path, PathBuf};

use secrecy::SecretString;

use thiserror::Error;

use super::format::Slot;
use super::{Backup, CreateBackupError, OpenBackupError};
pub use crate::household_key::HouseholdKey;
use crate::vault::{Contents, KdfParams, SaveError};
pub use folder::{fingerprint, is_backup_name};
pub use round::{
    DeviceSeen, FolderSync, Round, STALE_AFTER_MS, Writer, finish, gather, merge_folder,
    newest_change, own_backup, own_backup_current, sync_vault, write_if_stale,
};

/// The history subfolder, beside the backups.
pub const HISTORY_DIR: &str = "authdesk-history";

impl HouseholdKey {
    /// A new household with one password, named `name` ("" for unnamed).
    pub fn new(
        password: &SecretString,
        name: &str,
        kdf: KdfParams,
    ) -> Result<Self, CreateBackupError> {
        let mut key = Backup::new(Vec::new(), password, kdf)?.household_key();
        key.slots[0].name = super::clean_slot_name(name);
        Ok(key)
    }

    /// Another member's password, named for the list ("Jan"); the next
    /// backups open with it too.
    pub fn add_password(
        &mut self,
        password: &SecretString,
        name: &str,
        kdf: KdfParams,
    ) -> Result<(), CreateBackupError> {
        let mut b = Backup::for_household(self, "", Vec::new(), Vec::new());
        b.add_named_password(password, name, kdf)?;
        *self = b.household_key();
        Ok(())
    }

    /// Names slot `index` (0-based); the other devices adopt the name
    /// with the next backup they read.
    pub fn rename(&mut self, index: usize, name: &str) -> Result<(), RemovePasswordError> {
        let slot = self
            .slots
            .get_mut(index)
            .ok_or(RemovePasswordError::NoSuchPassword)?;
        slot.name = super::clean_slot_name(name);
        self.touch();
        Ok(())
    }

    /// Removes slot `index` (0-based), which anyone with the vault unlocked
    /// may do: the password opens no backup written from now on. A device
    /// that joined with it still holds the key; [`HouseholdKey::revoke`]
    /// locks that out too. The last slot stays.
    pub fn remove_slot(&mut self, index: usize) -> Result<(), RemovePasswordError> {
        if index >= self.slots.len() {
            return Err(RemovePasswordError::NoSuchPassword);
        }
        if self.slots.len() == 1 {
            return Err(RemovePasswordError::LastPassword);
        }
        self.slots.remove(index);
        self.touch();
        Ok(())
    }

    /// Removes the slot that `password` opens; the last one stays.
    pub fn remove_password(&mut self, password: &SecretString) -> Result<(), RemovePasswordError> {
        let index = self
            .index_of(password)
            .ok_or(RemovePasswordError::NoSuchPassword)?;
        self.remove_slot(index)
    }

    fn index_of(&self, password: &SecretString) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| s.open(password).as_ref() == Some(&self.key))
    }

    /// Names the slot `password` opens, if it has no name yet: the first
    /// device of a member who joins says whose password it is. A name
    /// given before is kept. Tries only unnamed slots, an Argon2 run each:
    /// the slots came from one file whose total work was bounded when read
    /// (`MAX_FILE_WORK`), so this costs at most that.
    pub fn name_own(&mut self, password: &SecretString, name: &str) -> bool {
        let name = super::clean_slot_name(name);
        if name.is_empty() {
            return false;
        }
        let Some(i) = self
            .slots
            .iter()
            .position(|s| s.name.is_empty() && s.open(password).as_ref() == Some(&self.key))
        else {
            return false;
        };
        self.slots[i].name = name;
        self.touch();
        true
    }

    /// A change to the slots wins over every set stamped before it.
    fn touch(&mut self) {
        self.slots_changed = crate::timestamp::after(self.slots_changed);
    }
}

impl HouseholdKey {
    /// Removes slot `removed` for good: a new data key, sealed only with
    /// `keep` (current household passwords typed now, each keeping its
    /// slot's name). A slot seals the key with its password, so the other
    /// members' slots cannot be carried over: they are dropped, and those
    /// members are added again with a password they type
    /// ([`HouseholdKey::add_password`]). Every device holding the old key —
    /// a former member's too — opens nothing written from now on; a
    /// remaining member's device rejoins with a current password. How many
    /// other slots were dropped.
    pub fn revoke(
        &mut self,
        removed: usize,
        keep: &[SecretString],
        kdf: KdfParams,
    ) -> Result<usize, RemovePasswordError> {
        if removed >= self.slots.len() {
            return Err(RemovePasswordError::NoSuchPassword);
        }
        if keep.is_empty() {
            return Err(RemovePasswordError::LastPassword);
        }
        let mut kept = Vec::with_capacity(keep.len());
        for pw in keep {
            match self.index_of(pw) {
                Some(i) if i == removed => return Err(RemovePasswordError::KeptTheRemoved),
                Some(i) => kept.push(self.slots[i].name.clone()),
                None => return Err(RemovePasswordError::NotAHouseholdPassword),
            }
        }
        let mut fresh = Backup::new(Vec::new(), &keep[0], kdf)
            .map_err(|e| RemovePasswordError::Seal(e.to_string()))?;
        for (pw, name) in keep[1..].iter().zip(&kept[1..]) {
            fresh
                .add_named_password(pw, name, kdf)
                .map_err(|e| RemovePasswordError::Seal(e.to_string()))?;
        }
        let dropped = self.slots.len().saturating_sub(1 + keep.len());
        let mut key = fresh.household_key();
        key.slots[0].name = kept[0].clone();
        key.slots_changed = crate::timestamp::after(self.slots_changed);
        *self = key;
        Ok(dropped)
    }
}

/// Deletes the history files that `old` opens (every version written
/// before a revocation, which the removed password opens too); how many.
/// Files it does not open are left alone.
pub fn drop_history_of(old: &HouseholdKey, folder: &Path) -> io::Result<usize> {
    let history = folder.join(HISTORY_DIR);
    match std::fs::symlink_metadata(&history) {
        Ok(m) if m.is_dir() => {}
        _ => return Ok(0),
    }
    let mut dropped = 0;
    for path in folder::list(&history)?.backups {
        let Ok(bytes) = folder::read_backup(&path) else {
            continue;
        };
        if Backup::open_with_key(&bytes, old, "").is_ok() {
            std::fs::remove_file(&path)?;
            dropped += 1;
        }
    }
    Ok(dropped)
}

/// Why a household password could not be removed or revoked. The household key
/// is left as it was.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RemovePasswordError {
    /// No slot of the household opens with the password to remove, or
    /// the slot named is not there (another device changed the list).
    #[error("that password is not among the household's passwords (any more)")]
    NoSuchPassword,
    /// Removing it would leave the household with no password (or
    /// [`HouseholdKey::revoke`] was given none to keep).
    #[error("the household's last password cannot be removed")]
    LastPassword,
    /// [`HouseholdKey::revoke`]: a password to keep is the one being removed.
    #[error("the password to keep is the one being removed")]
    KeptTheRemoved,
    /// [`HouseholdKey::revoke`]: a password to keep does not open the
    /// household's slots.
    #[error(
        "the password to keep is not one of the household's passwords; type your own household password"
    )]
    NotAHouseholdPassword,
    /// Sealing the new key failed (an empty password, Argon2 parameters out
    /// of bounds); the text says why.
    #[error("could not seal the new household key: {0}")]
    Seal(String),
}

impl crate::error::Kind for RemovePasswordError {
    fn kind(&self) -> &'static str {
        match self {
            RemovePasswordError::NoSuchPassword => "no_such_password",
            RemovePasswordError::LastPassword => "last_password",
            RemovePasswordError::KeptTheRemoved => "kept_the_removed",
            RemovePasswordError::NotAHouseholdPassword => "not_a_household_password",
            RemovePasswordError::Seal(_) => "kdf",
        }
    }

    fn params(&self) -> crate::error::Params {
        match self {
            RemovePasswordError::Seal(reason) => vec![("reason", reason.clone())],
            _ => vec![],
        }
    }
}

/// Why a vault could not join a backup folder. The vault's contents are left as
/// they were.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum JoinError {
    /// The folder could not be listed.
    #[error("cannot read the backup folder {path}: {source}")]
    Folder {
        /// The backup folder.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// The folder holds backups, but the password opens none of them: it
    /// belongs to another household.
    #[error(
        "the password does not open the backups already in {folder} ({files}); type a password that opens them (any household member's), or choose another folder"
    )]
    OtherPasswords {
        /// The backup folder.
        folder: PathBuf,
        /// The backups' file names, comma-separated, for the message.
        files: String,
    },
    /// The password opened nothing within [`MAX_JOIN_WORK`], and slots that
    /// were left untried could hold it.
    #[error(
        "the password was tried on as many of the backups in {folder} as Authdesk allows; {untried} password slot(s) there were not tried because they ask for more work than one join may spend. Remove files you do not recognise from the folder and try again"
    )]
    TooCostly {
        /// The backup folder.
        folder: PathBuf,
        /// How many distinct slots were not tried.
        untried: usize,
    },
    /// Making the new household key failed (an empty password, Argon2
    /// parameters out of bounds).
    #[error(transparent)]
    Create(#[from] CreateBackupError),
    /// A backup could not be opened; [`join`] itself passes over unreadable
    /// files, so only a conversion by a caller gives this.
    #[error(transparent)]
    Open(#[from] OpenBackupError),
}

impl crate::error::Kind for JoinError {
    fn kind(&self) -> &'static str {
        match self {
            JoinError::Folder { .. } => "backup_folder",
            JoinError::OtherPasswords { .. } => "household_password",
            JoinError::TooCostly { .. } => "join_too_costly",
            JoinError::Create(_) => "backup_create",
            JoinError::Open(_) => "backup_open",
        }
    }

    fn params(&self) -> crate::error::Params {
        use crate::error::shown;
        match self {
            JoinError::Folder { path, source } => {
                vec![("path", shown(path)), ("reason", source.to_string())]
            }
            JoinError::OtherPasswords { folder, files } => {
                vec![("path", shown(folder)), ("files", files.clone())]
            }
            JoinError::TooCostly { folder, untried } => {
                vec![("path", shown(folder)), ("untried", untried.to_string())]
            }
            JoinError::Create(_) | JoinError::Open(_) => vec![],
        }
    }

    fn inner(&self) -> Option<&dyn crate::error::Kind> {
        match self {
            JoinError::Create(e) => Some(e),
            JoinError::Open(e) => Some(e),
            _ => None,
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
    Adopted {
        /// The device name in the backup the password opened ("made on …").
        device: String,
    },
}

/// The most Argon2 work (KiB of memory × passes) one join may spend trying
/// the password on the folder's slots: about 40 slots at the default cost,
/// enough for every member of two households, and seconds, not minutes.
pub const MAX_JOIN_WORK: u64 = 8 * 1024 * 1024;

/// A password slot found in the folder, with the files that carry it (a
/// household's slots are the same in every member's file).
struct Candidate {
    slot: Slot,
    files: Vec<PathBuf>,
}

/// Sets `contents.household` for `folder`: the key of the backups already
/// there that `password` opens, or a new key when there are none. Each
/// distinct slot is tried once, those shared by the most files first, the
/// cheapest first among equals, within [`MAX_JOIN_WORK`]; no field of a
/// file is trusted before the household key has authenticated it.
pub fn join(
    contents: &mut Contents,
    folder: &Path,
    password: &SecretString,
    kdf: KdfParams,
) -> Result<Joined, JoinError> {
    let listing = folder::list(folder).map_err(|source| JoinError::Folder {
        path: folder.to_owned(),
        source,
    })?;
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut locked = Vec::new();
    for path in listing.backups {
        // Damaged or unreadable files do not decide the household.
        let Ok(bytes) = folder::read_backup(&path) else {
            continue;
        };
        let Ok((header, _)) = super::format::parse(&bytes) else {
            continue;
        };
        locked.push(folder::file_name(&path));
        for slot in header.slots {
            match candidates.iter_mut().find(|c| c.slot == slot) {
                Some(c) => c.files.push(path.clone()),
                None => candidates.push(Candidate {
                    slot,
                    files: vec![path.clone()],
                }),
            }
        }
    }
    candidates.sort_by_key(|c| (std::cmp::Reverse(c.files.len()), c.slot.work()));
    let mut spent = 0u64;
    let mut untried = 0usize;
    // Every key the password opens is looked at, and the household whose
    // files carry the newest password set wins: after a revocation the
    // folder holds the old key's files beside the new key's.
    let mut keys: Vec<HouseholdKey> = Vec::new();
    let mut opened: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut best: Option<Backup> = None;
    let mut ceiling: Option<u64> = None;
    let open_with = |path: &PathBuf, key: &HouseholdKey| {
        folder::read_backup(path)
            .ok()
            .and_then(|bytes| Backup::open_with_key(&bytes, key, "").ok())
    };
    let keep_newest = |b: Backup, best: &mut Option<Backup>| {
        if best
            .as_ref()
            .is_none_or(|x| (b.slots_changed, b.created_ms) > (x.slots_changed, x.created_ms))
        {
            *best = Some(b);
        }
    };
    for c in &candidates {
        // A file a key found already opens costs no Argon2.
        let mut rest: Vec<&PathBuf> = Vec::new();
        for p in &c.files {
            if opened.contains(p) {
                continue;
            }
            match keys.iter().find_map(|k| open_with(p, k)) {
                Some(b) => {
                    opened.insert(p.clone());
                    keep_newest(b, &mut best);
                }
                None => rest.push(p),
            }
        }
        if rest.is_empty() {
            continue;
        }
        let work = c.slot.work();
        // Once a key is found, only slots made like it are worth a try (a
        // newer key of the same household); a stranger's costlier ones not.
        if ceiling.is_some_and(|most| work > most) {
            continue;
        }
        if spent.saturating_add(work) > MAX_JOIN_WORK {
            untried += 1;
            continue;
        }
        spent += work;
        let Some(key) = c.slot.open(password) else {
            continue;
        };
        ceiling = Some(ceiling.map_or(work, |most| most.max(work)));
        let probe = HouseholdKey {
            key,
            slots: vec![c.slot.clone()],
            slots_changed: 0,
        };
        for p in rest {
            if let Some(b) = open_with(p, &probe) {
                opened.insert(p.clone());
                keep_newest(b, &mut best);
            }
        }
        keys.push(probe);
    }
    if let Some(b) = best {
        contents.household = Some(b.household_key());
        return Ok(Joined::Adopted { device: b.device });
    }
    if untried > 0 {
        return Err(JoinError::TooCostly {
            folder: folder.to_owned(),
            untried,
        });
    }
    if !locked.is_empty() {
        return Err(JoinError::OtherPasswords {
            folder: folder.to_owned(),
            files: locked.join(", "),
        });
    }
    contents.household = Some(HouseholdKey::new(password, "", kdf)?);
    Ok(Joined::Started)
}

/// Why a household round, or one of its steps (merge, write, clean-up),
/// failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The vault has no household key: it has not joined a folder (or has no
    /// device id, for a round that needs one).
    #[error("this vault has not joined a backup folder yet: back up once with a password")]
    NotJoined,
    /// The folder could not be listed.
    #[error("cannot read the backup folder {path}: {source}")]
    Folder {
        /// The backup folder.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// Saving the merged vault failed.
    #[error(transparent)]
    Save(#[from] SaveError),
    /// Writing this device's backup into the folder failed.
    #[error(transparent)]
    Write(#[from] CreateBackupError),
}

impl crate::error::Kind for SyncError {
    fn kind(&self) -> &'static str {
        match self {
            SyncError::NotJoined => "not_joined",
            SyncError::Folder { .. } => "backup_folder",
            SyncError::Save(_) => "save_failed",
            SyncError::Write(_) => "backup_create",
        }
    }

    fn params(&self) -> crate::error::Params {
        match self {
            SyncError::Folder { path, source } => vec![
                ("path", crate::error::shown(path)),
                ("reason", source.to_string()),
            ],
            _ => vec![],
        }
    }

    fn inner(&self) -> Option<&dyn crate::error::Kind> {
        match self {
            SyncError::Save(e) => Some(e),
            SyncError::Write(e) => Some(e),
            _ => None,
        }
    }
}
