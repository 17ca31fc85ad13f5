//! The SQLite reader (core/src/import/sqlite.rs): the length checks, the
//! in-memory open with SQLite's defensive settings, `quick_check`, the
//! tables and rows, through every importer that reads databases (each
//! recognises and parses the input). The SQLCipher page reader has its
//! own target, `sqlcipher`, since its fixed 64,000-round PBKDF2 would slow
//! this one down.
#![no_main]

use authdesk_core::import;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for id in [
        "sqlite",
        "google-authenticator-db",
        "microsoft-authenticator",
        "stratum-db",
        "authenticator-plus-db",
    ] {
        let importer = import::by_id(id).expect("a database importer");
        let _ = importer.detect(data);
        let _ = importer.parse(data, None);
    }
});
