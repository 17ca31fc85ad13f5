//! One-time passwords: TOTP (RFC 6238), HOTP (RFC 4226) and Steam Guard.
//!
//! The arithmetic is totp-rs's. We build its `Totp` with
//! `build_noncompliant` because its checked builder refuses keys under 128
//! bits and 9-digit codes, both of which real portals and exports use; our
//! own [`OtpParams::validate`] keeps the values that would make it panic
//! (period 0, 10+ digits) out.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use zeroize::Zeroizing;

use crate::secret::SecretBytes;

/// How codes are made: the vault's `type` field (`"totp"`, `"hotp"`,
/// `"steam"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum OtpType {
    /// Time-based (RFC 6238): a new code every period.
    Totp,
    /// Counter-based (RFC 4226): a new code each time one is asked for.
    Hotp,
    /// Steam Guard: TOTP/SHA1/30 s rendered as 5 characters of Steam's alphabet.
    Steam,
}

impl OtpType {
    /// The lower-case name, as in the vault and in `otpauth://` links.
    pub fn as_str(self) -> &'static str {
        match self {
            OtpType::Totp => "totp",
            OtpType::Hotp => "hotp",
            OtpType::Steam => "steam",
        }
    }

    /// The type named `name`, in any case; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "totp" => Some(OtpType::Totp),
            "hotp" => Some(OtpType::Hotp),
            "steam" => Some(OtpType::Steam),
            _ => None,
        }
    }
}

impl fmt::Display for OtpType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The HMAC hash a code is made with: the vault's `algorithm` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Algorithm {
    /// HMAC-SHA1, what nearly every account uses.
    #[serde(rename = "SHA1")]
    Sha1,
    /// HMAC-SHA256 (RFC 6238); a few services use it.
    #[serde(rename = "SHA256")]
    Sha256,
    /// HMAC-SHA512 (RFC 6238); a few services use it.
    #[serde(rename = "SHA512")]
    Sha512,
}

impl Algorithm {
    /// The upper-case name (`SHA1`, `SHA256`, `SHA512`), as in the vault and
    /// in `otpauth://` links.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    /// Accepts `SHA1`, `sha256`, `SHA-512`, `HmacSHA1`…: exports spell it many ways.
    pub fn parse(name: &str) -> Option<Self> {
        let n = name.trim().to_ascii_uppercase().replace(['-', '_'], "");
        match n.trim_start_matches("HMAC") {
            "SHA1" => Some(Algorithm::Sha1),
            "SHA256" => Some(Algorithm::Sha256),
            "SHA512" => Some(Algorithm::Sha512),
            _ => None,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Seconds per TOTP code when nothing says otherwise (RFC 6238's default).
pub const DEFAULT_PERIOD: u32 = 30;
/// The last seconds of a period, in which a code is likely to expire before
/// it is typed: front ends show the next one beside it, and copy that one.
pub const LAST_SECONDS: u64 = 5;
/// Code length when nothing says otherwise.
pub const DEFAULT_DIGITS: u8 = 6;
/// Steam Guard's code length: always 5 characters.
pub const STEAM_DIGITS: u8 = 5;
/// RFC 4226 allows 6-8; 4 and 9 occur in real exports. 10 would overflow
/// the 31-bit truncated value.
pub const DIGITS_RANGE: std::ops::RangeInclusive<u8> = 4..=9;

/// Everything but the secret that determines a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OtpParams {
    /// TOTP, HOTP or Steam Guard.
    #[serde(rename = "type")]
    pub kind: OtpType,
    /// The HMAC hash; always SHA1 for Steam Guard.
    pub algorithm: Algorithm,
    /// Code length: [`DIGITS_RANGE`] for TOTP and HOTP, [`STEAM_DIGITS`] for
    /// Steam Guard.
    pub digits: u8,
    /// Seconds per code; meaningful for TOTP and Steam.
    pub period: u32,
    /// HOTP: the counter of the next code to produce.
    pub counter: u64,
}

impl Default for OtpParams {
    fn default() -> Self {
        Self::totp()
    }
}

impl OtpParams {
    /// TOTP with the usual settings: SHA1, 6 digits, 30 s.
    pub fn totp() -> Self {
        Self {
            kind: OtpType::Totp,
            algorithm: Algorithm::Sha1,
            digits: DEFAULT_DIGITS,
            period: DEFAULT_PERIOD,
            counter: 0,
        }
    }

    /// HOTP, SHA1, 6 digits, with `counter` the counter of the next code.
    pub fn hotp(counter: u64) -> Self {
        Self {
            kind: OtpType::Hotp,
            counter,
            ..Self::totp()
        }
    }

    /// Steam Guard: SHA1, 5 characters, 30 s.
    pub fn steam() -> Self {
        Self {
            kind: OtpType::Steam,
            digits: STEAM_DIGITS,
            ..Self::totp()
        }
    }

    /// Checks what would give wrong codes or make the code arithmetic panic:
    /// digits outside [`DIGITS_RANGE`], period 0 (TOTP, Steam), and Steam Guard
    /// with anything but SHA1 and 5 characters. Run before every code.
    pub fn validate(&self) -> Result<(), ParamsError> {
        match self.kind {
            OtpType::Steam => {
                if self.algorithm != Algorithm::Sha1 {
                    return Err(ParamsError::SteamAlgorithm(self.algorithm));
                }
                if self.digits != STEAM_DIGITS {
                    return Err(ParamsError::SteamDigits(self.digits));
                }
            }
            OtpType::Totp | OtpType::Hotp => {
                if !DIGITS_RANGE.contains(&self.digits) {
                    return Err(ParamsError::Digits(self.digits));
                }
            }
        }
        if self.kind != OtpType::Hotp && self.period == 0 {
            return Err(ParamsError::PeriodZero);
        }
        Ok(())
    }
}

/// Why an account's parameters cannot make codes.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamsError {
    /// Code length outside [`DIGITS_RANGE`]; holds it.
    #[error(
        "{0} digits is out of range: codes have {min} to {max} digits",
        min = DIGITS_RANGE.start(),
        max = DIGITS_RANGE.end()
    )]
    Digits(u8),
    /// A TOTP or Steam period of 0 seconds.
    #[error("the period must be at least 1 second")]
    PeriodZero,
    /// Steam Guard with another hash than SHA1; holds it.
    #[error("Steam Guard codes always use SHA1, not {0}")]
    SteamAlgorithm(Algorithm),
    /// Steam Guard with another length than [`STEAM_DIGITS`]; holds it.
    #[error("Steam Guard codes always have 5 characters, not {0}")]
    SteamDigits(u8),
}

