//! `authdesk completions SHELL` and `authdesk manpage`, checked by the
//! shells and the man reader that will load them (scripts/test installs
//! zsh, fish and man-db).
// The tools these tests drive are Linux packages (scripts/test installs them);
// the Windows and macOS CI runs the rest.
#![cfg(target_os = "linux")]

use std::io::Write;
use std::process::{Command, Stdio};

mod common;

fn authdesk(args: &[&str]) -> String {
    let (code, out, err) = common::outcome(
        Command::new(env!("CARGO_BIN_EXE_authdesk"))
            .args(args)
            // Neither needs a vault or a home directory, so no `common::Env`.
            .env_clear()
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0, "authdesk {args:?}: {err}");
    out
}

/// Runs `program args` with `script` on stdin; its stderr when it fails.
fn check_with(program: &str, args: &[&str], script: &str) {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("`{program}` is not installed ({e}); scripts/test installs it"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{program} rejects the script: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn completions_load_in_bash_and_complete_the_subcommands() {
    let script = authdesk(&["completions", "bash"]);
    // Loaded, then asked what follows `authdesk ba`.
    let probe = format!(
        "{script}\nCOMP_WORDS=(authdesk ba); COMP_CWORD=1; COMP_LINE='authdesk ba'; COMP_POINT=11\n\
         _authdesk authdesk ba authdesk\nprintf '%s\\n' \"${{COMPREPLY[@]}}\" | grep -qx backup\n"
    );
    check_with("bash", &["-s"], &probe);
}

#[test]
fn completions_parse_in_zsh_and_fish() {
    check_with("zsh", &["-n"], &authdesk(&["completions", "zsh"]));
    let fish = authdesk(&["completions", "fish"]);
    assert!(fish.contains("complete -c authdesk"), "{fish}");
    check_with("fish", &["--no-execute"], &fish);
}

#[test]
fn the_man_page_renders_and_lists_every_command() {
    let page = authdesk(&["manpage"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH authdesk"),
        "{}",
        &page[..200.min(page.len())]
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("authdesk.1");
    std::fs::write(&path, &page).unwrap();
    let out = Command::new("man")
        .args(["-l", "-P", "cat"])
        .arg(&path)
        .env("MANWIDTH", "100")
        .output()
        .unwrap_or_else(|e| panic!("`man` is not installed ({e}); scripts/test installs man-db"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for command in [
        "init",
        "add",
        "code",
        "backup",
        "import",
        "export",
        "scan",
        "clock",
        "completions",
    ] {
        assert!(
            text.contains(command),
            "the man page does not mention `{command}`:\n{text}"
        );
    }
    assert!(
        !text.contains("manpage"),
        "the hidden command shows in the man page"
    );
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_authdesk"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
