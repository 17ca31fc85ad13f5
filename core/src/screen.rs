//! Screen capture for "Scan screen": the QR code a portal shows in the
//! browser on this same laptop.
//!
//! - Windows, macOS: every monitor through `xcap`, at its physical
//!   resolution (HiDPI screens are captured in device pixels, which is what
//!   the decoder wants).
//! - X11: the root window, which spans every monitor, in one `GetImage`
//!   through `x11rb` (the X client arboard already brings), into shared
//!   memory (MIT-SHM) where the server offers it. xcap's X11 path
//!   opens a connection per call and failed about half its captures under
//!   Xvfb with "Connection error"; it also pulls in PipeWire for video we
//!   never record.
//! - Wayland: applications may not read the screen themselves; the desktop
//!   takes the screenshot for us through the xdg-desktop-portal Screenshot
//!   interface (`ashpd`), which may ask the user first. The portal writes
//!   the picture to a file: it holds a secret, so we delete it once read.
//!
//! Only in builds with the `screen` feature (the CLI and the app); the rest
//! of the core stays free of display libraries.

use thiserror::Error;

use crate::qr::{self, Luma};

mod desktop;
pub use desktop::{Desktop, portal_packages};

/// One captured monitor, in grey: all the decoder reads.
#[derive(Debug)]
pub struct Shot {
    /// "screen 1 (HDMI-1)": how messages name it.
    pub label: String,
    /// The picture in grey, in device pixels (a HiDPI screen at its physical
    /// resolution).
    pub image: Luma,
}

/// Why the screen could not be captured; the messages suggest scanning an
/// image file instead.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum CaptureError {
    /// No display to capture: no desktop session, no X server, or no monitor
    /// found.
    #[error(
        "there is no screen to capture ({reason}); run Authdesk inside your desktop session, or scan an image file instead"
    )]
    NoDisplay {
        /// What the display connection or the capture library said.
        reason: String,
    },
    /// Wayland: the user or the desktop refused the portal's screenshot.
    #[error(
        "the screenshot was refused (by you or by the desktop); allow Authdesk to take screenshots when asked, or scan an image file instead"
    )]
    Refused,
    /// Wayland: the desktop has no screenshot portal (xdg-desktop-portal, or
    /// its backend, is missing).
    #[error(
        "this Wayland desktop offers no screenshot portal ({reason}); install {}, or scan an image file instead",
        portal_packages(*desktop)
    )]
    NoPortal {
        /// What the portal call said.
        reason: String,
        /// The desktop, which says which packages give it the portal.
        desktop: Desktop,
    },
    /// macOS: Authdesk lacks the Screen Recording permission.
    #[error(
        "Authdesk may not record the screen: open System Settings → Privacy & Security → Screen Recording, allow Authdesk, quit and reopen it"
    )]
    PermissionDenied,
    /// A display was there, but capturing it failed (an X or portal error,
    /// an image format not handled, a picture that could not be read).
    #[error("capturing {what} failed: {reason}")]
    Failed {
        /// What was being captured, such as "the screen" or "screen 2
        /// (HDMI-1)".
        what: String,
        /// What went wrong, for the message.
        reason: String,
    },
}

impl crate::error::Kind for CaptureError {
    fn kind(&self) -> &'static str {
        match self {
            CaptureError::NoDisplay { .. } => "no_display",
            CaptureError::Refused => "capture_refused",
            CaptureError::NoPortal { .. } => "no_portal",
            CaptureError::PermissionDenied => "capture_permission",
            CaptureError::Failed { .. } => "capture_failed",
        }
    }

    fn params(&self) -> crate::error::Params {
        match self {
            CaptureError::NoDisplay { reason } => vec![("reason", reason.clone())],
            CaptureError::NoPortal { reason, desktop } => {
                vec![
                    ("reason", reason.clone()),
                    ("desktop", desktop.as_str().to_owned()),
                ]
            }
            CaptureError::Failed { what, reason } => {
                vec![("what", what.clone()), ("reason", reason.clone())]
            }
            CaptureError::Refused | CaptureError::PermissionDenied => vec![],
        }
    }
}

/// Every monitor, as pictures.
pub fn capture() -> Result<Vec<Shot>, CaptureError> {
    #[cfg(target_os = "linux")]
    {
        if crate::display::is_wayland() {
            portal::capture()
        } else {
            x11::capture()
        }
    }
    #[cfg(not(target_os = "linux"))]
    capture_monitors()
}

