//! andOTP's backup (`otp_accounts_*.json`, or `.json.aes` when encrypted).
//! Specification: andOTP's `Entry` JSON and its `EncryptionHelper` /
//! `BackupHelper` (as read by Aegis's and GNOME Authenticator's importers).
//!
//! Encrypted backups have no magic and say nothing about themselves. Since
//! andOTP 0.6.3 the file is: PBKDF2 iterations (u32, big-endian) ‖ salt
//! (12 bytes) ‖ nonce (12) ‖ AES-256-GCM ciphertext ‖ tag, with the key
//! PBKDF2-HMAC-SHA1(password, salt, iterations, 32 bytes). Older versions
//! wrote nonce (12) ‖ ciphertext ‖ tag with the key SHA-256(password).
//! Either way the plaintext is the plain JSON list.
//!
//! Lost in conversion: thumbnails, tags, usage statistics; mOTP entries
//! (skipped by name).

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use sha2::Digest;
use zeroize::Zeroizing;

use super::raw::js;
use super::{Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, collect, json};

pub struct AndOtp;

const APP: &str = "andOTP";

/// The new layout's fixed part: iterations, salt, nonce, tag.
const NEW_MIN_LEN: usize = 4 + 12 + 12 + 16;
/// The old layout's: nonce, tag.
const OLD_MIN_LEN: usize = 12 + 16;
/// andOTP picks about 140,000–160,000. A count beyond the import budget is
/// either the old layout's random nonce or a hostile file; either way it
/// is read as the old layout, which costs one hash, so no file can make
/// andOTP's importer derive more than the budget allows.
const MAX_ITERATIONS: u32 = super::budget::MAX_PBKDF2_ITERATIONS as u32;

impl Importer for AndOtp {
    fn format(&self) -> Format {
        Format::encryptable("andotp", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        if let Some(v) = file.json() {
            let first = v.as_array()?.first()?;
            return (first.get("secret").is_some()
                && first.get("type").is_some()
                && first.get("label").is_some())
            .then_some(Detected { encrypted: false });
        }
        // With no magic to go by, an encrypted backup is whatever binary
        // file is long enough; this importer comes after every format with
        // a signature, so it only sees what nothing else claimed.
        (is_binary(bytes) && bytes.len() >= OLD_MIN_LEN).then_some(Detected { encrypted: true })
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        let v = match json(bytes) {
            Some(v) => v,
            None if is_binary(bytes) => {
                if bytes.len() < OLD_MIN_LEN {
                    return Err(ImportError::corrupt(
                        APP,
                        format!("{} bytes is too short for an encrypted backup", bytes.len()),
                    ));
                }
                let password = password.ok_or(ImportError::PasswordNeeded { app: APP })?;
                let plain = decrypt(bytes, password)?;
                super::decrypted_json(APP, "backup", &plain)?
            }
            None => return Err(ImportError::corrupt(APP, "it is not JSON")),
        };
        let list = v
            .as_array()
            .ok_or_else(|| ImportError::corrupt(APP, "it is not a list of accounts"))?;
        Ok(collect(list.iter().map(entry)))
    }
}

/// Signatures of formats that are not andOTP's: SQLite, zip, Java
/// serialisation. Without them an unsupported database or archive would be
/// answered with "this andOTP backup needs its password".
const OTHER_MAGICS: &[&[u8]] = &[
    b"SQLite format 3\0",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\xAC\xED\x00\x05",
];

/// Ciphertext, as opposed to a damaged JSON file or link list, which must
/// not be answered with "wrong password". Random bytes are valid UTF-8 with
/// vanishing odds at these lengths, and garbling ASCII keeps it ASCII.
fn is_binary(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_err() && !OTHER_MAGICS.iter().any(|m| bytes.starts_with(m))
}

fn decrypt(bytes: &[u8], password: &SecretString) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let pw = password.expose_secret().as_bytes();
    // The file does not say which layout it has: the new one is tried when
    // its iteration count is plausible (an old file's random nonce seldom
    // is), then the old one, which costs a single hash.
    if bytes.len() >= NEW_MIN_LEN {
        let iterations = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        if (1..=MAX_ITERATIONS).contains(&iterations) {
            let (salt, rest) = bytes[4..].split_at(12);
            let (nonce, sealed) = rest.split_at(12);
            let mut key = Zeroizing::new([0u8; 32]);
            pbkdf2::pbkdf2_hmac::<sha1::Sha1>(pw, salt, iterations, &mut key[..]);
            if let Some(plain) = super::aes256_gcm_open(&key[..], nonce, sealed) {
                return Ok(plain);
            }
        }
    }
    let key = Zeroizing::new(<[u8; 32]>::from(sha2::Sha256::digest(pw)));
    let (nonce, sealed) = bytes.split_at(12);
    // GCM cannot tell a wrong password from altered data: the password is
    // by far the likelier.
    super::aes256_gcm_open(&key[..], nonce, sealed).ok_or(ImportError::WrongPassword { app: APP })
}

