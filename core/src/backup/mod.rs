//! Encrypted backups (`.authdesk-backup`) and restoring them by merging.
//!
//! A backup holds every entry with all its metadata (order, icons, groups,
//! HOTP counter), when and on which device it was made. A random data key
//! encrypts it; each password slot seals that key, so every member of a
//! household opens the same file with their own password. The format is
//! specified in `docs/formats/backup.md`; [`format`](mod@format) is its code.
//!
//! Restoring never replaces and never removes: see [`restore`](mod@restore).

pub mod format;
pub mod household;
pub mod restore;

use std::io;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::entry::Entry;
use crate::vault::fsio;
use crate::vault::{KdfParams, Tombstone};
use format::{BodyProblem, HeaderProblem};
pub use format::{DataKey, Slot, clean_slot_name};
pub use household::HouseholdKey;
pub use restore::{RestoreReport, restore, sync};

/// The file name extension, without the dot.
pub const EXTENSION: &str = "authdesk-backup";

/// The encrypted JSON body.
#[derive(Debug, Serialize, Deserialize)]
pub struct Body {
    /// "authdesk-backup": a decrypted body says what it is.
    pub format: String,
    /// When the backup was made, Unix ms; the header carries the same time.
    pub created: i64,
    /// Name of the device that made it ("made on …"); the header carries it
    /// too, cut to 256 bytes.
    pub device: String,
    /// In the vault's order.
    pub entries: Vec<Entry>,
    /// Accounts deleted on the writing device, for the household folder's
    /// merge; a restore by hand ignores them. Absent in older files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tombstones: Vec<Tombstone>,
    /// When the password slots last changed (Unix ms), so that the
    /// household's devices adopt the newest set. Absent in older files.
    #[serde(default)]
    pub slots_changed: i64,
    /// The writing device's id in a household folder
    /// ([`crate::device::Device`]); absent in backups made by hand and in
    /// older files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// Whose password each header slot is, in the header's order ("" for
    /// an unnamed one). Absent in older files and when no slot has a name;
    /// names past the slot count are ignored, each is cleaned when read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slot_names: Vec<String>,
}

/// An opened backup: its entries, and its key and slots, so that it can be
/// written again (a household folder's next backup) without every
/// member's password.
pub struct Backup {
    /// When the backup was made, Unix ms, as the header says (readable without
    /// a password).
    pub created_ms: i64,
    /// Name of the device that made it ("made on …"), from the header.
    pub device: String,
    /// See [`Body::device_id`].
    pub device_id: Option<String>,
    /// The accounts, in the vault's order.
    pub entries: Vec<Entry>,
    /// Accounts deleted on the writing device; see [`Body::tombstones`].
    pub tombstones: Vec<Tombstone>,
    key: DataKey,
    slots: Vec<Slot>,
    slots_changed: i64,
}

impl std::fmt::Debug for Backup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backup")
            .field("created_ms", &self.created_ms)
            .field("device", &self.device)
            .field("entries", &self.entries.len())
            .field("slots", &self.slots.len())
            .finish()
    }
}

/// Why a backup could not be made or written. A file that existed before
/// is left as it was.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum CreateBackupError {
    /// A password for a slot is empty.
    #[error("the backup password is empty")]
    EmptyPassword,
    /// Adding a password would pass [`format::MAX_SLOTS`], or removing one
    /// would leave none or names no slot.
    #[error("a backup has 1 to {} passwords", format::MAX_SLOTS)]
    SlotCount,
    /// A slot's Argon2 parameters are out of bounds or refused by Argon2; the
    /// text says why.
    #[error("invalid key-derivation parameters: {0}")]
    Kdf(String),
    /// The disk (or the user's quota) is full.
    #[error(
        "could not write backup {path}: the disk is full; any earlier file there is unchanged. Free some space and try again"
    )]
    DiskFull {
        /// Where the backup was being written.
        path: PathBuf,
    },
    /// Writing the file failed for another reason.
    #[error("could not write backup {path}: {source}; any earlier file there is unchanged")]
    Io {
        /// Where the backup was being written.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
}

impl crate::error::Kind for CreateBackupError {
    fn kind(&self) -> &'static str {
        match self {
            CreateBackupError::EmptyPassword => "empty_password",
            CreateBackupError::SlotCount => "slot_count",
            CreateBackupError::Kdf(_) => "kdf",
            CreateBackupError::DiskFull { .. } => "disk_full",
            CreateBackupError::Io { .. } => "backup_io",
        }
    }

    fn params(&self) -> crate::error::Params {
        use crate::error::shown;
        match self {
            CreateBackupError::DiskFull { path } => vec![("path", shown(path))],
            CreateBackupError::Io { path, source } => {
                vec![("path", shown(path)), ("reason", source.to_string())]
            }
            CreateBackupError::Kdf(reason) => vec![("reason", reason.clone())],
            CreateBackupError::EmptyPassword | CreateBackupError::SlotCount => vec![],
        }
    }
}

