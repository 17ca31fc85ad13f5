//! Reading an SQLCipher 3 database without SQLCipher. Specification:
//! SQLCipher's design notes (<https://www.zetetic.net/sqlcipher/design/>)
//! and its `cipher_compatibility = 3` defaults: 1024-byte pages, each
//! AES-256-CBC encrypted with its own IV and followed by an HMAC-SHA1 of
//! the ciphertext, the IV and the page number; the first 16 bytes of the
//! file are the KDF salt in place of SQLite's magic. The key is
//! PBKDF2-HMAC-SHA1(password, salt, 64 000), the HMAC key
//! PBKDF2-HMAC-SHA1(key, salt XOR 0x3a, 2).
//!
//! The pages are decrypted by hand into a plain SQLite image so that the
//! bundled SQLite can read it: SQLCipher itself would need OpenSSL.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha1::Sha1;
use zeroize::Zeroizing;

use super::sqlite;

const PAGE: usize = 1024;
const SALT: usize = 16;
const IV: usize = 16;
const MAC: usize = 20;
/// IV and MAC, rounded up to the cipher's block size.
const RESERVE: usize = 48;
const KDF_ITERATIONS: u32 = 64_000;
const HMAC_SALT_MASK: u8 = 0x3a;
const HMAC_ITERATIONS: u32 = 2;

/// Why the pages could not be decrypted.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Error {
    /// The first page's MAC does not match: the password is wrong (or the
    /// file is not SQLCipher at all, which cannot be told apart).
    Authentication,
    /// A later page's MAC does not match: the file was altered.
    Damaged { page: usize },
}

/// Whether `bytes` could be an SQLCipher 3 database: whole pages, at least
/// one, and none of SQLite's plain header. Encrypted data says nothing more
/// about itself.
pub(crate) fn could_be(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes.len().is_multiple_of(PAGE)
        && !bytes.starts_with(sqlite::MAGIC)
        && std::str::from_utf8(bytes).is_err()
}

/// The page key: SQLCipher 3's fixed 64,000 rounds of PBKDF2-SHA1.
#[cfg(not(fuzzing))]
fn derive(password: &[u8], salt: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<Sha1>(password, salt, KDF_ITERATIONS, &mut key[..]);
    key
}

/// The fuzz build derives each (password, salt) pair once: the fuzz target
/// encrypts every input under one salt and password so that the pages'
/// MACs pass, and 64,000 rounds per input would leave the page reader and
/// SQLite behind it a handful of runs a second. Same key, same code after.
#[cfg(fuzzing)]
fn derive(password: &[u8], salt: &[u8]) -> Zeroizing<[u8; 32]> {
    use std::sync::Mutex;
    type Memo = Vec<(Vec<u8>, Vec<u8>, [u8; 32])>;
    static MEMO: Mutex<Memo> = Mutex::new(Vec::new());
    let mut memo = MEMO.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, key)) = memo.iter().find(|(p, s, _)| p == password && s == salt) {
        return Zeroizing::new(*key);
    }
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<Sha1>(password, salt, KDF_ITERATIONS, &mut key[..]);
    if memo.len() >= 16 {
        memo.remove(0);
    }
    memo.push((password.to_vec(), salt.to_vec(), *key));
    key
}

/// The plain SQLite image of an SQLCipher 3 database.
pub(crate) fn decrypt(bytes: &[u8], password: &SecretString) -> Result<Zeroizing<Vec<u8>>, Error> {
    use aes::cipher::{BlockDecryptMut, KeyIvInit, block_padding::NoPadding};

    if !could_be(bytes) {
        return Err(Error::Authentication);
    }
    let salt = &bytes[..SALT];
    let key = derive(password.expose_secret().as_bytes(), salt);
    let hmac_salt: Vec<u8> = salt.iter().map(|b| b ^ HMAC_SALT_MASK).collect();
    let mut hmac_key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<Sha1>(&key[..], &hmac_salt, HMAC_ITERATIONS, &mut hmac_key[..]);

    let mut plain = Zeroizing::new(Vec::with_capacity(bytes.len()));
    for (i, page) in bytes.chunks_exact(PAGE).enumerate() {
        let number = i + 1;
        // The first page gives its first 16 bytes to the salt; SQLite's
        // magic goes back there in the plain image.
        let start = if i == 0 { SALT } else { 0 };
        let end = PAGE - RESERVE;
        let (data, iv, mac) = (
            &page[start..end],
            &page[end..end + IV],
            &page[end + IV..end + IV + MAC],
        );
        let mut check =
            <Hmac<Sha1> as Mac>::new_from_slice(&hmac_key[..]).expect("HMAC takes any key length");
        check.update(data);
        check.update(iv);
        check.update(&u32::try_from(number).unwrap_or(u32::MAX).to_le_bytes());
        if check.verify_slice(mac).is_err() {
            return Err(if i == 0 {
                Error::Authentication
            } else {
                Error::Damaged { page: number }
            });
        }
        if i == 0 {
            plain.extend_from_slice(sqlite::MAGIC);
        }
        let at = plain.len();
        plain.extend_from_slice(data);
        cbc::Decryptor::<aes::Aes256>::new_from_slices(&key[..], iv)
            .expect("32-byte key and 16-byte IV")
            .decrypt_padded_mut::<NoPadding>(&mut plain[at..])
            .map_err(|_| Error::Damaged { page: number })?;
        // The reserved bytes stay: the page header says they are there.
        let len = plain.len() + RESERVE;
        plain.resize(len, 0);
    }
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_plain_sqlite_are_not_sqlcipher() {
        assert!(!could_be(&[b'a'; 2048]));
        let mut plain = vec![0xffu8; 1024];
        plain[..16].copy_from_slice(sqlite::MAGIC);
        assert!(!could_be(&plain));
        assert!(!could_be(&[0xff; 1000]));
        assert!(could_be(&[0xff; 1024]));
    }

    #[test]
    fn random_pages_fail_authentication() {
        let bytes: Vec<u8> = (0..2048u32).map(|i| (i * 151 % 251) as u8 | 0x80).collect();
        let pw = SecretString::from("x".to_owned());
        assert_eq!(decrypt(&bytes, &pw).unwrap_err(), Error::Authentication);
    }
}
