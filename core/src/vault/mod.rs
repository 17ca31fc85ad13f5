//! The encrypted vault: one file holding every entry.
//!
//! Opening costs one Argon2id run; saving re-uses the derived key, so only
//! unlock and password changes are slow. Saves take an exclusive lock on a
//! sibling `.lock` file, re-read what is on disk, merge it with what this
//! process changed and write atomically, so two processes (the app and the
//! CLI, say) never lose each other's entries.

mod error;
pub mod format;
pub mod fsio;
mod merge;

use std::io;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

pub use error::{CreateError, IssueError, LookupError, OpenError, SaveError};
pub use format::{KdfParams, VaultKey};

use crate::entry::{Entry, EntryData, EntryId};
use crate::otp::{self, Code, CodeError, OtpType};
use crate::timestamp::now_ms;

/// Record that an entry was removed, so that a merge with an older copy
/// (another process, another device) does not bring it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    /// The entry that was removed.
    pub id: EntryId,
    /// When, Unix milliseconds: an edit newer than this brings it back.
    pub deleted: i64,
}

/// The decrypted contents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contents {
    /// The accounts, in the user's order.
    pub entries: Vec<Entry>,
    /// Removed entries, so that merges do not bring them back.
    #[serde(default)]
    pub tombstones: Vec<Tombstone>,
    /// The household backup folder's key and passwords, once this vault
    /// has joined one: it writes and reads the folder's backups without
    /// asking for a password each time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<crate::household_key::HouseholdKey>,
    /// This device's identity in household folders, drawn on first use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<crate::device::Device>,
}

/// A partial edit of an entry. `icon: Some(None)` removes the icon.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryChange {
    /// A new issuer, if it changes.
    pub issuer: Option<String>,
    /// A new account name, if it changes.
    pub account: Option<String>,
    /// A new icon (`Some(None)` removes it), if it changes.
    pub icon: Option<Option<String>>,
    /// New code settings (digits, period, algorithm, counter), if they
    /// change: a portal's QR code that said 30 s for codes of 60 s. The
    /// secret never changes here: another secret is another account.
    pub otp: Option<crate::otp::OtpParams>,
    /// A new note, if it changes (cleaned by [`crate::entry::clean_note`]).
    pub note: Option<String>,
    /// New tags, if they change (cleaned by [`crate::entry::clean_tags`]).
    pub tags: Option<Vec<String>>,
    /// Pinned or not, if it changes.
    pub pinned: Option<bool>,
    /// New auto-type settings, if they change (window matches cleaned by
    /// [`crate::autotype::clean_windows`]).
    pub autotype: Option<crate::autotype::AutoType>,
}

/// Whether `add` stored a new entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddOutcome {
    /// Stored as a new entry with this id.
    Added(EntryId),
    /// The same account (same secret and parameters) was already there.
    AlreadyPresent(EntryId),
}

/// An open vault: its file, the key that opened it and the decrypted
/// contents. Changes are kept in memory until [`Vault::save`].
pub struct Vault {
    path: PathBuf,
    kdf: KdfParams,
    salt: [u8; 16],
    key: VaultKey,
    contents: Contents,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .field("entries", &self.contents.entries.len())
            .finish_non_exhaustive()
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, OpenError> {
    std::fs::read(path).map_err(|source| {
        if source.kind() == io::ErrorKind::NotFound {
            OpenError::NotFound {
                path: path.to_owned(),
            }
        } else {
            OpenError::Io {
                path: path.to_owned(),
                source,
            }
        }
    })
}

fn decode_contents(path: &Path, key: &VaultKey, bytes: &[u8]) -> Result<Contents, OpenError> {
    let plain = format::decrypt(key, bytes).ok_or_else(|| OpenError::Corrupt {
        path: path.to_owned(),
        reason: "the encrypted data fails authentication: it was damaged or tampered with".into(),
    })?;
    serde_json::from_slice(&plain).map_err(|e| OpenError::Corrupt {
        path: path.to_owned(),
        reason: format!("the decrypted contents are unreadable: {e}"),
    })
}

impl Vault {
    /// Creates a new, empty vault. Refuses to overwrite an existing file.
    pub fn create(
        path: impl AsRef<Path>,
        password: &SecretString,
        kdf: KdfParams,
    ) -> Result<Vault, CreateError> {
        use secrecy::ExposeSecret;
        let path = path.as_ref().to_owned();
        if password.expose_secret().is_empty() {
            return Err(CreateError::EmptyPassword);
        }
        kdf.check_bounds().map_err(CreateError::Kdf)?;
        fsio::ensure_private_dir(&path).map_err(|e| SaveError::io(&path, e))?;
        let _lock = fsio::lock(&path).map_err(|e| SaveError::io(&path, e))?;
        if path.exists() {
            return Err(CreateError::AlreadyExists { path });
        }
        let salt = format::random_salt();
        let key = format::derive_key(password, &salt, kdf).map_err(CreateError::Kdf)?;
        let vault = Vault {
            path,
            kdf,
            salt,
            key,
            contents: Contents::default(),
        };
        vault.write()?;
        Ok(vault)
    }

