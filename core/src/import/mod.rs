//! Importing other authenticators' exports.
//!
//! One module per format, each behind [`Importer`] (GNOME Authenticator's
//! style): the format's identifier, whether it can be encrypted, a
//! recogniser that looks at the content (never the file name), and a parse
//! that returns the accounts plus per-entry problems, so that one bad entry
//! never sinks the rest. Each module's doc names its specification and what
//! the conversion loses.
//!
//! [`import`] detects the format (or takes the one the user forces), asks
//! for a password only where the file is encrypted, and reports every
//! format it tried when none fits.

mod aegis;
mod andotp;
mod apply;
mod authenticator_plus;
mod authy;
mod battlenet;
mod bitwarden;
mod bitwarden_csv;
mod budget;
mod database;
mod ente;
mod file;
mod freeotp;
mod freeotp_plus;
mod google_db;
mod javaser;
mod microsoft;
mod prefs;
mod proton;
mod qr_image;
mod raivo;
mod raw;
mod simple;
mod sqlcipher;
mod sqlite;
mod stratum;
mod stratum_db;
mod text;
mod totp_authenticator;
mod twofas;
mod winauth;
mod zipfile;

use secrecy::SecretString;
use thiserror::Error;

use crate::entry::EntryData;
pub use crate::skip::{SkipKind, Skipped};
pub use apply::{AddReport, add_to};
pub use file::{MAX_FILE, ReadFileError, read_file, too_large};
pub use raw::RawEntry;

/// What an importer found in a file.
#[derive(Debug, Default)]
pub struct Imported {
    /// The accounts read, in the export's order.
    pub entries: Vec<EntryData>,
    /// Entries that cannot be used (a type Authdesk cannot compute, a
    /// damaged secret), by name, with the reason.
    pub skipped: Vec<Skipped>,
    /// Tags and notes, by the index of the entry they belong to: empty
    /// for formats that have neither, else as long as `entries`.
    pub details: Vec<Details>,
}

impl Imported {
    /// Keeps [`Imported::details`]' promise: none at all when no entry has
    /// any, else one per entry (those added without, empty).
    pub(crate) fn settle_details(&mut self) {
        if self.details.iter().all(|d| d == &Details::default()) {
            self.details.clear();
        } else {
            self.details.resize(self.entries.len(), Details::default());
        }
    }
}

/// What an export says about an account beside the account itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    /// Its groups, folders or tags, by name, as the app had them.
    pub tags: Vec<String>,
    /// Its note.
    pub note: String,
    /// Pinned or marked a favourite there.
    pub pinned: bool,
    /// Its icon, as a vault stores one (`crate::icon`), already checked.
    pub icon: Option<String>,
}

/// What a recogniser says about a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// The file is encrypted: parsing it needs a password.
    pub encrypted: bool,
}

/// What a format is called, and whether it has an encrypted variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// The identifier for `--format` ("aegis", "2fas", …).
    pub id: &'static str,
    /// The app's name, for messages ("Aegis").
    pub app: &'static str,
    /// Whether the format has an encrypted variant, for which [`import`] needs
    /// a password.
    pub can_be_encrypted: bool,
}

impl Format {
    /// A format that is never encrypted.
    pub const fn plain(id: &'static str, app: &'static str) -> Self {
        Format {
            id,
            app,
            can_be_encrypted: false,
        }
    }

    /// A format with an encrypted variant.
    pub const fn encryptable(id: &'static str, app: &'static str) -> Self {
        Format {
            id,
            app,
            can_be_encrypted: true,
        }
    }
}

/// One export format.
pub trait Importer: Sync {
    /// The format's identifier, app name and whether it can be encrypted.
    fn format(&self) -> Format;
    /// The identifier for `--format` ("aegis", "2fas", …).
    fn id(&self) -> &'static str {
        self.format().id
    }
    /// The app's name, for messages ("Aegis").
    fn app(&self) -> &'static str {
        self.format().app
    }
    /// Whether the format has an encrypted variant.
    fn can_be_encrypted(&self) -> bool {
        self.format().can_be_encrypted
    }
    /// `Some` when the file is this format, judged by content only.
    fn recognise(&self, file: &Probe) -> Option<Detected>;
    /// [`Importer::recognise`] on the bytes alone.
    fn detect(&self, bytes: &[u8]) -> Option<Detected> {
        self.recognise(&Probe::new(bytes))
    }
    /// The accounts in `bytes`. `password` is used only when encrypted.
    fn parse(&self, bytes: &[u8], password: Option<&SecretString>)
    -> Result<Imported, ImportError>;
}

