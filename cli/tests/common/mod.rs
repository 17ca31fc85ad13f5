//! The test harness shared by the CLI's black-box tests.
#![allow(dead_code)]

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

pub const PW: &str = "test password 1";

/// A private HOME and vault, initialised, with the password in the
/// environment and the keychain kept out.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        let env = Env {
            dir: tempfile::tempdir().unwrap(),
        };
        env.ok(&["init"]);
        env
    }

    pub fn vault(&self) -> PathBuf {
        self.dir.path().join("data/vault.authdesk")
    }

    /// `program` in this environment (`authdesk` itself, or a wrapper
    /// such as faketime that runs it).
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
        let mut c = std::process::Command::new(program);
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("AUTHDESK_VAULT", self.vault())
            .env("AUTHDESK_PASSWORD", PW)
            .env("AUTHDESK_NO_KEYCHAIN", "1");
        c
    }

    pub fn cmd(&self) -> Command {
        Command::from_std(self.command(assert_cmd::cargo::cargo_bin("authdesk")))
    }

    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        outcome(self.cmd().args(args).output().unwrap())
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "authdesk {args:?} failed: {err}");
        out
    }

    pub fn fails(&self, args: &[&str], exit: i32, needle: &str) -> String {
        let (code, _, err) = self.run(args);
        assert_eq!(code, exit, "authdesk {args:?}: {err}");
        assert!(
            err.contains(needle),
            "authdesk {args:?}: stderr {err:?} lacks {needle:?}"
        );
        err
    }

    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
}

/// The URI of case `id` in `../shared/testdata/uris/cases.json`.
/// Exit code, stdout and stderr of a finished command.
pub fn outcome(out: std::process::Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

pub fn uri_case(id: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/testdata/uris/cases.json");
    let cases: Value = serde_json::from_slice(
        &std::fs::read(&path).expect("../shared/testdata beside the checkout"),
    )
    .unwrap();
    cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no URI case {id}"))["uri"]
        .as_str()
        .unwrap()
        .to_owned()
}
