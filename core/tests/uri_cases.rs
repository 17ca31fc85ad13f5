//! Data-driven: every case of `../shared/testdata/uris/cases.json`.

mod common;

use authdesk_core::entry::EntryData;
use authdesk_core::error::Kind as _;
use authdesk_core::uri::{self, Parsed};
use serde_json::Value;

fn field_ok(expected: &Value, also: Option<&Value>, name: &str, actual: Value) -> bool {
    if expected.get(name) == Some(&actual) {
        return true;
    }
    also.and_then(|a| a.get(name))
        .and_then(Value::as_array)
        .is_some_and(|alts| alts.contains(&actual))
}

fn entry_json(e: &EntryData) -> Vec<(&'static str, Value)> {
    let hotp = e.otp.kind == authdesk_core::OtpType::Hotp;
    vec![
        ("type", Value::from(e.otp.kind.as_str())),
        ("issuer", Value::from(e.issuer.clone())),
        ("account", Value::from(e.account.clone())),
        ("secret", Value::from(e.secret.to_base32().as_str())),
        ("algorithm", Value::from(e.otp.algorithm.as_str())),
        ("digits", Value::from(e.otp.digits)),
        (
            "period",
            if hotp {
                Value::Null
            } else {
                Value::from(e.otp.period)
            },
        ),
        (
            "counter",
            if hotp {
                Value::from(e.otp.counter)
            } else {
                Value::Null
            },
        ),
    ]
}

fn check_entry(id: &str, expected: &Value, e: &EntryData) -> Result<(), String> {
    let also = expected.get("also_accept");
    for (name, actual) in entry_json(e) {
        if !field_ok(expected, also, name, actual.clone()) {
            return Err(format!(
                "{id}: {name} is {actual}, expected {}",
                expected.get(name).unwrap_or(&Value::Null)
            ));
        }
    }
    Ok(())
}

#[test]
fn every_uri_case_parses_as_the_manifest_says() {
    let path = common::testdata().join("uris/cases.json");
    let manifest: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let cases = manifest["cases"].as_array().expect("cases array");
    let mut failures = Vec::new();
    let (mut accepted, mut rejected) = (0, 0);
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let text = case["uri"].as_str().unwrap();
        let valid = &case["valid"];
        let error_kinds: Vec<&str> = std::iter::once(&case["error"])
            .chain(
                case.pointer("/also_accept/error")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            )
            .filter_map(Value::as_str)
            .collect();
        match uri::parse(text) {
            Ok(parsed) => {
                accepted += 1;
                if valid == &Value::Bool(false) {
                    failures.push(format!("{id}: accepted, but the case is invalid"));
                    continue;
                }
                let expected = &case["expected"];
                match (case["kind"].as_str(), parsed) {
                    (Some("otpauth"), Parsed::Single(e)) => {
                        if let Err(f) = check_entry(id, expected, &e) {
                            failures.push(f);
                        }
                    }
                    (Some("migration"), Parsed::Migration(batch)) => {
                        let b = &expected["batch"];
                        let got = [
                            batch.version,
                            batch.batch_size,
                            batch.batch_index,
                            batch.batch_id,
                        ];
                        let want = ["version", "batch_size", "batch_index", "batch_id"]
                            .map(|k| b[k].as_i64().unwrap() as i32);
                        if got != want {
                            failures.push(format!("{id}: batch {got:?}, expected {want:?}"));
                        }
                        let want_entries = expected["entries"].as_array().unwrap();
                        if want_entries.len() != batch.entries.len() {
                            failures.push(format!(
                                "{id}: {} entries, expected {}",
                                batch.entries.len(),
                                want_entries.len()
                            ));
                            continue;
                        }
                        for (w, e) in want_entries.iter().zip(&batch.entries) {
                            if let Err(f) = check_entry(id, w, e) {
                                failures.push(f);
                            }
                        }
                    }
                    (kind, other) => failures.push(format!("{id}: {kind:?} parsed as {other:?}")),
                }
            }
            Err(err) => {
                rejected += 1;
                if valid == &Value::Bool(true) {
                    failures.push(format!("{id}: rejected ({err}), but the case is valid"));
                } else if !error_kinds.contains(&err.kind()) {
                    failures.push(format!(
                        "{id}: rejected as {} ({err}), expected one of {error_kinds:?}",
                        err.kind()
                    ));
                }
                let message = err.to_string();
                assert!(message.len() > 20, "{id}: message too vague: {message}");
            }
        }
    }
    println!(
        "{} URI cases: {accepted} accepted, {rejected} rejected",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn migration_skips_what_it_cannot_compute_by_name() {
    use authdesk_core::migration::{Parameters, Payload, parse_payload};
    use prost::Message;
    let payload = Payload {
        otp_parameters: vec![
            Parameters {
                secret: b"12345678901234567890".to_vec(),
                name: "md5 user".into(),
                issuer: "Old".into(),
                algorithm: 4,
                digits: 1,
                otp_type: 2,
                counter: 0,
            },
            Parameters {
                secret: b"12345678901234567890".to_vec(),
                name: "ok".into(),
                issuer: "Good".into(),
                algorithm: 1,
                digits: 2,
                otp_type: 2,
                counter: 0,
            },
        ],
        version: 1,
        batch_size: 1,
        batch_index: 0,
        batch_id: 7,
    };
    let batch = parse_payload(&payload.encode_to_vec()).unwrap();
    assert_eq!(batch.entries.len(), 1);
    assert_eq!(batch.entries[0].otp.digits, 8);
    assert_eq!(batch.skipped.len(), 1);
    assert!(
        batch.skipped[0].reason.contains("MD5"),
        "{:?}",
        batch.skipped
    );
    assert!(batch.skipped[0].name.contains("Old"));
}
