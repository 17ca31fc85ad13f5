//! The page's TypeScript for the commands' types (issue 18): ts-rs writes
//! one file per type into `ui/src/bindings/`, which `ui/src/api.ts`
//! imports. The files are committed; this test generates them afresh and
//! fails when a committed one differs, is missing or is left over. With
//! `AUTHDESK_WRITE_BINDINGS=1` it rewrites the folder instead.
//!
//! The types derive `ts_rs::TS` only under `cfg(test)` (core's behind its
//! `ts` feature, which only this crate's dev-dependencies turn on): no
//! build that ships contains ts-rs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::{Config, TS};

const REGENERATE: &str = "AUTHDESK_WRITE_BINDINGS=1 cargo test -p authdesk-app bindings";

/// Where the committed files are.
fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings")
}

/// Every type a command takes or returns, or an event carries; ts-rs
/// brings the types they use along (a flattened type is written inline).
fn export(dir: &Path) -> Result<(), ts_rs::ExportError> {
    // serde_json writes 64-bit integers as JSON numbers, and JSON.parse
    // reads them as `number`, never `bigint` (ts-rs's default).
    let cfg = Config::new().with_out_dir(dir).with_large_int("number");
    macro_rules! roots {
        ($($t:ty),* $(,)?) => {
            $(<$t as TS>::export_all(&cfg)?;)*
        };
    }
    use crate::commands::settings::SettingsReply;
    use crate::commands::transfer::ExportDone;
    use crate::commands::vault::{BootReply, StrengthReply};
    use crate::session::household::Revoked;
    use crate::session::{
        AddReport, BackupDone, BackupStatus, CodeView, Codes, EntryEdit, EntryView, ImportFile,
        ImportPreview, ManualInput, MigrationQr, Preview, PreviewEntry, RestorePreview, Reveal,
        ScanReport,
    };
    roots!(
        // commands/vault.rs
        BootReply,
        StrengthReply,
        // commands/accounts.rs
        EntryView,
        Codes,
        CodeView,
        crate::session::Copied,
        Preview,
        PreviewEntry,
        AddReport,
        ManualInput,
        EntryEdit,
        Reveal,
        // commands/icons.rs
        crate::session::BundledView,
        crate::session::IconChoice,
        // commands/autotype.rs
        crate::autotype::PickView,
        crate::autotype::Delivered,
        // commands/settings.rs
        crate::settings::Settings,
        SettingsReply,
        crate::clock::ClockStatus,
        crate::update::UpdateStatus,
        crate::shortcut::help::ShortcutHelp,
        // commands/scan.rs
        ScanReport,
        // commands/backup.rs
        BackupDone,
        BackupStatus,
        Revoked,
        RestorePreview,
        authdesk_core::backup::RestoreReport,
        // commands/transfer.rs
        MigrationQr,
        ImportFile,
        ImportPreview,
        ExportDone,
        // every command's error
        crate::error::CmdError,
        // events other than the replies above
        crate::update::UpdateProgress,
    );
    Ok(())
}

/// The `.ts` files of a folder, by name.
fn ts_files(dir: &Path) -> BTreeMap<String, String> {
    let Ok(list) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    list.map(|e| e.expect("read the bindings folder").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ts"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).expect("read a binding");
            (name, text)
        })
        .collect()
}

/// What differs between the generated files and the committed ones.
fn stale(
    generated: &BTreeMap<String, String>,
    committed: &BTreeMap<String, String>,
) -> Vec<String> {
    let changed = generated
        .iter()
        .filter_map(|(name, text)| match committed.get(name) {
            None => Some(format!("ui/src/bindings/{name} is missing")),
            Some(old) if old != text => Some(format!("ui/src/bindings/{name} is out of date")),
            Some(_) => None,
        });
    let left_over = committed
        .keys()
        .filter(|name| !generated.contains_key(*name))
        .map(|name| format!("ui/src/bindings/{name} is generated from no type"));
    changed.chain(left_over).collect()
}

#[test]
fn bindings_are_current() {
    let out = tempfile::tempdir().expect("a temporary folder");
    export(out.path()).expect("export the bindings");
    let generated = ts_files(out.path());
    assert!(!generated.is_empty(), "ts-rs wrote no file");
    let dir = committed_dir();
    let committed = ts_files(&dir);
    let problems = stale(&generated, &committed);
    if problems.is_empty() {
        return;
    }
    if std::env::var_os("AUTHDESK_WRITE_BINDINGS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(&dir).expect("create ui/src/bindings");
        for name in committed.keys().filter(|n| !generated.contains_key(*n)) {
            std::fs::remove_file(dir.join(name)).expect("remove a left-over binding");
        }
        for (name, text) in &generated {
            std::fs::write(dir.join(name), text).expect("write a binding");
        }
        eprintln!("rewrote ui/src/bindings: {}", problems.join("; "));
        return;
    }
    panic!(
        "the TypeScript bindings differ from the Rust types:\n  {}\nregenerate them with `{REGENERATE}` and commit ui/src/bindings/",
        problems.join("\n  ")
    );
}

#[test]
fn a_changed_or_left_over_file_is_named() {
    let file = |text: &str| text.to_owned();
    let generated = BTreeMap::from([
        ("A.ts".to_owned(), file("a")),
        ("B.ts".to_owned(), file("b")),
    ]);
    let committed = BTreeMap::from([
        ("A.ts".to_owned(), file("a")),
        ("B.ts".to_owned(), file("old b")),
        ("C.ts".to_owned(), file("c")),
    ]);
    assert_eq!(
        stale(&generated, &committed),
        [
            "ui/src/bindings/B.ts is out of date",
            "ui/src/bindings/C.ts is generated from no type",
        ]
    );
    let only_a = BTreeMap::from([("A.ts".to_owned(), file("a"))]);
    assert_eq!(
        stale(&generated, &only_a),
        ["ui/src/bindings/B.ts is missing"]
    );
}

/// The page's copies of the commands' types are the generated ones: a
/// type written by hand in api.ts would drift from Rust again.
#[test]
fn api_ts_declares_no_type_of_its_own() {
    let api = std::fs::read_to_string(committed_dir().join("../api.ts")).expect("read api.ts");
    let own: Vec<&str> = api
        .lines()
        .map(str::trim_start)
        .filter(|l| {
            let l = l.strip_prefix("export ").unwrap_or(l);
            l.starts_with("interface ") || (l.starts_with("type ") && l.contains(" = "))
        })
        .collect();
    assert!(
        own.is_empty(),
        "ui/src/api.ts declares types by hand: {own:?}; derive ts_rs::TS on the Rust type, \
         add it to src-tauri/src/bindings.rs and import it from ./bindings"
    );
}
