//! The command layer through Tauri's IPC, on the mock runtime with the
//! app's real configuration and capabilities.

use authdesk_app::session::Session;
use authdesk_app::settings::Settings;
use authdesk_app::state::AppState;
use authdesk_core::vault::KdfParams;
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow};

const SECRET: &str = "YFMGXVSIAP4UEZDR7MNWH2TJJQZ4ADXY";
/// Household passwords (strong enough for the floor: zxcvbn score 3+).
const HOUSEHOLD: &str = "zonnepaneel fietsbel appelboom";
const OMA: &str = "oma breit sokken in de zomer";
const OPA: &str = "opa fietst langs de dijk naar huis";

struct Harness {
    _dir: tempfile::TempDir,
    _app: App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

impl Harness {
    fn new() -> Harness {
        Harness::with_kdf(KdfParams::insecure_for_tests())
    }

    fn with_kdf(kdf: KdfParams) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let session = Session::with_kdf(dir.path().join("vault.authdesk"), kdf);
        let state = AppState::new(
            session,
            Settings::default(),
            Some(dir.path().join("settings.json")),
        );
        let app = authdesk_app::with_commands(mock_builder(), state)
            .build(tauri::generate_context!())
            .expect("mock app");
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        Harness {
            _dir: dir,
            _app: app,
            webview,
        }
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        call(&self.webview, cmd, args)
    }

    fn vault_path(&self) -> std::path::PathBuf {
        self._dir.path().join("vault.authdesk")
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }
}

/// A command as the page calls it; the webview may be another thread's.
fn call(webview: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    {
        get_ipc_response(
            webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().unwrap())
    }
}

fn no_secret_in(reply: &Value) {
    let text = reply.to_string();
    assert!(
        !text.to_uppercase().contains(&SECRET[..16]),
        "secret in IPC reply: {text}"
    );
    let bytes = authdesk_core::secret::parse_base32(SECRET).unwrap();
    let as_json_array = serde_json::to_string(bytes.expose()).unwrap();
    assert!(
        !text.contains(&as_json_array[1..as_json_array.len() - 1]),
        "secret bytes in IPC reply"
    );
}

#[test]
fn list_and_codes_replies_never_contain_a_secret() {
    let h = Harness::new();
    h.ok("create_vault", json!({"password": "pw", "remember": false}));
    let uri = format!("otpauth://totp/Warmtenet:fam?secret={SECRET}&issuer=Warmtenet&period=60");
    h.ok("add_uri", json!({"text": uri}));
    h.ok(
        "add_manual",
        json!({"input": {
        "issuer": "Portal", "account": "me", "secret": "jbsw y3dp ehpk 3pxp", "type": "hotp",
        "algorithm": "SHA1", "digits": 6, "period": 30, "counter": 0}}),
    );
    let list = h.ok("list_entries", json!({}));
    assert_eq!(list.as_array().unwrap().len(), 2);
    no_secret_in(&list);
    let codes = h.ok("get_codes", json!({}));
    no_secret_in(&codes);
    let first = &codes["codes"][0];
    assert_eq!(first["code"].as_str().unwrap().len(), 6);
    assert!(first["next"].is_string());
    let id = list[1]["id"].as_str().unwrap();
    let hotp = h.ok("next_hotp", json!({"id": id}));
    assert_eq!(hotp["code"], "282760"); // oathtool --hotp -c 0 -b JBSWY3DPEHPK3PXP
    no_secret_in(&h.ok("get_codes", json!({})));
    no_secret_in(&h.ok("preview_uri", json!({"text": uri})));
    no_secret_in(&h.ok("boot", json!({})));
}