#[cfg(not(target_os = "linux"))]
fn capture_monitors() -> Result<Vec<Shot>, CaptureError> {
    let monitors = xcap::Monitor::all().map_err(|e| no_display(e.to_string()))?;
    if monitors.is_empty() {
        return Err(no_display("no monitor found".into()));
    }
    let many = monitors.len() > 1;
    let mut shots = Vec::with_capacity(monitors.len());
    for (i, m) in monitors.iter().enumerate() {
        let name = m.name().unwrap_or_default();
        let label = match (many, name.is_empty()) {
            (false, _) => "the screen".to_owned(),
            (true, true) => format!("screen {}", i + 1),
            (true, false) => format!("screen {} ({name})", i + 1),
        };
        let image = m.capture_image().map_err(|e| denied_or(&label, e))?;
        shots.push(Shot {
            image: Luma::from_rgba(&image),
            label,
        });
    }
    Ok(shots)
}

fn no_display(reason: String) -> CaptureError {
    CaptureError::NoDisplay { reason }
}

#[cfg(target_os = "macos")]
fn denied_or(_what: &str, _e: xcap::XCapError) -> CaptureError {
    // Without the Screen Recording permission macOS refuses the capture.
    CaptureError::PermissionDenied
}

#[cfg(all(not(target_os = "macos"), not(target_os = "linux")))]
fn denied_or(what: &str, e: xcap::XCapError) -> CaptureError {
    CaptureError::Failed {
        what: what.to_owned(),
        reason: e.to_string(),
    }
}

#[cfg(target_os = "linux")]
mod x11 {
    use std::fs::File;
    use std::os::fd::OwnedFd;
    use std::os::unix::fs::FileExt;

    use x11rb::connection::Connection;
    use x11rb::protocol::shm::ConnectionExt as _;
    use x11rb::protocol::xproto::{ConnectionExt, ImageFormat, ImageOrder, Visualtype, Window};
    use x11rb::rust_connection::RustConnection;

    use super::{CaptureError, Shot, no_display};
    use crate::qr::{Luma, luma};

    pub fn capture() -> Result<Vec<Shot>, CaptureError> {
        let (conn, screen_num) = x11rb::connect(None).map_err(|e| no_display(e.to_string()))?;
        let setup = conn.setup();
        let screen = &setup.roots[screen_num];
        let (w, h) = (screen.width_in_pixels, screen.height_in_pixels);
        // Through shared memory a 4K frame skips 33 MB of socket traffic;
        // a remote or sandboxed server refuses it, and GetImage still works.
        let (depth, data) = match shared_image(&conn, screen.root, w, h) {
            Some(image) => image,
            None => {
                let reply = conn
                    .get_image(ImageFormat::Z_PIXMAP, screen.root, 0, 0, w, h, !0)
                    .map_err(|e| failed(e.to_string()))?
                    .reply()
                    .map_err(|e| failed(e.to_string()))?;
                (reply.depth, reply.data)
            }
        };
        let format = setup
            .pixmap_formats
            .iter()
            .find(|f| f.depth == depth)
            .ok_or_else(|| failed(format!("no pixmap format for depth {depth}")))?;
        let visual = screen
            .allowed_depths
            .iter()
            .flat_map(|d| &d.visuals)
            .find(|v| v.visual_id == screen.root_visual)
            .ok_or_else(|| failed("the root visual is not listed".into()))?;
        let image = to_luma(
            &data,
            (u32::from(w), u32::from(h)),
            (format.bits_per_pixel, format.scanline_pad),
            setup.image_byte_order == ImageOrder::MSB_FIRST,
            visual,
        )?;
        Ok(vec![Shot {
            label: "the screen".into(),
            image,
        }])
    }

