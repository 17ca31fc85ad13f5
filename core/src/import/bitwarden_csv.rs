//! Bitwarden's CSV vault export. Specification: Bitwarden's help article
//! "Export vault data" and "Condition a Bitwarden .csv": a header row
//! (`folder,favorite,type,name,notes,fields,reprompt,login_uri,
//! login_username,login_password,login_totp`, organisation exports add
//! `collections`; the set and order vary between versions, so columns are
//! found by name), then one row per item. `login_totp` is read as in the
//! JSON export (see [`super::bitwarden`]).
//!
//! CSV cannot tell a cut-off file from a complete one when the cut falls
//! inside the last field, so unlike the structured formats a truncated copy
//! may import its first rows; a row with a missing field is refused.
//!
//! The folder becomes a tag and `favorite` (`1`) a pin, as from the JSON
//! export. Lost in conversion: passwords, URIs and notes (a password
//! manager's notes may hold other secrets, such as recovery codes, which a
//! card would show); secure notes are not accounts.

use secrecy::SecretString;

use super::bitwarden::push_totp;
use super::{Details, Detected, Format, ImportError, Imported, Importer, Probe};

pub struct BitwardenCsv;

const APP: &str = "Bitwarden";

fn reader(bytes: &[u8]) -> Option<csv::Reader<&[u8]>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Some(
        csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(text.as_bytes()),
    )
}

fn column(headers: &csv::StringRecord, name: &str) -> Option<usize> {
    headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(name))
}

impl Importer for BitwardenCsv {
    fn format(&self) -> Format {
        Format::plain("bitwarden-csv", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        let headers = reader(bytes)?.headers().ok()?.clone();
        column(&headers, "login_totp").map(|_| Detected { encrypted: false })
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let mut rdr =
            reader(bytes).ok_or_else(|| ImportError::corrupt(APP, "it is not UTF-8 text"))?;
        let headers = rdr
            .headers()
            .map_err(|e| ImportError::corrupt(APP, format!("its header row cannot be read ({e})")))?
            .clone();
        let totp_col = column(&headers, "login_totp")
            .ok_or_else(|| ImportError::corrupt(APP, "its header row has no login_totp column"))?;
        let (type_col, name_col, user_col) = (
            column(&headers, "type"),
            column(&headers, "name"),
            column(&headers, "login_username"),
        );
        let (folder_col, favourite_col) =
            (column(&headers, "folder"), column(&headers, "favorite"));
        let mut out = Imported::default();
        for record in rdr.records() {
            let record = record.map_err(|e| {
                let at = e
                    .position()
                    .map(|p| format!("line {}", p.line()))
                    .unwrap_or_else(|| "a row".into());
                ImportError::corrupt(APP, format!("{at} cannot be read ({e})"))
            })?;
            let field = |col: Option<usize>| col.and_then(|c| record.get(c)).unwrap_or("").trim();
            let kind = field(type_col);
            let totp = field(Some(totp_col));
            // Only logins carry a TOTP field; a note's row has none.
            if totp.is_empty() || !(kind.is_empty() || kind.eq_ignore_ascii_case("login")) {
                continue;
            }
            let (name, user) = (field(name_col), field(user_col));
            let before = out.entries.len();
            push_totp(&mut out, totp, name, user);
            if out.entries.len() > before {
                let folder = field(folder_col);
                out.details.push(Details {
                    tags: (!folder.is_empty())
                        .then(|| folder.to_owned())
                        .into_iter()
                        .collect(),
                    pinned: matches!(field(favourite_col), "1" | "true" | "TRUE" | "True"),
                    ..Details::default()
                });
            }
        }
        out.settle_details();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    const HEADER: &str = "folder,favorite,type,name,notes,fields,login_uri,login_username,login_password,login_totp\n";

    #[test]
    fn other_csv_files_are_not_bitwarden() {
        assert!(BitwardenCsv.detect(b"name,secret\nx,y\n").is_none());
        assert!(BitwardenCsv.detect(HEADER.as_bytes()).is_some());
    }

    #[test]
    fn a_row_with_a_field_missing_is_an_error() {
        let csv = format!("{HEADER},,login,A,,,,u,p\n");
        let err = BitwardenCsv.parse(csv.as_bytes(), None).unwrap_err();
        assert_eq!(err.kind(), "import_corrupt");
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn quoted_fields_notes_and_bad_secrets() {
        let csv = format!(
            "{HEADER},,login,\"A, Inc\",\"two\nlines\",,,u,p,JBSWY3DPEHPK3PXP\n,,note,N,,,,,,\n,,login,Bad,,,,v,,otpauth://totp/x?secret=1\n"
        );
        let got = BitwardenCsv.parse(csv.as_bytes(), None).unwrap();
        assert_eq!(got.entries.len(), 1);
        assert_eq!(got.entries[0].issuer, "A, Inc");
        assert_eq!(got.entries[0].account, "u");
        assert_eq!(got.skipped.len(), 1);
        assert_eq!(got.skipped[0].name, "Bad (v)");
        assert!(
            got.details.is_empty(),
            "no folder, no favourite: no details"
        );
    }

    #[test]
    fn the_folder_becomes_a_tag_and_a_favourite_is_pinned() {
        let csv = format!(
            "{HEADER}Klanten,1,login,Zon,,,,u,p,JBSWY3DPEHPK3PXP\n,,login,Meter,,,,v,p,GEZDGNBVGY3TQOJQ\n"
        );
        let got = BitwardenCsv.parse(csv.as_bytes(), None).unwrap();
        assert_eq!(got.details.len(), 2);
        assert_eq!(got.details[0].tags, ["Klanten"]);
        assert!(got.details[0].pinned);
        assert_eq!(got.details[1], Details::default());
    }
}
