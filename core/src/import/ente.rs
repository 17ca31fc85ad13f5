//! Ente Auth's encrypted export (`ente-auth-codes-*.txt`, which is JSON).
//! Specification: Ente's `encrypted_ente_import.dart` and its export code,
//! built on libsodium.
//!
//! `{version: 1, kdfParams: {memLimit, opsLimit, salt}, encryptedData,
//! encryptionNonce}`. The key is libsodium's `crypto_pwhash`, Argon2id v1.3
//! with t = `opsLimit`, m = `memLimit` bytes, p = 1, 32 bytes, of the
//! password and the base64 `salt`. `encryptedData` is one message of
//! `crypto_secretstream_xchacha20poly1305`, whose header is the base64
//! `encryptionNonce`. The plaintext is a list of `otpauth://` links, one
//! per line, which is also what Ente's plain export is (see `text.rs`).
//!
//! The links' `codeDisplay` parameter gives tags, pinning, notes and the
//! icon's name (see `text.rs`).
//!
//! Lost in conversion: an icon from Ente's own set that the bundled set
//! does not have (it shows as automatic), usage counts.

use crypto_secretstream::{Header, Key, PullStream};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use zeroize::Zeroizing;

use super::budget::{Budget, Kdf};
use super::raw::js;
use super::{Detected, Format, ImportError, Imported, Importer, Probe, json};

pub struct Ente;

const APP: &str = "Ente Auth";

/// Ente asks for libsodium's "sensitive" cost, 1 GiB and 4 passes, and on a
/// phone short of memory halves the memory and doubles the passes until it
/// fits, so memory × passes stays at 4 GiB: within the import budget.
const ADVICE: &str = "Export again from Ente Auth, which asks for at most 1 GiB × 4 passes";
/// libsodium's own floor for `crypto_pwhash`.
const MIN_MEM_BYTES: u64 = 8192;

