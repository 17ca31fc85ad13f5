//! Bitwarden's JSON vault export (and Bitwarden Authenticator's, which
//! has the same shape): items whose `login.totp` is an `otpauth://` link,
//! a `steam://SECRET` link, or a bare base32 secret. Specification:
//! Bitwarden's export format (help article "Export vault data", and the
//! `ExportedVault` types in its clients).
//!
//! An "account restricted" encrypted export is sealed with the Bitwarden
//! account's own key and cannot be opened outside Bitwarden: it is refused
//! with that reason.
//!
//! Lost in conversion: everything but the TOTP fields (passwords, URIs,
//! notes, folders); cards, identities and notes are not accounts.

use secrecy::SecretString;
use serde_json::Value;

use super::raw::js;
use super::{Detected, ImportError, Imported, Importer, RawEntry, Skipped, json};
use crate::uri;

pub struct Bitwarden;

const APP: &str = "Bitwarden";

impl Importer for Bitwarden {
    fn id(&self) -> &'static str {
        "bitwarden"
    }
    fn app(&self) -> &'static str {
        APP
    }
    fn can_be_encrypted(&self) -> bool {
        true
    }
    fn detect(&self, bytes: &[u8]) -> Option<Detected> {
        let v = json(bytes)?;
        let encrypted = v.get("encrypted")?.as_bool()?;
        (v.get("items").is_some_and(Value::is_array) || encrypted).then_some(Detected { encrypted })
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let v = json(bytes).ok_or_else(|| ImportError::corrupt(APP, "it is not JSON"))?;
        if v["encrypted"] == Value::Bool(true) {
            let detail = if v["passwordProtected"] == Value::Bool(true) {
                "password-protected exports are not supported yet; export again as plain JSON and delete the file after importing"
            } else {
                "it is sealed with the Bitwarden account's own key (\"account restricted\"); export again choosing \"Password protected\" or plain JSON"
            };
            return Err(ImportError::UnsupportedEncryption {
                app: APP,
                detail: detail.into(),
            });
        }
        let items = v
            .get("items")
            .and_then(Value::as_array)
            .ok_or_else(|| ImportError::corrupt(APP, "it has no \"items\" list"))?;
        let mut out = Imported::default();
        for item in items {
            let login = item.get("login").cloned().unwrap_or(Value::Null);
            let totp = js::str(&login, "totp").trim();
            if totp.is_empty() {
                continue;
            }
            let name = js::str(item, "name");
            let user = js::str(&login, "username");
            match totp_entry(totp, name, user) {
                Ok(e) => out.entries.push(e),
                Err(reason) => out.skipped.push(Skipped {
                    name: if user.is_empty() {
                        name.to_owned()
                    } else {
                        format!("{name} ({user})")
                    },
                    reason,
                }),
            }
        }
        Ok(out)
    }
}

/// A `totp` field as Bitwarden stores it (shared with the CSV export).
pub(crate) fn totp_entry(totp: &str, name: &str, user: &str) -> Result<crate::EntryData, String> {
    let lower = totp.to_ascii_lowercase();
    if lower.starts_with("otpauth://") {
        return uri::parse_otpauth(totp).map_err(|e| e.to_string());
    }
    let (kind, secret) = match lower.strip_prefix("steam://") {
        Some(_) => ("steam", &totp["steam://".len()..]),
        None => ("totp", totp),
    };
    RawEntry::new(kind, name, user)
        .base32(secret)
        .into_entry()
        .map_err(|s| s.reason)
}
