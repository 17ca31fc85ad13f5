//! Small JSON formats, one importer each: LastPass Authenticator's export,
//! Duo Mobile's account file and Steam Desktop Authenticator's `.maFile`.
//! Each importer's doc says where its fields come from and what the
//! conversion loses.

use secrecy::SecretString;
use serde_json::Value;

use super::raw::js;
use super::{Detected, Format, ImportError, Imported, Importer, Probe, RawEntry, collect, json};

fn plain(encrypted: bool) -> Option<Detected> {
    Some(Detected { encrypted })
}

/// LastPass Authenticator's "Export accounts" JSON (version 3):
/// `accounts[]` with `issuerName`, `userName`, `secret` (base32),
/// `algorithm`, `digits`, `timeStep`. Lost: folders, favourites, push.
pub struct LastPass;

impl Importer for LastPass {
    fn format(&self) -> Format {
        Format::plain("lastpass", "LastPass Authenticator")
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let v = file.json()?;
        let first = v.get("accounts")?.as_array()?.first()?;
        (first.get("issuerName").is_some() || first.get("timeStep").is_some())
            .then(|| plain(false))?
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let app = self.app();
        let v = json(bytes).ok_or_else(|| ImportError::corrupt(app, "it is not JSON"))?;
        let list = v["accounts"]
            .as_array()
            .ok_or_else(|| ImportError::corrupt(app, "it has no \"accounts\" list"))?;
        Ok(collect(list.iter().map(|a| {
            let mut r = RawEntry::new("totp", js::str(a, "issuerName"), js::str(a, "userName"))
                .base32(js::str(a, "secret"));
            r.algorithm = js::opt_str(a, "algorithm");
            r.digits = js::num(a, "digits");
            r.period = js::num(a, "timeStep");
            r
        })))
    }
}

/// Duo Mobile's account file (taken from a phone): third-party accounts
/// have `otpGenerator.otpSecret` (base32); a `counter` means HOTP. Duo's
/// own push accounts have no secret and are skipped. Lost: logos.
pub struct Duo;

impl Importer for Duo {
    fn format(&self) -> Format {
        Format::plain("duo", "Duo Mobile")
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        file.json()?.as_array()?.first()?.get("otpGenerator")?;
        plain(false)
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let app = self.app();
        let v = json(bytes).ok_or_else(|| ImportError::corrupt(app, "it is not JSON"))?;
        let list = v
            .as_array()
            .ok_or_else(|| ImportError::corrupt(app, "it is not a list"))?;
        Ok(collect(list.iter().map(|a| {
            let g = a.get("otpGenerator").cloned().unwrap_or(Value::Null);
            let counter = js::num(&g, "counter");
            let kind = if counter.is_some() { "hotp" } else { "totp" };
            let mut r =
                RawEntry::new(kind, "", js::str(a, "name")).base32(js::str(&g, "otpSecret"));
            r.counter = counter;
            r
        })))
    }
}

/// Steam Desktop Authenticator's `.maFile` (one account, or several under
/// `accounts`): `shared_secret` in base64 makes the Steam Guard codes.
/// Lost: the revocation code and confirmation secrets, which only Steam's
/// own app can use — keep the .maFile.
pub struct Steam;

impl Importer for Steam {
    fn format(&self) -> Format {
        Format::plain("steam", "Steam")
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let v = file.json()?;
        if v.get("shared_secret").is_some() {
            return plain(false);
        }
        v.get("accounts")?
            .as_object()?
            .values()
            .next()?
            .get("shared_secret")?;
        plain(false)
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        use base64::Engine;
        let app = self.app();
        let v = json(bytes).ok_or_else(|| ImportError::corrupt(app, "it is not JSON"))?;
        let accounts: Vec<Value> = match v.get("accounts").and_then(Value::as_object) {
            Some(map) => map.values().cloned().collect(),
            None => vec![v],
        };
        Ok(collect(accounts.iter().map(|a| {
            let secret = base64::engine::general_purpose::STANDARD
                .decode(js::str(a, "shared_secret").trim())
                .unwrap_or_default();
            RawEntry::new("steam", "Steam", js::str(a, "account_name")).bytes(secret)
        })))
    }
}
