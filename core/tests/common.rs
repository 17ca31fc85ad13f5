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

/// A password as the core takes it.
pub fn pw(s: &str) -> secrecy::SecretString {
    secrecy::SecretString::from(s.to_owned())
}

/// The cheapest key derivation the vault allows: tests stay fast.
pub fn kdf() -> authdesk_core::vault::KdfParams {
    authdesk_core::vault::KdfParams::insecure_for_tests()
}

/// A TOTP account of the family ("fam") at `issuer`.
pub fn totp(issuer: &str, secret: &str) -> authdesk_core::EntryData {
    authdesk_core::EntryData {
        issuer: issuer.into(),
        account: "fam".into(),
        secret: authdesk_core::secret::parse_base32(secret).unwrap(),
        otp: authdesk_core::OtpParams::totp(),
    }
}

/// An empty household folder in a new temporary directory.
pub fn household_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("f");
    std::fs::create_dir(&folder).unwrap();
    (dir, folder)
}