impl crate::error::Kind for ParamsError {
    fn kind(&self) -> &'static str {
        match self {
            ParamsError::Digits(_) => "invalid_digits",
            ParamsError::PeriodZero => "invalid_period",
            ParamsError::SteamAlgorithm(_) | ParamsError::SteamDigits(_) => "invalid_steam",
        }
    }

    fn params(&self) -> crate::error::Params {
        match self {
            ParamsError::Digits(d) => vec![("value", d.to_string())],
            ParamsError::PeriodZero => vec![("value", "0".to_owned())],
            ParamsError::SteamAlgorithm(a) => vec![("value", a.to_string())],
            ParamsError::SteamDigits(d) => vec![("value", d.to_string())],
        }
    }
}

/// Why a code could not be produced.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CodeError {
    /// The parameters are invalid ([`OtpParams::validate`]).
    #[error("invalid OTP parameters: {0}")]
    Params(#[from] ParamsError),
    /// The secret has no bytes.
    #[error("the secret key is empty")]
    EmptySecret,
    /// The HOTP counter is at `u64::MAX`: no next code can be issued.
    #[error("HOTP counter is exhausted")]
    CounterExhausted,
}

impl crate::error::Kind for CodeError {
    fn kind(&self) -> &'static str {
        match self {
            CodeError::Params(_) => "invalid_params",
            CodeError::EmptySecret => "missing_secret",
            CodeError::CounterExhausted => "counter_exhausted",
        }
    }

    fn inner(&self) -> Option<&dyn crate::error::Kind> {
        match self {
            CodeError::Params(p) => Some(p),
            _ => None,
        }
    }
}

/// A produced code. Not a long-term secret, but still never logged:
/// `Debug` hides the digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Code {
    value: Zeroizing<String>,
    /// TOTP/Steam: first and last+1 Unix second of validity.
    pub valid_from: Option<u64>,
    /// TOTP/Steam: the first Unix second at which the code is no longer valid;
    /// `None` for HOTP.
    pub valid_until: Option<u64>,
    /// HOTP: the counter this code was made from.
    pub counter: Option<u64>,
}

impl Code {
    /// The code's digits (or Steam's characters), to show or type. Do not log
    /// it.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Seconds left at `now` (0 for HOTP).
    pub fn remaining(&self, now: u64) -> u64 {
        self.valid_until.map_or(0, |u| u.saturating_sub(now))
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Code")
            .field("value", &"[redacted]")
            .field("valid_from", &self.valid_from)
            .field("valid_until", &self.valid_until)
            .field("counter", &self.counter)
            .finish()
    }
}

fn engine(secret: &SecretBytes, params: &OtpParams, step: u64) -> totp_rs::Totp {
    let algorithm = match (params.kind, params.algorithm) {
        (OtpType::Steam, _) => totp_rs::Algorithm::Steam,
        (_, Algorithm::Sha1) => totp_rs::Algorithm::SHA1,
        (_, Algorithm::Sha256) => totp_rs::Algorithm::SHA256,
        (_, Algorithm::Sha512) => totp_rs::Algorithm::SHA512,
    };
    totp_rs::Builder::new()
        .with_algorithm(algorithm)
        .with_digits(params.digits)
        .with_step_duration(step)
        .with_secret(secret.expose())
        .build_noncompliant()
}

