//! Black-box tests of the real `authdesk` binary against the contract in
//! `../shared/cli-contract.md`.

#[cfg(unix)]
use std::path::Path;
use std::process::Command as StdCommand;

use serde_json::Value;

mod common;

use common::{Env, PW};

fn oathtool(args: &[String]) -> String {
    let out = StdCommand::new("oathtool")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`oathtool` is not installed ({e}); scripts/test installs it"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn init_creates_a_private_vault_and_never_overwrites() {
    let env = Env::new();
    #[cfg(unix)]
    {
        assert_eq!(mode(&env.vault()), 0o600);
        assert_eq!(mode(env.vault().parent().unwrap()), 0o700);
    }
    let before = std::fs::read(env.vault()).unwrap();
    env.fails(&["init"], 1, "already exists");
    assert_eq!(std::fs::read(env.vault()).unwrap(), before);
    assert!(env.ok(&["list"]).contains("empty"));
}

#[test]
fn codes_equal_oathtool_for_every_algorithm_digits_and_period() {
    let env = Env::new();
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let mut grid = Vec::new();
    for alg in ["SHA1", "SHA256", "SHA512"] {
        for digits in ["6", "7", "8"] {
            for period in ["1", "30", "60"] {
                let issuer = format!("{alg}-{digits}-{period}");
                env.ok(&[
                    "add",
                    "--secret",
                    secret,
                    "--issuer",
                    &issuer,
                    "--account",
                    "grid",
                    "--algorithm",
                    alg,
                    "--digits",
                    digits,
                    "--period",
                    period,
                ]);
                grid.push((issuer, alg, digits, period));
            }
        }
    }
    let mut compared = 0;
    for t in [
        "59",
        "1111111109",
        "1234567890",
        "2000000000",
        "2026-11-24T08:00:00Z",
    ] {
        let codes = env.json(&["code", "grid", "--at", t, "--json"]);
        let unix = if t.contains('T') {
            "1795507200".to_string()
        } else {
            t.to_string()
        };
        for (issuer, alg, digits, period) in &grid {
            let item = codes
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["issuer"] == issuer.as_str())
                .unwrap();
            let want = oathtool(&[
                format!("--totp={alg}"),
                format!("--digits={digits}"),
                format!("--time-step-size={period}s"),
                format!("--now=@{unix}"),
                "--base32".into(),
                secret.into(),
            ]);
            assert_eq!(item["code"], want.as_str(), "{issuer} at {t}");
            compared += 1;
        }
    }
    assert_eq!(compared, 27 * 5);
}

#[test]
fn hotp_codes_follow_oathtool_and_the_counter_is_saved() {
    let env = Env::new();
    env.ok(&[
        "add",
        "--secret",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        "--issuer",
        "Hot",
        "--account",
        "me",
        "--type",
        "hotp",
        "--counter",
        "3",
    ]);
    for counter in 3..7 {
        let codes = env.json(&["code", "Hot", "--json"]);
        let want = oathtool(&[
            "--hotp".into(),
            format!("--counter={counter}"),
            "--base32".into(),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into(),
        ]);
        assert_eq!(codes[0]["code"], want.as_str());
        assert_eq!(codes[0]["counter"], counter);
    }
    assert_eq!(env.json(&["list", "--json"])[0]["counter"], 7);
}

#[test]
fn add_uri_manual_migration_and_duplicates() {
    let env = Env::new();
    let out = env.ok(&["add", "otpauth://totp/Warmtenet%20Meterportaal:fam.de.vries%40voorbeeld.nl?secret=YFMGXVSIAP4UEZDR7MNWH2TJJQZ4ADXY&issuer=Warmtenet%20Meterportaal&period=60\n"]);
    assert!(
        out.contains("Added: Warmtenet Meterportaal (fam.de.vries@voorbeeld.nl)"),
        "{out}"
    );
    let out = env.ok(&[
        "add",
        "--secret",
        "yfmg xvsi ap4u ezdr 7mnw h2tj jqz4 adxy",
        "--issuer",
        "Again",
        "--period",
        "60",
    ]);
    assert!(out.contains("Already present"), "{out}");
    env.ok(&[
        "add",
        "--secret",
        "JBSW Y3DP EHPK 3PXP",
        "--issuer",
        " Portal ",
        "--account",
        "installer ",
    ]);
    // Typed names are trimmed as in the app (one rule, in core).
    let list = env.json(&["list", "--json"]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|e| e["issuer"] == "Portal" && e["account"] == "installer"),
        "{list}"
    );
    // Google Authenticator export: SHA256/SHA512, HOTP, no issuer.
    let uri = common::uri_case("mig-authpro-6");
    let out = env.ok(&["add", &uri]);
    assert_eq!(out.matches("Added:").count(), 6, "{out}");
    let list = env.json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 8);
    let hotp = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["account"] == "Hotp")
        .unwrap();
    assert_eq!(
        (
            hotp["type"].as_str(),
            hotp["counter"].as_u64(),
            &hotp["period"]
        ),
        (Some("hotp"), Some(10), &Value::Null)
    );
}

