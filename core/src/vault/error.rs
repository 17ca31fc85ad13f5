//! Why a vault operation failed: one enum per operation, each with its
//! stable kinds ([`crate::error::Kind`]). A failed operation leaves the
//! file as it was.

use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::format::HeaderProblem;
use crate::otp::CodeError;

/// Why a vault could not be opened. The file is never modified by a
/// failed open.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum OpenError {
    /// There is no file at the path.
    #[error("no vault at {path}")]
    NotFound {
        /// The vault file's path, as given.
        path: PathBuf,
    },
    /// The file exists but could not be read (permissions, a folder, an I/O
    /// error).
    #[error("cannot read vault {path}: {source}")]
    Io {
        /// The vault file's path, as given.
        path: PathBuf,
        /// The read error.
        source: io::Error,
    },
    /// The header MAC does not verify under the key derived from the password.
    #[error("wrong password for vault {path}")]
    WrongPassword {
        /// The vault file's path, as given.
        path: PathBuf,
    },
    /// The key recalled from the keychain does not verify: the password was
    /// probably changed elsewhere since it was remembered.
    #[error(
        "the key remembered on this device no longer opens vault {path} (was the password changed?); enter the password"
    )]
    KeyRejected {
        /// The vault file's path, as given.
        path: PathBuf,
    },
    /// The file is shorter than a whole vault (the header, or the length the
    /// header gives): cut off by a copy or a crash.
    #[error("vault {path} is truncated ({actual} of {expected} bytes); restore it from a backup")]
    Truncated {
        /// The vault file's path, as given.
        path: PathBuf,
        /// Bytes a whole file would have.
        expected: u64,
        /// Bytes the file has.
        actual: u64,
    },
    /// The file is damaged, tampered with or no vault at all (signature,
    /// header checksum, AEAD or decrypted JSON); the reason says which.
    #[error("vault {path} is corrupt ({reason}); restore it from a backup")]
    Corrupt {
        /// The vault file's path, as given.
        path: PathBuf,
        /// What failed, for the message.
        reason: String,
    },
    /// The format version is above [`VERSION`](super::format::VERSION).
    #[error(
        "vault {path} was written by a newer Authdesk (format {version}); update Authdesk to open it"
    )]
    NewerVersion {
        /// The vault file's path, as given.
        path: PathBuf,
        /// The format version read from the file.
        version: u16,
    },
    /// The header's Argon2 parameters are out of bounds (refused before any key
    /// derivation) or refused by Argon2.
    #[error(
        "vault {path} asks for unsafe key-derivation parameters ({reason}); refusing to open it"
    )]
    UnsafeKdf {
        /// The vault file's path, as given.
        path: PathBuf,
        /// Which parameter, and the allowed range.
        reason: String,
    },
}

impl crate::error::Kind for OpenError {
    fn kind(&self) -> &'static str {
        match self {
            OpenError::NotFound { .. } => "vault_not_found",
            OpenError::Io { .. } => "vault_io",
            OpenError::WrongPassword { .. } => "wrong_password",
            OpenError::KeyRejected { .. } => "key_rejected",
            OpenError::Truncated { .. } => "vault_truncated",
            OpenError::Corrupt { .. } => "vault_corrupt",
            OpenError::NewerVersion { .. } => "vault_newer",
            OpenError::UnsafeKdf { .. } => "vault_unsafe_kdf",
        }
    }

    fn params(&self) -> crate::error::Params {
        use crate::error::shown;
        match self {
            OpenError::NotFound { path }
            | OpenError::WrongPassword { path }
            | OpenError::KeyRejected { path } => vec![("path", shown(path))],
            OpenError::Io { path, source } => {
                vec![("path", shown(path)), ("reason", source.to_string())]
            }
            OpenError::Truncated {
                path,
                expected,
                actual,
            } => vec![
                ("path", shown(path)),
                ("expected", expected.to_string()),
                ("actual", actual.to_string()),
            ],
            OpenError::Corrupt { path, reason } | OpenError::UnsafeKdf { path, reason } => {
                vec![("path", shown(path)), ("reason", reason.clone())]
            }
            OpenError::NewerVersion { path, version } => {
                vec![("path", shown(path)), ("version", version.to_string())]
            }
        }
    }
}

impl OpenError {
    pub(super) fn from_header(path: &Path, p: HeaderProblem) -> Self {
        let path = path.to_owned();
        match p {
            HeaderProblem::Truncated { expected, actual } => OpenError::Truncated {
                path,
                expected,
                actual,
            },
            HeaderProblem::NotOurs => OpenError::Corrupt {
                path,
                reason: "it does not start with the Authdesk vault signature".into(),
            },
            HeaderProblem::Corrupt(reason) => OpenError::Corrupt { path, reason },
            HeaderProblem::NewerVersion(version) => OpenError::NewerVersion { path, version },
            HeaderProblem::UnsafeKdf(reason) => OpenError::UnsafeKdf { path, reason },
        }
    }
}

/// Why a vault could not be created.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum CreateError {
    /// A file is already at the path; creating never overwrites.
    #[error("a vault already exists at {path}; refusing to overwrite it")]
    AlreadyExists {
        /// Where the vault was to be created.
        path: PathBuf,
    },
    /// The password is empty.
    #[error("the password is empty; choose a password to protect the vault")]
    EmptyPassword,
    /// The Argon2 parameters are out of bounds or refused by Argon2; the text
    /// says why.
    #[error("invalid key-derivation parameters: {0}")]
    Kdf(String),
    /// Creating the folder, taking the lock or writing the new file failed.
    #[error(transparent)]
    Save(#[from] SaveError),
}

