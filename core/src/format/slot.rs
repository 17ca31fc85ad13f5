//! A random data key and the password slots that seal it. A backup
//! carries its slots in its header (`docs/formats/backup.md`, "Password
//! slots"); a vault that joined a household keeps the household's key and
//! slots ([`crate::household_key`]) in the same 104-byte form.
//!
//! ```text
//!  +0  1  kind = 1 (Argon2id v0x13)
//!  +1  3  reserved, zero
//!  +4 12  Argon2 memory KiB, passes, lanes (u32 LE each)
//! +16 16  salt
//! +32 24  XChaCha20-Poly1305 nonce
//! +56 48  the 32-byte data key, sealed with the first 32 bytes of
//!         Argon2id(password, salt); AAD = the backup signature and version
//! ```
//!
//! A slot's name ("Mam", "Jan") is not in these bytes: a backup keeps the
//! names in its encrypted body (`slot_names`), a vault in its household
//! key. Whoever holds a file without a password learns how many members
//! the household has, never who they are; and the 104-byte layout, which
//! older Authdesks read, did not change.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::SecretString;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::kdf::{KdfParams, derive, random_salt};

/// Slot kind byte (+0) for Argon2id v0x13, the only kind so far
/// (`docs/formats/backup.md`, "Layout", the password slot table).
pub const SLOT_ARGON2ID: u8 = 1;
/// Bytes one slot takes, in a backup header or a household key.
pub const SLOT_LEN: usize = 104;
/// The most slots one key may have: one per member of a large household.
pub const MAX_SLOTS: usize = 16;
/// The most Argon2 work (KiB of memory × passes) one slot may ask: about
/// five times the default (64 MiB × 3), so one try costs seconds at most.
pub const MAX_SLOT_WORK: u64 = 1024 * 1024;
/// What every slot's seal is bound to: the backup format's signature and
/// version 1, where slots were first written. A slot moved into another
/// kind of file does not open there.
pub(crate) const AAD: [u8; 10] = *b"ADBACKUP\x01\x00";
/// The longest slot name kept, in characters; a longer one is cut.
pub const MAX_SLOT_NAME: usize = 64;

/// A slot name as it is kept: trimmed, without control characters (a name
/// from another member's file is shown in lists and messages), at most
/// [`MAX_SLOT_NAME`] characters.
pub fn clean_slot_name(name: &str) -> String {
    crate::text::one_line(name, MAX_SLOT_NAME)
}

/// The slots' names in order, as a file stores them beside the slots:
/// nothing at all while no slot has a name.
pub(crate) fn names_of(slots: &[Slot]) -> Vec<String> {
    if slots.iter().all(|s| s.name.is_empty()) {
        return Vec::new();
    }
    slots.iter().map(|s| s.name.clone()).collect()
}

/// Gives `slots` the names a file stored beside them, cleaned; names past
/// the last slot are ignored, slots past the last name stay unnamed.
pub(crate) fn name_slots(slots: &mut [Slot], names: &[String]) {
    for (slot, name) in slots.iter_mut().zip(names) {
        slot.name = clean_slot_name(name);
    }
}

/// The random key that encrypts the body. Every slot seals the same one.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    /// A fresh key from the OS random generator.
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

    pub(crate) fn mac_key(&self) -> Zeroizing<Vec<u8>> {
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
    /// Argon2id cost of this password's derivation; bounded, and at most
    /// [`MAX_SLOT_WORK`], when read.
    pub kdf: KdfParams,
    /// Argon2id salt, fresh for each slot.
    pub salt: [u8; 16],
    /// XChaCha20-Poly1305 nonce of the seal, fresh for each slot.
    pub nonce: [u8; 24],
    /// The 32-byte data key encrypted under the password, 16-byte tag last.
    pub sealed: [u8; 48],
    /// Whose password this is ("Mam"), cleaned by [`clean_slot_name`];
    /// empty when unnamed (slots made before names, or a name left out).
    /// Not part of [`Slot::to_bytes`]: see the module docs.
    pub name: String,
}

impl Slot {
    /// Seals `key` under `password` with a fresh salt and nonce: one Argon2id
    /// run. `Err` when `kdf` is out of bounds or the derivation fails.
    pub fn seal(key: &DataKey, password: &SecretString, kdf: KdfParams) -> Result<Slot, String> {
        kdf.check_bounds()?;
        let salt = random_salt();
        let kek = derive(password, &salt, kdf)?;
        let nonce = super::random_nonce();
        let cipher = XChaCha20Poly1305::new_from_slice(&kek[..32]).expect("32 bytes");
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &key.0[..],
                    aad: &AAD,
                },
            )
            .map_err(|_| "sealing the data key failed".to_string())?;
        Ok(Slot {
            kdf,
            salt,
            nonce,
            sealed: sealed.try_into().expect("32 + 16 bytes"),
            name: String::new(),
        })
    }

    /// The slot's 104 bytes, as in the file (and in a vault's household key).
    pub fn to_bytes(&self) -> [u8; SLOT_LEN] {
        let mut b = [0u8; SLOT_LEN];
        b[0] = SLOT_ARGON2ID;
        b[4..16].copy_from_slice(&self.kdf.write());
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
        let kdf = KdfParams::read(b[4..16].try_into().expect("12 bytes"));
        kdf.check_bounds().map_err(SlotProblem::UnsafeKdf)?;
        let work = kdf.work();
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
            name: String::new(),
        })
    }

    /// The Argon2 work a try costs: KiB of memory × passes.
    pub fn work(&self) -> u64 {
        self.kdf.work()
    }

    /// The data key, if `password` is this slot's.
    pub fn open(&self, password: &SecretString) -> Option<DataKey> {
        let kek = derive(password, &self.salt, self.kdf).ok()?;
        let cipher = XChaCha20Poly1305::new_from_slice(&kek[..32]).expect("32 bytes");
        let key = Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(&self.nonce),
                    Payload {
                        msg: &self.sealed,
                        aad: &AAD,
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
    /// The kind byte is not [`SLOT_ARGON2ID`] (the byte read): a newer kind or
    /// damage.
    UnknownKind(u8),
    /// The Argon2 parameters are out of bounds or ask more than
    /// [`MAX_SLOT_WORK`]; refused before anything derives a key.
    UnsafeKdf(String),
}
