//! The Java serialisation reader (core/src/import/javaser.rs), through the
//! only importer that uses it, FreeOTP's backup: its parse reads the whole
//! stream first. No password is given, so no KDF runs (FreeOTP's iteration
//! count comes from the file).
#![no_main]

use authdesk_core::import;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let freeotp = import::by_id("freeotp").expect("the FreeOTP importer");
    let _ = freeotp.detect(data);
    let _ = freeotp.parse(data, None);
});
