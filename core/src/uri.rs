//! `otpauth://` URIs, as in Google Authenticator's Key URI Format
//! (<https://github.com/google/google-authenticator/wiki/Key-Uri-Format>),
//! plus the `steam` type that Aegis and 2FAS emit.
//!
//! Parsing follows what apps in the wild produce rather than the letter of
//! the spec: parameters in any case and order, unknown ones ignored, secrets
//! in any case with spaces or padding, short secrets, a missing HOTP counter
//! read as 0. Where the label's issuer prefix and the `issuer` parameter
//! disagree the parameter wins, as in Google Authenticator and Aegis.
//! In the path `+` is a literal plus (RFC 3986), never a space; in the
//! `issuer` parameter it is a space, as form encoding has it.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use thiserror::Error;
use zeroize::Zeroizing;

use crate::entry::EntryData;
use crate::link::query_pairs;
pub use crate::link::split_label;
use crate::migration::{self, MigrationBatch, MigrationError};
use crate::otp::{Algorithm, DIGITS_RANGE, OtpParams, OtpType, STEAM_DIGITS};
use crate::secret::{Base32Error, parse_base32};

/// Why an `otpauth://` URI (or a migration URI) was refused. Each variant
/// names the field at fault.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UriError {
    /// The text does not start with `otpauth://` (in any case).
    #[error(
        "this is not an authenticator code: it does not start with otpauth:// (found \"{found}\")"
    )]
    NotOtpauth {
        /// The start of the text, at most 60 characters, for the message.
        found: String,
    },
    /// The type after `otpauth://` is not `totp`, `hotp` or `steam`.
    #[error("unsupported OTP type \"{name}\" (Authdesk supports totp, hotp and steam)")]
    UnsupportedType {
        /// The type as written.
        name: String,
    },
    /// The `secret` parameter is missing or empty.
    #[error("the URI has no secret (the secret= parameter is missing or empty)")]
    MissingSecret,
    /// The secret is not valid base32.
    #[error("invalid secret: {0}")]
    InvalidSecret(Base32Error),
    /// The label (the path after the type) is not UTF-8 once percent-decoded.
    #[error("invalid label: {reason}")]
    InvalidLabel {
        /// What is wrong, in English.
        reason: String,
    },
    /// A parameter is not UTF-8 once percent-decoded.
    #[error("invalid {field} parameter: {reason}")]
    InvalidParameter {
        /// The parameter's name, such as `"issuer"`.
        field: &'static str,
        /// What is wrong, in English.
        reason: String,
    },
    /// The `algorithm` parameter names no hash Authdesk supports.
    #[error("unsupported algorithm \"{value}\" (use SHA1, SHA256 or SHA512)")]
    InvalidAlgorithm {
        /// The parameter's value, percent-decoded.
        value: String,
    },
    /// The `digits` parameter is not a number in [`DIGITS_RANGE`].
    #[error(
        "invalid digits \"{value}\": codes have {min} to {max} digits",
        min = DIGITS_RANGE.start(),
        max = DIGITS_RANGE.end()
    )]
    InvalidDigits {
        /// The parameter's value, percent-decoded.
        value: String,
    },
    /// The `period` parameter is not a whole number of seconds from 1.
    #[error("invalid period \"{value}\": the period is a whole number of seconds, at least 1")]
    InvalidPeriod {
        /// The parameter's value, percent-decoded.
        value: String,
    },
    /// The `counter` parameter (HOTP) is not a whole number from 0.
    #[error("invalid counter \"{value}\": the HOTP counter is a whole number from 0")]
    InvalidCounter {
        /// The parameter's value, percent-decoded.
        value: String,
    },
    /// An `otpauth-migration://` link whose data could not be read.
    #[error(transparent)]
    Migration(#[from] MigrationError),
}

