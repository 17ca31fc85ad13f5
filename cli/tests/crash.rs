//! Crash safety: `passwd`, `backup sync` and `backup restore` killed with
//! SIGKILL at many moments. Afterwards the vault always opens with the old
//! or the new password and holds every account that was committed before,
//! and every backup in the household folder opens whole.
#![cfg(unix)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use authdesk_core::backup::Backup;
use authdesk_core::vault::Vault;
use common::{Env, PW};
use secrecy::SecretString;

const HOUSEHOLD: &str = "Huishouden wachtwoord 2026, lang genoeg";
const OTHER_PW: &str = "Een ander wachtwoord voor de kluis 2026";
/// Runs per command: about a hundred in all, each killed at another
/// moment (a run takes about a second with its checks).
const ROUNDS: usize = 34;

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

/// The vault with whichever password opens it now.
fn open_either(path: &Path) -> (Vault, &'static str) {
    for pw in [PW, OTHER_PW] {
        if let Ok(v) = Vault::open(path, &secret(pw)) {
            return (v, pw);
        }
    }
    panic!("the vault opens with neither the old nor the new password");
}

fn issuers(v: &Vault) -> BTreeSet<String> {
    v.entries().iter().map(|e| e.data.issuer.clone()).collect()
}

/// A cheap, repeatable spread of delays over the command's run.
fn delay(i: usize, spread_ms: u64) -> Duration {
    Duration::from_millis((i as u64 * 7919) % spread_ms)
}

#[test]
fn sigkill_at_any_moment_loses_nothing_committed() {
    let env = Env::new();
    let folder = env.dir.path().join("Gedeeld");
    std::fs::create_dir(&folder).unwrap();
    let backup_file = env.dir.path().join("oud.authdesk-backup");
    let mut committed = BTreeSet::new();
    for (i, s) in ["JBSWY3DPEHPK3PXP", "GEZDGNBVGY3TQOJQ", "MFRGGZDFMZTWQ2LK"]
        .iter()
        .enumerate()
    {
        env.ok(&[
            "add",
            &format!("otpauth://totp/Portaal{i}:fam?secret={s}&issuer=Portaal{i}"),
        ]);
        committed.insert(format!("Portaal{i}"));
    }
    let run = |args: &[&str], password: &str| {
        let mut c = env.command(assert_cmd::cargo::cargo_bin("authdesk"));
        c.args(args)
            .env("AUTHDESK_PASSWORD", password)
            .env("AUTHDESK_BACKUP_PASSWORD", HOUSEHOLD)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        c
    };
    let folder_s = folder.to_str().unwrap();
    assert!(
        run(&["backup", "sync", folder_s], PW)
            .status()
            .unwrap()
            .success()
    );
    assert!(
        run(&["backup", "create", backup_file.to_str().unwrap()], PW)
            .status()
            .unwrap()
            .success()
    );

    let mut killed = 0;
    let mut current = PW;
    for i in 0..3 * ROUNDS {
        let other = if current == PW { OTHER_PW } else { PW };
        // Something new to carry, committed before the command starts.
        let name = format!("Nieuw{i}");
        let s = format!(
            "{:A>16}",
            format!("{i:b}").replace('0', "A").replace('1', "B")
        );
        let added = run(
            &[
                "add",
                &format!("otpauth://totp/{name}:x?secret={s}&issuer={name}"),
            ],
            current,
        )
        .status()
        .unwrap();
        assert!(added.success(), "add {name}");
        committed.insert(name);
        let mut cmd = match i % 3 {
            0 => {
                let mut c = run(&["passwd"], current);
                c.env("AUTHDESK_NEW_PASSWORD", other);
                c
            }
            1 => run(&["backup", "sync", folder_s], current),
            _ => run(
                &["backup", "restore", backup_file.to_str().unwrap()],
                current,
            ),
        };
        let mut child = cmd.spawn().unwrap();
        std::thread::sleep(delay(i, 450));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            killed += 1;
        }
        child.wait().unwrap();

        let (vault, now) = open_either(&env.vault());
        current = now;
        let have = issuers(&vault);
        let lost: Vec<_> = committed.difference(&have).collect();
        assert!(lost.is_empty(), "round {i}: lost {lost:?}");
        for item in std::fs::read_dir(&folder).unwrap() {
            let path = item.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".authdesk-backup") && !name.starts_with('.') {
                Backup::read(&path, &secret(HOUSEHOLD))
                    .unwrap_or_else(|e| panic!("round {i}: {name} does not open whole: {e}"));
            }
        }
    }
    assert!(
        killed >= ROUNDS,
        "only {killed} of {} runs were killed mid-way",
        3 * ROUNDS
    );
    println!(
        "{killed} of {} runs killed mid-way; nothing lost",
        3 * ROUNDS
    );
}
