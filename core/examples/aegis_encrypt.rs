//! Turns a plain Aegis export into an encrypted one, the way Aegis writes
//! it (docs/vault.md: one password slot, scrypt n=2^15 r=8 p=1, AES-256-GCM),
//! for `benches/import.sh`: the samples in ../shared/testdata are small.
//!
//! Usage: aegis_encrypt PLAIN.json PASSWORD OUT.json

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use rand::RngCore;
use serde_json::{Value, json};

fn seal(key: &[u8], plain: &[u8]) -> (Vec<u8>, [u8; 12], Vec<u8>) {
    let mut nonce = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut nonce);
    let mut sealed = Aes256Gcm::new_from_slice(key)
        .expect("32-byte key")
        .encrypt(Nonce::from_slice(&nonce), plain)
        .expect("AES-GCM seals");
    let tag = sealed.split_off(sealed.len() - 16);
    (sealed, nonce, tag)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, plain, password, out] = args.as_slice() else {
        eprintln!("usage: aegis_encrypt PLAIN.json PASSWORD OUT.json");
        std::process::exit(2);
    };
    let file: Value =
        serde_json::from_slice(&std::fs::read(plain).expect("read PLAIN")).expect("JSON");
    let db = serde_json::to_vec(&file["db"]).expect("db");
    let hex = |b: &[u8]| data_encoding::HEXLOWER.encode(b);

    let mut master = [0u8; 32];
    let mut salt = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut master);
    rand::thread_rng().fill_bytes(&mut salt);
    let params = scrypt::Params::new(15, 8, 1, 32).expect("scrypt params");
    let mut kek = [0u8; 32];
    scrypt::scrypt(password.as_bytes(), &salt, &params, &mut kek).expect("scrypt");
    let (key, key_nonce, key_tag) = seal(&kek, &master);
    let (body, db_nonce, db_tag) = seal(&master, &db);
    let encrypted = json!({
        "version": 1,
        "header": {
            "slots": [{
                "type": 1,
                "uuid": uuid::Uuid::new_v4().to_string(),
                "key": hex(&key),
                "key_params": { "nonce": hex(&key_nonce), "tag": hex(&key_tag) },
                "n": 32768, "r": 8, "p": 1,
                "salt": hex(&salt),
                "repaired": true,
                "is_backup": false,
            }],
            "params": { "nonce": hex(&db_nonce), "tag": hex(&db_tag) },
        },
        "db": base64::engine::general_purpose::STANDARD.encode(body),
    });
    std::fs::write(out, serde_json::to_vec_pretty(&encrypted).expect("JSON")).expect("write OUT");
}
