//! What the app does with the vault, without Tauri: the commands are thin
//! wrappers over this, and it is tested directly.
//!
//! `Session` holds the vault while unlocked, the undo stack and the HOTP
//! codes shown; each workflow keeps its own staging state in its module:
//! `add` (links, scans, the manual form), `import` (other apps' exports),
//! `backup` and `household` (backup files, restore, the household folder),
//! `transfer` (QR codes for a phone). Locking drops them all.
//!
//! Views sent to the web view never carry a secret; only
//! [`Session::reveal`] does, after the password is typed again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use authdesk_core::entry::{Entry, EntryId};
use authdesk_core::keychain;
use authdesk_core::otp::{Code, OtpType};
use authdesk_core::uri;
use authdesk_core::vault::{EntryChange, KdfParams, Vault};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::error::CmdError;

mod add;
mod autotype;
mod backup;
mod codes;
pub mod household;
mod icons;
mod import;
mod order;
mod transfer;
pub use add::{AddReport, ManualInput, PartsView, Preview, PreviewEntry, ScanReport, Skipped};
pub use autotype::ToType;
pub use backup::{BackupDone, BackupStatus, DeviceView, RestorePreview, SyncView};
pub use codes::{CodeView, Codes, Copied};
pub use icons::{
    BundledView, IconChoice, Picture, from_bytes as icon_from_bytes, from_file as icon_from_file,
    search as search_icons,
};
pub use import::{ImportFile, ImportPreview, export_format};
pub use order::PinnedItem;
pub use transfer::{LeftOutView, MigrationQr};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Status {
    pub vault_exists: bool,
    pub unlocked: bool,
    pub vault_path: String,
}

/// An account as the list shows it. No secret.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
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
    /// The icon field as stored (what Edit starts from).
    pub icon: Option<String>,
    /// What the card shows.
    pub picture: Picture,
    /// With an icon chosen: the logo "Automatic" would go back to, if any
    /// (Edit's preview).
    pub automatic_logo: Option<BundledView>,
    /// The account's tags, for the card and the tag filter.
    pub tags: Vec<String>,
    /// Its note ("" when none): searched and shown on the card.
    pub note: String,
    /// Kept on top of the list and in the tray menu.
    pub pinned: bool,
    /// Parts of window titles that mean this account (auto-type).
    pub windows: Vec<String>,
    /// Auto-type presses Enter after the code.
    pub type_enter: bool,
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
            picture: icons::picture(e),
            automatic_logo: icons::automatic_logo(e),
            tags: e.groups.clone(),
            note: e.note.clone(),
            pinned: e.pinned,
            windows: e.autotype.windows.clone(),
            type_enter: e.autotype.enter,
        }
    }
}

/// Only the fields the page sends change; a missing one is `None`.
#[derive(Debug, Clone, Deserialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS), ts(optional_fields))]
pub struct EntryEdit {
    pub issuer: Option<String>,
    pub account: Option<String>,
    /// `Some("")` makes it automatic again; else a colour, `si:<slug>` or a
    /// picture's data URL (`authdesk_core::icon`).
    pub icon: Option<String>,
    /// Code settings, each only if it changes ("SHA1", "SHA256", "SHA512").
    pub algorithm: Option<String>,
    pub digits: Option<u8>,
    pub period: Option<u32>,
    pub note: Option<String>,
    pub tags: Option<Vec<String>>,
    pub pinned: Option<bool>,
    pub windows: Option<Vec<String>>,
    pub type_enter: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
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

pub use authdesk_core::timestamp::now_ms;

/// The session as commands and background threads share it, with the lock
/// that keeps household rounds one at a time (see [`household`]).
pub struct Shared {
    session: std::sync::Mutex<Session>,
    /// One household round at a time (the poller, "Back up now", a password
    /// added or removed): two rounds at once could each write this device's
    /// backup, the later one from a copy taken under a household key that
    /// was revoked meanwhile. Never taken by lock or the idle timer.
    rounds: std::sync::Mutex<()>,
}

impl Shared {
    pub fn new(session: Session) -> Self {
        Self {
            session: std::sync::Mutex::new(session),
            rounds: std::sync::Mutex::new(()),
        }
    }

