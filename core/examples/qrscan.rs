//! Scans images and prints one JSON line per image: the texts found and
//! the milliseconds the decode took (load included). Used by benches/qr.sh.
//! Usage: qrscan [--repeat N] IMAGE...

use authdesk_core::error::Kind as _;
use std::time::Instant;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut repeat = 1;
    if args.first().map(String::as_str) == Some("--repeat") {
        repeat = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1);
        args.drain(..2);
    }
    for path in args {
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..repeat {
            let start = Instant::now();
            let result = authdesk_core::qr::scan_file(std::path::Path::new(&path));
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            last = Some(result);
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let (texts, error) = match last.expect("repeat >= 1") {
            Ok(t) => (t, None),
            Err(e) => (Vec::new(), Some(e.kind())),
        };
        println!(
            "{}",
            serde_json::json!({"path": path, "texts": texts, "error": error, "median_ms": median})
        );
    }
}
