//! FreeOTP (Red Hat): the token store of FreeOTP 1 and FreeOTP+, and
//! FreeOTP 2's encrypted backup. Specification: FreeOTP's `Token`,
//! `TokenPersistence` and (2.x) `EncryptedKey`/`MasterKey` classes, as
//! Aegis's importer reads them.
//!
//! The token store, `shared_prefs/tokens.xml` from a rooted phone, is a
//! `<map>` holding each token as a JSON string named "issuer:label", the
//! same JSON as FreeOTP+'s export (the secret a list of signed bytes), and
//! a `tokenOrder` list. FreeOTP 1 and FreeOTP+ write it identically.
//!
//! FreeOTP 2's `externalBackup.xml` is, despite its name, a Java-serialised
//! `HashMap<String, String>` ([`super::javaser`]). `masterKey` holds a
//! PBKDF2 description (`mAlgorithm`, `mIterations`, `mSalt`) and the master
//! key sealed with AES-GCM under the password's key, the nonce in the DER
//! `mParameters` and the associated data the `mToken` text. Each token has
//! `<uuid>` (its secret, sealed the same way under the master key, as a
//! JSON string in `key`) and `<uuid>-token` (the token JSON without the
//! secret).
//!
//! Lost in conversion: images, order (FreeOTP 2), and FreeOTP's practice of
//! storing an HOTP counter one below the next code's: counters are taken as
//! stored, as other importers do.

use std::collections::{HashMap, HashSet};

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use zeroize::Zeroizing;

use super::budget::Budget;
use super::freeotp_plus::{entry, signed_bytes};
use super::prefs::{self, Prefs};
use super::raw::js;
use super::{Detected, Format, ImportError, Imported, Importer, Probe, SkipKind, Skipped, javaser};

/// FreeOTP 2's encrypted backup.
pub struct FreeOtp;
/// FreeOTP 1's and FreeOTP+'s `tokens.xml`.
pub struct FreeOtpTokens;

const APP: &str = "FreeOTP";
const TOKENS_APP: &str = "FreeOTP / FreeOTP+ tokens.xml";

const MASTER_KEY: &str = "masterKey";
const TOKEN_SUFFIX: &str = "-token";
const ORDER: &str = "tokenOrder";

