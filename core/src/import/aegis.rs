//! Aegis Authenticator's vault export (`aegis-export-*.json`), plain or
//! encrypted. Specification: Aegis's `docs/vault.md` (version 1 of the
//! outer file, database versions 1–3).
//!
//! Encrypted: each password slot (type 1) holds the master key sealed with
//! AES-256-GCM under scrypt(password, salt, n, r, p); the master key opens
//! `db` (base64) with AES-256-GCM and the header's nonce and tag. Biometric
//! slots (type 2) need the phone's keystore and are ignored.
//!
//! Groups become tags, and notes are kept.
//! Icons come along as pictures (raster ones re-encoded as a small PNG;
//! one that fails `crate::icon`'s checks is left behind, the account not).
//!
//! Lost in conversion: usage counts; mOTP and Yandex entries (skipped by
//! name).

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use zeroize::Zeroizing;

use super::budget::{Budget, Kdf};
use super::raw::js;
use super::{Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, collect, json};

pub struct Aegis;

const APP: &str = "Aegis";

/// The end of a refusal: Aegis writes n = 2^15, r = 8, p = 1 (32 MiB).
const ADVICE: &str = "Export the vault again from Aegis, which writes its own cost (32 MiB)";

impl Importer for Aegis {
    fn format(&self) -> Format {
        Format::encryptable("aegis", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let v = file.json()?;
        let header = v.get("header")?;
        let db = v.get("db")?;
        header.get("slots")?;
        Some(Detected {
            encrypted: db.is_string(),
        })
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        let v = json(bytes).ok_or_else(|| ImportError::corrupt(APP, "it is not JSON"))?;
        let db = match v.get("db") {
            Some(Value::String(sealed)) => {
                let password = password.ok_or(ImportError::PasswordNeeded { app: APP })?;
                let plain = decrypt(&v, sealed, password)?;
                super::decrypted_json(APP, "vault", &plain)?
            }
            Some(db @ Value::Object(_)) => db.clone(),
            _ => return Err(ImportError::corrupt(APP, "it has no \"db\"")),
        };
        let entries = db
            .get("entries")
            .and_then(Value::as_array)
            .ok_or_else(|| ImportError::corrupt(APP, "the vault has no \"entries\" list"))?;
        // Version 3 names groups in a list and refers to them by uuid;
        // version 2 gave each entry one group name.
        let groups = js::names_by_id(&db, "groups", "uuid");
        Ok(collect(entries.iter().map(|e| {
            let mut r = entry(e);
            r.note = js::str(e, "note").to_owned();
            r.pinned = js::bool(e, "favorite");
            r.icon = icon(e);
            r.tags = match e.get("groups").and_then(Value::as_array) {
                Some(ids) => ids
                    .iter()
                    .filter_map(|id| groups.get(id.as_str()?).map(|n| (*n).to_owned()))
                    .collect(),
                None => js::opt_str(e, "group").into_iter().collect(),
            };
            r
        })))
    }
}

/// An entry's `icon` (base64 image bytes, `icon_mime` saying which type)
/// as a vault stores one: re-encoded through [`crate::icon::picture`]. A
/// picture that fails its checks is left behind, the account not.
fn icon(e: &Value) -> Option<String> {
    use base64::Engine as _;
    let data = e.get("icon")?.as_str()?;
    // Four base64 characters per three bytes of the largest image read.
    if data.len() > 12 * 1024 * 1024 {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .ok()?;
    crate::icon::picture(&bytes).ok()
}

fn entry(e: &Value) -> RawEntry {
    let info = e.get("info").cloned().unwrap_or(Value::Null);
    let mut r = RawEntry::new(js::str(e, "type"), js::str(e, "issuer"), js::str(e, "name"))
        .base32(js::str(&info, "secret"));
    r.algorithm = js::opt_str(&info, "algo");
    r.digits = js::num(&info, "digits");
    r.period = js::num(&info, "period");
    r.counter = js::num(&info, "counter");
    r
}

fn hex(v: &Value, key: &str, what: &str) -> Result<Vec<u8>, ImportError> {
    let s = js::str(v, key);
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(s.as_bytes())
        .map_err(|_| ImportError::corrupt(APP, format!("{what} \"{key}\" is not hex")))
}

/// Aegis stores the GCM tag apart from the ciphertext.
fn gcm_open(key: &[u8], nonce: &[u8], body: &[u8], tag: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if tag.len() != 16 {
        return None;
    }
    let mut sealed = body.to_vec();
    sealed.extend_from_slice(tag);
    super::aes256_gcm_open(key, nonce, &sealed)
}

fn decrypt(
    v: &Value,
    sealed: &str,
    password: &SecretString,
) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    use base64::Engine;
    let header = &v["header"];
    let slots = header
        .get("slots")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::corrupt(APP, "the header has no key slots"))?;
    // Biometric slots (type 2) need the phone's keystore: skipped unread.
    let passwords: Vec<(usize, &Value)> = slots
        .iter()
        .enumerate()
        .filter(|(_, s)| js::num(s, "type") == Some(1))
        .map(|(i, s)| (i + 1, s))
        .collect();
    if passwords.is_empty() {
        return Err(ImportError::UnsupportedEncryption {
            app: APP,
            detail: "it has no password slot (only biometric ones)".into(),
        });
    }
    // Every slot is checked and its cost booked before any is derived, so
    // that an expensive last slot does not cost the work of the others.
    let mut budget = Budget::new(APP, ADVICE);
    budget.slots(passwords.len())?;
    let mut tries = Vec::with_capacity(passwords.len());
    for (i, slot) in passwords {
        let (n, r, p) = (
            js::num(slot, "n").unwrap_or(0),
            js::num(slot, "r").unwrap_or(0),
            js::num(slot, "p").unwrap_or(0),
        );
        if !n.is_power_of_two() || n < 2 || r == 0 || p == 0 {
            return Err(ImportError::corrupt(
                APP,
                format!("slot {i} has impossible scrypt parameters n = {n}, r = {r}, p = {p}"),
            ));
        }
        let log_n = n.trailing_zeros();
        budget.charge(&format!("slot {i}"), Kdf::Scrypt { log_n, r, p })?;
        // Within the budget, r and p fit: 128·r·n ≤ 1 GiB, 2·p·(128·r·n) ≤ 16 GiB.
        let params = u8::try_from(log_n)
            .ok()
            .zip(u32::try_from(r).ok().zip(u32::try_from(p).ok()))
            .and_then(|(log_n, (r, p))| scrypt::Params::new(log_n, r, p, 32).ok())
            .ok_or_else(|| {
                ImportError::corrupt(
                    APP,
                    format!("slot {i}'s scrypt parameters n = {n}, r = {r}, p = {p} are invalid"),
                )
            })?;
        tries.push((slot, params));
    }
    let mut master = None;
    for (slot, params) in tries {
        let salt = hex(slot, "salt", "a slot's")?;
        let mut kek = Zeroizing::new([0u8; 32]);
        scrypt::scrypt(
            password.expose_secret().as_bytes(),
            &salt,
            &params,
            &mut kek[..],
        )
        .map_err(|e| ImportError::corrupt(APP, format!("scrypt: {e}")))?;
        let kp = slot.get("key_params").cloned().unwrap_or(Value::Null);
        let key = hex(slot, "key", "a slot's")?;
        if let Some(m) = gcm_open(
            &kek[..],
            &hex(&kp, "nonce", "a slot's")?,
            &key,
            &hex(&kp, "tag", "a slot's")?,
        ) {
            master = Some(m);
            break;
        }
    }
    let master = master.ok_or(ImportError::WrongPassword { app: APP })?;
    let params = header.get("params").cloned().unwrap_or(Value::Null);
    let body = base64::engine::general_purpose::STANDARD
        .decode(sealed.trim())
        .map_err(|_| ImportError::corrupt(APP, "the encrypted vault is not base64"))?;
    gcm_open(
        &master,
        &hex(&params, "nonce", "the vault's")?,
        &body,
        &hex(&params, "tag", "the vault's")?,
    )
    .ok_or_else(|| {
        ImportError::corrupt(
            APP,
            "the encrypted vault fails authentication (altered or truncated)",
        )
    })
}
