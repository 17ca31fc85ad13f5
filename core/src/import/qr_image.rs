//! A picture of QR codes: Google Authenticator's "Transfer accounts" codes
//! photographed or screenshotted, or a portal's `otpauth://` code saved as
//! an image. Decoded with [`crate::qr`], then read as a list of links
//! ([`super::text`]).
//!
//! Lost in conversion: QR codes that are not authenticator links (a Wi-Fi
//! code, a web address) are ignored; a picture holding only such codes says
//! what it found instead.

use secrecy::SecretString;

use super::text::UriList;
use super::{Detected, Format, ImportError, Imported, Importer, Probe};

pub struct QrImage;

const APP: &str = "QR code picture";

fn is_image(b: &[u8]) -> bool {
    b.starts_with(b"\x89PNG\r\n\x1a\n")
        || b.starts_with(b"\xFF\xD8\xFF")
        || b.starts_with(b"GIF87a")
        || b.starts_with(b"GIF89a")
        || (b.len() > 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WEBP")
        || b.starts_with(b"II*\0")
        || b.starts_with(b"MM\0*")
        // BMP: "BM" and a plausible header size, so a text file starting
        // with "BM" is not taken for a picture.
        || (b.len() > 18 && b.starts_with(b"BM") && matches!(b[14], 12 | 40 | 52 | 56 | 64 | 108 | 124))
}

impl Importer for QrImage {
    fn format(&self) -> Format {
        Format::plain("qr-image", APP)
    }
    fn recognise(&self, file: &Probe) -> Option<Detected> {
        let bytes = file.bytes;
        is_image(bytes).then_some(Detected { encrypted: false })
    }
    fn parse(&self, bytes: &[u8], _: Option<&SecretString>) -> Result<Imported, ImportError> {
        let texts = crate::qr::scan_bytes(bytes, "the picture")
            .map_err(|e| ImportError::corrupt(APP, e.to_string()))?;
        if texts.is_empty() {
            return Err(ImportError::NoOtpData {
                app: APP,
                detail: "no QR code found in it".into(),
            });
        }
        let joined = texts.join("\n");
        UriList.parse(joined.as_bytes(), None).map_err(|e| match e {
            ImportError::NoOtpData { .. } => ImportError::NoOtpData {
                app: APP,
                detail: format!(
                    "its QR codes hold no authenticator link, only: {}",
                    texts
                        .iter()
                        .map(|t| t.chars().take(60).collect::<String>())
                        .collect::<Vec<_>>()
                        .join(" · ")
                ),
            },
            other => other,
        })
    }
}
