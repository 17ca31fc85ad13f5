//! "TOTP Authenticator" (com.authenticator.authservice2): its encrypted
//! backup file and its shared-preferences store from a rooted phone.
//! Specification: the app's JSON token list as Aegis's importer reads it.
//!
//! The store is a `<map>` whose `STATIC_TOTP_CODES_LIST` string is a JSON
//! list of `{issuer, name, key, base, digits, period}`, `key` in the
//! radix `base` says (16 hex, 32 base32, 64 base64), digits and period as
//! strings. The backup is that list encrypted: base64 text of AES-256-CBC
//! with a zero IV and PKCS#7 padding, the key SHA-256(password); the
//! plaintext is a JSON object whose one key is the list, as a string, and
//! whose value is the time of the backup.
//!
//! Lost in conversion: icons, favourites, widgets. The app stores no
//! algorithm: SHA-1.

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use sha2::Digest;
use zeroize::Zeroizing;

use super::prefs;
use super::raw::js;
use super::{
    Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, SkipKind, Skipped,
};

pub struct TotpAuthenticator;

const APP: &str = "TOTP Authenticator";

const LIST_KEY: &str = "STATIC_TOTP_CODES_LIST";
/// The password the app encrypts with when the user sets none.
const DEFAULT_PASSWORD: &str = "TotpAuthenticator";

