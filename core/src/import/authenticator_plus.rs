//! Authenticator Plus (Mufri), two exports:
//!
//! * its "Export" zip: one member, `Accounts.txt`, a list of `otpauth://`
//!   links, protected with the zip's traditional password (as Aegis's
//!   `AuthenticatorPlusImporter` reads it);
//! * its backup, `authplus.db`: an SQLCipher 3 database (see
//!   [`super::sqlcipher`]) holding Google Authenticator's table grown a
//!   category: `accounts(email, secret, counter, type, issuer,
//!   original_name, category, …)`. `type` 0 is TOTP, 1 HOTP and 2 a
//!   Battle.net authenticator with a hex secret and 8-digit codes, as
//!   Stratum's `AuthenticatorPlusBackupConverter` reads it. A database
//!   already decrypted with SQLCipher's own tools is read as well.
//!
//! Lost in conversion: categories and the order. The database keeps no
//! algorithm, digits or period: SHA-1, 6 digits and 30 s (8 digits for
//! Battle.net), which is what the app computes, whatever the account's
//! original link said.

use secrecy::SecretString;

use super::sqlcipher;
use super::sqlite::{self, Db, Kind};
use super::zipfile;
use super::{
    Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, SkipKind, Skipped,
};

const APP: &str = "Authenticator Plus";

fn holds_accounts_txt(bytes: &[u8]) -> bool {
    zipfile::names(bytes)
        .iter()
        .any(|n| zipfile::base_name(n).eq_ignore_ascii_case("Accounts.txt"))
}

/// The password-protected zip from "Export".
pub struct AuthenticatorPlusZip;

