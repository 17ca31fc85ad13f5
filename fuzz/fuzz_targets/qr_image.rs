//! QR pictures, loading (core/src/qr.rs): `qr::load` — format detection,
//! the image codecs under core's limits, and the conversion to grey — on
//! any input whose header says at most 512×512 (checked first with the
//! image crate; core itself allows 16384×16384: the codecs run the same
//! paths on small pictures, and fast). The decoders behind it
//! have their own target, `qr_decode`: together they are `qr::scan_bytes`,
//! at a speed that lets each reach a million runs.
#![no_main]

use std::io::Cursor;

use authdesk_core::qr;
use libfuzzer_sys::fuzz_target;

const MAX_SIDE: u32 = 512;

fuzz_target!(|data: &[u8]| {
    let Ok(reader) = image::ImageReader::new(Cursor::new(data)).with_guessed_format() else {
        return;
    };
    if reader.format().is_none() {
        // Not a picture: core refuses it before any codec runs.
        let _ = qr::load(data, "fuzz");
        return;
    }
    if let Ok((w, h)) = reader.into_dimensions()
        && w <= MAX_SIDE
        && h <= MAX_SIDE
    {
        let _ = qr::load(data, "fuzz");
    }
});
