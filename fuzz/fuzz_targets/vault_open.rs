//! Vault files (core/src/vault/). No password is ever tried: a header may
//! ask for 1 GiB of Argon2, so the fixed key of `vault_key()` is used.
//!
//! - Input starting with the vault magic: the header parse, then the same
//!   bytes with their checksum and MAC rewritten to match (so the fuzzer
//!   gets past them to the KDF bounds and lengths) through key check and
//!   decryption.
//! - Any other input is a vault's plaintext (the contents JSON): it is
//!   encrypted with the fixed key and opened with `Vault::open_with_key`;
//!   and it is read as the usage file beside a vault (`order::Usage`).
#![no_main]

use authdesk_core::order::SortOrder;
use authdesk_core::vault::{self, Vault, format};
use authdesk_fuzz::{fix_vault_header, scratch_dir, vault_key};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = vault_key();
    if data.starts_with(format::MAGIC) {
        let _ = format::parse(data);
        let mut fixed = data.to_vec();
        fix_vault_header(&mut fixed);
        if format::parse(&fixed).is_ok() {
            assert!(format::key_matches(&key, &fixed));
            let _ = format::decrypt(&key, &fixed);
        }
        return;
    }
    let file = format::encrypt(&key, vault::KdfParams::insecure_for_tests(), &[1; 16], data);
    let path = scratch_dir().path().join("fuzz.authdesk");
    std::fs::write(&path, &file).expect("write the vault");
    if let Ok(mut v) = Vault::open_with_key(&path, key) {
        let _ = v.entries().len();
        let _ = v.resolve("0");
        let _ = v.search("a").count();
        let ids: Vec<_> = v.entries().iter().rev().map(|e| e.id).collect();
        v.reorder(&ids);
        // The list's orders over hostile names, pins and the usage file's ids.
        let usage = authdesk_core::order::Usage::from_bytes(data);
        for order in [SortOrder::Manual, SortOrder::Name, SortOrder::Recent] {
            let _ = authdesk_core::order::arrange(v.entries(), order, &usage);
        }
        if let Some(id) = v.entries().first().map(|e| e.id) {
            let _ = v.next_hotp(id);
        }
    }
});
