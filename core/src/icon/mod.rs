//! Issuer icons: what an entry's `icon` field says, and how it is checked.
//!
//! The field (a string, see `docs/formats/vault.md`) holds one of:
//! - nothing: automatic, the bundled icon its issuer matches
//!   ([`bundled::for_issuer`]), else coloured initials;
//! - `#rrggbb`: initials on that colour;
//! - `si:<slug>`: that icon of the bundled set;
//! - `data:image/png;base64,…`, `data:image/jpeg;base64,…` or
//!   `data:image/svg+xml;base64,…`: the user's own picture, at most
//!   [`MAX_IMAGE_BYTES`].
//!
//! Anything else (an older or newer app's value) is kept verbatim and shown
//! as automatic. Pictures from outside (a file the user picks, an Aegis
//! export) go through [`picture`]: raster images are decoded within bounds
//! and re-encoded as a small PNG, so only pixels travel on; SVG is kept,
//! bounded and without DTDs or scripts (the UI shows it as an `<img>`,
//! where SVG runs no script and loads nothing).

pub mod bundled;

use std::io::Cursor;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

pub use bundled::Bundled;

/// The largest picture kept in an entry, in bytes before base64.
pub const MAX_IMAGE_BYTES: usize = 64 * 1024;
/// Raster pictures are scaled to fit this many pixels a side.
pub const PICTURE_SIDE: u32 = 128;
/// The largest image file read to make a picture of.
const MAX_SOURCE_BYTES: u64 = 8 * 1024 * 1024;
/// The largest image decoded (pixels a side), so that a tiny file that
/// claims to be huge costs nothing.
const MAX_SOURCE_SIDE: u32 = 4096;

/// An image type a picture may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mime {
    /// `image/png`
    Png,
    /// `image/jpeg`
    Jpeg,
    /// `image/svg+xml`
    Svg,
}

impl Mime {
    /// The media type's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Mime::Png => "image/png",
            Mime::Jpeg => "image/jpeg",
            Mime::Svg => "image/svg+xml",
        }
    }

    fn parse(s: &str) -> Option<Mime> {
        match s {
            "image/png" => Some(Mime::Png),
            "image/jpeg" | "image/jpg" => Some(Mime::Jpeg),
            "image/svg+xml" => Some(Mime::Svg),
            _ => None,
        }
    }
}

