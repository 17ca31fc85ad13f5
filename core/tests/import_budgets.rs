//! Hostile files that ask for unbounded work: each is built here, and each
//! must be refused quickly with a specific kind and message, never a panic,
//! never hours of work. The real samples in `../shared/testdata/importers`
//! still import exactly (see `importers.rs`).

use authdesk_core::error::Kind as _;
use std::io::Write;
use std::time::{Duration, Instant};

use authdesk_core::import::{ImportError, import};
use secrecy::SecretString;

/// "In seconds", with room for a loaded machine and a debug build.
const QUICK: Duration = Duration::from_secs(20);

fn pw(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

/// Imports `bytes` (as `format`, when given) and checks that it fails with
/// `kind`, quickly, saying `says`.
fn refused(bytes: &[u8], format: Option<&str>, kind: &str, says: &str) -> ImportError {
    let start = Instant::now();
    let err = import(bytes, format, Some(&pw("password"))).unwrap_err();
    let took = start.elapsed();
    println!("{kind} in {took:.2?}: {err}");
    assert_eq!(err.kind(), kind, "{err}");
    assert!(err.to_string().contains(says), "{err}");
    assert!(took < QUICK, "took {took:?}: {err}");
    err
}

// ---------------------------------------------------------------- zip

fn zip_of(members: impl IntoIterator<Item = (String, Vec<u8>)>, deflate: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, content) in members {
        w.start_file(name, opts).unwrap();
        w.write_all(&content).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn a_zip_of_ten_thousand_members_is_refused_before_it_is_parsed() {
    let zip = zip_of(
        (0..10_000).map(|i| (format!("m{i}.txt"), Vec::new())),
        false,
    );
    for format in [
        None,
        Some("winauth"),
        Some("authenticator-plus"),
        Some("raivo"),
    ] {
        refused(&zip, format, "too_costly", "more than 1000 entries");
    }
}

#[test]
fn zip_members_that_inflate_past_the_total_are_refused() {
    // 15 MiB of zeros deflates to some 15 KB; five copies under their own
    // names pass the per-member limit but not the total.
    let one = zip_of([("a.txt".to_owned(), vec![0u8; 15 << 20])], true);
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(&one[..])).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..5 {
        w.raw_copy_file_rename(source.by_index_raw(0).unwrap(), format!("m{i}.txt"))
            .unwrap();
    }
    let bomb = w.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
    refused(&bomb, None, "too_costly", "more than 64 MiB in all");

    let big = zip_of([("Accounts.txt".to_owned(), vec![0u8; 17 << 20])], true);
    refused(&big, None, "too_costly", "more than 16 MiB");
}

// ------------------------------------------------- Java serialisation

/// A string in a Java stream: new, or a back-reference to handle `n`.
enum J<'a> {
    New(&'a str),
    Ref(u32),
}

/// A `HashMap` as `ObjectOutputStream` writes it, its keys and values in
/// `items` (key, value, key, value…). Handles: the class 0x7E0000, the map
/// 0x7E0001, then each new string in turn.
fn java_map(items: &[J]) -> Vec<u8> {
    let utf = |s: &mut Vec<u8>, t: &str| {
        s.extend((t.len() as u16).to_be_bytes());
        s.extend(t.as_bytes());
    };
    let mut s = vec![0xAC, 0xED, 0x00, 0x05, 0x73, 0x72];
    utf(&mut s, "java.util.HashMap");
    s.extend(0x0507_DAC1_C316_60D1u64.to_be_bytes());
    s.extend([0x03, 0x00, 0x01, b'F']);
    utf(&mut s, "loadFactor");
    s.extend([0x78, 0x70]);
    s.extend(0.75f32.to_be_bytes());
    s.extend([0x77, 8]);
    s.extend(16i32.to_be_bytes());
    s.extend(((items.len() / 2) as i32).to_be_bytes());
    for item in items {
        match item {
            J::New(t) => {
                s.push(0x74);
                utf(&mut s, t);
            }
            J::Ref(n) => {
                s.push(0x71);
                s.extend((0x7E_0000 + n).to_be_bytes());
            }
        }
    }
    s.push(0x78);
    s
}

#[test]
fn a_java_back_reference_bomb_is_refused_before_a_password_is_needed() {
    // One 60,000-byte string, then 200,000 entries that repeat it twice:
    // 2 MB that would decode to 24 GB.
    let big = "x".repeat(60_000);
    let mut items = vec![J::New(&big), J::Ref(2)];
    for _ in 0..200_000 {
        items.extend([J::Ref(2), J::Ref(2)]);
    }
    let bomb = java_map(&items);
    assert!(bomb.len() < 3 << 20);
    refused(&bomb, None, "too_costly", "back-references");
    let err = import(&bomb, None, None).unwrap_err();
    assert_eq!(err.kind(), "too_costly", "{err}");
}

#[test]
fn a_freeotp_master_key_with_absurd_iterations_is_refused() {
    let master = r#"{"mAlgorithm":"PBKDF2withHmacSHA512","mIterations":50000000,"mSalt":[1,2,3],"mEncryptedKey":{"mCipher":"AES/GCM/NoPadding","mCipherText":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16],"mParameters":[4,12,1,2,3,4,5,6,7,8,9,10,11,12],"mToken":"AES"}}"#;
    let file = java_map(&[J::New("masterKey"), J::New(master)]);
    refused(&file, None, "too_costly", "PBKDF2 with 50000000 iterations");
}

// ------------------------------------------------------------- SQLite

fn database(sql: &str) -> Vec<u8> {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch(sql).unwrap();
    conn.serialize("main").unwrap().to_vec()
}

#[test]
fn a_recursive_view_in_place_of_a_table_is_never_run() {
    let db = database(
        "CREATE TABLE android_metadata (locale TEXT);
         CREATE VIEW accounts AS
           WITH RECURSIVE c(email, secret, type, issuer) AS (
             SELECT 'a', 'JBSWY3DPEHPK3PXP', 0, 'x'
             UNION ALL SELECT email || 'a', secret, type, issuer FROM c)
           SELECT * FROM c;",
    );
    refused(&db, None, "import_corrupt", "\"accounts\" is a view");
    refused(
        &db,
        Some("google-authenticator-db"),
        "import_corrupt",
        "is a view",
    );
}

const GOOGLE: &str = "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL, counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT DEFAULT NULL, original_name TEXT DEFAULT NULL, isencrypted INTEGER DEFAULT 0);";

#[test]
fn a_table_of_too_many_rows_is_refused() {
    let db = database(&format!(
        "{GOOGLE}
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 100001)
         INSERT INTO accounts (email, secret, type) SELECT 'a' || i, 'JBSWY3DPEHPK3PXP', 0 FROM n;"
    ));
    refused(&db, None, "too_costly", "more than 100000 rows");
}

