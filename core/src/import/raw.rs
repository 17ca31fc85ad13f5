//! An entry as an export spells it, before it is checked: every importer
//! fills one of these, and one place decides what is usable, so every
//! format skips the same things with the same reasons.

use crate::entry::EntryData;
use crate::otp::{Algorithm, OtpParams, OtpType};
use crate::secret::{SecretBytes, parse_base32};
use crate::skip::Skipped;

/// The secret as the export holds it.
#[derive(Debug, Clone)]
pub enum RawSecret {
    Base32(zeroize::Zeroizing<String>),
    Bytes(zeroize::Zeroizing<Vec<u8>>),
}

/// An account as an export spells it, unchecked; [`RawEntry::into_entry`]
/// decides whether it is usable.
#[derive(Debug, Clone)]
pub struct RawEntry {
    /// "totp", "hotp", "steam", or whatever the export calls it.
    pub kind: String,
    /// The issuer, trimmed; may be empty.
    pub issuer: String,
    /// The account name, trimmed; may be empty.
    pub account: String,
    /// The secret, base32 text or raw bytes; `None` when the export has none.
    pub secret: Option<RawSecret>,
    /// The hash as the export names it (`"SHA1"`, `"HmacSHA256"`…); `None` or
    /// blank: SHA1. Ignored for Steam.
    pub algorithm: Option<String>,
    /// Code length; `None` or 0: 6. Ignored for Steam.
    pub digits: Option<u64>,
    /// Seconds per code; `None` or 0: 30. Ignored for HOTP.
    pub period: Option<u64>,
    /// HOTP: the counter of the next code; `None`: 0.
    pub counter: Option<u64>,
    /// The export's groups, folders or tags for it, by name.
    pub tags: Vec<String>,
    /// The export's note for it.
    pub note: String,
    /// Pinned or a favourite in the export.
    pub pinned: bool,
    /// Its icon, as a vault stores one (`crate::icon`), already checked.
    pub icon: Option<String>,
}

impl RawEntry {
    /// An entry of type `kind` (trimmed, lower-cased; empty means TOTP) with no
    /// secret yet.
    pub fn new(kind: &str, issuer: &str, account: &str) -> Self {
        RawEntry {
            kind: kind.trim().to_ascii_lowercase(),
            issuer: issuer.trim().to_owned(),
            account: account.trim().to_owned(),
            secret: None,
            algorithm: None,
            digits: None,
            period: None,
            counter: None,
            tags: Vec::new(),
            note: String::new(),
            pinned: false,
            icon: None,
        }
    }

    /// Sets the secret as base32 text, checked by [`RawEntry::into_entry`].
    pub fn base32(mut self, s: &str) -> Self {
        self.secret = Some(RawSecret::Base32(zeroize::Zeroizing::new(s.to_owned())));
        self
    }

    /// Sets the secret as raw bytes.
    pub fn bytes(mut self, b: Vec<u8>) -> Self {
        self.secret = Some(RawSecret::Bytes(zeroize::Zeroizing::new(b)));
        self
    }

    pub(crate) fn name(&self) -> String {
        match (self.issuer.is_empty(), self.account.is_empty()) {
            (false, false) => format!("{} ({})", self.issuer, self.account),
            (false, true) => self.issuer.clone(),
            (true, false) => self.account.clone(),
            (true, true) => "(unnamed)".to_owned(),
        }
    }

