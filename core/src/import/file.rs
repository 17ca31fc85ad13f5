//! Reading an export file from disk, with the one bound every front end
//! holds it to: exports are kilobytes, so a file over [`MAX_FILE`] is
//! something else, and reading it whole would only exhaust memory.

use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// The largest file an import reads, in bytes (64 MiB).
pub const MAX_FILE: u64 = 64 * 1024 * 1024;

/// Why an export file could not be read. Nothing was parsed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ReadFileError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}; check the path and that the file can be read")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The path names a folder (an export unpacked by hand, say).
    #[error("{path} is a folder: give the export file inside it")]
    Folder {
        /// The folder.
        path: PathBuf,
    },
    /// The path names a pipe, device or socket, not a file: reading it
    /// could wait for ever or never end.
    #[error("{path} is not a file (a pipe, device or socket): give the export file itself")]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// The file is larger than [`MAX_FILE`].
    #[error(
        "{path} is {} MB: too large for an authenticator export (the limit is {} MB); check that it is the app's export file",
        .size / 1_000_000,
        MAX_FILE / 1_000_000
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
}

impl crate::error::Kind for ReadFileError {
    fn kind(&self) -> &'static str {
        match self {
            ReadFileError::Io { .. } => "import_io",
            ReadFileError::Folder { .. } => "import_folder",
            ReadFileError::NotAFile { .. } => "import_not_a_file",
            ReadFileError::TooLarge { .. } => "import_too_large",
        }
    }

    fn params(&self) -> crate::error::Params {
        let (ReadFileError::Io { path, .. }
        | ReadFileError::Folder { path }
        | ReadFileError::NotAFile { path }
        | ReadFileError::TooLarge { path, .. }) = self;
        vec![("name", crate::error::shown(path))]
    }
}

/// Whether `len` bytes are more than an export can be (a dropped file's
/// bytes, already in memory, are checked with this too).
pub fn too_large(len: u64) -> bool {
    len > MAX_FILE
}

/// The bytes of the export at `path`, its size checked before it is read
/// and the read itself bounded: a device or a pipe (`/dev/zero`, a FIFO)
/// says it is empty and then never ends.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ReadFileError> {
    use std::io::Read as _;
    let io = |source| ReadFileError::Io {
        path: path.to_owned(),
        source,
    };
    let too_big = |size| ReadFileError::TooLarge {
        path: path.to_owned(),
        size,
    };
    // The folder check goes by path: Windows will not open a folder.
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(ReadFileError::Folder {
            path: path.to_owned(),
        });
    }
    if too_large(meta.len()) {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::new();
    crate::vault::fsio::open_regular(path)
        .map_err(|e| {
            if crate::vault::fsio::is_not_regular(&e) {
                ReadFileError::NotAFile {
                    path: path.to_owned(),
                }
            } else {
                io(e)
            }
        })?
        // A regular file that says it is empty and is not (/proc) stops too.
        .take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if too_large(bytes.len() as u64) {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    #[test]
    fn folders_and_missing_files_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_file(dir.path()).unwrap_err();
        assert_eq!(e.kind(), "import_folder");
        let missing = dir.path().join("aegis.json");
        let e = read_file(&missing).unwrap_err();
        assert_eq!(e.kind(), "import_io");
        assert!(e.to_string().contains("aegis.json"), "{e}");
        std::fs::write(&missing, b"{}").unwrap();
        assert_eq!(read_file(&missing).unwrap(), b"{}");
        assert!(too_large(MAX_FILE + 1) && !too_large(MAX_FILE));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_or_a_pipe_is_refused_without_reading_or_waiting() {
        // /dev/zero reports a length of 0 and never ends.
        let e = read_file(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(e.kind(), "import_not_a_file");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("aegis.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        // No program writes to it: a plain open would wait for ever.
        assert_eq!(read_file(&fifo).unwrap_err().kind(), "import_not_a_file");
    }
}