impl crate::error::Kind for UriError {
    /// The kinds `../shared/testdata/uris/cases.json` expects.
    fn kind(&self) -> &'static str {
        match self {
            UriError::NotOtpauth { .. } => "not_otpauth",
            UriError::UnsupportedType { .. } => "unsupported_type",
            UriError::MissingSecret => "missing_secret",
            UriError::InvalidSecret(_) => "invalid_secret",
            UriError::InvalidLabel { .. } | UriError::InvalidParameter { .. } => "invalid_label",
            UriError::InvalidAlgorithm { .. } => "invalid_algorithm",
            UriError::InvalidDigits { .. } => "invalid_digits",
            UriError::InvalidPeriod { .. } => "invalid_period",
            UriError::InvalidCounter { .. } => "invalid_counter",
            UriError::Migration(e) => e.kind(),
        }
    }

    fn params(&self) -> crate::error::Params {
        match self {
            UriError::NotOtpauth { found } => vec![("found", found.clone())],
            UriError::UnsupportedType { name } => vec![("value", name.clone())],
            UriError::InvalidAlgorithm { value }
            | UriError::InvalidDigits { value }
            | UriError::InvalidPeriod { value }
            | UriError::InvalidCounter { value } => vec![("value", value.clone())],
            UriError::InvalidParameter { field, reason } => {
                vec![("field", (*field).to_owned()), ("reason", reason.clone())]
            }
            UriError::InvalidLabel { reason } => {
                vec![("field", "label".to_owned()), ("reason", reason.clone())]
            }
            UriError::Migration(e) => e.params(),
            UriError::MissingSecret | UriError::InvalidSecret(_) => vec![],
        }
    }

    fn inner(&self) -> Option<&dyn crate::error::Kind> {
        match self {
            UriError::InvalidSecret(e) => Some(e),
            _ => None,
        }
    }
}

impl UriError {
    /// The broad reason, when an export's link for one account is refused.
    pub fn skip_kind(&self) -> crate::skip::SkipKind {
        use crate::skip::SkipKind;
        match self {
            UriError::UnsupportedType { .. }
            | UriError::InvalidAlgorithm { .. }
            | UriError::InvalidDigits { .. }
            | UriError::InvalidPeriod { .. } => SkipKind::Unsupported,
            UriError::MissingSecret | UriError::InvalidSecret(_) => SkipKind::BadSecret,
            _ => SkipKind::Damaged,
        }
    }
}

/// What a scanned or pasted text turned out to hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// An `otpauth://` link: one account.
    Single(EntryData),
    /// A Google Authenticator `otpauth-migration://` link: one QR code of an
    /// export, possibly one of several.
    Migration(MigrationBatch),
}

impl Parsed {
    /// The accounts it holds; those a migration batch skipped are dropped.
    pub fn into_entries(self) -> Vec<EntryData> {
        match self {
            Parsed::Single(e) => vec![e],
            Parsed::Migration(b) => b.entries,
        }
    }
}

const OTPAUTH: &str = "otpauth://";
const MIGRATION: &str = "otpauth-migration://";

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len() && s.is_char_boundary(prefix.len()) {
        let (head, tail) = s.split_at(prefix.len());
        head.eq_ignore_ascii_case(prefix).then_some(tail)
    } else {
        None
    }
}

/// Parses either kind of authenticator URI.
pub fn parse(input: &str) -> Result<Parsed, UriError> {
    let text = input.trim();
    if strip_prefix_ci(text, MIGRATION).is_some() {
        return Ok(Parsed::Migration(migration::parse_uri(text)?));
    }
    parse_otpauth(text).map(Parsed::Single)
}

fn preview(text: &str) -> String {
    const MAX: usize = 60;
    let mut p: String = text.chars().take(MAX).collect();
    if text.chars().count() > MAX {
        p.push('…');
    }
    p
}

fn decode(field: &'static str, raw: &str) -> Result<String, UriError> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| UriError::InvalidParameter {
            field,
            reason: "not valid UTF-8 after percent-decoding".into(),
        })
}

