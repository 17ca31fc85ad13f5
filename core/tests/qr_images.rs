//! Data-driven: every image of `../shared/testdata/qr/` against its
//! manifest. Some photos there defeat every decoder, so this asserts what
//! must always hold, and that the number decoded completely never drops
//! below the figure recorded in `tests/vectors/qr-decoded-minimum.txt`.

mod common;

use authdesk_core::error::Kind as _;
use std::sync::mpsc;
use std::time::Duration;

use authdesk_core::qr;
use serde_json::Value;

#[test]
fn every_image_in_the_qr_manifest() {
    let root = common::testdata().join("qr");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("expected.json")).unwrap()).unwrap();
    let images = manifest["images"].as_object().expect("images");
    let mut failures = Vec::new();
    let mut complete = 0;
    for (name, case) in images {
        let expected: Vec<String> = case["expected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        let path = root.join(name);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(std::panic::catch_unwind(|| qr::scan_file(&path)));
        });
        let result = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Ok(r)) => r,
            Ok(Err(_)) => {
                failures.push(format!("{name}: the decoder panicked"));
                continue;
            }
            Err(_) => {
                failures.push(format!("{name}: the decoder hangs (over 60 s)"));
                continue;
            }
        };
        match (case.get("expect_error").and_then(Value::as_str), result) {
            (Some(kind), Err(e)) => {
                if e.kind() != kind {
                    failures.push(format!("{name}: error {} ({e}), expected {kind}", e.kind()));
                }
                assert!(
                    e.to_string().contains(name.rsplit('/').next().unwrap()),
                    "{e}"
                );
                complete += 1;
            }
            (Some(kind), Ok(found)) => {
                failures.push(format!("{name}: decoded {found:?}, expected error {kind}"))
            }
            (None, Err(e)) => failures.push(format!("{name}: {e}")),
            (None, Ok(found)) => {
                for text in &found {
                    if !expected.contains(text) {
                        failures.push(format!("{name}: decoded a wrong text {text:?}"));
                    }
                }
                let mut a = found.clone();
                let mut b = expected.clone();
                a.sort();
                b.sort();
                let whole = a == b;
                if whole {
                    complete += 1;
                }
                let must =
                    name.starts_with("generated/") || name.starts_with("extract_otp_secrets/");
                if must && !whole {
                    failures.push(format!(
                        "{name}: decoded {found:?}, must decode {expected:?}"
                    ));
                }
            }
        }
    }
    let minimum: usize =
        std::fs::read_to_string(common::vectors().join("../qr-decoded-minimum.txt"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
    println!(
        "QR images decoded completely and correctly: {complete} of {}",
        images.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        complete >= minimum,
        "decoded {complete}, below the recorded {minimum}"
    );
}