impl Importer for FreeOtp {
    fn format(&self) -> Format {
        Format::encryptable("freeotp", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        javaser::is_java_stream(bytes).then_some(Detected { encrypted: true })
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        let map = javaser::string_map(bytes).map_err(|e| match e {
            javaser::Error::Damaged(e) => ImportError::corrupt(APP, e),
            javaser::Error::TooLarge(e) => ImportError::too_costly(APP, e),
        })?;
        // Looked up once per token: a map, so that a file of a million
        // entries costs a million steps, not a million squared. A key
        // written twice keeps its first value.
        let mut by_key = HashMap::with_capacity(map.len());
        for (k, v) in &map {
            by_key.entry(k.as_str()).or_insert(v.as_str());
        }
        let get = |k: &str| by_key.get(k).copied();
        let master =
            get(MASTER_KEY).ok_or_else(|| ImportError::corrupt(APP, "it has no masterKey"))?;
        let master: Value = serde_json::from_str(master)
            .map_err(|e| ImportError::corrupt(APP, format!("the masterKey is not JSON ({e})")))?;
        let kdf = Kdf::read(&master)?;
        let sealed_master = Sealed::read(&master["mEncryptedKey"], "the masterKey")?;
        let password = password.ok_or(ImportError::PasswordNeeded { app: APP })?;
        let password_key = kdf.derive(password);
        // GCM cannot tell a wrong password from an altered master key; the
        // password is by far the likelier.
        let master_key = sealed_master
            .open(&password_key[..])
            .ok_or(ImportError::WrongPassword { app: APP })?;
        if !matches!(master_key.len(), 16 | 32) {
            return Err(ImportError::corrupt(
                APP,
                format!(
                    "the master key is {} bytes, not an AES key",
                    master_key.len()
                ),
            ));
        }

        let mut out = Imported::default();
        let mut seen = HashSet::new();
        for (name, value) in &map {
            let uuid = match name.strip_suffix(TOKEN_SUFFIX) {
                Some(uuid) => uuid,
                None if json_of(value).get("key").is_some() => name.as_str(),
                None => continue,
            };
            if !seen.insert(uuid) {
                continue;
            }
            match token(uuid, get, &master_key) {
                Ok(e) => out.entries.push(e),
                Err(s) => out.skipped.push(s),
            }
        }
        Ok(out)
    }
}

/// One token from its two map entries: `<uuid>` and `<uuid>-token`.
fn token<'m>(
    uuid: &str,
    get: impl Fn(&str) -> Option<&'m str>,
    master_key: &[u8],
) -> Result<crate::EntryData, Skipped> {
    // A token that does not open although the master key did is damaged.
    let skip = |name: String, reason: &str| Skipped::new(name, SkipKind::Damaged, reason);
    let meta = get(&format!("{uuid}{TOKEN_SUFFIX}"))
        .ok_or_else(|| skip(uuid.to_owned(), "it has a key but no token details"))?;
    let meta: Value = serde_json::from_str(meta)
        .map_err(|_| skip(uuid.to_owned(), "its token details are not JSON"))?;
    let raw = entry(&meta);
    let name = raw.name();
    let sealed =
        get(uuid).ok_or_else(|| skip(name.clone(), "its secret key is missing from the backup"))?;
    // The key is JSON inside a JSON string.
    let sealed: Value = serde_json::from_str::<Value>(sealed)
        .ok()
        .and_then(|v| serde_json::from_str(v.get("key")?.as_str()?).ok())
        .ok_or_else(|| {
            skip(
                name.clone(),
                "its sealed secret is not the JSON FreeOTP writes",
            )
        })?;
    let secret = Sealed::read(&sealed, "its key")
        .map_err(|e| match e {
            ImportError::Corrupt { detail, .. }
            | ImportError::UnsupportedEncryption { detail, .. } => skip(name.clone(), &detail),
            e => skip(name.clone(), &e.to_string()),
        })?
        .open(master_key)
        .ok_or_else(|| skip(name.clone(), "its secret does not decrypt: it is damaged"))?;
    raw.bytes(secret.to_vec()).into_entry()
}

/// The password's key derivation, as `masterKey` describes it.
struct Kdf {
    hash: Hash,
    iterations: u32,
    salt: Vec<u8>,
}

enum Hash {
    Sha1,
    Sha256,
    Sha512,
}

impl Kdf {
    fn read(master: &Value) -> Result<Kdf, ImportError> {
        let algorithm = js::str(master, "mAlgorithm");
        let hash = match algorithm.to_ascii_lowercase().as_str() {
            "pbkdf2withhmacsha1" => Hash::Sha1,
            "pbkdf2withhmacsha256" => Hash::Sha256,
            "pbkdf2withhmacsha512" => Hash::Sha512,
            _ => {
                return Err(ImportError::UnsupportedEncryption {
                    app: APP,
                    detail: format!("the key derivation \"{algorithm}\""),
                });
            }
        };
        let missing = || {
            ImportError::corrupt(
                APP,
                format!(
                    "the masterKey's iteration count {} is missing or zero",
                    master["mIterations"]
                ),
            )
        };
        let iterations = js::num(master, "mIterations")
            .filter(|&n| n >= 1)
            .ok_or_else(missing)?;
        // FreeOTP writes 100,000; the count comes from the file.
        Budget::new(
            APP,
            "FreeOTP writes 100,000 iterations: make a new backup in FreeOTP",
        )
        .charge("the masterKey", super::budget::Kdf::Pbkdf2 { iterations })?;
        let iterations = u32::try_from(iterations).map_err(|_| missing())?;
        let salt = signed_bytes(master.get("mSalt"));
        if salt.is_empty() {
            return Err(ImportError::corrupt(APP, "the masterKey has no salt"));
        }
        Ok(Kdf {
            hash,
            iterations,
            salt,
        })
    }

