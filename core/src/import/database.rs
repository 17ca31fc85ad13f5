//! SQLite files no app's importer claims: a damaged database gets a
//! specific reason rather than "unknown format", and one whose tables are
//! no app's names them. Apart from [`super::sqlite`], which the apps'
//! importers use, because this one in turn hands a database to the app
//! that reads it when chosen with `--format sqlite`.

use secrecy::SecretString;

use super::sqlite::{Db, Kind, MAGIC, kind};
use super::{Detected, Format, ImportError, Imported, Importer, Probe};

/// SQLite files no importer claims: a damaged database, or one from an app
/// Authdesk does not read.
pub struct Unrecognised;

const APP: &str = "SQLite database";

impl Importer for Unrecognised {
    fn format(&self) -> Format {
        Format::plain("sqlite", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        (bytes.starts_with(MAGIC) && kind(bytes).is_none()).then_some(Detected { encrypted: false })
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        let db = Db::open(APP, bytes)?;
        // Chosen with --format, a database an app's importer reads goes
        // there.
        let app: &dyn Importer = match db.kind() {
            Some(Kind::Google) => &super::google_db::GoogleDb,
            Some(Kind::Microsoft) => &super::microsoft::Microsoft,
            Some(Kind::Stratum) => &super::stratum_db::StratumDb,
            Some(Kind::AuthenticatorPlus) => &super::authenticator_plus::AuthenticatorPlusDb,
            None => return Err(unknown_tables(&db)),
        };
        app.parse(bytes, password)
    }
}

fn unknown_tables(db: &Db) -> ImportError {
    let tables = db.tables();
    ImportError::NoOtpData {
        app: APP,
        detail: format!(
            "its tables ({}) are not those of Google Authenticator, Microsoft Authenticator, Stratum or Authenticator Plus",
            if tables.is_empty() {
                "none".to_owned()
            } else {
                tables.join(", ")
            }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::sqlite::database;
    use super::*;
    use crate::error::Kind as _;

    #[test]
    fn an_unknown_database_names_its_tables() {
        let bytes = database("CREATE TABLE notes(body TEXT); INSERT INTO notes VALUES ('hi');");
        assert_eq!(kind(&bytes), None);
        assert!(Unrecognised.detect(&bytes).is_some());
        let err = Unrecognised.parse(&bytes, None).unwrap_err();
        assert_eq!(err.kind(), "no_otp_data");
        assert!(err.to_string().contains("notes"), "{err}");
    }

    #[test]
    fn a_damaged_header_is_a_clear_error() {
        let mut bytes = database("CREATE TABLE t(x);");
        bytes[16] = 0;
        bytes[17] = 3;
        let err = Unrecognised.parse(&bytes, None).unwrap_err();
        assert_eq!(err.kind(), "import_corrupt");
        assert!(err.to_string().contains("page size"), "{err}");
    }
}
