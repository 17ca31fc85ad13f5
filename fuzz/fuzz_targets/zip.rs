//! The zip reader (core/src/import/zipfile.rs), through the importers that
//! read archives: WinAuth (ZipCrypto), Authenticator Plus and Raivo (AE-2).
//! Each recognises and parses the input without a password and with "fuzz".
#![no_main]

use authdesk_core::import;
use authdesk_fuzz::password;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for id in ["winauth", "authenticator-plus", "raivo"] {
        let importer = import::by_id(id).expect("a zip importer");
        let _ = importer.detect(data);
        let _ = importer.parse(data, None);
        let _ = importer.parse(data, Some(password()));
    }
});
