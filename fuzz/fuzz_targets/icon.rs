//! Icons (core/src/icon/): a picture from outside (`icon::picture`: the SVG
//! checks, or a raster image decoded and re-encoded; inputs whose header
//! says more than 512×512 are skipped as in `qr_image`, since the codecs
//! run the same paths on small pictures), and the same bytes as a stored
//! icon value (`Icon::of`, `check`, the export's bytes) and as an issuer
//! or search text for the bundled set.
#![no_main]

use std::io::Cursor;

use authdesk_core::icon::{self, Icon};
use libfuzzer_sys::fuzz_target;

const MAX_SIDE: u32 = 512;

fuzz_target!(|data: &[u8]| {
    let small = match image::ImageReader::new(Cursor::new(data)).with_guessed_format() {
        Ok(r) if r.format().is_some() => r.into_dimensions().is_ok_and(|(w, h)| w <= MAX_SIDE && h <= MAX_SIDE),
        _ => true,
    };
    if small && let Ok(value) = icon::picture(data) {
        // What core makes, core accepts.
        icon::check(&value).expect("a picture made by core passes its checks");
        assert!(!matches!(Icon::of(Some(&value)), Icon::Automatic));
    }
    let text = String::from_utf8_lossy(data);
    let _ = icon::check(&text);
    let (shown, _) = Icon::of(Some(&text)).shown(&text);
    let _ = shown.image_bytes();
    let _ = icon::bundled::for_issuer(&text);
    let _ = icon::bundled::search(&text, 24);
    let _ = icon::bundled::from_svg(&text);
});