/// A Google Authenticator database beside a table whose NOT NULL computed
/// column, `expr`, `quick_check` computes for each of `rows` rows.
fn computed(expr: &str, rows: u32) -> Vec<u8> {
    database(&format!(
        "{GOOGLE}
         CREATE TABLE junk (a INTEGER, x TEXT AS ({expr}) VIRTUAL NOT NULL);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT {rows})
         INSERT INTO junk (a) SELECT i FROM n;"
    ))
}

#[test]
fn computed_columns_that_take_too_many_steps_are_interrupted() {
    // Hundreds of cheap steps a row.
    let sum: Vec<String> = (0..200).map(|i| format!("(a + {i})")).collect();
    refused(
        &computed(&sum.join(" + "), 100_000),
        None,
        "too_costly",
        "50 million steps",
    );
}

#[test]
fn computed_columns_that_take_too_long_are_interrupted() {
    // Few steps a row, but each builds 4 MB: 400 GB of work if SQLite
    // evaluated every row. Whether it gets that far depends on the machine
    // and SQLite's own shortcuts (a fresh-clone run finished early with no
    // accounts), so what is checked is the bound: it ends in seconds, and a
    // refusal is the time budget's.
    let start = Instant::now();
    let out = import(
        &computed("printf('%.*c', 4000000, 'A')", 100_000),
        None,
        Some(&pw("password")),
    );
    let took = start.elapsed();
    assert!(took < QUICK, "took {took:?}");
    if let Err(err) = out {
        assert_eq!(err.kind(), "too_costly", "{err}");
        assert!(err.to_string().contains("more than 10 seconds"), "{err}");
    }
}

// ------------------------------------------------- key derivation costs

fn aegis(slots: &[String]) -> Vec<u8> {
    format!(
        r#"{{"version":1,"header":{{"slots":[{}],"params":{{"nonce":"000000000000000000000000","tag":"00000000000000000000000000000000"}}}},"db":"AAAA"}}"#,
        slots.join(",")
    )
    .into_bytes()
}