    /// Opens with the password.
    pub fn open(path: impl AsRef<Path>, password: &SecretString) -> Result<Vault, OpenError> {
        let path = path.as_ref();
        let (bytes, header, key) = Self::check_password(path, password)?;
        Self::finish_open(path, header, key, &bytes)
    }

    /// Whether `password` is this vault's, checked on the header's MAC
    /// alone: one key derivation and nothing decrypted. For a password
    /// typed again before a secret is shown or exported, while the vault
    /// is open already.
    pub fn verify_password(
        path: impl AsRef<Path>,
        password: &SecretString,
    ) -> Result<(), OpenError> {
        Self::check_password(path.as_ref(), password).map(|_| ())
    }

    /// The file, its header and the key `password` derives, once the
    /// header's MAC has accepted the key.
    fn check_password(
        path: &Path,
        password: &SecretString,
    ) -> Result<(Vec<u8>, format::Header, VaultKey), OpenError> {
        let bytes = read_file(path)?;
        let (header, _) = format::parse(&bytes).map_err(|p| OpenError::from_header(path, p))?;
        let key = format::derive_key(password, &header.salt, header.kdf).map_err(|reason| {
            OpenError::UnsafeKdf {
                path: path.to_owned(),
                reason,
            }
        })?;
        if !format::key_matches(&key, &bytes) {
            return Err(OpenError::WrongPassword {
                path: path.to_owned(),
            });
        }
        Ok((bytes, header, key))
    }

    /// Opens with a key remembered earlier (see [`crate::keychain`]).
    pub fn open_with_key(path: impl AsRef<Path>, key: VaultKey) -> Result<Vault, OpenError> {
        let path = path.as_ref();
        let bytes = read_file(path)?;
        let (header, _) = format::parse(&bytes).map_err(|p| OpenError::from_header(path, p))?;
        if !format::key_matches(&key, &bytes) {
            return Err(OpenError::KeyRejected {
                path: path.to_owned(),
            });
        }
        Self::finish_open(path, header, key, &bytes)
    }

    fn finish_open(
        path: &Path,
        header: format::Header,
        key: VaultKey,
        bytes: &[u8],
    ) -> Result<Vault, OpenError> {
        let contents = decode_contents(path, &key, bytes)?;
        Ok(Vault {
            path: path.to_owned(),
            kdf: header.kdf,
            salt: header.salt,
            key,
            contents,
        })
    }

    /// The vault file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The derived key, for "Remember on this device".
    pub fn key(&self) -> &VaultKey {
        &self.key
    }

    /// The Argon2 cost the file was written with.
    pub fn kdf(&self) -> KdfParams {
        self.kdf
    }

    /// The accounts, in the user's order.
    pub fn entries(&self) -> &[Entry] {
        &self.contents.entries
    }

    /// Everything decrypted: accounts, deletions, the household key.
    pub fn contents(&self) -> &Contents {
        &self.contents
    }

    /// The entry with this id.
    pub fn get(&self, id: EntryId) -> Option<&Entry> {
        self.contents.entries.iter().find(|e| e.id == id)
    }

    fn get_mut(&mut self, id: EntryId) -> Option<&mut Entry> {
        self.contents.entries.iter_mut().find(|e| e.id == id)
    }

    /// Finds one entry by its full id or a unique prefix of its hex form.
    pub fn resolve(&self, query: &str) -> Result<&Entry, LookupError> {
        let q = query.trim().to_ascii_lowercase().replace('-', "");
        if q.is_empty() {
            return Err(LookupError::NotFound(query.to_owned()));
        }
        let mut hits = self
            .contents
            .entries
            .iter()
            .filter(|e| e.id.simple().to_string().starts_with(&q));
        match (hits.next(), hits.count()) {
            (Some(e), 0) => Ok(e),
            (Some(_), more) => Err(LookupError::Ambiguous {
                query: query.to_owned(),
                count: more + 1,
            }),
            (None, _) => Err(LookupError::NotFound(query.to_owned())),
        }
    }

