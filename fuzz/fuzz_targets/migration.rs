//! Google Authenticator's export (core/src/migration.rs): the raw protobuf
//! payload, and the same bytes as text (an `otpauth-migration://` URI).
//! Accounts that parse are exported again and the export must parse.
#![no_main]

use authdesk_core::migration;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(batch) = migration::parse_payload(data) {
        for e in &batch.entries {
            let _ = e.time_code(1_700_000_000);
        }
        let export = migration::export(&batch.entries);
        for u in &export.uris {
            migration::parse_uri(u)
                .unwrap_or_else(|e| panic!("an exported URI does not parse: {e}"));
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = migration::parse_uri(text);
        let _ = authdesk_core::uri::parse(text);
    }
});
