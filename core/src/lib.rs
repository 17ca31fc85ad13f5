//! authdesk-core: everything Authdesk does, without a user interface.
//!
//! See `docs/ARCHITECTURE.md` for the map. Each operation has its own error
//! enum so that front ends can branch on what went wrong.

#![forbid(unsafe_code)]
// Front ends and their authors read this API: every public item says what
// it is for.
#![deny(missing_docs)]

pub mod autotype;
pub mod backup;
pub mod clock;
pub mod device;
pub mod display;
pub mod entry;
pub mod error;
pub mod export;
pub mod format;
pub mod household_key;
pub mod icon;
pub mod import;
pub mod keychain;
mod link;
pub mod migration;
pub mod order;
pub mod otp;
pub mod password;
pub mod paths;
pub mod qr;
#[cfg(feature = "screen")]
pub mod screen;
pub mod secret;
pub mod skip;
mod text;
pub mod timestamp;
pub mod uri;
pub mod vault;

pub use entry::{Entry, EntryData, EntryId};
pub use otp::{Algorithm, Code, OtpParams, OtpType};
pub use secret::SecretBytes;