    /// The root window through MIT-SHM 1.2 (a memfd handed to the server),
    /// or None wherever that is not on offer.
    fn shared_image(conn: &RustConnection, root: Window, w: u16, h: u16) -> Option<(u8, Vec<u8>)> {
        let version = conn.shm_query_version().ok()?.reply().ok()?;
        if (version.major_version, version.minor_version) < (1, 2) {
            return None;
        }
        // Four bytes a pixel: the most of any depth to_luma reads.
        let size = u64::from(w) * u64::from(h) * 4;
        let memory = File::from(
            rustix::fs::memfd_create("authdesk-screen", rustix::fs::MemfdFlags::CLOEXEC).ok()?,
        );
        memory.set_len(size).ok()?;
        let segment = conn.generate_id().ok()?;
        let server_copy = OwnedFd::from(memory.try_clone().ok()?);
        conn.shm_attach_fd(segment, server_copy, false)
            .ok()?
            .check()
            .ok()?;
        let reply = conn
            .shm_get_image(
                root,
                0,
                0,
                w,
                h,
                !0,
                ImageFormat::Z_PIXMAP.into(),
                segment,
                0,
            )
            .ok()
            .and_then(|c| c.reply().ok());
        // Detached either way: the server lets go of the memory.
        let _ = conn.shm_detach(segment).map(|c| c.ignore_error());
        let reply = reply?;
        let len = usize::try_from(reply.size).ok()?;
        if len as u64 > size {
            return None;
        }
        let mut data = vec![0; len];
        memory.read_exact_at(&mut data, 0).ok()?;
        Some((reply.depth, data))
    }

    /// A Z-pixmap in the root visual's layout → grey.
    pub(super) fn to_luma(
        data: &[u8],
        (w, h): (u32, u32),
        (bpp, pad): (u8, u8),
        msb_first: bool,
        visual: &Visualtype,
    ) -> Result<Luma, CaptureError> {
        if !matches!(bpp, 16 | 24 | 32) {
            return Err(failed(format!("{bpp} bits per pixel is not supported")));
        }
        let bytes = usize::from(bpp / 8);
        let pad = u32::from(pad.max(8));
        let stride = ((w * u32::from(bpp)).div_ceil(pad) * pad / 8) as usize;
        let (w, h) = (w as usize, h as usize);
        if data.len() < stride * h {
            return Err(failed("the X server sent a short image".into()));
        }
        let mut out = Vec::with_capacity(w * h);
        let rows = data.chunks(stride).take(h).map(|row| &row[..w * bytes]);
        let masks = [visual.red_mask, visual.green_mask, visual.blue_mask];
        if let [Some(r), Some(g), Some(b)] = masks.map(|m| byte_of(m, bpp, msb_first)) {
            // The usual 8-bit channels in 32-bit pixels: one byte each,
            // read in place (8 megapixels at 4K).
            for row in rows {
                out.extend(row.chunks_exact(4).map(|px| luma(px[r], px[g], px[b])));
            }
        } else {
            let channel = |mask: u32, pixel: u32| -> u8 {
                if mask == 0 {
                    return 0;
                }
                let v = (pixel & mask) >> mask.trailing_zeros();
                let max = mask >> mask.trailing_zeros();
                (v * 255 / max) as u8
            };
            for row in rows {
                out.extend(row.chunks_exact(bytes).map(|px| {
                    let pixel = if msb_first {
                        px.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
                    } else {
                        px.iter()
                            .rev()
                            .fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
                    };
                    let [r, g, b] = masks.map(|m| channel(m, pixel));
                    luma(r, g, b)
                }));
            }
        }
        Ok(Luma::new(w as u32, h as u32, out))
    }

    /// Where a channel of 8 bits on a byte boundary of a 32-bit pixel sits.
    fn byte_of(mask: u32, bpp: u8, msb_first: bool) -> Option<usize> {
        let shift = mask.trailing_zeros();
        if bpp != 32 || mask == 0 || !shift.is_multiple_of(8) || mask >> shift != 0xff {
            return None;
        }
        let lsb = (shift / 8) as usize;
        Some(if msb_first { 3 - lsb } else { lsb })
    }

    fn failed(reason: String) -> CaptureError {
        CaptureError::Failed {
            what: "the screen".into(),
            reason,
        }
    }
}

#[cfg(target_os = "linux")]
mod portal {
    use ashpd::desktop::ResponseError;
    use ashpd::desktop::screenshot::Screenshot;

    use super::{CaptureError, Shot};

    /// How long the portal may take: a desktop may first ask the user
    /// whether Authdesk may take screenshots, and our window is hidden all
    /// the while, so a portal that never answers must not keep it hidden.
    const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(120);