/// Why a file could not be imported. Nothing is ever written on an error.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file is empty or only white space.
    #[error("the file is empty")]
    EmptyFile,
    /// No importer recognises the file.
    #[error(
        "not a format Authdesk imports. Tried: {tried}. Export again from the app (see docs/IMPORTING.md), or name the app the file came from"
    )]
    UnknownFormat {
        /// The apps whose formats were tried, comma-separated.
        tried: String,
    },
    /// The format a front end named is unknown; holds it, then the known
    /// identifiers, comma-separated.
    #[error("{0} is not a format Authdesk knows; the formats are: {1}")]
    NoSuchFormat(String, String),
    /// The export is encrypted and no password was given.
    #[error("this {app} export is encrypted: its password is needed")]
    PasswordNeeded {
        /// The app whose export it is, for messages ("Aegis").
        app: &'static str,
    },
    /// The password does not open the export.
    #[error("wrong password for this {app} export")]
    WrongPassword {
        /// The app whose export it is, for messages ("Aegis").
        app: &'static str,
    },
    /// The file is of the app's kind but holds no accounts to read (a
    /// database of another app, text without a link, an image without a
    /// code…).
    #[error("this {app} export holds no authenticator accounts ({detail})")]
    NoOtpData {
        /// The app whose export it is, for messages ("Aegis").
        app: &'static str,
        /// What the importer found, in English.
        detail: String,
    },
    /// No account could be read from a list of links, and an
    /// `otpauth-migration://` link among them is damaged; holds the last such
    /// link's error.
    #[error("this Google Authenticator export is damaged: {0}")]
    InvalidMigrationPayload(String),
    /// The export is encrypted in a way Authdesk cannot open (biometric-only, a
    /// phone's keystore, an unknown scheme).
    #[error("this {app} export uses encryption Authdesk cannot open: {detail}")]
    UnsupportedEncryption {
        /// The app whose export it is, for messages ("Aegis").
        app: &'static str,
        /// What the importer found, in English.
        detail: String,
    },
    /// The zip archive has no file in it.
    #[error("this {app} archive holds no export")]
    EmptyArchive {
        /// The app whose export it is, for messages ("Aegis").
        app: &'static str,
    },
    /// The export is damaged or not what its format promises.
    #[error("this {app} export is damaged: {detail}")]
    Corrupt {
        /// The app whose export it is, for messages ("Aegis").
        app: &'static str,
        /// What the importer found, in English.
        detail: String,
    },
    /// The file asks for more work or memory than an export can need (key
    /// derivation costs, inflated size, rows): refused before doing it.
    #[error("this {app} file asks for more work than Authdesk allows: {detail}")]
    TooCostly {
        /// The app whose export it is, for messages ("Aegis").
        app: &'static str,
        /// Which limit, and what the file asks.
        detail: String,
    },
}

impl crate::error::Kind for ImportError {
    /// The kinds `../shared/testdata/importers` expects.
    fn kind(&self) -> &'static str {
        match self {
            ImportError::EmptyFile => "empty_file",
            ImportError::UnknownFormat { .. } => "unknown_format",
            ImportError::NoSuchFormat(..) => "no_such_format",
            ImportError::PasswordNeeded { .. } => "password_needed",
            ImportError::WrongPassword { .. } => "wrong_password",
            ImportError::NoOtpData { .. } => "no_otp_data",
            ImportError::InvalidMigrationPayload(_) => "invalid_migration_payload",
            ImportError::UnsupportedEncryption { .. } => "unsupported_encryption",
            ImportError::EmptyArchive { .. } => "empty_archive",
            ImportError::Corrupt { .. } => "import_corrupt",
            ImportError::TooCostly { .. } => "too_costly",
        }
    }

    fn params(&self) -> crate::error::Params {
        let app = |app: &str| ("app", app.to_owned());
        match self {
            ImportError::EmptyFile => vec![],
            ImportError::UnknownFormat { tried } => vec![("tried", tried.clone())],
            ImportError::NoSuchFormat(id, known) => {
                vec![("tried", id.clone()), ("known", known.clone())]
            }
            ImportError::PasswordNeeded { app: a }
            | ImportError::WrongPassword { app: a }
            | ImportError::EmptyArchive { app: a } => vec![app(a)],
            ImportError::InvalidMigrationPayload(detail) => {
                vec![app("Google Authenticator"), ("reason", detail.clone())]
            }
            ImportError::NoOtpData { app: a, detail }
            | ImportError::UnsupportedEncryption { app: a, detail }
            | ImportError::Corrupt { app: a, detail }
            | ImportError::TooCostly { app: a, detail } => {
                vec![app(a), ("detail", detail.clone())]
            }
        }
    }
}