/// The TOTP/Steam code at Unix time `unix_time`.
pub fn time_code(
    secret: &SecretBytes,
    params: &OtpParams,
    unix_time: u64,
) -> Result<Code, CodeError> {
    params.validate()?;
    if secret.is_empty() {
        return Err(CodeError::EmptySecret);
    }
    let period = u64::from(params.period);
    let token = engine(secret, params, period).generate(unix_time);
    let from = unix_time - unix_time % period;
    Ok(Code {
        value: Zeroizing::new(token.to_string()),
        valid_from: Some(from),
        valid_until: Some(from + period),
        counter: None,
    })
}

/// The HOTP code for `counter`.
pub fn counter_code(
    secret: &SecretBytes,
    params: &OtpParams,
    counter: u64,
) -> Result<Code, CodeError> {
    params.validate()?;
    if secret.is_empty() {
        return Err(CodeError::EmptySecret);
    }
    // totp-rs signs floor(time / step); with a step of one second the "time"
    // is the RFC 4226 counter itself, so HOTP reuses the same audited path.
    let token = engine(secret, params, 1).generate(counter);
    Ok(Code {
        value: Zeroizing::new(token.to_string()),
        valid_from: None,
        valid_until: None,
        counter: Some(counter),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SHA1: &[u8] = b"12345678901234567890";
    const RFC_SHA256: &[u8] = b"12345678901234567890123456789012";
    const RFC_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

    #[test]
    fn rfc4226_appendix_d() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        let secret = SecretBytes::new(RFC_SHA1.to_vec());
        for (counter, want) in expected.iter().enumerate() {
            let code = counter_code(&secret, &OtpParams::hotp(0), counter as u64).unwrap();
            assert_eq!(code.as_str(), *want, "counter {counter}");
            assert_eq!(code.counter, Some(counter as u64));
        }
    }

    #[test]
    fn rfc6238_appendix_b() {
        let table: [(u64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        for (t, sha1, sha256, sha512) in table {
            for (alg, key, want) in [
                (Algorithm::Sha1, RFC_SHA1, sha1),
                (Algorithm::Sha256, RFC_SHA256, sha256),
                (Algorithm::Sha512, RFC_SHA512, sha512),
            ] {
                let params = OtpParams {
                    algorithm: alg,
                    digits: 8,
                    ..OtpParams::totp()
                };
                let code = time_code(&SecretBytes::new(key.to_vec()), &params, t).unwrap();
                assert_eq!(code.as_str(), want, "{alg} at {t}");
            }
        }
    }

    #[test]
    fn validity_window_and_short_periods() {
        let secret = SecretBytes::new(RFC_SHA1.to_vec());
        let code = time_code(&secret, &OtpParams::totp(), 59).unwrap();
        assert_eq!((code.valid_from, code.valid_until), (Some(30), Some(60)));
        assert_eq!(code.remaining(59), 1);
        let one = OtpParams {
            period: 1,
            ..OtpParams::totp()
        };
        let a = time_code(&secret, &one, 100).unwrap();
        let b = time_code(&secret, &one, 101).unwrap();
        assert_ne!(a.as_str(), b.as_str());
    }

    #[test]
    fn steam_guard_has_five_characters_of_its_alphabet() {
        let secret = SecretBytes::new(RFC_SHA1.to_vec());
        let code = time_code(&secret, &OtpParams::steam(), 1_700_000_000).unwrap();
        assert_eq!(code.as_str().len(), 5);
        assert!(
            code.as_str()
                .chars()
                .all(|c| "23456789BCDFGHJKMNPQRTVWXY".contains(c))
        );
    }

    #[test]
    fn eighty_bit_secrets_and_nine_digits_work() {
        let secret = crate::secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(secret.len(), 10);
        let params = OtpParams {
            digits: 9,
            ..OtpParams::totp()
        };
        assert_eq!(time_code(&secret, &params, 0).unwrap().as_str().len(), 9);
    }

    #[test]
    fn invalid_parameters_are_refused_not_panicking() {
        let secret = SecretBytes::new(RFC_SHA1.to_vec());
        let zero = OtpParams {
            period: 0,
            ..OtpParams::totp()
        };
        assert_eq!(
            time_code(&secret, &zero, 1),
            Err(CodeError::Params(ParamsError::PeriodZero))
        );
        let ten = OtpParams {
            digits: 10,
            ..OtpParams::totp()
        };
        assert_eq!(
            time_code(&secret, &ten, 1),
            Err(CodeError::Params(ParamsError::Digits(10)))
        );
        assert_eq!(
            time_code(&SecretBytes::default(), &OtpParams::totp(), 1),
            Err(CodeError::EmptySecret)
        );
    }

    #[test]
    fn code_debug_is_redacted() {
        let secret = SecretBytes::new(RFC_SHA1.to_vec());
        let code = time_code(&secret, &OtpParams::totp(), 59).unwrap();
        assert!(!format!("{code:?}").contains(code.as_str()));
    }
}
