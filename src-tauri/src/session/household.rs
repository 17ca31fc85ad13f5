//! The household folder's rounds, run so that the session lock is never
//! held across folder I/O or a key derivation: `get_codes`, `lock` and the
//! idle timer take that lock, and a hung network folder or a 1 GiB Argon2
//! must not delay them.
//!
//! A round takes a copy of the vault's contents under the lock, merges the
//! folder into the copy without it ([`household::gather`]), folds the
//! result back and saves under the lock (local disk only), then writes
//! this device's backup without it ([`household::finish`]). A vault locked
//! meanwhile ends the round: nothing is written from a locked session.

use std::path::Path;

use authdesk_core::backup::HouseholdKey;
use authdesk_core::backup::household::{self, FolderSync, SyncError};
use authdesk_core::vault::{Contents, KdfParams};
use secrecy::SecretString;

use super::{Session, Shared, SyncView, now_ms};
use crate::error::CmdError;

impl Session {
    /// A copy of the contents for a round (a device id is drawn and saved
    /// first); `None` while locked or before the vault joined a household.
    fn round_copy(&mut self) -> Result<Option<Contents>, CmdError> {
        let Some(vault) = self.vault.as_mut() else {
            return Ok(None);
        };
        if vault.contents().household.is_none() {
            return Ok(None);
        }
        if vault.contents().device.is_none() {
            vault.contents_mut().device = Some(authdesk_core::device::Device::new());
            vault.save()?;
        }
        Ok(Some(vault.contents().clone()))
    }

    /// Folds a round's merge into the vault and saves it when it changed;
    /// what this device's backup must hold now, or `None` when the vault
    /// was locked meanwhile.
    fn fold_round(
        &mut self,
        merged: Contents,
        before: &Contents,
    ) -> Result<Option<Contents>, CmdError> {
        let Some(vault) = self.vault.as_mut() else {
            return Ok(None);
        };
        if merged != *before {
            vault.merge_in(merged);
            vault.save()?;
        }
        Ok(Some(vault.contents().clone()))
    }

    /// Keeps a round's outcome, error included, for the Backup screen.
    fn record(&mut self, done: Result<FolderSync, SyncError>) -> Result<SyncView, CmdError> {
        match done {
            Ok(done) => {
                let view = SyncView::of(&done);
                self.backup.last_sync = Some(view.clone());
                Ok(view)
            }
            Err(e) => {
                let err = CmdError::from(e);
                self.backup.last_sync = Some(SyncView {
                    at_ms: now_ms(),
                    error: Some(err.clone()),
                    ..SyncView::default()
                });
                Err(err)
            }
        }
    }

    /// Whether "Back up now" needs the household password first.
    fn needs_join(&self) -> Result<bool, CmdError> {
        Ok(self.vault()?.contents().household.is_none())
    }
}

/// One household round (merge the folder, save, write this device's backup
/// when needed) without holding the session lock across folder I/O;
/// `None` when the vault is locked or has not joined.
pub fn round(state: &Shared, folder: &Path, keep: usize) -> Result<Option<SyncView>, CmdError> {
    let _one = state.rounds();
    round_held(state, folder, keep)
}

/// [`round`], for a caller that holds `state.rounds()` already.
fn round_held(state: &Shared, folder: &Path, keep: usize) -> Result<Option<SyncView>, CmdError> {
    let Some(mut copy) = state.session().round_copy()? else {
        return Ok(None);
    };
    let before = copy.clone();
    let gathered = household::gather(&mut copy, folder, None);
    let gathered = match gathered {
        Ok(g) => g,
        Err(e) => return state.session().record(Err(e)).map(Some),
    };
    let Some(now) = state.session().fold_round(copy, &before)? else {
        return Ok(None);
    };
    let done = household::finish(gathered, &now, folder, keep);
    drop(now);
    state.session().record(done).map(Some)
}

/// "Back up now": joins the folder's household first if the vault has not
/// (the password opens the backups there, or starts the household; the
/// key derivation runs without the session lock), then runs a round.
pub fn back_up_now(
    state: &Shared,
    folder: &Path,
    password: Option<SecretString>,
    name: &str,
    keep: usize,
) -> Result<Option<SyncView>, CmdError> {
    let _one = state.rounds();
    let needs_join = state.session().needs_join()?;
    // Joined already, a password typed: rejoin, as after the household's
    // key changed on another device (a password was removed there).
    if needs_join || password.is_some() {
        let password = password.ok_or_else(|| {
            CmdError::new("password_required", "type the household backup password")
        })?;
        let kdf = state.session().kdf;
        // A password that starts a household guards files others can
        // reach and must reach the strength floor; one that joins an
        // existing household is the household's already.
        let weak = authdesk_core::password::check_file_password(
            secrecy::ExposeSecret::expose_secret(&password),
        )
        .err();
        if let Some(weak) = &weak
            && household::folder::list(folder).is_ok_and(|l| l.backups.is_empty())
        {
            return Err(weak.clone().into());
        }
        let mut joined = Contents::default();
        let how = household::join(&mut joined, folder, &password, kdf)?;
        if let Some(weak) = weak
            && how == household::Joined::Started
        {
            // The folder's backups were all unreadable: nothing is kept.
            return Err(weak.into());
        }
        if let Some(key) = joined.household.as_mut() {
            // The password typed is the typist's own: it names its slot
            // (the household's first, or an unnamed one it joins with).
            key.name_own(&password, name);
        }
        let mut session = state.session();
        let vault = session.vault_mut()?;
        let newer = match (&vault.contents().household, &joined.household) {
            (None, _) => true,
            (Some(ours), Some(theirs)) => theirs.slots_changed > ours.slots_changed,
            (Some(_), None) => false,
        };
        if newer {
            vault.contents_mut().household = joined.household.take();
            vault.save()?;
        }
    }
    round_held(state, folder, keep)
}

