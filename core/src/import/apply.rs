//! Adding imported accounts to a vault by the same rule as a restore
//! ([`EntryData::same_account`]): an account already there is recognised,
//! not duplicated, and keeps the name the user gave it here.

use super::Details;
use crate::entry::{Entry, EntryData, clean_note, clean_tags};
use crate::timestamp::now_ms;
use crate::vault::Contents;

/// What adding an import did (or would do, on a clone), by display name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AddReport {
    /// Accounts new to the vault, added as new entries.
    pub added: Vec<String>,
    /// Accounts the vault already had ([`EntryData::same_account`]): not added
    /// again, and their names here kept.
    pub already_present: Vec<String>,
}

/// Adds every account of `incoming` not yet in `contents`, with its tags
/// and note from `details` (by index; shorter or empty when the format
/// has none), cleaned as an edit cleans them. An account that appears
/// twice in the file is added once; one already here keeps its own.
pub fn add_to(contents: &mut Contents, incoming: Vec<EntryData>, details: &[Details]) -> AddReport {
    use std::collections::HashMap;
    let state = std::collections::hash_map::RandomState::new();
    let mut index: HashMap<u64, Vec<usize>> = HashMap::with_capacity(contents.entries.len());
    for (i, e) in contents.entries.iter().enumerate() {
        index
            .entry(crate::backup::restore::account_hash(&state, &e.data))
            .or_default()
            .push(i);
    }
    let mut report = AddReport::default();
    let now = now_ms();
    for (i, data) in incoming.into_iter().enumerate() {
        let hash = crate::backup::restore::account_hash(&state, &data);
        let bucket = index.entry(hash).or_default();
        if bucket
            .iter()
            .any(|&i| contents.entries[i].data.same_account(&data))
        {
            report.already_present.push(data.display_name());
            continue;
        }
        report.added.push(data.display_name());
        bucket.push(contents.entries.len());
        let mut entry = Entry::new(data, now);
        if let Some(d) = details.get(i) {
            entry.groups = clean_tags(&d.tags);
            entry.note = clean_note(&d.note);
            entry.pinned = d.pinned;
            entry.icon.clone_from(&d.icon);
        }
        contents.entries.push(entry);
    }
    report
}