    /// ashpd keeps one D-Bus connection for the whole process, and zbus
    /// runs it on the runtime that opened it: a runtime per request left
    /// the second scan waiting forever on a connection whose runtime was
    /// gone (a Wayland user's second "Scan screen" never came back). One
    /// runtime lives as long as the connection does.
    fn runtime() -> Result<&'static tokio::runtime::Runtime, CaptureError> {
        static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
        if let Some(rt) = RUNTIME.get() {
            return Ok(rt);
        }
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("authdesk-portal")
            .enable_all()
            .build()
            .map_err(|e| failed(e.to_string()))?;
        Ok(RUNTIME.get_or_init(|| rt))
    }

    pub fn capture() -> Result<Vec<Shot>, CaptureError> {
        let rt = runtime()?;
        // Its own thread: block_on may not run inside another runtime (the
        // app calls this from its own).
        let uri = std::thread::scope(|s| {
            s.spawn(|| {
                rt.block_on(async {
                    tokio::time::timeout(ANSWER_WITHIN, request())
                        .await
                        .unwrap_or_else(|_| {
                            Err(failed(format!(
                                "the screenshot portal did not answer within {} s",
                                ANSWER_WITHIN.as_secs()
                            )))
                        })
                })
            })
            .join()
            .unwrap_or_else(|_| Err(failed("the portal request panicked".into())))
        })?;
        let path = file_path(uri.as_str())
            .ok_or_else(|| failed(format!("the portal returned {uri}, not a file")))?;
        let read = std::fs::read(&path);
        // The picture may show a secret: it must not stay in ~/Pictures.
        let _ = std::fs::remove_file(&path);
        let bytes = read.map_err(|e| failed(format!("{}: {e}", path.display())))?;
        let image = crate::qr::load(&bytes, &path.display().to_string())
            .map_err(|e| failed(e.to_string()))?;
        Ok(vec![Shot {
            label: "the screen".into(),
            image,
        }])
    }

    async fn request() -> Result<ashpd::Uri, CaptureError> {
        let request = Screenshot::request()
            .interactive(false)
            .modal(true)
            .send()
            .await
            .map_err(no_portal)?;
        match request.response() {
            Ok(shot) => Ok(shot.uri().clone()),
            Err(ashpd::Error::Response(ResponseError::Cancelled)) => Err(CaptureError::Refused),
            Err(ashpd::Error::Response(ResponseError::Other)) => Err(CaptureError::Refused),
            Err(e) => Err(failed(e.to_string())),
        }
    }

    /// What a portal call's failure to start means: no portal (ashpd's
    /// `PortalNotFound` when xdg-desktop-portal has no Screenshot frontend,
    /// or D-Bus finding no portal service at all), else a failed capture.
    pub(super) fn no_portal(e: ashpd::Error) -> CaptureError {
        let reason = match e {
            ashpd::Error::PortalNotFound(interface) => {
                format!("no portal implements {interface}")
            }
            ashpd::Error::Portal(p) => p.to_string(),
            ashpd::Error::Zbus(z) => z.to_string(),
            other => return failed(other.to_string()),
        };
        CaptureError::NoPortal {
            reason,
            desktop: super::Desktop::current(),
        }
    }

    /// `file:///home/a/Pictures/Screenshot%20from%20….png` → a path.
    pub(super) fn file_path(uri: &str) -> Option<std::path::PathBuf> {
        use std::os::unix::ffi::OsStringExt;
        let rest = uri.strip_prefix("file://")?;
        // Only local files: "file://host/…" names another machine.
        let path = rest.strip_prefix("localhost").unwrap_or(rest);
        if !path.starts_with('/') {
            return None;
        }
        let bytes: Vec<u8> = percent_encoding::percent_decode_str(path).collect();
        Some(std::ffi::OsString::from_vec(bytes).into())
    }

    fn failed(reason: String) -> CaptureError {
        CaptureError::Failed {
            what: "the screen".into(),
            reason,
        }
    }
}

/// What one monitor showed.
#[derive(Debug)]
pub struct ScreenTexts {
    /// How messages name the monitor (see [`Shot::label`]).
    pub label: String,
    /// The text of every QR code found on it, each once; empty when there is
    /// none.
    pub texts: Vec<String>,
}

