//! The one error type commands return. `kind` is stable and the UI
//! translates it (with `params`); `message` is the core's English text, a
//! fallback for kinds the UI does not know yet.

use std::collections::BTreeMap;

use authdesk_core::keychain::KeychainError;
use authdesk_core::migration::MigrationError;
use authdesk_core::otp::{CodeError, ParamsError};
use authdesk_core::secret::Base32Error;
use authdesk_core::uri::UriError;
use authdesk_core::vault::{CreateError, LookupError, OpenError, SaveError};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CmdError {
    pub kind: &'static str,
    pub message: String,
    pub params: BTreeMap<&'static str, String>,
}

impl CmdError {
    pub fn new(kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            params: BTreeMap::new(),
        }
    }

    pub fn with(mut self, key: &'static str, value: impl ToString) -> Self {
        self.params.insert(key, value.to_string());
        self
    }

    pub fn locked() -> Self {
        Self::new("locked", "the vault is locked")
    }

    pub fn not_found() -> Self {
        Self::new("not_found", "that account no longer exists")
    }
}

impl std::fmt::Display for CmdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<Base32Error> for CmdError {
    fn from(e: Base32Error) -> Self {
        let msg = e.to_string();
        match e {
            Base32Error::Empty => CmdError::new("missing_secret", msg),
            Base32Error::InvalidChar { position, ch } => CmdError::new("invalid_secret_char", msg)
                .with("position", position)
                .with("char", ch),
            Base32Error::InvalidLength { len } => {
                CmdError::new("invalid_secret_length", msg).with("length", len)
            }
        }
    }
}

impl From<UriError> for CmdError {
    fn from(e: UriError) -> Self {
        let msg = e.to_string();
        match e {
            UriError::InvalidSecret(b) => b.into(),
            UriError::NotOtpauth { found } => {
                CmdError::new("not_otpauth", msg).with("found", found)
            }
            UriError::UnsupportedType { name } => {
                CmdError::new("unsupported_type", msg).with("value", name)
            }
            UriError::InvalidAlgorithm { value } => {
                CmdError::new("invalid_algorithm", msg).with("value", value)
            }
            UriError::InvalidDigits { value } => {
                CmdError::new("invalid_digits", msg).with("value", value)
            }
            UriError::InvalidPeriod { value } => {
                CmdError::new("invalid_period", msg).with("value", value)
            }
            UriError::InvalidCounter { value } => {
                CmdError::new("invalid_counter", msg).with("value", value)
            }
            UriError::InvalidParameter { field, .. } => {
                CmdError::new("invalid_label", msg).with("field", field)
            }
            UriError::Migration(MigrationError::MissingData) => CmdError::new("missing_data", msg),
            other => CmdError::new(other.kind(), msg),
        }
    }
}

impl From<ParamsError> for CmdError {
    fn from(e: ParamsError) -> Self {
        let msg = e.to_string();
        match e {
            ParamsError::Digits(d) => CmdError::new("invalid_digits", msg).with("value", d),
            ParamsError::PeriodZero => CmdError::new("invalid_period", msg).with("value", 0),
            ParamsError::SteamAlgorithm(_) | ParamsError::SteamDigits(_) => {
                CmdError::new("invalid_steam", msg)
            }
        }
    }
}

impl From<CodeError> for CmdError {
    fn from(e: CodeError) -> Self {
        match e {
            CodeError::Params(p) => p.into(),
            other => CmdError::new("code_failed", other.to_string()),
        }
    }
}

impl From<OpenError> for CmdError {
    fn from(e: OpenError) -> Self {
        let msg = e.to_string();
        let kind = match &e {
            OpenError::NotFound { .. } => "vault_not_found",
            OpenError::Io { .. } => "vault_io",
            OpenError::WrongPassword { .. } => "wrong_password",
            OpenError::KeyRejected { .. } => "key_rejected",
            OpenError::Truncated { .. } => "vault_truncated",
            OpenError::Corrupt { .. } => "vault_corrupt",
            OpenError::NewerVersion { .. } => "vault_newer",
            OpenError::UnsafeKdf { .. } => "vault_unsafe_kdf",
        };
        let mut err = CmdError::new(kind, msg);
        match e {
            OpenError::NotFound { path }
            | OpenError::Io { path, .. }
            | OpenError::WrongPassword { path }
            | OpenError::KeyRejected { path }
            | OpenError::Truncated { path, .. }
            | OpenError::UnsafeKdf { path, .. } => err = err.with("path", path.display()),
            OpenError::Corrupt { path, reason } => {
                err = err.with("path", path.display()).with("reason", reason)
            }
            OpenError::NewerVersion { path, version } => {
                err = err.with("path", path.display()).with("version", version)
            }
        }
        err
    }
}

impl From<SaveError> for CmdError {
    fn from(e: SaveError) -> Self {
        let msg = e.to_string();
        match e {
            SaveError::DiskFull { path } => {
                CmdError::new("disk_full", msg).with("path", path.display())
            }
            SaveError::ChangedElsewhere { path } => {
                CmdError::new("changed_elsewhere", msg).with("path", path.display())
            }
            SaveError::EmptyPassword => CmdError::new("empty_password", msg),
            _ => CmdError::new("save_failed", msg),
        }
    }
}