#[test]
fn list_json_has_the_promised_fields_and_no_secret() {
    let env = Env::new();
    env.ok(&["add", "otpauth://totp/ACME:bob?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME&algorithm=SHA512&digits=8"]);
    let (_, out, err) = env.run(&["list", "--json"]);
    let list: Value = serde_json::from_str(&out).unwrap();
    let item = list[0].as_object().unwrap();
    let mut keys: Vec<_> = item.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "account",
            "algorithm",
            "counter",
            "digits",
            "id",
            "issuer",
            "period",
            "type"
        ]
    );
    assert_eq!(
        (
            item["algorithm"].as_str(),
            item["digits"].as_u64(),
            item["period"].as_u64()
        ),
        (Some("SHA512"), Some(8), Some(30))
    );
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["code"],
        &["code", "--json"],
    ] {
        let (_, out, err2) = env.run(args);
        for text in [&out, &err2, &err] {
            assert!(
                !text.to_uppercase().contains("HXDMVJECJJWSRB3H"),
                "secret in output of {args:?}"
            );
        }
    }
}

#[test]
fn bad_input_gets_specific_errors_and_exit_codes() {
    let env = Env::new();
    env.fails(
        &["add", "otpauth://totp/x?secret=JBSWY3DPEHPK3PX1"],
        1,
        "invalid base32 character '1' at position 16",
    );
    env.fails(
        &["add", "otpauth://totp/x?secret=AA&digits=12"],
        1,
        "invalid digits \"12\"",
    );
    env.fails(
        &["add", "otpauth://totp/x?secret=AA&period=0"],
        1,
        "invalid period",
    );
    env.fails(&["add", "otpauth://totp/x?issuer=y"], 1, "no secret");
    env.fails(
        &["add", "https://www.voorbeeld.nl/hulp"],
        1,
        "not an authenticator code",
    );
    env.fails(
        &["add", "otpauth-migration://offline?data=XXXX"],
        1,
        "damaged",
    );
    env.fails(&["add", "--secret", "JBSW1"], 1, "position 5");
    env.fails(
        &["add", "--secret", "JBSWY3DP", "--digits", "12"],
        1,
        "digits",
    );
    env.fails(&["code", "nothing-matches"], 1, "the vault is empty");
    env.fails(&["remove", "abcdef12"], 1, "no entry with id abcdef12");
    // A bad option value is a usage error, as the contract's exit codes say.
    env.fails(&["code", "--at", "yesterday"], 2, "RFC 3339 such as");
    env.fails(&["code", "--at", "1969-12-31T23:59:59Z"], 2, "before 1970");
    env.fails(&["rename", "abcd"], 2, "--issuer");
    env.fails(&["frobnicate"], 2, "unrecognized subcommand");
    env.fails(&["export", "--format", "pdf"], 2, "invalid value");
}

#[test]
fn wrong_password_and_damaged_files_leave_the_vault_untouched() {
    let env = Env::new();
    env.ok(&["add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "Kept"]);
    let before = std::fs::read(env.vault()).unwrap();
    let out = env
        .cmd()
        .env("AUTHDESK_PASSWORD", "nope")
        .args(["add", "--secret", "GEZDGNBV", "--issuer", "X"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "wrong password for vault {}",
            env.vault().display()
        )),
        "{err}"
    );
    assert_eq!(std::fs::read(env.vault()).unwrap(), before);

    let mut damaged = before.clone();
    let n = damaged.len();
    damaged[n - 3] ^= 1;
    std::fs::write(env.vault(), &damaged).unwrap();
    env.fails(
        &["add", "--secret", "GEZDGNBV", "--issuer", "X"],
        1,
        "is corrupt",
    );
    assert_eq!(std::fs::read(env.vault()).unwrap(), damaged);
    std::fs::write(env.vault(), &before[..100]).unwrap();
    env.fails(&["list"], 1, "is truncated");
}

#[test]
fn password_sources_and_the_no_tty_error() {
    let env = Env::new();
    let pwfile = env.dir.path().join("pw.txt");
    std::fs::write(&pwfile, format!("{PW}\n")).unwrap();
    let out = env
        .cmd()
        .env_remove("AUTHDESK_PASSWORD")
        .env("AUTHDESK_PASSWORD_FILE", &pwfile)
        .arg("list")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = env
        .cmd()
        .env_remove("AUTHDESK_PASSWORD")
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("AUTHDESK_PASSWORD_FILE") && err.contains("terminal"),
        "{err}"
    );
    env.fails(
        &["list", "--vault", "/nonexistent/dir/v.authdesk"],
        1,
        "authdesk init",
    );
}