impl Importer for TotpAuthenticator {
    fn format(&self) -> Format {
        Format::encryptable("totp-authenticator", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        if backup_ciphertext(bytes).is_some() {
            return Some(Detected { encrypted: true });
        }
        prefs::recognise(bytes, LIST_KEY, |p| p.string(LIST_KEY).is_some())
            .then_some(Detected { encrypted: false })
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        let list = match backup_ciphertext(bytes) {
            Some(ciphertext) => {
                let plain = match password {
                    Some(p) => decrypt(&ciphertext, p.expose_secret())?,
                    // A backup made without a password opens with the
                    // app's default; any other needs the user's.
                    None => decrypt(&ciphertext, DEFAULT_PASSWORD).map_err(|e| match e {
                        ImportError::WrongPassword { .. } => {
                            ImportError::PasswordNeeded { app: APP }
                        }
                        e => e,
                    })?,
                };
                list_in_backup(&plain)?
            }
            None => {
                let prefs = prefs::parse(bytes, APP)?;
                let text = prefs.string(LIST_KEY).ok_or_else(|| {
                    ImportError::corrupt(APP, format!("it has no {LIST_KEY} string"))
                })?;
                list_of(text, LIST_KEY)?
            }
        };
        let mut out = Imported::default();
        for t in &list {
            match entry(t).and_then(RawEntry::into_entry) {
                Ok(e) => out.entries.push(e),
                Err(s) => out.skipped.push(s),
            }
        }
        Ok(out)
    }
}

/// The backup's ciphertext when `bytes` are one base64 token of whole AES
/// blocks. Any text passes for some format, so this is strict: no spaces
/// or punctuation within, and both cases of letters, which ciphertext of
/// this length has (and a hex or base32 string, which one could paste
/// into a file, does not).
fn backup_ciphertext(bytes: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine;
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let token: String = text.split(['\r', '\n']).collect();
    if token.len() < 24
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        || !token.bytes().any(|b| b.is_ascii_lowercase())
        || !token.bytes().any(|b| b.is_ascii_uppercase())
    {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&token)
        .ok()?;
    raw.len().is_multiple_of(16).then_some(raw)
}

fn decrypt(ciphertext: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let key = Zeroizing::new(<[u8; 32]>::from(sha2::Sha256::digest(password.as_bytes())));
    let raw = super::aes256_cbc_decrypt(&key[..], &[0u8; 16], ciphertext)
        .ok_or_else(|| ImportError::corrupt(APP, "the ciphertext is not whole AES blocks"))?;
    // No MAC: the plaintext is the only witness. The right key makes the
    // first block the start of the JSON object, and with it a bad ending
    // means a damaged or cut-off file, not a wrong password.
    let starts_as_json =
        raw.starts_with(b"{\"") && raw.get(..16).is_some_and(|b| b.iter().all(u8::is_ascii));
    match super::strip_pkcs7(raw) {
        Some(plain) if serde_json::from_slice::<serde::de::IgnoredAny>(&plain).is_ok() => Ok(plain),
        _ if starts_as_json => Err(ImportError::corrupt(
            APP,
            "the password is right but the backup is damaged or cut off",
        )),
        _ => Err(ImportError::WrongPassword { app: APP }),
    }
}

/// The backup's one key is the token list, written as a JSON string.
fn list_in_backup(plain: &[u8]) -> Result<Vec<Value>, ImportError> {
    let object: serde_json::Map<String, Value> = serde_json::from_slice(plain).map_err(|e| {
        ImportError::corrupt(
            APP,
            format!("the decrypted backup is not a JSON object ({e})"),
        )
    })?;
    let mut keys = object.keys();
    match (keys.next(), keys.next()) {
        (Some(list), None) => list_of(list, "the decrypted backup's key"),
        _ => Err(ImportError::corrupt(
            APP,
            format!(
                "the decrypted backup has {} keys, not the one that holds the list",
                object.len()
            ),
        )),
    }
}

fn list_of(text: &str, what: &str) -> Result<Vec<Value>, ImportError> {
    serde_json::from_str(text)
        .map_err(|e| ImportError::corrupt(APP, format!("{what} is not a JSON list ({e})")))
}

fn entry(t: &Value) -> Result<RawEntry, Skipped> {
    use base64::Engine;
    let mut r = RawEntry::new("totp", js::str(t, "issuer"), js::str(t, "name"));
    r.digits = js::num(t, "digits");
    r.period = js::num(t, "period");
    let key = js::str(t, "key").trim();
    let name = r.name();
    let skip = |reason: String| Skipped::new(name.clone(), SkipKind::Damaged, reason);
    let bytes = match js::num(t, "base") {
        Some(32) => return Ok(r.base32(key)),
        Some(16) => data_encoding::HEXLOWER_PERMISSIVE
            .decode(key.as_bytes())
            .ok(),
        Some(64) => base64::engine::general_purpose::STANDARD.decode(key).ok(),
        Some(b) => {
            return Err(skip(format!(
                "its key is in base {b}, which the app never writes"
            )));
        }
        None => {
            return Err(skip(
                "it does not say how its key is written (no \"base\")".into(),
            ));
        }
    };
    let bytes = bytes.ok_or_else(|| {
        Skipped::new(
            name.clone(),
            SkipKind::BadSecret,
            "its key is not valid in the base it gives",
        )
    })?;
    Ok(r.bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    fn seal(password: &str, plain: &[u8]) -> Vec<u8> {
        use base64::Engine;
        use cbc::cipher::{BlockEncryptMut, KeyIvInit, block_padding::Pkcs7};
        let key = sha2::Sha256::digest(password.as_bytes());
        let ct = cbc::Encryptor::<aes::Aes256>::new_from_slices(&key, &[0u8; 16])
            .unwrap()
            .encrypt_padded_vec_mut::<Pkcs7>(plain);
        base64::engine::general_purpose::STANDARD
            .encode(ct)
            .into_bytes()
    }

    const LIST: &str = r#"{"[{\"issuer\":\"Acme\",\"name\":\"bob\",\"key\":\"48656C6C6F21DEADBEEF\",\"base\":16,\"digits\":\"6\",\"period\":\"30\"}]":"1608293023"}"#;

    fn pw(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn a_backup_opens_with_its_password_only() {
        let file = seal("secret1", LIST.as_bytes());
        let d = TotpAuthenticator.detect(&file);
        assert_eq!(d, Some(Detected { encrypted: true }));
        let got = TotpAuthenticator
            .parse(&file, Some(&pw("secret1")))
            .unwrap();
        assert_eq!(got.entries[0].secret.expose(), b"Hello!\xDE\xAD\xBE\xEF");
        let e = TotpAuthenticator
            .parse(&file, Some(&pw("nope")))
            .unwrap_err();
        assert_eq!(e.kind(), "wrong_password");
        let e = TotpAuthenticator.parse(&file, None).unwrap_err();
        assert_eq!(e.kind(), "password_needed");
    }

    #[test]
    fn a_backup_without_a_password_opens_with_the_default() {
        let file = seal(DEFAULT_PASSWORD, LIST.as_bytes());
        let got = TotpAuthenticator.parse(&file, None).unwrap();
        assert_eq!(got.entries.len(), 1);
    }

    #[test]
    fn a_cut_backup_with_the_right_password_is_damaged() {
        use base64::Engine;
        let file = seal("secret1", LIST.as_bytes());
        let b64 = base64::engine::general_purpose::STANDARD;
        let raw = b64.decode(&file).unwrap();
        let cut = b64.encode(&raw[..raw.len() - 16]);
        let e = TotpAuthenticator
            .parse(cut.as_bytes(), Some(&pw("secret1")))
            .unwrap_err();
        assert_eq!(e.kind(), "import_corrupt");
    }

    #[test]
    fn ordinary_text_is_not_a_backup() {
        for text in [
            "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "Hello world, this is not a backup at all.",
            "otpauth://totp/Acme:bob?secret=JBSWY3DPEHPK3PXP",
        ] {
            assert_eq!(TotpAuthenticator.detect(text.as_bytes()), None, "{text}");
        }
    }

    #[test]
    fn an_unknown_base_is_skipped_by_name() {
        let t = serde_json::json!({"issuer": "Acme", "name": "bob", "key": "x", "base": 8});
        let s = entry(&t).unwrap_err();
        assert_eq!(s.name, "Acme (bob)");
    }
}
