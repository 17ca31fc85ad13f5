//! Backup files (core/src/backup/format.rs and `Backup::open_with_key`),
//! with a household key made once with the cheapest KDF. No password is
//! tried: a slot may ask for 1 GiB of Argon2.
//!
//! - Input starting with the backup magic: `format::parse`, `Backup::peek`
//!   and `open_with_key` on it as is, then with its header checksum and MAC
//!   rewritten to match (so the fuzzer gets past them).
//! - Any other input is a backup's body (its JSON): sealed under the
//!   household key, then opened.
#![no_main]

use authdesk_core::backup::{Backup, format};
use authdesk_fuzz::{fix_backup_header, household, seal_backup};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let h = &household().key;
    if data.starts_with(format::MAGIC) {
        let _ = format::parse(data);
        let _ = Backup::peek(data);
        let _ = Backup::open_with_key(data, h, "fuzz");
        let mut fixed = data.to_vec();
        fix_backup_header(&mut fixed);
        let _ = format::parse(&fixed);
        let _ = Backup::open_with_key(&fixed, h, "fuzz");
        return;
    }
    let file = seal_backup(data, 1_790_000_000_000, b"fuzz-device");
    let _ = format::parse(&file).expect("a sealed backup parses");
    if let Ok(b) = Backup::open_with_key(&file, h, "fuzz") {
        let _ = b.household_key();
        let _ = b.to_bytes();
    }
});
