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
use rand::RngCore;
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::vault::format::{KdfParams, derive_key, random_salt};

pub const MAGIC: &[u8; 8] = b"ADBACKUP";
pub const VERSION: u16 = 1;
pub const SLOT_ARGON2ID: u8 = 1;
pub const SLOT_LEN: usize = 104;
pub const MAX_SLOTS: usize = 16;
pub const MAX_DEVICE_LEN: usize = 256;
/// The most Argon2 work (KiB of memory × passes) one slot may ask: about
/// five times the default (64 MiB × 3), so one try costs seconds at most.
pub const MAX_SLOT_WORK: u64 = 1024 * 1024;
/// The most work all of a file's slots may ask together, so that a wrong
/// password costs seconds however the file was made: 16 members at the
/// default cost fit.
pub const MAX_FILE_WORK: u64 = 4 * 1024 * 1024;
const FIXED_LEN: usize = 22;
const TRAILER_LEN: usize = 96;
pub const TAG_LEN: usize = 16;

/// The random key that encrypts the body. Every slot seals the same one.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    pub fn random() -> Self {
        let mut k = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(&mut k[..]);
        Self(k)
    }

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn mac_key(&self) -> Zeroizing<Vec<u8>> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0[..]).expect("any key length");
        mac.update(b"authdesk-backup header mac v1");
        Zeroizing::new(mac.finalize().into_bytes().to_vec())
    }
}

impl PartialEq for DataKey {
    fn eq(&self, other: &Self) -> bool {
        use subtle::ConstantTimeEq;
        self.0[..].ct_eq(&other.0[..]).into()
    }
}

impl Eq for DataKey {}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey([redacted])")
    }
}

/// One password's sealed copy of the data key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub kdf: KdfParams,
    pub salt: [u8; 16],
    pub nonce: [u8; 24],
    pub sealed: [u8; 48],
}

fn nonce() -> [u8; 24] {
    let mut n = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut n);
    n
}

fn slot_aad() -> [u8; 10] {
    let mut aad = [0u8; 10];
    aad[..8].copy_from_slice(MAGIC);
    aad[8..].copy_from_slice(&VERSION.to_le_bytes());
    aad
}

impl Slot {
    pub fn seal(key: &DataKey, password: &SecretString, kdf: KdfParams) -> Result<Slot, String> {
        kdf.check_bounds()?;
        let salt = random_salt();
        let kek = derive_key(password, &salt, kdf)?;
        let nonce = nonce();
        let cipher = XChaCha20Poly1305::new_from_slice(&kek.as_bytes()[..32]).expect("32 bytes");
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &key.0[..],
                    aad: &slot_aad(),
                },
            )
            .map_err(|_| "sealing the data key failed".to_string())?;
        Ok(Slot {
            kdf,
            salt,
            nonce,
            sealed: sealed.try_into().expect("32 + 16 bytes"),
        })
    }

    /// The slot's 104 bytes, as in the file (and in a vault's household key).
    pub fn to_bytes(&self) -> [u8; SLOT_LEN] {
        let mut b = [0u8; SLOT_LEN];
        b[0] = SLOT_ARGON2ID;
        b[4..8].copy_from_slice(&self.kdf.memory_kib.to_le_bytes());
        b[8..12].copy_from_slice(&self.kdf.passes.to_le_bytes());
        b[12..16].copy_from_slice(&self.kdf.lanes.to_le_bytes());
        b[16..32].copy_from_slice(&self.salt);
        b[32..56].copy_from_slice(&self.nonce);
        b[56..104].copy_from_slice(&self.sealed);
        b
    }

    /// Reads a slot, bounding its KDF parameters before anything runs them.
    pub fn from_bytes(b: &[u8; SLOT_LEN]) -> Result<Slot, SlotProblem> {
        if b[0] != SLOT_ARGON2ID {
            return Err(SlotProblem::UnknownKind(b[0]));
        }
        let kdf = KdfParams {
            memory_kib: u32_at(b, 4),
            passes: u32_at(b, 8),
            lanes: u32_at(b, 12),
        };
        kdf.check_bounds().map_err(SlotProblem::UnsafeKdf)?;
        let work = u64::from(kdf.memory_kib) * u64::from(kdf.passes);
        if work > MAX_SLOT_WORK {
            return Err(SlotProblem::UnsafeKdf(format!(
                "{} MiB × {} passes of Argon2; Authdesk allows at most {} MiB × passes for one password",
                kdf.memory_kib / 1024,
                kdf.passes,
                MAX_SLOT_WORK / 1024
            )));
        }
        Ok(Slot {
            kdf,
            salt: b[16..32].try_into().expect("16 bytes"),
            nonce: b[32..56].try_into().expect("24 bytes"),
            sealed: b[56..104].try_into().expect("48 bytes"),
        })
    }

    /// The Argon2 work a try costs: KiB of memory × passes.
    pub fn work(&self) -> u64 {
        u64::from(self.kdf.memory_kib) * u64::from(self.kdf.passes)
    }

    /// The data key, if `password` is this slot's.
    pub fn open(&self, password: &SecretString) -> Option<DataKey> {
        let kek = derive_key(password, &self.salt, self.kdf).ok()?;
        let cipher = XChaCha20Poly1305::new_from_slice(&kek.as_bytes()[..32]).expect("32 bytes");
        let key = Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(&self.nonce),
                    Payload {
                        msg: &self.sealed,
                        aad: &slot_aad(),
                    },
                )
                .ok()?,
        );
        let arr: [u8; 32] = key[..].try_into().ok()?;
        Some(DataKey(Zeroizing::new(arr)))
    }
}

