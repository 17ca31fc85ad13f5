//! Vault entries: one account at one service.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::otp::{self, Code, CodeError, OtpParams, OtpType, ParamsError};
use crate::secret::{Base32Error, SecretBytes, parse_base32};

/// What a parser (URI, migration QR, manual form, importer) produces:
/// an account before it has an identity in a vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryData {
    /// The service ("Zonneportaal"); may be empty, as in many links.
    #[serde(default)]
    pub issuer: String,
    /// The user at the service (an e-mail address, a customer number).
    #[serde(default)]
    pub account: String,
    /// The shared secret key, decoded from base32.
    pub secret: SecretBytes,
    /// How codes are made: type, algorithm, digits, period, counter.
    #[serde(flatten)]
    pub otp: OtpParams,
}

/// Why an account typed in by hand was refused.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ManualError {
    /// The secret key is not base32 (or empty).
    #[error("invalid secret key: {0}")]
    Secret(#[source] Base32Error),
    /// Digits, period or algorithm that no code can be made with.
    #[error("invalid account settings: {0}")]
    Params(#[source] ParamsError),
}

impl crate::error::Kind for ManualError {
    fn kind(&self) -> &'static str {
        match self {
            ManualError::Secret(_) => "invalid_secret",
            ManualError::Params(_) => "invalid_params",
        }
    }

    fn inner(&self) -> Option<&dyn crate::error::Kind> {
        match self {
            ManualError::Secret(e) => Some(e),
            ManualError::Params(e) => Some(e),
        }
    }
}

impl EntryData {
    /// An account typed in by hand, from a portal's "can't scan?" page, the
    /// same in every front end: names trimmed, the key as portals show it
    /// (spaces, dashes and lower case are fine), the parameters checked.
    /// The front end builds `otp` from its own controls.
    pub fn manual(
        issuer: &str,
        account: &str,
        secret: &str,
        otp: OtpParams,
    ) -> Result<EntryData, ManualError> {
        let secret = parse_base32(secret).map_err(ManualError::Secret)?;
        otp.validate().map_err(ManualError::Params)?;
        Ok(EntryData {
            issuer: issuer.trim().to_owned(),
            account: account.trim().to_owned(),
            secret,
            otp,
        })
    }

    /// Two entries are the same account when the codes they produce are the
    /// same: secret and OTP parameters match (an HOTP counter is a position
    /// in the sequence, not an identity). Names are labels and may differ.
    pub fn same_account(&self, other: &EntryData) -> bool {
        self.secret == other.secret
            && self.otp.kind == other.otp.kind
            && self.otp.algorithm == other.otp.algorithm
            && self.otp.digits == other.otp.digits
            && (self.otp.kind == OtpType::Hotp || self.otp.period == other.otp.period)
    }

    /// "Issuer (account)" or whichever of the two exists.
    pub fn display_name(&self) -> String {
        match (self.issuer.is_empty(), self.account.is_empty()) {
            (false, false) => format!("{} ({})", self.issuer, self.account),
            (false, true) => self.issuer.clone(),
            (true, false) => self.account.clone(),
            (true, true) => "(unnamed)".to_owned(),
        }
    }

    /// The TOTP (or Steam) code at `unix_time` (seconds).
    pub fn time_code(&self, unix_time: u64) -> Result<Code, CodeError> {
        otp::time_code(&self.secret, &self.otp, unix_time)
    }

    /// The code to copy or type at `unix_time`: the current one, or in a
    /// period's last [`otp::LAST_SECONDS`] the next one, which is still
    /// valid when it has been typed (RFC 6238 servers accept a code one
    /// step ahead). With it, the seconds until that next code begins.
    pub fn code_to_use(&self, unix_time: u64) -> Result<(Code, Option<u64>), CodeError> {
        let current = self.time_code(unix_time)?;
        match current.valid_until {
            Some(end) if end.saturating_sub(unix_time) <= otp::LAST_SECONDS => {
                Ok((self.time_code(end)?, Some(end.saturating_sub(unix_time))))
            }
            _ => Ok((current, None)),
        }
    }
}

/// An entry's identity in a vault: random, kept through edits, merges,
/// backups and exports to Aegis.
pub type EntryId = Uuid;

/// An account stored in the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Its identity; see [`EntryId`].
    pub id: EntryId,
    /// The account itself.
    #[serde(flatten)]
    pub data: EntryData,
    /// Issuer icon name or data URL (the app's concern; kept verbatim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// Tags ("Thuis", "Klant Jansen"): group names, as Aegis has them;
    /// exported to Aegis by name. Cleaned by [`clean_tags`] when edited.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// A free-text note (an installation number, a customer's name), kept
    /// with the account, searched, and carried by backups and exports.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Kept on top of the list and in the tray menu (Aegis's "favorite",
    /// Ente Auth's "pinned").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
    /// Which windows it is typed into, and whether Enter follows.
    #[serde(default, skip_serializing_if = "AutoType::is_empty")]
    pub autotype: AutoType,
    /// When it was added.
    pub created: crate::timestamp::UnixMs,
    /// When it last changed: the newer copy wins a merge.
    pub modified: crate::timestamp::UnixMs,
}

