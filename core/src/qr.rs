//! QR codes in images: screenshots of a portal's set-up page, photos,
//! exported QR images.
//!
//! Two decoders sit behind one [`Decoder`] trait: rxing's port of
//! zxing-cpp's QR reader (one linear pass over the finder patterns,
//! mirrored codes included) and rqrr (quirc's algorithm). rxing runs first:
//! rqrr's grouping step copies the whole image for every candidate triple
//! of finder patterns, which on noisy photos takes minutes, so it only gets
//! small images that rxing could not read.
//!
//! rxing runs in try-harder mode, also on the inverted image (dark mode),
//! on a 2× downscale of large screenshots (blurry HiDPI codes read better
//! there) and at full resolution (1-px modules); the results are merged,
//! each text reported once, and a code lying inside another code's area is
//! dropped as decoration.

use std::io::Cursor;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use image::{DynamicImage, ImageReader, Limits};
use rxing::common::HybridBinarizer;
use rxing::multi::MultipleBarcodeReader;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource};
use thiserror::Error;

/// Larger than any screen: 8K is 7680×4320.
pub const MAX_SIDE: u32 = 16_384;
/// Decoded pixels may not need more memory than this.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;
/// The largest image file read from disk, in bytes.
pub const MAX_IMAGE_FILE: u64 = 256 * 1024 * 1024;
/// Above this long side a 2× downscale is tried first.
const DOWNSCALE_ABOVE: u32 = 2000;
/// rqrr only sees images up to this many pixels (see the module doc).
const RQRR_MAX_PIXELS: u64 = 1_200_000;

/// Why an image could not be scanned. An image that holds no QR code is
/// not an error: it yields an empty list.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum QrError {
    /// The image file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The label the image was given: a path, or "the clipboard" and the
        /// like.
        path: String,
        /// The read error.
        source: std::io::Error,
    },
    /// The image has no bytes.
    #[error("{path} is empty")]
    Empty {
        /// The label the image was given: a path, or "the clipboard" and the
        /// like.
        path: String,
    },
    /// The bytes are no image format Authdesk decodes, or the image is damaged.
    #[error(
        "{path} is not an image Authdesk can read ({reason}); use PNG, JPEG, GIF, BMP, WebP or TIFF"
    )]
    InvalidImage {
        /// The label the image was given: a path, or "the clipboard" and the
        /// like.
        path: String,
        /// The decoder's reason.
        reason: String,
    },
    /// Decoding would pass [`MAX_SIDE`] pixels a side, or need more than
    /// 512 MiB.
    #[error("{path} is too large to scan ({reason})")]
    TooLarge {
        /// The label the image was given: a path, or "the clipboard" and the
        /// like.
        path: String,
        /// The limit hit, for the message.
        reason: String,
    },
}

impl crate::error::Kind for QrError {
    fn kind(&self) -> &'static str {
        match self {
            QrError::Io { .. } => "image_io",
            QrError::Empty { .. } => "empty_image",
            QrError::InvalidImage { .. } => "invalid_image",
            QrError::TooLarge { .. } => "image_too_large",
        }
    }

    fn params(&self) -> crate::error::Params {
        match self {
            QrError::Io { path, source } => {
                vec![("name", path.clone()), ("reason", source.to_string())]
            }
            QrError::Empty { path } => vec![("name", path.clone())],
            QrError::InvalidImage { path, reason } | QrError::TooLarge { path, reason } => {
                vec![("name", path.clone()), ("reason", reason.clone())]
            }
        }
    }
}

/// An 8-bit grayscale image, row-major.
#[derive(Clone, PartialEq, Eq)]
pub struct Luma {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// One grey level per pixel (0 black, 255 white), `width × height` of them,
    /// row by row from the top.
    pub pixels: Vec<u8>,
}

impl std::fmt::Debug for Luma {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Luma({}x{})", self.width, self.height)
    }
}

impl Luma {
    /// An image from its pixels. Panics unless `pixels.len()` is
    /// `width × height`.
    pub fn new(width: u32, height: u32, pixels: Vec<u8>) -> Self {
        assert_eq!(pixels.len() as u64, u64::from(width) * u64::from(height));
        Self {
            width,
            height,
            pixels,
        }
    }

