//! Android shared_prefs XML (core/src/import/prefs.rs), through every
//! importer that reads it: Authy, Battle.net, FreeOTP's token file and TOTP
//! Authenticator. Each recognises and parses the input, with the
//! password "fuzz" (Authy's and TOTP Authenticator's KDFs have fixed costs).
#![no_main]

use authdesk_core::import;
use authdesk_fuzz::password;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for id in ["authy", "battlenet", "freeotp-tokens", "totp-authenticator"] {
        let importer = import::by_id(id).expect("a shared_prefs importer");
        let _ = importer.detect(data);
        let _ = importer.parse(data, Some(password()));
    }
});
