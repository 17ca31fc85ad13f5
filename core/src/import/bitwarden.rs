//! Bitwarden's JSON vault export (and Bitwarden Authenticator's, which
//! has the same shape): items whose `login.totp` is an `otpauth://` link,
//! a `steam://SECRET` link, or a bare base32 secret. Specification:
//! Bitwarden's export format (help article "Export vault data", and the
//! `ExportedVault` types and password-protected importer in its clients).
//!
//! A "password protected" export holds the plain export, encrypted, in
//! `data`. The master key is PBKDF2-HMAC-SHA256(password, `salt` as text,
//! `kdfIterations`, 32 bytes) for `kdfType` 0, or Argon2id v1.3
//! (t = `kdfIterations`, m = `kdfMemory` MiB, p = `kdfParallelism`) with
//! the salt SHA-256(`salt`) for `kdfType` 1. HKDF-Expand-SHA256 stretches
//! it into an encryption key (info "enc") and a MAC key ("mac"). `data` and
//! `encKeyValidation_DO_NOT_EDIT` are EncStrings "2.iv|ciphertext|mac":
//! AES-256-CBC with PKCS#7, and HMAC-SHA256 over iv ‖ ciphertext.
//!
//! An "account restricted" encrypted export is sealed with the Bitwarden
//! account's own key and cannot be opened outside Bitwarden: it is refused
//! with that reason.
//!
//! An item's folder becomes a tag.
//! Lost in conversion: passwords, URIs and notes (a password manager's
//! notes may hold other secrets, which a card would show); cards,
//! identities and secure notes are not accounts.

use hmac::Mac;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use sha2::Digest;
use zeroize::Zeroizing;

use super::budget::{Budget, Kdf};
use super::raw::js;
use super::{
    Details, Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, SkipKind, Skipped,
    json,
};
use crate::uri;

pub struct Bitwarden;

const APP: &str = "Bitwarden";

/// Bitwarden's own settings go up to 2,000,000 PBKDF2 iterations and, for
/// Argon2id, 1024 MiB, 10 passes and 16 lanes, all within the import
/// budget; a file asking for more is refused before any work.
const ADVICE: &str = "Export the vault again from Bitwarden, whose own settings stay within this";

