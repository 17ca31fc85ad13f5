//! Adding accounts: a pasted otpauth:// link, the QR codes of an image or
//! the screen (waiting here for "Add", the parts of a multi-QR Google
//! Authenticator export adding up across scans), and the "Unable to scan?"
//! form. The secrets stay here: the page sees previews.

use std::time::Instant;

use authdesk_core::entry::EntryData;
use authdesk_core::otp::{OtpParams, OtpType};
use authdesk_core::uri::{self, Parsed};
use authdesk_core::vault::{AddOutcome, Vault};
use serde::{Deserialize, Serialize};

use super::Session;
use crate::error::CmdError;

/// What the last scans found, waiting for "Add".
#[derive(Default)]
pub(super) struct Staged {
    entries: Vec<EntryData>,
    skipped: Vec<Skipped>,
    /// A Google Authenticator export in several QR codes, while its parts
    /// are being scanned one after another.
    parts: Option<Parts>,
    /// The window the screen scan found the code in, as a window match
    /// for auto-type ("Mijn ista – Inloggen").
    window: Option<String>,
}

/// What adding would do, before anything is written.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PreviewEntry {
    pub issuer: String,
    pub account: String,
    #[serde(rename = "type")]
    pub kind: OtpType,
    pub algorithm: &'static str,
    pub digits: u8,
    pub period: u32,
    pub counter: u64,
    pub already_present: bool,
    /// The account already in the vault that makes the same codes, with
    /// the names it has there (the user may have renamed it).
    pub existing: Option<Existing>,
}

/// An account of the vault, as a preview names it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Existing {
    pub id: String,
    pub issuer: String,
    pub account: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Skipped {
    pub name: String,
    /// The broad reason, which the page words in the user's language.
    #[cfg_attr(
        test,
        ts(type = r#""unsupported" | "bad_secret" | "locked" | "damaged""#)
    )]
    pub kind: &'static str,
    /// The detail, in English.
    pub reason: String,
}