impl ImportError {
    pub(crate) fn corrupt(app: &'static str, detail: impl Into<String>) -> Self {
        ImportError::Corrupt {
            app,
            detail: detail.into(),
        }
    }

    pub(crate) fn too_costly(app: &'static str, detail: impl Into<String>) -> Self {
        ImportError::TooCostly {
            app,
            detail: detail.into(),
        }
    }
}

/// Every format, the most specific recognisers first.
pub fn importers() -> &'static [&'static dyn Importer] {
    &[
        // Java serialisation's magic.
        &freeotp::FreeOtp,
        // Zip and SQLite by their magic.
        &authenticator_plus::AuthenticatorPlusZip,
        &winauth::WinAuth,
        &google_db::GoogleDb,
        &microsoft::Microsoft,
        &stratum_db::StratumDb,
        // Damaged databases and other apps' say why instead of "unknown".
        &database::Unrecognised,
        // Android shared_prefs XML.
        &authy::Authy,
        &battlenet::BattleNet,
        // Also its backup, one base64 token: before the text formats.
        &totp_authenticator::TotpAuthenticator,
        // Recognised by its values, after the apps that have named keys.
        &freeotp::FreeOtpTokens,
        &aegis::Aegis,
        &twofas::TwoFas,
        &bitwarden::Bitwarden,
        &freeotp_plus::FreeOtpPlus,
        &simple::LastPass,
        &ente::Ente,
        &proton::Proton,
        &stratum::Stratum,
        &simple::Steam,
        &simple::Duo,
        &raivo::Raivo,
        &qr_image::QrImage,
        &bitwarden_csv::BitwardenCsv,
        &text::UriList,
        // Neither SQLCipher nor andOTP's encrypted files have a signature:
        // they see only what every format with one turned down. SQLCipher
        // first, since it demands whole 1024-byte pages.
        &authenticator_plus::AuthenticatorPlusDb,
        &andotp::AndOtp,
    ]
}

/// The importer for `--format NAME`.
pub fn by_id(id: &str) -> Result<&'static dyn Importer, ImportError> {
    importers()
        .iter()
        .copied()
        .find(|i| i.id().eq_ignore_ascii_case(id))
        .ok_or_else(|| {
            let all: Vec<&str> = importers().iter().map(|i| i.id()).collect();
            ImportError::NoSuchFormat(id.to_owned(), all.join(", "))
        })
}

/// The formats that recognise `bytes`, best first, and whether encrypted.
pub fn detect(bytes: &[u8]) -> Vec<(&'static dyn Importer, Detected)> {
    let file = Probe::new(bytes);
    importers()
        .iter()
        .filter_map(|i| i.recognise(&file).map(|d| (*i, d)))
        .collect()
}

/// A file being recognised. A dozen formats are JSON: the text is parsed
/// once for all of them, not once each (a 4 MB export took 20 ms a parse).
pub struct Probe<'a> {
    /// The file's bytes.
    pub bytes: &'a [u8],
    json: std::cell::OnceCell<Option<serde_json::Value>>,
}

impl<'a> Probe<'a> {
    /// A probe of `bytes`; nothing is parsed until a recogniser asks.
    pub fn new(bytes: &'a [u8]) -> Self {
        Probe {
            bytes,
            json: std::cell::OnceCell::new(),
        }
    }

    /// The file as JSON, if it is JSON.
    pub fn json(&self) -> Option<&serde_json::Value> {
        self.json.get_or_init(|| json(self.bytes)).as_ref()
    }
}

/// The result of [`import`]: the accounts and which format they came from.
#[derive(Debug)]
pub struct Outcome {
    /// The format's identifier ([`Format::id`]).
    pub format: &'static str,
    /// The app's name ([`Format::app`]).
    pub app: &'static str,
    /// The accounts, and those that could not be used.
    pub imported: Imported,
}

/// Imports `bytes`: in `format` when given, else in the first format that
/// recognises them.
pub fn import(
    bytes: &[u8],
    format: Option<&str>,
    password: Option<&SecretString>,
) -> Result<Outcome, ImportError> {
    let candidates: Vec<&'static dyn Importer> = match format {
        Some(id) => vec![by_id(id)?],
        None => detect(bytes).into_iter().map(|(i, _)| i).collect(),
    };
    import_as(bytes, &candidates, password)
}

