//! Shared-secret bytes and their base32 text form.
//!
//! Portals print keys in many shapes (`JBSW Y3DP EHPK 3PXP`, lower case,
//! `=` padding, 35-bit keys whose last character carries stray bits), so
//! parsing is lenient about layout but exact about the alphabet: a wrong
//! character is reported with its position in what the user typed.

use std::fmt;

use data_encoding::{Encoding, Specification};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;
use zeroize::{Zeroize, Zeroizing};

/// Raw OTP key bytes. Zeroized on drop; `Debug` never prints them.
#[derive(Clone, Default)]
pub struct SecretBytes {
    bytes: Zeroizing<Vec<u8>>,
    /// The key's text as issued, when it is not the canonical encoding of
    /// `bytes` (a 7-character key carries 3 bits that decoding drops).
    /// Kept so that an export gives back exactly what the portal showed.
    text: Option<Zeroizing<String>>,
}

impl SecretBytes {
    /// Wraps raw key bytes, taking ownership so that they are zeroised on drop.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self {
            bytes: Zeroizing::new(bytes),
            text: None,
        }
    }

    /// The raw key bytes, for computing codes. Do not copy them into anything
    /// that is not zeroised.
    pub fn expose(&self) -> &[u8] {
        &self.bytes
    }

    /// Key length in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the key has no bytes; no code can be made from it.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// RFC 4648 base32, upper case, no padding: the form every
    /// authenticator accepts. The caller decides whether to show it.
    pub fn to_base32(&self) -> Zeroizing<String> {
        match &self.text {
            Some(t) => t.clone(),
            None => Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&self.bytes)),
        }
    }
}

/// Equal when the key bytes are: that is what makes the codes.
impl PartialEq for SecretBytes {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for SecretBytes {}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes([redacted; {} bytes])", self.bytes.len())
    }
}

// Inside the encrypted vault payload the secret is stored as base32 text.
impl Serialize for SecretBytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base32())
    }
}

impl<'de> Deserialize<'de> for SecretBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut text = String::deserialize(d)?;
        let parsed = parse_base32(&text).map_err(serde::de::Error::custom);
        text.zeroize();
        parsed
    }
}

/// Why a base32 key was refused.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Base32Error {
    /// The text is empty, or holds only spaces, hyphens and `=` padding.
    #[error("the secret key is empty")]
    Empty,
    /// A character outside A–Z and 2–7 (in any case).
    #[error(
        "invalid base32 character {ch:?} at position {position} (only A-Z and 2-7 are allowed)"
    )]
    InvalidChar {
        /// Where, in characters of the text given, from 1.
        position: usize,
        /// The character as typed.
        ch: char,
    },
    /// A length no base32 text can have (1, 3 or 6 characters past a multiple
    /// of 8): a character left out or one too many.
    #[error(
        "a base32 key cannot be {len} characters long (it has a character too many or too few)"
    )]
    InvalidLength {
        /// The length in characters, spaces, hyphens and padding left out.
        len: usize,
    },
}

impl crate::error::Kind for Base32Error {
    fn kind(&self) -> &'static str {
        match self {
            Base32Error::Empty => "missing_secret",
            Base32Error::InvalidChar { .. } => "invalid_secret_char",
            Base32Error::InvalidLength { .. } => "invalid_secret_length",
        }
    }

    fn params(&self) -> crate::error::Params {
        match self {
            Base32Error::Empty => vec![],
            Base32Error::InvalidChar { position, ch } => {
                vec![("position", position.to_string()), ("char", ch.to_string())]
            }
            Base32Error::InvalidLength { len } => vec![("length", len.to_string())],
        }
    }
}

fn lenient_base32() -> Encoding {
    let mut spec = Specification::new();
    spec.symbols.push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    // Many issuers hand out keys whose length is not a multiple of 40 bits
    // (e.g. 7 characters = 35 bits); the leftover bits carry no key material.
    spec.check_trailing_bits = false;
    spec.encoding()
        .expect("static base32 specification is valid")
}

/// Parses a key as typed or scanned: case-insensitive, spaces, hyphens and
/// trailing `=` padding ignored. Positions in errors are 1-based characters
/// of `input`.
pub fn parse_base32(input: &str) -> Result<SecretBytes, Base32Error> {
    let mut clean = Zeroizing::new(String::with_capacity(input.len()));
    let trimmed = input.trim_end_matches(|c: char| c == '=' || c.is_whitespace());
    for (i, ch) in trimmed.chars().enumerate() {
        match ch {
            ' ' | '\t' | '-' => continue,
            'a'..='z' | 'A'..='Z' | '2'..='7' => clean.push(ch.to_ascii_uppercase()),
            _ => {
                return Err(Base32Error::InvalidChar {
                    position: i + 1,
                    ch,
                });
            }
        }
    }
    if clean.is_empty() {
        return Err(Base32Error::Empty);
    }
    if matches!(clean.len() % 8, 1 | 3 | 6) {
        return Err(Base32Error::InvalidLength { len: clean.len() });
    }
    let bytes = lenient_base32()
        .decode(clean.as_bytes())
        .map_err(|_| Base32Error::InvalidLength { len: clean.len() })?;
    let mut secret = SecretBytes::new(bytes);
    if *secret.to_base32() != *clean {
        secret.text = Some(clean);
    }
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portal_style_key_with_spaces_and_lower_case() {
        let a = parse_base32("JBSW Y3DP EHPK 3PXP").unwrap();
        let b = parse_base32("jbswy3dpehpk3pxp").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.expose(), b"Hello!\xde\xad\xbe\xef");
        assert_eq!(&*a.to_base32(), "JBSWY3DPEHPK3PXP");
    }

    #[test]
    fn padding_and_short_keys() {
        let a = parse_base32("4SJHB4GSD43FZBAI7C2HLRJGPQ======").unwrap();
        assert_eq!(a.len(), 16);
        let odd = parse_base32("abcdefg").unwrap();
        assert_eq!(odd.len(), 4);
        assert_eq!(&*odd.to_base32(), "ABCDEFG");
        assert_eq!(odd, parse_base32("ABCDEFA").unwrap());
        assert_eq!(parse_base32("AA").unwrap().len(), 1);
    }

    #[test]
    fn errors_name_the_position() {
        assert_eq!(
            parse_base32("JBSW Y3D1"),
            Err(Base32Error::InvalidChar {
                position: 9,
                ch: '1'
            })
        );
        assert_eq!(
            parse_base32("ABC"),
            Err(Base32Error::InvalidLength { len: 3 })
        );
        assert_eq!(parse_base32("  =="), Err(Base32Error::Empty));
    }

    #[test]
    fn debug_is_redacted() {
        let s = parse_base32("JBSWY3DPEHPK3PXP").unwrap();
        let shown = format!("{s:?}");
        assert!(!shown.contains("JBSW") && !shown.contains("72"), "{shown}");
    }
}
