//! andOTP's backup (`otp_accounts_*.json`), plain. Specification: andOTP's
//! `Entry` JSON (as read by Aegis's and GNOME Authenticator's importers).
//!
//! Lost in conversion: thumbnails, tags, usage statistics; mOTP entries
//! (skipped by name).

use secrecy::SecretString;
use serde_json::Value;

use super::raw::js;
use super::{Detected, ImportError, Imported, Importer, RawEntry, collect, json};

pub struct AndOtp;

const APP: &str = "andOTP";

impl Importer for AndOtp {
    fn id(&self) -> &'static str {
        "andotp"
    }
    fn app(&self) -> &'static str {
        APP
    }
    fn can_be_encrypted(&self) -> bool {
        false
    }
    fn detect(&self, bytes: &[u8]) -> Option<Detected> {
        let v = json(bytes)?;
        let first = v.as_array()?.first()?;
        (first.get("secret").is_some()
            && first.get("type").is_some()
            && first.get("label").is_some())
        .then_some(Detected { encrypted: false })
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let v = json(bytes).ok_or_else(|| ImportError::corrupt(APP, "it is not JSON"))?;
        let list = v
            .as_array()
            .ok_or_else(|| ImportError::corrupt(APP, "it is not a list of accounts"))?;
        Ok(collect(list.iter().map(entry)))
    }
}

fn entry(e: &Value) -> RawEntry {
    let mut r = RawEntry::new(
        js::str(e, "type"),
        js::str(e, "issuer"),
        js::str(e, "label"),
    )
    .base32(js::str(e, "secret"));
    r.algorithm = js::opt_str(e, "algorithm");
    r.digits = js::num(e, "digits");
    r.period = js::num(e, "period");
    r.counter = js::num(e, "counter");
    r
}