    /// A panic in one command must not brick the others: a poisoned lock
    /// still holds consistent data here (every mutation saves atomically).
    pub fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Held for a whole household round; see `rounds`.
    pub fn rounds(&self) -> std::sync::MutexGuard<'_, ()> {
        self.rounds.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub struct Session {
    vault_path: PathBuf,
    kdf: KdfParams,
    vault: Option<Vault>,
    /// Removed entries with their positions, newest last, for undo.
    trash: Vec<(Entry, usize)>,
    /// The HOTP code shown last per entry, so "copy" copies what is shown.
    hotp_shown: HashMap<EntryId, Code>,
    /// Accounts decoded from scans, waiting for "Add": their secrets never
    /// travel to the web view.
    scanned: add::Staged,
    /// A backup file being restored, and the household's last round.
    backup: backup::Staged,
    /// Another app's export being imported.
    importing: import::Staged,
    /// When each account was last used on this device (sort by recent use).
    usage: authdesk_core::order::Usage,
    pub last_activity: Instant,
}

fn parse_id(id: &str) -> Result<EntryId, CmdError> {
    id.parse().map_err(|_| CmdError::not_found())
}

/// The vault password typed again and checked against the vault file: what
/// a reveal or an export asks for. Checking costs one KDF run, as an unlock
/// does, so it happens without the session lock that codes, `lock` and the
/// idle timer need; only this type lets a reveal or an export go ahead.
pub struct Retyped(());

impl Retyped {
    pub fn check(vault_path: &Path, password: &SecretString) -> Result<Self, CmdError> {
        Vault::verify_password(vault_path, password)?;
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
            scanned: add::Staged::default(),
            backup: backup::Staged::default(),
            importing: import::Staged::default(),
            usage: Default::default(),
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
        self.usage = order::load_usage(&self.vault_path);
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

    /// "Forgot your password?": moves the locked vault file aside (never
    /// deleted; the user may remember the password later) so that a new
    /// vault can be made and a backup restored into it. The key this
    /// device remembered for it no longer fits anything and is forgotten.
    /// Where the old file now is.
    pub fn set_vault_aside(&mut self) -> Result<PathBuf, CmdError> {
        if self.is_unlocked() {
            return Err(CmdError::new(
                "unlocked",
                "the vault is unlocked: lock it first if you mean to start a new one",
            ));
        }
        let now = authdesk_core::timestamp::now_ms();
        let stamp = authdesk_core::timestamp::rfc3339(now - now.rem_euclid(1000)).replace(':', "-");
        let aside =
            authdesk_core::vault::fsio::set_aside(&self.vault_path, &stamp).map_err(|e| {
                CmdError::new(
                    "set_aside_failed",
                    format!(
                        "could not move the vault {} aside: {e}. Nothing was changed",
                        self.vault_path.display()
                    ),
                )
                .with("path", self.vault_path.display())
                .with("reason", e)
            })?;
        // Nothing to forget, or no keychain: the old key opens nothing now.
        let _ = keychain::forget(&self.vault_path);
        Ok(aside)
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
        match keychain::open_remembered(&self.vault_path)? {
            keychain::Remembered::Opened(v) => self.opened(*v, false).map(|()| true),
            keychain::Remembered::NotRemembered | keychain::Remembered::Rejected(_) => Ok(false),
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
        self.scanned = add::Staged::default();
        self.backup = backup::Staged::default();
        self.importing = import::Staged::default();
        self.usage = Default::default();
    }

    /// In the user's own order, pinned first (see [`Self::arranged`]).
    pub fn entries(&self) -> Result<Vec<EntryView>, CmdError> {
        self.arranged(authdesk_core::order::SortOrder::Manual)
    }

    pub fn update(&mut self, id: &str, edit: EntryEdit) -> Result<EntryView, CmdError> {
        let id = parse_id(id)?;
        let vault = self.vault_mut()?;
        let entry = vault.get(id).ok_or_else(CmdError::not_found)?;
        let mut otp = entry.data.otp;
        let autotype = (edit.windows.is_some() || edit.type_enter.is_some()).then(|| {
            authdesk_core::autotype::AutoType {
                windows: edit
                    .windows
                    .unwrap_or_else(|| entry.autotype.windows.clone()),
                enter: edit.type_enter.unwrap_or(entry.autotype.enter),
            }
        });
        let before = otp;
        if let Some(name) = &edit.algorithm {
            otp.algorithm = authdesk_core::Algorithm::parse(name).ok_or_else(|| {
                CmdError::new("invalid_algorithm", format!("unsupported algorithm {name}"))
                    .with("value", name)
            })?;
        }
        otp.digits = edit.digits.unwrap_or(otp.digits);
        otp.period = edit.period.unwrap_or(otp.period);
        let icon = edit.icon.map(|i| Some(i).filter(|s| !s.is_empty()));
        if let Some(Some(value)) = &icon {
            authdesk_core::icon::check(value)?;
        }
        let change = EntryChange {
            issuer: edit.issuer.map(|s| s.trim().to_owned()),
            account: edit.account.map(|s| s.trim().to_owned()),
            icon,
            otp: (otp != before).then_some(otp),
            note: edit.note,
            tags: edit.tags,
            pinned: edit.pinned,
            autotype,
        };
        if !vault.update(id, change)? {
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
        let qr_svg = transfer::qr_svg(&uri, qrcode::EcLevel::M)?;
        let reveal = Reveal {
            secret: entry.data.secret.to_base32().to_string(),
            uri: uri.to_string(),
            qr_svg,
        };
        self.last_activity = Instant::now();
        Ok(reveal)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const PASSWORD: &str = "test password";
    pub(crate) const SOLAR: &str = "otpauth://totp/Zonnepanelen:installateur%40voorbeeld.nl?secret=JBSWY3DPEHPK3PXP&issuer=Zonnepanelen";
    pub(crate) const METER: &str =
        "otpauth://totp/Warmtenet:fam?secret=KRSXG5CTMVRXEZLU&issuer=Warmtenet&period=60";

    /// A fresh vault, unlocked, with cheap key derivation.
    pub(crate) fn unlocked() -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Session::with_kdf(
            dir.path().join("vault.authdesk"),
            KdfParams::insecure_for_tests(),
        );
        s.create(SecretString::from(PASSWORD), false).unwrap();
        (dir, s)
    }

    #[test]
    fn a_locked_session_refuses_with_locked() {
        let (_dir, mut s) = unlocked();
        s.lock();
        assert_eq!(s.entries().unwrap_err().kind, "locked");
        assert_eq!(s.add_uri(SOLAR).unwrap_err().kind, "locked");
        assert_eq!(s.scan_texts(vec![SOLAR.into()]).unwrap_err().kind, "locked");
    }

    #[test]
    fn locking_drops_what_every_workflow_staged() {
        let (_dir, mut s) = unlocked();
        s.scan_texts(vec![SOLAR.into()]).unwrap();
        s.stage_backup("gezin.authdesk-backup".into(), vec![1, 2, 3])
            .unwrap();
        s.stage_import("codes.txt".into(), METER.as_bytes().to_vec())
            .unwrap();
        s.lock();
        s.unlock(SecretString::from(PASSWORD), false).unwrap();
        assert_eq!(s.add_scanned().unwrap_err().kind, "nothing_scanned");
        assert_eq!(s.staged_backup_copy().unwrap_err().kind, "nothing_staged");
        assert_eq!(s.staged_import().unwrap_err().kind, "nothing_staged_import");
        assert!(s.entries().unwrap().is_empty());
    }

    #[test]
    fn a_deleted_account_comes_back_in_its_place() {
        let (_dir, mut s) = unlocked();
        s.add_uri(SOLAR).unwrap();
        s.add_uri(METER).unwrap();
        let before = s.entries().unwrap();
        s.delete(&before[0].id).unwrap();
        assert_eq!(s.entries().unwrap().len(), 1);
        assert_eq!(s.undo_delete().unwrap(), Some(before[0].id.clone()));
        assert_eq!(s.entries().unwrap(), before);
        assert_eq!(s.undo_delete().unwrap(), None);
    }

    #[test]
    fn codes_are_those_of_the_period() {
        let (_dir, mut s) = unlocked();
        s.add_uri(METER).unwrap();
        let codes = s.codes(59_000).unwrap();
        let c = &codes.codes[0];
        assert_eq!((c.valid_from, c.valid_until), (Some(0), Some(60)));
        assert_eq!(c.code.len(), 6);
        assert_ne!(c.next.as_deref(), None);
    }
}
