//! Why a command failed, as one type every command module returns.
//!
//! It lives apart from `commands` so that the command modules (`backup`,
//! `clock`, `import`, `scan`) and `password` can name it without importing
//! the dispatcher that calls them, which would make an import circle.

use authdesk_core::keychain::KeychainError;
use authdesk_core::otp::CodeError;
use authdesk_core::uri::UriError;
use authdesk_core::vault::{CreateError, LookupError, OpenError, SaveError};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Failure {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Create(#[from] CreateError),
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error(transparent)]
    Lookup(#[from] LookupError),
    #[error(transparent)]
    Uri(#[from] UriError),
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    #[error(transparent)]
    Code(#[from] CodeError),
    #[error(transparent)]
    Qr(#[from] authdesk_core::qr::QrError),
    #[error(transparent)]
    Capture(#[from] authdesk_core::screen::CaptureError),
    #[error(transparent)]
    CreateBackup(#[from] authdesk_core::backup::CreateBackupError),
    #[error(transparent)]
    OpenBackup(#[from] authdesk_core::backup::OpenBackupError),
    #[error(transparent)]
    Join(#[from] authdesk_core::backup::household::JoinError),
    #[error(transparent)]
    Sync(#[from] authdesk_core::backup::household::SyncError),
    /// A new backup or household password below the strength floor.
    #[error("the {what} was not accepted: {source}")]
    WeakPassword {
        what: String,
        source: authdesk_core::password::WeakPassword,
    },
    /// Codes cannot be computed for a time before 1970.
    #[error("the time server {server} answered with a time before 1970; try another with --server")]
    NetworkTimeBefore1970 { server: String },
    #[error("{0}")]
    Other(String),
}
