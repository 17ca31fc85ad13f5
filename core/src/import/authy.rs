//! Authy's token store on Android, read from a rooted phone: the
//! shared-preferences files `com.authy.storage.tokens.authenticator.xml`
//! (accounts added by QR code or key) and `com.authy.storage.tokens.authy.xml`
//! (Authy's own accounts). Authy has no export; this is the format Aegis's
//! Authy importer reads, and the specification is the JSON Authy keeps in
//! those files.
//!
//! Each string holds a JSON list of tokens. An authenticator token has its
//! secret either in the clear (`decryptedSecret`, base32) or, once backups
//! are on, as `encryptedSecret`: base64 of AES-256-CBC with a zero IV and
//! PKCS#7 padding, the key PBKDF2-HMAC-SHA1(backup password, the token's
//! `salt` as UTF-8, 1,000 iterations, 32 bytes), the plaintext the base32
//! secret. Authy's own tokens hold a hex `secretSeed` and give 10-second
//! codes.
//!
//! Lost in conversion: logos, order, hidden flags. Authy stores no
//! algorithm or period for authenticator tokens: they are SHA-1, 30 s.

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use zeroize::Zeroizing;

use super::budget::{Budget, Kdf};
use super::prefs::{self, Prefs};
use super::raw::js;
use super::{
    Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, SkipKind, Skipped,
};

pub struct Authy;

const APP: &str = "Authy";

const AUTHENTICATOR_KEY: &str = "com.authy.storage.tokens.authenticator.key";
const AUTHY_KEY: &str = "com.authy.storage.tokens.authy.key";
const ITERATIONS: u32 = 1_000;
/// Authy's own tokens change every 10 s, not 30.
const AUTHY_PERIOD: u64 = 10;

