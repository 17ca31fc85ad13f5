//! Google Authenticator's "Transfer accounts" export:
//! `otpauth-migration://offline?data=<base64 protobuf>`.
//!
//! The message types are written by hand (no protoc) after the schema that
//! the community reverse-engineered (see e.g. `extract_otp_secrets` and
//! Aegis's `GoogleAuthInfo`). The payload carries no period, so every TOTP
//! account comes back with 30 s: a 60 s account exported from an app that
//! knew better loses that, which is the format's limit, not ours.
//!
//! [`export`] writes the same format for moving accounts to a phone. What
//! the format cannot say is left out and listed, never changed: a 60 s
//! period, 4/5/7/9 digits and Steam codes would give wrong codes on the
//! phone.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use percent_encoding::percent_decode_str;
use prost::Message;
use thiserror::Error;

use crate::entry::EntryData;
use crate::link::{query_pairs, split_label};
use crate::otp::{Algorithm, OtpParams};
use crate::secret::SecretBytes;
use crate::skip::{SkipKind, Skipped};

/// Google Authenticator's `MigrationPayload` protobuf message: one QR code of
/// an export.
#[derive(Clone, PartialEq, Message)]
pub struct Payload {
    /// The accounts in this QR code (field 1).
    #[prost(message, repeated, tag = "1")]
    pub otp_parameters: Vec<Parameters>,
    /// Export format version (field 2); Authdesk writes 1 and reads any.
    #[prost(int32, tag = "2")]
    pub version: i32,
    /// How many QR codes the whole export has (field 3); 0 in exports that do
    /// not say.
    #[prost(int32, tag = "3")]
    pub batch_size: i32,
    /// This code's place in the export, from 0 (field 4).
    #[prost(int32, tag = "4")]
    pub batch_index: i32,
    /// Random id shared by the codes of one export (field 5), to tell two
    /// exports apart.
    #[prost(int32, tag = "5")]
    pub batch_id: i32,
}

/// One account of a [`Payload`]: the `OtpParameters` message.
#[derive(Clone, PartialEq, Message)]
pub struct Parameters {
    /// The secret key's raw bytes, not base32 (field 1); zeroised on drop.
    #[prost(bytes = "vec", tag = "1")]
    pub secret: Vec<u8>,
    /// The label, `issuer:account` or only the account (field 2).
    #[prost(string, tag = "2")]
    pub name: String,
    /// The issuer (field 3); when empty, the label's issuer part is used.
    #[prost(string, tag = "3")]
    pub issuer: String,
    /// 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5.
    #[prost(int32, tag = "4")]
    pub algorithm: i32,
    /// 0 unspecified, 1 six, 2 eight.
    #[prost(int32, tag = "5")]
    pub digits: i32,
    /// 0 unspecified, 1 HOTP, 2 TOTP.
    #[prost(int32, tag = "6")]
    pub otp_type: i32,
    /// HOTP only: the counter (field 7), read as the counter of the next code.
    #[prost(int64, tag = "7")]
    pub counter: i64,
}

impl Drop for Parameters {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

/// Why an `otpauth-migration://` link or its payload could not be read.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MigrationError {
    /// The link has no `data=` parameter, or it is empty.
    #[error("the otpauth-migration URI has no data (the data= parameter is missing or empty)")]
    MissingData,
    /// The data is not base64 of an export, holds no accounts, or says it is a
    /// part that cannot be.
    #[error("the otpauth-migration data is damaged: {reason}")]
    InvalidPayload {
        /// What is wrong, in English.
        reason: String,
    },
}

impl crate::error::Kind for MigrationError {
    fn kind(&self) -> &'static str {
        match self {
            MigrationError::MissingData => "missing_data",
            MigrationError::InvalidPayload { .. } => "invalid_migration_payload",
        }
    }

    fn params(&self) -> crate::error::Params {
        match self {
            MigrationError::MissingData => vec![],
            MigrationError::InvalidPayload { reason } => vec![("reason", reason.clone())],
        }
    }
}

