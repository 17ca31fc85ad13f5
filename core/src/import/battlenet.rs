//! The Battle.net app's authenticator on Android, read from a rooted phone:
//! its shared-preferences file with the `com.blizzard.messenger.
//! AUTHENTICATOR_*` keys. The app has no export; the format is what Aegis's
//! Battle.net importer reads.
//!
//! `AUTHENTICATOR_SERIAL` and `AUTHENTICATOR_DEVICE_SECRET` are hex, XORed
//! with a fixed 57-byte mask (encryption type `MASK`); unmasked, the serial
//! is text ("US-1234-…") and the device secret is the TOTP key as hex text.
//! The codes are standard TOTP: SHA-1, 8 digits, 30 s.
//!
//! Lost in conversion: the region and the server time offset (Authdesk
//! keeps its own clock check).

use secrecy::SecretString;

use super::prefs::{self, Prefs};
use super::{Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, collect};

pub struct BattleNet;

const APP: &str = "Battle.net";

const PREFIX: &str = "com.blizzard.messenger.";
const AUTHENTICATOR: &str = "com.blizzard.messenger.AUTHENTICATOR_";
const SECRET: &str = "com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET";
const SERIAL: &str = "com.blizzard.messenger.AUTHENTICATOR_SERIAL";
const ENCRYPTION: &str = "com.blizzard.messenger.AUTHENTICATOR_CREDENTIALS_ENCRYPTION_TYPE";

/// The app's fixed XOR mask, as hex. It is not a secret of the user's: it
/// is the same in every installation.
const MASK: &str = "398e27fc50276a656065b0e525f4c06c04c61075286b8e7aeda59da9813b5dd6\
                    c80d2fb38068773fa59ba47c17ca6c6479015c1d5b8b8f6b9a";

impl Importer for BattleNet {
    fn format(&self) -> Format {
        Format::plain("battlenet", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        // Any of the authenticator's keys, so that a file whose authenticator
        // was removed says so instead of "unknown format".
        prefs::recognise(bytes, PREFIX, |p| {
            p.strings().any(|(name, _)| name.starts_with(AUTHENTICATOR))
        })
        .then_some(Detected { encrypted: false })
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let prefs = prefs::parse(bytes, APP)?;
        Ok(collect([entry(&prefs)?]))
    }
}

fn entry(p: &Prefs) -> Result<RawEntry, ImportError> {
    match p.string(ENCRYPTION).map(str::trim) {
        None | Some("MASK") => {}
        Some(other) => {
            return Err(ImportError::UnsupportedEncryption {
                app: APP,
                detail: format!(
                    "its credentials are protected by \"{other}\", which only the phone can undo"
                ),
            });
        }
    }
    let secret = p.string(SECRET).ok_or_else(|| ImportError::NoOtpData {
        app: APP,
        detail: format!("it has no {}", SECRET.trim_start_matches(PREFIX)),
    })?;
    let serial = p.string(SERIAL).unwrap_or("");
    let secret_hex = unmask(secret, "device secret")?;
    let key = data_encoding::HEXLOWER_PERMISSIVE
        .decode(secret_hex.trim().as_bytes())
        .map_err(|_| ImportError::corrupt(APP, "the unmasked device secret is not hexadecimal"))?;
    let serial = if serial.trim().is_empty() {
        String::new()
    } else {
        unmask(serial, "serial")?
    };
    let mut r = RawEntry::new("totp", APP, &serial).bytes(key);
    r.algorithm = Some("SHA1".into());
    r.digits = Some(8);
    r.period = Some(30);
    Ok(r)
}

/// `masked` (hex) XORed with the mask, as the text it hides.
fn unmask(masked: &str, what: &str) -> Result<String, ImportError> {
    let bytes = data_encoding::HEXLOWER_PERMISSIVE
        .decode(masked.trim().as_bytes())
        .map_err(|_| ImportError::corrupt(APP, format!("the {what} is not hexadecimal")))?;
    let mask = data_encoding::HEXLOWER
        .decode(MASK.as_bytes())
        .expect("the mask is valid hex");
    if bytes.len() > mask.len() {
        return Err(ImportError::corrupt(
            APP,
            format!(
                "the {what} is {} bytes, longer than the {}-byte mask",
                bytes.len(),
                mask.len()
            ),
        ));
    }
    let plain: Vec<u8> = bytes.iter().zip(&mask).map(|(b, m)| b ^ m).collect();
    String::from_utf8(plain)
        .ok()
        .filter(|s| s.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| ImportError::corrupt(APP, format!("the {what} does not unmask to text")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind as _;

    fn file(values: &[(&str, &str)]) -> String {
        let mut f =
            String::from("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n");
        for (k, v) in values {
            f.push_str(&format!("    <string name=\"{k}\">{v}</string>\n"));
        }
        f + "</map>\n"
    }

    fn mask(text: &str) -> String {
        let mask = data_encoding::HEXLOWER.decode(MASK.as_bytes()).unwrap();
        let masked: Vec<u8> = text.bytes().zip(mask).map(|(b, m)| b ^ m).collect();
        data_encoding::HEXLOWER.encode(&masked)
    }

    #[test]
    fn unmasks_serial_and_secret() {
        let f = file(&[
            (SERIAL, &mask("EU-1111-2222-3333")),
            (SECRET, &mask("3132333435363738393031323334353637383930")),
        ]);
        let got = BattleNet.parse(f.as_bytes(), None).unwrap();
        let e = &got.entries[0];
        assert_eq!(
            (e.issuer.as_str(), e.account.as_str()),
            (APP, "EU-1111-2222-3333")
        );
        assert_eq!(e.secret.expose(), b"12345678901234567890");
        assert_eq!(e.otp.digits, 8);
    }

    #[test]
    fn damage_and_other_protection_are_errors() {
        let too_long = file(&[(SECRET, &"ab".repeat(58))]);
        let e = BattleNet.parse(too_long.as_bytes(), None).unwrap_err();
        assert!(e.to_string().contains("longer than"), "{e}");
        let not_hex = file(&[(SECRET, "xyz")]);
        assert_eq!(
            BattleNet
                .parse(not_hex.as_bytes(), None)
                .unwrap_err()
                .kind(),
            "import_corrupt"
        );
        let keystore = file(&[(SECRET, "00"), (ENCRYPTION, "KEYSTORE")]);
        assert_eq!(
            BattleNet
                .parse(keystore.as_bytes(), None)
                .unwrap_err()
                .kind(),
            "unsupported_encryption"
        );
        let no_secret = file(&[(SERIAL, &mask("EU-1"))]);
        assert_eq!(
            BattleNet
                .parse(no_secret.as_bytes(), None)
                .unwrap_err()
                .kind(),
            "no_otp_data"
        );
    }
}