    fn pixel_count(&self) -> u64 {
        u64::from(self.width) * u64::from(self.height)
    }

    /// Transparent pixels count as white: exported QR PNGs often have a
    /// transparent background whose colour channels are black.
    pub fn from_rgba(rgba: &image::RgbaImage) -> Luma {
        let pixels = rgba
            .pixels()
            .map(|p| {
                let [r, g, b, a] = p.0;
                let (y, a) = (u32::from(luma(r, g, b)), u32::from(a));
                ((y * a + 255 * (255 - a)) / 255) as u8
            })
            .collect();
        Luma::new(rgba.width(), rgba.height(), pixels)
    }

    /// Halves both sides by averaging 2×2 blocks.
    pub fn half(&self) -> Luma {
        let (w, h) = (self.width as usize / 2, self.height as usize / 2);
        let src_w = self.width as usize;
        let mut out = Vec::with_capacity(w * h);
        for y in 0..h {
            let top = &self.pixels[2 * y * src_w..2 * y * src_w + 2 * w];
            let bottom = &self.pixels[(2 * y + 1) * src_w..(2 * y + 1) * src_w + 2 * w];
            for (t, b) in top.chunks_exact(2).zip(bottom.chunks_exact(2)) {
                let sum = u16::from(t[0]) + u16::from(t[1]) + u16::from(b[0]) + u16::from(b[1]);
                out.push(((sum + 2) / 4) as u8);
            }
        }
        Luma::new(w as u32, h as u32, out)
    }

    /// The negative (dark and light swapped), for light-on-dark codes.
    pub fn inverted(&self) -> Luma {
        Luma::new(
            self.width,
            self.height,
            self.pixels.iter().map(|p| 255 - p).collect(),
        )
    }
}

/// The grey level of an opaque colour (ITU-R BT.601 weights).
pub fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u8
}

/// A code found in an image: its text and where it is (axis-aligned
/// bounds in the pixels of the image it was found in).
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The text the code holds.
    pub text: String,
    /// `[left, top, right, bottom]` in pixels.
    pub bounds: [f32; 4],
}

impl Found {
    fn new(text: String, points: impl IntoIterator<Item = (f32, f32)>) -> Found {
        let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
        for (x, y) in points {
            b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
        Found { text, bounds: b }
    }

    fn scaled(mut self, factor: f32) -> Found {
        for v in &mut self.bounds {
            *v *= factor;
        }
        self
    }

    /// Whether this code lies within `other`'s area (a few pixels of slack).
    fn inside(&self, other: &Found) -> bool {
        let slack = 4.0;
        self.bounds[0] >= other.bounds[0] - slack
            && self.bounds[1] >= other.bounds[1] - slack
            && self.bounds[2] <= other.bounds[2] + slack
            && self.bounds[3] <= other.bounds[3] + slack
            && (self.bounds[2] - self.bounds[0]) < (other.bounds[2] - other.bounds[0])
    }
}

/// One way of finding QR codes in a grayscale image.
pub trait Decoder {
    /// A short name (`"rxing"`, `"rqrr"`), to tell decoders' results apart.
    fn name(&self) -> &'static str;
    /// The codes found; empty when there are none.
    fn decode(&self, image: &Luma) -> Vec<Found>;
}

/// rxing's QR reader (a port of zxing-cpp's).
pub struct Rxing {
    /// zxing's try-harder mode: slower, but reads codes that are small, blurred
    /// or rotated.
    pub try_harder: bool,
    /// Also look for light-on-dark codes.
    pub inverted: bool,
}

impl Decoder for Rxing {
    fn name(&self) -> &'static str {
        "rxing"
    }

