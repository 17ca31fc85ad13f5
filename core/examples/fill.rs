//! Adds every otpauth URI of a file (one per line) to a vault in one save.
//! Used by scripts/bench to build large vaults quickly.
//! Usage: fill VAULT URIS_FILE  (password from $AUTHDESK_PASSWORD;
//! $AUTHDESK_FILL_PINNED=N pins the first N, as the tray menu lists them;
//! $AUTHDESK_FILL_WINDOW gives the first an auto-type window match)

use authdesk_core::uri;
use authdesk_core::vault::Vault;
use secrecy::SecretString;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, vault, uris] = args.as_slice() else {
        eprintln!("usage: fill VAULT URIS_FILE");
        std::process::exit(2);
    };
    let pw = SecretString::from(std::env::var("AUTHDESK_PASSWORD").expect("AUTHDESK_PASSWORD"));
    let mut v = Vault::open(vault, &pw).expect("open vault");
    let text = std::fs::read_to_string(uris).expect("read URIs");
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        for e in uri::parse(line).expect("valid URI").into_entries() {
            v.add(e);
        }
    }
    let pinned: usize = std::env::var("AUTHDESK_FILL_PINNED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let ids: Vec<_> = v.entries().iter().take(pinned).map(|e| e.id).collect();
    for id in ids {
        let pin = authdesk_core::vault::EntryChange {
            pinned: Some(true),
            ..Default::default()
        };
        v.update(id, pin).expect("valid change");
    }
    // $AUTHDESK_FILL_WINDOW: the first account's auto-type window match.
    if let (Ok(window), Some(first)) = (
        std::env::var("AUTHDESK_FILL_WINDOW"),
        v.entries().first().map(|e| e.id),
    ) {
        let autotype = authdesk_core::autotype::AutoType {
            windows: vec![window],
            enter: false,
        };
        let change = authdesk_core::vault::EntryChange {
            autotype: Some(autotype),
            ..Default::default()
        };
        v.update(first, change).expect("valid change");
    }
    v.save().expect("save");
}