impl From<CreateError> for CmdError {
    fn from(e: CreateError) -> Self {
        match e {
            CreateError::Save(s) => s.into(),
            CreateError::EmptyPassword => CmdError::new("empty_password", e.to_string()),
            CreateError::AlreadyExists { ref path } => {
                let path = path.display().to_string();
                CmdError::new("vault_exists", e.to_string()).with("path", path)
            }
            CreateError::Kdf(_) => CmdError::new("save_failed", e.to_string()),
        }
    }
}

impl From<LookupError> for CmdError {
    fn from(_: LookupError) -> Self {
        CmdError::not_found()
    }
}

impl From<authdesk_core::qr::QrError> for CmdError {
    fn from(e: authdesk_core::qr::QrError) -> Self {
        use authdesk_core::qr::QrError;
        let msg = e.to_string();
        match e {
            QrError::Io { path, .. } | QrError::Empty { path } => CmdError::new(
                if msg.ends_with("is empty") {
                    "empty_image"
                } else {
                    "image_io"
                },
                msg,
            )
            .with("name", path),
            QrError::InvalidImage { path, .. } => {
                CmdError::new("invalid_image", msg).with("name", path)
            }
            QrError::TooLarge { path, .. } => {
                CmdError::new("image_too_large", msg).with("name", path)
            }
        }
    }
}

impl From<authdesk_core::screen::CaptureError> for CmdError {
    fn from(e: authdesk_core::screen::CaptureError) -> Self {
        use authdesk_core::screen::CaptureError;
        let kind = e.kind();
        let msg = e.to_string();
        match e {
            CaptureError::NoDisplay { reason } | CaptureError::NoPortal { reason } => {
                CmdError::new(kind, msg).with("reason", reason)
            }
            CaptureError::Failed { reason, .. } => CmdError::new(kind, msg).with("reason", reason),
            CaptureError::Refused | CaptureError::PermissionDenied => CmdError::new(kind, msg),
        }
    }
}

impl From<authdesk_core::backup::OpenBackupError> for CmdError {
    fn from(e: authdesk_core::backup::OpenBackupError) -> Self {
        use authdesk_core::backup::OpenBackupError as E;
        let kind = e.kind();
        let msg = e.to_string();
        let err = CmdError::new(kind, msg);
        match e {
            E::Io { path, .. }
            | E::NotABackup { path }
            | E::WrongPassword { path, .. }
            | E::Truncated { path, .. }
            | E::Corrupt { path, .. }
            | E::UnsafeKdf { path, .. }
            | E::Tampered { path, .. } => err.with("name", path),
            E::NewerVersion { path, version } => err.with("name", path).with("version", version),
        }
    }
}

impl From<authdesk_core::backup::CreateBackupError> for CmdError {
    fn from(e: authdesk_core::backup::CreateBackupError) -> Self {
        use authdesk_core::backup::CreateBackupError as E;
        let kind = e.kind();
        let msg = e.to_string();
        match e {
            E::DiskFull { path } | E::Io { path, .. } => {
                CmdError::new(kind, msg).with("path", path.display())
            }
            _ => CmdError::new(kind, msg),
        }
    }
}

impl From<KeychainError> for CmdError {
    fn from(e: KeychainError) -> Self {
        CmdError::new("keychain", e.to_string())
    }
}

impl From<authdesk_core::backup::household::JoinError> for CmdError {
    fn from(e: authdesk_core::backup::household::JoinError) -> Self {
        use authdesk_core::backup::household::JoinError as E;
        match e {
            E::Create(c) => c.into(),
            E::Open(o) => o.into(),
            E::Folder { ref path, .. } => {
                let path = path.display().to_string();
                CmdError::new("backup_folder", e.to_string()).with("path", path)
            }
            E::OtherPasswords {
                ref folder,
                ref files,
            } => {
                let (folder, files) = (folder.display().to_string(), files.clone());
                CmdError::new("household_password", e.to_string())
                    .with("path", folder)
                    .with("files", files)
            }
            E::TooCostly { ref folder, .. } => {
                let folder = folder.display().to_string();
                CmdError::new("join_too_costly", e.to_string()).with("path", folder)
            }
        }
    }
}

impl From<authdesk_core::backup::household::SyncError> for CmdError {
    fn from(e: authdesk_core::backup::household::SyncError) -> Self {
        use authdesk_core::backup::household::SyncError as E;
        match e {
            E::Save(s) => s.into(),
            E::Write(w) => w.into(),
            E::Folder { ref path, .. } => {
                let path = path.display().to_string();
                CmdError::new("backup_folder", e.to_string()).with("path", path)
            }
            E::NotJoined => CmdError::new("not_joined", e.to_string()),
        }
    }
}

impl From<authdesk_core::backup::household::RemovePasswordError> for CmdError {
    fn from(e: authdesk_core::backup::household::RemovePasswordError) -> Self {
        CmdError::new(e.kind(), e.to_string())
    }
}

/// A new backup or household password below the floor: the score and the
/// stable keys of zxcvbn's feedback, which the UI translates.
impl From<authdesk_core::password::WeakPassword> for CmdError {
    fn from(e: authdesk_core::password::WeakPassword) -> Self {
        let suggestions: Vec<&str> = e.suggestions.iter().map(|h| h.key).collect();
        CmdError::new(e.kind(), e.to_string())
            .with("score", e.score)
            .with("min", authdesk_core::password::MIN_FILE_PASSWORD_SCORE)
            .with("warning", e.warning.as_ref().map_or("", |w| w.key))
            .with("suggestions", suggestions.join(","))
    }
}
