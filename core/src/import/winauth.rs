//! WinAuth's export as a zip: WinAuth's "Export" writes a text file of
//! `otpauth://` links (its own `icon=` and `serial=` parameters added) and
//! can put it in a zip protected with the zip's traditional password.
//! Specification: WinAuth's `ExportForm` / `WinAuthHelper.SaveToFile`, as
//! Stratum's `WinAuthBackupConverter` reads it. The plain text export is a
//! link list and needs no importer of its own.
//!
//! Any zip of `.txt` files that is not Authenticator Plus's comes here, and
//! so does a zip with nothing readable in it, which is reported as empty or
//! damaged.
//!
//! Lost in conversion: WinAuth's icons, and the Battle.net serial and
//! restore code (only the secret makes the codes).

use secrecy::SecretString;

use super::zipfile;
use super::{Detected, Format, ImportError, Imported, Importer, Probe};

pub struct WinAuth;

const APP: &str = "WinAuth";

impl Importer for WinAuth {
    fn format(&self) -> Format {
        Format::encryptable("winauth", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        let names = zipfile::names(bytes);
        // An archive with nothing readable in it comes here too, so that
        // it is reported as empty or damaged rather than unknown.
        (zipfile::is_zip(bytes) && (names.is_empty() || names.iter().any(|n| is_txt(n)))).then(
            || Detected {
                encrypted: zipfile::any_encrypted(bytes),
            },
        )
    }
    fn parse(
        &self,
        bytes: &[u8],
        password: Option<&SecretString>,
    ) -> Result<Imported, ImportError> {
        let members = zipfile::read_members(APP, bytes, password, is_txt)?;
        zipfile::link_lists(APP, &members)
    }
}

fn is_txt(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".txt")
}