impl Importer for Ente {
    fn format(&self) -> Format {
        Format::encryptable("ente", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let v = file.json()?;
        (v.get("kdfParams").is_some_and(Value::is_object)
            && v.get("encryptedData").is_some()
            && v.get("encryptionNonce").is_some())
        .then_some(Detected { encrypted: true })
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        let v = json(bytes).ok_or_else(|| ImportError::corrupt(APP, "it is not JSON"))?;
        let plain = decrypt(&v, password)?;
        // The links are the plain export's; the list importer reports a bad
        // line by number, as it would for that file.
        super::text::UriList
            .parse(&plain, None)
            .map_err(|e| match e {
                ImportError::NoOtpData { detail, .. } => {
                    ImportError::NoOtpData { app: APP, detail }
                }
                ImportError::Corrupt { detail, .. } => ImportError::Corrupt {
                    app: APP,
                    detail: format!("the decrypted export: {detail}"),
                },
                other => other,
            })
    }
}

struct Params {
    mem_kib: u32,
    ops: u32,
    salt: Vec<u8>,
}

fn kdf_params(v: &Value) -> Result<Params, ImportError> {
    use base64::Engine;
    let kp = v
        .get("kdfParams")
        .ok_or_else(|| ImportError::corrupt(APP, "it has no \"kdfParams\""))?;
    let mem = js::num(kp, "memLimit")
        .ok_or_else(|| ImportError::corrupt(APP, "\"memLimit\" is not a number"))?;
    let ops = js::num(kp, "opsLimit")
        .ok_or_else(|| ImportError::corrupt(APP, "\"opsLimit\" is not a number"))?;
    if mem < MIN_MEM_BYTES || ops == 0 {
        return Err(ImportError::corrupt(
            APP,
            format!("memLimit {mem} and opsLimit {ops} are below what libsodium allows"),
        ));
    }
    let kib = mem / 1024;
    Budget::new(APP, ADVICE).charge(
        "its key derivation",
        Kdf::Argon2id {
            kib,
            passes: ops,
            lanes: 1,
        },
    )?;
    let salt = base64::engine::general_purpose::STANDARD
        .decode(js::str(kp, "salt").trim())
        .map_err(|_| ImportError::corrupt(APP, "the salt is not base64"))?;
    if salt.len() != 16 {
        return Err(ImportError::corrupt(
            APP,
            format!("the salt is {} bytes, not 16", salt.len()),
        ));
    }
    Ok(Params {
        // Both fit within the budget: at most 1 GiB, and 16 GiB / 8 KiB
        // passes.
        mem_kib: u32::try_from(kib).unwrap_or(u32::MAX),
        ops: u32::try_from(ops).unwrap_or(u32::MAX),
        salt,
    })
}

fn decrypt(v: &Value, password: Option<&SecretString>) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let kdf = kdf_params(v)?;
    let header = b64
        .decode(js::str(v, "encryptionNonce").trim())
        .map_err(|_| ImportError::corrupt(APP, "\"encryptionNonce\" is not base64"))?;
    let header = Header::try_from(&header[..]).map_err(|_| {
        ImportError::corrupt(
            APP,
            format!("\"encryptionNonce\" is {} bytes, not 24", header.len()),
        )
    })?;
    let mut data = b64
        .decode(js::str(v, "encryptedData").trim())
        .map_err(|_| ImportError::corrupt(APP, "\"encryptedData\" is not base64"))?;
    if data.len() < crypto_secretstream::Stream::ABYTES {
        return Err(ImportError::corrupt(
            APP,
            "\"encryptedData\" is too short to hold a message",
        ));
    }
    let password = password.ok_or(ImportError::PasswordNeeded { app: APP })?;
    let params = argon2::Params::new(kdf.mem_kib, kdf.ops, 1, Some(32))
        .map_err(|e| ImportError::corrupt(APP, format!("Argon2 parameters: {e}")))?;
    let mut key = Zeroizing::new([0u8; 32]);
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(password.expose_secret().as_bytes(), &kdf.salt, &mut key[..])
        .map_err(|e| ImportError::corrupt(APP, format!("Argon2: {e}")))?;
    let mut stream = PullStream::init(header, &Key::from(*key));
    // Poly1305 cannot tell a wrong password from altered data: the password
    // is by far the likelier. Ente writes a single message; its tag (message
    // or final) does not matter.
    match stream.pull(&mut data, b"") {
        Ok(_) => Ok(Zeroizing::new(data)),
        Err(_) => Err(ImportError::WrongPassword { app: APP }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    fn file(mem: u64, ops: u64) -> Vec<u8> {
        format!(
            r#"{{"version":1,"kdfParams":{{"memLimit":{mem},"opsLimit":{ops},"salt":"oSNHLO3BMxAocxngndY9bw=="}},"encryptedData":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","encryptionNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}"#
        )
        .into_bytes()
    }

    fn pw(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn absurd_costs_are_refused_before_any_work() {
        for (mem, ops) in [(1u64 << 40, 4), (1 << 30, 17), (64 << 20, 1_000_000)] {
            let err = Ente.parse(&file(mem, ops), Some(&pw("x"))).unwrap_err();
            assert_eq!(err.kind(), "too_costly", "{mem} {ops}: {err}");
        }
        let err = Ente.parse(&file(0, 4), Some(&pw("x"))).unwrap_err();
        assert_eq!(err.kind(), "import_corrupt");
    }

    #[test]
    fn a_cheap_file_asks_for_its_password_and_refuses_a_wrong_one() {
        let f = file(8192, 1);
        assert_eq!(Ente.detect(&f), Some(Detected { encrypted: true }));
        assert_eq!(Ente.parse(&f, None).unwrap_err().kind(), "password_needed");
        assert_eq!(
            Ente.parse(&f, Some(&pw("x"))).unwrap_err().kind(),
            "wrong_password"
        );
    }
}
