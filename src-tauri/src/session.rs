//! What the app does with the vault, without Tauri: the commands are thin
//! wrappers over this, and it is tested directly.
//!
//! Views sent to the web view never carry a secret; only
//! [`Session::reveal`] does, after the password is typed again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use authdesk_core::entry::{Entry, EntryData, EntryId};
use authdesk_core::keychain;
use authdesk_core::otp::{Code, OtpParams, OtpType};
use authdesk_core::secret::parse_base32;
use authdesk_core::uri::{self, Parsed};
use authdesk_core::vault::{AddOutcome, EntryChange, KdfParams, Vault};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::CmdError;

pub mod household;
mod import;
pub use import::{ImportFile, ImportPreview, MAX_IMPORT_FILE};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Status {
    pub vault_exists: bool,
    pub unlocked: bool,
    pub vault_path: String,
}

/// An account as the list shows it. No secret.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EntryView {
    pub id: String,
    pub issuer: String,
    pub account: String,
    #[serde(rename = "type")]
    pub kind: OtpType,
    pub algorithm: &'static str,
    pub digits: u8,
    pub period: u32,
    pub counter: u64,
    pub icon: Option<String>,
}

impl From<&Entry> for EntryView {
    fn from(e: &Entry) -> Self {
        Self {
            id: e.id.to_string(),
            issuer: e.data.issuer.clone(),
            account: e.data.account.clone(),
            kind: e.data.otp.kind,
            algorithm: e.data.otp.algorithm.as_str(),
            digits: e.data.otp.digits,
            period: e.data.otp.period,
            counter: e.data.otp.counter,
            icon: e.icon.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CodeView {
    pub id: String,
    pub code: String,
    /// The code of the following period (TOTP/Steam), shown near the end.
    pub next: Option<String>,
    pub valid_from: Option<u64>,
    pub valid_until: Option<u64>,
    pub counter: Option<u64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Codes {
    /// Rust's clock, so the UI can count down without drifting from it.
    pub now_ms: u64,
    pub codes: Vec<CodeView>,
}

/// What adding would do, before anything is written.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PreviewEntry {
    pub issuer: String,
    pub account: String,
    #[serde(rename = "type")]
    pub kind: OtpType,
    pub algorithm: &'static str,
    pub digits: u8,
    pub period: u32,
    pub counter: u64,
    pub already_present: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Skipped {
    pub name: String,
    /// The broad reason, which the page words in the user's language.
    pub kind: &'static str,
    /// The detail, in English.
    pub reason: String,
}

impl From<&authdesk_core::migration::Skipped> for Skipped {
    fn from(s: &authdesk_core::migration::Skipped) -> Self {
        Skipped {
            name: s.name.clone(),
            kind: s.kind.as_str(),
            reason: s.reason.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Preview {
    pub entries: Vec<PreviewEntry>,
    pub skipped: Vec<Skipped>,
    /// Google Authenticator exports: (1-based index, size).
    pub batch: Option<(i32, i32)>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PartsView {
    /// 1-based part numbers.
    pub scanned: Vec<i32>,
    pub size: i32,
}

/// What an image held: authenticator accounts (as a preview) and the
/// texts of any other QR codes.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ScanReport {
    pub preview: Preview,
    /// The parts of a multi-QR Google Authenticator export scanned so far.
    pub parts: Option<PartsView>,
    pub other: Vec<String>,
    pub codes: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AddReport {
    pub added: Vec<String>,
    pub already_present: Vec<String>,
    pub skipped: Vec<Skipped>,
}

/// The "Unable to scan?" form.
#[derive(Debug, Clone, Deserialize)]
pub struct ManualInput {
    pub issuer: String,
    pub account: String,
    pub secret: String,
    #[serde(rename = "type")]
    pub kind: OtpType,
    pub algorithm: String,
    pub digits: u8,
    pub period: u32,
    pub counter: u64,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct EntryEdit {
    pub issuer: Option<String>,
    pub account: Option<String>,
    /// `Some("")` removes the icon.
    pub icon: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupDone {
    pub path: String,
    pub accounts: usize,
    /// The household's backups merged on the way, and what they changed.
    pub sync: SyncView,
}

/// The last household-folder round, for the Backup screen.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SyncView {
    pub at_ms: u64,
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
pub struct DeviceView {
    pub name: String,
    pub last_backup_ms: i64,
    pub accounts: usize,
    pub this_device: bool,
    /// No backup for over 30 days.
    pub stale: bool,
}

impl SyncView {
    fn of(done: &authdesk_core::backup::household::FolderSync) -> Self {
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
                    stale: d.is_stale(now_ms() as i64),
                })
                .collect(),
            warnings: done.warnings.clone(),
            error: None,
        }
    }
}

/// Where this vault's backups stand.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct BackupStatus {
    pub folder: String,
    /// The vault holds the household key: backups are automatic.
    pub joined: bool,
    /// How many passwords open the household's backups.
    pub passwords: usize,
    /// When this device's backup in the folder was made.
    pub last_backup_ms: Option<i64>,
    /// It holds everything the vault holds.
    pub current: bool,
    /// This device's name in the household (the host name until renamed).
    pub device_name: String,
    /// "none": there is no backup; "stale": the last one is older than the
    /// newest change and writing it failed. `None`: nothing to remind.
    pub reminder: Option<&'static str>,
    pub last_sync: Option<SyncView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RestorePreview {
    /// The file's name.
    pub name: String,
    pub device: String,
    pub created_ms: i64,
    pub accounts: usize,
    pub report: authdesk_core::backup::RestoreReport,
}

/// QR codes holding secrets, for a phone's camera; wiped when dropped,
/// right after the reply is serialized.
#[derive(Serialize)]
pub struct MigrationQr {
    pub codes: Vec<String>,
    /// Accounts the format cannot carry, by name, with the reason.
    pub left_out: Vec<LeftOutView>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LeftOutView {
    pub name: String,
    /// "period", "digits", "steam" or "counter", for the UI's wording.
    pub kind: &'static str,
    pub value: Option<u32>,
    /// The English sentence, for logs and tests.
    pub reason: String,
}

impl Drop for MigrationQr {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.codes.iter_mut().for_each(Zeroize::zeroize);
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Reveal {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

impl Drop for Reveal {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.secret.zeroize();
        self.uri.zeroize();
        self.qr_svg.zeroize();
    }
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

pub struct Session {
    vault_path: PathBuf,
    kdf: KdfParams,
    vault: Option<Vault>,
    /// Removed entries with their positions, newest last, for undo.
    trash: Vec<(Entry, usize)>,
    /// The HOTP code shown last per entry, so "copy" copies what is shown.
    hotp_shown: HashMap<EntryId, Code>,
    /// Accounts decoded from the last scanned image, waiting for "Add":
    /// their secrets never travel to the web view.
    pending: Vec<EntryData>,
    pending_skipped: Vec<Skipped>,
    /// A backup file chosen or dropped for restoring, until it is opened.
    staged_backup: Option<(String, Vec<u8>)>,
    /// An opened backup's entries, previewed and waiting for "Restore".
    pending_restore: Option<Vec<authdesk_core::Entry>>,
    /// Another app's export chosen or dropped on the Import screen.
    staged_import: Option<(String, Vec<u8>)>,
    /// Its accounts, previewed and waiting for "Import".
    pending_import: Option<import::Pending>,
    /// The household folder's last round, shown on the Backup screen.
    last_sync: Option<SyncView>,
    /// A Google Authenticator export in several QR codes, while its parts
    /// are being scanned one after another.
    parts: Option<Parts>,
    pub last_activity: Instant,
}

struct Parts {
    id: i32,
    size: i32,
    seen: std::collections::BTreeSet<i32>,
}

fn parse_id(id: &str) -> Result<EntryId, CmdError> {
    id.parse().map_err(|_| CmdError::not_found())
}

fn skipped_of(list: &[authdesk_core::migration::Skipped]) -> Vec<Skipped> {
    list.iter().map(Skipped::from).collect()
}

fn preview_of(v: Option<&Vault>, e: &EntryData) -> PreviewEntry {
    PreviewEntry {
        issuer: e.issuer.clone(),
        account: e.account.clone(),
        kind: e.otp.kind,
        algorithm: e.otp.algorithm.as_str(),
        digits: e.otp.digits,
        period: e.otp.period,
        counter: e.otp.counter,
        already_present: v.is_some_and(|v| v.entries().iter().any(|x| x.data.same_account(e))),
    }
}

fn qr_svg(text: &str, level: qrcode::EcLevel) -> Result<String, CmdError> {
    let qr = qrcode::QrCode::with_error_correction_level(text.as_bytes(), level)
        .map_err(|e| CmdError::new("qr_failed", e.to_string()))?;
    Ok(qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

/// The vault password typed again and checked against the vault file: what
/// a reveal or an export asks for. Checking costs one KDF run, as an unlock
/// does, so it happens without the session lock that codes, `lock` and the
/// idle timer need; only this type lets a reveal or an export go ahead.
pub struct Retyped(());

impl Retyped {
    pub fn check(vault_path: &Path, password: &SecretString) -> Result<Self, CmdError> {
        Vault::open(vault_path, password)?;
        Ok(Retyped(()))
    }
}

impl Session {
    pub fn new(vault_path: PathBuf) -> Self {
        Self::with_kdf(vault_path, KdfParams::default())
    }

    /// Tests use cheap KDF parameters for new vaults.
    pub fn with_kdf(vault_path: PathBuf, kdf: KdfParams) -> Self {
        Self {
            vault_path,
            kdf,
            vault: None,
            trash: Vec::new(),
            hotp_shown: HashMap::new(),
            pending: Vec::new(),
            pending_skipped: Vec::new(),
            staged_backup: None,
            last_sync: None,
            pending_restore: None,
            staged_import: None,
            pending_import: None,
            parts: None,
            last_activity: Instant::now(),
        }
    }

    pub fn vault_path(&self) -> &Path {
        &self.vault_path
    }

    pub fn is_unlocked(&self) -> bool {
        self.vault.is_some()
    }

    pub fn status(&self) -> Status {
        Status {
            vault_exists: self.vault_path.exists(),
            unlocked: self.is_unlocked(),
            vault_path: self.vault_path.display().to_string(),
        }
    }

    /// Whether this device remembers the vault key. Asked only by the
    /// settings screen: each keychain query opens a Secret Service session,
    /// which start-up should not wait for.
    pub fn remembered(&self) -> bool {
        self.vault_path.exists() && matches!(keychain::recall(&self.vault_path), Ok(Some(_)))
    }

    fn vault(&self) -> Result<&Vault, CmdError> {
        self.vault.as_ref().ok_or_else(CmdError::locked)
    }

    fn vault_mut(&mut self) -> Result<&mut Vault, CmdError> {
        self.vault.as_mut().ok_or_else(CmdError::locked)
    }

    fn opened(&mut self, vault: Vault, remember: bool) -> Result<(), CmdError> {
        if remember {
            keychain::remember(&self.vault_path, vault.key())?;
        }
        self.vault = Some(vault);
        self.last_activity = Instant::now();
        Ok(())
    }

    pub fn create(&mut self, password: SecretString, remember: bool) -> Result<(), CmdError> {
        let vault = Vault::create(&self.vault_path, &password, self.kdf)?;
        self.opened(vault, remember)
    }

    pub fn unlock(&mut self, password: SecretString, remember: bool) -> Result<(), CmdError> {
        let vault = Vault::open(&self.vault_path, &password)?;
        self.opened(vault, remember)
    }

    /// Where the vault is, and how new ones are derived: for opening or
    /// creating it without holding the session (Argon2 takes a while).
    pub fn vault_path_and_kdf(&self) -> (PathBuf, KdfParams) {
        (self.vault_path.clone(), self.kdf)
    }

    /// Takes a vault opened (or created) without the session lock.
    pub fn opened_elsewhere(&mut self, vault: Vault, remember: bool) -> Result<(), CmdError> {
        self.opened(vault, remember)
    }

    /// Unlocks with the key remembered on this device; `false` when there
    /// is none (or it no longer fits), so the UI asks for the password.
    pub fn unlock_with_keychain(&mut self) -> Result<bool, CmdError> {
        if self.is_unlocked() {
            return Ok(true);
        }
        if !self.vault_path.exists() {
            return Ok(false);
        }
        let Ok(Some(key)) = keychain::recall(&self.vault_path) else {
            return Ok(false);
        };
        match Vault::open_with_key(&self.vault_path, key) {
            Ok(v) => self.opened(v, false).map(|()| true),
            Err(authdesk_core::vault::OpenError::KeyRejected { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    pub fn set_remember(&mut self, remember: bool) -> Result<(), CmdError> {
        if remember {
            let key = self.vault()?.key().clone();
            keychain::remember(&self.vault_path, &key)?;
        } else {
            keychain::forget(&self.vault_path)?;
        }
        Ok(())
    }

    /// Forgets everything decrypted.
    pub fn lock(&mut self) {
        self.vault = None;
        self.trash.clear();
        self.hotp_shown.clear();
        self.forget_scan();
        self.forget_backup();
        self.forget_import();
        self.last_sync = None;
    }

    fn forget_backup(&mut self) {
        self.staged_backup = None;
        self.pending_restore = None;
    }

    fn forget_scan(&mut self) {
        self.pending.clear();
        self.pending_skipped.clear();
        self.parts = None;
    }

    pub fn entries(&self) -> Result<Vec<EntryView>, CmdError> {
        Ok(self
            .vault()?
            .entries()
            .iter()
            .map(EntryView::from)
            .collect())
    }

    /// Codes of every time-based entry at `now_ms`.
    pub fn codes(&self, now_ms: u64) -> Result<Codes, CmdError> {
        let now = now_ms / 1000;
        let mut codes = Vec::new();
        for e in self.vault()?.entries() {
            if e.data.otp.kind == OtpType::Hotp {
                if let Some(c) = self.hotp_shown.get(&e.id) {
                    codes.push(CodeView {
                        id: e.id.to_string(),
                        code: c.as_str().to_owned(),
                        next: None,
                        valid_from: None,
                        valid_until: None,
                        counter: c.counter,
                    });
                }
                continue;
            }
            let Ok(code) = e.data.time_code(now) else {
                continue;
            };
            let next = code
                .valid_until
                .and_then(|u| e.data.time_code(u).ok())
                .map(|c| c.as_str().to_owned());
            codes.push(CodeView {
                id: e.id.to_string(),
                code: code.as_str().to_owned(),
                next,
                valid_from: code.valid_from,
                valid_until: code.valid_until,
                counter: None,
            });
        }
        Ok(Codes { now_ms, codes })
    }

    pub fn next_hotp(&mut self, id: &str) -> Result<CodeView, CmdError> {
        let id = parse_id(id)?;
        let vault = self.vault_mut()?;
        // From the counter on disk, saved before it is shown: a code is never
        // handed out twice, whatever the CLI or a household round do.
        let code = vault
            .issue_hotp(id)
            .ok_or_else(CmdError::not_found)?
            .map_err(|e| match e {
                authdesk_core::vault::IssueError::Code(c) => CmdError::from(c),
                authdesk_core::vault::IssueError::Save(s) => CmdError::from(s),
            })?;
        let view = CodeView {
            id: id.to_string(),
            code: code.as_str().to_owned(),
            next: None,
            valid_from: None,
            valid_until: None,
            counter: code.counter,
        };
        self.hotp_shown.insert(id, code);
        self.last_activity = Instant::now();
        Ok(view)
    }

    pub fn preview_uri(&self, text: &str) -> Result<Preview, CmdError> {
        Ok(self.preview_parsed(&uri::parse(text)?))
    }

    fn preview_parsed(&self, parsed: &Parsed) -> Preview {
        let v = self.vault.as_ref();
        match parsed {
            Parsed::Single(e) => Preview {
                entries: vec![preview_of(v, e)],
                skipped: vec![],
                batch: None,
            },
            Parsed::Migration(b) => Preview {
                entries: b.entries.iter().map(|e| preview_of(v, e)).collect(),
                skipped: skipped_of(&b.skipped),
                batch: (b.batch_size > 1).then_some((b.batch_index + 1, b.batch_size)),
            },
        }
    }

    fn add_all(
        &mut self,
        entries: Vec<EntryData>,
        skipped: Vec<Skipped>,
    ) -> Result<AddReport, CmdError> {
        let vault = self.vault_mut()?;
        let mut report = AddReport {
            added: vec![],
            already_present: vec![],
            skipped,
        };
        for e in entries {
            match vault.add(e) {
                AddOutcome::Added(id) => report.added.push(id.to_string()),
                AddOutcome::AlreadyPresent(id) => report.already_present.push(id.to_string()),
            }
        }
        vault.save()?;
        self.last_activity = Instant::now();
        Ok(report)
    }

    pub fn add_uri(&mut self, text: &str) -> Result<AddReport, CmdError> {
        self.vault()?;
        let parsed = uri::parse(text)?;
        let skipped = match &parsed {
            Parsed::Migration(b) => skipped_of(&b.skipped),
            Parsed::Single(_) => vec![],
        };
        self.add_all(parsed.into_entries(), skipped)
    }

    /// The QR texts found in an image or on the screen: authenticator codes
    /// become a preview (and wait in the session for [`add_scanned`]);
    /// other codes are reported by their text so the user sees what was
    /// found. The parts of a multi-QR Google Authenticator export add up
    /// across scans, each account once; any other authenticator code
    /// starts afresh.
    pub fn scan_texts(&mut self, texts: Vec<String>) -> Result<ScanReport, CmdError> {
        self.vault()?;
        let codes = texts.len();
        let mut other = Vec::new();
        let mut parsed = Vec::new();
        for text in texts {
            match uri::parse(&text) {
                Ok(p) => parsed.push(p),
                Err(uri::UriError::NotOtpauth { found }) => other.push(found),
                Err(e) => return Err(e.into()),
            }
        }
        let next_part = |p: &Parsed, parts: &Option<Parts>| match (p, parts) {
            (Parsed::Migration(b), Some(parts)) => b.batch_size > 1 && b.batch_id == parts.id,
            _ => false,
        };
        // A scan that found no account leaves the parts scanned so far.
        if !parsed.is_empty() && !parsed.iter().all(|p| next_part(p, &self.parts)) {
            self.forget_scan();
        }
        for p in parsed {
            if let Parsed::Migration(b) = &p {
                if b.batch_size > 1 {
                    let parts = self.parts.get_or_insert_with(|| Parts {
                        id: b.batch_id,
                        size: b.batch_size,
                        seen: Default::default(),
                    });
                    parts.seen.insert(b.batch_index + 1);
                }
                for s in skipped_of(&b.skipped) {
                    if !self.pending_skipped.contains(&s) {
                        self.pending_skipped.push(s);
                    }
                }
            }
            for e in p.into_entries() {
                if !self.pending.iter().any(|q| q.same_account(&e)) {
                    self.pending.push(e);
                }
            }
        }
        let v = self.vault.as_ref();
        Ok(ScanReport {
            preview: Preview {
                entries: self.pending.iter().map(|e| preview_of(v, e)).collect(),
                skipped: self.pending_skipped.clone(),
                batch: None,
            },
            parts: self.parts.as_ref().map(|p| PartsView {
                scanned: p.seen.iter().copied().collect(),
                size: p.size,
            }),
            other,
            codes,
        })
    }

    /// Adds what the last scan found.
    pub fn add_scanned(&mut self) -> Result<AddReport, CmdError> {
        let entries = std::mem::take(&mut self.pending);
        self.forget_scan();
        if entries.is_empty() {
            return Err(CmdError::new("nothing_scanned", "scan an image first"));
        }
        self.add_all(entries, vec![])
    }

    fn manual_entry(input: &ManualInput) -> Result<EntryData, CmdError> {
        let secret = parse_base32(&input.secret)?;
        let mut otp = match input.kind {
            OtpType::Totp => OtpParams::totp(),
            OtpType::Hotp => OtpParams::hotp(input.counter),
            OtpType::Steam => OtpParams::steam(),
        };
        if input.kind != OtpType::Steam {
            otp.algorithm = authdesk_core::Algorithm::parse(&input.algorithm).ok_or_else(|| {
                CmdError::new(
                    "invalid_algorithm",
                    format!("unsupported algorithm {}", input.algorithm),
                )
                .with("value", &input.algorithm)
            })?;
            otp.digits = input.digits;
            otp.period = input.period;
        }
        otp.validate()?;
        Ok(EntryData {
            issuer: input.issuer.trim().to_owned(),
            account: input.account.trim().to_owned(),
            secret,
            otp,
        })
    }

    pub fn preview_manual(&self, input: &ManualInput) -> Result<PreviewEntry, CmdError> {
        let e = Self::manual_entry(input)?;
        Ok(preview_of(self.vault.as_ref(), &e))
    }

    pub fn add_manual(&mut self, input: &ManualInput) -> Result<AddReport, CmdError> {
        let e = Self::manual_entry(input)?;
        self.add_all(vec![e], vec![])
    }

    pub fn update(&mut self, id: &str, edit: EntryEdit) -> Result<EntryView, CmdError> {
        let id = parse_id(id)?;
        let vault = self.vault_mut()?;
        let change = EntryChange {
            issuer: edit.issuer.map(|s| s.trim().to_owned()),
            account: edit.account.map(|s| s.trim().to_owned()),
            icon: edit.icon.map(|i| Some(i).filter(|s| !s.is_empty())),
        };
        if !vault.update(id, change) {
            return Err(CmdError::not_found());
        }
        vault.save()?;
        self.last_activity = Instant::now();
        Ok(EntryView::from(
            self.vault()?.get(id).expect("updated entry"),
        ))
    }

    pub fn delete(&mut self, id: &str) -> Result<(), CmdError> {
        let id = parse_id(id)?;
        let vault = self.vault_mut()?;
        let pos = vault
            .entries()
            .iter()
            .position(|e| e.id == id)
            .ok_or_else(CmdError::not_found)?;
        let removed = vault.remove(id).expect("position found");
        vault.save()?;
        self.hotp_shown.remove(&id);
        self.trash.push((removed, pos));
        self.last_activity = Instant::now();
        Ok(())
    }

    /// Puts back the most recently deleted entry; its id, if any.
    pub fn undo_delete(&mut self) -> Result<Option<String>, CmdError> {
        self.vault()?;
        let Some((entry, pos)) = self.trash.pop() else {
            return Ok(None);
        };
        let id = entry.id.to_string();
        let vault = self.vault_mut()?;
        vault.restore(entry, Some(pos));
        vault.save()?;
        Ok(Some(id))
    }

    pub fn reorder(&mut self, ids: &[String]) -> Result<(), CmdError> {
        let ids: Vec<EntryId> = ids.iter().filter_map(|i| i.parse().ok()).collect();
        let vault = self.vault_mut()?;
        vault.reorder(&ids);
        vault.save()?;
        Ok(())
    }

    pub fn sort(&mut self) -> Result<Vec<EntryView>, CmdError> {
        let vault = self.vault_mut()?;
        vault.sort_by_name();
        vault.save()?;
        self.entries()
    }

    /// The vault file's path while unlocked: what [`Retyped::check`]
    /// checks a password against, without the session lock.
    pub fn unlocked_vault_path(&self) -> Result<PathBuf, CmdError> {
        self.vault()?;
        Ok(self.vault_path.clone())
    }

    /// The secret, its URI and a QR code, after the password is typed again.
    pub fn reveal(&mut self, id: &str, _password: Retyped) -> Result<Reveal, CmdError> {
        let id = parse_id(id)?;
        let entry = self.vault()?.get(id).ok_or_else(CmdError::not_found)?;
        let uri = uri::to_otpauth(&entry.data);
        let qr_svg = qr_svg(&uri, qrcode::EcLevel::M)?;
        let reveal = Reveal {
            secret: entry.data.secret.to_base32().to_string(),
            uri: uri.to_string(),
            qr_svg,
        };
        self.last_activity = Instant::now();
        Ok(reveal)
    }

    /// Google Authenticator "Transfer accounts" QR codes for the chosen
    /// accounts (all when `ids` is empty), for moving them to a phone;
    /// only with the password typed again, as for a reveal.
    pub fn export_migration(
        &mut self,
        ids: &[String],
        _password: Retyped,
    ) -> Result<MigrationQr, CmdError> {
        let ids = ids
            .iter()
            .map(|i| parse_id(i))
            .collect::<Result<Vec<_>, _>>()?;
        let vault = self.vault()?;
        let chosen = vault
            .entries()
            .iter()
            .filter(|e| ids.is_empty() || ids.contains(&e.id))
            .map(|e| &e.data);
        let export = authdesk_core::migration::export(chosen);
        // Large batches need more room than error correction level M leaves.
        let codes = export
            .uris
            .iter()
            .map(|u| qr_svg(u, qrcode::EcLevel::L))
            .collect::<Result<Vec<_>, _>>()?;
        self.last_activity = Instant::now();
        Ok(MigrationQr {
            codes,
            left_out: export
                .left_out
                .iter()
                .map(|l| {
                    use authdesk_core::migration::NotExportable as N;
                    LeftOutView {
                        name: l.name.clone(),
                        kind: l.why.kind(),
                        value: match l.why {
                            N::Period(p) => Some(p),
                            N::Digits(d) => Some(u32::from(d)),
                            N::Steam | N::Counter => None,
                        },
                        reason: l.why.to_string(),
                    }
                })
                .collect(),
        })
    }

    /// Names this device for the household (an empty name goes back to the
    /// host name); the name now shown. The next round rewrites its backup.
    pub fn set_device_name(&mut self, name: &str) -> Result<String, CmdError> {
        let vault = self.vault_mut()?;
        let device = vault
            .contents_mut()
            .device
            .get_or_insert_with(Default::default);
        device.rename(name, now_ms() as i64);
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
        let failed = self.last_sync.as_ref().is_some_and(|s| s.error.is_some());
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
            passwords: contents.household.as_ref().map_or(0, |k| k.slots.len()),
            last_backup_ms: own.map(|(created, _)| created),
            current,
            reminder,
            last_sync: self.last_sync.clone(),
        }
    }

    /// Another household member's password for the next backups.
    /// A backup file's bytes, waiting for its password.
    pub fn stage_backup(&mut self, name: String, bytes: Vec<u8>) -> Result<(), CmdError> {
        self.vault()?;
        self.forget_backup();
        self.staged_backup = Some((name, bytes));
        Ok(())
    }

    /// A copy of the staged backup's name and bytes, to open without the
    /// session lock.
    pub fn staged_backup_copy(&self) -> Result<(String, Vec<u8>), CmdError> {
        self.vault()?;
        self.staged_backup
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
        self.pending_restore = Some(backup.entries);
        self.last_activity = Instant::now();
        Ok(preview)
    }

    /// Restores the previewed backup: a merge that adds and updates, never
    /// removes.
    pub fn apply_restore(&mut self) -> Result<authdesk_core::backup::RestoreReport, CmdError> {
        let entries = self
            .pending_restore
            .take()
            .ok_or_else(|| CmdError::new("nothing_staged", "choose a backup file first"))?;
        self.staged_backup = None;
        let vault = self.vault_mut()?;
        let report = authdesk_core::backup::restore(vault.contents_mut(), &entries);
        if report.changes_anything() {
            vault.save()?;
        }
        self.last_activity = Instant::now();
        Ok(report)
    }

    /// The code to put on the clipboard: the current TOTP/Steam code, or
    /// the HOTP code shown last.
    pub fn code_for_copy(&mut self, id: &str, now_ms: u64) -> Result<Zeroizing<String>, CmdError> {
        let id = parse_id(id)?;
        let entry = self.vault()?.get(id).ok_or_else(CmdError::not_found)?;
        let code = if entry.data.otp.kind == OtpType::Hotp {
            self.hotp_shown
                .get(&id)
                .map(|c| c.as_str().to_owned())
                .ok_or_else(|| CmdError::new("no_code_yet", "press Next code first"))?
        } else {
            entry.data.time_code(now_ms / 1000)?.as_str().to_owned()
        };
        self.last_activity = Instant::now();
        Ok(Zeroizing::new(code))
    }
}
