//! `authdesk scan --screen` on a real X server: each test starts its own
//! Xvfb and shows a `qrencode` image in an ImageMagick `display` window, as
//! a portal shows its QR code in the browser.
// The tools these tests drive are Linux packages (scripts/test installs them);
// the Windows and macOS CI runs the rest.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::Env;

const URI: &str = "otpauth://totp/Warmtenet%20Meterportaal:fam.de.vries%40voorbeeld.nl?secret=JBSWY3DPEHPK3PXP&issuer=Warmtenet%20Meterportaal";

/// An X server of its own on a free display, stopped on drop.
struct Xvfb {
    server: Child,
    display: String,
    windows: Vec<Child>,
}

impl Xvfb {
    fn start(size: &str) -> Xvfb {
        // -displayfd: Xvfb picks a free display and prints its number once
        // it accepts connections.
        let mut server = StdCommand::new("Xvfb")
            .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", size])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is not installed; scripts/test installs it");
        let mut line = String::new();
        BufReader::new(server.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(!line.trim().is_empty(), "Xvfb did not start");
        Xvfb {
            server,
            display: format!(":{}", line.trim()),
            windows: Vec::new(),
        }
    }

    /// Shows `image` in a window at (x, y).
    fn show(&mut self, image: &Path, x: u32, y: u32) {
        let child = StdCommand::new("/usr/bin/display")
            .args(["-geometry", &format!("+{x}+{y}"), image.to_str().unwrap()])
            .env("DISPLAY", &self.display)
            .stderr(Stdio::null())
            .spawn()
            .expect("ImageMagick's display is not installed; scripts/test installs it");
        self.windows.push(child);
    }

    fn close_windows(&mut self) {
        for mut w in self.windows.drain(..) {
            let _ = w.kill();
            let _ = w.wait();
        }
    }

    /// `authdesk` with this display and no Wayland.
    fn run(&self, env: &Env, args: &[&str]) -> (i32, String, String) {
        common::outcome(
            env.cmd()
                .env("DISPLAY", &self.display)
                .args(args)
                .output()
                .unwrap(),
        )
    }

    /// Waits until a capture shows `count` codes: windows map asynchronously.
    fn wait_for_codes(&self, env: &Env, count: usize) {
        let start = Instant::now();
        loop {
            let (_, out, _) = self.run(env, &["scan", "--screen", "--raw"]);
            let found: Vec<String> = serde_json::from_str(&out).unwrap_or_default();
            if found.len() == count {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "the screen never showed {count} codes (last: {found:?})"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        self.close_windows();
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

fn qr(dir: &Path, name: &str, text: &str, px: u32) -> PathBuf {
    let path = dir.join(name);
    let ok = StdCommand::new("qrencode")
        .args(["-s", &px.to_string(), "-o", path.to_str().unwrap(), text])
        .status()
        .expect("qrencode is not installed; scripts/test installs it")
        .success();
    assert!(ok);
    path
}

#[test]
fn a_code_on_screen_is_added_once() {
    let env = Env::new();
    let mut x = Xvfb::start("1920x1080x24");
    x.show(&qr(env.dir.path(), "portal.png", URI, 6), 700, 300);
    x.wait_for_codes(&env, 1);

    let (code, out, err) = x.run(&env, &["scan", "--screen", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), URI);
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 0);

    let (code, out, err) = x.run(&env, &["scan", "--screen"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Warmtenet Meterportaal"), "{out}");
    let (code, out, err) = x.run(&env, &["scan", "--screen"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Already present"), "second scan: {out}");
    let list = env.json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["account"], "fam.de.vries@voorbeeld.nl");
}

#[test]
fn hidpi_and_several_codes_on_a_16_bit_screen() {
    let env = Env::new();
    let mut x = Xvfb::start("2560x1440x16");
    // Modules of 9 px: a 150 % scaled portal page.
    x.show(&qr(env.dir.path(), "a.png", URI, 9), 100, 100);
    let other = "otpauth://totp/Batterij:installateur?secret=GEZDGNBVGY3TQOJQ&issuer=Batterij";
    x.show(&qr(env.dir.path(), "b.png", other, 4), 1500, 700);
    x.wait_for_codes(&env, 2);
    let (code, out, err) = x.run(&env, &["scan", "--screen", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    let mut lines: Vec<&str> = out.lines().collect();
    lines.sort_unstable();
    assert_eq!(lines, [other, URI]);
}

#[test]
fn nothing_or_a_foreign_code_on_screen_is_explained() {
    let env = Env::new();
    let mut x = Xvfb::start("1280x800x24");
    let (code, _, err) = x.run(&env, &["scan", "--screen"]);
    assert_eq!(code, 1);
    assert!(err.contains("the screen: no QR code found"), "{err}");

    x.show(
        &qr(env.dir.path(), "url.png", "https://example.com/login", 6),
        200,
        200,
    );
    x.wait_for_codes(&env, 1);
    let (code, _, err) = x.run(&env, &["scan", "--screen"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("not an authenticator code: \"https://example.com/login\""),
        "{err}"
    );
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 0);
}

#[test]
fn without_a_display_the_message_says_so() {
    let env = Env::new();
    // env_clear in the harness: no DISPLAY, no WAYLAND_DISPLAY.
    env.fails(&["scan", "--screen"], 1, "there is no screen to capture");
    env.fails(&["scan", "--screen", "x.png"], 2, "cannot be used with");
}

/// A Wayland session whose D-Bus has no screenshot portal (a private
/// session bus from `dbus-run-session`, nothing else on it): the message
/// names the packages this desktop needs, sway's two backends among them.
#[test]
fn a_wayland_desktop_without_a_screenshot_portal_is_told_what_to_install() {
    let env = Env::new();
    for (desktop, packages) in [
        (
            "sway",
            "xdg-desktop-portal, xdg-desktop-portal-wlr and xdg-desktop-portal-gtk",
        ),
        (
            "ubuntu:GNOME",
            "xdg-desktop-portal and xdg-desktop-portal-gnome",
        ),
    ] {
        let out = env
            .command("dbus-run-session")
            .args([
                "--",
                assert_cmd::cargo::cargo_bin("authdesk").to_str().unwrap(),
            ])
            .args(["scan", "--screen"])
            .env("WAYLAND_DISPLAY", "wayland-authdesk-test")
            .env("XDG_SESSION_TYPE", "wayland")
            .env("XDG_CURRENT_DESKTOP", desktop)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("offers no screenshot portal"), "{err}");
        assert!(err.contains(packages), "{desktop}: {err}");
    }
}
