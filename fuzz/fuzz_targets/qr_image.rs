//! QR pictures (core/src/qr.rs).
//!
//! - Input in an image format: `qr::scan_bytes` (load, grayscale, both
//!   decoders), if the header's dimensions are at most 1024×1024 (checked
//!   first with the image crate; core itself allows 16384×16384).
//! - Any other input is raw grayscale pixels (two bytes of width, then
//!   the pixels, height from the length) for `qr::decode`: the decoders
//!   without the image codecs in front.
#![no_main]

use std::io::Cursor;

use authdesk_core::qr;
use libfuzzer_sys::fuzz_target;

const MAX_SIDE: u32 = 1024;

fuzz_target!(|data: &[u8]| {
    let reader = image::ImageReader::new(Cursor::new(data)).with_guessed_format();
    if let Ok(reader) = reader
        && reader.format().is_some()
    {
        if let Ok((w, h)) = reader.into_dimensions()
            && w <= MAX_SIDE
            && h <= MAX_SIDE
        {
            let _ = qr::scan_bytes(data, "fuzz");
        }
        return;
    }
    let Some((head, pixels)) = data.split_at_checked(2) else {
        return;
    };
    let width = u32::from(u16::from_le_bytes([head[0], head[1]]) % 1024) + 1;
    let height = pixels.len() as u32 / width;
    if height == 0 || height > MAX_SIDE {
        return;
    }
    let pixels = pixels[..(width * height) as usize].to_vec();
    let _ = qr::decode(&qr::Luma::new(width, height, pixels));
});