#[test]
fn reveal_needs_the_password_again() {
    let h = Harness::new();
    h.ok("create_vault", json!({"password": "pw", "remember": false}));
    h.ok(
        "add_uri",
        json!({"text": format!("otpauth://totp/X:y?secret={SECRET}")}),
    );
    let id = h.ok("list_entries", json!({}))[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let err = h
        .call("reveal_secret", json!({"id": id, "password": "wrong"}))
        .unwrap_err();
    assert_eq!(err["kind"], "wrong_password");
    let shown = h.ok("reveal_secret", json!({"id": id, "password": "pw"}));
    assert_eq!(shown["secret"], SECRET);
    assert!(shown["qr_svg"].as_str().unwrap().starts_with("<?xml"));
}

#[test]
fn errors_are_typed_for_the_ui() {
    let h = Harness::new();
    let err = h.call("list_entries", json!({})).unwrap_err();
    assert_eq!(err["kind"], "locked");
    h.ok("create_vault", json!({"password": "pw", "remember": false}));
    let err = h
        .call(
            "preview_uri",
            json!({"text": "otpauth://totp/x?secret=JBSWY3DPEHPK3PX1"}),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "invalid_secret_char");
    assert_eq!(err["params"]["position"], "16");
    let err = h
        .call("preview_uri", json!({"text": "https://example.com"}))
        .unwrap_err();
    assert_eq!(err["kind"], "not_otpauth");
    h.ok("lock", json!({}));
    let err = h
        .call("unlock", json!({"password": "nope", "remember": false}))
        .unwrap_err();
    assert_eq!(err["kind"], "wrong_password");
    h.ok("unlock", json!({"password": "pw", "remember": false}));
    assert_eq!(h.ok("boot", json!({}))["unlocked"], true);
}

/// Settings' Wayland panel: all three commands with the saved keys, and a
/// copy names its text rather than sending one (an unknown name is refused
/// before the clipboard is touched).
#[test]
fn shortcut_help_lists_the_commands_and_copies_only_its_own_texts() {
    let h = Harness::new();
    let help = h.ok("shortcut_help", json!({}));
    assert!(help["needed"].is_boolean(), "{help}");
    let commands = help["commands"].as_array().unwrap();
    let actions: Vec<&str> = commands
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["show", "scan", "type"]);
    assert_eq!(commands[0]["keys"], "Ctrl+Alt+A");
    assert!(
        commands[1]["command"]
            .as_str()
            .unwrap()
            .ends_with(" --scan")
    );
    let err = h
        .call("copy_shortcut_text", json!({"which": "echo hello"}))
        .unwrap_err();
    assert_eq!(err["kind"], "unknown_shortcut_text");
    assert_eq!(err["params"]["which"], "echo hello");
}

#[test]
fn a_forgotten_password_sets_the_vault_aside_for_a_new_one() {
    let h = Harness::new();
    h.ok(
        "create_vault",
        json!({"password": "forgotten", "remember": false}),
    );
    h.ok(
        "add_uri",
        json!({"text": "otpauth://totp/Warmtenet:anna?secret=JBSWY3DPEHPK3PXP"}),
    );
    let err = h.call("set_vault_aside", json!({})).unwrap_err();
    assert_eq!(err["kind"], "unlocked", "an open vault is never moved");
    h.ok("lock", json!({}));
    let old = std::fs::read(h.vault_path()).unwrap();
    let aside = h.ok("set_vault_aside", json!({}));
    let aside = std::path::PathBuf::from(aside.as_str().unwrap());
    assert_eq!(aside.parent(), h.vault_path().parent());
    assert!(
        aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("vault.authdesk.forgotten-"),
        "{aside:?}"
    );
    assert_eq!(std::fs::read(&aside).unwrap(), old, "kept byte for byte");
    assert_eq!(h.ok("boot", json!({}))["vault_exists"], false);
    h.ok(
        "create_vault",
        json!({"password": "new", "remember": false}),
    );
    assert_eq!(h.ok("list_entries", json!({})).as_array().unwrap().len(), 0);
    // The old one still opens with its password.
    authdesk_core::vault::Vault::open(&aside, &secrecy::SecretString::from("forgotten")).unwrap();
}