    fn decode(&self, image: &Luma) -> Vec<Found> {
        let Ok(source) = Luma8LuminanceSource::new(image.pixels.clone(), image.width, image.height)
        else {
            return Vec::new();
        };
        let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
        let hints = DecodeHints {
            TryHarder: Some(self.try_harder),
            PossibleFormats: Some([BarcodeFormat::QR_CODE].into_iter().collect()),
            ..Default::default()
        };
        let mut reader = rxing::qrcode::cpp_port::QrReader;
        let found = |reader: &mut rxing::qrcode::cpp_port::QrReader,
                     bitmap: &mut BinaryBitmap<_>| {
            reader
                .decode_multiple_with_hints(bitmap, &hints)
                .unwrap_or_default()
                .iter()
                .map(|r| {
                    Found::new(
                        r.getText().to_owned(),
                        r.getPoints().iter().map(|p| (p.x, p.y)),
                    )
                })
                .collect::<Vec<_>>()
        };
        let mut codes = found(&mut reader, &mut bitmap);
        if self.inverted && codes.is_empty() {
            bitmap.invert();
            codes = found(&mut reader, &mut bitmap);
        }
        codes
    }
}

/// rqrr (quirc's algorithm in Rust).
pub struct Rqrr;

impl Decoder for Rqrr {
    fn name(&self) -> &'static str {
        "rqrr"
    }

    /// Two findings of the qr_decode fuzz target shape this. rqrr 0.11
    /// panics on some pixel patterns ("rotated perspective can't fail"):
    /// caught, the picture yields nothing from rqrr. And its alignment
    /// search can spiral for seconds over a crafted 64×64 picture (longer on
    /// larger ones), with no way to stop it: it runs on its own thread, the
    /// scan waits at most [`RQRR_DEADLINE`] for it, and while an abandoned
    /// run goes on no other scan starts one, so a hostile picture holds at
    /// most one core and never the scan.
    fn decode(&self, image: &Luma) -> Vec<Found> {
        if RQRR_BUSY.swap(true, Ordering::AcqRel) {
            return Vec::new();
        }
        let (tx, rx) = mpsc::channel();
        let image = image.clone();
        let started = std::thread::Builder::new()
            .name("rqrr".into())
            .spawn(move || {
                let found =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rqrr_decode(&image)))
                        .unwrap_or_default();
                RQRR_BUSY.store(false, Ordering::Release);
                let _ = tx.send(found);
            });
        if started.is_err() {
            RQRR_BUSY.store(false, Ordering::Release);
            return Vec::new();
        }
        rx.recv_timeout(RQRR_DEADLINE).unwrap_or_default()
    }
}

/// How long a scan waits for rqrr (see [`Rqrr::decode`]); on real
/// pictures it answers in milliseconds.
pub const RQRR_DEADLINE: Duration = Duration::from_secs(3);
static RQRR_BUSY: AtomicBool = AtomicBool::new(false);

fn rqrr_decode(image: &Luma) -> Vec<Found> {
    let w = image.width as usize;
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(w, image.height as usize, |x, y| {
            image.pixels[y * w + x]
        });
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|g| {
            let bounds = g.bounds.map(|p| (p.x as f32, p.y as f32));
            g.decode().ok().map(|(_, text)| Found::new(text, bounds))
        })
        .collect()
}

fn push_unique(found: &mut Vec<Found>, codes: Vec<Found>) {
    for c in codes {
        if !c.text.is_empty() && !found.iter().any(|f| f.text == c.text) {
            found.push(c);
        }
    }
}

/// Every QR code in `image`, each text once, in the order found.
pub fn decode(image: &Luma) -> Vec<String> {
    // rxing takes milliseconds even on 8 megapixels, so for pictures both
    // scales always run: the half-size copy reads blurry HiDPI codes, full
    // size the finest.
    decode_scales(image, true)
}

/// Every QR code on a captured screen. A large frame is read at half size
/// first and at full size only when that found nothing: a browser draws a
/// portal's code crisply, with modules of 2 px and more on the 4K screens
/// that get halved, so the full-size pass would mostly repeat the work. A
/// frame where the half-size pass found nothing still gets it.
pub fn decode_screen(image: &Luma) -> Vec<String> {
    decode_scales(image, false)
}