#[test]
fn remove_rename_export_and_passwd() {
    let env = Env::new();
    env.ok(&["add", "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP"]);
    env.ok(&[
        "add",
        "otpauth://hotp/B:b?secret=GEZDGNBVGY3TQOJQ&counter=4&digits=8&algorithm=SHA256",
    ]);
    env.ok(&[
        "add",
        "otpauth://steam/Steam:c?secret=JRZCL47CMXVOQMNPZR2F7J4RGI",
    ]);
    let list = env.json(&["list", "--json"]);
    let id_a = list[0]["id"].as_str().unwrap();
    let out = env.ok(&[
        "rename",
        &id_a[..8],
        "--issuer",
        "Renamed",
        "--account",
        "new name",
    ]);
    assert!(out.contains("Renamed (new name)"), "{out}");
    let export = env.ok(&["export", "--format", "otpauth"]);
    let lines: Vec<_> = export.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        "otpauth://totp/Renamed:new%20name?secret=JBSWY3DPEHPK3PXP&issuer=Renamed&algorithm=SHA1&digits=6&period=30"
    );
    assert!(lines[1].starts_with("otpauth://hotp/B:b?secret=GEZDGNBVGY3TQOJQ&issuer=B&algorithm=SHA256&digits=8&counter=4"), "{}", lines[1]);
    assert!(lines[2].starts_with("otpauth://steam/"), "{}", lines[2]);
    // Export into a fresh vault gives back the same accounts.
    let other = Env::new();
    for l in &lines {
        other.ok(&["add", l]);
    }
    let strip = |v: Value| -> Vec<Value> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.as_object_mut().unwrap().remove("id");
                e
            })
            .collect()
    };
    assert_eq!(
        strip(other.json(&["list", "--json"])),
        strip(env.json(&["list", "--json"]))
    );

    let file = env.dir.path().join("export.txt");
    env.ok(&[
        "export",
        "--format",
        "otpauth",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), export);
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600);

    env.ok(&["remove", &id_a[..6]]);
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 2);

    let out = env
        .cmd()
        .env("AUTHDESK_NEW_PASSWORD", "brand new password")
        .arg("passwd")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    env.fails(&["list"], 1, "wrong password");
    let out = env
        .cmd()
        .env("AUTHDESK_PASSWORD", "brand new password")
        .args(["list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn concurrent_processes_never_lose_an_entry() {
    let env = Env::new();
    let bin = assert_cmd::cargo::cargo_bin("authdesk");
    let children: Vec<_> = (0..8u8)
        .map(|i| {
            let secret = data_encoding_like(i);
            StdCommand::new(&bin)
                .env("AUTHDESK_VAULT", env.vault())
                .env("AUTHDESK_PASSWORD", PW)
                .env("AUTHDESK_NO_KEYCHAIN", "1")
                .args(["add", "--secret", &secret, "--issuer", &format!("P{i}")])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 8);
}

/// A distinct valid base32 key per process.
fn data_encoding_like(i: u8) -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    (0..16)
        .map(|k| alphabet[((i as usize) * 7 + k * 3) % 32] as char)
        .collect()
}

#[test]
#[ignore = "needs a Secret Service; scripts/test runs it under gnome-keyring-daemon"]
fn remember_opens_without_a_password_until_forget() {
    let env = Env::new();
    env.ok(&["add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "K"]);
    // The keychain is reached through the session bus that scripts/test
    // started; `password` false means "nothing but the keychain".
    let with_keychain = |args: &[&str], password: bool| {
        let mut c = env.cmd();
        c.env_remove("AUTHDESK_NO_KEYCHAIN");
        if !password {
            c.env_remove("AUTHDESK_PASSWORD");
        }
        if let Some(v) = std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
            c.env("DBUS_SESSION_BUS_ADDRESS", v);
        }
        c.args(args).output().unwrap()
    };
    assert!(with_keychain(&["remember"], true).status.success());
    let out = with_keychain(&["list", "--json"], false);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"K\""));
    assert!(with_keychain(&["forget"], true).status.success());
    let out = with_keychain(&["list"], false);
    assert_eq!(out.status.code(), Some(1));
}

