//! Reading the household folder, which other people's devices and sync
//! tools write: every name in it is a claim, every file hostile input.
//!
//! - Links are never followed (a link named like a backup could make this
//!   device copy a private file into the shared folder), and only regular
//!   files are read: FIFOs, devices and folders are reported by name.
//! - A file is opened without following links and without blocking (a
//!   FIFO swapped in between the listing and the open does not hang the
//!   round), then checked again on the open handle, and read with a cap.
//! - At most [`MAX_FILES`] backups are looked at in one round.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::super::EXTENSION;

/// The largest backup read: 10,000 accounts take about 3 MB, icons as data
/// URLs more; nothing real comes near this.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Backups (conflict copies included) looked at in one round.
pub const MAX_FILES: usize = 1_000;

/// Why a name in the folder was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// A symbolic link (or it became one after the listing): never followed.
    Link,
    /// Not a regular file; says what it is ("a folder", "a FIFO (named pipe)",
    /// …).
    NotAFile(&'static str),
    /// Larger than the cap (for backups [`MAX_FILE_BYTES`]); holds the size in
    /// bytes.
    TooBig(u64),
    /// Past the first [`MAX_FILES`] backups in name order: not read this
    /// round.
    TooMany,
    /// Reading its metadata or bytes failed; holds the error's text.
    Io(String),
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::Link => {
                f.write_str("a symbolic link; Authdesk does not follow links in the backup folder")
            }
            Skip::NotAFile(what) => write!(f, "{what}, not a backup file"),
            Skip::TooBig(n) => write!(
                f,
                "{} MB, more than a backup can be ({} MB at most)",
                n / 1_000_000,
                MAX_FILE_BYTES / 1_000_000
            ),
            Skip::TooMany => write!(
                f,
                "more than {MAX_FILES} backups in the folder; this one was not read"
            ),
            Skip::Io(e) => write!(f, "cannot be read: {e}"),
        }
    }
}

fn kind_of(t: std::fs::FileType) -> Option<Skip> {
    if t.is_symlink() {
        return Some(Skip::Link);
    }
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some(Skip::NotAFile("a folder"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some(Skip::NotAFile("a FIFO (named pipe)"));
        }
        if t.is_block_device() || t.is_char_device() {
            return Some(Skip::NotAFile("a device"));
        }
        if t.is_socket() {
            return Some(Skip::NotAFile("a socket"));
        }
    }
    Some(Skip::NotAFile("a special file"))
}

/// Opens a regular file without following a link at its last component and
/// without blocking on a FIFO.
fn open_nofollow(path: &Path) -> io::Result<File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        // FILE_FLAG_OPEN_REPARSE_POINT: open a link itself, not its target.
        opts.custom_flags(0x0020_0000);
    }
    opts.open(path)
}

/// The bytes of a regular file of at most `cap` bytes, never following a
/// link; `Err` says why not.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, Skip> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| Skip::Io(e.to_string()))?;
    if let Some(skip) = kind_of(meta.file_type()) {
        return Err(skip);
    }
    let file = open_nofollow(path).map_err(|e| {
        // ELOOP: it became a link after the listing.
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return Skip::Link;
        }
        Skip::Io(e.to_string())
    })?;
    let meta = file.metadata().map_err(|e| Skip::Io(e.to_string()))?;
    if let Some(skip) = kind_of(meta.file_type()) {
        return Err(skip);
    }
    if meta.len() > cap {
        return Err(Skip::TooBig(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Skip::Io(e.to_string()))?;
    if bytes.len() as u64 > cap {
        return Err(Skip::TooBig(bytes.len() as u64));
    }
    Ok(bytes)
}

/// A backup of the folder's: its bytes, or why they were not read.
pub fn read_backup(path: &Path) -> Result<Vec<u8>, Skip> {
    read_capped(path, MAX_FILE_BYTES)
}

/// Whether `name` is a backup (or a sync tool's copy of one) to merge.
/// Sync tools keep the extension at the end of their conflict copies; a
/// few put it in the middle, so both are accepted. Our own temporary files
/// (`.name.XXXX.tmp`) and other hidden files are not.
pub fn is_backup_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    let ext = format!(".{EXTENSION}");
    !lower.starts_with('.') && !lower.ends_with(".tmp") && lower.contains(&ext)
}

