//! Restoring a backup is a merge, never a replace:
//!
//! - Two entries are the same account when their secret and OTP parameters
//!   match ([`EntryData::same_account`](crate::EntryData::same_account)).
//!   The same account is kept once: the newer metadata (issuer, account,
//!   icon, tags, note, code settings, pin, auto-type) wins, and an HOTP counter takes the maximum.
//! - The same issuer and account with a different secret are two accounts:
//!   both are kept and reported as "kept twice", for the user to sort out.
//! - Nothing is ever removed from the vault.
//!
//! "Newer" is the later `modified` time; equal times are decided by the
//! metadata itself, so that restoring A then B gives what B then A gives.
//! Restoring the same backup twice changes nothing the second time.
//!
//! A household folder's merge ([`sync`]) is the same merge plus the one
//! thing a restore by hand never does: a deletion made on another device
//! (a tombstone in its backup) removes that account here too, unless it was
//! edited here after the deletion. The same account added on two devices
//! converges on one id (the smaller), so that a later deletion reaches
//! every copy.

use serde::Serialize;

use crate::entry::{Entry, EntryData, EntryId};
use crate::otp::OtpType;
use crate::vault::{Contents, Tombstone};

/// What a restore did (or, on a copy, would do), by account name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RestoreReport {
    /// Accounts the vault did not have, by display name (those in
    /// [`kept_twice`](Self::kept_twice) too).
    pub added: Vec<String>,
    /// Accounts already there whose names, icon, tags, note or HOTP counter the
    /// backup changed.
    pub updated: Vec<String>,
    /// Accounts already there exactly as the backup has them.
    pub unchanged: Vec<String>,
    /// Added although an account with the same name but another secret
    /// exists: both are kept.
    pub kept_twice: Vec<String>,
    /// Deleted on another device of the household ([`sync`] only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    // `removed?: Array<string>`: absent from the JSON when empty.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub removed: Vec<String>,
}

impl RestoreReport {
    /// Whether the vault would change: something added, updated or removed. A
    /// preview with nothing to change need not ask to restore.
    pub fn changes_anything(&self) -> bool {
        !self.added.is_empty() || !self.updated.is_empty() || !self.removed.is_empty()
    }
}

type Rank<'a> = (
    i64,
    &'a str,
    &'a str,
    &'a Option<String>,
    &'a Vec<String>,
    &'a str,
    (&'a str, u8, u32),
    bool,
    (&'a Vec<String>, bool),
);

fn rank(e: &Entry) -> Rank<'_> {
    let otp = &e.data.otp;
    (
        e.modified,
        &e.data.issuer,
        &e.data.account,
        &e.icon,
        &e.groups,
        &e.note,
        (otp.algorithm.as_str(), otp.digits, otp.period),
        e.pinned,
        (&e.autotype.windows, e.autotype.enter),
    )
}

/// A keyed hash of what makes two entries the same account
/// ([`EntryData::same_account`]): restoring 10,000 entries must not compare
/// every pair, and the secret itself must not be copied into an index.
pub(crate) fn account_hash(state: &std::collections::hash_map::RandomState, d: &EntryData) -> u64 {
    use std::hash::BuildHasher;
    let period = if d.otp.kind == OtpType::Hotp {
        0
    } else {
        d.otp.period
    };
    state.hash_one((
        d.secret.expose(),
        d.otp.kind,
        d.otp.algorithm,
        d.otp.digits,
        period,
    ))
}

fn name_key(d: &EntryData) -> (String, String) {
    (d.issuer.to_lowercase(), d.account.to_lowercase())
}

/// Merges `incoming` into `contents`. For a preview, run it on a clone.
pub fn restore(contents: &mut Contents, incoming: &[Entry]) -> RestoreReport {
    merge_accounts(contents, incoming, false)
}

/// Merges another household device's backup into `contents`: [`restore`]
/// plus its deletions (`tombstones`), converging ids.
pub fn sync(
    contents: &mut Contents,
    incoming: &[Entry],
    tombstones: &[Tombstone],
) -> RestoreReport {
    use std::collections::HashMap;
    let mut deleted: HashMap<EntryId, i64> = HashMap::new();
    for t in contents.tombstones.iter().chain(tombstones) {
        let d = deleted.entry(t.id).or_insert(t.deleted);
        *d = (*d).max(t.deleted);
    }
    // As in the vault's own merge: an edit later than the deletion keeps
    // the account (losing a removal is better than losing an account).
    let gone = |e: &Entry| deleted.get(&e.id).is_some_and(|&d| e.modified <= d);
    let mut removed = Vec::new();
    contents.entries.retain(|e| {
        let keep = !gone(e);
        if !keep {
            removed.push(e.data.display_name());
        }
        keep
    });
    let live: Vec<Entry> = incoming.iter().filter(|e| !gone(e)).cloned().collect();
    let mut all: Vec<Tombstone> = deleted
        .into_iter()
        .map(|(id, deleted)| Tombstone { id, deleted })
        .collect();
    all.sort_by_key(|t| (t.deleted, t.id));
    contents.tombstones = all;
    let mut report = merge_accounts(contents, &live, true);
    report.removed = removed;
    report
}

