//! The household folder's history: older versions of this device's
//! backup, kept in `authdesk-history/` beside the backups so a change that
//! reached every device can still be undone. A version is what a backup
//! holds (accounts and deletions as sets), so copies of one version count
//! once.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::HISTORY_DIR;
use super::folder::{self, file_name};
use crate::backup::{Backup, CreateBackupError, EXTENSION};
use crate::entry::Entry;
use crate::vault::{Contents, Tombstone};

/// Accounts and deletions as sets: the same whatever the order.
pub(crate) fn content_digest(entries: &[Entry], tombstones: &[Tombstone]) -> [u8; 32] {
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.id);
    let mut gone: Vec<&Tombstone> = tombstones.iter().collect();
    gone.sort_by_key(|t| (t.id, t.deleted));
    let json = zeroize::Zeroizing::new(serde_json::to_vec(&(sorted, gone)).expect("serializes"));
    Sha256::digest(&json[..]).into()
}

/// A history file of this device's, as found in the history folder.
struct Version {
    path: PathBuf,
    created_ms: i64,
    digest: [u8; 32],
}

/// This device's versions in the history, told by what the files say once
/// opened with the household key, never by their names.
fn versions(history: &Path, contents: &Contents, id: &str) -> std::io::Result<Vec<Version>> {
    let household = contents.household.as_ref().expect("joined");
    let listing = folder::list(history)?;
    let mut mine = Vec::new();
    for path in listing.backups {
        let Ok(bytes) = folder::read_backup(&path) else {
            continue;
        };
        if let Ok(b) = Backup::open_with_key(&bytes, household, "")
            && b.device_id.as_deref() == Some(id)
        {
            mine.push(Version {
                path,
                created_ms: b.created_ms,
                digest: content_digest(&b.entries, &b.tombstones),
            });
        }
    }
    mine.sort_by_key(|v| std::cmp::Reverse(v.created_ms));
    Ok(mine)
}

/// Keeps `old` (this device's backup about to be replaced, `bytes` as
/// read) in the history folder when it is a version not kept yet, then
/// prunes to the `keep` newest distinct versions of the device `id`, whose
/// files are named after `stem`.
pub(super) fn keep(
    contents: &Contents,
    folder: &Path,
    id: &str,
    stem: &str,
    old: &Backup,
    bytes: &[u8],
    keep: usize,
) -> Result<(), String> {
    let history = folder.join(HISTORY_DIR);
    match std::fs::symlink_metadata(&history) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(format!("{HISTORY_DIR} is not a folder (a link or a file)")),
        Err(_) => {
            let copy = history.join("x");
            crate::vault::fsio::ensure_private_dir(&copy).map_err(|e| e.to_string())?;
        }
    }
    let mut mine = versions(&history, contents, id).map_err(|e| e.to_string())?;
    let digest = content_digest(&old.entries, &old.tombstones);
    // Only a file that opened with the household key, and only a version
    // that differs from the newest kept one.
    if mine.first().is_none_or(|v| v.digest != digest) {
        let copy = history.join(format!("{stem}-{}.{EXTENSION}", stamp(old.created_ms)));
        crate::vault::fsio::write_atomic(&copy, bytes)
            .map_err(|e| CreateBackupError::io(&copy, e).to_string())?;
        mine.insert(
            0,
            Version {
                path: copy,
                created_ms: old.created_ms,
                digest,
            },
        );
        mine.sort_by_key(|v| std::cmp::Reverse(v.created_ms));
    }
    prune(mine, keep)
}

/// Keeps the newest copy of each of the `keep` newest distinct versions.
fn prune(newest_first: Vec<Version>, keep: usize) -> Result<(), String> {
    let mut kept: Vec<[u8; 32]> = Vec::new();
    let mut failed = Vec::new();
    for v in newest_first {
        if kept.len() < keep && !kept.contains(&v.digest) {
            kept.push(v.digest);
            continue;
        }
        if let Err(e) = std::fs::remove_file(&v.path) {
            failed.push(format!("{}: {e}", file_name(&v.path)));
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "could not remove old versions ({})",
            failed.join(", ")
        ))
    }
}

/// `2026-11-24T10-15-30.123Z`: sorts by time, and is a valid file name
/// everywhere (no colons).
fn stamp(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}-{:02}-{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_sort_by_time_and_have_no_colons() {
        let a = stamp(1_790_000_000_000);
        let b = stamp(1_790_000_000_001);
        assert!(a < b);
        assert!(!a.contains(':'));
        assert_eq!(stamp(0), "1970-01-01T00-00-00.000Z");
        assert_eq!(stamp(i64::MAX), "1970-01-01T00-00-00.000Z");
    }

    #[test]
    fn prune_keeps_distinct_versions_over_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let mk = |n: i64, d: u8| {
            let path = dir.path().join(format!("v{n}"));
            std::fs::write(&path, b"x").unwrap();
            Version {
                path,
                created_ms: n,
                digest: [d; 32],
            }
        };
        // Newest first: five copies of one version, then two older ones.
        let vs = vec![
            mk(9, 1),
            mk(8, 1),
            mk(7, 1),
            mk(6, 1),
            mk(5, 1),
            mk(4, 2),
            mk(3, 3),
        ];
        prune(vs, 3).unwrap();
        for (n, exists) in [(9, true), (8, false), (5, false), (4, true), (3, true)] {
            assert_eq!(dir.path().join(format!("v{n}")).exists(), exists, "v{n}");
        }
    }
}