impl Importer for Bitwarden {
    fn format(&self) -> Format {
        Format::encryptable("bitwarden", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let v = file.json()?;
        let encrypted = v.get("encrypted")?.as_bool()?;
        (v.get("items").is_some_and(Value::is_array) || encrypted).then_some(Detected {
            // An account-restricted export is encrypted, but no password
            // opens it: asking for one would only lead to a refusal.
            encrypted: encrypted && v["passwordProtected"] == Value::Bool(true),
        })
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        let mut v = json(bytes).ok_or_else(|| ImportError::corrupt(APP, "it is not JSON"))?;
        if v["encrypted"] == Value::Bool(true) {
            if v["passwordProtected"] != Value::Bool(true) {
                return Err(ImportError::UnsupportedEncryption {
                    app: APP,
                    detail: "it is sealed with the Bitwarden account's own key (\"account restricted\"); export again choosing \"Password protected\" or plain JSON".into(),
                });
            }
            let plain = decrypt(&v, password)?;
            v = super::decrypted_json(APP, "vault", &plain)?;
        }
        let items = v
            .get("items")
            .and_then(Value::as_array)
            .ok_or_else(|| ImportError::corrupt(APP, "it has no \"items\" list"))?;
        // A folder is listed once ({id, name}); an item names its own by id.
        let folders = js::names_by_id(&v, "folders", "id");
        let mut out = Imported::default();
        for item in items {
            let login = item.get("login").cloned().unwrap_or(Value::Null);
            let totp = js::str(&login, "totp").trim();
            if totp.is_empty() {
                continue;
            }
            let name = js::str(item, "name");
            let user = js::str(&login, "username");
            let before = out.entries.len();
            push_totp(&mut out, totp, name, user);
            if out.entries.len() > before {
                let folder =
                    js::opt_str(item, "folderId").and_then(|id| folders.get(id.as_str()).copied());
                // The folder only: a password manager's notes may hold
                // other secrets (recovery codes), which a card would show.
                out.details.push(Details {
                    tags: folder.map(str::to_owned).into_iter().collect(),
                    note: String::new(),
                    pinned: js::bool(item, "favorite"),
                    icon: None,
                });
            }
        }
        out.settle_details();
        Ok(out)
    }
}

/// A `totp` field as Bitwarden stores it (shared with the CSV export).
/// A login's TOTP field as an account in `out`, or skipped by its name.
pub(crate) fn push_totp(out: &mut Imported, totp: &str, name: &str, user: &str) {
    match totp_entry(totp, name, user) {
        Ok(e) => out.entries.push(e),
        Err((kind, reason)) => out.skipped.push(Skipped::new(
            if user.is_empty() {
                name.to_owned()
            } else {
                format!("{name} ({user})")
            },
            kind,
            reason,
        )),
    }
}

fn totp_entry(totp: &str, name: &str, user: &str) -> Result<crate::EntryData, (SkipKind, String)> {
    let lower = totp.to_ascii_lowercase();
    if lower.starts_with("otpauth://") {
        return uri::parse_otpauth(totp).map_err(|e| (e.skip_kind(), e.to_string()));
    }
    let (kind, secret) = match lower.strip_prefix("steam://") {
        Some(_) => ("steam", &totp["steam://".len()..]),
        None => ("totp", totp),
    };
    RawEntry::new(kind, name, user)
        .base32(secret)
        .into_entry()
        .map_err(|s| (s.kind, s.reason))
}

/// The encryption and MAC keys, from the password and the file's KDF.
struct Keys {
    enc: Zeroizing<[u8; 32]>,
    mac: Zeroizing<[u8; 32]>,
}

fn keys(v: &Value, password: &SecretString) -> Result<Keys, ImportError> {
    let pw = password.expose_secret().as_bytes();
    // The salt is used as the text it is, not base64-decoded.
    let salt = js::str(v, "salt");
    if salt.is_empty() {
        return Err(ImportError::corrupt(APP, "it has no \"salt\""));
    }
    let iterations = js::num(v, "kdfIterations")
        .ok_or_else(|| ImportError::corrupt(APP, "\"kdfIterations\" is not a number"))?;
    if iterations == 0 {
        return Err(ImportError::corrupt(APP, "\"kdfIterations\" is 0"));
    }
    let mut budget = Budget::new(APP, ADVICE);
    let what = "its key derivation";
    let mut master = Zeroizing::new([0u8; 32]);
    match js::num(v, "kdfType") {
        Some(0) => {
            budget.charge(what, Kdf::Pbkdf2 { iterations })?;
            let iterations = u32::try_from(iterations)
                .map_err(|_| ImportError::corrupt(APP, "\"kdfIterations\" is out of range"))?;
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(pw, salt.as_bytes(), iterations, &mut master[..]);
        }
        Some(1) => {
            let mib = js::num(v, "kdfMemory").unwrap_or(0);
            let lanes = js::num(v, "kdfParallelism").unwrap_or(0);
            let kib = mib.saturating_mul(1024);
            budget.charge(
                what,
                Kdf::Argon2id {
                    kib,
                    passes: iterations,
                    lanes,
                },
            )?;
            // Within the budget memory and passes fit; lanes need not.
            let params = u32::try_from(lanes)
                .ok()
                .and_then(|lanes| {
                    argon2::Params::new(
                        u32::try_from(kib).ok()?,
                        u32::try_from(iterations).ok()?,
                        lanes,
                        Some(32),
                    )
                    .ok()
                })
                .ok_or_else(|| {
                    ImportError::corrupt(
                        APP,
                        format!(
                            "Argon2 parameters {mib} MiB, {iterations} passes and {lanes} lanes are invalid"
                        ),
                    )
                })?;
            let salt = sha2::Sha256::digest(salt.as_bytes());
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
                .hash_password_into(pw, &salt, &mut master[..])
                .map_err(|e| ImportError::corrupt(APP, format!("Argon2: {e}")))?;
        }
        other => {
            return Err(ImportError::UnsupportedEncryption {
                app: APP,
                detail: format!("key derivation type {other:?} is not one Bitwarden documents"),
            });
        }
    }
    // Bitwarden stretches the master key with HKDF's expand step alone.
    let hk = hkdf::Hkdf::<sha2::Sha256>::from_prk(&master[..])
        .map_err(|_| ImportError::corrupt(APP, "the master key has the wrong length"))?;
    let mut keys = Keys {
        enc: Zeroizing::new([0u8; 32]),
        mac: Zeroizing::new([0u8; 32]),
    };
    hk.expand(b"enc", &mut keys.enc[..])
        .and_then(|()| hk.expand(b"mac", &mut keys.mac[..]))
        .map_err(|_| ImportError::corrupt(APP, "HKDF expansion failed"))?;
    Ok(keys)
}

/// An EncString's parts, once its shape is checked.
struct EncString {
    iv: Vec<u8>,
    ciphertext: Vec<u8>,
    mac: Vec<u8>,
}

fn enc_string(s: &str, what: &str) -> Result<EncString, ImportError> {
    use base64::Engine;
    let bad = |why: &str| ImportError::corrupt(APP, format!("{what} {why}"));
    let rest = match s.trim().split_once('.') {
        Some(("2", rest)) => rest,
        Some((t, _)) => {
            return Err(ImportError::UnsupportedEncryption {
                app: APP,
                detail: format!(
                    "{what} uses Bitwarden encryption type {t}, not AES-CBC with HMAC (2)"
                ),
            });
        }
        None => return Err(bad("is not an encrypted string")),
    };
    let parts: Vec<&str> = rest.split('|').collect();
    let [iv, ciphertext, mac] = parts.as_slice() else {
        return Err(bad("does not have three parts"));
    };
    let b64 = base64::engine::general_purpose::STANDARD;
    let decode = |p: &str| b64.decode(p).map_err(|_| bad("is not base64"));
    let e = EncString {
        iv: decode(iv)?,
        ciphertext: decode(ciphertext)?,
        mac: decode(mac)?,
    };
    if e.iv.len() != 16
        || e.mac.len() != 32
        || e.ciphertext.is_empty()
        || !e.ciphertext.len().is_multiple_of(16)
    {
        return Err(bad("has parts of impossible lengths (cut off?)"));
    }
    Ok(e)
}

/// The plaintext, or `None` when the MAC does not match.
fn open(e: &EncString, keys: &Keys) -> Option<Zeroizing<Vec<u8>>> {
    let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&keys.mac[..]).ok()?;
    mac.update(&e.iv);
    mac.update(&e.ciphertext);
    mac.verify_slice(&e.mac).ok()?;
    super::aes256_cbc_decrypt(&keys.enc[..], &e.iv, &e.ciphertext).and_then(super::strip_pkcs7)
}