impl From<&authdesk_core::skip::Skipped> for Skipped {
    fn from(s: &authdesk_core::skip::Skipped) -> Self {
        Skipped {
            name: s.name.clone(),
            kind: s.kind.as_str(),
            reason: s.reason.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Preview {
    pub entries: Vec<PreviewEntry>,
    pub skipped: Vec<Skipped>,
    /// Google Authenticator exports: (1-based index, size).
    pub batch: Option<(i32, i32)>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PartsView {
    /// 1-based part numbers.
    pub scanned: Vec<i32>,
    pub size: i32,
}

/// What an image held: authenticator accounts (as a preview) and the
/// texts of any other QR codes.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ScanReport {
    pub preview: Preview,
    /// The parts of a multi-QR Google Authenticator export scanned so far.
    pub parts: Option<PartsView>,
    pub other: Vec<String>,
    pub codes: usize,
    /// A screen scan's window, offered as the account's auto-type match.
    pub window: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AddReport {
    pub added: Vec<String>,
    pub already_present: Vec<String>,
    pub skipped: Vec<Skipped>,
}

/// The "Unable to scan?" form.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ManualInput {
    pub issuer: String,
    pub account: String,
    pub secret: String,
    #[serde(rename = "type")]
    pub kind: OtpType,
    pub algorithm: String,
    pub digits: u8,
    pub period: u32,
    pub counter: u64,
}

struct Parts {
    id: i32,
    size: i32,
    seen: std::collections::BTreeSet<i32>,
}

fn skipped_of(list: &[authdesk_core::skip::Skipped]) -> Vec<Skipped> {
    list.iter().map(Skipped::from).collect()
}

fn preview_of(v: Option<&Vault>, e: &EntryData) -> PreviewEntry {
    let existing = v
        .and_then(|v| v.entries().iter().find(|x| x.data.same_account(e)))
        .map(|x| Existing {
            id: x.id.to_string(),
            issuer: x.data.issuer.clone(),
            account: x.data.account.clone(),
        });
    PreviewEntry {
        issuer: e.issuer.clone(),
        account: e.account.clone(),
        kind: e.otp.kind,
        algorithm: e.otp.algorithm.as_str(),
        digits: e.otp.digits,
        period: e.otp.period,
        counter: e.otp.counter,
        already_present: existing.is_some(),
        existing,
    }
}

impl Session {
    pub fn preview_uri(&self, text: &str) -> Result<Preview, CmdError> {
        Ok(self.preview_parsed(&uri::parse(text)?))
    }

    fn preview_parsed(&self, parsed: &Parsed) -> Preview {
        let v = self.vault.as_ref();
        match parsed {
            Parsed::Single(e) => Preview {
                entries: vec![preview_of(v, e)],
                skipped: vec![],
                batch: None,
            },
            Parsed::Migration(b) => Preview {
                entries: b.entries.iter().map(|e| preview_of(v, e)).collect(),
                skipped: skipped_of(&b.skipped),
                batch: (b.batch_size > 1).then_some((b.batch_index + 1, b.batch_size)),
            },
        }
    }

    pub(super) fn add_all(
        &mut self,
        entries: Vec<EntryData>,
        skipped: Vec<Skipped>,
    ) -> Result<AddReport, CmdError> {
        let vault = self.vault_mut()?;
        let mut report = AddReport {
            added: vec![],
            already_present: vec![],
            skipped,
        };
        for e in entries {
            match vault.add(e) {
                AddOutcome::Added(id) => report.added.push(id.to_string()),
                AddOutcome::AlreadyPresent(id) => report.already_present.push(id.to_string()),
            }
        }
        vault.save()?;
        self.last_activity = Instant::now();
        Ok(report)
    }

    pub fn add_uri(&mut self, text: &str) -> Result<AddReport, CmdError> {
        self.vault()?;
        let parsed = uri::parse(text)?;
        let skipped = match &parsed {
            Parsed::Migration(b) => skipped_of(&b.skipped),
            Parsed::Single(_) => vec![],
        };
        self.add_all(parsed.into_entries(), skipped)
    }

    /// The QR texts found in an image or on the screen: authenticator codes
    /// become a preview (and wait in the session for [`add_scanned`]);
    /// other codes are reported by their text so the user sees what was
    /// found. The parts of a multi-QR Google Authenticator export add up
    /// across scans, each account once; any other authenticator code
    /// starts afresh.
    pub fn scan_texts(&mut self, texts: Vec<String>) -> Result<ScanReport, CmdError> {
        self.vault()?;
        let codes = texts.len();
        let mut other = Vec::new();
        let mut parsed = Vec::new();
        for text in texts {
            match uri::parse(&text) {
                Ok(p) => parsed.push(p),
                Err(uri::UriError::NotOtpauth { found }) => other.push(found),
                Err(e) => return Err(e.into()),
            }
        }
        let next_part = |p: &Parsed, parts: &Option<Parts>| match (p, parts) {
            (Parsed::Migration(b), Some(parts)) => b.batch_size > 1 && b.batch_id == parts.id,
            _ => false,
        };
        // A scan that found no account leaves the parts scanned so far.
        if !parsed.is_empty() && !parsed.iter().all(|p| next_part(p, &self.scanned.parts)) {
            self.forget_scan();
        }
        for p in parsed {
            if let Parsed::Migration(b) = &p {
                if b.batch_size > 1 {
                    let parts = self.scanned.parts.get_or_insert_with(|| Parts {
                        id: b.batch_id,
                        size: b.batch_size,
                        seen: Default::default(),
                    });
                    parts.seen.insert(b.batch_index + 1);
                }
                for s in skipped_of(&b.skipped) {
                    if !self.scanned.skipped.contains(&s) {
                        self.scanned.skipped.push(s);
                    }
                }
            }
            for e in p.into_entries() {
                if !self.scanned.entries.iter().any(|q| q.same_account(&e)) {
                    self.scanned.entries.push(e);
                }
            }
        }
        let v = self.vault.as_ref();
        Ok(ScanReport {
            preview: Preview {
                entries: self
                    .scanned
                    .entries
                    .iter()
                    .map(|e| preview_of(v, e))
                    .collect(),
                skipped: self.scanned.skipped.clone(),
                batch: None,
            },
            parts: self.scanned.parts.as_ref().map(|p| PartsView {
                scanned: p.seen.iter().copied().collect(),
                size: p.size,
            }),
            other,
            codes,
            window: None,
        })
    }

    /// Adds what the last scan found.
    pub fn add_scanned(&mut self) -> Result<AddReport, CmdError> {
        let entries = std::mem::take(&mut self.scanned.entries);
        let window = self.scanned.window.take();
        self.forget_scan();
        if entries.is_empty() {
            return Err(CmdError::new("nothing_scanned", "scan an image first"));
        }
        let report = self.add_all(entries, vec![])?;
        // The portal's window, for the one account its QR code set up.
        if let (Some(window), [id]) = (window, report.added.as_slice()) {
            self.remember_window(id, &window)?;
        }
        Ok(report)
    }

    /// A screen scan's texts, found while `window` was in front.
    pub fn scan_texts_in(
        &mut self,
        texts: Vec<String>,
        window: Option<String>,
    ) -> Result<ScanReport, CmdError> {
        let mut report = self.scan_texts(texts)?;
        if report.preview.entries.len() == 1 {
            self.scanned.window = window.clone();
            report.window = window;
        }
        Ok(report)
    }

    fn manual_entry(input: &ManualInput) -> Result<EntryData, CmdError> {
        let mut otp = match input.kind {
            OtpType::Totp => OtpParams::totp(),
            OtpType::Hotp => OtpParams::hotp(input.counter),
            OtpType::Steam => OtpParams::steam(),
        };
        if input.kind != OtpType::Steam {
            otp.algorithm = authdesk_core::Algorithm::parse(&input.algorithm).ok_or_else(|| {
                CmdError::new(
                    "invalid_algorithm",
                    format!("unsupported algorithm {}", input.algorithm),
                )
                .with("value", &input.algorithm)
            })?;
            otp.digits = input.digits;
            otp.period = input.period;
        }
        Ok(EntryData::manual(
            &input.issuer,
            &input.account,
            &input.secret,
            otp,
        )?)
    }

    pub fn preview_manual(&self, input: &ManualInput) -> Result<PreviewEntry, CmdError> {
        let e = Self::manual_entry(input)?;
        Ok(preview_of(self.vault.as_ref(), &e))
    }

    pub fn add_manual(&mut self, input: &ManualInput) -> Result<AddReport, CmdError> {
        let e = Self::manual_entry(input)?;
        self.add_all(vec![e], vec![])
    }

    fn forget_scan(&mut self) {
        self.scanned = Staged::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::tests::{SOLAR, unlocked};

    #[test]
    fn a_scan_waits_for_add_and_adds_each_account_once() {
        let (_dir, mut s) = unlocked();
        let report = s
            .scan_texts(vec![
                SOLAR.into(),
                SOLAR.into(),
                "https://example.org/".into(),
            ])
            .unwrap();
        assert_eq!(report.codes, 3);
        assert_eq!(report.preview.entries.len(), 1);
        assert_eq!(report.other, ["https://example.org/"]);
        assert!(s.entries().unwrap().is_empty(), "added before the click");
        assert_eq!(s.add_scanned().unwrap().added.len(), 1);
        assert_eq!(s.add_scanned().unwrap_err().kind, "nothing_scanned");
        let again = s.scan_texts(vec![SOLAR.into()]).unwrap();
        assert!(again.preview.entries[0].already_present);
    }

    fn form(algorithm: &str) -> ManualInput {
        ManualInput {
            issuer: "  Warmtepomp Portaal ".into(),
            account: " monteur ".into(),
            secret: "jbsw y3dp ehpk 3pxp".into(),
            kind: OtpType::Totp,
            algorithm: algorithm.into(),
            digits: 6,
            period: 30,
            counter: 0,
        }
    }

    #[test]
    fn the_manual_form_trims_names_and_checks_the_algorithm() {
        let (_dir, mut s) = unlocked();
        let preview = s.preview_manual(&form("SHA256")).unwrap();
        assert_eq!(
            (preview.issuer.as_str(), preview.account.as_str()),
            ("Warmtepomp Portaal", "monteur")
        );
        assert_eq!(preview.algorithm, "SHA256");
        let e = s.add_manual(&form("MD5")).unwrap_err();
        assert_eq!(
            (e.kind, e.params["value"].as_str()),
            ("invalid_algorithm", "MD5")
        );
        assert!(s.entries().unwrap().is_empty());
    }
}