impl Entry {
    /// A new entry with a fresh identity, added at `now_ms`.
    pub fn new(data: EntryData, now_ms: crate::timestamp::UnixMs) -> Self {
        Self {
            id: Uuid::new_v4(),
            data,
            icon: None,
            groups: Vec::new(),
            note: String::new(),
            pinned: false,
            autotype: Default::default(),
            created: now_ms,
            modified: now_ms,
        }
    }

    /// Whether `query` (already lower case) is in its names, tags or note:
    /// what a search finds.
    pub fn matches(&self, query: &str) -> bool {
        let has = |s: &str| s.to_lowercase().contains(query);
        has(&self.data.issuer)
            || has(&self.data.account)
            || has(&self.note)
            || self.groups.iter().any(|g| has(g))
    }

    /// The first 8 hex digits: what the CLI shows and accepts.
    pub fn short_id(&self) -> String {
        self.id.simple().to_string()[..8].to_owned()
    }
}

/// The longest note kept, in characters.
pub const MAX_NOTE: usize = 2_000;
/// The most tags one account keeps.
pub const MAX_TAGS: usize = 20;
/// The longest tag kept, in characters.
pub const MAX_TAG: usize = 40;

/// A note as it is kept: trimmed, at most [`MAX_NOTE`] characters. Line
/// breaks stay (a customer's address); other control characters go.
pub fn clean_note(note: &str) -> String {
    note.chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .take(MAX_NOTE)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Tags as they are kept: each trimmed and single-line, at most
/// [`MAX_TAG`] characters; empty ones and repeats (ignoring case) left
/// out; at most [`MAX_TAGS`], in the order given.
pub fn clean_tags<S: AsRef<str>>(tags: &[S]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = crate::text::one_line(t.as_ref(), MAX_TAG);
        if !t.is_empty() && !out.iter().any(|o| o.to_lowercase() == t.to_lowercase()) {
            out.push(t);
        }
        if out.len() == MAX_TAGS {
            break;
        }
    }
    out
}

/// An account's auto-type settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoType {
    /// Parts of window titles that mean this account ("ista",
    /// "Innovoltus"), matched ignoring case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<String>,
    /// Press Enter after the code (a portal whose form has no other field).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub enter: bool,
}

impl AutoType {
    /// Nothing set: not written to the vault.
    pub fn is_empty(&self) -> bool {
        self.windows.is_empty() && !self.enter
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::innermost;

    #[test]
    fn notes_and_tags_are_cleaned_and_searched() {
        assert_eq!(
            clean_note("  Installatie 4711\r\nKlant: Jansen \u{7} "),
            "Installatie 4711\nKlant: Jansen"
        );
        assert_eq!(clean_note(&"x".repeat(5000)).len(), MAX_NOTE);
        assert_eq!(
            clean_tags(&[" Thuis ", "thuis", "", "Klant\tJansen", &"y".repeat(99)]),
            ["Thuis", "Klant Jansen", &"y".repeat(MAX_TAG)]
        );
        let many: Vec<String> = (0..50).map(|i| format!("t{i}")).collect();
        assert_eq!(clean_tags(&many).len(), MAX_TAGS);
        let mut e = Entry::new(
            EntryData::manual("Ista", "anna", "JBSWY3DPEHPK3PXP", OtpParams::totp()).unwrap(),
            0,
        );
        e.note = "Meter 12-345".into();
        e.groups = vec!["Thuis".into()];
        for q in ["ista", "anna", "12-345", "thuis"] {
            assert!(e.matches(q), "{q}");
        }
        assert!(!e.matches("jansen"));
    }

    #[test]
    fn a_typed_account_is_trimmed_and_checked() {
        let e =
            EntryData::manual(" Solar ", " me ", "jbsw y3dp-ehpk 3pxp", OtpParams::totp()).unwrap();
        assert_eq!((e.issuer.as_str(), e.account.as_str()), ("Solar", "me"));
        assert_eq!(e.secret, parse_base32("JBSWY3DPEHPK3PXP").unwrap());
        let bad = EntryData::manual("S", "", "JBSW1", OtpParams::totp()).unwrap_err();
        assert_eq!(innermost(&bad).kind(), "invalid_secret_char");
        let mut otp = OtpParams::totp();
        otp.period = 0;
        let bad = EntryData::manual("S", "", "JBSWY3DP", otp).unwrap_err();
        assert_eq!(innermost(&bad).kind(), "invalid_period");
    }
}
