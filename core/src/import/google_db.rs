//! Google Authenticator's own database (`databases/databases`, taken from a
//! rooted Android phone). There is no published specification: the table is
//! `accounts(email, secret, counter, type, provider, issuer, original_name)`
//! as Aegis's `GoogleAuthImporter` reads it; `type` 0 is TOTP and 1 HOTP,
//! `secret` is base32.
//!
//! Lost in conversion: nothing Google keeps. It keeps no algorithm, digits
//! or period, so every account is SHA-1, 6 digits, 30 s, as Google's app
//! computes them. Rows that newer versions encrypt with the phone's
//! keystore (`isencrypted`) cannot be read off the phone and are skipped.

use secrecy::SecretString;

use super::sqlite::{self, Db, Kind};
use super::{
    Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, SkipKind, Skipped,
};

pub struct GoogleDb;

const APP: &str = "Google Authenticator";

impl Importer for GoogleDb {
    fn format(&self) -> Format {
        Format::plain("google-authenticator-db", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        (sqlite::kind(bytes)? == Kind::Google).then_some(Detected { encrypted: false })
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let db = Db::open(APP, bytes)?;
        let rows = db.rows(
            APP,
            "accounts",
            &[
                "email",
                "secret",
                "counter",
                "type",
                "issuer",
                "isencrypted",
            ],
        )?;
        let mut out = Imported::default();
        for row in rows {
            let email = row.text("email");
            // The account name is stored as the label was scanned, often
            // "Issuer:account"; the issuer column came later and may be
            // empty in older rows.
            let (prefix, account) = match email.split(':').collect::<Vec<_>>()[..] {
                [prefix, account] => (prefix, account),
                _ => ("", email.as_str()),
            };
            let mut issuer = row.text("issuer");
            if issuer.trim().is_empty() {
                issuer = prefix.to_owned();
            }
            if row.int("isencrypted").unwrap_or(0) != 0 {
                out.skipped.push(Skipped::new(
                    RawEntry::new("totp", &issuer, account).name(),
                    SkipKind::Locked,
                    "its secret is encrypted with the phone's keystore; move it with Google Authenticator's \"Transfer accounts\" instead",
                ));
                continue;
            }
            let kind = match row.int("type") {
                Some(0) | None => "totp",
                Some(1) => "hotp",
                Some(n) => {
                    out.skipped.push(Skipped::new(
                        RawEntry::new("totp", &issuer, account).name(),
                        SkipKind::Unsupported,
                        format!("its type ({n}) is not one Google Authenticator documents"),
                    ));
                    continue;
                }
            };
            let mut raw = RawEntry::new(kind, &issuer, account).base32(&row.text("secret"));
            raw.counter = row.int("counter").and_then(|c| u64::try_from(c).ok());
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

    const TABLE: &str = "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL, counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT DEFAULT NULL, original_name TEXT DEFAULT NULL, isencrypted INTEGER DEFAULT 0);";

    #[test]
    fn labels_without_issuer_keystore_rows_and_unknown_types() {
        let bytes = sqlite::database(&format!(
            "{TABLE} INSERT INTO accounts (email, secret, type, issuer) VALUES
             ('Old:alice', 'JBSWY3DPEHPK3PXP', 0, NULL),
             ('bob@example.com', 'jbsw y3dp-ehpk 3pxp', 0, ''),
             ('Sealed:carol', '', 0, 'Sealed'),
             ('Odd:dave', 'JBSWY3DPEHPK3PXP', 7, 'Odd');
             UPDATE accounts SET isencrypted = 1 WHERE email = 'Sealed:carol';"
        ));
        assert!(GoogleDb.detect(&bytes).is_some());
        let got = GoogleDb.parse(&bytes, None).unwrap();
        let names: Vec<_> = got
            .entries
            .iter()
            .map(|e| (e.issuer.as_str(), e.account.as_str()))
            .collect();
        assert_eq!(names, [("Old", "alice"), ("", "bob@example.com")]);
        assert_eq!(got.skipped.len(), 2);
        assert!(
            got.skipped[0].reason.contains("keystore"),
            "{:?}",
            got.skipped
        );
        assert!(got.skipped[1].reason.contains("7"), "{:?}", got.skipped);
    }

    #[test]
    fn a_category_makes_it_authenticator_plus_not_google() {
        let bytes = sqlite::database(&format!("{TABLE} CREATE TABLE category (name TEXT);"));
        assert!(GoogleDb.detect(&bytes).is_none());
        assert_eq!(sqlite::kind(&bytes), Some(Kind::AuthenticatorPlus));
    }
}
