//! FreeOTP (Red Hat): the token store of FreeOTP 1 and FreeOTP+.
//! Specification: FreeOTP's `Token` and `TokenPersistence` classes, as
//! Aegis's importer reads them.
//!
//! The token store, `shared_prefs/tokens.xml` from a rooted phone, is a
//! `<map>` holding each token as a JSON string named "issuer:label", the
//! same JSON as FreeOTP+'s export (the secret a list of signed bytes), and
//! a `tokenOrder` list. FreeOTP 1 and FreeOTP+ write it identically.
//!
//! Lost in conversion: images, and FreeOTP's practice of storing an HOTP
//! counter one below the next code's: counters are taken as stored, as
//! other importers do.

use secrecy::SecretString;
use serde_json::Value;

use super::freeotp_plus::entry;
use super::prefs::{self, Prefs};
use super::{Detected, ImportError, Imported, Importer, Skipped};

/// FreeOTP 1's and FreeOTP+'s `tokens.xml`.
pub struct FreeOtpTokens;

const TOKENS_APP: &str = "FreeOTP / FreeOTP+ tokens.xml";

const ORDER: &str = "tokenOrder";

impl Importer for FreeOtpTokens {
    fn id(&self) -> &'static str {
        "freeotp-tokens"
    }
    fn app(&self) -> &'static str {
        TOKENS_APP
    }
    fn can_be_encrypted(&self) -> bool {
        false
    }
    fn detect(&self, bytes: &[u8]) -> Option<Detected> {
        // The XML escapes the quotes, or may not.
        let marker = if bytes.windows(6).any(|w| w == b"&quot;") {
            "secret&quot;:["
        } else {
            "\"secret\":["
        };
        prefs::recognise(bytes, marker, |p| {
            p.string(ORDER).is_some() || p.strings().any(|(_, v)| is_token(&json_of(v)))
        })
        .then_some(Detected { encrypted: false })
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let prefs = prefs::parse(bytes, TOKENS_APP)?;
        let mut out = Imported::default();
        for (name, value) in ordered(&prefs) {
            let v = json_of(value);
            if !is_token(&v) {
                out.skipped.push(Skipped {
                    name: name.to_owned(),
                    reason: "it is not a token FreeOTP wrote (damaged?)".into(),
                });
                continue;
            }
            match entry(&v).into_entry() {
                Ok(e) => out.entries.push(e),
                Err(s) => out.skipped.push(s),
            }
        }
        Ok(out)
    }
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn is_token(v: &Value) -> bool {
    v.get("secret").is_some_and(Value::is_array) && v.get("type").is_some()
}

/// The tokens in FreeOTP's order, then any it does not list.
fn ordered(prefs: &Prefs) -> Vec<(&str, &str)> {
    let order: Vec<String> = prefs
        .string(ORDER)
        .and_then(|o| serde_json::from_str(o).ok())
        .unwrap_or_default();
    let mut tokens: Vec<(&str, &str)> = prefs.strings().filter(|(n, _)| *n != ORDER).collect();
    tokens.sort_by_key(|(n, _)| order.iter().position(|o| o == n).unwrap_or(usize::MAX));
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_with_a_damaged_token_keeps_the_rest() {
        let f = "<map>\n<string name=\"A:b\">{&quot;secret&quot;:[1,2,3,4,5,6,7,8,9,10],&quot;type&quot;:&quot;TOTP&quot;,&quot;issuerExt&quot;:&quot;A&quot;,&quot;label&quot;:&quot;b&quot;}</string>\n\
                 <string name=\"C:d\">{&quot;secret&quot;:[1,2</string>\n\
                 <string name=\"tokenOrder\">[&quot;C:d&quot;,&quot;A:b&quot;]</string>\n</map>";
        assert!(FreeOtpTokens.detect(f.as_bytes()).is_some());
        let got = FreeOtpTokens.parse(f.as_bytes(), None).unwrap();
        assert_eq!((got.entries.len(), got.skipped.len()), (1, 1));
        assert_eq!(got.skipped[0].name, "C:d");
        let cut = &f.as_bytes()[..f.len() / 2];
        assert!(FreeOtpTokens.detect(cut).is_some());
        assert_eq!(
            FreeOtpTokens.parse(cut, None).unwrap_err().kind(),
            "import_corrupt"
        );
    }
}
