//! File-system plumbing: private folders, the save lock, atomic writes.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Creates the vault's folder (0700) when missing. An existing folder is
/// left as the user set it up.
pub fn ensure_private_dir(path: &Path) -> io::Result<()> {
    let dir = parent(path);
    if dir.exists() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir)?;
    #[cfg(unix)]
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    Ok(())
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// An exclusive advisory lock held until dropped. It lives on a sibling
/// file because the vault itself is replaced by rename on every save.
pub struct Lock(#[allow(dead_code)] File);

/// Takes the save lock of the vault at `path`: an exclusive lock on the sibling
/// `<vault name>.lock` (created 0600, never deleted), waiting while another
/// process holds it.
pub fn lock(path: &Path) -> io::Result<Lock> {
    let mut opts = fs::OpenOptions::new();
    opts.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let file = opts.open(lock_path(path))?;
    file.lock()?;
    Ok(Lock(file))
}

/// Writes `bytes` to `path` so that a reader sees either the old or the
/// new file, never a mix, whatever happens (crash, full disk): temp file in
/// the same folder (0600), fsync, rename, fsync the folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = parent(path);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    #[cfg(unix)]
    tmp.as_file()
        .set_permissions(fs::Permissions::from_mode(0o600))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    Ok(())
}

/// Opens a file the user chose (an export, a backup, an image) for
/// reading, refusing what is not a regular file: a FIFO would block the
/// open until some other program writes to it, and a device (`/dev/zero`)
/// never ends. The open does not wait (O_NONBLOCK, which regular files
/// ignore), and the check is made on the opened file, so a swap after a
/// check by path changes nothing. Links are followed: the user picked
/// the path. `InvalidInput` ("not a regular file") for the rest.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let mut opts = fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut opts, libc::O_NONBLOCK);
    let file = opts.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(not_regular());
    }
    Ok(file)
}

/// The bytes of the regular file at `path` ([`open_regular`]), at most
/// `cap` of them: a larger file is `InvalidData` ("larger than …"), found
/// by its size before reading and by the bounded read itself.
pub fn read_regular(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    use std::io::Read as _;
    let file = open_regular(path)?;
    let too_big = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {} MB", cap / 1_000_000),
        )
    };
    if file.metadata()?.len() > cap {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_big());
    }
    Ok(bytes)
}

/// What [`open_regular`] refuses: a FIFO, device, socket or folder.
#[derive(Debug)]
struct NotRegular;

impl std::fmt::Display for NotRegular {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a regular file (a folder, pipe, device or socket)")
    }
}

impl std::error::Error for NotRegular {}

/// The error [`open_regular`] gives for a FIFO, device, socket or folder.
pub fn not_regular() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, NotRegular)
}

/// Whether `e` is [`open_regular`]'s refusal (by its type, not its text).
pub fn is_not_regular(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<NotRegular>())
}

/// Moves the vault at `path` aside, to `<name>.forgotten-<stamp>` beside it
/// (`-2`, `-3`, … when that name is taken), so that a new vault can be
/// made in its place after its password was forgotten. Never deletes and
/// never replaces a file: the user may remember the password later. Holds
/// the save lock, so no other process saves into the file meanwhile. The
/// new path.
pub fn set_aside(path: &Path, stamp: &str) -> io::Result<PathBuf> {
    let _lock = lock(path)?;
    let meta = fs::symlink_metadata(path)?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the vault is not a regular file",
        ));
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    for n in 1..=100 {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let aside = path.with_file_name(format!("{name}.forgotten-{stamp}{suffix}"));
        // A hard link fails rather than replace an existing name; a file
        // system without links (FAT, some network shares) gets a rename
        // after a check instead.
        match fs::hard_link(path, &aside) {
            Ok(()) => {
                fs::remove_file(path)?;
                return Ok(aside);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(_) if fs::symlink_metadata(&aside).is_err() => {
                fs::rename(path, &aside)?;
                return Ok(aside);
            }
            Err(_) => continue,
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "a hundred earlier vaults were set aside today already",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forgotten_vault_is_moved_aside_never_over_another() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault.authdesk");
        fs::write(&vault, b"first").unwrap();
        let one = set_aside(&vault, "2026-12-04T16-54-16Z").unwrap();
        assert_eq!(
            one.file_name().unwrap(),
            "vault.authdesk.forgotten-2026-12-04T16-54-16Z"
        );
        assert!(!vault.exists());
        fs::write(&vault, b"second").unwrap();
        let two = set_aside(&vault, "2026-12-04T16-54-16Z").unwrap();
        assert!(two.to_string_lossy().ends_with("-16Z-2"), "{two:?}");
        assert_eq!(fs::read(&one).unwrap(), b"first");
        assert_eq!(fs::read(&two).unwrap(), b"second");
        assert_eq!(
            set_aside(&vault, "x").unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_device_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("export.json");
        // The mkfifo tool: this crate forbids unsafe code, libc's call too.
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        // Without a writer, a plain open would block here for ever.
        assert!(is_not_regular(&open_regular(&fifo).unwrap_err()));
        assert!(is_not_regular(
            &open_regular(Path::new("/dev/zero")).unwrap_err()
        ));
        let file = dir.path().join("ok");
        fs::write(&file, b"x").unwrap();
        assert!(open_regular(&file).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_vault_is_not_moved() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        fs::write(&target, b"x").unwrap();
        let vault = dir.path().join("vault.authdesk");
        std::os::unix::fs::symlink(&target, &vault).unwrap();
        assert!(set_aside(&vault, "s").is_err());
        assert!(fs::symlink_metadata(&vault).is_ok() && target.exists());
    }
}
