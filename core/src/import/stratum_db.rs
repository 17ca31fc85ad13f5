//! Stratum's (formerly Authenticator Pro's) own database
//! (`files/proauth.db3`, taken from a rooted Android phone). Specification:
//! Stratum's `Stratum.Core` `Authenticator` entity (sqlite-net table
//! `authenticator(type, icon, issuer, username, secret, pin, algorithm,
//! digits, period, counter, ranking)`), with the same numbers as its backup
//! format (doc/BACKUP_FORMAT.md): type 1 HOTP, 2 TOTP, 3 mOTP, 4 Steam,
//! 5 Yandex; algorithm 0 SHA-1, 1 SHA-256, 2 SHA-512.
//!
//! The database is left in WAL mode; see [`super::sqlite`] for why that is
//! harmless here.
//!
//! Lost in conversion: icons, categories, custom icons and the order
//! (`ranking`); mOTP and Yandex accounts are skipped by name.

use secrecy::SecretString;

use super::sqlite::{self, Db, Kind};
use super::{Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, collect};

pub struct StratumDb;

const APP: &str = "Authenticator Pro / Stratum";

impl Importer for StratumDb {
    fn format(&self) -> Format {
        Format::plain("stratum-db", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        (sqlite::kind(bytes)? == Kind::Stratum).then_some(Detected { encrypted: false })
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let db = Db::open(APP, bytes)?;
        let rows = db.rows(
            APP,
            "authenticator",
            &[
                "type",
                "issuer",
                "username",
                "secret",
                "algorithm",
                "digits",
                "period",
                "counter",
            ],
        )?;
        let num = |v: Option<i64>| v.and_then(|v| u64::try_from(v).ok());
        Ok(collect(rows.iter().map(|row| {
            let kind = match row.int("type") {
                Some(1) => "hotp".to_owned(),
                Some(2) => "totp".to_owned(),
                Some(3) => "motp".to_owned(),
                Some(4) => "steam".to_owned(),
                Some(5) => "yandex".to_owned(),
                Some(n) => format!("number {n}"),
                None => "unknown".to_owned(),
            };
            // An unknown number is passed on as such, so that the entry is
            // skipped with it named rather than computed with SHA-1.
            let algorithm = match row.int("algorithm") {
                Some(0) | None => "SHA1".to_owned(),
                Some(1) => "SHA256".to_owned(),
                Some(2) => "SHA512".to_owned(),
                Some(n) => format!("number {n}"),
            };
            let mut r = RawEntry::new(&kind, &row.text("issuer"), &row.text("username"))
                .base32(&row.text("secret"));
            r.algorithm = Some(algorithm);
            r.digits = num(row.int("digits"));
            r.period = num(row.int("period"));
            r.counter = num(row.int("counter"));
            r
        })))
    }
}