fn decrypt(v: &Value, password: Option<&SecretString>) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let data = enc_string(js::str(v, "data"), "\"data\"")?;
    let check = match v
        .get("encKeyValidation_DO_NOT_EDIT")
        .and_then(Value::as_str)
    {
        Some(s) => Some(enc_string(s, "the key check")?),
        None => None,
    };
    let password = password.ok_or(ImportError::PasswordNeeded { app: APP })?;
    let keys = keys(v, password)?;
    // The key check tells a wrong password from damaged data; without it,
    // a MAC mismatch on the data is most likely the password too.
    if let Some(check) = check {
        open(&check, &keys).ok_or(ImportError::WrongPassword { app: APP })?;
        return open(&data, &keys).ok_or_else(|| {
            ImportError::corrupt(
                APP,
                "the password is right but the encrypted vault fails its check (altered or truncated)",
            )
        });
    }
    open(&data, &keys).ok_or(ImportError::WrongPassword { app: APP })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_folder_becomes_a_tag_and_notes_stay_behind() {
        let file = br#"{"encrypted": false, "folders": [{"id": "f1", "name": "Klanten"}],
            "items": [
              {"name": "SolarEdge", "folderId": "f1", "notes": "recovery: 1234",
               "login": {"username": "anna", "totp": "JBSWY3DPEHPK3PXP"}},
              {"name": "Ista", "folderId": null,
               "login": {"username": "anna", "totp": "GEZDGNBVGY3TQOJQ"}}]}"#;
        let out = Bitwarden.parse(file, None).unwrap();
        assert_eq!(out.details.len(), 2);
        assert_eq!(out.details[0].tags, ["Klanten"]);
        assert_eq!(
            out.details[0].note, "",
            "a password manager's note is not copied"
        );
        assert!(out.details[1].tags.is_empty());
    }

    use super::*;
    use crate::error::Kind as _;

    fn pw(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    const CHECK: &str = "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    fn protected(kdf: &str) -> Vec<u8> {
        format!(
            r#"{{"encrypted":true,"passwordProtected":true,"salt":"c2FsdA==",{kdf},"encKeyValidation_DO_NOT_EDIT":"{CHECK}","data":"{CHECK}"}}"#
        )
        .into_bytes()
    }

    #[test]
    fn absurd_kdf_costs_are_refused_before_any_work() {
        for (kdf, kind) in [
            (r#""kdfType":0,"kdfIterations":4000000000"#, "too_costly"),
            (
                r#""kdfType":1,"kdfIterations":3,"kdfMemory":1000000,"kdfParallelism":4"#,
                "too_costly",
            ),
            (
                r#""kdfType":1,"kdfIterations":1000,"kdfMemory":64,"kdfParallelism":4"#,
                "too_costly",
            ),
            (
                r#""kdfType":1,"kdfIterations":1,"kdfMemory":1,"kdfParallelism":4294967296"#,
                "import_corrupt",
            ),
            (r#""kdfType":7,"kdfIterations":1"#, "unsupported_encryption"),
        ] {
            let err = Bitwarden
                .parse(&protected(kdf), Some(&pw("x")))
                .unwrap_err();
            assert_eq!(err.kind(), kind, "{kdf}: {err}");
        }
    }

    #[test]
    fn a_wrong_password_fails_the_key_check() {
        let f = protected(r#""kdfType":0,"kdfIterations":1000"#);
        assert_eq!(Bitwarden.detect(&f), Some(Detected { encrypted: true }));
        assert_eq!(
            Bitwarden.parse(&f, None).unwrap_err().kind(),
            "password_needed"
        );
        assert_eq!(
            Bitwarden.parse(&f, Some(&pw("x"))).unwrap_err().kind(),
            "wrong_password"
        );
    }

    #[test]
    fn a_cut_enc_string_is_damage() {
        let f = br#"{"encrypted":true,"passwordProtected":true,"salt":"s","kdfType":0,"kdfIterations":1000,"data":"2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA"}"#;
        assert_eq!(
            Bitwarden.parse(f, Some(&pw("x"))).unwrap_err().kind(),
            "import_corrupt"
        );
    }

    #[test]
    fn an_account_restricted_export_is_refused_without_asking_for_a_password() {
        let f = br#"{"encrypted":true,"encKeyValidation_DO_NOT_EDIT":"2.x|y|z","items":[]}"#;
        assert_eq!(Bitwarden.detect(f), Some(Detected { encrypted: false }));
        assert_eq!(
            Bitwarden.parse(f, None).unwrap_err().kind(),
            "unsupported_encryption"
        );
    }
}