#[test]
fn delete_undo_and_settings_round_trip() {
    let h = Harness::new();
    h.ok("create_vault", json!({"password": "pw", "remember": false}));
    h.ok(
        "add_uri",
        json!({"text": format!("otpauth://totp/A:a?secret={SECRET}")}),
    );
    h.ok(
        "add_uri",
        json!({"text": "otpauth://totp/B:b?secret=JBSWY3DPEHPK3PXP"}),
    );
    let id = h.ok("list_entries", json!({}))[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    h.ok("delete_entry", json!({"id": id}));
    assert_eq!(h.ok("list_entries", json!({})).as_array().unwrap().len(), 1);
    assert_eq!(h.ok("undo_delete", json!({})), json!(id));
    assert_eq!(h.ok("list_entries", json!({}))[0]["id"], json!(id));
    // Code settings: a QR code that said 30 s for codes of 60 s is mended
    // in Edit; settings that make no codes are refused, naming the value.
    let err = h
        .call("update_entry", json!({"id": id, "edit": {"digits": 11}}))
        .unwrap_err();
    assert_eq!(
        (err["kind"].as_str(), err["params"]["value"].as_str()),
        (Some("invalid_digits"), Some("11"))
    );
    let err = h
        .call(
            "update_entry",
            json!({"id": id, "edit": {"algorithm": "MD5"}}),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "invalid_algorithm");
    let edited = h.ok(
        "update_entry",
        json!({"id": id, "edit": {"period": 60, "digits": 8, "algorithm": "SHA256"}}),
    );
    assert_eq!(
        (
            &edited["period"],
            &edited["digits"],
            &edited["algorithm"],
            &edited["issuer"]
        ),
        (&json!(60), &json!(8), &json!("SHA256"), &json!("A")),
        "{edited}"
    );
    // Tags and a note, cleaned as kept; the list carries them.
    let edited = h.ok(
        "update_entry",
        json!({"id": id, "edit": {"tags": [" Klanten ", "klanten", "Zon"], "note": " Meter 12-345 "}}),
    );
    assert_eq!(edited["tags"], json!(["Klanten", "Zon"]));
    assert_eq!(edited["note"], "Meter 12-345");
    assert_eq!(h.ok("list_entries", json!({}))[0]["note"], "Meter 12-345");
    let mut s = h.ok("get_settings", json!({}));
    s["language"] = json!("nl");
    s["clipboard_clear_seconds"] = json!(1);
    let reply = h.ok("set_settings", json!({"settings": s}));
    assert_eq!(reply["language"], "nl");
    assert_eq!(
        reply["settings"]["clipboard_clear_seconds"], 5,
        "clamped to the minimum"
    );
    for lang in ["de", "fr", "en"] {
        let mut s = reply["settings"].clone();
        s["language"] = json!(lang);
        let reply = h.ok("set_settings", json!({"settings": s}));
        assert_eq!(reply["language"], lang);
        assert_eq!(reply["settings"]["language"], lang);
    }
}

/// The command names `ui/src/api.ts` invokes.
fn invoked_by_the_page(api: &str) -> std::collections::BTreeSet<String> {
    api.match_indices("invoke")
        .filter_map(|(at, _)| {
            let rest = &api[at + "invoke".len()..];
            // `invoke<Type>("name"` or `invoke("name"`; not the import.
            let rest = rest
                .strip_prefix('<')
                .map_or(Some(rest), |r| r.find(">(").map(|end| &r[end + 1..]))?;
            let name = rest.strip_prefix("(\"")?;
            Some(name[..name.find('"')?].to_owned())
        })
        .collect()
}

#[test]
fn the_page_invokes_every_command_and_only_through_api_ts() {
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src");
    let page = invoked_by_the_page(&std::fs::read_to_string(ui.join("api.ts")).unwrap());
    let ours: std::collections::BTreeSet<String> = authdesk_app::command_names::COMMANDS
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        page, ours,
        "api.ts and command_names.rs list different commands"
    );
    // Views go through api.ts: its wrappers are the one list on that side.
    let mut dirs = vec![ui];
    while let Some(dir) = dirs.pop() {
        for f in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = f.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "ts")
                && path.file_name().is_some_and(|n| n != "api.ts")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    !text.contains("invoke("),
                    "{} invokes a command itself",
                    path.display()
                );
            }
        }
    }
}

