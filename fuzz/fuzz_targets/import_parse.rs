//! Every importer's parser (core/src/import/), as `authdesk import` runs
//! them, with the password "fuzz":
//!
//! - the input as a file: every importer that recognises it parses it
//!   with the password, then `import::import` without one;
//! - `FORCE` + one byte + the file: the importer that byte picks parses
//!   the rest, as `--format` forces it.
//!
//! The QR picture importer is left to the `qr_image` target, which bounds
//! the image size. KDF costs are whatever the files ask for, within each
//! importer's own limits: run with `-timeout` (see scripts/fuzz).
#![no_main]

use authdesk_core::import::{self, Importer};
use authdesk_fuzz::password;
use libfuzzer_sys::fuzz_target;

fn parse(importer: &dyn Importer, data: &[u8]) {
    if importer.id() == "qr-image" {
        return;
    }
    if let Ok(imported) = importer.parse(data, Some(password())) {
        for e in &imported.entries {
            let _ = e.time_code(1_700_000_000);
            let _ = authdesk_core::uri::to_otpauth(e);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some(rest) = data.strip_prefix(b"FORCE")
        && let Some((&pick, file)) = rest.split_first()
    {
        let all = import::importers();
        parse(all[usize::from(pick) % all.len()], file);
        return;
    }
    let found = import::detect(data);
    for (importer, _) in &found {
        parse(*importer, data);
    }
    if !found.iter().any(|(i, _)| i.id() == "qr-image") {
        let _ = import::import(data, None, None);
    }
});
