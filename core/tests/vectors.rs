//! The vault and backup test vectors, as `tests/vectors/MANIFEST` describes
//! them: every block opens its file with its password and gets what it
//! expects, the file is left as it was, and no vector goes undescribed.

use std::path::{Path, PathBuf};

use authdesk_core::backup::Backup;
use authdesk_core::error::Kind;
use authdesk_core::vault::Vault;
use secrecy::SecretString;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

struct Case {
    file: String,
    password: String,
    expect: String,
}

fn manifest() -> Vec<Case> {
    let text = std::fs::read_to_string(root().join("MANIFEST")).unwrap();
    let mut cases = Vec::new();
    for block in text.split("\n\n") {
        let field = |name: &str| {
            block
                .lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
                .map(str::to_owned)
        };
        if let Some(file) = field("file") {
            cases.push(Case {
                password: field("password").unwrap_or_else(|| panic!("{file}: no password")),
                expect: field("expect").unwrap_or_else(|| panic!("{file}: no expect")),
                file,
            });
        }
    }
    cases
}

fn password(case: &Case) -> SecretString {
    let text = match case.password.as_str() {
        "sample" => "correct horse battery staple".to_owned(),
        "second" => "oma's eigen wachtwoord".to_owned(),
        "wrong" => {
            let dir = root().join(&case.file);
            std::fs::read_to_string(dir.parent().unwrap().join("wrong-password.txt"))
                .unwrap()
                .trim_end()
                .to_owned()
        }
        other => panic!("{}: unknown password {other}", case.file),
    };
    SecretString::from(text)
}

/// Entries on success, or the error's kind and message.
fn open(case: &Case) -> Result<usize, (&'static str, String)> {
    let path = root().join(&case.file);
    let pw = password(case);
    if case.file.starts_with("vault/") {
        Vault::open(&path, &pw)
            .map(|v| v.entries().len())
            .map_err(|e| (e.kind(), e.to_string()))
    } else {
        Backup::read(&path, &pw)
            .map(|b| b.entries.len())
            .map_err(|e| (e.kind(), e.to_string()))
    }
}

#[test]
fn every_vector_gives_what_the_manifest_expects() {
    let cases = manifest();
    assert!(cases.len() >= 19, "the manifest lost blocks");
    for case in &cases {
        let before = std::fs::read(root().join(&case.file)).unwrap();
        let got = open(case);
        assert_eq!(
            std::fs::read(root().join(&case.file)).unwrap(),
            before,
            "{} was modified",
            case.file
        );
        match (case.expect.strip_prefix("success "), got) {
            (Some(n), Ok(entries)) => assert_eq!(entries.to_string(), n, "{}", case.file),
            (Some(_), Err(e)) => panic!("{}: expected to open, got {e:?}", case.file),
            (None, Ok(_)) => panic!("{}: opened, expected {}", case.file, case.expect),
            (None, Err((kind, message))) => {
                let (want, text) = case
                    .expect
                    .split_once(": ")
                    .unwrap_or((case.expect.as_str(), ""));
                assert_eq!(kind, want, "{}: {message}", case.file);
                assert!(message.contains(text), "{}: {message}", case.file);
                let name = Path::new(&case.file).file_name().unwrap().to_str().unwrap();
                assert!(
                    message.contains(name),
                    "{}: the message names the file: {message}",
                    case.file
                );
            }
        }
    }
}

#[test]
fn every_vector_file_is_in_the_manifest() {
    let described: Vec<String> = manifest().into_iter().map(|c| c.file).collect();
    for dir in ["vault", "backup"] {
        for f in std::fs::read_dir(root().join(dir)).unwrap().flatten() {
            let name = f.file_name().into_string().unwrap();
            if name.ends_with(".md") || name.ends_with(".txt") {
                continue;
            }
            let file = format!("{dir}/{name}");
            assert!(
                described.contains(&file),
                "{file} is not in tests/vectors/MANIFEST"
            );
        }
    }
}
