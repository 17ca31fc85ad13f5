//! Raivo OTP (iPhone): "Export OTPs to ZIP archive" writes a zip locked with
//! the user's password holding `raivo-otp-export.json`, a list of
//! `{kind, algorithm, timer, digits, counter, issuer, account, secret}`
//! whose values are all strings (Raivo's `DataExportFeature.swift` and
//! `Password.swift`). This reads that JSON, taken out of the zip.
//!
//! Lost in conversion: icons and pins.

use secrecy::SecretString;
use serde_json::Value;

use super::raw::js;
use super::{Detected, ImportError, Imported, Importer, RawEntry, collect, json};

pub struct Raivo;

const APP: &str = "Raivo OTP";

fn is_raivo(e: &Value) -> bool {
    e.get("kind").is_some() && e.get("timer").is_some() && e.get("secret").is_some()
}

impl Importer for Raivo {
    fn id(&self) -> &'static str {
        "raivo"
    }
    fn app(&self) -> &'static str {
        APP
    }
    fn can_be_encrypted(&self) -> bool {
        false
    }
    fn detect(&self, bytes: &[u8]) -> Option<Detected> {
        is_raivo(json(bytes)?.as_array()?.first()?).then_some(Detected { encrypted: false })
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let v = json(bytes).ok_or_else(|| ImportError::corrupt(APP, "it is not JSON"))?;
        let list = v
            .as_array()
            .ok_or_else(|| ImportError::corrupt(APP, "it is not a list of accounts"))?;
        Ok(collect(list.iter().map(|e| {
            let mut r = RawEntry::new(
                js::str(e, "kind"),
                js::str(e, "issuer"),
                js::str(e, "account"),
            )
            .base32(js::str(e, "secret"));
            r.algorithm = js::opt_str(e, "algorithm");
            r.digits = js::num(e, "digits");
            r.period = js::num(e, "timer");
            r.counter = js::num(e, "counter");
            r
        })))
    }
}

#[cfg(test)]
mod tests {
    use crate::import::import;
    use crate::otp::{Algorithm, OtpType};

    const EXPORT: &str = r#"[
      {"pinned":"false","iconValue":"","issuer":"Zonneportaal","secret":"JBSWY3DPEHPK3PXP","counter":"0",
       "account":"installateur@voorbeeld.nl","iconType":"","algorithm":"SHA256","kind":"TOTP","timer":"60","digits":"8"},
      {"pinned":"true","iconValue":"","issuer":"Meter","secret":"GEZDGNBVGY3TQOJQ","counter":"7",
       "account":"warmte","iconType":"","algorithm":"SHA1","kind":"HOTP","timer":"30","digits":"6"}
    ]"#;

    #[test]
    fn reads_the_json_inside_raivos_zip() {
        let out = import(EXPORT.as_bytes(), None, None).unwrap();
        assert_eq!(out.format, "raivo");
        let e = &out.imported.entries;
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].issuer, "Zonneportaal");
        assert_eq!(e[0].otp.algorithm, Algorithm::Sha256);
        assert_eq!((e[0].otp.digits, e[0].otp.period), (8, 60));
        assert_eq!(e[1].otp.kind, OtpType::Hotp);
        assert_eq!(e[1].otp.counter, 7);
    }

    #[test]
    fn a_damaged_secret_is_skipped_by_name() {
        let bad = EXPORT.replace("GEZDGNBVGY3TQOJQ", "not base32!");
        let out = import(bad.as_bytes(), None, None).unwrap();
        assert_eq!(out.imported.entries.len(), 1);
        assert_eq!(out.imported.skipped[0].name, "Meter (warmte)");
    }
}
