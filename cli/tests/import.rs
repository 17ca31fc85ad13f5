//! `authdesk import` and `authdesk export`, black box, against the
//! manifest in `../shared/testdata/importers/`.

mod common;

use std::path::PathBuf;

use common::Env;
use serde_json::Value;

fn sample(rel: &str) -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/testdata/importers")
        .join(rel)
}

fn manifest() -> Value {
    serde_json::from_slice(&std::fs::read(sample("expected.json")).unwrap()).unwrap()
}

fn with_import_pw(env: &Env, args: &[&str], pw: Option<&str>) -> (i32, String, String) {
    let mut c = env.cmd();
    if let Some(pw) = pw {
        c.env("AUTHDESK_IMPORT_PASSWORD", pw);
    }
    common::outcome(c.args(args).output().unwrap())
}

/// `list --json` without ids, sorted, for comparing two vaults.
fn accounts(env: &Env) -> Vec<Value> {
    let mut v: Vec<Value> = env.json(&["list", "--json"]).as_array().unwrap().to_vec();
    for e in &mut v {
        e.as_object_mut().unwrap().remove("id");
    }
    v.sort_by_key(|e| e.to_string());
    v
}

#[test]
fn a_plain_export_imports_once_and_the_second_time_adds_nothing() {
    let env = Env::new();
    let file = sample("aegis/aegis_plain.json");
    let f = file.to_str().unwrap();
    let want = manifest()["files"]["aegis/aegis_plain.json"]["entries"]
        .as_array()
        .unwrap()
        .len();

    let before = std::fs::read(env.vault()).unwrap();
    let out = env.ok(&["import", f, "--dry-run"]);
    assert!(out.contains(&format!("{want} added")), "{out}");
    assert!(out.contains("Would add"), "{out}");
    assert_eq!(std::fs::read(env.vault()).unwrap(), before, "dry run wrote");

    let out = env.ok(&["import", f]);
    assert!(out.contains("Aegis export"), "{out}");
    assert!(
        out.contains(&format!("{want} added, 0 already present")),
        "{out}"
    );
    assert_eq!(
        env.json(&["list", "--json"]).as_array().unwrap().len(),
        want
    );

    let out = env.ok(&["import", f]);
    assert!(
        out.contains(&format!("0 added, {want} already present")),
        "{out}"
    );
    assert_eq!(
        env.json(&["list", "--json"]).as_array().unwrap().len(),
        want
    );
}

#[test]
fn an_encrypted_export_takes_its_password_and_a_wrong_one_writes_nothing() {
    let m = manifest();
    let case = &m["files"]["2fas/twofas.encrypted.2fas"];
    let file = sample("2fas/twofas.encrypted.2fas");
    let f = file.to_str().unwrap();
    let env = Env::new();
    let before = std::fs::read(env.vault()).unwrap();

    let (code, _, err) = with_import_pw(&env, &["import", f], case["wrong_password"].as_str());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("wrong password for this 2FAS export"), "{err}");
    assert!(
        err.contains("twofas.encrypted.2fas"),
        "names the file: {err}"
    );
    assert_eq!(std::fs::read(env.vault()).unwrap(), before);

    // No terminal, no variable: say where the password can come from.
    let (code, _, err) = with_import_pw(&env, &["import", f], None);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("AUTHDESK_IMPORT_PASSWORD"), "{err}");

    let (code, out, err) = with_import_pw(&env, &["import", f], case["password"].as_str());
    assert_eq!(code, 0, "{err}");
    let n = case["entries"].as_array().unwrap().len();
    assert!(out.contains(&format!("{n} added")), "{out}");
}

#[test]
fn an_unknown_or_damaged_file_says_what_was_tried() {
    let env = Env::new();
    let junk = env.dir.path().join("notes.json");
    std::fs::write(&junk, br#"{"hello": "world"}"#).unwrap();
    let err = env.fails(&["import", junk.to_str().unwrap()], 1, "Tried: ");
    assert!(err.contains("Aegis") && err.contains("notes.json"), "{err}");

    // Forcing a format that does not fit names the format's problem.
    let plain = sample("aegis/aegis_plain.json");
    env.fails(
        &["import", plain.to_str().unwrap(), "--format", "2fas"],
        1,
        "2FAS",
    );
    env.fails(
        &["import", plain.to_str().unwrap(), "--format", "nosuch"],
        1,
        "the formats are",
    );

    let cut = env.dir.path().join("cut.json");
    let bytes = std::fs::read(&plain).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let (code, _, err) = env.run(&["import", cut.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cut.json"), "{err}");

    env.fails(
        &[
            "import",
            env.dir.path().join("absent.json").to_str().unwrap(),
        ],
        1,
        "cannot read",
    );
}

fn export_round_trip(format: &str) {
    let from = Env::new();
    from.ok(&[
        "import",
        sample("aegis/aegis.unencrypted.json").to_str().unwrap(),
    ]);
    from.ok(&[
        "add",
        "otpauth://hotp/Meter:warmte?secret=GEZDGNBVGY3TQOJQ&counter=12&digits=8",
    ]);
    let out = from.dir.path().join(format!("export.{format}"));
    let (code, _, err) = from.run(&[
        "export",
        "--format",
        format,
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("NOT encrypted"), "{err}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let to = Env::new();
    to.ok(&["import", out.to_str().unwrap()]);
    assert_eq!(accounts(&from), accounts(&to));
    // And the codes agree, not only the listing.
    assert_eq!(
        from.ok(&["code", "--at", "1700000000"]),
        to.ok(&["code", "--at", "1700000000"])
    );
}

#[test]
fn aegis_export_round_trips() {
    export_round_trip("aegis");
}

#[test]
fn otpauth_export_round_trips() {
    export_round_trip("otpauth");
}
