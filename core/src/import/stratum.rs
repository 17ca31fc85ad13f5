//! Authenticator Pro / Stratum's backup, plain or encrypted.
//! Specification: Stratum's `doc/BACKUP_FORMAT.md` and its
//! `Backup/Encryption` classes.
//!
//! Plain: JSON with `Authenticators[]`, numeric `Type` (1 HOTP, 2 TOTP,
//! 3 mOTP, 4 Steam, 5 Yandex) and `Algorithm` (0 SHA1, 1 SHA256, 2 SHA512).
//!
//! Encrypted, current ("strong"): `AUTHENTICATORPRO` ‖ salt (16 bytes) ‖
//! IV (12) ‖ AES-256-GCM ciphertext ‖ tag, the key Argon2id v1.3 (t = 3,
//! m = 64 MiB, p = 4, 32 bytes). Encrypted, legacy: `AuthenticatorPro` ‖
//! salt (20) ‖ IV (16) ‖ AES-256-CBC ciphertext with PKCS#7 padding, the
//! key PBKDF2-HMAC-SHA1(password, salt, 64,000, 32 bytes); it has no MAC.
//! Both decrypt to the plain JSON.
//!
//! Lost in conversion: icons, categories, custom icons, ranking; mOTP and
//! Yandex entries (skipped by name).

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use zeroize::Zeroizing;

use super::raw::js;
use super::{Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, collect, json};

pub struct Stratum;

const APP: &str = "Authenticator Pro / Stratum";

/// The two headers differ only in case.
const STRONG: &[u8; 16] = b"AUTHENTICATORPRO";
const LEGACY: &[u8; 16] = b"AuthenticatorPro";

/// The strong format's fixed Argon2id cost: the file carries none.
const ARGON2_T: u32 = 3;
const ARGON2_M_KIB: u32 = 64 * 1024;
const ARGON2_P: u32 = 4;
const LEGACY_ITERATIONS: u32 = 64_000;

impl Importer for Stratum {
    fn format(&self) -> Format {
        Format::encryptable("stratum", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        if bytes.starts_with(STRONG) || bytes.starts_with(LEGACY) {
            return Some(Detected { encrypted: true });
        }
        file.json()?.get("Authenticators")?.as_array()?;
        Some(Detected { encrypted: false })
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        let v = if let Some(body) = bytes.strip_prefix(STRONG) {
            super::decrypted_json(APP, "backup", &strong(body, password)?)?
        } else if let Some(body) = bytes.strip_prefix(LEGACY) {
            super::decrypted_json(APP, "backup", &legacy(body, password)?)?
        } else {
            json(bytes).ok_or_else(|| ImportError::corrupt(APP, "it is not JSON"))?
        };
        let list = v["Authenticators"]
            .as_array()
            .ok_or_else(|| ImportError::corrupt(APP, "it has no \"Authenticators\" list"))?;
        Ok(collect(list.iter().map(entry)))
    }
}

fn entry(a: &Value) -> RawEntry {
    let kind = match js::num(a, "Type") {
        Some(1) => "hotp",
        Some(2) => "totp",
        Some(3) => "motp",
        Some(4) => "steam",
        Some(5) => "yandex",
        _ => "unknown",
    };
    let algorithm = match js::num(a, "Algorithm") {
        Some(1) => "SHA256",
        Some(2) => "SHA512",
        _ => "SHA1",
    };
    let mut r = RawEntry::new(kind, js::str(a, "Issuer"), js::str(a, "Username"))
        .base32(js::str(a, "Secret"));
    r.algorithm = Some(algorithm.into());
    r.digits = js::num(a, "Digits");
    r.period = js::num(a, "Period");
    r.counter = js::num(a, "Counter");
    r
}

fn strong(body: &[u8], password: Option<&SecretString>) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    if body.len() < 16 + 12 + 16 {
        return Err(ImportError::corrupt(
            APP,
            "the file is too short to hold a salt, an IV and a tag",
        ));
    }
    let password = password.ok_or(ImportError::PasswordNeeded { app: APP })?;
    let (salt, rest) = body.split_at(16);
    let (iv, sealed) = rest.split_at(12);
    let params = argon2::Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, Some(32))
        .map_err(|e| ImportError::corrupt(APP, format!("Argon2 parameters: {e}")))?;
    let mut key = Zeroizing::new([0u8; 32]);
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(password.expose_secret().as_bytes(), salt, &mut key[..])
        .map_err(|e| ImportError::corrupt(APP, format!("Argon2: {e}")))?;
    // GCM cannot tell a wrong password from altered data: the password is
    // by far the likelier.
    super::aes256_gcm_open(&key[..], iv, sealed).ok_or(ImportError::WrongPassword { app: APP })
}

fn legacy(body: &[u8], password: Option<&SecretString>) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    if body.len() < 20 + 16 + 16 || !(body.len() - 20 - 16).is_multiple_of(16) {
        return Err(ImportError::corrupt(
            APP,
            "the encrypted backup is cut off (its ciphertext is not whole AES blocks)",
        ));
    }
    let password = password.ok_or(ImportError::PasswordNeeded { app: APP })?;
    let (salt, rest) = body.split_at(20);
    let (iv, ciphertext) = rest.split_at(16);
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(
        password.expose_secret().as_bytes(),
        salt,
        LEGACY_ITERATIONS,
        &mut key[..],
    );
    let raw = super::aes256_cbc_decrypt(&key[..], iv, ciphertext)
        .ok_or_else(|| ImportError::corrupt(APP, "the ciphertext is not whole AES blocks"))?;
    // Without a MAC the plaintext is the only witness. A wrong key turns the
    // first block into noise; the right one gives the backup's JSON, so if
    // that starts well but does not end well, the file is damaged.
    let starts_as_json = raw.first() == Some(&b'{') && raw[..16].iter().all(u8::is_ascii);
    match super::strip_pkcs7(raw) {
        Some(plain) if serde_json::from_slice::<serde::de::IgnoredAny>(&plain).is_ok() => Ok(plain),
        _ if starts_as_json => Err(ImportError::corrupt(
            APP,
            "the password is right but the backup is damaged or cut off",
        )),
        _ => Err(ImportError::WrongPassword { app: APP }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    fn pw(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn headers_alone_are_damage_not_a_wrong_password() {
        for header in [&STRONG[..], &LEGACY[..]] {
            let mut file = header.to_vec();
            file.extend_from_slice(&[7u8; 30]);
            assert_eq!(Stratum.detect(&file), Some(Detected { encrypted: true }));
            assert_eq!(
                Stratum.parse(&file, Some(&pw("test"))).unwrap_err().kind(),
                "import_corrupt"
            );
        }
    }

    #[test]
    fn a_legacy_backup_whose_key_is_wrong_says_so() {
        let mut file = LEGACY.to_vec();
        file.extend_from_slice(&[7u8; 20 + 16 + 64]);
        assert_eq!(
            Stratum.parse(&file, None).unwrap_err().kind(),
            "password_needed"
        );
        assert_eq!(
            Stratum.parse(&file, Some(&pw("test"))).unwrap_err().kind(),
            "wrong_password"
        );
    }
}