/// What an entry's icon field says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Icon<'a> {
    /// Automatic (no value, or one this version does not know).
    Automatic,
    /// Initials on this colour (`#rrggbb`).
    Colour(&'a str),
    /// An icon of the bundled set.
    Bundled(&'static Bundled),
    /// The user's own picture: its type and base64 bytes.
    Picture(Mime, &'a str),
}

impl<'a> Icon<'a> {
    /// Reads a stored value; see the module docs.
    pub fn of(stored: Option<&'a str>) -> Icon<'a> {
        let Some(s) = stored else {
            return Icon::Automatic;
        };
        if is_colour(s) {
            return Icon::Colour(s);
        }
        if let Some(slug) = s.strip_prefix("si:") {
            return bundled::get(slug).map_or(Icon::Automatic, Icon::Bundled);
        }
        // Checked on every read, not only when stored: a household member's
        // file reaches the vault by merge, without an edit.
        if let Some((mime, data)) = data_url(s)
            && check_picture(mime, data).is_ok()
        {
            return Icon::Picture(mime, data);
        }
        Icon::Automatic
    }

    /// What to show for an entry of `issuer` whose field says this: the
    /// automatic choice made. `true` with a bundled icon when it was matched
    /// rather than chosen.
    pub fn shown(self, issuer: &str) -> (Icon<'a>, bool) {
        match self {
            Icon::Automatic => match bundled::for_issuer(issuer) {
                Some(b) => (Icon::Bundled(b), true),
                None => (Icon::Automatic, false),
            },
            other => (other, false),
        }
    }

    /// The picture's bytes and type, for an export that wants image bytes
    /// (Aegis): the user's picture, or the bundled glyph as SVG. Initials
    /// have none.
    pub fn image_bytes(&self) -> Option<(Mime, Vec<u8>)> {
        match self {
            Icon::Picture(mime, data) => B64.decode(data).ok().map(|b| (*mime, b)),
            Icon::Bundled(b) => Some((Mime::Svg, b.svg().into_bytes())),
            _ => None,
        }
    }
}

fn is_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

fn data_url(s: &str) -> Option<(Mime, &str)> {
    let rest = s.strip_prefix("data:")?;
    let (head, data) = rest.split_once(',')?;
    let mime = Mime::parse(head.strip_suffix(";base64")?)?;
    Some((mime, data))
}

/// Why a value or picture cannot be an icon.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IconError {
    /// A picture larger than an icon needs.
    #[error(
        "the picture is {size} bytes; an icon may be at most {max} bytes. Choose a smaller image"
    )]
    TooBig {
        /// Its size in bytes.
        size: usize,
        /// The bound.
        max: usize,
    },
    /// Not an image this app reads (PNG, JPEG, GIF, BMP, WebP, TIFF, SVG).
    #[error(
        "this is not an image Authdesk can use as an icon ({reason}). Choose a PNG, JPEG or SVG file"
    )]
    NotImage {
        /// What the decoder said.
        reason: String,
    },
    /// An SVG with parts an icon never needs and an attacker might use.
    #[error(
        "this SVG image holds {}, which an icon may not. Save it as PNG and choose that",
        svg_part(what)
    )]
    SvgRefused {
        /// What was found: `dtd`, `entity`, `script` or `html`.
        what: &'static str,
    },
    /// A bundled icon name this version does not have.
    #[error("there is no bundled icon named “{slug}”")]
    UnknownBundled {
        /// The name asked for.
        slug: String,
    },
    /// A value that is none of the forms an icon field holds.
    #[error("“{value}” is not an icon: use a colour (#1f8a70), a bundled icon or a picture")]
    Unknown {
        /// The value, cut to 40 characters.
        value: String,
    },
    /// The image file could not be read.
    #[error("cannot read the image {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl crate::error::Kind for IconError {
    fn kind(&self) -> &'static str {
        match self {
            IconError::TooBig { .. } => "icon_too_big",
            IconError::NotImage { .. } => "icon_not_image",
            IconError::SvgRefused { .. } => "icon_svg_refused",
            IconError::UnknownBundled { .. } => "icon_unknown",
            IconError::Unknown { .. } => "icon_invalid",
            IconError::Io { .. } => "icon_read_failed",
        }
    }

    fn params(&self) -> crate::error::Params {
        match self {
            IconError::TooBig { size, max } => {
                vec![("size", size.to_string()), ("max", max.to_string())]
            }
            IconError::NotImage { reason } => vec![("reason", reason.clone())],
            IconError::SvgRefused { what } => vec![("what", (*what).to_owned())],
            IconError::UnknownBundled { slug } => vec![("slug", slug.clone())],
            IconError::Unknown { value } => vec![("value", value.clone())],
            IconError::Io { path, source } => {
                vec![("path", path.clone()), ("reason", source.to_string())]
            }
        }
    }
}

/// Checks a value an edit or import would store: one of the forms in the
/// module docs, a picture within bounds and of the type it claims.
pub fn check(value: &str) -> Result<(), IconError> {
    if is_colour(value) {
        return Ok(());
    }
    if let Some(slug) = value.strip_prefix("si:") {
        return bundled::get(slug)
            .map(|_| ())
            .ok_or_else(|| IconError::UnknownBundled {
                slug: slug.chars().take(40).collect(),
            });
    }
    let Some((mime, data)) = data_url(value) else {
        return Err(IconError::Unknown {
            value: value.chars().take(40).collect(),
        });
    };
    check_picture(mime, data)
}

/// A data URL's picture (its type and base64): within the bound, and of
/// the type it names.
fn check_picture(mime: Mime, data: &str) -> Result<(), IconError> {
    if data.len() > MAX_IMAGE_BYTES.div_ceil(3) * 4 {
        return Err(IconError::TooBig {
            size: data.len() / 4 * 3,
            max: MAX_IMAGE_BYTES,
        });
    }
    let bytes = B64.decode(data).map_err(|e| IconError::NotImage {
        reason: format!("its base64 is damaged: {e}"),
    })?;
    match mime {
        Mime::Svg => svg_ok(&bytes),
        Mime::Png if bytes.starts_with(b"\x89PNG\r\n\x1a\n") => Ok(()),
        Mime::Jpeg if bytes.starts_with(&[0xff, 0xd8, 0xff]) => Ok(()),
        _ => Err(IconError::NotImage {
            reason: format!("its bytes are not {}", mime.as_str()),
        }),
    }
}

