//! The vault file's bytes. `docs/formats/vault.md` is the specification;
//! keep the two in step.
//!
//! ```text
//! off len field
//!   0   8 magic "ADVAULT\x00"
//!   8   2 format version (u16 LE) = 1
//!  10   1 KDF id = 1 (Argon2id v0x13)
//!  11   1 flags = 0
//!  12   4 Argon2 memory, KiB (u32 LE)
//!  16   4 Argon2 passes (u32 LE)
//!  20   4 Argon2 lanes (u32 LE)
//!  24  16 salt
//!  40  24 XChaCha20-Poly1305 nonce
//!  64   8 ciphertext length incl. 16-byte tag (u64 LE)
//!  72  32 SHA-256 of bytes 0..72           (accidental damage, before the KDF)
//! 104  32 HMAC-SHA256(mac key, bytes 0..104) (tells a wrong password apart)
//! 136   … ciphertext, AAD = bytes 0..136
//! ```
//! Argon2id(password, salt) yields 64 bytes: the first 32 are the
//! encryption key, the last 32 the header MAC key.

use chacha20poly1305::aead::{Aead, KeyInit, Payload as AeadPayload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

pub const MAGIC: &[u8; 8] = b"ADVAULT\0";
pub const VERSION: u16 = 1;
pub const KDF_ARGON2ID: u8 = 1;
pub const HEADER_LEN: usize = 136;
const CHECKED_LEN: usize = 72;
const MACED_LEN: usize = 104;
pub const TAG_LEN: usize = 16;

/// Argon2id cost. Defaults follow OWASP's "64 MiB, 3 passes, 1 lane" tier,
/// which unlocks in a few hundred milliseconds on a 2-core laptop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

impl Default for KdfParams {
    fn default() -> Self {
        Self {
            memory_kib: 64 * 1024,
            passes: 3,
            lanes: 1,
        }
    }
}

/// Limits on parameters read from a file. A hostile or damaged header must
/// not make us allocate gigabytes or spin for minutes before we can say
/// "wrong password".
pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
pub const MAX_PASSES: u32 = 16;
pub const MAX_LANES: u32 = 8;

impl KdfParams {
    /// Cheap parameters for tests and test vectors only.
    pub fn insecure_for_tests() -> Self {
        Self {
            memory_kib: 64,
            passes: 1,
            lanes: 1,
        }
    }

    pub fn check_bounds(&self) -> Result<(), String> {
        if !(1..=MAX_LANES).contains(&self.lanes) {
            return Err(format!("{} lanes (allowed 1 to {MAX_LANES})", self.lanes));
        }
        if !(1..=MAX_PASSES).contains(&self.passes) {
            return Err(format!(
                "{} passes (allowed 1 to {MAX_PASSES})",
                self.passes
            ));
        }
        let min = 8 * self.lanes;
        if !(min..=MAX_MEMORY_KIB).contains(&self.memory_kib) {
            return Err(format!(
                "{} KiB of memory (allowed {min} KiB to {} MiB)",
                self.memory_kib,
                MAX_MEMORY_KIB / 1024
            ));
        }
        Ok(())
    }
}

/// Derived key material: encryption key and header MAC key. Whoever holds
/// it can open this vault until its password changes.
#[derive(Clone)]
pub struct VaultKey(Zeroizing<[u8; 64]>);

impl VaultKey {
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let arr: [u8; 64] = bytes.try_into().ok()?;
        Some(Self(Zeroizing::new(arr)))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0[..]
    }

    fn enc(&self) -> &[u8] {
        &self.0[..32]
    }

    fn mac(&self) -> &[u8] {
        &self.0[32..]
    }
}

impl std::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKey([redacted])")
    }
}

pub fn derive_key(
    password: &SecretString,
    salt: &[u8; 16],
    kdf: KdfParams,
) -> Result<VaultKey, String> {
    let params = argon2::Params::new(kdf.memory_kib, kdf.passes, kdf.lanes, Some(64))
        .map_err(|e| e.to_string())?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 64]);
    argon
        .hash_password_into(password.expose_secret().as_bytes(), salt, &mut out[..])
        .map_err(|e| e.to_string())?;
    Ok(VaultKey(out))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub version: u16,
    pub kdf: KdfParams,
    pub salt: [u8; 16],
    pub nonce: [u8; 24],
    pub ciphertext_len: u64,
}

/// Where and how a file failed to parse, before any key is involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderProblem {
    Truncated { expected: u64, actual: u64 },
    Corrupt(String),
    NewerVersion(u16),
    UnsafeKdf(String),
}

pub fn random_salt() -> [u8; 16] {
    let mut s = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut s);
    s
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes(b[off..off + 4].try_into().expect("4 bytes"))
}