/// Parses an `otpauth://` link into one account; leniently, as the module docs
/// describe. `otpauth-migration://` links are refused ([`parse`] takes both).
pub fn parse_otpauth(input: &str) -> Result<EntryData, UriError> {
    let text = input.trim();
    let rest = strip_prefix_ci(text, OTPAUTH).ok_or_else(|| UriError::NotOtpauth {
        found: preview(text),
    })?;
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (type_name, raw_label) = before_query.split_once('/').unwrap_or((before_query, ""));
    let kind = OtpType::parse(type_name).ok_or_else(|| UriError::UnsupportedType {
        name: type_name.to_owned(),
    })?;

    let label =
        percent_decode_str(raw_label)
            .decode_utf8()
            .map_err(|_| UriError::InvalidLabel {
                reason: "not valid UTF-8 after percent-decoding".into(),
            })?;
    let (label_issuer, account) = split_label(&label);

    let mut secret = None;
    let mut issuer = None;
    let (mut algorithm, mut digits, mut period, mut counter) = (None, None, None, None);
    for (key, value) in query_pairs(query) {
        // First occurrence wins; later duplicates are ignored.
        let slot = match key.to_ascii_lowercase().as_str() {
            "secret" => &mut secret,
            "issuer" => &mut issuer,
            "algorithm" => &mut algorithm,
            "digits" => &mut digits,
            "period" => &mut period,
            "counter" => &mut counter,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }

    let secret_text = Zeroizing::new(decode("secret", secret.unwrap_or(""))?);
    if secret_text.trim().trim_end_matches('=').is_empty() {
        return Err(UriError::MissingSecret);
    }
    let secret = parse_base32(&secret_text).map_err(UriError::InvalidSecret)?;

    let issuer = match issuer {
        // In the query, unlike the path, "+" is a space (form encoding):
        // Ente, Aegis and others write `issuer=Air+Canada`.
        Some(raw) => decode("issuer", &raw.replace('+', " "))?,
        None => label_issuer,
    };

    let mut otp = match kind {
        OtpType::Totp => OtpParams::totp(),
        OtpType::Hotp => OtpParams::hotp(0),
        OtpType::Steam => OtpParams::steam(),
    };
    if let Some(raw) = algorithm {
        let value = decode("algorithm", raw)?;
        otp.algorithm = Algorithm::parse(&value).ok_or(UriError::InvalidAlgorithm {
            value: value.clone(),
        })?;
    }
    if let Some(raw) = digits {
        let value = decode("digits", raw)?;
        otp.digits = value
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|d| DIGITS_RANGE.contains(d))
            .ok_or(UriError::InvalidDigits { value })?;
    }
    if kind == OtpType::Steam {
        // Steam Guard is fixed; exporters write whatever they like here.
        otp.digits = STEAM_DIGITS;
        otp.algorithm = Algorithm::Sha1;
    }
    if kind != OtpType::Hotp
        && let Some(raw) = period
    {
        let value = decode("period", raw)?;
        otp.period = value
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or(UriError::InvalidPeriod { value })?;
    }
    if kind == OtpType::Hotp
        && let Some(raw) = counter
    {
        let value = decode("counter", raw)?;
        otp.counter = value
            .trim()
            .parse::<u64>()
            .map_err(|_| UriError::InvalidCounter { value })?;
    }

    Ok(EntryData {
        issuer,
        account,
        secret,
        otp,
    })
}

