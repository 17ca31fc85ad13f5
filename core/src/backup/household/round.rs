//! One household round: merge every backup in the folder, write this
//! device's when it no longer holds what the vault holds, keep a history of
//! distinct versions, and remove copies that this device's backup now
//! holds (sync tools' conflict copies, the file of the old naming).
//!
//! A round settles: "current" compares accounts as sets, with every field
//! and deletion, so the order in which two devices received the same
//! changes never causes a write, and a merge that added nothing writes
//! nothing — so a sync tool has nothing new to make a conflict copy of.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::folder::{self, file_name, safe_device};
use super::history::{self, content_digest};
use super::{HISTORY_DIR, SyncError};
use crate::backup::{Backup, EXTENSION, OpenBackupError, RestoreReport};
use crate::vault::{Contents, Vault};

/// A device that has not written its backup for this long is marked.
pub const STALE_AFTER_MS: i64 = 30 * 24 * 3600 * 1000;

/// The device writing: its file's name, and the name people see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    /// The random id, or the forced name made safe for a file name.
    pub id: String,
    /// The name people see, written into the backup's header: the forced name,
    /// or the device's name ([`Device::name`](crate::device::Device::name)).
    pub name: String,
    stem: String,
    stem_is_id: bool,
    /// The host-name file of Authdesk before ids: read, then removed once
    /// this device's backup holds it.
    legacy_stem: Option<String>,
}

impl Writer {
    /// This vault's writer: `forced` names the file (several devices may
    /// then share it, as before ids); otherwise the vault's device id.
    /// `None` when the vault has no device id yet.
    pub fn of(contents: &Contents, forced: Option<&str>) -> Option<Writer> {
        if let Some(name) = forced {
            let id = safe_device(name);
            return Some(Writer {
                stem: format!("authdesk-{id}"),
                id,
                name: name.to_owned(),
                stem_is_id: false,
                legacy_stem: None,
            });
        }
        let device = contents.device.as_ref()?;
        let legacy = format!("authdesk-{}", safe_device(&crate::device::host_name()));
        Some(Writer {
            stem: format!("authdesk-{}", device.id()),
            id: device.id().to_owned(),
            name: device.name(),
            stem_is_id: true,
            legacy_stem: Some(legacy),
        })
    }

    /// This device's backup in `folder`.
    pub fn path(&self, folder: &Path) -> PathBuf {
        folder.join(format!("{}.{EXTENSION}", self.stem))
    }

    fn own_name(&self) -> String {
        format!("{}.{EXTENSION}", self.stem)
    }

    fn is_legacy(&self, name: &str) -> bool {
        self.legacy_stem
            .as_ref()
            .is_some_and(|s| name == format!("{s}.{EXTENSION}"))
    }
}

/// A device seen in the folder, for "who backs up here".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceSeen {
    /// The name the backup's header gives ("made on …").
    pub name: String,
    /// `None` for a file of an Authdesk from before device ids.
    pub id: Option<String>,
    /// The backup's file name in the folder.
    pub file: String,
    /// When its newest backup was made, Unix ms, as the backup says (the
    /// device's clock, not the file's time).
    pub last_backup_ms: i64,
    /// How many accounts that backup holds.
    pub accounts: usize,
    /// Whether the backup is this device's own file.
    pub this_device: bool,
}

impl DeviceSeen {
    /// Whether its last backup is more than [`STALE_AFTER_MS`] older than
    /// `now_ms` (Unix ms): a device that may have stopped syncing.
    pub fn is_stale(&self, now_ms: i64) -> bool {
        now_ms.saturating_sub(self.last_backup_ms) > STALE_AFTER_MS
    }
}