/// What removing a household password did.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Revoked {
    /// The household has a new key (the removal was for good).
    pub new_key: bool,
    /// Other members' passwords that must be added again (the new key
    /// cannot be sealed with passwords nobody typed).
    pub other_passwords_dropped: usize,
    /// History files the removed password could open, deleted.
    pub history_dropped: usize,
}

/// Removes household password `index`, which the list showed as `name`.
/// Without `keep`: the slot is dropped, and that password opens no backup
/// written from now on. With `keep` (the user's own household password):
/// for good, as [`HouseholdKey::revoke`]: a new key, the history the
/// removed password opens deleted, and this device's backup written under
/// the new key. Argon2 and the folder run without the session lock.
pub fn remove_password(
    state: &Shared,
    folder: Option<&Path>,
    index: usize,
    name: &str,
    keep: Option<SecretString>,
    keep_backups: usize,
) -> Result<Revoked, CmdError> {
    // No round may write under the old key once the new one is in place.
    let _one = state.rounds();
    let Some(keep) = keep else {
        change_key(state, |key, _| {
            shown_as(key, index, name)?;
            Ok(key.remove_slot(index)?)
        })?;
        if let Some(folder) = folder {
            round_held(state, folder, keep_backups)?;
        }
        return Ok(Revoked::default());
    };
    let (other_passwords_dropped, old) = change_key(state, |key, kdf| {
        shown_as(key, index, name)?;
        Ok(key.revoke(index, &[keep], kdf)?)
    })?;
    let mut history_dropped = 0;
    if let Some(folder) = folder {
        history_dropped = household::drop_history_of(&old, folder).map_err(|e| {
            let msg = format!(
                "the password was removed, but the old history in {} could not be deleted: {e}",
                folder.display()
            );
            CmdError::new("backup_folder", msg)
        })?;
        round_held(state, folder, keep_backups)?;
    }
    Ok(Revoked {
        new_key: true,
        other_passwords_dropped,
        history_dropped,
    })
}

/// Names household password `index` (shown as `was`) for everyone's list.
pub fn rename_password(
    state: &Shared,
    index: usize,
    was: &str,
    name: &str,
) -> Result<(), CmdError> {
    let _one = state.rounds();
    change_key(state, |key, _| {
        shown_as(key, index, was)?;
        Ok(key.rename(index, name)?)
    })?;
    Ok(())
}

/// Slot `index` is still the one the list showed as `name`; if another
/// device's list arrived since the user looked, the change is refused.
fn shown_as(key: &HouseholdKey, index: usize, name: &str) -> Result<(), CmdError> {
    match key.slots.get(index) {
        Some(slot) if slot.name == name => Ok(()),
        _ => Err(changed_meanwhile()),
    }
}

fn changed_meanwhile() -> CmdError {
    CmdError::new(
        "changed_meanwhile",
        "the household's passwords changed meanwhile; look at the list again and retry",
    )
}

/// The last backup as the vault locks: from a copy taken under the lock
/// (the vault itself is already gone), written on a thread of its own so
/// that locking never waits for the folder.
pub fn write_at_lock(copy: Contents, folder: std::path::PathBuf, keep: usize) {
    std::thread::spawn(move || {
        // A failure shows at the next unlock's round; locking has gone on.
        let _ = household::write_if_stale(&copy, &folder, keep);
        drop(copy);
    });
}

/// Another member's password for the next backups: sealing it (Argon2)
/// runs without the session lock.
pub fn add_password(state: &Shared, password: SecretString, name: &str) -> Result<(), CmdError> {
    use secrecy::ExposeSecret;
    authdesk_core::password::check_file_password(password.expose_secret())?;
    let _one = state.rounds();
    change_key(
        state,
        |key, kdf| Ok(key.add_password(&password, name, kdf)?),
    )?;
    Ok(())
}

/// Changes the household key's passwords: `change` runs on a copy without
/// the session lock (it seals with Argon2), and the result replaces the
/// vault's key only if nothing changed it meanwhile. What `change` gave,
/// and the key as it was.
fn change_key<T>(
    state: &Shared,
    change: impl FnOnce(&mut HouseholdKey, KdfParams) -> Result<T, CmdError>,
) -> Result<(T, HouseholdKey), CmdError> {
    let (old, kdf) = {
        let session = state.session();
        let household = session.vault()?.contents().household.clone();
        let household =
            household.ok_or_else(|| CmdError::new("not_joined", "back up once first"))?;
        (household, session.kdf)
    };
    let mut new = old.clone();
    let out = change(&mut new, kdf)?;
    let mut session = state.session();
    let vault = session.vault_mut()?;
    if vault.contents().household.as_ref() != Some(&old) {
        return Err(changed_meanwhile());
    }
    vault.contents_mut().household = Some(new);
    vault.save()?;
    session.last_activity = std::time::Instant::now();
    Ok((out, old))
}

/// Opens the staged backup (Argon2, without the session lock) and says
/// what restoring it would do, writing nothing.
pub fn preview_restore(
    state: &Shared,
    password: SecretString,
) -> Result<super::RestorePreview, CmdError> {
    let (name, bytes) = state.session().staged_backup_copy()?;
    let backup = authdesk_core::backup::Backup::open(&bytes, &password, &name)?;
    state.session().preview_opened(name, backup)
}
