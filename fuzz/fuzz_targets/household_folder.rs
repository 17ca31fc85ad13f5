//! The household folder merge (`backup::household::merge_folder`): the
//! input, split at `SEPARATOR` into up to 5 parts, becomes up to 4 backup
//! files in a temporary folder, merged into a vault's contents that joined
//! the household (whose key is made once, with the cheapest KDF).
//!
//! A part that starts with the backup magic is written as it is, its
//! header checksum and MAC rewritten to match when the part's last byte is
//! odd (so that both damaged and intact headers are reached). Any other
//! part is a backup's body JSON, sealed under the household key. With more
//! than one part, the first is the vault's contents JSON (its entries and
//! tombstones) instead of a file.
#![no_main]

use authdesk_core::backup::{format, household as hh};
use authdesk_core::vault::Contents;
use authdesk_fuzz::{fix_backup_header, household, scratch_dir, seal_backup, split};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 4] = [
    "authdesk-anna.authdesk-backup",
    "authdesk-bob.authdesk-backup",
    "authdesk-anna.sync-conflict-20261124-101530-ABCDEFG.authdesk-backup",
    "authdesk-carol (conflicted copy 2026-11-24).authdesk-backup",
];

fuzz_target!(|data: &[u8]| {
    let h = household();
    let folder = scratch_dir().path();
    for name in NAMES {
        let _ = std::fs::remove_file(folder.join(name));
    }
    let parts = split(data, 5);
    let (mut contents, files): (Contents, _) = match parts.split_first() {
        Some((first, rest)) if !rest.is_empty() => {
            (serde_json::from_slice(first).unwrap_or_default(), rest)
        }
        _ => (Contents::default(), &parts[..]),
    };
    contents.household = Some(h.key.clone());
    for (i, part) in files.iter().enumerate() {
        let bytes = if part.starts_with(format::MAGIC) {
            let mut b = part.to_vec();
            if b.last().is_some_and(|l| l & 1 == 1) {
                fix_backup_header(&mut b);
            }
            b
        } else {
            seal_backup(part, 1_790_000_000_000 + i as i64, NAMES[i].as_bytes())
        };
        std::fs::write(folder.join(NAMES[i]), bytes).expect("write a backup");
    }
    let before = contents.clone();
    // The whole round under the forced name "anna": the merge, then the
    // write of this device's backup, its history and the clean-up.
    if let Ok(round) = hh::gather(&mut contents, folder, Some("anna")) {
        let _ = hh::finish(round, &contents, folder, 3);
    }
    // The merge never leaves two accounts with one id (a finding of this
    // target, fixed in restore::merge_accounts).
    let mut ids: Vec<_> = contents.entries.iter().map(|e| e.id).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    if before
        .entries
        .iter()
        .map(|e| e.id)
        .collect::<std::collections::HashSet<_>>()
        .len()
        == before.entries.len()
    {
        assert_eq!(ids.len(), n, "two accounts with one id after a merge");
    }
    let _ = hh::newest_change(&contents);
    let _ = hh::own_backup_current(&contents, folder, Some("anna"));
});
