//! A text file of links, one per line: `otpauth://` URIs (what Ente Auth,
//! Aegis and many others export as "plain text"), and Google
//! Authenticator's `otpauth-migration://` links (its "Transfer accounts"
//! QR codes, read with a scanner). Other lines are ignored; a bad link is
//! skipped with its line number.
//!
//! Lost in conversion: nothing the links carry; app-specific parameters
//! (Ente's `codeDisplay`) are ignored.

use secrecy::SecretString;

use super::{Detected, ImportError, Imported, Importer, Skipped};
use crate::uri;

pub struct UriList;

const APP: &str = "otpauth:// links";

fn text(bytes: &[u8]) -> Option<&str> {
    let t = std::str::from_utf8(bytes).ok()?;
    let t = t.trim_start_matches('\u{feff}');
    // JSON and XML exports that failed their own recogniser are not text
    // lists: saying "no links here" would hide what is wrong with them.
    (!t.trim_start().starts_with(['{', '[', '<'])).then_some(t)
}

impl Importer for UriList {
    fn id(&self) -> &'static str {
        "otpauth"
    }
    fn app(&self) -> &'static str {
        APP
    }
    fn can_be_encrypted(&self) -> bool {
        false
    }
    fn detect(&self, bytes: &[u8]) -> Option<Detected> {
        text(bytes).map(|_| Detected { encrypted: false })
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let t = text(bytes).ok_or_else(|| ImportError::corrupt(APP, "it is not plain text"))?;
        let mut out = Imported::default();
        let mut links = 0;
        let mut last_migration_error = None;
        for (n, line) in t.lines().enumerate() {
            let line = line.trim();
            let lower = line.to_ascii_lowercase();
            if !(lower.starts_with("otpauth://") || lower.starts_with("otpauth-migration://")) {
                continue;
            }
            links += 1;
            match uri::parse(line) {
                Ok(uri::Parsed::Single(e)) => out.entries.push(e),
                Ok(uri::Parsed::Migration(batch)) => {
                    out.entries.extend(batch.entries);
                    out.skipped.extend(batch.skipped);
                }
                Err(e) => {
                    if lower.starts_with("otpauth-migration://") {
                        last_migration_error = Some(e.to_string());
                    }
                    out.skipped.push(Skipped::new(
                        format!("line {}", n + 1),
                        e.skip_kind(),
                        e.to_string(),
                    ));
                }
            }
        }
        if links == 0 {
            return Err(ImportError::NoOtpData {
                app: APP,
                detail: "no line starts with otpauth:// or otpauth-migration://".into(),
            });
        }
        if out.entries.is_empty()
            && let Some(e) = last_migration_error
        {
            return Err(ImportError::InvalidMigrationPayload(e));
        }
        Ok(out)
    }
}
