//! What Authdesk's own encrypted files share: the vault
//! (`docs/formats/vault.md`) and the backup (`docs/formats/backup.md`).
//!
//! - [`kdf`]: the Argon2id cost, its bounds and the derivation;
//! - [`slot`]: a random data key and the password slots that seal it (the
//!   backup's slots, and a vault's household key);
//! - the header checks every reader runs before any key is derived, with
//!   one [`HeaderProblem`] for both files.
//!
//! One toolkit, so that a bound or a check tightened for one file is
//! tightened for the other; each format module keeps only its layout.
//! `tests/vectors/MANIFEST` lists each vector with the outcome it expects.

pub mod kdf;
pub mod slot;

pub use kdf::KdfParams;

/// The tag XChaCha20-Poly1305 appends to every ciphertext.
pub const TAG_LEN: usize = 16;

/// Where and how a file failed to parse, before any key is involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderProblem {
    /// It does not start with the format's signature: another kind of file.
    NotOurs,
    /// The file ends before its header or its announced body does (cut off by a
    /// copy or a crash).
    Truncated {
        /// The bytes a whole file needs: the header, or the header plus the
        /// announced body (or the smallest whole file when even the start is
        /// cut).
        expected: u64,
        /// The bytes the file has.
        actual: u64,
    },
    /// Damaged or impossible bytes (header checksum, unknown KDF, impossible
    /// length, trailing bytes); the text says which.
    Corrupt(String),
    /// Written by a newer Authdesk: the format version read, above the latest
    /// this build knows.
    NewerVersion(u16),
    /// Argon2 parameters outside the bounds of [`KdfParams::check_bounds`];
    /// refused before any key is derived. The text says which and why.
    UnsafeKdf(String),
}

/// A fresh XChaCha20-Poly1305 nonce: 24 random bytes never repeat in
/// practice, so no counter has to be kept.
pub(crate) fn random_nonce() -> [u8; 24] {
    use rand::RngCore;
    let mut n = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut n);
    n
}

/// A little-endian u32 at `off` (the caller has checked the length).
pub(crate) fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes(b[off..off + 4].try_into().expect("4 bytes"))
}

/// A little-endian u64 at `off` (the caller has checked the length).
pub(crate) fn u64_at(b: &[u8], off: usize) -> u64 {
    u64::from_le_bytes(b[off..off + 8].try_into().expect("8 bytes"))
}

/// The start both formats share: an 8-byte signature, then the format
/// version (u16 LE). `fixed` is how many bytes the reader needs before it
/// can look further; `shortest` the length of the smallest whole file, for
/// the message when the file is cut off. Returns the version.
pub(crate) fn check_start(
    bytes: &[u8],
    magic: &[u8; 8],
    latest: u16,
    fixed: usize,
    shortest: usize,
) -> Result<u16, HeaderProblem> {
    let truncated = HeaderProblem::Truncated {
        expected: shortest as u64,
        actual: bytes.len() as u64,
    };
    if bytes.len() < magic.len() {
        return if !bytes.is_empty() && magic.starts_with(bytes) {
            Err(truncated)
        } else {
            Err(HeaderProblem::NotOurs)
        };
    }
    if &bytes[..magic.len()] != magic {
        return Err(HeaderProblem::NotOurs);
    }
    if bytes.len() < fixed.max(10) {
        return Err(truncated);
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version > latest {
        return Err(HeaderProblem::NewerVersion(version));
    }
    if version == 0 {
        return Err(HeaderProblem::Corrupt(
            "format version 0 does not exist".into(),
        ));
    }
    Ok(version)
}

/// The SHA-256 at `bytes[covered..covered + 32]` of `bytes[..covered]`:
/// accidental damage is told apart from a wrong password before the KDF.
pub(crate) fn check_digest(bytes: &[u8], covered: usize) -> Result<(), HeaderProblem> {
    use sha2::{Digest, Sha256};
    if Sha256::digest(&bytes[..covered]).as_slice() != &bytes[covered..covered + 32] {
        return Err(HeaderProblem::Corrupt(
            "the header checksum does not match (the file was damaged)".into(),
        ));
    }
    Ok(())
}

/// The file's length against what its header announces: `header_len`
/// bytes of header, then `body_len` of ciphertext (tag included). `what`
/// names the file and `body` the ciphertext in messages.
pub(crate) fn check_length(
    actual: usize,
    header_len: usize,
    body_len: u64,
    what: &str,
    body: &str,
) -> Result<(), HeaderProblem> {
    let actual = actual as u64;
    let expected = match (header_len as u64).checked_add(body_len) {
        Some(e) if body_len >= TAG_LEN as u64 => e,
        _ => {
            return Err(HeaderProblem::Corrupt(format!(
                "the {body} length is impossible"
            )));
        }
    };
    if actual < expected {
        return Err(HeaderProblem::Truncated { expected, actual });
    }
    if actual > expected {
        return Err(HeaderProblem::Corrupt(format!(
            "{} unexpected bytes after the end of the {what}",
            actual - expected
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAGIC: &[u8; 8] = b"TESTFMT\0";

    #[test]
    fn the_start_tells_foreign_cut_off_and_newer_files_apart() {
        let ok = [&MAGIC[..], &[1, 0], &[0; 10]].concat();
        assert_eq!(check_start(&ok, MAGIC, 1, 12, 50), Ok(1));
        assert_eq!(
            check_start(b"", MAGIC, 1, 12, 50),
            Err(HeaderProblem::NotOurs)
        );
        assert_eq!(
            check_start(b"PK\x03\x04", MAGIC, 1, 12, 50),
            Err(HeaderProblem::NotOurs)
        );
        assert_eq!(
            check_start(&ok[..5], MAGIC, 1, 12, 50),
            Err(HeaderProblem::Truncated {
                expected: 50,
                actual: 5
            })
        );
        assert_eq!(
            check_start(&ok[..11], MAGIC, 1, 12, 50),
            Err(HeaderProblem::Truncated {
                expected: 50,
                actual: 11
            })
        );
        let newer = [&MAGIC[..], &[2, 0], &[0; 10]].concat();
        assert_eq!(
            check_start(&newer, MAGIC, 1, 12, 50),
            Err(HeaderProblem::NewerVersion(2))
        );
        let zero = [&MAGIC[..], &[0, 0], &[0; 10]].concat();
        assert!(matches!(
            check_start(&zero, MAGIC, 1, 12, 50),
            Err(HeaderProblem::Corrupt(_))
        ));
    }

    #[test]
    fn the_length_must_be_what_the_header_says() {
        assert_eq!(check_length(116, 100, 16, "vault", "ciphertext"), Ok(()));
        assert_eq!(
            check_length(110, 100, 16, "vault", "ciphertext"),
            Err(HeaderProblem::Truncated {
                expected: 116,
                actual: 110
            })
        );
        assert_eq!(
            check_length(120, 100, 16, "vault", "ciphertext"),
            Err(HeaderProblem::Corrupt(
                "4 unexpected bytes after the end of the vault".into()
            ))
        );
        for impossible in [15, u64::MAX] {
            assert_eq!(
                check_length(120, 100, impossible, "backup", "body"),
                Err(HeaderProblem::Corrupt(
                    "the body length is impossible".into()
                ))
            );
        }
    }
}
