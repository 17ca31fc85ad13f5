//! Adds every otpauth URI of a file (one per line) to a vault in one save.
//! Used by scripts/bench to build large vaults quickly.
//! Usage: fill VAULT URIS_FILE  (password from $AUTHDESK_PASSWORD)

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
    v.save().expect("save");
}