/// The commands `generate_handler![...]` in src/lib.rs registers, by name.
fn registered_in(lib_rs: &str) -> Vec<String> {
    let start = lib_rs
        .find("generate_handler![")
        .expect("src/lib.rs has a generate_handler! list")
        + "generate_handler![".len();
    let end = start + lib_rs[start..].find(']').expect("the list ends");
    lib_rs[start..end]
        .split(',')
        .map(|path| {
            let path: String = path.split_whitespace().collect();
            path.rsplit("::").next().unwrap_or_default().to_owned()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

#[test]
fn the_invoke_handler_registers_exactly_the_listed_commands() {
    let lib_rs = include_str!("../src/lib.rs");
    let registered = registered_in(lib_rs);
    let listed = authdesk_app::command_names::COMMANDS;
    let unlisted: Vec<&String> = registered
        .iter()
        .filter(|c| !listed.contains(&c.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "registered in src/lib.rs but not in command_names.rs (so no permission allows them): {unlisted:?}"
    );
    let unregistered: Vec<&&str> = listed
        .iter()
        .filter(|c| !registered.iter().any(|r| r == *c))
        .collect();
    assert!(
        unregistered.is_empty(),
        "in command_names.rs but not registered in src/lib.rs's generate_handler!: {unregistered:?}"
    );
    let mut unique = registered.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        registered.len(),
        "a command is registered twice"
    );
    // The parser reads what it must: paths, spaces, a trailing comma.
    assert_eq!(
        registered_in("generate_handler![\n  a::b::one,\n  two ,\n  c::three,\n])"),
        ["one", "two", "three"]
    );
}

#[test]
fn every_command_is_granted_by_name_and_nothing_else() {
    let caps: Value = serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
    let granted: Vec<&str> = caps["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    for cmd in authdesk_app::command_names::COMMANDS {
        let perm = format!("allow-{}", cmd.replace('_', "-"));
        assert!(granted.contains(&perm.as_str()), "{cmd} is not granted");
    }
    for p in &granted {
        assert!(
            p.starts_with("allow-")
                || *p == "core:event:allow-listen"
                || *p == "core:event:allow-unlisten",
            "unexpected permission {p}"
        );
    }
    // Every granted command is also registered in the invoke handler.
    let h = Harness::new();
    for cmd in authdesk_app::command_names::COMMANDS {
        if let Err(e) = h.call(cmd, json!({})) {
            let text = e.to_string();
            assert!(
                !text.contains("not found"),
                "{cmd} is not registered: {text}"
            );
        }
    }
    // A command that does not exist is refused by the ACL.
    assert!(
        h.call("plugin:fs|read_file", json!({"path": "/etc/passwd"}))
            .is_err()
    );
}

#[test]
fn moving_to_a_phone_needs_the_password_and_names_what_stays_behind() {
    let h = Harness::new();
    h.ok("create_vault", json!({"password": "pw", "remember": false}));
    for i in 0..9 {
        h.ok(
            "add_uri",
            json!({"text": format!("otpauth://totp/P{i}:u?secret=JBSWY3DPEHPK3PX{}", (b'A' + i) as char)}),
        );
    }
    h.ok(
        "add_uri",
        json!({"text": format!("otpauth://totp/Meter:m?secret={SECRET}&period=60")}),
    );
    let err = h
        .call("export_migration", json!({"ids": [], "password": "nope"}))
        .unwrap_err();
    assert_eq!(err["kind"], "wrong_password");
    let out = h.ok("export_migration", json!({"ids": [], "password": "pw"}));
    // 9 accounts at 8 per code; the 60 s one cannot travel.
    assert_eq!(out["codes"].as_array().unwrap().len(), 2);
    assert!(out["codes"][0].as_str().unwrap().starts_with("<?xml"));
    assert_eq!(out["left_out"][0]["kind"], "period");
    assert_eq!(out["left_out"][0]["value"], 60);
    assert_eq!(out["left_out"][0]["name"], "Meter (m)");
}

#[test]
fn parts_of_a_transfer_export_add_up_across_scans() {
    use authdesk_core::uri::{Parsed, parse};
    let h = Harness::new();
    h.ok("create_vault", json!({"password": "pw", "remember": false}));
    let entries: Vec<_> = (0..20u8)
        .map(|i| {
            match parse(&format!(
                "otpauth://totp/Portal{i}:u{i}?secret=JBSWY3DPEHPK3PX{}",
                (b'A' + i) as char
            ))
            .unwrap()
            {
                Parsed::Single(e) => e,
                Parsed::Migration(_) => unreachable!(),
            }
        })
        .collect();
    let export = authdesk_core::migration::export(&entries);
    let part = |i: usize| vec![export.uris[i].to_string()];
    let state = h._app.state::<AppState>();
    let scan = |texts: Vec<String>| state.session().scan_texts(texts).unwrap();

    let r = scan(part(0));
    assert_eq!(r.parts.as_ref().unwrap().scanned, [1]);
    assert_eq!(r.preview.entries.len(), 8);
    // The same part twice, then nothing found: no account twice, none lost.
    scan(part(0));
    let r = scan(vec![]);
    assert_eq!(r.preview.entries.len(), 8);
    let r = scan(part(2));
    assert_eq!(r.parts.as_ref().unwrap().scanned, [1, 3]);
    assert_eq!(r.preview.entries.len(), 12);
    let r = scan(part(1));
    assert_eq!(r.parts.as_ref().unwrap().scanned, [1, 2, 3]);
    assert_eq!(r.preview.entries.len(), 20);
    let added = h.ok("add_scanned", json!({}));
    assert_eq!(added["added"].as_array().unwrap().len(), 20);
    // Any other code starts afresh.
    scan(part(0));
    let r = scan(vec![format!("otpauth://totp/Other:o?secret={SECRET}")]);
    assert!(r.parts.is_none());
    assert_eq!(r.preview.entries.len(), 1);
}

#[test]
fn back_up_to_the_folder_and_restore_with_a_preview() {
    let h = Harness::new();
    h.ok("create_vault", json!({"password": "pw", "remember": false}));
    for uri in [
        format!("otpauth://totp/Meter:m?secret={SECRET}"),
        "otpauth://hotp/Teller:t?secret=JBSWY3DPEHPK3PXP&counter=3".to_owned(),
    ] {
        h.ok("add_uri", json!({"text": uri}));
    }
    let err = h.call("backup_now", json!({"password": "b"})).unwrap_err();
    assert_eq!(err["kind"], "no_backup_folder");
    let folder = tempfile::tempdir().unwrap();
    let mut settings = h.ok("get_settings", json!({}));
    settings["backup_folder"] = json!(folder.path());
    h.ok("set_settings", json!({"settings": settings}));
    let status = h.ok("backup_status", json!({}));
    assert_eq!(
        status["reminder"], "none",
        "accounts and no backup: {status}"
    );
    let err = h.call("backup_now", json!({})).unwrap_err();
    assert_eq!(err["kind"], "password_required");
    // Starting the household with a weak password: refused, nothing kept.
    let err = h
        .call("backup_now", json!({"password": "gezin"}))
        .unwrap_err();
    assert_eq!(err["kind"], "weak_password");
    assert_eq!(err["params"]["score"], "0");
    assert_eq!(err["params"]["min"], "3");
    assert!(
        err["params"]["suggestions"]
            .as_str()
            .unwrap()
            .contains("add_another_word"),
        "{err}"
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("too easy to guess")
    );
    assert_eq!(h.ok("backup_status", json!({}))["joined"], false);
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);
    let done = h.ok(
        "backup_now",
        json!({"password": HOUSEHOLD, "name": " Mam "}),
    );
    assert_eq!(done["accounts"], 2);
    let status = h.ok("backup_status", json!({}));
    assert_eq!(status["joined"], true);
    assert_eq!(status["current"], true);
    assert_eq!(status["reminder"], json!(null));
    assert_eq!(status["passwords"], json!(["Mam"]));
    // Joined: later backups need no password.
    h.ok("backup_now", json!({}));
    // Named for the household: the next backup carries the name.
    assert_eq!(
        h.ok("set_device_name", json!({"name": "  Keuken\tlaptop "})),
        "Keuken laptop"
    );
    assert_eq!(
        h.ok("backup_status", json!({}))["device_name"],
        "Keuken laptop"
    );
    assert_eq!(
        h.ok("backup_status", json!({}))["current"],
        false,
        "the name is not in the backup yet"
    );
    let done = h.ok("backup_now", json!({}));
    assert_eq!(done["sync"]["devices"][0]["name"], "Keuken laptop");
    assert_eq!(h.ok("backup_status", json!({}))["current"], true);

    // Household passwords: named, listed by name, removed by anyone with
    // the vault open (no password typed), or for good under a new key.
    let passwords = |h: &Harness| h.ok("backup_status", json!({}))["passwords"].clone();
    let err = h
        .call(
            "add_backup_password",
            json!({"password": "oma", "name": "Oma"}),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "weak_password");
    assert_eq!(passwords(&h), json!(["Mam"]));
    h.ok(
        "add_backup_password",
        json!({"password": OMA, "name": "Oma"}),
    );
    h.ok("add_backup_password", json!({"password": OPA, "name": ""}));
    assert_eq!(passwords(&h), json!(["Mam", "Oma", ""]));
    h.ok(
        "rename_backup_password",
        json!({"index": 2, "was": "", "name": "Opa"}),
    );
    assert_eq!(passwords(&h), json!(["Mam", "Oma", "Opa"]));
    let err = h
        .call("remove_backup_password", json!({"index": 1, "name": "Jan"}))
        .unwrap_err();
    assert_eq!(err["kind"], "changed_meanwhile", "the list was not this");
    let removed = h.ok("remove_backup_password", json!({"index": 2, "name": "Opa"}));
    assert_eq!(removed["new_key"], false);
    assert_eq!(passwords(&h), json!(["Mam", "Oma"]));
    assert_eq!(h.ok("backup_status", json!({}))["current"], true);
    let err = h
        .call(
            "remove_backup_password",
            json!({"index": 1, "name": "Oma", "keep": "niemand"}),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "not_a_household_password");
    let err = h
        .call(
            "remove_backup_password",
            json!({"index": 1, "name": "Oma", "keep": OMA}),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "kept_the_removed");
    let revoked = h.ok(
        "remove_backup_password",
        json!({"index": 1, "name": "Oma", "keep": HOUSEHOLD}),
    );
    assert_eq!(revoked["new_key"], true);
    assert_eq!(revoked["other_passwords_dropped"], 0);
    assert_eq!(passwords(&h), json!(["Mam"]), "the kept one keeps its name");
    let err = h
        .call("remove_backup_password", json!({"index": 0, "name": "Mam"}))
        .unwrap_err();
    assert_eq!(err["kind"], "last_password");
    assert_eq!(
        h.ok("backup_status", json!({}))["current"],
        true,
        "rewritten under the new key"
    );

    // Another device with a password that does not open the folder's
    // backups is told so, and nothing of its vault changes.
    let other = Harness::new();
    other.ok(
        "create_vault",
        json!({"password": "pw2", "remember": false}),
    );
    let mut settings = other.ok("get_settings", json!({}));
    settings["backup_folder"] = json!(folder.path());
    other.ok("set_settings", json!({"settings": settings}));
    let err = other
        .call("backup_now", json!({"password": "other"}))
        .unwrap_err();
    assert_eq!(err["kind"], "household_password");
    assert!(
        err["params"]["files"]
            .as_str()
            .unwrap()
            .contains(".authdesk-backup")
    );
    // With the household's password it joins and gets the accounts.
    other.ok("backup_now", json!({"password": HOUSEHOLD}));
    assert_eq!(
        other
            .ok("list_entries", json!({}))
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let id = h.ok("list_entries", json!({}))[0]["id"].clone();
    h.ok("delete_entry", json!({"id": id}));
    let bytes = std::fs::read(done["path"].as_str().unwrap()).unwrap();
    let state = h._app.state::<AppState>();
    state
        .session()
        .stage_backup("b.authdesk-backup".into(), bytes)
        .unwrap();
    let err = h
        .call("preview_restore", json!({"password": "x"}))
        .unwrap_err();
    assert_eq!(err["kind"], "wrong_password");
    let preview = h.ok("preview_restore", json!({"password": HOUSEHOLD}));
    no_secret_in(&preview);
    assert_eq!(preview["accounts"], 2);
    assert_eq!(preview["report"]["added"], json!(["Meter (m)"]));
    assert_eq!(
        h.ok("list_entries", json!({})).as_array().unwrap().len(),
        1,
        "a preview writes nothing"
    );
    let report = h.ok("apply_restore", json!({}));
    assert_eq!(report["added"], json!(["Meter (m)"]));
    assert_eq!(h.ok("list_entries", json!({})).as_array().unwrap().len(), 2);
    let err = h.call("apply_restore", json!({})).unwrap_err();
    assert_eq!(err["kind"], "nothing_staged");
}

/// A household round that reads a slow folder (six other devices'
/// backups of 5,000 accounts each) does not hold the session: codes and
/// `lock` answer at once while it runs, and the round then writes nothing
/// from the locked session.
#[test]
fn locking_and_codes_never_wait_for_the_household_folder() {
    use std::time::{Duration, Instant};
    let h = Harness::new();
    h.ok("create_vault", json!({"password": "pw", "remember": false}));
    h.ok(
        "add_uri",
        json!({"text": format!("otpauth://totp/Meter:m?secret={SECRET}")}),
    );
    let folder = tempfile::tempdir().unwrap();
    let mut settings = h.ok("get_settings", json!({}));
    settings["backup_folder"] = json!(folder.path());
    h.ok("set_settings", json!({"settings": settings}));
    let done = h.ok("backup_now", json!({"password": HOUSEHOLD}));
    let own = std::path::PathBuf::from(done["path"].as_str().unwrap());

    // Other devices' backups, as big as real households never get.
    let state = h._app.state::<AppState>();
    let vault_path = state.session().vault_path().to_owned();
    let mine = authdesk_core::vault::Vault::open(&vault_path, &"pw".to_owned().into()).unwrap();
    let household = mine.contents().household.clone().unwrap();
    let entries: Vec<_> = (0..5_000u32)
        .map(|i| {
            let data = authdesk_core::EntryData {
                issuer: format!("Portal {i}"),
                account: "installer".into(),
                secret: authdesk_core::SecretBytes::new(i.to_le_bytes().repeat(5)),
                otp: authdesk_core::OtpParams::totp(),
            };
            authdesk_core::Entry::new(data, 1_790_000_000_000)
        })
        .collect();
    let big = authdesk_core::backup::Backup::for_household(&household, "big", entries, vec![]);
    let bytes = big.to_bytes();
    for n in 0..6 {
        std::fs::write(
            folder
                .path()
                .join(format!("authdesk-big{n}.authdesk-backup")),
            &bytes,
        )
        .unwrap();
    }
    let own_before = std::fs::read(&own).unwrap();
    let vault_before = std::fs::read(&vault_path).unwrap();

    let path = folder.path().to_owned();
    let round = std::thread::scope(|scope| {
        let handle =
            scope.spawn(|| authdesk_app::session::household::round(&state.shared, &path, 3));
        std::thread::sleep(Duration::from_millis(300));
        let start = Instant::now();
        h.ok("get_codes", json!({}));
        h.ok("lock", json!({}));
        let waited = start.elapsed();
        assert!(
            !handle.is_finished(),
            "the round was too quick to show anything"
        );
        assert!(
            waited < Duration::from_millis(250),
            "codes and lock waited {waited:?}"
        );
        handle.join().unwrap()
    });
    assert_eq!(round.unwrap(), None, "locked meanwhile: the round ends");
    assert_eq!(
        std::fs::read(&own).unwrap(),
        own_before,
        "nothing written after the lock"
    );
    assert_eq!(std::fs::read(&vault_path).unwrap(), vault_before);
}

/// A reveal and a "Move to a phone" check the retyped password with a KDF
/// run as costly as an unlock; codes and `lock` do not wait for it.
#[test]
fn codes_and_lock_never_wait_for_a_retyped_password() {
    use std::time::{Duration, Instant};
    let h = Harness::with_kdf(KdfParams {
        memory_kib: 256 * 1024,
        passes: 4,
        lanes: 1,
    });
    h.ok("create_vault", json!({"password": "pw", "remember": false}));
    h.ok(
        "add_uri",
        json!({"text": format!("otpauth://totp/Meter:m?secret={SECRET}")}),
    );
    let id = h.ok("list_entries", json!({}))[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (cmd, args) in [
        ("reveal_secret", json!({"id": id, "password": "pw"})),
        ("export_migration", json!({"ids": [], "password": "pw"})),
    ] {
        h.ok("touch", json!({}));
        std::thread::scope(|scope| {
            let webview = h.webview.clone();
            let handle = scope.spawn(move || call(&webview, cmd, args));
            std::thread::sleep(Duration::from_millis(100));
            let start = Instant::now();
            h.ok("get_codes", json!({}));
            let waited = start.elapsed();
            assert!(!handle.is_finished(), "{cmd}'s KDF was too quick to tell");
            assert!(
                waited < Duration::from_millis(250),
                "codes waited {waited:?} for {cmd}"
            );
            assert!(handle.join().unwrap().is_ok(), "{cmd}");
        });
    }
    // Locked while the password is checked: nothing is revealed.
    std::thread::scope(|scope| {
        let webview = h.webview.clone();
        let args = json!({"id": id, "password": "pw"});
        let handle = scope.spawn(move || call(&webview, "reveal_secret", args));
        std::thread::sleep(Duration::from_millis(100));
        let start = Instant::now();
        h.ok("lock", json!({}));
        assert!(start.elapsed() < Duration::from_millis(250));
        let err = handle.join().unwrap().unwrap_err();
        assert_eq!(err["kind"], "locked", "{err}");
    });
}

#[test]
fn password_strength_is_estimated_in_rust_with_translatable_feedback() {
    let h = Harness::new();
    // No vault needed: the setup screen's meter runs before one exists.
    let weak = h.ok("password_strength", json!({"password": "Password1!"}));
    assert!(weak["score"].as_u64().unwrap() <= 1, "{weak}");
    assert_eq!(weak["min_file_score"], 3);
    assert_eq!(weak["min_vault_score"], 3);
    assert!(weak["guesses_log10"].as_f64().unwrap() < 6.0, "{weak}");
    let warning = &weak["warning"];
    assert!(
        warning["key"].is_string() && warning["text"].is_string(),
        "{weak}"
    );
    let suggestions = weak["suggestions"].as_array().unwrap();
    assert!(
        suggestions.iter().any(|s| s["key"] == "add_another_word"),
        "{weak}"
    );
    assert!(
        !weak.to_string().contains("Password1!"),
        "the password is not echoed"
    );

    let strong = h.ok(
        "password_strength",
        json!({"password": "purple lantern drifts over quiet harbour"}),
    );
    assert!(strong["score"].as_u64().unwrap() >= 3, "{strong}");
    assert_eq!(strong["warning"], json!(null));
    assert_eq!(strong["suggestions"], json!([]));

    let empty = h.ok("password_strength", json!({"password": ""}));
    assert_eq!(empty["score"], 0);
    assert_eq!(empty["guesses_log10"], 0.0);
    // The vault's and app's own words count against a password.
    let own = h.ok("password_strength", json!({"password": "authdesk"}));
    assert!(own["score"].as_u64().unwrap() <= 1, "{own}");
}