/// One QR code's worth of a (possibly multi-QR) export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationBatch {
    /// The export's format version, as the payload says.
    pub version: i32,
    /// How many QR codes the whole export has; 0 when it does not say.
    pub batch_size: i32,
    /// This code's place in the export, from 0; below `batch_size` when that is
    /// given.
    pub batch_index: i32,
    /// The id shared by the codes of one export: front ends collect the parts
    /// by it.
    pub batch_id: i32,
    /// The accounts that can be used.
    pub entries: Vec<EntryData>,
    /// The accounts that cannot (MD5, an unknown type, no secret…), with why.
    pub skipped: Vec<Skipped>,
}

fn base64_lenient(alphabet: &base64::alphabet::Alphabet) -> GeneralPurpose {
    GeneralPurpose::new(
        alphabet,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    )
}

/// Reads an `otpauth-migration://offline?data=…` link (the text of one QR
/// code). Standard or URL-safe base64 is accepted, padded or not, with `+` and
/// `/` left unescaped.
pub fn parse_uri(uri: &str) -> Result<MigrationBatch, MigrationError> {
    let query = uri.trim().split_once('?').map_or("", |(_, q)| q);
    let raw = query_pairs(query)
        .find(|(k, _)| k.eq_ignore_ascii_case("data"))
        .map(|(_, v)| v)
        .unwrap_or("");
    // Some exporters leave "+" and "/" unescaped; "+" is base64, not a space.
    let text =
        percent_decode_str(raw)
            .decode_utf8()
            .map_err(|_| MigrationError::InvalidPayload {
                reason: "the data is not valid text after percent-decoding".into(),
            })?;
    let text = text.trim();
    if text.is_empty() {
        return Err(MigrationError::MissingData);
    }
    let bytes = base64_lenient(&base64::alphabet::STANDARD)
        .decode(text)
        .or_else(|_| base64_lenient(&base64::alphabet::URL_SAFE).decode(text))
        .map_err(|e| MigrationError::InvalidPayload {
            reason: format!("not base64 ({e})"),
        })?;
    let bytes = zeroize::Zeroizing::new(bytes);
    parse_payload(&bytes)
}

/// Reads the protobuf payload, the link's `data` once decoded. An account that
/// cannot be used is skipped, not an error; an export without accounts is one.
pub fn parse_payload(bytes: &[u8]) -> Result<MigrationBatch, MigrationError> {
    let payload = Payload::decode(bytes).map_err(|e| MigrationError::InvalidPayload {
        reason: format!("not a Google Authenticator export ({e})"),
    })?;
    if payload.otp_parameters.is_empty() {
        return Err(MigrationError::InvalidPayload {
            reason: "the export contains no accounts".into(),
        });
    }
    // Front ends show "part index + 1 of size": both come from the QR code.
    let (size, index) = (payload.batch_size, payload.batch_index);
    if size < 0 || index < 0 || (size > 0 && index >= size) || (size == 0 && index > 0) {
        return Err(MigrationError::InvalidPayload {
            reason: format!(
                "it says it is part {} of {size}, which cannot be",
                i64::from(index) + 1
            ),
        });
    }
    let mut batch = MigrationBatch {
        version: payload.version,
        batch_size: payload.batch_size,
        batch_index: payload.batch_index,
        batch_id: payload.batch_id,
        entries: Vec::new(),
        skipped: Vec::new(),
    };
    for p in &payload.otp_parameters {
        match convert(p) {
            Ok(e) => batch.entries.push(e),
            Err((kind, reason)) => batch.skipped.push(Skipped::new(
                if p.issuer.is_empty() {
                    p.name.clone()
                } else {
                    format!("{} ({})", p.issuer, p.name)
                },
                kind,
                reason,
            )),
        }
    }
    Ok(batch)
}

fn convert(p: &Parameters) -> Result<EntryData, (SkipKind, String)> {
    use SkipKind::{BadSecret, Damaged, Unsupported};
    if p.secret.is_empty() {
        return Err((BadSecret, "it has no secret key".into()));
    }
    let mut otp = match p.otp_type {
        // Unspecified: old exports; every app treats these as TOTP.
        0 | 2 => OtpParams::totp(),
        1 => {
            let counter = u64::try_from(p.counter).map_err(|_| {
                (
                    Damaged,
                    format!("its HOTP counter {} is negative", p.counter),
                )
            })?;
            OtpParams::hotp(counter)
        }
        n => return Err((Unsupported, format!("unknown OTP type {n}"))),
    };
    otp.algorithm = match p.algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => {
            return Err((
                Unsupported,
                "it uses the MD5 algorithm, which Authdesk does not support".into(),
            ));
        }
        n => return Err((Unsupported, format!("unknown algorithm number {n}"))),
    };
    otp.digits = match p.digits {
        0 | 1 => 6,
        2 => 8,
        n => return Err((Unsupported, format!("unknown digit count number {n}"))),
    };
    let (label_issuer, account) = split_label(&p.name);
    let issuer = if p.issuer.is_empty() {
        label_issuer
    } else {
        p.issuer.clone()
    };
    Ok(EntryData {
        issuer,
        account,
        secret: SecretBytes::new(p.secret.clone()),
        otp,
    })
}

