//! Raivo OTP (iPhone): "Export OTPs to ZIP archive" writes a zip locked with
//! the user's password (WinZip AES-256, stored) holding
//! `raivo-otp-export.json` and an HTML page of QR codes. The JSON is a list
//! of `{kind, algorithm, timer, digits, counter, issuer, account, secret}`
//! whose values are all strings (Raivo's `DataExportFeature.swift` and
//! `Password.swift`). Both the zip and the JSON taken out of it are read.
//!
//! Lost in conversion: icons and pins.

use secrecy::SecretString;
use serde_json::Value;

use super::raw::js;
use super::zipfile;
use super::{Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, collect, json};

pub struct Raivo;

const APP: &str = "Raivo OTP";

/// The member of Raivo's zip that holds the accounts.
const MEMBER: &str = "raivo-otp-export.json";

fn is_raivo(e: &Value) -> bool {
    e.get("kind").is_some() && e.get("timer").is_some() && e.get("secret").is_some()
}

fn is_member(name: &str) -> bool {
    zipfile::base_name(name).eq_ignore_ascii_case(MEMBER)
}

impl Importer for Raivo {
    fn format(&self) -> Format {
        Format::encryptable("raivo", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        if zipfile::is_zip(bytes) {
            // Either of Raivo's two members names the archive: a cut-off
            // one shows only its first, the HTML page.
            return zipfile::names(bytes)
                .iter()
                .any(|n| zipfile::base_name(n).starts_with("raivo-otp-export."))
                .then(|| Detected {
                    encrypted: zipfile::any_encrypted(bytes),
                });
        }
        is_raivo(file.json()?.as_array()?.first()?).then_some(Detected { encrypted: false })
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        if !zipfile::is_zip(bytes) {
            return accounts(bytes);
        }
        let members = zipfile::read_members(APP, bytes, password, is_member)?;
        let (name, content) = &members[0];
        accounts(content).map_err(|e| match e {
            ImportError::Corrupt { detail, .. } => {
                ImportError::corrupt(APP, format!("{name} in the zip: {detail}"))
            }
            e => e,
        })
    }
}

fn accounts(bytes: &[u8]) -> Result<Imported, ImportError> {
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

#[cfg(test)]
mod tests {
    use crate::error::Kind as _;
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

    /// A zip as Raivo writes it: AES-256, stored, the JSON beside an HTML page.
    fn raivo_zip(password: &str, json: &str) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .with_aes_encryption(zip::AesMode::Aes256, password);
        w.start_file("raivo-otp-export.html", opts).unwrap();
        w.write_all(b"<html></html>").unwrap();
        w.start_file("raivo-otp-export.json", opts).unwrap();
        w.write_all(json.as_bytes()).unwrap();
        w.finish().unwrap().into_inner()
    }

    fn pw(s: &str) -> secrecy::SecretString {
        secrecy::SecretString::from(s.to_owned())
    }

    #[test]
    fn reads_raivos_aes_zip_with_its_password() {
        let zip = raivo_zip("Zonnepaneel-2026", EXPORT);
        let found = crate::import::detect(&zip);
        assert_eq!(found[0].0.id(), "raivo");
        assert!(found[0].1.encrypted);
        assert_eq!(
            import(&zip, None, None).unwrap_err().kind(),
            "password_needed"
        );
        assert_eq!(
            import(&zip, None, Some(&pw("zonnepaneel")))
                .unwrap_err()
                .kind(),
            "wrong_password"
        );
        let out = import(&zip, None, Some(&pw("Zonnepaneel-2026"))).unwrap();
        assert_eq!(out.format, "raivo");
        assert_eq!(out.imported.entries.len(), 2);
        assert_eq!(out.imported.entries[1].otp.counter, 7);
    }

    #[test]
    fn a_cut_raivo_zip_is_damaged() {
        let zip = raivo_zip("p", EXPORT);
        let err = import(&zip[..zip.len() - 30], None, Some(&pw("p"))).unwrap_err();
        assert_eq!(err.kind(), "import_corrupt", "{err}");
    }

    #[test]
    fn a_damaged_secret_is_skipped_by_name() {
        let bad = EXPORT.replace("GEZDGNBVGY3TQOJQ", "not base32!");
        let out = import(bad.as_bytes(), None, None).unwrap();
        assert_eq!(out.imported.entries.len(), 1);
        assert_eq!(out.imported.skipped[0].name, "Meter (warmte)");
    }
}
