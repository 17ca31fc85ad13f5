//! `otpauth://` URIs (core/src/uri.rs) on arbitrary text: parse, and for
//! every URI that parses, compute a code and check that the URI written back
//! for it parses to the same account.
#![no_main]

use authdesk_core::uri;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = uri::split_label(text);
    let _ = uri::parse(text);
    if let Ok(entry) = uri::parse_otpauth(text) {
        let _ = entry.time_code(1_700_000_000);
        let _ = entry.display_name();
        let written = uri::to_otpauth(&entry);
        let again = uri::parse_otpauth(&written)
            .unwrap_or_else(|e| panic!("{written:?}, written for {text:?}, does not parse: {e}"));
        assert!(
            again.same_account(&entry),
            "{written:?} is another account than {text:?}"
        );
    }
});