/// `converge`: the household merge, where ids are the same across devices
/// (a known id is the same entry; the same account under two ids takes the
/// smaller) rather than a restore's, where an id is only a hint.
fn merge_accounts(contents: &mut Contents, incoming: &[Entry], converge: bool) -> RestoreReport {
    use std::collections::{HashMap, HashSet};
    let state = std::collections::hash_map::RandomState::new();
    let mut report = RestoreReport::default();
    let mut accounts: HashMap<u64, Vec<usize>> = HashMap::with_capacity(contents.entries.len());
    let mut names: HashMap<(String, String), usize> = HashMap::new();
    let mut ids: HashSet<uuid::Uuid> = if converge {
        // Incoming entries still here survived their tombstone (edited
        // later): they keep their id, as on the other device.
        HashSet::new()
    } else {
        contents.tombstones.iter().map(|t| t.id).collect()
    };
    // In the household, an entry keeps its id on every device: the same
    // id with the same secret is the same entry even when one device has
    // changed its code settings (Edit → Code settings), which would make
    // it another account by secret and parameters alone.
    let mut by_id: HashMap<uuid::Uuid, usize> = HashMap::new();
    for (i, e) in contents.entries.iter().enumerate() {
        accounts
            .entry(account_hash(&state, &e.data))
            .or_default()
            .push(i);
        *names.entry(name_key(&e.data)).or_default() += 1;
        ids.insert(e.id);
        if converge {
            by_id.insert(e.id, i);
        }
    }
    for b in incoming {
        let name = b.data.display_name();
        let hash = account_hash(&state, &b.data);
        let same_entry = by_id.get(&b.id).copied().filter(|&i| {
            let v = &contents.entries[i].data;
            v.secret == b.data.secret && v.otp.kind == b.data.otp.kind
        });
        let found = same_entry.or_else(|| {
            accounts.get(&hash).and_then(|bucket| {
                let same = |&i: &usize| contents.entries[i].data.same_account(&b.data);
                bucket
                    .iter()
                    .copied()
                    .filter(same)
                    .find(|&i| contents.entries[i].id == b.id)
                    .or_else(|| bucket.iter().copied().find(same))
            })
        });
        if let Some(i) = found {
            let v = &mut contents.entries[i];
            let before = v.clone();
            if rank(b) > rank(v) {
                if let Some(n) = names.get_mut(&name_key(&v.data)) {
                    *n = n.saturating_sub(1);
                }
                v.data.issuer.clone_from(&b.data.issuer);
                v.data.account.clone_from(&b.data.account);
                v.icon.clone_from(&b.icon);
                v.groups.clone_from(&b.groups);
                v.note.clone_from(&b.note);
                v.pinned = b.pinned;
                v.autotype.clone_from(&b.autotype);
                v.modified = b.modified;
                *names.entry(name_key(&v.data)).or_default() += 1;
                let otp = &mut v.data.otp;
                if (otp.algorithm, otp.digits, otp.period)
                    != (b.data.otp.algorithm, b.data.otp.digits, b.data.otp.period)
                {
                    otp.algorithm = b.data.otp.algorithm;
                    otp.digits = b.data.otp.digits;
                    otp.period = b.data.otp.period;
                    // Found under its new settings by later incoming copies.
                    accounts.entry(hash).or_default().push(i);
                }
            }
            if v.data.otp.kind == OtpType::Hotp {
                v.data.otp.counter = v.data.otp.counter.max(b.data.otp.counter);
            }
            // Only to an id no other entry here has: converging onto one
            // already taken would give two accounts one id, and the vault's
            // own merge would then keep only one of them.
            if converge && b.id < v.id && !ids.contains(&b.id) {
                ids.insert(b.id);
                // The old id is tombstoned so that the vault file's own
                // merge drops the copy on disk rather than keeping both.
                contents.tombstones.push(Tombstone {
                    id: v.id,
                    deleted: crate::timestamp::now_ms().max(v.modified),
                });
                by_id.remove(&v.id);
                by_id.insert(b.id, i);
                v.id = b.id;
            }
            if *v == before {
                report.unchanged.push(name);
            } else {
                report.updated.push(v.data.display_name());
            }
            continue;
        }
        let count = names.entry(name_key(&b.data)).or_default();
        let twice = *count > 0;
        *count += 1;
        let mut entry = b.clone();
        // An id already taken here (or deleted here, which a later merge
        // of the vault file would honour) gets a fresh one.
        if !ids.insert(entry.id) {
            entry.id = uuid::Uuid::new_v4();
            ids.insert(entry.id);
        }
        if converge {
            by_id.insert(entry.id, contents.entries.len());
        }
        accounts
            .entry(hash)
            .or_default()
            .push(contents.entries.len());
        contents.entries.push(entry);
        if twice {
            report.kept_twice.push(name.clone());
        }
        report.added.push(name);
    }
    report
}
