//! Google Authenticator's "Transfer accounts" export:
//! `otpauth-migration://offline?data=<base64 protobuf>`.
//!
//! The message types are written by hand (no protoc) after the schema that
//! the community reverse-engineered (see e.g. `extract_otp_secrets` and
//! Aegis's `GoogleAuthInfo`). The payload carries no period, so every TOTP
//! account comes back with 30 s: a 60 s account exported from an app that
//! knew better loses that, which is the format's limit, not ours.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use percent_encoding::percent_decode_str;
use prost::Message;
use thiserror::Error;

use crate::entry::EntryData;
use crate::otp::{Algorithm, OtpParams};
use crate::secret::SecretBytes;
use crate::uri::{query_pairs, split_label};

#[derive(Clone, PartialEq, Message)]
pub struct Payload {
    #[prost(message, repeated, tag = "1")]
    pub otp_parameters: Vec<Parameters>,
    #[prost(int32, tag = "2")]
    pub version: i32,
    #[prost(int32, tag = "3")]
    pub batch_size: i32,
    #[prost(int32, tag = "4")]
    pub batch_index: i32,
    #[prost(int32, tag = "5")]
    pub batch_id: i32,
}

#[derive(Clone, PartialEq, Message)]
pub struct Parameters {
    #[prost(bytes = "vec", tag = "1")]
    pub secret: Vec<u8>,
    #[prost(string, tag = "2")]
    pub name: String,
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
    #[prost(int64, tag = "7")]
    pub counter: i64,
}

impl Drop for Parameters {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum MigrationError {
    #[error("the otpauth-migration URI has no data (the data= parameter is missing or empty)")]
    MissingData,
    #[error("the otpauth-migration data is damaged: {reason}")]
    InvalidPayload { reason: String },
}

impl MigrationError {
    pub fn kind(&self) -> &'static str {
        match self {
            MigrationError::MissingData => "missing_data",
            MigrationError::InvalidPayload { .. } => "invalid_migration_payload",
        }
    }
}

/// An account in the export that Authdesk cannot use, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub name: String,
    pub reason: String,
}

/// One QR code's worth of a (possibly multi-QR) export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationBatch {
    pub version: i32,
    pub batch_size: i32,
    pub batch_index: i32,
    pub batch_id: i32,
    pub entries: Vec<EntryData>,
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

pub fn parse_payload(bytes: &[u8]) -> Result<MigrationBatch, MigrationError> {
    let payload = Payload::decode(bytes).map_err(|e| MigrationError::InvalidPayload {
        reason: format!("not a Google Authenticator export ({e})"),
    })?;
    if payload.otp_parameters.is_empty() {
        return Err(MigrationError::InvalidPayload {
            reason: "the export contains no accounts".into(),
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
            Err(reason) => batch.skipped.push(Skipped {
                name: if p.issuer.is_empty() {
                    p.name.clone()
                } else {
                    format!("{} ({})", p.issuer, p.name)
                },
                reason,
            }),
        }
    }
    Ok(batch)
}

fn convert(p: &Parameters) -> Result<EntryData, String> {
    if p.secret.is_empty() {
        return Err("it has no secret key".into());
    }
    let mut otp = match p.otp_type {
        // Unspecified: old exports; every app treats these as TOTP.
        0 | 2 => OtpParams::totp(),
        1 => {
            let counter = u64::try_from(p.counter)
                .map_err(|_| format!("its HOTP counter {} is negative", p.counter))?;
            OtpParams::hotp(counter)
        }
        n => return Err(format!("unknown OTP type {n}")),
    };
    otp.algorithm = match p.algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => return Err("it uses the MD5 algorithm, which Authdesk does not support".into()),
        n => return Err(format!("unknown algorithm number {n}")),
    };
    otp.digits = match p.digits {
        0 | 1 => 6,
        2 => 8,
        n => return Err(format!("unknown digit count number {n}")),
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