    fn derive(&self, password: &SecretString) -> Zeroizing<[u8; 32]> {
        let pw = password.expose_secret().as_bytes();
        let mut key = Zeroizing::new([0u8; 32]);
        let (salt, n, out) = (&self.salt[..], self.iterations, &mut key[..]);
        match self.hash {
            Hash::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(pw, salt, n, out),
            Hash::Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(pw, salt, n, out),
            Hash::Sha512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(pw, salt, n, out),
        }
        key
    }
}

/// FreeOTP's `EncryptedKey`: AES-GCM ciphertext with its tag, the nonce,
/// and the associated data (`mToken`, the sealed key's algorithm name).
struct Sealed {
    ciphertext: Vec<u8>,
    nonce: Vec<u8>,
    aad: String,
}

impl Sealed {
    fn read(v: &Value, what: &str) -> Result<Sealed, ImportError> {
        let cipher = js::str(v, "mCipher");
        if !cipher.eq_ignore_ascii_case("AES/GCM/NoPadding") {
            return Err(ImportError::UnsupportedEncryption {
                app: APP,
                detail: format!("{what} is sealed with \"{cipher}\""),
            });
        }
        let ciphertext = signed_bytes(v.get("mCipherText"));
        if ciphertext.len() < 16 {
            return Err(ImportError::corrupt(
                APP,
                format!("{what}'s ciphertext is too short to hold a GCM tag"),
            ));
        }
        let nonce = gcm_nonce(&signed_bytes(v.get("mParameters")))
            .map_err(|e| ImportError::corrupt(APP, format!("{what}'s GCM parameters: {e}")))?;
        if nonce.len() != 12 {
            return Err(ImportError::UnsupportedEncryption {
                app: APP,
                detail: format!("{what} has a {}-byte GCM nonce", nonce.len()),
            });
        }
        Ok(Sealed {
            ciphertext,
            nonce,
            aad: js::str(v, "mToken").to_owned(),
        })
    }

    /// The plaintext, or `None` when `key` is wrong or the data altered.
    fn open(&self, key: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        use aes_gcm::aead::{Aead, KeyInit, Payload};
        let nonce = aes_gcm::Nonce::from_slice(&self.nonce);
        let payload = Payload {
            msg: &self.ciphertext,
            aad: self.aad.as_bytes(),
        };
        // FreeOTP's master key is AES-256, but a 128-bit one is as valid.
        let plain = match key.len() {
            32 => aes_gcm::Aes256Gcm::new_from_slice(key)
                .ok()?
                .decrypt(nonce, payload),
            16 => aes_gcm::Aes128Gcm::new_from_slice(key)
                .ok()?
                .decrypt(nonce, payload),
            _ => return None,
        };
        plain.ok().map(Zeroizing::new)
    }
}

/// The nonce in Java's DER encoding of `GCMParameterSpec`: `SEQUENCE {
/// OCTET STRING nonce, INTEGER tag length }`, or on older Android the bare
/// OCTET STRING. Only 16-byte tags are supported (FreeOTP's).
fn gcm_nonce(der: &[u8]) -> Result<Vec<u8>, String> {
    let (tag, body, _) = tlv(der)?;
    match tag {
        0x04 => Ok(body.to_vec()),
        0x30 => {
            let (tag, nonce, rest) = tlv(body)?;
            if tag != 0x04 {
                return Err(format!(
                    "the sequence starts with tag {tag:#04x}, not the nonce"
                ));
            }
            if !rest.is_empty() {
                let (tag, len, _) = tlv(rest)?;
                if tag != 0x02 || len != [16] {
                    return Err(format!("the tag length is not 16 bytes ({len:02x?})"));
                }
            }
            Ok(nonce.to_vec())
        }
        _ => Err(format!("tag {tag:#04x} is neither a sequence nor a nonce")),
    }
}