fn aegis_slot(kind: u8, n: u64, r: u64, p: u64) -> String {
    format!(
        r#"{{"type":{kind},"uuid":"x","key":"00000000000000000000000000000000","key_params":{{"nonce":"000000000000000000000000","tag":"00000000000000000000000000000000"}},"n":{n},"r":{r},"p":{p},"salt":"0000000000000000"}}"#
    )
}

#[test]
fn aegis_with_seventeen_password_slots_is_refused_before_any_derivation() {
    let slots: Vec<String> = (0..17).map(|_| aegis_slot(1, 1 << 15, 8, 1)).collect();
    refused(&aegis(&slots), None, "too_costly", "17 password slots");
    // Biometric slots cost nothing and do not count.
    let mut slots: Vec<String> = (0..40).map(|_| aegis_slot(2, 0, 0, 0)).collect();
    slots.push(aegis_slot(1, 1 << 30, 8, 1));
    refused(
        &aegis(&slots),
        None,
        "too_costly",
        "slot 41 asks for scrypt",
    );
}

#[test]
fn aegis_scrypt_beyond_the_budget_is_refused_with_its_cost() {
    let slot = aegis_slot(1, 1 << 30, 8, 1);
    refused(
        &aegis(&[slot]),
        None,
        "too_costly",
        "scrypt with N = 2^30, r = 8, p = 1 (1 TiB × 2 passes); Authdesk allows at most 1 GiB",
    );
    // 512 MiB is allowed, but not 34 passes over it.
    let slot = aegis_slot(1, 1 << 19, 8, 17);
    refused(
        &aegis(&[slot]),
        None,
        "too_costly",
        "(512 MiB × 34 passes); Authdesk allows at most 16 GiB-passes",
    );
    // A cheap slot first is not derived before the costly second is seen.
    let slots = [aegis_slot(1, 1 << 15, 8, 1), aegis_slot(1, 1 << 22, 8, 1)];
    refused(&aegis(&slots), None, "too_costly", "slot 2");
}

#[test]
fn argon2_and_pbkdf2_beyond_the_budget_are_refused() {
    let ente = |mem: u64, ops: u64| {
        format!(
            r#"{{"version":1,"kdfParams":{{"memLimit":{mem},"opsLimit":{ops},"salt":"oSNHLO3BMxAocxngndY9bw=="}},"encryptedData":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","encryptionNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}"#
        )
        .into_bytes()
    };
    refused(&ente(2 << 30, 2), None, "too_costly", "at most 1 GiB");
    refused(&ente(1 << 30, 17), None, "too_costly", "1 GiB × 17 passes");

    let bitwarden = |kdf: &str| {
        let check = "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        format!(
            r#"{{"encrypted":true,"passwordProtected":true,"salt":"c2FsdA==",{kdf},"encKeyValidation_DO_NOT_EDIT":"{check}","data":"{check}"}}"#
        )
        .into_bytes()
    };
    refused(
        &bitwarden(r#""kdfType":0,"kdfIterations":20000000"#),
        None,
        "too_costly",
        "PBKDF2 with 20000000 iterations",
    );
    refused(
        &bitwarden(r#""kdfType":1,"kdfIterations":3,"kdfMemory":2048,"kdfParallelism":4"#),
        None,
        "too_costly",
        "Argon2id with 2 GiB",
    );
}

#[test]
fn authy_tokens_are_booked_before_the_first_is_derived() {
    let token = r#"{&quot;accountType&quot;:&quot;authenticator&quot;,&quot;digits&quot;:6,&quot;encryptedSecret&quot;:&quot;AAAAAAAAAAAAAAAAAAAAAA==&quot;,&quot;salt&quot;:&quot;s&quot;,&quot;name&quot;:&quot;n&quot;}"#;
    let tokens = vec![token; 10_001].join(",");
    let file = format!(
        "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n    <string name=\"com.authy.storage.tokens.authenticator.key\">[{tokens}]</string>\n</map>\n"
    );
    refused(
        file.as_bytes(),
        None,
        "too_costly",
        "decrypting its 10001 tokens",
    );
}

#[test]
fn an_andotp_iteration_count_beyond_the_budget_costs_one_hash() {
    // Read as the old layout, whose key is one SHA-256: a wrong password,
    // at once.
    let mut blob = vec![0x81u8; 200];
    blob[..4].copy_from_slice(&u32::MAX.to_be_bytes());
    refused(&blob, Some("andotp"), "wrong_password", "wrong password");
}