/// What a folder merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FolderSync {
    /// File names merged (this device's own included).
    pub merged: Vec<String>,
    /// Backups that the household key does not open: made with other
    /// passwords (another household, or after the household's key changed
    /// on another device), or altered. They are left alone.
    pub other_household: Vec<String>,
    /// Names that are not readable backups, with why (links, folders,
    /// FIFOs, oversized or damaged files).
    pub unreadable: Vec<(String, String)>,
    /// What the merge changed in the vault.
    pub report: RestoreReport,
    /// This device's backup was (re)written.
    pub written: bool,
    /// Copies this device's backup now holds, removed: sync tools'
    /// conflict copies and this device's file of the old naming.
    pub cleaned: Vec<String>,
    /// The devices whose backups are in the folder, newest first.
    pub devices: Vec<DeviceSeen>,
    /// What went wrong beside the backup itself (the history), which
    /// never stops this device's backup from being written.
    pub warnings: Vec<String>,
}

/// What the round remembers of this device's own file and of copies.
struct Seen {
    own: Option<Backup>,
    own_bytes: Option<Vec<u8>>,
    /// Files this device's next backup holds, with a hash of their bytes
    /// so that one replaced meanwhile is not removed.
    held: Vec<(String, [u8; 32])>,
}

/// Merges every backup in `folder` into `contents` (which must have
/// joined) and says what happened. Nothing is written.
pub fn merge_folder(contents: &mut Contents, folder: &Path) -> Result<FolderSync, SyncError> {
    merge_as(contents, folder, None).map(|(out, _)| out)
}

fn merge_as(
    contents: &mut Contents,
    folder: &Path,
    me: Option<&Writer>,
) -> Result<(FolderSync, Seen), SyncError> {
    let mut out = FolderSync::default();
    let mut seen = Seen {
        own: None,
        own_bytes: None,
        held: Vec::new(),
    };
    let listing = folder::list(folder).map_err(|source| SyncError::Folder {
        path: folder.to_owned(),
        source,
    })?;
    for (name, why) in listing.skipped {
        out.unreadable.push((name, why.to_string()));
    }
    let mut devices: BTreeMap<String, DeviceSeen> = BTreeMap::new();
    for path in listing.backups {
        let name = file_name(&path);
        let household = contents.household.clone().ok_or(SyncError::NotJoined)?;
        let bytes = match folder::read_backup(&path) {
            Ok(b) => b,
            Err(why) => {
                out.unreadable.push((name, why.to_string()));
                continue;
            }
        };
        let b = match Backup::open_with_key(&bytes, &household, &name) {
            Ok(b) => b,
            Err(OpenBackupError::WrongPassword { .. }) => {
                out.other_household.push(name);
                continue;
            }
            Err(e) => {
                out.unreadable.push((name, e.to_string()));
                continue;
            }
        };
        let r = super::super::sync(contents, &b.entries, &b.tombstones);
        if b.slots_changed > household.slots_changed {
            contents.household = Some(b.household_key());
        }
        let report = &mut out.report;
        report.added.extend(r.added);
        report.updated.extend(r.updated);
        report.kept_twice.extend(r.kept_twice);
        report.removed.extend(r.removed);
        out.merged.push(name.clone());
        let own = me.is_some_and(|w| name == w.own_name());
        let copy = folder::is_conflict_copy(&name)
            || me.is_some_and(|w| {
                folder::is_conflict_copy_of(&name, &w.stem, w.stem_is_id) || w.is_legacy(&name)
            });
        if copy {
            seen.held
                .push((name.clone(), Sha256::digest(&bytes).into()));
        } else {
            let key = b.device_id.clone().unwrap_or_else(|| b.device.clone());
            let device = DeviceSeen {
                name: b.device.clone(),
                id: b.device_id.clone(),
                file: name.clone(),
                last_backup_ms: b.created_ms,
                accounts: b.entries.len(),
                this_device: own,
            };
            // A device with two files (a rename of the file) counts once,
            // by its newest.
            let newer = devices
                .get(&key)
                .is_none_or(|d| d.last_backup_ms < device.last_backup_ms);
            if newer {
                devices.insert(key, device);
            }
        }
        if own {
            seen.own = Some(b);
            seen.own_bytes = Some(bytes);
        }
    }
    out.devices = devices.into_values().collect();
    out.devices
        .sort_by_key(|d| (std::cmp::Reverse(d.last_backup_ms), d.name.clone()));
    Ok((out, seen))
}

