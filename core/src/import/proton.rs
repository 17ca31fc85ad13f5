//! Proton Authenticator's export, plain or password-protected.
//! Specification: none published; the layout is Proton Authenticator's
//! export as read by Ente Auth (`proton_import_parser.dart`) and Aegis.
//!
//! Plain: `{version, entries: [{id, content: {uri, entry_type, name}, note}]}`,
//! each `uri` an `otpauth://` link, or `steam://SECRET` for Steam entries.
//!
//! Encrypted: `{version, salt, content}`. The key is Argon2id v1.3
//! (t = 2, m = 19 MiB, p = 1, 32 bytes) of the password with the base64
//! `salt`; `content` is base64 of nonce (12 bytes) ‖ AES-256-GCM ciphertext
//! ‖ tag, authenticated with the fixed associated data
//! `proton.authenticator.export.v1`. The plaintext is the plain export.
//!
//! Lost in conversion: notes; `content.name` when it differs from the
//! link's label (the link is what the codes come from).

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use zeroize::Zeroizing;

use super::raw::js;
use super::{
    Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, SkipKind, Skipped, json,
};
use crate::uri;

pub struct Proton;

const APP: &str = "Proton Authenticator";
const AAD: &[u8] = b"proton.authenticator.export.v1";
/// Proton's fixed Argon2id cost: the file carries no parameters.
const ARGON2_T: u32 = 2;
const ARGON2_M_KIB: u32 = 19 * 1024;
const ARGON2_P: u32 = 1;

impl Importer for Proton {
    fn format(&self) -> Format {
        Format::encryptable("proton", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let v = file.json()?;
        if let Some(entries) = v.get("entries").and_then(Value::as_array) {
            return entries
                .first()
                .is_none_or(|e| e.get("content").is_some())
                .then_some(Detected { encrypted: false });
        }
        (v.get("salt").is_some_and(Value::is_string)
            && v.get("content").is_some_and(Value::is_string))
        .then_some(Detected { encrypted: true })
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        let mut v = json(bytes).ok_or_else(|| ImportError::corrupt(APP, "it is not JSON"))?;
        if v.get("entries").is_none() && v.get("content").is_some() {
            let plain = decrypt(&v, password)?;
            v = super::decrypted_json(APP, "export", &plain)?;
        }
        let entries = v
            .get("entries")
            .and_then(Value::as_array)
            .ok_or_else(|| ImportError::corrupt(APP, "it has no \"entries\" list"))?;
        let mut out = Imported::default();
        for e in entries {
            let content = e.get("content").unwrap_or(&Value::Null);
            let name = js::str(content, "name");
            match entry(content) {
                Ok(d) => out.entries.push(d),
                Err((kind, reason)) => out.skipped.push(Skipped::new(name, kind, reason)),
            }
        }
        Ok(out)
    }
}

fn entry(content: &Value) -> Result<crate::EntryData, (SkipKind, String)> {
    let link = js::str(content, "uri").trim();
    // Proton keeps Steam entries as `steam://SECRET`, with no label: the
    // name it shows is all there is for the account.
    if let Some(secret) = link
        .get(..8)
        .filter(|p| p.eq_ignore_ascii_case("steam://"))
        .map(|_| &link[8..])
    {
        let name = js::str(content, "name");
        return RawEntry::new("steam", "Steam", name)
            .base32(secret)
            .into_entry()
            .map_err(|s| (s.kind, s.reason));
    }
    uri::parse_otpauth(link).map_err(|e| (e.skip_kind(), e.to_string()))
}

fn decrypt(v: &Value, password: Option<&SecretString>) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let salt = b64
        .decode(js::str(v, "salt").trim())
        .map_err(|_| ImportError::corrupt(APP, "the salt is not base64"))?;
    let content = b64
        .decode(js::str(v, "content").trim())
        .map_err(|_| ImportError::corrupt(APP, "the encrypted content is not base64"))?;
    if salt.len() != 16 {
        return Err(ImportError::corrupt(
            APP,
            format!("the salt is {} bytes, not 16", salt.len()),
        ));
    }
    if content.len() < 12 + 16 {
        return Err(ImportError::corrupt(
            APP,
            "the encrypted content is too short to hold a nonce and a tag",
        ));
    }
    let password = password.ok_or(ImportError::PasswordNeeded { app: APP })?;
    let params = argon2::Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, Some(32))
        .map_err(|e| ImportError::corrupt(APP, format!("Argon2 parameters: {e}")))?;
    let mut key = Zeroizing::new([0u8; 32]);
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(password.expose_secret().as_bytes(), &salt, &mut key[..])
        .map_err(|e| ImportError::corrupt(APP, format!("Argon2: {e}")))?;
    let (nonce, sealed) = content.split_at(12);
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(&key[..])
        .map_err(|_| ImportError::corrupt(APP, "bad key length"))?;
    // GCM cannot tell a wrong password from altered data; the tag covers
    // both, and a wrong password is by far the likelier.
    cipher
        .decrypt(
            aes_gcm::Nonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: AAD,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| ImportError::WrongPassword { app: APP })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    #[test]
    fn a_short_salt_or_content_is_damage_even_without_a_password() {
        let short_salt =
            br#"{"version":1,"salt":"AAAA","content":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#;
        assert_eq!(
            Proton.detect(short_salt),
            Some(Detected { encrypted: true })
        );
        assert_eq!(
            Proton.parse(short_salt, None).unwrap_err().kind(),
            "import_corrupt"
        );
        let short_content = br#"{"version":1,"salt":"AAAAAAAAAAAAAAAAAAAAAA==","content":"AAAA"}"#;
        assert_eq!(
            Proton.parse(short_content, None).unwrap_err().kind(),
            "import_corrupt"
        );
    }

    #[test]
    fn steam_entries_come_from_their_link_and_name() {
        let plain = br#"{"version":1,"entries":[{"content":{"uri":"steam://JRZCL47CMXVOQMNPZR2F7J4RGI","entry_type":"Steam","name":"Sophia"}}]}"#;
        let got = Proton.parse(plain, None).unwrap();
        assert_eq!(got.entries.len(), 1);
        assert_eq!(got.entries[0].issuer, "Steam");
        assert_eq!(got.entries[0].account, "Sophia");
        assert_eq!(got.entries[0].otp.kind, crate::OtpType::Steam);
    }
}
