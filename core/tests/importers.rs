//! Data-driven over `../shared/testdata/importers/` and its manifest
//! (`expected.json`, described in that folder's README): every field of
//! every entry, compared as a multiset, honouring `also_accept`,
//! `unchecked` and `optional`; `expect_error` kinds; right, wrong and
//! missing passwords; truncated and garbled copies.
//!
//! Formats not imported yet are listed in the output; the files of every
//! format in [`DONE`] must import exactly, and the count may not fall.

mod common;

use authdesk_core::error::Kind as _;
use std::collections::BTreeMap;

use authdesk_core::EntryData;
use authdesk_core::import::{ImportError, import};
use secrecy::SecretString;
use serde_json::Value;

/// Manifest formats the importers handle completely.
const DONE: &[&str] = &[
    "aegis_json",
    "aegis_json_encrypted",
    "andotp_json",
    "andotp_encrypted",
    "andotp_encrypted_old",
    "twofas_json",
    "twofas_json_encrypted",
    "freeotp_plus_json",
    "otpauth_uri_list",
    "ente_plain_txt",
    "google_authenticator_migration_txt",
    "bitwarden_json",
    "bitwarden_json_encrypted",
    "bitwarden_json_encrypted_account",
    "bitwarden_authenticator_json",
    "lastpass_json",
    "proton_authenticator_json",
    "proton_authenticator_json_encrypted",
    "stratum_json",
    "stratum_encrypted",
    "stratum_encrypted_legacy",
    "ente_encrypted_json",
    "duo_internal_json",
    "steam_internal_json",
    "authy_internal_xml",
    "authy_internal_xml_encrypted",
    "battlenet_internal_xml",
    "totp_authenticator_internal_xml",
    "totp_authenticator_encrypted",
    "freeotp_internal_xml",
    "freeotp_plus_internal_xml",
    "freeotp_v2_backup",
    "google_authenticator_internal_sqlite",
    "microsoft_authenticator_internal_sqlite",
    "stratum_internal_sqlite",
    "winauth_zip_encrypted",
    "authenticator_plus_zip",
    "authenticator_plus_sqlcipher",
    "bitwarden_csv",
];

/// The number of sample files that import exactly: it may only go up.
const FLOOR: usize = 57;

fn norm_secret(s: &str) -> String {
    s.trim_end_matches('=').to_ascii_uppercase()
}

fn actual_field(e: &EntryData, field: &str) -> Value {
    let hotp = e.otp.kind == authdesk_core::OtpType::Hotp;
    match field {
        "type" => Value::from(e.otp.kind.as_str()),
        "issuer" => Value::from(e.issuer.clone()),
        "account" => Value::from(e.account.clone()),
        "secret" => Value::from(norm_secret(&e.secret.to_base32())),
        "algorithm" => Value::from(e.otp.algorithm.as_str()),
        "digits" => Value::from(e.otp.digits),
        "period" => {
            if hotp {
                Value::Null
            } else {
                Value::from(e.otp.period)
            }
        }
        "counter" => {
            if hotp {
                Value::from(e.otp.counter)
            } else {
                Value::Null
            }
        }
        _ => Value::Null,
    }
}

const FIELDS: &[&str] = &[
    "type",
    "issuer",
    "account",
    "secret",
    "algorithm",
    "digits",
    "period",
    "counter",
];