    /// What a front end's QUERY names: the entries whose names contain it
    /// ([`search`](Self::search)), or else the one whose id it starts.
    pub fn matching(&self, query: &str) -> Vec<EntryId> {
        let mut ids: Vec<EntryId> = self.search(query).map(|e| e.id).collect();
        if ids.is_empty()
            && !query.is_empty()
            && let Ok(e) = self.resolve(query)
        {
            ids.push(e.id);
        }
        ids
    }

    /// Entries whose issuer or account contains `query`, ignoring case.
    pub fn search<'a>(&'a self, query: &str) -> impl Iterator<Item = &'a Entry> + 'a {
        let q = query.to_lowercase();
        self.contents.entries.iter().filter(move |e| {
            q.is_empty()
                || e.data.issuer.to_lowercase().contains(&q)
                || e.data.account.to_lowercase().contains(&q)
        })
    }

    /// Adds an account unless the same account is already stored.
    pub fn add(&mut self, data: EntryData) -> AddOutcome {
        if let Some(existing) = self
            .contents
            .entries
            .iter()
            .find(|e| e.data.same_account(&data))
        {
            return AddOutcome::AlreadyPresent(existing.id);
        }
        let entry = Entry::new(data, now_ms());
        let id = entry.id;
        self.contents.entries.push(entry);
        AddOutcome::Added(id)
    }

    /// Removes an entry and records its deletion (see [`Tombstone`]); the
    /// removed entry, for undo.
    pub fn remove(&mut self, id: EntryId) -> Option<Entry> {
        let pos = self.contents.entries.iter().position(|e| e.id == id)?;
        let entry = self.contents.entries.remove(pos);
        let deleted = now_ms().max(entry.modified);
        self.contents.tombstones.push(Tombstone { id, deleted });
        Some(entry)
    }

    /// Changes the names of an entry; `None` keeps a name as it is.
    pub fn rename(&mut self, id: EntryId, issuer: Option<String>, account: Option<String>) -> bool {
        self.update(
            id,
            EntryChange {
                issuer,
                account,
                ..EntryChange::default()
            },
        )
        .unwrap_or(false)
    }

    /// Changes an entry's names, icon and code settings; `None` keeps a
    /// field as it is. `Ok(false)`: no such entry. Code settings that
    /// cannot make codes are refused and nothing changes.
    pub fn update(
        &mut self,
        id: EntryId,
        change: EntryChange,
    ) -> Result<bool, crate::otp::ParamsError> {
        if let Some(otp) = &change.otp {
            otp.validate()?;
        }
        let Some(entry) = self.get_mut(id) else {
            return Ok(false);
        };
        if let Some(otp) = change.otp {
            entry.data.otp = otp;
        }
        if let Some(i) = change.issuer {
            entry.data.issuer = i;
        }
        if let Some(a) = change.account {
            entry.data.account = a;
        }
        if let Some(icon) = change.icon {
            entry.icon = icon;
        }
        if let Some(note) = change.note {
            entry.note = crate::entry::clean_note(&note);
        }
        if let Some(tags) = change.tags {
            entry.groups = crate::entry::clean_tags(&tags);
        }
        if let Some(pinned) = change.pinned {
            entry.pinned = pinned;
        }
        if let Some(mut autotype) = change.autotype {
            autotype.windows = crate::autotype::clean_windows(&autotype.windows);
            entry.autotype = autotype;
        }
        entry.modified = crate::timestamp::after(entry.modified);
        Ok(true)
    }

    /// Puts back an entry removed by [`remove`](Self::remove) (undo), at
    /// its old position when given. The newer `modified` outranks the
    /// tombstone in every later merge.
    pub fn restore(&mut self, mut entry: Entry, position: Option<usize>) {
        // The file on disk may still hold the deletion's tombstone: the
        // restored entry must be newer than it, or the next save's merge
        // drops it again (an undo within the same millisecond did).
        let deleted = self
            .contents
            .tombstones
            .iter()
            .filter(|t| t.id == entry.id)
            .map(|t| t.deleted)
            .max()
            .unwrap_or(i64::MIN);
        self.contents.tombstones.retain(|t| t.id != entry.id);
        if self.get(entry.id).is_some() {
            return;
        }
        entry.modified = crate::timestamp::after(entry.modified.max(deleted));
        let at = position
            .unwrap_or(usize::MAX)
            .min(self.contents.entries.len());
        self.contents.entries.insert(at, entry);
    }

    /// Puts the entries in the order of `ids`; entries not named keep their
    /// relative order after the named ones.
    pub fn reorder(&mut self, ids: &[EntryId]) {
        let rank = |id: &EntryId| ids.iter().position(|x| x == id).unwrap_or(usize::MAX);
        self.contents.entries.sort_by_key(|e| rank(&e.id));
    }

