//! Inputs the fuzzers found, each of which must now finish without a
//! panic. One folder per target under `tests/fuzz-regressions/`, kept in
//! a form that does not depend on how the target happened to read its
//! bytes then (`fuzz/README.md` says how a finding gets here).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use authdesk_core::qr;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fuzz-regressions")
        .join(target);
    let mut found: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let path = e.unwrap().path();
            (path.display().to_string(), std::fs::read(&path).unwrap())
        })
        .collect();
    found.sort();
    assert!(!found.is_empty(), "{} holds no inputs", dir.display());
    found
}

/// `qr_decode`'s findings, as the grey pictures the decoders saw (binary
/// PGM: `P5 width height 255`, then the pixels): a panic in rqrr, and a
/// picture its alignment search spirals over for seconds. Each scan ends,
/// within rqrr's deadline and a margin for rxing in a debug build.
#[test]
fn qr_decode_findings_decode_without_a_panic_or_a_hang() {
    for (name, data) in inputs("qr_decode") {
        let text = String::from_utf8_lossy(&data[..data.len().min(32)]).into_owned();
        let fields: Vec<&str> = text.split_ascii_whitespace().take(4).collect();
        assert!(
            fields.len() == 4 && fields[0] == "P5" && fields[3] == "255",
            "{name}: not a PGM"
        );
        let (width, height): (u32, u32) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
        let header = format!("P5\n{width} {height}\n255\n");
        assert!(
            data.starts_with(header.as_bytes()),
            "{name}: write the header as {header:?}"
        );
        let pixels = data[header.len()..].to_vec();
        let started = Instant::now();
        let texts = qr::decode(&qr::Luma::new(width, height, pixels));
        assert!(texts.iter().all(|t| !t.is_empty()), "{name}: {texts:?}");
        let took = started.elapsed();
        assert!(
            took < qr::RQRR_DEADLINE + Duration::from_secs(10),
            "{name}: the scan took {took:?}"
        );
    }
}
