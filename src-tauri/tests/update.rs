//! Updates end to end against an HTTP server on 127.0.0.1: lists and
//! packages signed by a throwaway key made with the Tauri CLI, the same
//! `tauri signer` a release uses, then checked and verified by the app's
//! update module on the mock runtime with the app's real configuration.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

use authdesk_app::session::Session;
use authdesk_app::settings::Settings;
use authdesk_app::state::AppState;
use authdesk_app::update::{self, Offer, Source};
use tauri::App;
use tauri::test::{MockRuntime, mock_builder};

/// The Tauri CLI from ui's npm packages (scripts/test installs them first).
fn tauri_cli(args: &[&str]) {
    let cli =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/@tauri-apps/cli/tauri.js");
    assert!(
        cli.exists(),
        "{} is missing: run `npm ci` in ui/ first",
        cli.display()
    );
    let out = Command::new("node").arg(&cli).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "tauri {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

struct Key {
    path: PathBuf,
    /// As `plugins.updater.pubkey` holds it: the .pub file's text.
    public: String,
}

fn keys() -> &'static (tempfile::TempDir, Key, Key) {
    static KEYS: OnceLock<(tempfile::TempDir, Key, Key)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let make = |name: &str| {
            let path = dir.path().join(name);
            let p = path.to_str().unwrap();
            tauri_cli(&["signer", "generate", "--ci", "-p", "", "-w", p]);
            let public = std::fs::read_to_string(path.with_extension("key.pub")).unwrap();
            Key { path, public }
        };
        let ours = make("ours.key");
        let other = make("other.key");
        (dir, ours, other)
    })
}

fn ours() -> &'static Key {
    &keys().1
}

/// `tauri signer sign --app-version`: what `tauri build` writes as `.sig`.
fn sign(key: &Key, bytes: &[u8], version: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("authdesk.AppImage");
    std::fs::write(&file, bytes).unwrap();
    tauri_cli(&[
        "signer",
        "sign",
        "-f",
        key.path.to_str().unwrap(),
        "-p",
        "",
        "--app-version",
        version,
        file.to_str().unwrap(),
    ]);
    std::fs::read_to_string(file.with_extension("AppImage.sig")).unwrap()
}

/// What one path answers: a status, headers and a body.
#[derive(Clone)]
struct Reply {
    status: &'static str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Keeps sending the body until the client hangs up.
    endless: bool,
}

impl Reply {
    fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: "200 OK",
            headers: vec![],
            body: body.into(),
            endless: false,
        }
    }
}

/// A plain HTTP/1.1 server on 127.0.0.1, one connection at a time.
struct Server {
    base: String,
}