/// Whether `own` holds exactly what `contents` holds, as `me` would write
/// it: the same accounts and deletions (as sets), passwords and name.
fn holds(own: &Backup, contents: &Contents, me: &Writer) -> bool {
    let Some(household) = contents.household.as_ref() else {
        return false;
    };
    own.device == me.name
        && own.device_id.as_deref() == Some(me.id.as_str())
        && own.slots == household.slots
        && own.slots_changed == household.slots_changed
        && content_digest(&own.entries, &own.tombstones)
            == content_digest(&contents.entries, &contents.tombstones)
}

/// This device's backup in `folder`, opened with the household key, with
/// its bytes.
fn read_own(contents: &Contents, folder: &Path, me: &Writer) -> Option<(Backup, Vec<u8>)> {
    let household = contents.household.as_ref()?;
    let bytes = folder::read_backup(&me.path(folder)).ok()?;
    let backup = Backup::open_with_key(&bytes, household, "").ok()?;
    Some((backup, bytes))
}

/// When this device's backup in `folder` was made, and whether it holds
/// exactly what `contents` holds (comparing contents rather than times
/// keeps a device whose clock runs ahead from making every other device
/// write again and again); `None` when there is no readable one.
pub fn own_backup(contents: &Contents, folder: &Path, forced: Option<&str>) -> Option<(i64, bool)> {
    let me = Writer::of(contents, forced)?;
    let (own, _) = read_own(contents, folder, &me)?;
    Some((own.created_ms, holds(&own, contents, &me)))
}

/// Whether this device's backup in `folder` holds exactly what `contents`
/// holds.
pub fn own_backup_current(contents: &Contents, folder: &Path, forced: Option<&str>) -> bool {
    own_backup(contents, folder, forced).is_some_and(|(_, current)| current)
}

/// One full round for a vault that joined `folder`: merge the folder's
/// backups, save the vault if that changed it, write this device's backup
/// only when it no longer holds what the vault holds, then remove the
/// copies it now holds. `forced` names this device's file instead of its
/// id (the CLI's `--device`).
pub fn sync_vault(
    vault: &mut Vault,
    folder: &Path,
    forced: Option<&str>,
    keep: usize,
) -> Result<FolderSync, SyncError> {
    if vault.contents().household.is_none() {
        return Err(SyncError::NotJoined);
    }
    if forced.is_none() && vault.contents().device.is_none() {
        vault.contents_mut().device = Some(crate::device::Device::new());
        vault.save()?;
    }
    let before = vault.contents().clone();
    let round = gather(vault.contents_mut(), folder, forced)?;
    if *vault.contents() != before {
        vault.save()?;
    }
    finish(round, vault.contents(), folder, keep)
}

/// A round between its two halves: what [`gather`] read, for [`finish`].
pub struct Round {
    out: FolderSync,
    seen: Seen,
    me: Writer,
}

/// The first half of a round, which only reads the folder: merges every
/// backup there into `contents` (a vault's contents, or a copy of them, so
/// that a front end need not hold its vault while the folder is read).
/// `contents` must have joined and have a device id unless `forced`.
pub fn gather(
    contents: &mut Contents,
    folder: &Path,
    forced: Option<&str>,
) -> Result<Round, SyncError> {
    let me = Writer::of(contents, forced).ok_or(SyncError::NotJoined)?;
    let (out, seen) = merge_as(contents, folder, Some(&me))?;
    Ok(Round { out, seen, me })
}