/// Accounts per QR code: about what Google Authenticator puts in one, and
/// small enough (≈ version 20) for a phone camera to read off a laptop.
pub const ACCOUNTS_PER_QR: usize = 8;

/// Why [`export`] left an account out.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NotExportable {
    /// A TOTP period other than 30 s, which the format cannot carry; holds the
    /// period.
    #[error("its codes change every {0} s, and the export can only say 30 s")]
    Period(u32),
    /// A code length other than 6 or 8; holds it.
    #[error("it has {0}-digit codes, and the export can only say 6 or 8")]
    Digits(u8),
    /// A Steam Guard account: the format has no Steam type.
    #[error("Steam Guard codes cannot be exported this way")]
    Steam,
    /// An HOTP counter above `i64::MAX`, more than the protobuf field holds.
    #[error("its HOTP counter is too large")]
    Counter,
}

impl NotExportable {
    /// A stable name for front ends and tests: `period`, `digits`, `steam` or
    /// `counter`.
    pub fn kind(&self) -> &'static str {
        match self {
            NotExportable::Period(_) => "period",
            NotExportable::Digits(_) => "digits",
            NotExportable::Steam => "steam",
            NotExportable::Counter => "counter",
        }
    }
}

/// An account [`export`] left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The account's display name (issuer and account).
    pub name: String,
    /// Why it was left out.
    pub why: NotExportable,
}

/// `otpauth-migration://` URIs, one per QR code, for Google Authenticator
/// and the apps that read its export.
#[derive(Debug)]
pub struct Export {
    /// The links, one per QR code of at most [`ACCOUNTS_PER_QR`] accounts; they
    /// carry the secrets and are zeroised on drop.
    pub uris: Vec<zeroize::Zeroizing<String>>,
    /// Accounts in no link, with why; empty when every account fits the format.
    pub left_out: Vec<LeftOut>,
}

fn parameters(e: &EntryData) -> Result<Parameters, NotExportable> {
    use crate::otp::OtpType;
    let otp_type = match e.otp.kind {
        OtpType::Totp if e.otp.period == 30 => 2,
        OtpType::Totp => return Err(NotExportable::Period(e.otp.period)),
        OtpType::Hotp => 1,
        OtpType::Steam => return Err(NotExportable::Steam),
    };
    let digits = match e.otp.digits {
        6 => 1,
        8 => 2,
        d => {
            return Err(NotExportable::Digits(d));
        }
    };
    let algorithm = match e.otp.algorithm {
        Algorithm::Sha1 => 1,
        Algorithm::Sha256 => 2,
        Algorithm::Sha512 => 3,
    };
    let name = if e.issuer.is_empty() {
        e.account.clone()
    } else {
        format!("{}:{}", e.issuer, e.account)
    };
    Ok(Parameters {
        secret: e.secret.expose().to_vec(),
        name,
        issuer: e.issuer.clone(),
        algorithm,
        digits,
        otp_type,
        counter: i64::try_from(e.otp.counter).map_err(|_| NotExportable::Counter)?,
    })
}

fn display_name(e: &EntryData) -> String {
    match (e.issuer.is_empty(), e.account.is_empty()) {
        (false, false) => format!("{} ({})", e.issuer, e.account),
        (false, true) => e.issuer.clone(),
        _ => e.account.clone(),
    }
}

