//! Microsoft Authenticator's own database (`databases/PhoneFactor`, taken
//! from a rooted Android phone). There is no published specification: the
//! Room table is `accounts(name, username, oath_secret_key, account_type,
//! encrypted_oath_secret_key, …)` as Aegis's `MicrosoftAuthImporter` reads
//! it. `account_type` 0 is a third-party TOTP account with a base32 secret;
//! 1 is a personal Microsoft account, whose secret is base64 and whose
//! codes have 8 digits.
//!
//! Lost in conversion: work and school accounts (push sign-in, no code
//! secret) and accounts whose secret newer versions keep encrypted with the
//! phone's keystore; both are listed as skipped. Microsoft keeps no
//! algorithm or period: SHA-1 and 30 s, as its app computes them.

use base64::Engine;
use secrecy::SecretString;

use super::sqlite::{self, Db, Kind};
use super::{
    Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, SkipKind, Skipped,
};

pub struct Microsoft;

const APP: &str = "Microsoft Authenticator";

impl Importer for Microsoft {
    fn format(&self) -> Format {
        Format::plain("microsoft-authenticator", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        (sqlite::kind(bytes)? == Kind::Microsoft).then_some(Detected { encrypted: false })
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let db = Db::open(APP, bytes)?;
        let rows = db.rows(
            APP,
            "accounts",
            &[
                "name",
                "username",
                "oath_secret_key",
                "account_type",
                "encrypted_oath_secret_key",
            ],
        )?;
        let mut out = Imported::default();
        for row in rows {
            let mut raw = RawEntry::new("totp", &row.text("name"), &row.text("username"));
            let secret = row.text("oath_secret_key");
            let name = raw.name();
            let skip = |kind, reason: &str| Skipped::new(name.clone(), kind, reason);
            if secret.trim().is_empty() {
                out.skipped.push(if row.text("encrypted_oath_secret_key").is_empty() {
                    skip(
                        SkipKind::Unsupported,
                        "it has no code secret (a work or school account that signs in by notification)",
                    )
                } else {
                    skip(
                        SkipKind::Locked,
                        "its secret is encrypted with the phone's keystore and cannot be read off the phone",
                    )
                });
                continue;
            }
            match row.int("account_type") {
                Some(0) => raw = raw.base32(&secret),
                Some(1) => {
                    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(secret.trim())
                    else {
                        out.skipped
                            .push(skip(SkipKind::BadSecret, "its secret is not valid base64"));
                        continue;
                    };
                    raw = raw.bytes(bytes);
                    raw.digits = Some(8);
                }
                _ => {
                    out.skipped.push(skip(
                        SkipKind::Unsupported,
                        "it is a work or school account, whose codes only Microsoft's app makes",
                    ));
                    continue;
                }
            }
            match raw.into_entry() {
                Ok(e) => out.entries.push(e),
                Err(s) => out.skipped.push(s),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_work_and_keystore_accounts() {
        let bytes = sqlite::database(
            "CREATE TABLE accounts (name TEXT, username TEXT, oath_secret_key TEXT, account_type INTEGER, encrypted_oath_secret_key TEXT);
             INSERT INTO accounts VALUES
             ('Microsoft', 'me@outlook.com', 'SGVsbG8hIFdvcmxkIQ==', 1, ''),
             ('Contoso', 'me@contoso.com', 'JBSWY3DPEHPK3PXP', 2, ''),
             ('Sealed', 'x', '', 0, 'AAAA'),
             ('Push', 'y', '', 2, '');",
        );
        assert!(Microsoft.detect(&bytes).is_some());
        let got = Microsoft.parse(&bytes, None).unwrap();
        assert_eq!(got.entries.len(), 1);
        assert_eq!(got.entries[0].otp.digits, 8);
        assert_eq!(got.entries[0].secret.expose(), b"Hello! World!");
        let reasons: Vec<_> = got.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert!(reasons[0].contains("work or school"), "{reasons:?}");
        assert!(reasons[1].contains("keystore"), "{reasons:?}");
        assert!(reasons[2].contains("no code secret"), "{reasons:?}");
    }
}