impl CreateBackupError {
    fn io(path: &Path, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::StorageFull || source.raw_os_error() == Some(28) {
            CreateBackupError::DiskFull {
                path: path.to_owned(),
            }
        } else {
            CreateBackupError::Io {
                path: path.to_owned(),
                source,
            }
        }
    }
}

/// Why a backup could not be opened. Nothing is ever written by a failed
/// open, and the vault is untouched.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum OpenBackupError {
    /// The file could not be read.
    #[error("cannot read backup {path}: {source}")]
    Io {
        /// The label the backup was opened under: a path, or a dropped file's
        /// name.
        path: String,
        /// The read error.
        source: io::Error,
    },
    /// The bytes do not start with the backup signature: another kind of file.
    #[error("{path} is not an Authdesk backup (it does not start with the backup signature)")]
    NotABackup {
        /// The label the backup was opened under: a path, or a dropped file's
        /// name.
        path: String,
    },
    /// The file is shorter than a whole backup (the header, or the length the
    /// header gives): cut off by a copy or a sync.
    #[error(
        "backup {path} is truncated: {actual} of {expected} bytes; copy it again from where it came from"
    )]
    Truncated {
        /// The label the backup was opened under: a path, or a dropped file's
        /// name.
        path: String,
        /// Bytes a whole file would have.
        expected: u64,
        /// Bytes the file has.
        actual: u64,
    },
    /// The header's checksum, sizes or slots are impossible, or the decrypted
    /// contents are not a backup's: the file was damaged.
    #[error("backup {path} is damaged: {reason}")]
    Corrupt {
        /// The label the backup was opened under: a path, or a dropped file's
        /// name.
        path: String,
        /// What is wrong, for the message.
        reason: String,
    },
    /// The format version is above [`format::VERSION`].
    #[error(
        "backup {path} was made by a newer Authdesk (format version {version}); update Authdesk to open it"
    )]
    NewerVersion {
        /// The label the backup was opened under: a path, or a dropped file's
        /// name.
        path: String,
        /// The format version read from the file.
        version: u16,
    },
    /// A slot's Argon2 parameters are out of bounds, or all slots together ask
    /// too much; refused before any Argon2 runs.
    #[error("backup {path} asks for unsafe key-derivation settings ({reason}); not opened")]
    UnsafeKdf {
        /// The label the backup was opened under: a path, or a dropped file's
        /// name.
        path: String,
        /// Which slot and what it asks, for the message.
        reason: String,
    },
    /// No slot opens with the password; opened with a household key, the file
    /// belongs to another household.
    #[error("wrong password for backup {path} (none of its {slots} password(s) matches)")]
    WrongPassword {
        /// The label the backup was opened under: a path, or a dropped file's
        /// name.
        path: String,
        /// How many password slots the file has.
        slots: usize,
    },
    /// A slot opened but the header MAC or the body's AEAD fails: the file was
    /// changed after it was made, and none of it is used.
    #[error(
        "backup {path} was altered after it was made (its {part} fails authentication); it was not used"
    )]
    Tampered {
        /// The label the backup was opened under: a path, or a dropped file's
        /// name.
        path: String,
        /// Which part fails authentication: `"header"` or `"contents"`.
        part: &'static str,
    },
}

impl crate::error::Kind for OpenBackupError {
    fn kind(&self) -> &'static str {
        match self {
            OpenBackupError::Io { .. } => "backup_io",
            OpenBackupError::NotABackup { .. } => "not_a_backup",
            OpenBackupError::Truncated { .. } => "backup_truncated",
            OpenBackupError::Corrupt { .. } => "backup_corrupt",
            OpenBackupError::NewerVersion { .. } => "backup_newer",
            OpenBackupError::UnsafeKdf { .. } => "backup_unsafe_kdf",
            OpenBackupError::WrongPassword { .. } => "wrong_password",
            OpenBackupError::Tampered { .. } => "backup_tampered",
        }
    }

    /// `name`: a backup is named by the label it was opened under (a file
    /// name, a dropped file's name), not always a path.
    fn params(&self) -> crate::error::Params {
        let name = |p: &String| ("name", p.clone());
        match self {
            OpenBackupError::NotABackup { path } => vec![name(path)],
            OpenBackupError::Io { path, source } => {
                vec![name(path), ("reason", source.to_string())]
            }
            OpenBackupError::Truncated {
                path,
                expected,
                actual,
            } => vec![
                name(path),
                ("expected", expected.to_string()),
                ("actual", actual.to_string()),
            ],
            OpenBackupError::Corrupt { path, reason }
            | OpenBackupError::UnsafeKdf { path, reason } => {
                vec![name(path), ("reason", reason.clone())]
            }
            OpenBackupError::NewerVersion { path, version } => {
                vec![name(path), ("version", version.to_string())]
            }
            OpenBackupError::WrongPassword { path, slots } => {
                vec![name(path), ("slots", slots.to_string())]
            }
            OpenBackupError::Tampered { path, part } => {
                vec![name(path), ("part", (*part).to_owned())]
            }
        }
    }
}