/// Parses and checks the header; returns it with the ciphertext.
pub fn parse(bytes: &[u8]) -> Result<(Header, &[u8]), HeaderProblem> {
    let actual = bytes.len() as u64;
    if bytes.len() < MAGIC.len() {
        return if MAGIC.starts_with(bytes) {
            Err(HeaderProblem::Truncated {
                expected: HEADER_LEN as u64,
                actual,
            })
        } else {
            Err(HeaderProblem::Corrupt(
                "it does not start with the Authdesk vault signature".into(),
            ))
        };
    }
    if &bytes[..8] != MAGIC {
        return Err(HeaderProblem::Corrupt(
            "it does not start with the Authdesk vault signature".into(),
        ));
    }
    if bytes.len() < 10 {
        return Err(HeaderProblem::Truncated {
            expected: HEADER_LEN as u64,
            actual,
        });
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
    if bytes.len() < HEADER_LEN {
        return Err(HeaderProblem::Truncated {
            expected: HEADER_LEN as u64,
            actual,
        });
    }
    let digest = Sha256::digest(&bytes[..CHECKED_LEN]);
    if digest.as_slice() != &bytes[CHECKED_LEN..MACED_LEN] {
        return Err(HeaderProblem::Corrupt(
            "the header checksum does not match (the file was damaged)".into(),
        ));
    }
    if bytes[10] != KDF_ARGON2ID {
        return Err(HeaderProblem::Corrupt(format!(
            "unknown key derivation function {}",
            bytes[10]
        )));
    }
    let kdf = KdfParams {
        memory_kib: u32_at(bytes, 12),
        passes: u32_at(bytes, 16),
        lanes: u32_at(bytes, 20),
    };
    kdf.check_bounds().map_err(HeaderProblem::UnsafeKdf)?;
    let header = Header {
        version,
        kdf,
        salt: bytes[24..40].try_into().expect("16 bytes"),
        nonce: bytes[40..64].try_into().expect("24 bytes"),
        ciphertext_len: u64::from_le_bytes(bytes[64..72].try_into().expect("8 bytes")),
    };
    let expected = match (HEADER_LEN as u64).checked_add(header.ciphertext_len) {
        Some(n) if header.ciphertext_len >= TAG_LEN as u64 => n,
        _ => {
            return Err(HeaderProblem::Corrupt(
                "the ciphertext length is impossible".into(),
            ));
        }
    };
    if actual < expected {
        return Err(HeaderProblem::Truncated { expected, actual });
    }
    if actual > expected {
        return Err(HeaderProblem::Corrupt(format!(
            "{} unexpected bytes after the end of the vault",
            actual - expected
        )));
    }
    Ok((header, &bytes[HEADER_LEN..]))
}

fn header_mac(key: &VaultKey, bytes: &[u8]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.mac()).expect("any key length");
    mac.update(&bytes[..MACED_LEN]);
    mac
}

/// Whether `key` is the key of this file (checked on the header alone).
pub fn key_matches(key: &VaultKey, file: &[u8]) -> bool {
    header_mac(key, file)
        .verify_slice(&file[MACED_LEN..HEADER_LEN])
        .is_ok()
}

/// Decrypts the ciphertext of a parsed file whose key has been checked;
/// `None` when authentication fails (damage or tampering).
pub fn decrypt(key: &VaultKey, file: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let (header, ciphertext) = parse(file).ok()?;
    let cipher = XChaCha20Poly1305::new_from_slice(key.enc()).expect("32-byte key");
    cipher
        .decrypt(
            XNonce::from_slice(&header.nonce),
            AeadPayload {
                msg: ciphertext,
                aad: &file[..HEADER_LEN],
            },
        )
        .ok()
        .map(Zeroizing::new)
}

/// A whole file for `plaintext`, with a fresh nonce.
pub fn encrypt(key: &VaultKey, kdf: KdfParams, salt: &[u8; 16], plaintext: &[u8]) -> Vec<u8> {
    let mut nonce = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let ct_len = (plaintext.len() + TAG_LEN) as u64;
    let mut out = Vec::with_capacity(HEADER_LEN + plaintext.len() + TAG_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.push(KDF_ARGON2ID);
    out.push(0);
    out.extend_from_slice(&kdf.memory_kib.to_le_bytes());
    out.extend_from_slice(&kdf.passes.to_le_bytes());
    out.extend_from_slice(&kdf.lanes.to_le_bytes());
    out.extend_from_slice(salt);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct_len.to_le_bytes());
    let digest = Sha256::digest(&out[..CHECKED_LEN]);
    out.extend_from_slice(&digest);
    let tag = header_mac(key, &out).finalize().into_bytes();
    out.extend_from_slice(&tag);
    let cipher = XChaCha20Poly1305::new_from_slice(key.enc()).expect("32-byte key");
    let ct = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            AeadPayload {
                msg: plaintext,
                aad: &out[..HEADER_LEN],
            },
        )
        .expect("encryption of an in-memory buffer cannot fail");
    out.extend_from_slice(&ct);
    out
}
