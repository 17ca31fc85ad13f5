//! The SQLite reader (core/src/import/sqlite.rs): the length checks, the
//! in-memory open with SQLite's defensive settings, `quick_check`, the
//! tables and rows, through one of the importers that read databases
//! (chosen by the first byte; each recognises and parses the rest). One
//! importer per run rather than all five: they share the reader, and each
//! open pads and checks the whole image again. The SQLCipher page reader
//! has its own target, `sqlcipher`.
#![no_main]

use authdesk_core::import;
use libfuzzer_sys::fuzz_target;

const IMPORTERS: [&str; 5] = [
    "sqlite",
    "google-authenticator-db",
    "microsoft-authenticator",
    "stratum-db",
    "authenticator-plus-db",
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, db)) = data.split_first() else {
        return;
    };
    let id = IMPORTERS[usize::from(which) % IMPORTERS.len()];
    let importer = import::by_id(id).expect("a database importer");
    let _ = importer.detect(db);
    let _ = importer.parse(db, None);
});