/// The name this device gives itself in backups ("made on …").
pub fn device_name() -> String {
    crate::device::host_name()
}

impl Backup {
    /// A new backup of `entries` with one password.
    pub fn new(
        entries: Vec<Entry>,
        password: &SecretString,
        kdf: KdfParams,
    ) -> Result<Backup, CreateBackupError> {
        let key = DataKey::random();
        let slot = seal_slot(&key, password, kdf)?;
        let now = crate::timestamp::now_ms();
        Ok(Backup {
            created_ms: now,
            device: device_name(),
            device_id: None,
            entries,
            tombstones: Vec::new(),
            key,
            slots: vec![slot],
            slots_changed: now,
        })
    }

    /// A backup under a household's key and passwords, stamped now and here.
    pub fn for_household(
        household: &HouseholdKey,
        device: &str,
        entries: Vec<Entry>,
        tombstones: Vec<Tombstone>,
    ) -> Backup {
        Backup {
            created_ms: crate::timestamp::now_ms(),
            device: device.to_owned(),
            device_id: None,
            entries,
            tombstones,
            key: household.key.clone(),
            slots: household.slots.clone(),
            slots_changed: household.slots_changed,
        }
    }

    /// The key and passwords, for a vault joining this backup's household.
    pub fn household_key(&self) -> HouseholdKey {
        HouseholdKey {
            key: self.key.clone(),
            slots: self.slots.clone(),
            slots_changed: self.slots_changed,
        }
    }

    /// How many passwords open this backup: 1 to [`format::MAX_SLOTS`].
    pub fn slot_count(&self) -> usize {
        self.slots.len()
    }

    /// Another household member's password for the same backup.
    pub fn add_password(
        &mut self,
        password: &SecretString,
        kdf: KdfParams,
    ) -> Result<(), CreateBackupError> {
        self.add_named_password(password, "", kdf)
    }

    /// Another member's password, with whose it is ("Jan"), for the list
    /// of household passwords.
    pub fn add_named_password(
        &mut self,
        password: &SecretString,
        name: &str,
        kdf: KdfParams,
    ) -> Result<(), CreateBackupError> {
        if self.slots.len() >= format::MAX_SLOTS {
            return Err(CreateBackupError::SlotCount);
        }
        let mut slot = seal_slot(&self.key, password, kdf)?;
        slot.name = clean_slot_name(name);
        self.slots.push(slot);
        self.slots_changed = crate::timestamp::after(self.slots_changed);
        Ok(())
    }

    /// Removes password slot `index` (0-based); the last one stays.
    pub fn remove_password(&mut self, index: usize) -> Result<(), CreateBackupError> {
        if self.slots.len() <= 1 || index >= self.slots.len() {
            return Err(CreateBackupError::SlotCount);
        }
        self.slots.remove(index);
        self.slots_changed = crate::timestamp::after(self.slots_changed);
        Ok(())
    }

    /// New contents under the same key and passwords, stamped now and here.
    pub fn update(&mut self, entries: Vec<Entry>) {
        self.entries = entries;
        self.created_ms = crate::timestamp::now_ms();
        self.device = device_name();
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let body = Body {
            format: "authdesk-backup".into(),
            created: self.created_ms,
            device: self.device.clone(),
            entries: self.entries.clone(),
            tombstones: self.tombstones.clone(),
            slots_changed: self.slots_changed,
            device_id: self.device_id.clone(),
            slot_names: crate::format::slot::names_of(&self.slots),
        };
        let json = zeroize::Zeroizing::new(serde_json::to_vec(&body).expect("entries serialize"));
        format::seal(&self.key, &self.slots, self.created_ms, &self.device, &json)
    }

