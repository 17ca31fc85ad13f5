//! Inputs the fuzzers found, replayed the way their target reads them
//! (`fuzz/fuzz_targets/`): each must now finish without a panic. One
//! folder per target under `tests/fuzz-regressions/`; `fuzz/README.md`
//! says how a finding gets here.

use std::path::PathBuf;

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

/// As `qr_decode` reads its input: two bytes of width (1–128), then grey
/// pixels, the height from the length (at most 128).
#[test]
fn qr_decode_findings_decode_without_a_panic() {
    for (name, data) in inputs("qr_decode") {
        let (head, pixels) = data.split_at(2);
        let width = u32::from(u16::from_le_bytes([head[0], head[1]])) % 128 + 1;
        let height = (pixels.len() as u32 / width).min(128);
        let pixels = pixels[..(width * height) as usize].to_vec();
        let texts = qr::decode(&qr::Luma::new(width, height, pixels));
        assert!(texts.iter().all(|t| !t.is_empty()), "{name}: {texts:?}");
    }
}
