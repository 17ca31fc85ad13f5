//! The `.authdesk-backup` file's bytes. `docs/formats/backup.md` is the
//! specification; keep the two in step.
//!
//! ```text
//! off        len   field
//!   0          8   magic "ADBACKUP"
//!   8          2   format version (u16 LE) = 1
//!  10          1   number of password slots n (1..=16)
//!  11          1   flags = 0
//!  12          8   created, Unix milliseconds (i64 LE)
//!  20          2   device name length d (u16 LE, ≤ 256)
//!  22          d   device name, UTF-8
//!  22+d    n×104   password slots:
//!                    +0  1  kind = 1 (Argon2id v0x13)
//!                    +1  3  reserved, zero
//!                    +4  4  Argon2 memory, KiB (u32 LE)
//!                    +8  4  Argon2 passes (u32 LE)
//!                   +12  4  Argon2 lanes (u32 LE)
//!                   +16 16  salt
//!                   +32 24  XChaCha20-Poly1305 nonce
//!                   +56 48  the 32-byte data key, sealed (AAD = bytes 0..10)
//!  S = 22+d+104n
//!  S          24   body nonce
//!  S+24        8   body ciphertext length incl. 16-byte tag (u64 LE)
//!  S+32       32   SHA-256 of bytes 0..S+32         (accidental damage)
//!  S+64       32   HMAC-SHA256(header MAC key, bytes 0..S+64)
//!  S+96        …   body: XChaCha20-Poly1305(data key), AAD = bytes 0..S+96
//! ```
//! A slot's key: the first 32 bytes of Argon2id(password, salt) with the
//! slot's parameters. The header MAC key is HMAC-SHA256(data key,
//! "authdesk-backup header mac v1"). The body is JSON ([`super::Body`]).

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

pub use crate::format::HeaderProblem;
pub use crate::format::TAG_LEN;
pub use crate::format::slot::{
    DataKey, MAX_SLOT_NAME, MAX_SLOT_WORK, MAX_SLOTS, SLOT_ARGON2ID, SLOT_LEN, Slot, SlotProblem,
    clean_slot_name,
};
use crate::format::{check_digest, check_length, check_start, u64_at};

/// The `magic` field at offset 0 (`docs/formats/backup.md`, "Layout").
pub const MAGIC: &[u8; 8] = b"ADBACKUP";
/// The `format version` field (offset 8) this build writes and the newest it
/// reads (`docs/formats/backup.md`, "Layout").
pub const VERSION: u16 = 1;
/// The most bytes the `device name` field may have (its length is at offset
/// 20); longer names are cut when writing (`docs/formats/backup.md`, "Layout").
pub const MAX_DEVICE_LEN: usize = 256;
/// The most work all of a file's slots may ask together, so that a wrong
/// password costs seconds however the file was made: 16 members at the
/// default cost fit.
pub const MAX_FILE_WORK: u64 = 4 * 1024 * 1024;
const FIXED_LEN: usize = 22;
const TRAILER_LEN: usize = 96;

/// What the header says, before any password is tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The `format version` field, 1 to [`VERSION`].
    pub version: u16,
    /// The `created` field: when the backup was made, Unix ms.
    pub created_ms: i64,
    /// The `device name` field: where the backup was made (informative).
    pub device: String,
    /// The password slots, 1 to [`MAX_SLOTS`], each within the Argon2 bounds.
    pub slots: Vec<Slot>,
    /// The body's XChaCha20-Poly1305 nonce, fresh on every write.
    pub body_nonce: [u8; 24],
    /// The body's ciphertext length, 16-byte tag included; the file ends
    /// exactly there.
    pub body_len: u64,
    /// Bytes 0..S+64: what the MAC covers.
    maced_len: usize,
}