/// A picture for an entry from image bytes (any format the app reads, or
/// SVG): the value to store. Raster images become a PNG at most
/// [`PICTURE_SIDE`] pixels a side.
pub fn picture(bytes: &[u8]) -> Result<String, IconError> {
    if looks_like_svg(bytes) {
        if bytes.len() > MAX_IMAGE_BYTES {
            return Err(IconError::TooBig {
                size: bytes.len(),
                max: MAX_IMAGE_BYTES,
            });
        }
        svg_ok(bytes)?;
        if let Some(b) = std::str::from_utf8(bytes).ok().and_then(bundled::from_svg) {
            return Ok(format!("si:{}", b.slug));
        }
        return Ok(format!("data:image/svg+xml;base64,{}", B64.encode(bytes)));
    }
    let png = raster_to_png(bytes)?;
    if png.len() > MAX_IMAGE_BYTES {
        return Err(IconError::TooBig {
            size: png.len(),
            max: MAX_IMAGE_BYTES,
        });
    }
    Ok(format!("data:image/png;base64,{}", B64.encode(png)))
}

/// [`picture`] of an image file, read without following it into a FIFO or
/// device and within a bound.
pub fn picture_from_file(path: &Path) -> Result<String, IconError> {
    let bytes = crate::vault::fsio::read_regular(path, MAX_SOURCE_BYTES).map_err(|source| {
        IconError::Io {
            path: crate::error::shown(path),
            source,
        }
    })?;
    picture(&bytes)
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    text.contains("<svg")
}

fn svg_part(what: &str) -> &'static str {
    match what {
        "dtd" => "a document type definition",
        "entity" => "an entity definition",
        "script" => "a script",
        _ => "embedded HTML",
    }
}

fn svg_ok(bytes: &[u8]) -> Result<(), IconError> {
    let text = std::str::from_utf8(bytes).map_err(|_| IconError::NotImage {
        reason: "the SVG is not UTF-8 text".into(),
    })?;
    let lower = text.to_ascii_lowercase();
    if !lower.contains("<svg") {
        return Err(IconError::NotImage {
            reason: "there is no <svg> element".into(),
        });
    }
    // Entities are how an XML file grows a billion times when read; an
    // icon has no use for a DTD, scripts, or HTML inside.
    for (needle, what) in [
        ("<!doctype", "dtd"),
        ("<!entity", "entity"),
        ("<script", "script"),
        ("<foreignobject", "html"),
        ("javascript:", "script"),
    ] {
        if lower.contains(needle) {
            return Err(IconError::SvgRefused { what });
        }
    }
    Ok(())
}