/// The accounts as Google Authenticator "Transfer accounts" URIs,
/// `ACCOUNTS_PER_QR` to a code, sharing one random batch id.
pub fn export<'a>(entries: impl IntoIterator<Item = &'a EntryData>) -> Export {
    let mut params = Vec::new();
    let mut left_out = Vec::new();
    for e in entries {
        match parameters(e) {
            Ok(p) => params.push(p),
            Err(why) => left_out.push(LeftOut {
                name: display_name(e),
                why,
            }),
        }
    }
    let batch_id = rand::random::<i32>() & i32::MAX;
    let chunks: Vec<&[Parameters]> = params.chunks(ACCOUNTS_PER_QR).collect();
    let batch_size = i32::try_from(chunks.len()).unwrap_or(i32::MAX);
    let uris = chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let payload = Payload {
                otp_parameters: chunk.to_vec(),
                version: 1,
                batch_size,
                batch_index: i32::try_from(i).unwrap_or(i32::MAX),
                batch_id,
            };
            let bytes = zeroize::Zeroizing::new(payload.encode_to_vec());
            let data =
                zeroize::Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(&*bytes));
            let escaped: String =
                percent_encoding::utf8_percent_encode(&data, percent_encoding::NON_ALPHANUMERIC)
                    .collect();
            zeroize::Zeroizing::new(format!("otpauth-migration://offline?data={escaped}"))
        })
        .collect();
    Export { uris, left_out }
}

#[cfg(test)]
mod export_tests {
    use super::*;
    use crate::otp::OtpType;

    fn entry(issuer: &str, account: &str, kind: OtpType, period: u32, digits: u8) -> EntryData {
        let mut otp = match kind {
            OtpType::Hotp => OtpParams::hotp(7),
            _ => OtpParams::totp(),
        };
        otp.kind = kind;
        otp.period = period;
        otp.digits = digits;
        otp.algorithm = Algorithm::Sha256;
        EntryData {
            issuer: issuer.into(),
            account: account.into(),
            secret: SecretBytes::new(format!("{issuer}{account}-secret").into_bytes()),
            otp,
        }
    }

    #[test]
    fn export_round_trips_in_batches_and_lists_what_it_leaves_out() {
        let mut all: Vec<EntryData> = (0..19)
            .map(|i| {
                entry(
                    &format!("Portal {i}"),
                    &format!("user{i}@voorbeeld.nl"),
                    OtpType::Totp,
                    30,
                    6,
                )
            })
            .collect();
        all.push(entry("Teller", "", OtpType::Hotp, 30, 8));
        all.push(entry("Meter", "a", OtpType::Totp, 60, 6));
        all.push(entry("Steam", "b", OtpType::Steam, 30, 5));
        let out = export(&all);
        assert_eq!(out.uris.len(), 3);
        let names: Vec<&str> = out.left_out.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Meter (a)", "Steam (b)"]);
        assert_eq!(out.left_out[0].why, NotExportable::Period(60));
        assert_eq!(out.left_out[1].why, NotExportable::Steam);
        let mut back = Vec::new();
        let mut ids = std::collections::BTreeSet::new();
        for (i, uri) in out.uris.iter().enumerate() {
            let b = parse_uri(uri).unwrap();
            assert_eq!((b.batch_index, b.batch_size), (i as i32, 3));
            assert!(b.skipped.is_empty());
            ids.insert(b.batch_id);
            back.extend(b.entries);
        }
        assert_eq!(ids.len(), 1, "one batch id for the whole export");
        assert_eq!(back.len(), 20);
        for (a, b) in all.iter().zip(&back) {
            assert!(a.same_account(b), "{} changed on the way", a.issuer);
            assert_eq!((&a.issuer, &a.account), (&b.issuer, &b.account));
        }
        assert_eq!(back[19].otp.counter, 7);
    }

    #[test]
    fn impossible_part_numbers_are_refused() {
        let out = export(&[entry("Portal", "a", OtpType::Totp, 30, 6)]);
        let uri = &out.uris[0];
        let b64 = uri.split("data=").nth(1).unwrap();
        let b64 = percent_encoding::percent_decode_str(b64)
            .decode_utf8()
            .unwrap();
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.as_bytes())
            .unwrap();
        for (size, index) in [(1, 1), (2, i32::MAX), (-1, 0), (3, -1), (0, 5)] {
            let mut p = Payload::decode(&bytes[..]).unwrap();
            (p.batch_size, p.batch_index) = (size, index);
            let err = parse_payload(&p.encode_to_vec()).unwrap_err();
            assert!(
                err.to_string().contains("cannot be"),
                "{size} {index}: {err}"
            );
        }
    }
}