/// Captures every monitor and decodes every QR code on it.
pub fn scan() -> Result<Vec<ScreenTexts>, CaptureError> {
    Ok(capture()?
        .into_iter()
        .map(|s| ScreenTexts {
            texts: qr::decode_screen(&s.image),
            label: s.label,
        })
        .collect())
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::portal::file_path;
    use super::x11::to_luma;
    use crate::qr::luma;
    use std::path::Path;
    use x11rb::protocol::xproto::{VisualClass, Visualtype};

    fn visual(red: u32, green: u32, blue: u32) -> Visualtype {
        Visualtype {
            visual_id: 1,
            class: VisualClass::TRUE_COLOR,
            bits_per_rgb_value: 8,
            colormap_entries: 256,
            red_mask: red,
            green_mask: green,
            blue_mask: blue,
        }
    }

    #[test]
    fn a_missing_portal_names_the_packages_for_this_desktop() {
        use super::{CaptureError, Desktop, portal::no_portal};
        use crate::error::Kind as _;
        assert_eq!(Desktop::from_names("ubuntu:GNOME"), Desktop::Gnome);
        assert_eq!(Desktop::from_names("KDE"), Desktop::Kde);
        assert_eq!(Desktop::from_names("sway"), Desktop::Wlroots);
        assert_eq!(Desktop::from_names("Hyprland"), Desktop::Hyprland);
        assert_eq!(Desktop::from_names("XFCE"), Desktop::Other);
        assert_eq!(Desktop::from_names(""), Desktop::Other);
        // ashpd's PortalNotFound was a capture failure with ashpd's words.
        let name =
            ashpd::zbus::names::OwnedInterfaceName::try_from("org.freedesktop.portal.Screenshot")
                .unwrap();
        let e = no_portal(ashpd::Error::PortalNotFound(name));
        assert_eq!(e.kind(), "no_portal");
        assert!(
            e.to_string()
                .contains("no portal implements org.freedesktop.portal.Screenshot"),
            "{e}"
        );
        let wlr = CaptureError::NoPortal {
            reason: "x".into(),
            desktop: Desktop::Wlroots,
        };
        assert!(
            wlr.to_string()
                .contains("xdg-desktop-portal-wlr and xdg-desktop-portal-gtk"),
            "{wlr}"
        );
        assert_eq!(wlr.params()[1], ("desktop", "wlroots".to_owned()));
    }

    #[test]
    fn x_pixmaps_become_grey() {
        let grey = |img: &crate::qr::Luma| img.pixels.clone();
        // Two BGRX pixels per row, rows padded to 32 bits: the usual 24-bit
        // depth on little-endian servers (the in-place byte path).
        let data = [
            0x30, 0x20, 0x10, 0, 0xff, 0xff, 0xff, 0, 1, 2, 3, 0, 0, 0, 0, 0,
        ];
        let rgb = visual(0xff0000, 0xff00, 0xff);
        let img = to_luma(&data, (2, 2), (32, 32), false, &rgb).unwrap();
        assert_eq!(grey(&img), [luma(0x10, 0x20, 0x30), 255, luma(3, 2, 1), 0]);
        // The same pixels from a big-endian server: XRGB.
        let data = [
            0, 0x10, 0x20, 0x30, 0, 0xff, 0xff, 0xff, 0, 3, 2, 1, 0, 0, 0, 0,
        ];
        let img = to_luma(&data, (2, 2), (32, 32), true, &rgb).unwrap();
        assert_eq!(grey(&img), [luma(0x10, 0x20, 0x30), 255, luma(3, 2, 1), 0]);
        // 30-bit colour (10 bits a channel) takes the general path.
        let deep = visual(0x3ff0_0000, 0xffc00, 0x3ff);
        let white = 0x3fff_ffffu32.to_le_bytes();
        let red = 0x3ff0_0000u32.to_le_bytes();
        let img = to_luma(&[white, red].concat(), (2, 1), (32, 32), false, &deep).unwrap();
        assert_eq!(grey(&img), [255, luma(255, 0, 0)]);
        // 16-bit RGB565, big-endian server, 3 pixels padded to 8 bytes a row.
        let data = [0xf8, 0x00, 0x07, 0xe0, 0x00, 0x1f, 0, 0];
        let img = to_luma(&data, (3, 1), (16, 32), true, &visual(0xf800, 0x07e0, 0x1f)).unwrap();
        assert_eq!(
            grey(&img),
            [luma(255, 0, 0), luma(0, 255, 0), luma(0, 0, 255)]
        );
        assert!(
            to_luma(
                &data[..4],
                (3, 1),
                (16, 32),
                true,
                &visual(0xf800, 0x07e0, 0x1f)
            )
            .is_err()
        );
    }

    #[test]
    fn portal_file_uris_become_paths() {
        assert_eq!(
            file_path("file:///home/a/Pictures/Screenshot%20from%202026.png").as_deref(),
            Some(Path::new("/home/a/Pictures/Screenshot from 2026.png"))
        );
        assert_eq!(
            file_path("file://localhost/tmp/s.png").as_deref(),
            Some(Path::new("/tmp/s.png"))
        );
        assert_eq!(file_path("file://server/share/s.png"), None);
        assert_eq!(file_path("https://example.com/s.png"), None);
    }
}