impl Server {
    /// `routes` gets the server's address first: a list names its package's URL.
    fn start(routes: impl FnOnce(&str) -> HashMap<&'static str, Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes = Arc::new(routes(&base));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = serve(stream, &routes);
            }
        });
        Server { base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn serve(mut stream: TcpStream, routes: &HashMap<&'static str, Reply>) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        if stream.read(&mut byte)? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    let path = head.split(' ').nth(1).unwrap_or("/");
    let reply = routes.get(path).cloned().unwrap_or(Reply {
        status: "404 Not Found",
        headers: vec![],
        body: b"not here".to_vec(),
        endless: false,
    });
    let mut out = format!("HTTP/1.1 {}\r\nConnection: close\r\n", reply.status);
    let has_length = reply
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-length"));
    for (k, v) in &reply.headers {
        out += &format!("{k}: {v}\r\n");
    }
    if !has_length && !reply.endless {
        out += &format!("Content-Length: {}\r\n", reply.body.len());
    }
    out += "\r\n";
    stream.write_all(out.as_bytes())?;
    loop {
        stream.write_all(&reply.body)?;
        if !reply.endless {
            return Ok(());
        }
    }
}

fn app() -> App<MockRuntime> {
    let dir = std::env::temp_dir();
    let state = AppState::new(
        Session::new(dir.join("authdesk-update-test.vault")),
        Settings::default(),
        None,
    );
    authdesk_app::with_commands(
        mock_builder().plugin(tauri_plugin_updater::Builder::new().build()),
        state,
    )
    .build(tauri::generate_context!())
    .expect("mock app")
}

/// A `latest.json` as tauri-action writes it, for this platform.
fn list(version: &str, url: &str, signature: &str) -> String {
    serde_json::json!({
        "version": version,
        "notes": "Faster scans.\n<script>alert(1)</script>",
        "pub_date": "2026-12-01T10:00:00Z",
        "platforms": {
            tauri_plugin_updater::target().unwrap(): { "url": url, "signature": signature }
        }
    })
    .to_string()
}

fn package() -> Vec<u8> {
    (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect()
}

type Checked = Result<Offer, authdesk_app::error::CmdError>;

/// Serves `list.json` (given the package's URL) and `pkg`, and checks.
fn offered(list_json: impl Fn(&str) -> String, pkg: Vec<u8>) -> Checked {
    let server = Server::start(|base| {
        HashMap::from([
            ("/list.json", Reply::ok(list_json(&format!("{base}/pkg")))),
            ("/pkg", Reply::ok(pkg)),
        ])
    });
    let app = app();
    let source = Source {
        list: server.url("/list.json").parse().unwrap(),
        pubkey: ours().public.clone(),
    };
    tauri::async_runtime::block_on(update::check(app.handle(), &source))
}

/// Checks a list that offers `served` bytes, signed as `signature` says,
/// and downloads what it offers.
fn install_attempt(
    served: Vec<u8>,
    signature: String,
    announced: &str,
) -> Result<Vec<u8>, authdesk_app::error::CmdError> {
    let offer = offered(|url| list(announced, url, &signature), served);
    let Offer::Newer(update) = offer.expect("an offer") else {
        panic!("{announced} was not offered")
    };
    assert_eq!(update.version, announced);
    assert_eq!(
        update::notes(update.body.as_deref()),
        "Faster scans.\n<script>alert(1)</script>"
    );
    tauri::async_runtime::block_on(update::download(&update, |_, _| ()))
}

#[test]
fn a_signed_newer_version_is_offered_and_verified() {
    let pkg = package();
    let sig = sign(ours(), &pkg, "9.0.0");
    assert_eq!(install_attempt(pkg.clone(), sig, "9.0.0").unwrap(), pkg);
}

#[test]
fn a_tampered_package_is_refused() {
    let pkg = package();
    let sig = sign(ours(), &pkg, "9.0.0");
    let mut tampered = pkg.clone();
    tampered[1000] ^= 1;
    let e = install_attempt(tampered, sig, "9.0.0").unwrap_err();
    assert_eq!(e.kind, "update_signature", "{e:?}");
    assert!(e.message.contains("does not match its signature"), "{e}");
}

#[test]
fn a_package_signed_by_another_key_is_refused() {
    let pkg = package();
    let sig = sign(&keys().2, &pkg, "9.0.0");
    let e = install_attempt(pkg, sig, "9.0.0").unwrap_err();
    assert_eq!(e.kind, "update_signature", "{e:?}");
}

#[test]
fn an_old_package_announced_as_new_is_refused() {
    // The downgrade attack: a genuine old release behind a new number.
    let pkg = package();
    let sig = sign(ours(), &pkg, "0.0.9");
    let e = install_attempt(pkg, sig, "9.0.0").unwrap_err();
    assert_eq!(e.kind, "update_signed_version", "{e:?}");
    assert_eq!(e.params["signed"], "0.0.9");
    assert_eq!(e.params["version"], "9.0.0");
}

#[test]
fn an_older_or_equal_version_is_never_offered() {
    let pkg = package();
    let sig = sign(ours(), &pkg, "0.0.9");
    let offer = offered(|url| list("0.0.9", url, &sig), pkg.clone());
    let Ok(Offer::Current { older }) = offer else {
        panic!("an older version was offered")
    };
    assert_eq!(older.as_deref(), Some("0.0.9"));
    let current = env!("CARGO_PKG_VERSION");
    let offer = offered(|url| list(current, url, &sig), pkg);
    assert!(matches!(offer, Ok(Offer::Current { older: None })));
}

fn check_at(url: String) -> authdesk_app::error::CmdError {
    let app = app();
    let source = Source {
        list: url.parse().unwrap(),
        pubkey: ours().public.clone(),
    };
    match tauri::async_runtime::block_on(update::check(app.handle(), &source)) {
        Ok(_) => panic!("{url} was accepted"),
        Err(e) => e,
    }
}

#[test]
fn an_unreachable_server_is_a_clear_message() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/list.json", listener.local_addr().unwrap());
    drop(listener);
    let e = check_at(url);
    assert_eq!(e.kind, "update_unreachable", "{e:?}");
    assert_eq!(e.params["server"], "127.0.0.1");
    assert!(
        e.message
            .starts_with("could not reach the update server 127.0.0.1"),
        "{e}"
    );
}

#[test]
fn bad_answers_are_refused_with_what_was_wrong() {
    let big = Reply {
        status: "200 OK",
        headers: vec![],
        body: vec![b' '; 1024],
        endless: true,
    };
    let claims_big = Reply {
        status: "200 OK",
        headers: vec![("Content-Length".into(), (update::MAX_LIST + 1).to_string())],
        body: b"{}".to_vec(),
        endless: false,
    };
    let no_platform = serde_json::json!({
        "version": "9.0.0",
        "platforms": { "plan9-mips": { "url": "http://127.0.0.1/x", "signature": "x" } }
    });
    let server = Server::start(|_| {
        HashMap::from([
            ("/endless.json", big),
            ("/claims.json", claims_big),
            ("/html.json", Reply::ok("<html>captive portal</html>")),
            ("/noversion.json", Reply::ok("{\"platforms\":{}}")),
            ("/badversion.json", Reply::ok("{\"version\":\"soon\"}")),
            ("/noplatform.json", Reply::ok(no_platform.to_string())),
        ])
    });
    let kinds = [
        ("/endless.json", "update_too_big"),
        ("/claims.json", "update_too_big"),
        ("/missing.json", "update_http"),
        ("/html.json", "update_list"),
        ("/noversion.json", "update_list"),
        ("/badversion.json", "update_list"),
        ("/noplatform.json", "update_no_package"),
    ];
    for (path, kind) in kinds {
        let e = check_at(server.url(path));
        assert_eq!(e.kind, kind, "{path}: {e:?}");
        if kind == "update_too_big" {
            // A key the page translates, not an English word.
            assert_eq!(e.params["what"], "release_list");
        }
    }
}

#[test]
fn a_package_larger_than_the_bound_is_refused_before_it_is_read() {
    let pkg = package();
    let sig = sign(ours(), &pkg, "9.0.0");
    let server = Server::start(|_| {
        HashMap::from([(
            "/pkg",
            Reply {
                status: "200 OK",
                headers: vec![(
                    "Content-Length".into(),
                    (update::MAX_PACKAGE + 1).to_string(),
                )],
                body: pkg.clone(),
                endless: false,
            },
        )])
    });
    let text = list("9.0.0", &server.url("/pkg"), &sig);
    let app = app();
    let source = Source {
        list: server.url("/list.json").parse().unwrap(),
        pubkey: ours().public.clone(),
    };
    let Ok(Offer::Newer(update)) = update::offer(app.handle(), &source, text.as_bytes()) else {
        panic!("not offered")
    };
    let e = tauri::async_runtime::block_on(update::download(&update, |_, _| ())).unwrap_err();
    assert_eq!(e.kind, "update_too_big", "{e:?}");
    assert_eq!(e.params["what"], "package");
}
