//! The QR decoders (core/src/qr.rs): `qr::decode` — rxing at full size and
//! inverted, rqrr as the fallback — on raw grey pixels: two bytes of
//! width (1–64), then the pixels, the height from the length (at most
//! 64: a version-10 code at one pixel a module). Small pictures keep the
//! runs fast (rqrr groups finder-pattern candidates in noise for long on
//! larger ones); the decoders' work on large ones is what the data-driven
//! test over ../shared/testdata/qr covers.
#![no_main]

use authdesk_core::qr;
use libfuzzer_sys::fuzz_target;

const MAX_SIDE: u32 = 64;

fuzz_target!(
    // libfuzzer-sys's panic hook aborts on every panic, even one core
    // catches: rqrr's (see `Rqrr::decode`) is caught there by design. With
    // the default hook back, a panic that escapes core still ends the run
    // as a crash (libfuzzer-sys aborts on it), only with the stack unwound.
    init: {
        let _ = std::panic::take_hook();
    },
    |data: &[u8]| {
        let Some((head, pixels)) = data.split_at_checked(2) else {
            return;
        };
        let width = u32::from(u16::from_le_bytes([head[0], head[1]])) % MAX_SIDE + 1;
        let height = (pixels.len() as u32 / width).min(MAX_SIDE);
        if height == 0 {
            return;
        }
        let pixels = pixels[..(width * height) as usize].to_vec();
        let _ = qr::decode(&qr::Luma::new(width, height, pixels));
    }
);