/// Why a slot's bytes were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotProblem {
    UnknownKind(u8),
    UnsafeKdf(String),
}

/// What the header says, before any password is tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub version: u16,
    pub created_ms: i64,
    pub device: String,
    pub slots: Vec<Slot>,
    pub body_nonce: [u8; 24],
    pub body_len: u64,
    /// Bytes 0..S+64: what the MAC covers.
    maced_len: usize,
}

/// Where and how a file failed to parse, before any key is involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderProblem {
    NotABackup,
    Truncated { expected: u64, actual: u64 },
    Corrupt(String),
    NewerVersion(u16),
    UnsafeKdf(String),
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes(b[off..off + 4].try_into().expect("4 bytes"))
}

/// Parses and checks the header; returns it with the body ciphertext.
pub fn parse(bytes: &[u8]) -> Result<(Header, &[u8]), HeaderProblem> {
    let actual = bytes.len() as u64;
    let truncated = |expected: usize| HeaderProblem::Truncated {
        expected: expected as u64,
        actual,
    };
    if bytes.len() < MAGIC.len() {
        return if !bytes.is_empty() && MAGIC.starts_with(bytes) {
            Err(truncated(FIXED_LEN + SLOT_LEN + TRAILER_LEN))
        } else {
            Err(HeaderProblem::NotABackup)
        };
    }
    if &bytes[..8] != MAGIC {
        return Err(HeaderProblem::NotABackup);
    }
    if bytes.len() < FIXED_LEN {
        return Err(truncated(FIXED_LEN + SLOT_LEN + TRAILER_LEN));
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version > VERSION {
        return Err(HeaderProblem::NewerVersion(version));
    }
    if version == 0 {
        return Err(HeaderProblem::Corrupt(
            "format version 0 does not exist".into(),
        ));
    }
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
        return Err(truncated(header_len + TAG_LEN));
    }
    let digest = Sha256::digest(&bytes[..s + 32]);
    if digest.as_slice() != &bytes[s + 32..s + 64] {
        return Err(HeaderProblem::Corrupt(
            "the header checksum does not match (the file was damaged)".into(),
        ));
    }
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
    let body_len = u64::from_le_bytes(bytes[s + 24..s + 32].try_into().expect("8 bytes"));
    let expected = match (header_len as u64).checked_add(body_len) {
        Some(e) if body_len >= TAG_LEN as u64 => e,
        _ => {
            return Err(HeaderProblem::Corrupt(
                "the body length is impossible".into(),
            ));
        }
    };
    if actual < expected {
        return Err(HeaderProblem::Truncated { expected, actual });
    }
    if actual > expected {
        return Err(HeaderProblem::Corrupt(format!(
            "{} unexpected bytes after the end of the backup",
            actual - expected
        )));
    }
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
    HeaderAltered,
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
    let cipher = XChaCha20Poly1305::new_from_slice(&key.0[..]).expect("32 bytes");
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
    let body_nonce = nonce();
    out.extend_from_slice(&body_nonce);
    out.extend_from_slice(&((body.len() + TAG_LEN) as u64).to_le_bytes());
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.mac_key()).expect("any key length");
    mac.update(&out);
    out.extend_from_slice(&mac.finalize().into_bytes());
    let cipher = XChaCha20Poly1305::new_from_slice(&key.0[..]).expect("32 bytes");
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
