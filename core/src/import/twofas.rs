//! 2FAS Authenticator's backup (`.2fas`, JSON), plain or encrypted.
//! Specification: 2FAS's backup schema (schemaVersion 1–4), as read by
//! Aegis's and GNOME Authenticator's importers.
//!
//! Encrypted: `servicesEncrypted` is `base64(ciphertext‖tag):base64(salt):
//! base64(iv)`; the key is PBKDF2-HMAC-SHA256(password, salt, 10,000
//! iterations, 32 bytes); the cipher AES-256-GCM; the plaintext the JSON
//! list that `services` holds in a plain file.
//!
//! Groups become tags.
//! Lost in conversion: icons, order and the "source" of each entry.

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use zeroize::Zeroizing;

use super::raw::js;
use super::{Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, collect, json};

pub struct TwoFas;

const APP: &str = "2FAS";
const ITERATIONS: u32 = 10_000;

impl Importer for TwoFas {
    fn format(&self) -> Format {
        Format::encryptable("2fas", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let v = file.json()?;
        v.get("services")?.as_array()?;
        v.get("schemaVersion")?;
        Some(Detected {
            encrypted: v.get("servicesEncrypted").is_some_and(Value::is_string),
        })
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        let v = json(bytes).ok_or_else(|| ImportError::corrupt(APP, "it is not JSON"))?;
        let services = match v.get("servicesEncrypted").and_then(Value::as_str) {
            Some(sealed) => {
                let password = password.ok_or(ImportError::PasswordNeeded { app: APP })?;
                let plain = decrypt(sealed, password)?;
                serde_json::from_slice::<Value>(&plain).map_err(|e| {
                    ImportError::corrupt(APP, format!("the decrypted services are not JSON ({e})"))
                })?
            }
            None => v.get("services").cloned().unwrap_or(Value::Null),
        };
        let services = services
            .as_array()
            .ok_or_else(|| ImportError::corrupt(APP, "\"services\" is not a list"))?;
        // Groups are listed once ({id, name}); a service names its group by id.
        let groups = js::names_by_id(&v, "groups", "id");
        Ok(collect(services.iter().map(|s| {
            let mut r = entry(s);
            r.tags = js::opt_str(s, "groupId")
                .and_then(|id| groups.get(id.as_str()))
                .map(|n| (*n).to_owned())
                .into_iter()
                .collect();
            r
        })))
    }
}

fn entry(s: &Value) -> RawEntry {
    let otp = s.get("otp").cloned().unwrap_or(Value::Null);
    let issuer = js::opt_str(&otp, "issuer")
        .filter(|i| !i.trim().is_empty())
        .unwrap_or_else(|| js::str(s, "name").to_owned());
    let kind = match js::str(&otp, "tokenType") {
        "" => "totp",
        t => t,
    };
    let mut r = RawEntry::new(kind, &issuer, js::str(&otp, "account")).base32(js::str(s, "secret"));
    r.algorithm = js::opt_str(&otp, "algorithm");
    r.digits = js::num(&otp, "digits");
    r.period = js::num(&otp, "period");
    r.counter = js::num(&otp, "counter");
    r
}

fn decrypt(sealed: &str, password: &SecretString) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let parts: Vec<&str> = sealed.trim().split(':').collect();
    let [body, salt, iv] = parts.as_slice() else {
        return Err(ImportError::corrupt(
            APP,
            "\"servicesEncrypted\" does not have three parts",
        ));
    };
    let decode = |s: &str, what: &str| {
        b64.decode(s)
            .map_err(|_| ImportError::corrupt(APP, format!("the {what} is not base64")))
    };
    let (body, salt, iv) = (
        decode(body, "ciphertext")?,
        decode(salt, "salt")?,
        decode(iv, "IV")?,
    );
    if iv.len() != 12 || body.len() < 16 {
        return Err(ImportError::corrupt(
            APP,
            "the IV or the ciphertext has an impossible length",
        ));
    }
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(
        password.expose_secret().as_bytes(),
        &salt,
        ITERATIONS,
        &mut key[..],
    );
    // AES-GCM cannot tell a wrong password from altered data; the tag
    // covers both, and a wrong password is by far the likelier.
    super::aes256_gcm_open(&key[..], &iv, &body).ok_or(ImportError::WrongPassword { app: APP })
}