/// One DER tag-length-value: (tag, value, what follows).
fn tlv(b: &[u8]) -> Result<(u8, &[u8], &[u8]), String> {
    let cut = || "they end early".to_owned();
    let (&tag, rest) = b.split_first().ok_or_else(cut)?;
    let (&first, rest) = rest.split_first().ok_or_else(cut)?;
    let (len, rest) = match first {
        0..=0x7F => (usize::from(first), rest),
        0x81 => {
            let (&n, rest) = rest.split_first().ok_or_else(cut)?;
            (usize::from(n), rest)
        }
        0x82 => {
            let n = rest.get(..2).ok_or_else(cut)?;
            (usize::from(u16::from_be_bytes([n[0], n[1]])), &rest[2..])
        }
        _ => {
            return Err(format!(
                "length byte {first:#04x} is not one FreeOTP writes"
            ));
        }
    };
    if rest.len() < len {
        return Err(cut());
    }
    let (value, after) = rest.split_at(len);
    Ok((tag, value, after))
}

impl Importer for FreeOtpTokens {
    fn format(&self) -> Format {
        Format::plain("freeotp-tokens", TOKENS_APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        // The XML escapes the quotes, or may not.
        let marker = if bytes.windows(6).any(|w| w == b"&quot;") {
            "secret&quot;:["
        } else {
            "\"secret\":["
        };
        prefs::recognise(bytes, marker, |p| {
            p.string(ORDER).is_some() || p.strings().any(|(_, v)| is_token(&json_of(v)))
        })
        .then_some(Detected { encrypted: false })
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let prefs = prefs::parse(bytes, TOKENS_APP)?;
        let mut out = Imported::default();
        for (name, value) in ordered(&prefs) {
            let v = json_of(value);
            if !is_token(&v) {
                out.skipped.push(Skipped::new(
                    name,
                    SkipKind::Damaged,
                    "it is not a token FreeOTP wrote (damaged?)",
                ));
                continue;
            }
            match entry(&v).into_entry() {
                Ok(e) => out.entries.push(e),
                Err(s) => out.skipped.push(s),
            }
        }
        Ok(out)
    }
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn is_token(v: &Value) -> bool {
    v.get("secret").is_some_and(Value::is_array) && v.get("type").is_some()
}

/// The tokens in FreeOTP's order, then any it does not list.
fn ordered(prefs: &Prefs) -> Vec<(&str, &str)> {
    let order: Vec<String> = prefs
        .string(ORDER)
        .and_then(|o| serde_json::from_str(o).ok())
        .unwrap_or_default();
    let mut tokens: Vec<(&str, &str)> = prefs.strings().filter(|(n, _)| *n != ORDER).collect();
    tokens.sort_by_key(|(n, _)| order.iter().position(|o| o == n).unwrap_or(usize::MAX));
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    fn signed(b: &[u8]) -> Value {
        Value::from(b.iter().map(|&x| i64::from(x as i8)).collect::<Vec<_>>())
    }

    fn seal(key: &[u8], nonce: &[u8; 12], plain: &[u8], aad: &str) -> Value {
        use aes_gcm::aead::{Aead, KeyInit, Payload};
        let ct = aes_gcm::Aes256Gcm::new_from_slice(key)
            .unwrap()
            .encrypt(
                nonce.into(),
                Payload {
                    msg: plain,
                    aad: aad.as_bytes(),
                },
            )
            .unwrap();
        let mut params = vec![0x30, 17, 0x04, 12];
        params.extend(nonce);
        params.extend([0x02, 1, 16]);
        serde_json::json!({
            "mCipher": "AES/GCM/NoPadding",
            "mCipherText": signed(&ct),
            "mParameters": signed(&params),
            "mToken": aad,
        })
    }

    /// A backup as FreeOTP 2 writes it, cheaper to derive.
    fn backup(password: &str) -> Vec<u8> {
        let salt = [7u8; 32];
        let mut pw_key = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password.as_bytes(), &salt, 1000, &mut pw_key);
        let master = [9u8; 32];
        let master_key = serde_json::json!({
            "mAlgorithm": "PBKDF2withHmacSHA512",
            "mEncryptedKey": seal(&pw_key, &[1; 12], &master, "AES"),
            "mIterations": 1000,
            "mSalt": signed(&salt),
        });
        let key = seal(&master, &[2; 12], b"12345678901234567890", "HmacSHA1");
        let key = serde_json::json!({ "key": key.to_string() });
        let meta = r#"{"issuerExt":"Acme","label":"bob","type":"TOTP"}"#;
        crate::import::javaser::tests::stream(
            &[(b'F', "loadFactor")],
            &[
                ("u-1", &key.to_string()),
                ("u-1-token", meta),
                ("masterKey", &master_key.to_string()),
            ],
        )
    }

    fn pw(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn a_backup_opens_with_its_password_only() {
        let file = backup("right");
        assert_eq!(FreeOtp.detect(&file), Some(Detected { encrypted: true }));
        let got = FreeOtp.parse(&file, Some(&pw("right"))).unwrap();
        assert_eq!(got.entries.len(), 1);
        assert_eq!(got.entries[0].secret.expose(), b"12345678901234567890");
        assert_eq!(got.entries[0].issuer, "Acme");
        let e = FreeOtp.parse(&file, Some(&pw("wrong"))).unwrap_err();
        assert_eq!(e.kind(), "wrong_password");
        let e = FreeOtp.parse(&file, None).unwrap_err();
        assert_eq!(e.kind(), "password_needed");
    }

    #[test]
    fn a_cut_backup_is_damaged_before_any_password() {
        let file = backup("right");
        for n in [4, 40, file.len() / 2, file.len() - 1] {
            let e = FreeOtp.parse(&file[..n], None).unwrap_err();
            assert_eq!(e.kind(), "import_corrupt", "{n}: {e}");
        }
    }

    #[test]
    fn gcm_parameters_in_both_encodings() {
        let nonce: Vec<u8> = (1..=12).collect();
        let mut seq = vec![0x30, 17, 0x04, 12];
        seq.extend(&nonce);
        seq.extend([0x02, 1, 16]);
        assert_eq!(gcm_nonce(&seq).unwrap(), nonce);
        let mut bare = vec![0x04, 12];
        bare.extend(&nonce);
        assert_eq!(gcm_nonce(&bare).unwrap(), nonce);
        let mut short_tag = seq.clone();
        *short_tag.last_mut().unwrap() = 12;
        assert!(gcm_nonce(&short_tag).is_err());
        assert!(gcm_nonce(&seq[..10]).is_err());
    }

    #[test]
    fn a_store_with_a_damaged_token_keeps_the_rest() {
        let f = "<map>\n<string name=\"A:b\">{&quot;secret&quot;:[1,2,3,4,5,6,7,8,9,10],&quot;type&quot;:&quot;TOTP&quot;,&quot;issuerExt&quot;:&quot;A&quot;,&quot;label&quot;:&quot;b&quot;}</string>\n\
                 <string name=\"C:d\">{&quot;secret&quot;:[1,2</string>\n\
                 <string name=\"tokenOrder\">[&quot;C:d&quot;,&quot;A:b&quot;]</string>\n</map>";
        assert!(FreeOtpTokens.detect(f.as_bytes()).is_some());
        let got = FreeOtpTokens.parse(f.as_bytes(), None).unwrap();
        assert_eq!((got.entries.len(), got.skipped.len()), (1, 1));
        assert_eq!(got.skipped[0].name, "C:d");
        let cut = &f.as_bytes()[..f.len() / 2];
        assert!(FreeOtpTokens.detect(cut).is_some());
        assert_eq!(
            FreeOtpTokens.parse(cut, None).unwrap_err().kind(),
            "import_corrupt"
        );
    }
}