/// Imports `bytes` as the first of `candidates` (from [`detect`], best
/// first) that opens them. Formats without a signature (SQLCipher, andOTP's
/// encrypted files) can both claim one file: a password that opens neither
/// as the first is tried on the next, and the first format's error stands
/// if none opens.
pub fn import_as(
    bytes: &[u8],
    candidates: &[&'static dyn Importer],
    password: Option<&SecretString>,
) -> Result<Outcome, ImportError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::EmptyFile);
    }
    if candidates.is_empty() {
        // Several importers read different files of one app: name each
        // app once.
        let mut tried: Vec<&str> = Vec::new();
        for app in importers().iter().map(|i| i.app()) {
            if !tried.contains(&app) {
                tried.push(app);
            }
        }
        return Err(ImportError::UnknownFormat {
            tried: tried.join(", "),
        });
    }
    let mut first_error = None;
    for importer in candidates {
        match importer.parse(bytes, password) {
            Ok(imported) => {
                return Ok(Outcome {
                    format: importer.id(),
                    app: importer.app(),
                    imported,
                });
            }
            Err(e @ ImportError::WrongPassword { .. }) => {
                first_error.get_or_insert(e);
            }
            Err(e) => return Err(first_error.unwrap_or(e)),
        }
    }
    Err(first_error.expect("a candidate was tried"))
}

/// A decrypted body that must be JSON; `what` names it in the message
/// ("vault", "backup", "export").
pub(crate) fn decrypted_json(
    app: &'static str,
    what: &str,
    plain: &[u8],
) -> Result<serde_json::Value, ImportError> {
    serde_json::from_slice(plain)
        .map_err(|e| ImportError::corrupt(app, format!("the decrypted {what} is not JSON ({e})")))
}

/// The file as JSON, if it is JSON.
pub(crate) fn json(bytes: &[u8]) -> Option<serde_json::Value> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).ok()
}

/// A JSON export's entries as [`Imported`], each through [`RawEntry`]: a bad
/// entry is skipped with its reason.
pub(crate) fn collect(raws: impl IntoIterator<Item = RawEntry>) -> Imported {
    let mut out = Imported::default();
    for mut raw in raws {
        let details = Details {
            tags: std::mem::take(&mut raw.tags),
            note: std::mem::take(&mut raw.note),
            pinned: raw.pinned,
            icon: raw.icon.take(),
        };
        match raw.into_entry() {
            Ok(e) => {
                out.entries.push(e);
                out.details.push(details);
            }
            Err(s) => out.skipped.push(s),
        }
    }
    out.settle_details();
    out
}

/// AES-256-GCM with a 12-byte nonce and the tag at the end of `sealed`, as
/// most exports use it. `None` when the key is wrong or the data altered:
/// GCM cannot tell the two apart.
pub(crate) fn aes256_gcm_open(
    key: &[u8],
    nonce: &[u8],
    sealed: &[u8],
) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    use aes_gcm::aead::{Aead, KeyInit};
    if nonce.len() != 12 {
        return None;
    }
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(key).ok()?;
    cipher
        .decrypt(aes_gcm::Nonce::from_slice(nonce), sealed)
        .ok()
        .map(zeroize::Zeroizing::new)
}

/// AES-256-CBC without padding removal, for formats that check the
/// plaintext themselves. `None` when the key or IV has the wrong length or
/// the data is not whole blocks (cut off).
pub(crate) fn aes256_cbc_decrypt(
    key: &[u8],
    iv: &[u8],
    data: &[u8],
) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    use cbc::cipher::{BlockDecryptMut, KeyIvInit, block_padding::NoPadding};
    let cipher = cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv).ok()?;
    let mut buf = zeroize::Zeroizing::new(data.to_vec());
    let n = cipher.decrypt_padded_mut::<NoPadding>(&mut buf).ok()?.len();
    buf.truncate(n);
    Some(buf)
}

/// `plain` without its PKCS#7 padding; `None` when the padding is not
/// valid, which without a MAC is how a wrong key usually shows.
pub(crate) fn strip_pkcs7(
    mut plain: zeroize::Zeroizing<Vec<u8>>,
) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    let pad = usize::from(*plain.last()?);
    if pad == 0 || pad > 16 || pad > plain.len() {
        return None;
    }
    let body = plain.len() - pad;
    if plain[body..].iter().any(|&b| usize::from(b) != pad) {
        return None;
    }
    plain.truncate(body);
    Some(plain)
}
