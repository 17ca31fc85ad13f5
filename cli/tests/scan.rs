//! `authdesk scan` against images made by real encoders: `qrencode` for the
//! codes and ImageMagick for screenshots around them.
// The tools these tests drive are Linux packages (scripts/test installs them);
// the Windows and macOS CI runs the rest.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use serde_json::Value;

mod common;

use common::Env;

const URI: &str = "otpauth://totp/Zonnepanelen%20Portaal:installateur%40voorbeeld.nl?secret=JBSWY3DPEHPK3PXP&issuer=Zonnepanelen%20Portaal";

fn tool(name: &str, args: &[&str]) {
    let out = StdCommand::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{name}` is not installed ({e}); scripts/test installs it"));
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A QR code of `text` with modules of `px` pixels.
fn qr(dir: &Path, name: &str, text: &str, px: u32) -> PathBuf {
    let path = dir.join(name);
    tool(
        "qrencode",
        &[
            "-s",
            &px.to_string(),
            "-m",
            "4",
            "-o",
            path.to_str().unwrap(),
            text,
        ],
    );
    path
}

/// A 3840×2160 "desktop" with the code pasted at (x, y), optionally scaled
/// (HiDPI) or inverted (dark mode).
fn screenshot(dir: &Path, name: &str, code: &Path, scale: u32, dark: bool) -> PathBuf {
    let path = dir.join(name);
    let mut args: Vec<String> = vec![
        "-size".into(),
        "3840x2160".into(),
        "xc:#d8dee9".into(),
        "(".into(),
        code.to_str().unwrap().into(),
    ];
    if scale != 100 {
        args.extend([
            "-filter".into(),
            "Triangle".into(),
            "-resize".into(),
            format!("{scale}%"),
        ]);
    }
    if dark {
        args.push("-negate".into());
    }
    args.extend([
        ")".into(),
        "-geometry".into(),
        "+1700+800".into(),
        "-composite".into(),
    ]);
    if dark {
        args.extend([
            "-fill".into(),
            "#1e1e1e".into(),
            "-opaque".into(),
            "#d8dee9".into(),
        ]);
    }
    args.push(path.to_str().unwrap().into());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    tool("/usr/bin/convert", &refs);
    path
}

#[test]
fn scan_adds_dry_run_prints_raw_lists() {
    let env = Env::new();
    let code = qr(env.dir.path(), "code.png", URI, 4);
    let (rc, out, err) = env.run(&["scan", "--dry-run", code.to_str().unwrap()]);
    assert_eq!((rc, out.trim()), (0, URI), "{err}");
    let (rc, out, _) = env.run(&["scan", "--raw", code.to_str().unwrap()]);
    assert_eq!(rc, 0);
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap(),
        serde_json::json!([URI])
    );
    let (rc, out, err) = env.run(&["scan", code.to_str().unwrap()]);
    assert_eq!(rc, 0, "{err}");
    assert!(
        out.contains("Added: Zonnepanelen Portaal (installateur@voorbeeld.nl)"),
        "{out}"
    );
    let (rc, out, _) = env.run(&["scan", code.to_str().unwrap()]);
    assert_eq!(rc, 0);
    assert!(out.contains("Already present"), "{out}");
}

#[test]
fn screenshots_hidpi_and_dark_mode_decode() {
    let env = Env::new();
    let code = qr(env.dir.path(), "code.png", URI, 3);
    for (name, scale, dark) in [
        ("plain.png", 100, false),
        ("hidpi150.png", 150, false),
        ("hidpi125.png", 125, false),
        ("dark.png", 100, true),
    ] {
        let shot = screenshot(env.dir.path(), name, &code, scale, dark);
        let (rc, out, err) = env.run(&["scan", "--dry-run", shot.to_str().unwrap()]);
        assert_eq!((rc, out.trim()), (0, URI), "{name}: {err}");
    }
}

#[test]
fn migration_qr_adds_every_account() {
    let env = Env::new();
    let uri = common::uri_case("mig-authpro-6");
    let code = qr(env.dir.path(), "export.png", &uri, 3);
    let (rc, out, err) = env.run(&["scan", code.to_str().unwrap()]);
    assert_eq!(rc, 0, "{err}");
    assert_eq!(out.matches("Added:").count(), 6, "{out}");
}

#[test]
fn bad_images_and_foreign_codes_get_clear_messages() {
    let env = Env::new();
    let url = qr(
        env.dir.path(),
        "url.png",
        "https://www.voorbeeld.nl/hulp/tweestapsverificatie",
        4,
    );
    let (rc, _, err) = env.run(&["scan", url.to_str().unwrap()]);
    assert_eq!(rc, 1);
    assert!(
        err.contains("not an authenticator code") && err.contains("https://www.voorbeeld.nl/hulp"),
        "{err}"
    );

    let text = env.dir.path().join("notes.png");
    std::fs::write(&text, "this is not an image").unwrap();
    let (rc, _, err) = env.run(&["scan", text.to_str().unwrap()]);
    assert_eq!(rc, 1);
    assert!(err.contains("notes.png is not an image"), "{err}");

    let empty = env.dir.path().join("empty.png");
    std::fs::write(&empty, "").unwrap();
    let (rc, _, err) = env.run(&["scan", empty.to_str().unwrap()]);
    assert_eq!(rc, 1);
    assert!(err.contains("empty.png is empty"), "{err}");

    let (rc, _, err) = env.run(&["scan", "/nonexistent/x.png"]);
    assert_eq!(rc, 1);
    assert!(err.contains("cannot read /nonexistent/x.png"), "{err}");

    let blank = env.dir.path().join("blank.png");
    tool(
        "/usr/bin/convert",
        &["-size", "800x600", "xc:white", blank.to_str().unwrap()],
    );
    let (rc, _, err) = env.run(&["scan", blank.to_str().unwrap()]);
    assert_eq!(rc, 1);
    assert!(err.contains("no QR code found"), "{err}");
    // Nothing was added by any of these.
    let (_, out, _) = env.run(&["list", "--json"]);
    assert_eq!(out.trim(), "[]");
}

#[test]
fn zbarimg_reads_what_qrencode_wrote_and_so_do_we() {
    // The peer check: the same file, two independent decoders.
    let env = Env::new();
    let code = qr(env.dir.path(), "peer.png", URI, 5);
    let out = StdCommand::new("zbarimg")
        .args(["--raw", "-q", "--nodbus", code.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), URI);
    let (_, ours, _) = env.run(&["scan", "--raw", code.to_str().unwrap()]);
    assert_eq!(
        serde_json::from_str::<Value>(&ours).unwrap(),
        serde_json::json!([URI])
    );
}