    /// The usable entry, or why not.
    pub fn into_entry(self) -> Result<EntryData, Skipped> {
        let name = self.name();
        use crate::skip::SkipKind::{BadSecret, Unsupported};
        let skip = |kind, reason: String| Skipped::new(name.clone(), kind, reason);
        let kind = match self.kind.as_str() {
            "totp" | "" => OtpType::Totp,
            "hotp" => OtpType::Hotp,
            "steam" => OtpType::Steam,
            "yandex" => return Err(skip(Unsupported, "Yandex codes are not supported".into())),
            "motp" => return Err(skip(Unsupported, "mOTP codes are not supported".into())),
            other => {
                return Err(skip(
                    Unsupported,
                    format!("codes of type \"{other}\" are not supported"),
                ));
            }
        };
        let secret = match self.secret {
            Some(RawSecret::Base32(ref s)) => parse_base32(s)
                .map_err(|e| skip(BadSecret, format!("its secret key is not valid: {e}")))?,
            Some(RawSecret::Bytes(ref b)) if !b.is_empty() => SecretBytes::new(b.to_vec()),
            _ => return Err(skip(BadSecret, "it has no secret key".into())),
        };
        let mut otp = match kind {
            OtpType::Totp => OtpParams::totp(),
            OtpType::Hotp => OtpParams::hotp(self.counter.unwrap_or(0)),
            OtpType::Steam => OtpParams::steam(),
        };
        if kind != OtpType::Steam {
            if let Some(a) = self.algorithm.as_deref().filter(|a| !a.trim().is_empty()) {
                otp.algorithm = Algorithm::parse(a).ok_or_else(|| {
                    skip(Unsupported, format!("the algorithm {a} is not supported"))
                })?;
            }
            if let Some(d) = self.digits.filter(|&d| d != 0) {
                otp.digits = u8::try_from(d).unwrap_or(u8::MAX);
            }
        }
        if kind != OtpType::Hotp
            && let Some(p) = self.period.filter(|&p| p != 0)
        {
            otp.period =
                u32::try_from(p).map_err(|_| skip(Unsupported, format!("a period of {p} s")))?;
        }
        otp.validate()
            .map_err(|e| skip(Unsupported, e.to_string()))?;
        Ok(EntryData {
            issuer: self.issuer,
            account: self.account,
            secret,
            otp,
        })
    }
}

/// Small accessors for `serde_json::Value`, which exports fill loosely
/// (numbers as strings, nulls for absent fields).
pub mod js {
    use serde_json::Value;

    pub fn str<'a>(v: &'a Value, key: &str) -> &'a str {
        v.get(key).and_then(Value::as_str).unwrap_or("")
    }

    pub fn num(v: &Value, key: &str) -> Option<u64> {
        match v.get(key)? {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// `true` only for a JSON `true`: a missing flag or one of another type
    /// is off.
    pub fn bool(v: &Value, key: &str) -> bool {
        v.get(key).and_then(Value::as_bool).unwrap_or(false)
    }

    pub fn opt_str(v: &Value, key: &str) -> Option<String> {
        v.get(key).and_then(Value::as_str).map(str::to_owned)
    }

    /// A list of named things (`v[list]`: `[{id_key: …, "name": …}]`, the
    /// groups or folders an export lists once) as id → name, for entries
    /// that refer to them by id. Absent or not a list: empty.
    pub fn names_by_id<'a>(
        v: &'a Value,
        list: &str,
        id_key: &str,
    ) -> std::collections::HashMap<&'a str, &'a str> {
        v.get(list)
            .and_then(Value::as_array)
            .map(|l| l.iter().map(|g| (str(g, id_key), str(g, "name"))).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skip::SkipKind;

    fn kind_of(r: RawEntry) -> SkipKind {
        r.into_entry().unwrap_err().kind
    }

    #[test]
    fn each_refusal_says_its_broad_reason() {
        let yandex = RawEntry::new("yandex", "Yandex", "jan").base32("JBSWY3DPEHPK3PXP");
        assert_eq!(kind_of(yandex), SkipKind::Unsupported);
        let mut md5 = RawEntry::new("totp", "Meter", "jan").base32("JBSWY3DPEHPK3PXP");
        md5.algorithm = Some("MD5".into());
        assert_eq!(kind_of(md5), SkipKind::Unsupported);
        let bad = RawEntry::new("totp", "Meter", "jan").base32("not base32!");
        assert_eq!(kind_of(bad), SkipKind::BadSecret);
        assert_eq!(
            kind_of(RawEntry::new("totp", "Meter", "jan")),
            SkipKind::BadSecret
        );
        let skipped = RawEntry::new("motp", "Meter", "jan")
            .into_entry()
            .unwrap_err();
        assert_eq!(skipped.name, "Meter (jan)");
        assert_eq!(skipped.kind.as_str(), "unsupported");
    }
}
