//! Zip archives that hold an export (WinAuth, Authenticator Plus, Raivo).
//! Specification: PKWARE's APPNOTE.TXT; the password-protected ones use its
//! traditional encryption ("ZipCrypto", §6.1, WinAuth) or WinZip's AE-2
//! (AES-256 with an HMAC, Raivo).
//!
//! ZipCrypto has no real authentication: a header byte rejects 255 of 256
//! wrong passwords and the CRC-32 of the content catches the rest. A CRC or
//! inflate failure in an encrypted member is therefore reported as a wrong
//! password, by far the likelier cause. AE-2's two-byte password check
//! leaves 1 in 65,536, which its HMAC then catches the same way.

use std::borrow::Cow;
use std::io::{Cursor, Read};

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;
use zip::ZipArchive;
use zip::result::ZipError;

use super::text::UriList;
use super::{ImportError, Imported, Importer};

/// An export is a few kilobytes; a member that inflates beyond this is not
/// one, and must not fill the memory.
const MAX_MEMBER: u64 = 16 << 20;
/// What the members read from one archive may inflate to in all, counted
/// as they inflate (the sizes the archive declares are not trusted): as
/// much as the largest file Authdesk imports.
const MAX_INFLATED: u64 = 64 << 20;
/// Entries in the central directory. The exports hold one or two files;
/// the zip reader keeps a record of every entry, so a 64 MB directory of
/// tiny ones would take gigabytes before a member is read.
const MAX_MEMBERS: usize = 1_000;
/// How each central directory entry starts.
const CENTRAL_HEADER: &[u8; 4] = b"PK\x01\x02";

/// A member's name and content.
pub(crate) type Member = (String, Zeroizing<Vec<u8>>);

pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// A member's file name without its folders.
pub(crate) fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Whether `bytes` could hold more than [`MAX_MEMBERS`] central directory
/// entries, counted before the zip reader parses them: the reader reads as
/// many as the end record claims, and each starts with the signature, so
/// the signatures in the file bound them whatever the record says.
fn too_many_members(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, CENTRAL_HEADER)
        .nth(MAX_MEMBERS)
        .is_some()
}

/// The archive, once its entries are known to be few.
fn open<'a>(
    app: &'static str,
    bytes: &'a [u8],
) -> Result<ZipArchive<Cursor<&'a [u8]>>, ImportError> {
    if too_many_members(bytes) {
        return Err(ImportError::too_costly(
            app,
            format!(
                "the archive has more than {MAX_MEMBERS} entries, where an export has one or two. Check that this is the file the app exported"
            ),
        ));
    }
    ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ImportError::corrupt(app, format!("it is not a readable zip archive ({e})")))
}

/// The names of the file members, for recognising the archive. A damaged
/// archive whose directory cannot be read still names its first member in
/// the local header at its start; one with too many entries names none.
pub(crate) fn names(bytes: &[u8]) -> Vec<String> {
    if !is_zip(bytes) {
        return Vec::new();
    }
    if too_many_members(bytes) {
        return Vec::new();
    }
    if let Ok(archive) = ZipArchive::new(Cursor::new(bytes)) {
        return archive
            .file_names()
            .filter_map(Result::ok)
            .filter(|n| !n.ends_with('/'))
            .map(Cow::into_owned)
            .collect();
    }
    // Local file header: the name's length at 26, the name at 30.
    let Some(len) = bytes
        .get(26..28)
        .map(|l| usize::from(u16::from_le_bytes([l[0], l[1]])))
    else {
        return Vec::new();
    };
    bytes
        .get(30..30 + len)
        .map(|n| vec![String::from_utf8_lossy(n).into_owned()])
        .unwrap_or_default()
}

/// Whether any file member is encrypted; `false` for a damaged archive,
/// whose parse then says what is wrong before asking for a password.
pub(crate) fn any_encrypted(bytes: &[u8]) -> bool {
    let Ok(mut archive) = open("", bytes) else {
        return false;
    };
    (0..archive.len()).any(|i| archive.by_index_raw(i).is_ok_and(|f| f.encrypted()))
}