impl Importer for Authy {
    fn format(&self) -> Format {
        Format::encryptable("authy", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        let mut encrypted = false;
        let mine = prefs::recognise(bytes, "com.authy.storage.tokens.", |p| {
            let lists = token_lists(p);
            encrypted = lists
                .iter()
                .filter_map(|(_, list)| list.as_ref().ok())
                .flatten()
                .any(needs_password);
            !lists.is_empty()
        });
        mine.then_some(Detected { encrypted })
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        let prefs = prefs::parse(bytes, APP)?;
        let lists = token_lists(&prefs);
        if lists.is_empty() {
            return Err(ImportError::corrupt(
                APP,
                format!("it has neither {AUTHENTICATOR_KEY} nor {AUTHY_KEY}"),
            ));
        }
        let mut out = Imported::default();
        let mut sealed = Vec::new();
        for (key, list) in lists {
            let list = list.map_err(|e| {
                ImportError::corrupt(
                    APP,
                    format!("the token list {key} is not a JSON list ({e})"),
                )
            })?;
            for token in &list {
                if key == AUTHY_KEY {
                    push(&mut out, authy_token(token));
                } else if needs_password(token) {
                    sealed.push(token.clone());
                } else {
                    let r = entry(token);
                    push(&mut out, Ok(r.base32(js::str(token, "decryptedSecret"))));
                }
            }
        }
        if !sealed.is_empty() {
            let password = password.ok_or(ImportError::PasswordNeeded { app: APP })?;
            decrypt_all(&sealed, password, &mut out)?;
        }
        Ok(out)
    }
}

/// The token lists present, each parsed or with why not.
fn token_lists(p: &Prefs) -> Vec<(&'static str, Result<Vec<Value>, String>)> {
    [AUTHENTICATOR_KEY, AUTHY_KEY]
        .into_iter()
        .filter_map(|key| {
            let text = p.string(key)?;
            Some((key, serde_json::from_str(text).map_err(|e| e.to_string())))
        })
        .collect()
}

fn needs_password(token: &Value) -> bool {
    token.get("decryptedSecret").is_none() && token.get("encryptedSecret").is_some()
}

fn push(out: &mut Imported, r: Result<RawEntry, Skipped>) {
    match r.and_then(RawEntry::into_entry) {
        Ok(e) => out.entries.push(e),
        Err(s) => out.skipped.push(s),
    }
}

/// Authy keeps a display name ("Deno: Mason") beside the issuer and the
/// otpauth label it was added with; the issuer comes from the most
/// reliable of them, and the account is the display name without it.
fn names(t: &Value) -> (String, String) {
    let name = js::str(t, "name").trim();
    let original_name = js::str(t, "originalName");
    let issuer = Some(js::str(t, "originalIssuer").trim())
        .filter(|i| !i.is_empty())
        .map(str::to_owned)
        .or_else(|| {
            let (i, _) = original_name.split_once(':')?;
            Some(i.trim().to_owned()).filter(|i| !i.is_empty())
        })
        .or_else(|| {
            let (i, _) = name.split_once(" - ")?;
            Some(i.trim().to_owned())
        })
        .unwrap_or_else(|| capitalise(js::str(t, "accountType")));
    let account = match name.get(..issuer.len()) {
        Some(head) if !issuer.is_empty() && head.eq_ignore_ascii_case(&issuer) => {
            let rest = name[issuer.len()..].trim_start();
            rest.strip_prefix([':', '-'])
                .unwrap_or(rest)
                .trim()
                .to_owned()
        }
        _ if name.is_empty() => original_name
            .split_once(':')
            .map_or(original_name, |(_, a)| a)
            .trim()
            .to_owned(),
        _ => name.to_owned(),
    };
    (issuer, account)
}

fn capitalise(s: &str) -> String {
    let mut chars = s.trim().chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn entry(t: &Value) -> RawEntry {
    let (issuer, account) = names(t);
    let mut r = RawEntry::new("totp", &issuer, &account);
    r.digits = js::num(t, "digits");
    r
}

fn authy_token(t: &Value) -> Result<RawEntry, Skipped> {
    let name = js::str(t, "name").trim();
    let skip = |reason: &str| Skipped::new(name, SkipKind::BadSecret, reason);
    let seed = data_encoding::HEXLOWER_PERMISSIVE
        .decode(js::str(t, "secretSeed").trim().as_bytes())
        .map_err(|_| skip("its secret seed is not hexadecimal"))?;
    let mut r = RawEntry::new("totp", name, "").bytes(seed);
    r.digits = js::num(t, "digits");
    r.period = Some(AUTHY_PERIOD);
    Ok(r)
}

/// Decrypts every sealed token into `out`. Without a MAC, the only sign of
/// the right password is a plaintext that is a base32 secret: when no token
/// gives one the password is wrong, and when some do, the others are
/// damaged and are skipped.
fn decrypt_all(
    sealed: &[Value],
    password: &SecretString,
    out: &mut Imported,
) -> Result<(), ImportError> {
    use base64::Engine;
    // Each token has its own salt, so each costs a derivation: booked for
    // all of them before the first.
    let tokens = u64::try_from(sealed.len()).unwrap_or(u64::MAX);
    Budget::new(
        APP,
        "Authy keeps one token per account: copy its token file from the phone again",
    )
    .charge(
        &format!("decrypting its {tokens} tokens"),
        Kdf::Pbkdf2 {
            iterations: tokens.saturating_mul(ITERATIONS.into()),
        },
    )?;
    let mut opened = 0;
    let mut unreadable = Vec::new();
    for token in sealed {
        let r = entry(token);
        // Others opened with this password: this one is damaged.
        let skip = |reason: &str| Skipped::new(r.name(), SkipKind::Damaged, reason);
        let Ok(ciphertext) = base64::engine::general_purpose::STANDARD
            .decode(js::str(token, "encryptedSecret").trim())
        else {
            out.skipped.push(skip(
                "its encrypted secret is not base64: the file is damaged",
            ));
            continue;
        };
        if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(16) {
            out.skipped.push(skip(
                "its encrypted secret is not whole AES blocks: the file is damaged",
            ));
            continue;
        }
        let mut key = Zeroizing::new([0u8; 32]);
        pbkdf2::pbkdf2_hmac::<sha1::Sha1>(
            password.expose_secret().as_bytes(),
            js::str(token, "salt").as_bytes(),
            ITERATIONS,
            &mut key[..],
        );
        let secret = super::aes256_cbc_decrypt(&key[..], &[0u8; 16], &ciphertext)
            .and_then(super::strip_pkcs7)
            .and_then(|p| String::from_utf8(p.to_vec()).ok().map(Zeroizing::new))
            .filter(|s| is_base32(s));
        match secret {
            Some(secret) => {
                opened += 1;
                push(out, Ok(r.base32(&secret)));
            }
            None => unreadable.push(skip(
                "its secret could not be decrypted although the others could: it is damaged",
            )),
        }
    }
    if opened == 0 && !unreadable.is_empty() {
        return Err(ImportError::WrongPassword { app: APP });
    }
    out.skipped.extend(unreadable);
    Ok(())
}

fn is_base32(s: &str) -> bool {
    !s.trim().is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphabetic() || (b'2'..=b'7').contains(&b) || b"= -".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    fn file(tokens: &str) -> String {
        let escaped = tokens.replace('"', "&quot;");
        format!(
            "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n    \
             <string name=\"{AUTHENTICATOR_KEY}\">{escaped}</string>\n</map>\n"
        )
    }

    /// One token sealed as Authy seals it, for `password`.
    fn sealed_token(password: &str, secret: &str) -> String {
        use base64::Engine;
        use cbc::cipher::{BlockEncryptMut, KeyIvInit, block_padding::Pkcs7};
        let salt = "abcdefghijklmnopqrstuvwxyz012345";
        let mut key = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password.as_bytes(), salt.as_bytes(), 1000, &mut key);
        let ct = cbc::Encryptor::<aes::Aes256>::new_from_slices(&key, &[0u8; 16])
            .unwrap()
            .encrypt_padded_vec_mut::<Pkcs7>(secret.as_bytes());
        let b64 = base64::engine::general_purpose::STANDARD.encode(ct);
        format!(
            r#"{{"accountType":"authenticator","digits":6,"encryptedSecret":"{b64}","salt":"{salt}","originalName":"Acme:bob","name":"Acme: bob"}}"#
        )
    }

    fn pw(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn a_wrong_password_is_named_and_a_right_one_opens() {
        let f = file(&format!("[{}]", sealed_token("right", "JBSWY3DPEHPK3PXP")));
        assert_eq!(
            Authy.detect(f.as_bytes()),
            Some(Detected { encrypted: true })
        );
        let e = Authy.parse(f.as_bytes(), Some(&pw("wrong"))).unwrap_err();
        assert_eq!(e.kind(), "wrong_password");
        let e = Authy.parse(f.as_bytes(), None).unwrap_err();
        assert_eq!(e.kind(), "password_needed");
        let got = Authy.parse(f.as_bytes(), Some(&pw("right"))).unwrap();
        assert_eq!(got.entries.len(), 1);
        assert_eq!(
            (
                got.entries[0].issuer.as_str(),
                got.entries[0].account.as_str()
            ),
            ("Acme", "bob")
        );
    }

    #[test]
    fn a_damaged_token_beside_good_ones_is_skipped() {
        let good = sealed_token("right", "JBSWY3DPEHPK3PXP");
        let bad = good.replace("encryptedSecret\":\"", "encryptedSecret\":\"AAAA");
        let f = file(&format!("[{good},{bad}]"));
        let got = Authy.parse(f.as_bytes(), Some(&pw("right"))).unwrap();
        assert_eq!((got.entries.len(), got.skipped.len()), (1, 1));
    }

    #[test]
    fn a_cut_off_file_is_damaged() {
        let f = file(
            r#"[{"accountType":"authenticator","decryptedSecret":"JBSWY3DPEHPK3PXP","name":"x"}]"#,
        );
        let cut = &f.as_bytes()[..f.len() - 10];
        assert_eq!(Authy.detect(cut), Some(Detected { encrypted: false }));
        assert_eq!(Authy.parse(cut, None).unwrap_err().kind(), "import_corrupt");
        let bad_json = file("[{\"name\":");
        assert_eq!(
            Authy.parse(bad_json.as_bytes(), None).unwrap_err().kind(),
            "import_corrupt"
        );
    }

    #[test]
    fn names_follow_what_authy_knows() {
        let n = |j: &str| names(&serde_json::from_str(j).unwrap());
        assert_eq!(
            n(r#"{"originalIssuer":"Deno","name":"Deno: Mason"}"#),
            ("Deno".into(), "Mason".into())
        );
        assert_eq!(
            n(r#"{"originalName":"Acme:alice","name":"alice"}"#),
            ("Acme".into(), "alice".into())
        );
        assert_eq!(
            n(r#"{"name":"Shop - carol"}"#),
            ("Shop".into(), "carol".into())
        );
        assert_eq!(
            n(r#"{"accountType":"google","name":"dave@example.com"}"#),
            ("Google".into(), "dave@example.com".into())
        );
    }
}
