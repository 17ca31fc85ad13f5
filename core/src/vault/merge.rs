//! Merging two copies of the vault contents: the one on disk and the one a
//! process is about to save.
//!
//! Entries are matched by id. Of two copies the later `modified` wins; an
//! HOTP counter never goes back. A tombstone removes copies not modified
//! after the removal, so an edit made elsewhere later than a delete keeps
//! the entry (losing a removal is better than losing an account).

use std::collections::HashMap;

use super::{Contents, Tombstone};
use crate::entry::{Entry, EntryId};
use crate::otp::OtpType;

pub fn merge(disk: Contents, ours: Contents) -> Contents {
    let mut deleted: HashMap<EntryId, i64> = HashMap::new();
    for t in disk.tombstones.iter().chain(&ours.tombstones) {
        let d = deleted.entry(t.id).or_insert(t.deleted);
        *d = (*d).max(t.deleted);
    }

    let mut theirs: HashMap<EntryId, Entry> =
        disk.entries.iter().map(|e| (e.id, e.clone())).collect();
    let mut entries = Vec::with_capacity(ours.entries.len().max(disk.entries.len()));
    for mine in ours.entries {
        let chosen = match theirs.remove(&mine.id) {
            Some(other) => newer(mine, other),
            None => mine,
        };
        entries.push(chosen);
    }
    // Entries only the disk copy has keep their relative order, after ours.
    for e in disk.entries {
        if let Some(other) = theirs.remove(&e.id) {
            entries.push(other);
        }
    }
    entries.retain(|e| deleted.get(&e.id).is_none_or(|&d| e.modified > d));

    let mut tombstones: Vec<Tombstone> = deleted
        .into_iter()
        .map(|(id, deleted)| Tombstone { id, deleted })
        .collect();
    tombstones.sort_by_key(|t| (t.deleted, t.id));
    // The household's passwords last changed wins; a process that joined a
    // folder is not undone by one that had not.
    let household = match (ours.household, disk.household) {
        (Some(o), Some(d)) if d.slots_changed > o.slots_changed => Some(d),
        (o, d) => o.or(d),
    };
    Contents {
        entries,
        tombstones,
        household,
        device: crate::device::Device::merge(disk.device, ours.device),
    }
}

fn newer(mine: Entry, other: Entry) -> Entry {
    let counter = mine.data.otp.counter.max(other.data.otp.counter);
    let mut chosen = if other.modified > mine.modified {
        other
    } else {
        mine
    };
    if chosen.data.otp.kind == OtpType::Hotp {
        chosen.data.otp.counter = counter;
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::EntryData;
    use crate::otp::OtpParams;
    use crate::secret::SecretBytes;

    fn entry(name: &str, t: i64) -> Entry {
        Entry::new(
            EntryData {
                issuer: name.into(),
                account: String::new(),
                secret: SecretBytes::new(name.as_bytes().to_vec()),
                otp: OtpParams::totp(),
            },
            t,
        )
    }

    #[test]
    fn both_sides_additions_survive() {
        let a = entry("a", 1);
        let b = entry("b", 2);
        let m = merge(
            Contents {
                entries: vec![a.clone()],
                tombstones: vec![],
                household: None,
                device: None,
            },
            Contents {
                entries: vec![b.clone()],
                tombstones: vec![],
                household: None,
                device: None,
            },
        );
        assert_eq!(m.entries, vec![b, a]);
    }

    #[test]
    fn removal_sticks_unless_edited_later() {
        let a = entry("a", 10);
        let gone = Contents {
            entries: vec![],
            tombstones: vec![Tombstone {
                id: a.id,
                deleted: 20,
            }],
            household: None,
            device: None,
        };
        let old = Contents {
            entries: vec![a.clone()],
            tombstones: vec![],
            household: None,
            device: None,
        };
        assert!(merge(old.clone(), gone.clone()).entries.is_empty());
        let mut edited = a.clone();
        edited.modified = 30;
        let m = merge(
            Contents {
                entries: vec![edited.clone()],
                tombstones: vec![],
                household: None,
                device: None,
            },
            gone,
        );
        assert_eq!(m.entries, vec![edited]);
    }

    #[test]
    fn newer_metadata_wins_and_counter_never_goes_back() {
        let mut a = entry("a", 1);
        a.data.otp = OtpParams::hotp(5);
        let mut renamed = a.clone();
        renamed.data.issuer = "renamed".into();
        renamed.modified = 5;
        let mut used = a.clone();
        used.data.otp.counter = 9;
        used.modified = 3;
        let m = merge(
            Contents {
                entries: vec![used],
                tombstones: vec![],
                household: None,
                device: None,
            },
            Contents {
                entries: vec![renamed],
                tombstones: vec![],
                household: None,
                device: None,
            },
        );
        assert_eq!(m.entries[0].data.issuer, "renamed");
        assert_eq!(m.entries[0].data.otp.counter, 9);
    }
}
