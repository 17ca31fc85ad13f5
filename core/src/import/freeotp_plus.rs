//! FreeOTP+'s JSON export (`freeotp-backup.json`). Specification: FreeOTP+'s
//! `Token` class, serialised by Gson: the secret is a list of signed bytes.
//!
//! Lost in conversion: the token order and images. HOTP counters are taken
//! as stored (FreeOTP+ keeps the counter of the last code shown).

use secrecy::SecretString;
use serde_json::Value;

use super::raw::js;
use super::{Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, collect, json};

pub struct FreeOtpPlus;

const APP: &str = "FreeOTP+";

impl Importer for FreeOtpPlus {
    fn format(&self) -> Format {
        Format::plain("freeotp-plus", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let v = file.json()?;
        v.get("tokens")?.as_array()?;
        Some(Detected { encrypted: false })
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let v = json(bytes).ok_or_else(|| ImportError::corrupt(APP, "it is not JSON"))?;
        let tokens = v
            .get("tokens")
            .and_then(Value::as_array)
            .ok_or_else(|| ImportError::corrupt(APP, "it has no \"tokens\" list"))?;
        Ok(collect(tokens.iter().map(entry)))
    }
}

/// Gson writes Java's signed bytes.
pub(crate) fn signed_bytes(v: Option<&Value>) -> Vec<u8> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_i64)
                .map(|b| b as i8 as u8)
                .collect()
        })
        .unwrap_or_default()
}

/// A token as FreeOTP and FreeOTP+ write it, in their stores and backups.
pub(crate) fn entry(t: &Value) -> RawEntry {
    let issuer = js::opt_str(t, "issuerExt")
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| js::str(t, "issuerInt").to_owned());
    let mut r = RawEntry::new(js::str(t, "type"), &issuer, js::str(t, "label"))
        .bytes(signed_bytes(t.get("secret")));
    r.algorithm = js::opt_str(t, "algo");
    r.digits = js::num(t, "digits");
    r.period = js::num(t, "period");
    r.counter = js::num(t, "counter");
    r
}