/// Everything but RFC 3986's unreserved characters is escaped, so labels
/// with colons, spaces, `@` or `+` survive every reader.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The URI for `entry`, secret included. Hold it only as long as needed.
pub fn to_otpauth(entry: &EntryData) -> Zeroizing<String> {
    let enc = |s: &str| utf8_percent_encode(s, COMPONENT).to_string();
    let label = if entry.issuer.is_empty() {
        enc(&entry.account)
    } else {
        format!("{}:{}", enc(&entry.issuer), enc(&entry.account))
    };
    let mut uri = Zeroizing::new(format!(
        "otpauth://{}/{}?secret={}",
        entry.otp.kind,
        label,
        &*entry.secret.to_base32()
    ));
    if !entry.issuer.is_empty() {
        uri.push_str("&issuer=");
        uri.push_str(&enc(&entry.issuer));
    }
    uri.push_str(&format!(
        "&algorithm={}&digits={}",
        entry.otp.algorithm, entry.otp.digits
    ));
    match entry.otp.kind {
        OtpType::Hotp => uri.push_str(&format!("&counter={}", entry.otp.counter)),
        OtpType::Totp | OtpType::Steam => uri.push_str(&format!("&period={}", entry.otp.period)),
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    fn ok(uri: &str) -> EntryData {
        parse_otpauth(uri).unwrap_or_else(|e| panic!("{uri}: {e}"))
    }

    fn err(uri: &str) -> UriError {
        parse_otpauth(uri).expect_err(uri)
    }

    #[test]
    fn label_and_issuer_rules() {
        let e =
            ok("otpauth://totp/Big%20Corporation%3A%20alice%40bigco.com?secret=JBSWY3DPEHPK3PXP");
        assert_eq!(
            (e.issuer.as_str(), e.account.as_str()),
            ("Big Corporation", "alice@bigco.com")
        );
        let e = ok("otpauth://totp/Label:bob?issuer=Param&secret=JBSWY3DPEHPK3PXP");
        assert_eq!(e.issuer, "Param");
        let e = ok("otpauth://totp/Air+Canada:alice?secret=JBSWY3DPEHPK3PXP");
        assert_eq!(e.issuer, "Air+Canada");
    }

    #[test]
    fn parameters_any_case_and_order() {
        let e = ok(
            "OTPAUTH://HOTP/WWE:Mason?algorithm=sha512&DIGITS=8&issuer=WWE&secret=5VAML3X35THCEBVRLV24CGBKOY&Counter=10300",
        );
        assert_eq!(e.otp.kind, OtpType::Hotp);
        assert_eq!(e.otp.algorithm, Algorithm::Sha512);
        assert_eq!((e.otp.digits, e.otp.counter), (8, 10300));
    }

    #[test]
    fn errors_name_the_field() {
        assert_eq!(err("https://example.com").kind(), "not_otpauth");
        assert_eq!(
            err("otpauth://yaotp/x?secret=AA").kind(),
            "unsupported_type"
        );
        assert_eq!(err("otpauth://totp/x?issuer=y").kind(), "missing_secret");
        assert_eq!(
            err("otpauth://totp/x?secret=JBSWY3DPEHPK3PX1"),
            UriError::InvalidSecret(Base32Error::InvalidChar {
                position: 16,
                ch: '1'
            })
        );
        assert_eq!(
            err("otpauth://totp/x?secret=AA&digits=12").kind(),
            "invalid_digits"
        );
        assert_eq!(
            err("otpauth://totp/x?secret=AA&period=0").kind(),
            "invalid_period"
        );
        assert_eq!(
            err("otpauth://hotp/x?secret=AA&counter=-1").kind(),
            "invalid_counter"
        );
        assert_eq!(
            err("otpauth://totp/x?secret=AA&algorithm=MD5").kind(),
            "invalid_algorithm"
        );
        assert!(
            err("otpauth://totp/x?secret=AA&period=0")
                .to_string()
                .contains("period")
        );
    }

    #[test]
    fn emit_then_parse_round_trips() {
        for uri in [
            "otpauth://totp/ACME%20Co:john%3Adoe%40x.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&period=60&digits=8&algorithm=SHA256",
            "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=7",
            "otpauth://steam/Steam:me?secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/%F0%9F%98%80:a%2Bb%20c?secret=AA",
        ] {
            let e = ok(uri);
            let again = ok(&to_otpauth(&e));
            assert_eq!(e, again, "{uri}");
        }
    }
}