    /// Writes the backup atomically (0600): a reader sees the old file or
    /// the new one, and a full disk leaves the old one intact.
    pub fn write(&self, path: &Path) -> Result<(), CreateBackupError> {
        fsio::write_atomic(path, &self.to_bytes()).map_err(|e| CreateBackupError::io(path, e))
    }

    /// Opens backup bytes; `label` names the file in errors.
    pub fn open(
        bytes: &[u8],
        password: &SecretString,
        label: &str,
    ) -> Result<Backup, OpenBackupError> {
        let header = parse_header(bytes, label)?;
        let key = header
            .slots
            .iter()
            .find_map(|s| s.open(password))
            .ok_or_else(|| OpenBackupError::WrongPassword {
                path: label.to_owned(),
                slots: header.slots.len(),
            })?;
        finish_open(bytes, header, key, label)
    }

    /// Opens backup bytes with a household's key, without any password
    /// (and so without Argon2's cost). A file of another household, or one
    /// altered after it was made, is `WrongPassword` or `Tampered`.
    pub fn open_with_key(
        bytes: &[u8],
        household: &HouseholdKey,
        label: &str,
    ) -> Result<Backup, OpenBackupError> {
        let header = parse_header(bytes, label)?;
        let slots = header.slots.len();
        match finish_open(bytes, header, household.key.clone(), label) {
            // The header MAC is keyed by the data key: with another key it
            // fails exactly as for another household's file.
            Err(OpenBackupError::Tampered { part: "header", .. }) => {
                Err(OpenBackupError::WrongPassword {
                    path: label.to_owned(),
                    slots,
                })
            }
            other => other,
        }
    }

    /// What the header says (when and where it was made) without a
    /// password; `None` for anything that is not a readable backup.
    pub fn peek(bytes: &[u8]) -> Option<(i64, String)> {
        format::parse(bytes)
            .ok()
            .map(|(h, _)| (h.created_ms, h.device))
    }

    /// Reads the backup file at `path` and opens it with `password`; errors
    /// name it by its path.
    pub fn read(path: &Path, password: &SecretString) -> Result<Backup, OpenBackupError> {
        let label = path.display().to_string();
        let cap = household::folder::MAX_FILE_BYTES;
        let bytes = fsio::read_regular(path, cap).map_err(|source| OpenBackupError::Io {
            path: label.clone(),
            source,
        })?;
        Backup::open(&bytes, password, &label)
    }
}

fn parse_header(bytes: &[u8], label: &str) -> Result<format::Header, OpenBackupError> {
    let path = label.to_owned();
    format::parse(bytes)
        .map(|(header, _)| header)
        .map_err(|p| match p {
            HeaderProblem::NotOurs => OpenBackupError::NotABackup { path },
            HeaderProblem::Truncated { expected, actual } => OpenBackupError::Truncated {
                path,
                expected,
                actual,
            },
            HeaderProblem::Corrupt(reason) => OpenBackupError::Corrupt { path, reason },
            HeaderProblem::NewerVersion(version) => OpenBackupError::NewerVersion { path, version },
            HeaderProblem::UnsafeKdf(reason) => OpenBackupError::UnsafeKdf { path, reason },
        })
}

fn finish_open(
    bytes: &[u8],
    header: format::Header,
    key: DataKey,
    label: &str,
) -> Result<Backup, OpenBackupError> {
    let path = label.to_owned();
    let plain = format::decrypt(bytes, &header, &key).map_err(|p| OpenBackupError::Tampered {
        path: path.clone(),
        part: match p {
            BodyProblem::HeaderAltered => "header",
            BodyProblem::BodyAltered => "contents",
        },
    })?;
    let body: Body = serde_json::from_slice(&plain).map_err(|e| OpenBackupError::Corrupt {
        path: path.clone(),
        reason: format!("its contents are not readable ({e})"),
    })?;
    if body.format != "authdesk-backup" {
        return Err(OpenBackupError::Corrupt {
            path,
            reason: format!("its contents say they are \"{}\"", body.format),
        });
    }
    let mut slots = header.slots;
    crate::format::slot::name_slots(&mut slots, &body.slot_names);
    Ok(Backup {
        created_ms: header.created_ms,
        device: header.device,
        device_id: body.device_id,
        entries: body.entries,
        tombstones: body.tombstones,
        key,
        slots,
        slots_changed: body.slots_changed,
    })
}

fn seal_slot(
    key: &DataKey,
    password: &SecretString,
    kdf: KdfParams,
) -> Result<Slot, CreateBackupError> {
    use secrecy::ExposeSecret;
    if password.expose_secret().is_empty() {
        return Err(CreateBackupError::EmptyPassword);
    }
    Slot::seal(key, password, kdf).map_err(CreateBackupError::Kdf)
}