/// The app's handle (an in-process vault, as the app's session holds it)
/// and four CLI processes issue HOTP codes from one vault at once: every
/// counter value is issued exactly once.
#[test]
fn hotp_counters_are_never_issued_twice_by_concurrent_issuers() {
    use authdesk_core::vault::Vault;
    let env = Env::new();
    env.ok(&[
        "add",
        "otpauth://hotp/Teller:t?secret=GEZDGNBVGY3TQOJQ&counter=0",
    ]);
    let mut app = Vault::open(env.vault(), &secrecy::SecretString::from(PW.to_owned())).unwrap();
    let id = app.entries()[0].id;
    const EACH: usize = 8;
    let clis: Vec<_> = (0..4)
        .map(|_| {
            let mut sh = env.command("sh");
            sh.arg("-c")
                .arg(format!(
                    "for i in $(seq {EACH}); do \"$0\" code teller --json || exit 1; done"
                ))
                .arg(assert_cmd::cargo::cargo_bin("authdesk"))
                .stdout(std::process::Stdio::piped());
            sh.spawn().unwrap()
        })
        .collect();
    let mut counters: Vec<u64> = Vec::new();
    for _ in 0..EACH {
        let code = app.issue_hotp(id).unwrap().unwrap();
        counters.push(code.counter.unwrap());
    }
    for child in clis {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        for doc in serde_json::Deserializer::from_str(&text).into_iter::<Value>() {
            for item in doc.unwrap().as_array().unwrap() {
                counters.push(item["counter"].as_u64().unwrap());
            }
        }
    }
    let total = counters.len();
    assert_eq!(total, 5 * EACH);
    counters.sort_unstable();
    counters.dedup();
    assert_eq!(counters.len(), total, "a counter value was issued twice");
    assert_eq!(counters, (0..total as u64).collect::<Vec<_>>());
}

#[test]
fn a_weak_vault_password_from_the_environment_is_warned_about_not_refused() {
    let env = Env::new();
    // `init` with the strong test password said nothing about strength.
    let (_, _, err) = env.run(&["list"]);
    assert!(!err.contains("easy to guess"), "{err}");

    let weak = env.dir.path().join("weak.authdesk");
    let out = env
        .cmd()
        .env("AUTHDESK_PASSWORD", "a")
        .args(["init", "--vault", weak.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("Warning: the new vault password from $AUTHDESK_PASSWORD is easy to guess"),
        "{err}"
    );
    assert!(err.contains("Strength 0 of 4"), "{err}");
    assert!(err.contains("authdesk passwd"), "{err}");
    assert!(weak.exists());

    let out = env
        .cmd()
        .env("AUTHDESK_NEW_PASSWORD", "Password1!")
        .arg("passwd")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("the new password from $AUTHDESK_NEW_PASSWORD is easy to guess"),
        "{err}"
    );
    assert!(err.contains("Add another word or two"), "{err}");
    assert!(
        !err.contains("Password1!"),
        "the password is not echoed: {err}"
    );
}

#[test]
fn type_refuses_several_matches_and_says_why_it_cannot_type() {
    let env = Env::new();
    env.ok(&["add", "otpauth://totp/ista:anna?secret=JBSWY3DPEHPK3PXP"]);
    env.ok(&["add", "otpauth://totp/ista:jan?secret=GEZDGNBVGY3TQOJQ"]);
    // Several: exit 2, each listed, nothing typed.
    let err = env.fails(&["type", "ista"], 2, "matches 2 accounts");
    assert!(
        err.contains("ista (anna)") && err.contains("ista (jan)"),
        "{err}"
    );
    env.fails(&["type", "nothing"], 1, "no account matches");
    // The environment is cleared: no display to type into, and the way out.
    env.fails(&["type", "anna"], 1, "cannot type into other windows");
    env.fails(
        &["type", "anna"],
        1,
        "`authdesk code QUERY` prints the code",
    );
    // GNOME's and KDE's XWayland give an X11 display too: keys sent there
    // could reach another program's X11 window, so nothing is typed.
    let out = env
        .command(env!("CARGO_BIN_EXE_authdesk"))
        .args(["type", "anna"])
        .env("DISPLAY", ":authdesk-test")
        .env("WAYLAND_DISPLAY", "wayland-authdesk-test")
        .env("XDG_SESSION_TYPE", "wayland")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("a Wayland session, where other programs' windows cannot be typed into"),
        "{err}"
    );
}