/// The content of every file member whose name `wanted` accepts, with its
/// name. An archive with no file members is [`ImportError::EmptyArchive`]
/// whatever the password; otherwise an encrypted member needs one.
pub(crate) fn read_members(
    app: &'static str,
    bytes: &[u8],
    password: Option<&SecretString>,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<Member>, ImportError> {
    let mut archive = open(app, bytes)?;
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let f = archive.by_index_raw(i).map_err(|e| {
            ImportError::corrupt(app, format!("member {} cannot be read ({e})", i + 1))
        })?;
        if f.is_file() {
            files.push((
                i,
                f.name().map(Cow::into_owned).unwrap_or_default(),
                f.encrypted(),
            ));
        }
    }
    if files.is_empty() {
        return Err(ImportError::EmptyArchive { app });
    }
    let all: Vec<String> = files.iter().map(|(_, n, _)| n.clone()).collect();
    files.retain(|(_, n, _)| wanted(n));
    if files.is_empty() {
        return Err(ImportError::NoOtpData {
            app,
            detail: format!("the archive holds no export, only {}", all.join(", ")),
        });
    }
    if files.iter().any(|(_, _, enc)| *enc) && password.is_none() {
        return Err(ImportError::PasswordNeeded { app });
    }
    let mut out = Vec::new();
    let mut left = MAX_INFLATED;
    for (i, name, encrypted) in files {
        let file = match (encrypted, password) {
            (true, Some(pw)) => archive.by_index_decrypt(i, pw.expose_secret().as_bytes()),
            _ => archive.by_index(i),
        };
        let file = file.map_err(|e| match e {
            ZipError::InvalidPassword => ImportError::WrongPassword { app },
            ZipError::UnsupportedArchive(why) => ImportError::UnsupportedEncryption {
                app,
                detail: format!("{name}: {why}"),
            },
            e => ImportError::corrupt(app, format!("{name} cannot be read ({e})")),
        })?;
        // The declared size only sizes the buffer, up front so that growing
        // it leaves no stray copies of the secrets behind; what is read is
        // bounded by the reader, one byte past the limit to see it crossed.
        let limit = MAX_MEMBER.min(left);
        let size = usize::try_from(file.size().min(limit)).unwrap_or(0);
        let mut content = Zeroizing::new(Vec::with_capacity(size + 1));
        let read = file.take(limit + 1).read_to_end(&mut content);
        match read {
            Ok(n) if n as u64 > limit => {
                let detail = if limit == MAX_MEMBER {
                    format!(
                        "{name} inflates to more than {} MiB; an export is a few kilobytes. Check that this is the file the app exported",
                        MAX_MEMBER >> 20
                    )
                } else {
                    format!(
                        "its members inflate to more than {} MiB in all ({name} crosses it); an export is a few kilobytes. Check that this is the file the app exported",
                        MAX_INFLATED >> 20
                    )
                };
                return Err(ImportError::too_costly(app, detail));
            }
            Ok(n) => left -= n as u64,
            Err(_) if encrypted => return Err(ImportError::WrongPassword { app }),
            Err(e) => {
                return Err(ImportError::corrupt(
                    app,
                    format!("{name} is damaged ({e})"),
                ));
            }
        }
        out.push((name, content));
    }
    Ok(out)
}

/// The members as lists of `otpauth://` links, one per line, which is what
/// both WinAuth and Authenticator Plus put in their archives.
pub(crate) fn link_lists(app: &'static str, members: &[Member]) -> Result<Imported, ImportError> {
    let mut out = Imported::default();
    for (name, content) in members {
        let list = UriList.parse(content, None).map_err(|e| match e {
            ImportError::NoOtpData { detail, .. } => ImportError::NoOtpData {
                app,
                detail: format!("{name}: {detail}"),
            },
            ImportError::Corrupt { detail, .. } => {
                ImportError::corrupt(app, format!("{name}: {detail}"))
            }
            e => e,
        })?;
        out.entries.extend(list.entries);
        out.skipped.extend(list.skipped);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    #[test]
    fn an_empty_archive_is_empty_before_any_password() {
        let mut eocd = b"PK\x05\x06".to_vec();
        eocd.resize(22, 0);
        assert!(is_zip(&eocd));
        let err = read_members("test", &eocd, None, |_| true).unwrap_err();
        assert_eq!(err.kind(), "empty_archive");
    }

    #[test]
    fn a_cut_off_archive_is_damaged_and_still_named() {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.resize(26, 0);
        bytes.extend_from_slice(&12u16.to_le_bytes());
        bytes.extend_from_slice(&[0, 0]);
        bytes.extend_from_slice(b"Accounts.txt");
        bytes.extend_from_slice(&[0x42; 40]);
        assert_eq!(names(&bytes), ["Accounts.txt"]);
        assert!(!any_encrypted(&bytes));
        let err = read_members("test", &bytes, None, |_| true).unwrap_err();
        assert_eq!(err.kind(), "import_corrupt");
    }

    #[test]
    fn base_names() {
        assert_eq!(base_name("a/b/Accounts.txt"), "Accounts.txt");
        assert_eq!(base_name("x.txt"), "x.txt");
    }
}
