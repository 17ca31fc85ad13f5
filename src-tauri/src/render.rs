//! How WebKitGTK draws the page on Linux.
//!
//! WebKitGTK composites the page with OpenGL. Without a GPU (virtual
//! machines, remote desktops, machines whose driver Mesa does not support,
//! Xvfb) Mesa emulates GL on the CPU (llvmpipe), and every frame — the
//! countdown's once a second — goes through that emulation. Measured with
//! `benches/idle.sh` (50 accounts showing, no GPU): 3.7 % of a core
//! composited, 1.3 % painted without compositing. So with no GPU render
//! node the app asks WebKit not to composite; with one, WebKit's default
//! stands. A `WEBKIT_DISABLE_COMPOSITING_MODE` the user set wins either way.

/// Chooses before WebKit starts. Must run before any other thread exists:
/// it may set an environment variable.
pub fn choose() {
    #[cfg(target_os = "linux")]
    {
        const SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
        if std::env::var_os(SWITCH).is_none() && !has_render_node() {
            // SAFETY: `run` calls this first, while the process has one
            // thread: nothing can read the environment concurrently.
            #[allow(unsafe_code)]
            unsafe {
                std::env::set_var(SWITCH, "1")
            };
        }
    }
}

/// Whether a GPU offers a render node (`/dev/dri/renderD128`, …), the
/// device Mesa's hardware drivers draw through.
#[cfg(target_os = "linux")]
fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|dir| {
        dir.flatten()
            .any(|e| e.file_name().as_encoded_bytes().starts_with(b"renderD"))
    })
}
