//! The SQLCipher 3 page reader (core/src/import/sqlcipher.rs) and the
//! database behind it, through Authenticator Plus's importer. The input is
//! the plain SQLite image (after a flags byte); it is encrypted with a
//! fixed salt and the password "fuzz" (keys derived once), so that the
//! reader's MAC checks pass and its decryption and SQLite's read run. The
//! flags byte may spoil one page's MAC. Each input still costs the
//! importer's own 64,000-round PBKDF2.
#![no_main]

use authdesk_core::import;
use authdesk_fuzz::{password, sqlcipher};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, plain)) = data.split_first() else {
        return;
    };
    let bad_mac = (flags & 0x80 != 0).then_some(usize::from(flags & 0x7f) + 1);
    let file = sqlcipher::encrypt(plain, bad_mac);
    let importer = import::by_id("authenticator-plus-db").expect("the SQLCipher importer");
    let _ = importer.detect(&file);
    let _ = importer.parse(&file, Some(password()));
});