/// The second half, which only writes the folder: this device's backup of
/// `contents` (what the vault holds after the merge was saved) unless the
/// one there holds it already, then the removal of copies it now holds.
pub fn finish(
    round: Round,
    contents: &Contents,
    folder: &Path,
    keep: usize,
) -> Result<FolderSync, SyncError> {
    let Round { mut out, seen, me } = round;
    let current = seen
        .own
        .as_ref()
        .is_some_and(|own| holds(own, contents, &me));
    if !current {
        let previous = seen.own.zip(seen.own_bytes);
        let created_ms = write_own(contents, folder, &me, previous, keep, &mut out)?;
        out.written = true;
        // The list shows this device as it now stands in the folder.
        out.devices.retain(|d| !d.this_device);
        out.devices.insert(
            0,
            DeviceSeen {
                name: me.name.clone(),
                id: Some(me.id.clone()),
                file: me.own_name(),
                last_backup_ms: created_ms,
                accounts: contents.entries.len(),
                this_device: true,
            },
        );
    }
    for (name, hash) in seen.held {
        let path = folder.join(&name);
        // Replaced since it was read: its new bytes are next round's.
        let unchanged =
            folder::read_backup(&path).is_ok_and(|b| <[u8; 32]>::from(Sha256::digest(&b)) == hash);
        if unchanged && std::fs::remove_file(&path).is_ok() {
            out.cleaned.push(name);
        }
    }
    Ok(out)
}

/// Writes this device's backup of `contents` into `folder` if the one there
/// does not hold it already, without merging anything: the last backup at
/// lock time, from a copy taken as the vault was locked. Whether it wrote.
pub fn write_if_stale(contents: &Contents, folder: &Path, keep: usize) -> Result<bool, SyncError> {
    let me = Writer::of(contents, None)
        .filter(|_| contents.household.is_some())
        .ok_or(SyncError::NotJoined)?;
    let own = read_own(contents, folder, &me);
    if own.as_ref().is_some_and(|(b, _)| holds(b, contents, &me)) {
        return Ok(false);
    }
    let mut out = FolderSync::default();
    write_own(contents, folder, &me, own, keep, &mut out)?;
    Ok(true)
}

/// Writes this device's backup, then (never stopping the backup itself)
/// keeps `previous` in the history and prunes it; the new backup's time.
fn write_own(
    contents: &Contents,
    folder: &Path,
    me: &Writer,
    previous: Option<(Backup, Vec<u8>)>,
    keep: usize,
    out: &mut FolderSync,
) -> Result<i64, SyncError> {
    let household = contents.household.as_ref().ok_or(SyncError::NotJoined)?;
    let path = me.path(folder);
    move_obstacle(&path, out);
    let mut backup = Backup::for_household(
        household,
        &me.name,
        contents.entries.clone(),
        contents.tombstones.clone(),
    );
    backup.device_id = Some(me.id.clone());
    backup.write(&path)?;
    if keep > 0
        && let Some((old, bytes)) = previous
        && let Err(e) = history::keep(contents, folder, &me.id, &me.stem, &old, &bytes, keep)
    {
        out.warnings.push(format!(
            "the backup history in {HISTORY_DIR} was not kept: {e}"
        ));
    }
    Ok(backup.created_ms)
}

/// Anything but a regular file under this device's name (a folder, say)
/// would stop every backup; it is moved aside, under a name that is no
/// backup's, and reported.
fn move_obstacle(path: &Path, out: &mut FolderSync) {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    if !meta.is_dir() {
        // A link or FIFO is replaced by the rename itself, never followed.
        return;
    }
    let aside = path.with_extension(format!("blocked-{}", crate::timestamp::now_ms()));
    let name = file_name(path);
    match std::fs::rename(path, &aside) {
        Ok(()) => out.warnings.push(format!(
            "a folder was in the place of this device's backup {name}; it was moved to {}",
            file_name(&aside)
        )),
        Err(e) => out.warnings.push(format!(
            "a folder is in the place of this device's backup {name} and could not be moved: {e}"
        )),
    }
}

/// The time of the vault's newest change (an edit or a deletion), Unix ms.
pub fn newest_change(contents: &Contents) -> i64 {
    let edits = contents.entries.iter().map(|e| e.modified);
    let deletions = contents.tombstones.iter().map(|t| t.deleted);
    edits.chain(deletions).max().unwrap_or(0)
}
