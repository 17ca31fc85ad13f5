//! "Remember on this device": the vault key in the operating system's
//! keychain (Secret Service on Linux, Keychain on macOS, Credential Manager
//! on Windows), through the `keyring` crate.
//!
//! What is stored is the derived key, not the password: it opens this
//! vault file until its password changes, and nothing else.

use std::path::{Path, PathBuf};

use thiserror::Error;
use zeroize::Zeroizing;

use crate::vault::{OpenError, Vault, VaultKey};

const SERVICE: &str = "Authdesk vault key";

/// Why the keychain could not store, give or forget a key.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum KeychainError {
    /// No keychain answers (no Secret Service running, no D-Bus session).
    #[error("the system keychain is not available: {0}")]
    Unavailable(String),
    /// The keychain answered but said no (locked, or access denied).
    #[error("the system keychain refused access: {0}")]
    Refused(String),
    /// What the keychain holds for this vault is not a key.
    #[error("the system keychain holds a damaged entry for {path}; forget it and remember again")]
    Damaged {
        /// The vault the entry is for.
        path: PathBuf,
    },
}

impl crate::error::Kind for KeychainError {
    fn kind(&self) -> &'static str {
        match self {
            KeychainError::Unavailable(_) => "keychain",
            KeychainError::Refused(_) => "keychain_refused",
            KeychainError::Damaged { .. } => "keychain_damaged",
        }
    }

    fn params(&self) -> crate::error::Params {
        match self {
            KeychainError::Unavailable(r) | KeychainError::Refused(r) => {
                vec![("reason", r.clone())]
            }
            KeychainError::Damaged { path } => vec![("path", crate::error::shown(path))],
        }
    }
}

fn account(path: &Path) -> String {
    // The same vault reached by two spellings of its path is one entry.
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_owned());
    canonical.to_string_lossy().into_owned()
}

fn entry(path: &Path) -> Result<keyring::Entry, KeychainError> {
    keyring::Entry::new(SERVICE, &account(path)).map_err(map_err)
}

fn map_err(e: keyring::Error) -> KeychainError {
    match e {
        keyring::Error::NoStorageAccess(inner) => KeychainError::Refused(inner.to_string()),
        keyring::Error::PlatformFailure(inner) => KeychainError::Unavailable(inner.to_string()),
        other => KeychainError::Unavailable(other.to_string()),
    }
}

/// Stores `key` for the vault at `path`, replacing an older one.
pub fn remember(path: &Path, key: &VaultKey) -> Result<(), KeychainError> {
    entry(path)?.set_secret(key.as_bytes()).map_err(map_err)
}

/// The key remembered for `path`, if any.
pub fn recall(path: &Path) -> Result<Option<VaultKey>, KeychainError> {
    match entry(path)?.get_secret() {
        Ok(bytes) => {
            let bytes = Zeroizing::new(bytes);
            VaultKey::from_bytes(&bytes)
                .map(Some)
                .ok_or_else(|| KeychainError::Damaged {
                    path: path.to_owned(),
                })
        }
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(map_err(e)),
    }
}

/// Removes the remembered key; `Ok(false)` when there was none.
pub fn forget(path: &Path) -> Result<bool, KeychainError> {
    match entry(path)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(map_err(e)),
    }
}

/// What opening with the key this device remembers gave.
#[derive(Debug)]
pub enum Remembered {
    /// The remembered key opened the vault.
    Opened(Box<Vault>),
    /// Nothing usable is remembered (no vault file yet, no key, or no
    /// keychain to ask): the front end asks for the password.
    NotRemembered,
    /// A key is remembered but no longer opens the vault (its password was
    /// changed elsewhere): the front end asks for the password, and may say
    /// why with this error.
    Rejected(OpenError),
}

/// Keychain-first opening, the same in every front end: the remembered key
/// if it still opens the vault, else word to ask for the password. A
/// keychain that cannot be reached counts as nothing remembered (the
/// password still opens the vault); a vault that is damaged or unreadable
/// is an error, as it would be with the password.
pub fn open_remembered(path: &Path) -> Result<Remembered, OpenError> {
    if !path.exists() {
        return Ok(Remembered::NotRemembered);
    }
    let Ok(Some(key)) = recall(path) else {
        return Ok(Remembered::NotRemembered);
    };
    match Vault::open_with_key(path, key) {
        Ok(vault) => Ok(Remembered::Opened(Box::new(vault))),
        Err(e @ OpenError::KeyRejected { .. }) => Ok(Remembered::Rejected(e)),
        Err(e) => Err(e),
    }
}