/// What the folder holds: the backups to read, sorted by name, and what
/// was passed over with why.
#[derive(Debug, Default)]
pub struct Listing {
    /// Regular files with a backup's name, sorted, at most [`MAX_FILES`].
    pub backups: Vec<PathBuf>,
    /// Names with a backup's name that were not read, with why, sorted by name.
    pub skipped: Vec<(String, Skip)>,
}

/// Lists `folder` (not its subfolders) without following links.
pub fn list(folder: &Path) -> io::Result<Listing> {
    let mut out = Listing::default();
    for item in std::fs::read_dir(folder)? {
        let item = item?;
        let name = item.file_name().to_string_lossy().into_owned();
        if !is_backup_name(&name) {
            continue;
        }
        // `file_type` of a directory entry does not follow links.
        match item.file_type().map(kind_of) {
            Ok(None) => out.backups.push(item.path()),
            Ok(Some(skip)) => out.skipped.push((name, skip)),
            Err(e) => out.skipped.push((name, Skip::Io(e.to_string()))),
        }
    }
    out.backups.sort();
    out.skipped.sort_by(|a, b| a.0.cmp(&b.0));
    if out.backups.len() > MAX_FILES {
        for path in out.backups.split_off(MAX_FILES) {
            out.skipped.push((file_name(&path), Skip::TooMany));
        }
    }
    Ok(out)
}

/// A cheap fingerprint of the folder's backups (names, sizes, times), so
/// that a caller polling it merges only when something arrived.
pub fn fingerprint(folder: &Path) -> io::Result<u64> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let listing = list(folder)?;
    for path in listing.backups {
        path.hash(&mut h);
        if let Ok(meta) = std::fs::symlink_metadata(&path) {
            meta.len().hash(&mut h);
            meta.modified().ok().hash(&mut h);
        }
    }
    for (name, _) in listing.skipped {
        name.hash(&mut h);
    }
    Ok(h.finish())
}