impl Importer for AuthenticatorPlusZip {
    fn format(&self) -> Format {
        Format::encryptable("authenticator-plus", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        holds_accounts_txt(bytes).then(|| Detected {
            encrypted: zipfile::any_encrypted(bytes),
        })
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        let members = zipfile::read_members(APP, bytes, password, |n| {
            zipfile::base_name(n).eq_ignore_ascii_case("Accounts.txt")
        })?;
        zipfile::link_lists(APP, &members)
    }
}

/// The SQLCipher backup.
pub struct AuthenticatorPlusDb;

impl Importer for AuthenticatorPlusDb {
    fn format(&self) -> Format {
        Format::encryptable("authenticator-plus-db", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        if bytes.starts_with(sqlite::MAGIC) {
            return (sqlite::kind(bytes)? == Kind::AuthenticatorPlus)
                .then_some(Detected { encrypted: false });
        }
        sqlcipher::could_be(bytes).then_some(Detected { encrypted: true })
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        if bytes.starts_with(sqlite::MAGIC) {
            return read(&Db::open(APP, bytes)?);
        }
        if !sqlcipher::could_be(bytes) {
            return Err(ImportError::corrupt(
                APP,
                format!(
                    "{} bytes is not a whole number of 1024-byte encrypted pages",
                    bytes.len()
                ),
            ));
        }
        let password = password.ok_or(ImportError::PasswordNeeded { app: APP })?;
        let plain = sqlcipher::decrypt(bytes, password).map_err(|e| match e {
            sqlcipher::Error::Authentication => ImportError::WrongPassword { app: APP },
            sqlcipher::Error::Damaged { page } => ImportError::corrupt(
                APP,
                format!("page {page} of the encrypted database fails its integrity check"),
            ),
        })?;
        let db = Db::open(APP, &plain)?;
        if db.kind() != Some(Kind::AuthenticatorPlus) {
            return Err(ImportError::NoOtpData {
                app: APP,
                detail: "the decrypted database has no Authenticator Plus accounts table".into(),
            });
        }
        read(&db)
    }
}

fn read(db: &Db) -> Result<Imported, ImportError> {
    let rows = db.rows(
        APP,
        "accounts",
        &[
            "email",
            "secret",
            "counter",
            "type",
            "issuer",
            "original_name",
        ],
    )?;
    let mut out = Imported::default();
    for row in rows {
        let email = row.text("email");
        let mut issuer = row.text("issuer");
        if issuer.trim().is_empty() {
            // Rows added before the issuer column have only the scanned
            // label to go by.
            issuer = row
                .text("original_name")
                .split_once(':')
                .map(|(prefix, _)| prefix.trim().to_owned())
                .unwrap_or_default();
        }
        let secret = row.text("secret");
        let raw = match row.int("type") {
            Some(0) | None => RawEntry::new("totp", &issuer, &email).base32(&secret),
            Some(1) => {
                let mut r = RawEntry::new("hotp", &issuer, &email).base32(&secret);
                r.counter = row.int("counter").and_then(|c| u64::try_from(c).ok());
                r
            }
            Some(2) => {
                let r = RawEntry::new("totp", &issuer, &email);
                match data_encoding::HEXLOWER_PERMISSIVE.decode(secret.trim().as_bytes()) {
                    Ok(bytes) => {
                        let mut r = r.bytes(bytes);
                        r.digits = Some(8);
                        r
                    }
                    Err(_) => {
                        out.skipped.push(Skipped::new(
                            r.name(),
                            SkipKind::BadSecret,
                            "its Battle.net secret is not valid hexadecimal",
                        ));
                        continue;
                    }
                }
            }
            Some(n) => RawEntry::new(&format!("number {n}"), &issuer, &email),
        };
        match raw.into_entry() {
            Ok(e) => out.entries.push(e),
            Err(s) => out.skipped.push(s),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    #[test]
    fn a_decrypted_database_and_its_names() {
        let bytes = sqlite::database(
            "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT, secret TEXT, counter INTEGER, type INTEGER, issuer TEXT, original_name TEXT, category TEXT);
             INSERT INTO accounts (email, secret, counter, type, issuer, original_name) VALUES
             ('Period', 'JBSWY3DPEHPK3PXP', 0, 0, 'Long', 'Long:Period'),
             ('alice', 'JBSWY3DPEHPK3PXP', 0, 0, NULL, 'Old:alice'),
             ('NoIssuer', 'JBSWY3DPEHPK3PXP', 0, 0, NULL, 'NoIssuer'),
             ('Hotp', 'JBSWY3DPEHPK3PXP', 10, 1, 'Standard', 'Standard:Hotp'),
             ('Username', '9777f82cf6956cd401d7fdf0f452bb8bf45c55b2', 0, 2, 'Battle.net', 'EU-1'),
             ('Bad', 'not hex', 0, 2, 'Battle.net', 'EU-2');",
        );
        assert_eq!(
            AuthenticatorPlusDb.detect(&bytes),
            Some(Detected { encrypted: false })
        );
        let got = AuthenticatorPlusDb.parse(&bytes, None).unwrap();
        let names: Vec<_> = got
            .entries
            .iter()
            .map(|e| (e.issuer.as_str(), e.account.as_str(), e.otp.digits))
            .collect();
        assert_eq!(
            names,
            [
                ("Long", "Period", 6),
                ("Old", "alice", 6),
                ("", "NoIssuer", 6),
                ("Standard", "Hotp", 6),
                ("Battle.net", "Username", 8),
            ]
        );
        assert_eq!(got.entries[3].otp.counter, 10);
        assert_eq!(got.skipped.len(), 1);
    }

    #[test]
    fn an_encrypted_database_needs_its_password() {
        let blob: Vec<u8> = (0..2048u32).map(|i| (i * 151 % 251) as u8 | 0x80).collect();
        assert_eq!(
            AuthenticatorPlusDb.detect(&blob),
            Some(Detected { encrypted: true })
        );
        let err = AuthenticatorPlusDb.parse(&blob, None).unwrap_err();
        assert_eq!(err.kind(), "password_needed");
        let pw = SecretString::from("pw".to_owned());
        let err = AuthenticatorPlusDb.parse(&blob, Some(&pw)).unwrap_err();
        assert_eq!(err.kind(), "wrong_password");
        let err = AuthenticatorPlusDb
            .parse(&blob[..1500], Some(&pw))
            .unwrap_err();
        assert_eq!(err.kind(), "import_corrupt");
    }
}