/// Parses and checks the header; returns it with the body ciphertext.
pub fn parse(bytes: &[u8]) -> Result<(Header, &[u8]), HeaderProblem> {
    let shortest = FIXED_LEN + SLOT_LEN + TRAILER_LEN;
    let version = check_start(bytes, MAGIC, VERSION, FIXED_LEN, shortest)?;
    let n = usize::from(bytes[10]);
    let device_len = usize::from(u16::from_le_bytes([bytes[20], bytes[21]]));
    if !(1..=MAX_SLOTS).contains(&n) || device_len > MAX_DEVICE_LEN || bytes[11] != 0 {
        return Err(HeaderProblem::Corrupt(
            "the header's sizes are impossible (the file was damaged)".into(),
        ));
    }
    let s = FIXED_LEN + device_len + n * SLOT_LEN;
    let header_len = s + TRAILER_LEN;
    if bytes.len() < header_len {
        return Err(HeaderProblem::Truncated {
            expected: (header_len + TAG_LEN) as u64,
            actual: bytes.len() as u64,
        });
    }
    check_digest(bytes, s + 32)?;
    let device = String::from_utf8(bytes[FIXED_LEN..FIXED_LEN + device_len].to_vec())
        .map_err(|_| HeaderProblem::Corrupt("the device name is not UTF-8".into()))?;
    let mut slots = Vec::with_capacity(n);
    for i in 0..n {
        let b: &[u8; SLOT_LEN] = bytes[FIXED_LEN + device_len + i * SLOT_LEN..][..SLOT_LEN]
            .try_into()
            .expect("slot length");
        let slot = Slot::from_bytes(b).map_err(|p| match p {
            SlotProblem::UnknownKind(kind) => {
                HeaderProblem::Corrupt(format!("password slot {} has unknown kind {kind}", i + 1))
            }
            SlotProblem::UnsafeKdf(e) => {
                HeaderProblem::UnsafeKdf(format!("password slot {}: {e}", i + 1))
            }
        })?;
        slots.push(slot);
    }
    let work: u64 = slots.iter().map(Slot::work).sum();
    if work > MAX_FILE_WORK {
        return Err(HeaderProblem::UnsafeKdf(format!(
            "its {n} password slots ask for {} MiB × passes of Argon2 in all; Authdesk spends at most {} MiB × passes on one file",
            work / 1024,
            MAX_FILE_WORK / 1024
        )));
    }
    let body_len = u64_at(bytes, s + 24);
    check_length(bytes.len(), header_len, body_len, "backup", "body")?;
    let header = Header {
        version,
        created_ms: i64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes")),
        device,
        slots,
        body_nonce: bytes[s..s + 24].try_into().expect("24 bytes"),
        body_len,
        maced_len: s + 64,
    };
    Ok((header, &bytes[header_len..]))
}

/// Why the body could not be read once a slot opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyProblem {
    /// The header MAC fails under the slot's data key: the header was altered,
    /// or the key is another household's.
    HeaderAltered,
    /// The body's AEAD fails: the encrypted contents were altered.
    BodyAltered,
}

/// Checks the header MAC and decrypts the body.
pub fn decrypt(
    bytes: &[u8],
    header: &Header,
    key: &DataKey,
) -> Result<Zeroizing<Vec<u8>>, BodyProblem> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.mac_key()).expect("any key length");
    mac.update(&bytes[..header.maced_len]);
    mac.verify_slice(&bytes[header.maced_len..header.maced_len + 32])
        .map_err(|_| BodyProblem::HeaderAltered)?;
    let header_len = header.maced_len + 32;
    let cipher = XChaCha20Poly1305::new_from_slice(&key.as_bytes()[..]).expect("32 bytes");
    cipher
        .decrypt(
            XNonce::from_slice(&header.body_nonce),
            Payload {
                msg: &bytes[header_len..],
                aad: &bytes[..header_len],
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| BodyProblem::BodyAltered)
}

/// The whole file: header, slots, MAC and the sealed body.
pub fn seal(key: &DataKey, slots: &[Slot], created_ms: i64, device: &str, body: &[u8]) -> Vec<u8> {
    assert!((1..=MAX_SLOTS).contains(&slots.len()), "1 to 16 slots");
    // Device names are informative: cut at a character boundary.
    let mut end = device.len().min(MAX_DEVICE_LEN);
    while !device.is_char_boundary(end) {
        end -= 1;
    }
    let device = &device.as_bytes()[..end];
    let mut out = Vec::with_capacity(
        FIXED_LEN + device.len() + slots.len() * SLOT_LEN + TRAILER_LEN + body.len() + TAG_LEN,
    );
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.push(slots.len() as u8);
    out.push(0);
    out.extend_from_slice(&created_ms.to_le_bytes());
    out.extend_from_slice(&(device.len() as u16).to_le_bytes());
    out.extend_from_slice(device);
    for s in slots {
        out.extend_from_slice(&s.to_bytes());
    }
    let body_nonce = crate::format::random_nonce();
    out.extend_from_slice(&body_nonce);
    out.extend_from_slice(&((body.len() + TAG_LEN) as u64).to_le_bytes());
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.mac_key()).expect("any key length");
    mac.update(&out);
    out.extend_from_slice(&mac.finalize().into_bytes());
    let cipher = XChaCha20Poly1305::new_from_slice(&key.as_bytes()[..]).expect("32 bytes");
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&body_nonce),
            Payload {
                msg: body,
                aad: &out,
            },
        )
        .expect("XChaCha20-Poly1305 encrypts any length we hold in memory");
    out.extend_from_slice(&sealed);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_bound_to_this_format() {
        let aad = [&MAGIC[..], &VERSION.to_le_bytes()].concat();
        assert_eq!(aad, crate::format::slot::AAD);
    }
}