impl crate::error::Kind for CreateError {
    fn kind(&self) -> &'static str {
        match self {
            CreateError::AlreadyExists { .. } => "vault_exists",
            CreateError::EmptyPassword => "empty_password",
            CreateError::Kdf(_) => "kdf",
            CreateError::Save(_) => "save_failed",
        }
    }

    fn params(&self) -> crate::error::Params {
        match self {
            CreateError::AlreadyExists { path } => vec![("path", crate::error::shown(path))],
            CreateError::Kdf(reason) => vec![("reason", reason.clone())],
            CreateError::EmptyPassword | CreateError::Save(_) => vec![],
        }
    }

    fn inner(&self) -> Option<&dyn crate::error::Kind> {
        match self {
            CreateError::Save(e) => Some(e),
            _ => None,
        }
    }
}

/// Why no HOTP code was issued. Nothing was shown, so no code is lost.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum IssueError {
    /// The entry cannot give a code (bad parameters, counter exhausted); the
    /// counter was not advanced.
    #[error(transparent)]
    Code(#[from] CodeError),
    /// The advanced counter could not be saved, so the code is withheld.
    #[error(transparent)]
    Save(#[from] SaveError),
}

impl crate::error::Kind for IssueError {
    fn kind(&self) -> &'static str {
        match self {
            IssueError::Code(_) => "code_failed",
            IssueError::Save(_) => "save_failed",
        }
    }

    fn inner(&self) -> Option<&dyn crate::error::Kind> {
        match self {
            IssueError::Code(e) => Some(e),
            IssueError::Save(e) => Some(e),
        }
    }
}

/// Why a save failed. The vault file on disk is left as it was.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SaveError {
    /// The disk (or the user's quota) is full.
    #[error(
        "could not save vault {path}: the disk is full; the vault on disk is unchanged. Free some space and try again"
    )]
    DiskFull {
        /// The vault file's path, as given.
        path: PathBuf,
    },
    /// Locking, reading or writing failed for another reason.
    #[error("could not save vault {path}: {source}; the vault on disk is unchanged")]
    Io {
        /// The vault file's path, as given.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// The file on disk has another salt, Argon2 cost or key: its password was
    /// changed by another process or device since this handle opened it.
    #[error(
        "vault {path} was changed with another password meanwhile; unlock it again before saving"
    )]
    ChangedElsewhere {
        /// The vault file's path, as given.
        path: PathBuf,
    },
    /// The file on disk cannot be read (damaged, or from a newer Authdesk), so
    /// it is not saved over: that would lose whatever it holds.
    #[error("not saving over vault {path}, which is now unreadable: {source}")]
    OnDiskUnreadable {
        /// The vault file's path, as given.
        path: PathBuf,
        /// Why the file on disk could not be read.
        source: Box<OpenError>,
    },
    /// The new password given to
    /// [`Vault::change_password`](super::Vault::change_password) is empty.
    #[error("the new password is empty")]
    EmptyPassword,
    /// The new Argon2 parameters are out of bounds or refused by Argon2; the
    /// text says why.
    #[error("invalid key-derivation parameters: {0}")]
    Kdf(String),
}

impl crate::error::Kind for SaveError {
    fn kind(&self) -> &'static str {
        match self {
            SaveError::DiskFull { .. } => "disk_full",
            SaveError::ChangedElsewhere { .. } => "changed_elsewhere",
            SaveError::EmptyPassword => "empty_password",
            SaveError::Kdf(_) => "kdf",
            SaveError::Io { .. } | SaveError::OnDiskUnreadable { .. } => "save_failed",
        }
    }

    fn params(&self) -> crate::error::Params {
        use crate::error::shown;
        match self {
            SaveError::DiskFull { path } | SaveError::ChangedElsewhere { path } => {
                vec![("path", shown(path))]
            }
            SaveError::Io { path, source } => {
                vec![("path", shown(path)), ("reason", source.to_string())]
            }
            SaveError::OnDiskUnreadable { path, source } => {
                vec![("path", shown(path)), ("reason", source.to_string())]
            }
            SaveError::Kdf(reason) => vec![("reason", reason.clone())],
            SaveError::EmptyPassword => vec![],
        }
    }
}

impl SaveError {
    pub(super) fn io(path: &Path, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::StorageFull || source.raw_os_error() == Some(28) {
            SaveError::DiskFull {
                path: path.to_owned(),
            }
        } else {
            SaveError::Io {
                path: path.to_owned(),
                source,
            }
        }
    }
}

/// Why an entry could not be found by the text a user gave.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LookupError {
    /// No entry's id starts with the text given (or the text is empty); holds
    /// that text.
    #[error("no entry with id {0}")]
    NotFound(String),
    /// The text given starts the ids of several entries.
    #[error("id {query} matches {count} entries; give more characters")]
    Ambiguous {
        /// The text as the user gave it.
        query: String,
        /// How many entries it matches (at least 2).
        count: usize,
    },
}

impl crate::error::Kind for LookupError {
    fn kind(&self) -> &'static str {
        match self {
            LookupError::NotFound(_) => "not_found",
            LookupError::Ambiguous { .. } => "ambiguous",
        }
    }

    fn params(&self) -> crate::error::Params {
        match self {
            LookupError::NotFound(query) => vec![("query", query.clone())],
            LookupError::Ambiguous { query, count } => {
                vec![("query", query.clone()), ("count", count.to_string())]
            }
        }
    }
}
