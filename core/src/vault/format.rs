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
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

pub use crate::format::kdf::{MAX_LANES, MAX_MEMORY_KIB, MAX_PASSES, random_salt};
pub use crate::format::{HeaderProblem, KdfParams, TAG_LEN};
use crate::format::{check_digest, check_length, check_start, kdf, u64_at};

/// The `magic` field at offset 0 (`docs/formats/vault.md`, "Layout").
pub const MAGIC: &[u8; 8] = b"ADVAULT\0";
/// The `format version` field (offset 8) this build writes and the newest it
/// reads (`docs/formats/vault.md`, "Versioning").
pub const VERSION: u16 = 1;
/// The `KDF id` byte (offset 10) for Argon2id v0x13, the only KDF
/// (`docs/formats/vault.md`, "Layout").
pub const KDF_ARGON2ID: u8 = 1;
/// Length of the fixed header, offsets 0..136, which is also the AEAD's
/// associated data (`docs/formats/vault.md`, "Layout").
pub const HEADER_LEN: usize = 136;
const CHECKED_LEN: usize = 72;
const MACED_LEN: usize = 104;

/// Derived key material: encryption key and header MAC key. Whoever holds
/// it can open this vault until its password changes.
#[derive(Clone)]
pub struct VaultKey(Zeroizing<[u8; 64]>);

impl VaultKey {
    /// A key from its 64 bytes, as the keychain stores them; `None` for any
    /// other length.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let arr: [u8; 64] = bytes.try_into().ok()?;
        Some(Self(Zeroizing::new(arr)))
    }

    /// The 64 bytes (encryption key, then MAC key), for the keychain to store.
    /// Handle as a secret.
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

/// Runs Argon2id on `password` and `salt`: the slow step of unlocking. `Err`
/// when Argon2 refuses the parameters.
pub fn derive_key(
    password: &SecretString,
    salt: &[u8; 16],
    kdf: KdfParams,
) -> Result<VaultKey, String> {
    kdf::derive(password, salt, kdf).map(VaultKey)
}

/// A vault header as [`parse`] read and checked it, without any key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// The `format version` field, 1 to [`VERSION`].
    pub version: u16,
    /// The Argon2id cost, within the read bounds.
    pub kdf: KdfParams,
    /// The Argon2id salt (offset 24); it changes only with the password.
    pub salt: [u8; 16],
    /// The XChaCha20-Poly1305 nonce (offset 40), fresh on every save.
    pub nonce: [u8; 24],
    /// The `ciphertext length` field (offset 64), 16-byte tag included; the
    /// file is exactly [`HEADER_LEN`] plus this.
    pub ciphertext_len: u64,
}

/// Parses and checks the header; returns it with the ciphertext.
pub fn parse(bytes: &[u8]) -> Result<(Header, &[u8]), HeaderProblem> {
    // An empty file is a vault cut off, not another kind of file: the
    // vault's path says what it should be.
    if bytes.is_empty() {
        return Err(HeaderProblem::Truncated {
            expected: HEADER_LEN as u64,
            actual: 0,
        });
    }
    let version = check_start(bytes, MAGIC, VERSION, 10, HEADER_LEN)?;
    if bytes.len() < HEADER_LEN {
        return Err(HeaderProblem::Truncated {
            expected: HEADER_LEN as u64,
            actual: bytes.len() as u64,
        });
    }
    check_digest(bytes, CHECKED_LEN)?;
    if bytes[10] != KDF_ARGON2ID {
        return Err(HeaderProblem::Corrupt(format!(
            "unknown key derivation function {}",
            bytes[10]
        )));
    }
    let kdf = KdfParams::read(bytes[12..24].try_into().expect("12 bytes"));
    kdf.check_bounds().map_err(HeaderProblem::UnsafeKdf)?;
    let header = Header {
        version,
        kdf,
        salt: bytes[24..40].try_into().expect("16 bytes"),
        nonce: bytes[40..64].try_into().expect("24 bytes"),
        ciphertext_len: u64_at(bytes, 64),
    };
    check_length(
        bytes.len(),
        HEADER_LEN,
        header.ciphertext_len,
        "vault",
        "ciphertext",
    )?;
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
    let nonce = crate::format::random_nonce();
    let ct_len = (plaintext.len() + TAG_LEN) as u64;
    let mut out = Vec::with_capacity(HEADER_LEN + plaintext.len() + TAG_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.push(KDF_ARGON2ID);
    out.push(0);
    out.extend_from_slice(&kdf.write());
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