/// The last component of `path`, lossily as UTF-8 (or the whole path when it
/// has none), to name a file in reports.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// A device name as a file-name part: letters, digits and `-` stay.
pub fn safe_device(device: &str) -> String {
    device
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Whether `name` is a sync tool's conflict copy of the file whose name is
/// `stem` + extension (and not of a device whose name merely starts like
/// it). Syncthing: `x.sync-conflict-…`; Dropbox and Nextcloud/ownCloud:
/// `x (… conflicted copy …)`; Nextcloud's desktop client: `x_conflict-…`;
/// OneDrive: `x-<machine>` — recognised only where the stem ends in an id,
/// whose length is fixed, so that "anna" and "anna-laptop" stay two devices.
pub fn is_conflict_copy_of(name: &str, stem: &str, stem_is_id: bool) -> bool {
    let Some(rest) = name.strip_prefix(stem) else {
        return false;
    };
    let rest = rest.to_lowercase();
    let ext = format!(".{EXTENSION}");
    rest.starts_with(".sync-conflict-")
        || rest.starts_with(&format!("{ext}.sync-conflict-"))
        || (rest.starts_with(" (") && rest.contains("conflict"))
        || rest.starts_with("_conflict-")
        || (stem_is_id && rest.starts_with('-') && rest.ends_with(&ext))
}

/// Whether `name` is a conflict copy of any backup: a sync tool's marker
/// after an `authdesk-…` stem.
pub fn is_conflict_copy(name: &str) -> bool {
    let lower = name.to_lowercase();
    if !lower.starts_with("authdesk-") || !is_backup_name(name) {
        return false;
    }
    if lower.contains(".sync-conflict-")
        || lower.contains("conflicted copy")
        || lower.contains("_conflict-")
    {
        return true;
    }
    // OneDrive's `authdesk-<id>-<machine>.authdesk-backup`.
    let ext = format!(".{EXTENSION}");
    lower
        .strip_prefix("authdesk-")
        .and_then(|r| r.strip_suffix(&ext))
        .and_then(|r| {
            r.get(..crate::device::ID_LEN)
                .zip(r.get(crate::device::ID_LEN..))
        })
        .is_some_and(|(id, rest)| crate::device::is_id(id) && rest.starts_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_tools_copies_are_backups() {
        for name in [
            "authdesk-anna.authdesk-backup",
            "authdesk-anna.sync-conflict-20261124-101530-ABCDEFG.authdesk-backup",
            "authdesk-anna (conflicted copy 2026-11-24).authdesk-backup",
            "authdesk-anna (Bob's conflicted copy 2026-11-24).authdesk-backup",
            "authdesk-anna (conflicted copy 2026-11-24 101530).authdesk-backup",
            "authdesk-anna_conflict-20261124-101530.authdesk-backup",
            "authdesk-anna.authdesk-backup.sync-conflict-20261124-101530-ABCDEFG",
            "Family.AUTHDESK-BACKUP",
        ] {
            assert!(is_backup_name(name), "{name}");
        }
        for name in [
            ".authdesk-anna.authdesk-backup.x1y2.tmp",
            "notes.txt",
            "authdesk-anna.authdesk",
            ".stfolder",
        ] {
            assert!(!is_backup_name(name), "{name}");
        }
    }

    #[test]
    fn conflict_copies_are_told_from_devices() {
        let stem = "authdesk-anna";
        assert!(is_conflict_copy_of(
            "authdesk-anna.sync-conflict-20261124-101530-ABCDEFG.authdesk-backup",
            stem,
            false
        ));
        assert!(is_conflict_copy_of(
            "authdesk-anna (conflicted copy 2026-11-24).authdesk-backup",
            stem,
            false
        ));
        assert!(!is_conflict_copy_of(
            "authdesk-anna.authdesk-backup",
            stem,
            false
        ));
        assert!(!is_conflict_copy_of(
            "authdesk-anna-laptop (conflicted copy 2026-11-24).authdesk-backup",
            stem,
            false
        ));
        assert!(!is_conflict_copy_of(
            "authdesk-anna-laptop.authdesk-backup",
            stem,
            false
        ));
        let id = "authdesk-0123456789abcdef";
        assert!(is_conflict_copy_of(
            "authdesk-0123456789abcdef-LAPTOP-ANNA.authdesk-backup",
            id,
            true
        ));
        assert!(is_conflict_copy(
            "authdesk-0123456789abcdef-LAPTOP-ANNA.authdesk-backup"
        ));
        assert!(is_conflict_copy(
            "authdesk-bob.sync-conflict-20261124-101530-ABCDEFG.authdesk-backup"
        ));
        assert!(!is_conflict_copy(
            "authdesk-0123456789abcdef.authdesk-backup"
        ));
        assert!(!is_conflict_copy("authdesk-anna-laptop.authdesk-backup"));
    }

    #[cfg(unix)]
    #[test]
    fn links_fifos_folders_and_big_files_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("private-key");
        std::fs::write(&secret, b"MARKER").unwrap();
        let link = dir.path().join("authdesk-a.authdesk-backup");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        assert_eq!(read_backup(&link), Err(Skip::Link));
        let fifo = dir.path().join("authdesk-b.authdesk-backup");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        assert!(matches!(read_backup(&fifo), Err(Skip::NotAFile(_))));
        std::fs::create_dir(dir.path().join("authdesk-c.authdesk-backup")).unwrap();
        let big = dir.path().join("authdesk-d.authdesk-backup");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        assert!(matches!(read_backup(&big), Err(Skip::TooBig(_))));
        let listing = list(dir.path()).unwrap();
        assert_eq!(listing.backups, vec![big]);
        let names: Vec<&str> = listing.skipped.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "authdesk-a.authdesk-backup",
                "authdesk-b.authdesk-backup",
                "authdesk-c.authdesk-backup"
            ]
        );
    }
}
