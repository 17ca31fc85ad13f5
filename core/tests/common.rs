//! Helpers shared by the integration tests (included with `mod common;`).
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared/testdata` beside the checkout, or `$AUTHDESK_TESTDATA`.
pub fn testdata() -> PathBuf {
    let dir = std::env::var_os("AUTHDESK_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata"));
    assert!(
        dir.is_dir(),
        "test data not found at {}: clone the project next to shared/ or set AUTHDESK_TESTDATA",
        dir.display()
    );
    dir
}

pub fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/vault")
}

/// Fails with a clear message when a reference tool is missing.
pub fn require_tool(name: &str) {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        found,
        "`{name}` is not installed; scripts/test installs it (Debian package {name})"
    );
}
