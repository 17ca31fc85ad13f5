//! Helpers shared by the fuzz targets: fixed keys and passwords, and the
//! sealing that lets fuzzed plaintext reach the parsers behind a MAC or an
//! AEAD (which random bytes never get past).
//!
//! The sealing here re-implements the writers of `docs/formats/backup.md`
//! and SQLCipher 3 with the same crates, because core keeps its keys
//! crate-private; the formats are specified, so this is no guess.

use std::sync::OnceLock;

use authdesk_core::backup::HouseholdKey;
use authdesk_core::vault::{KdfParams, VaultKey};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use secrecy::SecretString;
use sha2::{Digest, Sha256};

/// A temporary folder for the targets that need files, made once per
/// process (scripts/fuzz points TMPDIR at /dev/shm, and removes it after).
pub fn scratch_dir() -> &'static tempfile::TempDir {
    static D: OnceLock<tempfile::TempDir> = OnceLock::new();
    D.get_or_init(|| tempfile::tempdir().expect("a temporary folder"))
}

/// The one password every target tries.
pub fn password() -> &'static SecretString {
    static PW: OnceLock<SecretString> = OnceLock::new();
    PW.get_or_init(|| SecretString::from("fuzz"))
}

/// The cheapest key derivation `KdfParams::check_bounds` allows.
pub fn cheapest_kdf() -> KdfParams {
    KdfParams {
        memory_kib: 8,
        passes: 1,
        lanes: 1,
    }
}

/// A vault key that opens every vault these targets seal.
pub fn vault_key() -> VaultKey {
    VaultKey::from_bytes(&[0x5a; 64]).expect("64 bytes")
}

/// The household every backup target opens with, made once.
pub struct Household {
    pub key: HouseholdKey,
    /// The data key, as the vault stores it (base64 in its JSON).
    pub data_key: [u8; 32],
    /// The password slots' bytes, as in a backup's header.
    pub slots: Vec<[u8; 104]>,
}

pub fn household() -> &'static Household {
    static H: OnceLock<Household> = OnceLock::new();
    H.get_or_init(|| {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        let key = HouseholdKey::new(password(), "", cheapest_kdf()).expect("a household key");
        let stored = serde_json::to_value(&key).expect("a household key serialises");
        let data_key: [u8; 32] = b64
            .decode(stored["key"].as_str().expect("key"))
            .expect("base64")
            .try_into()
            .expect("32 bytes");
        let slots = stored["slots"]
            .as_array()
            .expect("slots")
            .iter()
            .map(|s| {
                b64.decode(s.as_str().expect("slot"))
                    .expect("base64")
                    .try_into()
                    .expect("104 bytes")
            })
            .collect();
        Household {
            key,
            data_key,
            slots,
        }
    })
}

fn header_mac_key(data_key: &[u8; 32]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(data_key).expect("any key length");
    mac.update(b"authdesk-backup header mac v1");
    mac.finalize().into_bytes().to_vec()
}

/// A whole backup file holding `body` (its JSON, or anything) under the
/// household key, as `backup::format::seal` writes it.
pub fn seal_backup(body: &[u8], created_ms: i64, device: &[u8]) -> Vec<u8> {
    let h = household();
    let device = &device[..device.len().min(256)];
    let mut out = Vec::new();
    out.extend_from_slice(b"ADBACKUP");
    out.extend_from_slice(&1u16.to_le_bytes());
    out.push(h.slots.len() as u8);
    out.push(0);
    out.extend_from_slice(&created_ms.to_le_bytes());
    out.extend_from_slice(&(device.len() as u16).to_le_bytes());
    out.extend_from_slice(device);
    for s in &h.slots {
        out.extend_from_slice(s);
    }
    let nonce = [0x24u8; 24];
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&((body.len() + 16) as u64).to_le_bytes());
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(&header_mac_key(&h.data_key)).expect("any length");
    mac.update(&out);
    out.extend_from_slice(&mac.finalize().into_bytes());
    let cipher = XChaCha20Poly1305::new_from_slice(&h.data_key).expect("32 bytes");
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: body,
                aad: &out,
            },
        )
        .expect("encrypts");
    out.extend_from_slice(&sealed);
    out
}