fn entry(e: &Value) -> RawEntry {
    let label = js::str(e, "label");
    let (issuer, account) = match e.get("issuer") {
        Some(_) => (js::str(e, "issuer"), label),
        None => old_label(label),
    };
    let mut r = RawEntry::new(js::str(e, "type"), issuer, account).base32(js::str(e, "secret"));
    r.algorithm = js::opt_str(e, "algorithm");
    r.digits = js::num(e, "digits");
    r.period = js::num(e, "period");
    r.counter = js::num(e, "counter");
    r
}

/// Before andOTP had an issuer field it showed "Issuer - Label", and the
/// label was often the otpauth one, "Issuer:Account", which repeats it.
fn old_label(label: &str) -> (&str, &str) {
    let (issuer, account) = match label.split_once(" - ") {
        Some((i, a)) => (i.trim(), a.trim()),
        None => match label.split_once(':') {
            Some((i, a)) => return (i.trim(), a.trim()),
            None => return ("", label),
        },
    };
    let account = account
        .strip_prefix(issuer)
        .and_then(|a| a.strip_prefix(':'))
        .map_or(account, str::trim);
    (issuer, account)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    fn pw(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn old_labels_split_into_issuer_and_account() {
        assert_eq!(old_label("Deno - Deno:Mason"), ("Deno", "Mason"));
        assert_eq!(
            old_label("Air Canada - Benjamin"),
            ("Air Canada", "Benjamin")
        );
        assert_eq!(old_label("Deno:Mason"), ("Deno", "Mason"));
        assert_eq!(old_label("Mason"), ("", "Mason"));
    }

    #[test]
    fn a_short_blob_is_damaged_not_a_wrong_password() {
        let blob = [0xffu8; 20];
        assert!(AndOtp.detect(&blob).is_none());
        let err = AndOtp.parse(&blob, Some(&pw("x"))).unwrap_err();
        assert_eq!(err.kind(), "import_corrupt");
    }

    #[test]
    fn a_blob_needs_a_password_and_refuses_a_wrong_one() {
        let mut blob = vec![0x81u8; 200];
        blob[..4].copy_from_slice(&1000u32.to_be_bytes());
        assert_eq!(AndOtp.detect(&blob), Some(Detected { encrypted: true }));
        assert_eq!(
            AndOtp.parse(&blob, None).unwrap_err().kind(),
            "password_needed"
        );
        assert_eq!(
            AndOtp.parse(&blob, Some(&pw("x"))).unwrap_err().kind(),
            "wrong_password"
        );
    }

    /// An old-layout backup (SHA-256 key) of `json`, padded with spaces to
    /// `len` bytes in all.
    fn old_backup(json: &str, password: &str, len: usize) -> Vec<u8> {
        use aes_gcm::aead::{Aead, KeyInit};
        let mut plain = json.as_bytes().to_vec();
        plain.resize(len - 12 - 16, b' ');
        let key = sha2::Sha256::digest(password.as_bytes());
        let cipher = aes_gcm::Aes256Gcm::new_from_slice(&key).unwrap();
        let nonce = [0x91u8; 12];
        let sealed = cipher
            .encrypt(aes_gcm::Nonce::from_slice(&nonce), &plain[..])
            .unwrap();
        [&nonce[..], &sealed].concat()
    }

    #[test]
    fn a_backup_of_whole_sqlcipher_pages_is_still_opened() {
        // One backup in 1024 is as long as an SQLCipher database: both
        // claim it, and the password decides.
        let json = r#"[{"secret":"JBSWY3DPEHPK3PXP","label":"Warmtenet:jan","issuer":"Warmtenet","type":"TOTP","digits":6,"period":30,"algorithm":"SHA1"}]"#;
        let blob = old_backup(json, "geheim", 1024);
        let claims: Vec<&str> = super::super::detect(&blob)
            .iter()
            .map(|(i, _)| i.id())
            .collect();
        assert_eq!(claims.len(), 2, "{claims:?}");
        assert_eq!(claims.last(), Some(&"andotp"));
        let got = super::super::import(&blob, None, Some(&pw("geheim"))).unwrap();
        assert_eq!(got.format, "andotp");
        assert_eq!(got.imported.entries.len(), 1);
        let err = super::super::import(&blob, None, Some(&pw("fout"))).unwrap_err();
        assert_eq!(err.kind(), "wrong_password");
    }

    #[test]
    fn damaged_text_is_not_taken_for_a_backup() {
        let cut = br#"[{"secret":"JBSWY3DPEHPK3PXP","label":"a","type":"TO"#;
        assert!(AndOtp.detect(cut).is_none());
        assert_eq!(
            AndOtp.parse(cut, None).unwrap_err().kind(),
            "import_corrupt"
        );
    }
}