fn raster_to_png(bytes: &[u8]) -> Result<Vec<u8>, IconError> {
    use crate::qr::{Undecoded, decode_bounded};
    let not = |reason: String| IconError::NotImage { reason };
    let img = decode_bounded(bytes, MAX_SOURCE_SIDE, 256 * 1024 * 1024).map_err(|e| match e {
        Undecoded::TooLarge(_) => not(format!(
            "it is larger than {MAX_SOURCE_SIDE}×{MAX_SOURCE_SIDE} pixels"
        )),
        Undecoded::Invalid(reason) => not(reason),
    })?;
    let img = if img.width() > PICTURE_SIDE || img.height() > PICTURE_SIDE {
        img.resize(
            PICTURE_SIDE,
            PICTURE_SIDE,
            image::imageops::FilterType::Triangle,
        )
    } else {
        img
    };
    let mut out = Vec::new();
    img.to_rgba8()
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|e| not(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbaImage::from_pixel(w, h, image::Rgba([200, 30, 30, 255]))
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn stored_values_read_as_their_form_and_unknown_ones_as_automatic() {
        assert_eq!(Icon::of(None), Icon::Automatic);
        assert_eq!(Icon::of(Some("#1f8a70")), Icon::Colour("#1f8a70"));
        assert!(matches!(Icon::of(Some("si:github")), Icon::Bundled(b) if b.title == "GitHub"));
        assert_eq!(Icon::of(Some("si:nope-nothing")), Icon::Automatic);
        assert_eq!(Icon::of(Some("weird")), Icon::Automatic);
        let png = picture(&png(2, 2)).unwrap();
        assert!(matches!(Icon::of(Some(&png)), Icon::Picture(Mime::Png, _)));
        // A picture that fails the checks (not PNG bytes, a DTD) shows as automatic.
        assert_eq!(
            Icon::of(Some("data:image/png;base64,AAAA")),
            Icon::Automatic
        );
        let dtd = format!(
            "data:image/svg+xml;base64,{}",
            B64.encode("<!DOCTYPE x><svg/>")
        );
        assert_eq!(Icon::of(Some(&dtd)), Icon::Automatic);
        assert_eq!(
            Icon::of(Some("data:text/html;base64,AAAA")),
            Icon::Automatic
        );
        let (shown, automatic) = Icon::of(None).shown("GitHub");
        assert!(automatic && matches!(shown, Icon::Bundled(b) if b.slug == "github"));
        assert_eq!(
            Icon::of(Some("#1f8a70")).shown("GitHub"),
            (Icon::Colour("#1f8a70"), false)
        );
    }

    #[test]
    fn a_raster_picture_is_scaled_down_to_a_small_png() {
        let value = picture(&png(600, 300)).unwrap();
        check(&value).unwrap();
        let Icon::Picture(Mime::Png, data) = Icon::of(Some(&value)) else {
            panic!()
        };
        let img = image::load_from_memory(&B64.decode(data).unwrap()).unwrap();
        assert_eq!((img.width(), img.height()), (128, 64));
        let small = picture(&png(16, 16)).unwrap();
        let Icon::Picture(_, data) = Icon::of(Some(&small)) else {
            panic!()
        };
        assert_eq!(
            image::load_from_memory(&B64.decode(data).unwrap())
                .unwrap()
                .width(),
            16
        );
    }

    #[test]
    fn hostile_pictures_are_refused_with_the_reason() {
        let kind = |r: Result<String, IconError>| crate::error::Kind::kind(&r.unwrap_err());
        assert_eq!(kind(picture(b"hello")), "icon_not_image");
        assert_eq!(kind(picture(b"")), "icon_not_image");
        let bomb =
            b"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]><svg>&lol;</svg>";
        assert_eq!(kind(picture(bomb)), "icon_svg_refused");
        assert_eq!(
            kind(picture(b"<svg><script>alert(1)</script></svg>")),
            "icon_svg_refused"
        );
        let mut big = b"<svg xmlns=\"http://www.w3.org/2000/svg\">".to_vec();
        big.resize(MAX_IMAGE_BYTES + 1, b' ');
        assert_eq!(kind(picture(&big)), "icon_too_big");
        // A PNG header claiming 100,000 pixels a side is refused before
        // any pixel memory is taken.
        let mut huge = png(1, 1);
        huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        assert_eq!(kind(picture(&huge)), "icon_not_image");
        let svg = picture(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><path d=\"M0 0h1\"/></svg>")
            .unwrap();
        assert!(svg.starts_with("data:image/svg+xml;base64,"));
    }

    #[test]
    fn check_accepts_the_four_forms_and_refuses_the_rest() {
        let kind = |v: &str| crate::error::Kind::kind(&check(v).unwrap_err());
        check("#AbCdEf").unwrap();
        check("si:github").unwrap();
        check(&picture(&png(4, 4)).unwrap()).unwrap();
        assert_eq!(kind("#12345"), "icon_invalid");
        assert_eq!(kind("si:no-such-brand"), "icon_unknown");
        assert_eq!(kind("data:image/png;base64,aGVsbG8="), "icon_not_image");
        assert_eq!(kind("data:image/png;base64,!!!"), "icon_not_image");
        let big = format!("data:image/png;base64,{}", "A".repeat(MAX_IMAGE_BYTES * 2));
        assert_eq!(kind(&big), "icon_too_big");
        assert_eq!(kind("https://example.com/logo.png"), "icon_invalid");
    }
}