fn matches(expected: &Value, e: &EntryData) -> bool {
    let unchecked: Vec<&str> = expected["unchecked"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    FIELDS.iter().filter(|f| !unchecked.contains(f)).all(|f| {
        let got = actual_field(e, f);
        let want = if *f == "secret" {
            Value::from(norm_secret(expected[f].as_str().unwrap_or("")))
        } else {
            expected[f].clone()
        };
        got == want
            || expected["also_accept"][f]
                .as_array()
                .is_some_and(|alts| alts.contains(&got))
    })
}

/// Compares as a multiset; `Err` says what differs.
fn compare(expected: &[Value], got: &[EntryData], skipped: usize) -> Result<(), String> {
    let mut used = vec![false; got.len()];
    let mut missing_optional = 0;
    for want in expected {
        let found = (0..got.len()).find(|&i| !used[i] && matches(want, &got[i]));
        match found {
            Some(i) => used[i] = true,
            None if want["optional"] == Value::Bool(true) => missing_optional += 1,
            None => return Err(format!("missing {want}")),
        }
    }
    if let Some(i) = used.iter().position(|u| !u) {
        let e = &got[i];
        let fields: BTreeMap<&str, Value> =
            FIELDS.iter().map(|f| (*f, actual_field(e, f))).collect();
        return Err(format!("unexpected entry {fields:?}"));
    }
    if skipped < missing_optional {
        return Err(format!(
            "{missing_optional} optional entries left out but only {skipped} reported as skipped"
        ));
    }
    Ok(())
}

fn pw(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

#[test]
fn every_sample_in_the_manifest() {
    let root = common::testdata().join("importers");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("expected.json")).unwrap()).unwrap();
    let files = manifest["files"].as_object().unwrap();
    let mut exact = 0;
    let mut failures = Vec::new();
    let mut pending = Vec::new();
    for (path, case) in files {
        let bytes = std::fs::read(root.join(path)).unwrap();
        let format = case["format"].as_str().unwrap();
        let password = case["password"].as_str().map(pw);
        let outcome = import(&bytes, None, password.as_ref());
        let verdict: Result<(), String> = match (case["expect_error"].as_str(), &outcome) {
            (Some(kind), Err(e)) if e.kind() == kind => Ok(()),
            (Some(kind), Ok(o)) => {
                let alt = case["also_accept_entries"].as_array();
                match alt {
                    Some(alt)
                        if compare(alt, &o.imported.entries, o.imported.skipped.len()).is_ok() =>
                    {
                        Ok(())
                    }
                    _ => Err(format!(
                        "expected a {kind} error, imported {} entries",
                        o.imported.entries.len()
                    )),
                }
            }
            (Some(kind), Err(e)) => Err(format!("expected a {kind} error, got {}: {e}", e.kind())),
            (None, Ok(o)) => {
                let expected = case["entries"].as_array().unwrap();
                compare(expected, &o.imported.entries, o.imported.skipped.len())
                    .map_err(|e| format!("as {}: {e}", o.format))
            }
            (None, Err(e)) => Err(format!("{}: {e}", e.kind())),
        };
        // Passwords: a wrong one is named as such, a missing one asked for.
        let verdict = verdict.and_then(|()| {
            if let Some(wrong) = case["wrong_password"].as_str() {
                match import(&bytes, None, Some(&pw(wrong))) {
                    Err(ImportError::WrongPassword { .. }) => {}
                    other => {
                        return Err(format!(
                            "wrong password gave {:?}",
                            other.map(|o| o.imported.entries.len())
                        ));
                    }
                }
            }
            if password.is_some() && case["expect_error"].is_null() {
                match import(&bytes, None, None) {
                    Err(ImportError::PasswordNeeded { .. }) => {}
                    other => {
                        return Err(format!(
                            "no password gave {:?}",
                            other.map(|o| o.imported.entries.len())
                        ));
                    }
                }
            }
            Ok(())
        });
        match verdict {
            Ok(()) => exact += 1,
            Err(why) if DONE.contains(&format) => {
                failures.push(format!("{path} ({format}): {why}"))
            }
            Err(why) => pending.push(format!("{path} ({format}): {why}")),
        }
    }
    println!(
        "importers: {exact} of {} sample files import exactly",
        files.len()
    );
    for p in &pending {
        println!("  not yet: {p}");
    }
    assert!(
        failures.is_empty(),
        "formats marked done fail:\n{}",
        failures.join("\n")
    );
    assert!(
        exact >= FLOOR,
        "{exact} files import exactly, fewer than the {FLOOR} recorded"
    );
}

/// Cut-off and damaged copies of every structured sample fail with a
/// specific error (never a panic, never a partial import of garbage).
#[test]
fn truncated_and_garbled_copies_fail_clearly() {
    let root = common::testdata().join("importers");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("expected.json")).unwrap()).unwrap();
    for (path, case) in manifest["files"].as_object().unwrap() {
        if !DONE.contains(&case["format"].as_str().unwrap()) || !case["expect_error"].is_null() {
            continue;
        }
        let bytes = std::fs::read(root.join(path)).unwrap();
        // A cut-off list of links still holds its first links, and a CSV
        // file cut inside its last field is still well-formed CSV: neither
        // says where it ends.
        let format = case["format"].as_str().unwrap();
        let structured =
            !(format.ends_with("_txt") || format.ends_with("_csv") || format == "otpauth_uri_list");
        let password = case["password"].as_str().map(pw);
        let half = &bytes[..bytes.len() / 2];
        match import(half, None, password.as_ref()) {
            Err(e) => assert!(!e.to_string().is_empty(), "{path}"),
            Ok(o) => assert!(
                !structured,
                "{path}: a truncated copy imported {} entries",
                o.imported.entries.len()
            ),
        }
        let mut garbled = bytes.clone();
        for i in (bytes.len() / 3..bytes.len() * 2 / 3).step_by(7) {
            garbled[i] ^= 0x5a;
        }
        // Whatever happens, it must not panic; structured files say why.
        if let Err(e) = import(&garbled, None, password.as_ref()) {
            assert!(!e.to_string().is_empty(), "{path}");
        }
    }
}

/// Every plain Aegis sample's entries with an `icon` arrive with a picture
/// (or a bundled logo), in the entries' order; those without, with none.
#[test]
fn aegis_samples_bring_their_icons() {
    let root = common::testdata().join("importers");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("expected.json")).unwrap()).unwrap();
    let mut seen = 0;
    for (path, case) in manifest["files"].as_object().unwrap() {
        if case["format"] != "aegis_json" || !case["expect_error"].is_null() {
            continue;
        }
        let bytes = std::fs::read(root.join(path)).unwrap();
        let raw: Value = serde_json::from_slice(&bytes).unwrap();
        let Ok(out) = import(&bytes, None, None) else {
            continue;
        };
        let imported = out.imported;
        // Entries Authdesk imports, in order: the raw list without the skipped.
        let kept: Vec<&Value> = raw["db"]["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| !["motp", "yandex"].contains(&e["type"].as_str().unwrap_or("")))
            .collect();
        assert_eq!(kept.len(), imported.entries.len(), "{path}");
        for (i, e) in kept.iter().enumerate() {
            let icon = imported.details.get(i).and_then(|d| d.icon.as_deref());
            if e["icon"].is_string() {
                seen += 1;
                let icon = icon.unwrap_or_else(|| panic!("{path}: entry {i} lost its icon"));
                authdesk_core::icon::check(icon).unwrap();
            } else {
                assert_eq!(icon, None, "{path}: entry {i}");
            }
        }
    }
    assert!(seen > 0, "no sample carries an icon");
}