/// Rewrites a backup's header checksum and header MAC (household key) to
/// match its bytes, when its sizes are readable: the parser then gets past
/// the checksum to the slots and lengths, and `open_with_key` past the MAC.
pub fn fix_backup_header(bytes: &mut [u8]) {
    if bytes.len() < 22 {
        return;
    }
    let n = usize::from(bytes[10]);
    let d = usize::from(u16::from_le_bytes([bytes[20], bytes[21]]));
    let s = 22 + d + n * 104;
    if bytes.len() < s + 96 {
        return;
    }
    let digest = Sha256::digest(&bytes[..s + 32]);
    bytes[s + 32..s + 64].copy_from_slice(&digest);
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&header_mac_key(&household().data_key))
        .expect("any length");
    mac.update(&bytes[..s + 64]);
    bytes[s + 64..s + 96].copy_from_slice(&mac.finalize().into_bytes());
}

/// Rewrites a vault header's checksum (bytes 72..104) and MAC (104..136,
/// with [`vault_key`]) to match bytes 0..72.
pub fn fix_vault_header(bytes: &mut [u8]) {
    if bytes.len() < 136 {
        return;
    }
    let digest = Sha256::digest(&bytes[..72]);
    bytes[72..104].copy_from_slice(&digest);
    let key = vault_key();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.as_bytes()[32..]).expect("any length");
    mac.update(&bytes[..104]);
    bytes[104..136].copy_from_slice(&mac.finalize().into_bytes());
}

/// Splits `data` at each `SEPARATOR` into at most `max` parts.
pub const SEPARATOR: &[u8] = b"\n--next-file--\n";

pub fn split(data: &[u8], max: usize) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() + 1 < max {
        match rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
            Some(i) => {
                parts.push(&rest[..i]);
                rest = &rest[i + SEPARATOR.len()..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

/// SQLCipher 3 (1024-byte pages, AES-256-CBC, HMAC-SHA1 per page,
/// PBKDF2-HMAC-SHA1 64,000 rounds) with one fixed salt whose keys are
/// derived once: `encrypt` turns a plain SQLite image into the file that
/// `password()` opens.
pub mod sqlcipher {
    use super::*;
    use cbc::cipher::{BlockEncryptMut, KeyIvInit, block_padding::NoPadding};

    pub const PAGE: usize = 1024;
    const RESERVE: usize = 48;
    const SALT: [u8; 16] = *b"fuzz-salt-16byte";

    fn keys() -> &'static ([u8; 32], [u8; 32]) {
        static K: OnceLock<([u8; 32], [u8; 32])> = OnceLock::new();
        K.get_or_init(|| {
            let mut key = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<sha1::Sha1>(b"fuzz", &SALT, 64_000, &mut key);
            let hmac_salt: Vec<u8> = SALT.iter().map(|b| b ^ 0x3a).collect();
            let mut mac_key = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<sha1::Sha1>(&key, &hmac_salt, 2, &mut mac_key);
            (key, mac_key)
        })
    }

    /// `plain` (an SQLite image with 48 reserved bytes a page, as
    /// SQLCipher leaves them) as SQLCipher writes it: each 1024-byte page
    /// but its reserved tail encrypted and MACed, the first page's first 16
    /// bytes (SQLite's magic) replaced by the salt; a short last page is
    /// padded with zeros. `bad_mac` spoils that page's MAC (1-based).
    pub fn encrypt(plain: &[u8], bad_mac: Option<usize>) -> Vec<u8> {
        let (key, mac_key) = keys();
        let usable = PAGE - RESERVE;
        let mut out = SALT.to_vec();
        let chunks: Vec<Vec<u8>> = plain
            .chunks(PAGE)
            .enumerate()
            .map(|(i, page)| {
                let start = if i == 0 { 16 } else { 0 };
                page.get(start..usable.min(page.len()))
                    .unwrap_or(&[])
                    .to_vec()
            })
            .collect();
        for (i, mut data) in chunks.into_iter().enumerate() {
            let number = i + 1;
            let want = if i == 0 { usable - 16 } else { usable };
            data.resize(want, 0);
            let mut iv = [0u8; 16];
            iv[..8].copy_from_slice(&(number as u64).to_le_bytes());
            cbc::Encryptor::<aes::Aes256>::new_from_slices(key, &iv)
                .expect("key and iv")
                .encrypt_padded_mut::<NoPadding>(&mut data, want)
                .expect("whole blocks");
            let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(mac_key).expect("any length");
            mac.update(&data);
            mac.update(&iv);
            mac.update(&(number as u32).to_le_bytes());
            let mut tag = mac.finalize().into_bytes().to_vec();
            if bad_mac == Some(number) {
                tag[0] ^= 1;
            }
            out.extend_from_slice(&data);
            out.extend_from_slice(&iv);
            out.extend_from_slice(&tag);
            out.resize(out.len() + RESERVE - 16 - 20, 0);
        }
        out
    }
}