fn decode_scales(image: &Luma, full_always: bool) -> Vec<String> {
    let reader = Rxing {
        try_harder: true,
        inverted: true,
    };
    let mut found = Vec::new();
    let small = (image.width.max(image.height) > DOWNSCALE_ABOVE).then(|| image.half());
    if let Some(small) = &small {
        push_unique(
            &mut found,
            reader
                .decode(small)
                .into_iter()
                .map(|f| f.scaled(2.0))
                .collect(),
        );
    }
    if full_always || found.is_empty() {
        push_unique(&mut found, reader.decode(image));
    }
    if found.is_empty() {
        let (input, factor) = match &small {
            Some(s) if s.pixel_count() <= RQRR_MAX_PIXELS => (Some(s), 2.0),
            _ if image.pixel_count() <= RQRR_MAX_PIXELS => (Some(image), 1.0),
            _ => (None, 1.0),
        };
        if let Some(img) = input {
            let mut codes = Rqrr.decode(img);
            if codes.is_empty() {
                codes = Rqrr.decode(&img.inverted());
            }
            push_unique(
                &mut found,
                codes.into_iter().map(|f| f.scaled(factor)).collect(),
            );
        }
    }
    // A code drawn inside another one's area is decoration (e.g. "double
    // QR" art), never a second account: keep the outer one.
    let nested: Vec<bool> = found
        .iter()
        .map(|f| found.iter().any(|o| !std::ptr::eq(f, o) && f.inside(o)))
        .collect();
    found
        .into_iter()
        .zip(nested)
        .filter(|(_, n)| !n)
        .map(|(f, _)| f.text)
        .collect()
}

/// Decodes image file bytes (any supported format) into grayscale.
/// `label` names the image in errors (a path, "the clipboard", …).
pub fn load(bytes: &[u8], label: &str) -> Result<Luma, QrError> {
    if bytes.is_empty() {
        return Err(QrError::Empty {
            path: label.to_owned(),
        });
    }
    let image = decode_bounded(bytes, MAX_SIDE, MAX_ALLOC).map_err(|e| match e {
        Undecoded::TooLarge(l) => QrError::TooLarge {
            path: label.to_owned(),
            reason: format!("{l}; the limit is {MAX_SIDE}×{MAX_SIDE} pixels"),
        },
        Undecoded::Invalid(reason) => QrError::InvalidImage {
            path: label.to_owned(),
            reason,
        },
    })?;
    Ok(to_luma(image))
}

/// Why [`decode_bounded`] gave no picture.
pub(crate) enum Undecoded {
    /// Over the bounds (what the decoder said).
    TooLarge(String),
    /// Not a known format, or damaged (what the decoder said).
    Invalid(String),
}

/// Image bytes of any format this build reads, decoded only if their
/// header keeps within `max_side` pixels a side and `max_alloc` bytes: the
/// one decoding path of pictures from outside (QR scans, icons).
pub(crate) fn decode_bounded(
    bytes: &[u8],
    max_side: u32,
    max_alloc: u64,
) -> Result<DynamicImage, Undecoded> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Undecoded::Invalid(e.to_string()))?;
    if reader.format().is_none() {
        return Err(Undecoded::Invalid(
            "its contents are not a known image format".into(),
        ));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(max_side);
    limits.max_image_height = Some(max_side);
    limits.max_alloc = Some(max_alloc);
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(l) => Undecoded::TooLarge(l.to_string()),
        other => Undecoded::Invalid(other.to_string()),
    })
}

fn to_luma(image: DynamicImage) -> Luma {
    if image.color().has_alpha() {
        Luma::from_rgba(&image.to_rgba8())
    } else {
        let (w, h) = (image.width(), image.height());
        Luma::new(w, h, image.into_luma8().into_raw())
    }
}

/// Every QR code in the image bytes.
pub fn scan_bytes(bytes: &[u8], label: &str) -> Result<Vec<String>, QrError> {
    Ok(decode(&load(bytes, label)?))
}

/// Every QR code in the image file at `path`.
pub fn scan_file(path: &Path) -> Result<Vec<String>, QrError> {
    let label = path.display().to_string();
    // A screenshot of several 4K monitors as PNG is tens of MB; more is
    // not an image anyone scans.
    let bytes =
        crate::vault::fsio::read_regular(path, MAX_IMAGE_FILE).map_err(|source| QrError::Io {
            path: label.clone(),
            source,
        })?;
    scan_bytes(&bytes, &label)
}