    /// The next HOTP code; the counter advances in memory, and the caller
    /// must [`save`](Self::save) before showing the code so that a code is
    /// never produced twice.
    pub fn next_hotp(&mut self, id: EntryId) -> Option<Result<Code, CodeError>> {
        let entry = self.get_mut(id)?;
        if entry.data.otp.kind != OtpType::Hotp {
            return None;
        }
        let counter = entry.data.otp.counter;
        let code = otp::counter_code(&entry.data.secret, &entry.data.otp, counter);
        if code.is_ok() {
            let Some(next) = counter.checked_add(1) else {
                return Some(Err(CodeError::CounterExhausted));
            };
            entry.data.otp.counter = next;
            entry.modified = crate::timestamp::after(entry.modified);
        }
        Some(code)
    }

    /// Issues the next code of HOTP entry `id`: under the save lock, the
    /// counter on disk is merged in first, then advanced and written, and
    /// only then is the code returned. So no counter value is ever issued
    /// twice, whatever the app, the CLI or a household merge do beside this
    /// handle. `None`: no such HOTP entry.
    pub fn issue_hotp(&mut self, id: EntryId) -> Option<Result<Code, IssueError>> {
        let mut step = || -> Result<Option<Code>, IssueError> {
            let _lock = fsio::lock(&self.path).map_err(|e| SaveError::io(&self.path, e))?;
            self.merge_from_disk()?;
            let Some(code) = self.next_hotp(id) else {
                return Ok(None);
            };
            let code = code?;
            self.write()?;
            Ok(Some(code))
        };
        step().transpose()
    }

    /// Folds another copy of this vault's contents into this handle, as a
    /// save folds in the copy on disk: a household round merges the folder
    /// into a copy, off the front end's lock, and hands the result back.
    pub fn merge_in(&mut self, other: Contents) {
        self.contents = merge::merge(other, std::mem::take(&mut self.contents));
    }

    /// Replaces the whole contents (used by tools that rebuild a vault).
    pub fn contents_mut(&mut self) -> &mut Contents {
        &mut self.contents
    }

    /// Saves: lock, merge with the file as it is now on disk, write
    /// atomically. After it returns Ok, this handle holds the merged
    /// contents.
    pub fn save(&mut self) -> Result<(), SaveError> {
        let _lock = fsio::lock(&self.path).map_err(|e| SaveError::io(&self.path, e))?;
        self.merge_from_disk()?;
        self.write()
    }

    /// Re-encrypts under a new password (fresh salt), merging first.
    pub fn change_password(
        &mut self,
        new_password: &SecretString,
        kdf: KdfParams,
    ) -> Result<(), SaveError> {
        use secrecy::ExposeSecret;
        if new_password.expose_secret().is_empty() {
            return Err(SaveError::EmptyPassword);
        }
        kdf.check_bounds().map_err(SaveError::Kdf)?;
        let _lock = fsio::lock(&self.path).map_err(|e| SaveError::io(&self.path, e))?;
        self.merge_from_disk()?;
        let salt = format::random_salt();
        let key = format::derive_key(new_password, &salt, kdf).map_err(SaveError::Kdf)?;
        let old = (self.kdf, self.salt, self.key.clone());
        (self.kdf, self.salt, self.key) = (kdf, salt, key);
        let written = self.write();
        if written.is_err() {
            (self.kdf, self.salt, self.key) = old;
        }
        written
    }

    fn merge_from_disk(&mut self) -> Result<(), SaveError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            // Deleted from under us: writing recreates it.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(SaveError::io(&self.path, e)),
        };
        let unreadable = |source: OpenError| SaveError::OnDiskUnreadable {
            path: self.path.clone(),
            source: Box::new(source),
        };
        let (header, _) =
            format::parse(&bytes).map_err(|p| unreadable(OpenError::from_header(&self.path, p)))?;
        if header.salt != self.salt
            || header.kdf != self.kdf
            || !format::key_matches(&self.key, &bytes)
        {
            return Err(SaveError::ChangedElsewhere {
                path: self.path.clone(),
            });
        }
        let disk = decode_contents(&self.path, &self.key, &bytes).map_err(unreadable)?;
        self.contents = merge::merge(disk, std::mem::take(&mut self.contents));
        Ok(())
    }

    fn write(&self) -> Result<(), SaveError> {
        let plain = Zeroizing::new(
            serde_json::to_vec(&self.contents).expect("vault contents always serialize"),
        );
        let bytes = format::encrypt(&self.key, self.kdf, &self.salt, &plain);
        fsio::write_atomic(&self.path, &bytes).map_err(|e| SaveError::io(&self.path, e))
    }
}
