//! `authdesk backup create|restore`, black box.

mod common;

use common::Env;

const BPW: &str = "gezinsback-up 2026";

fn with_backup_pw(env: &Env, args: &[&str], pw: &str) -> (i32, String, String) {
    common::outcome(
        env.cmd()
            .env("AUTHDESK_BACKUP_PASSWORD", pw)
            .args(args)
            .output()
            .unwrap(),
    )
}

#[test]
fn backup_then_restore_into_another_vault_merges() {
    let laptop = Env::new();
    laptop.ok(&[
        "add",
        "otpauth://totp/Zon:installateur?secret=JBSWY3DPEHPK3PXP&issuer=Zon",
    ]);
    laptop.ok(&[
        "add",
        "otpauth://hotp/Teller:t?secret=GEZDGNBVGY3TQOJQ&counter=7",
    ]);
    let file = laptop.dir.path().join("gezin.authdesk-backup");
    let f = file.to_str().unwrap();
    let (code, out, err) = with_backup_pw(&laptop, &["backup", "create", f], BPW);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 accounts"), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let phone = Env::new();
    phone.ok(&["add", "otpauth://totp/Bank:me?secret=MFRGGZDFMZTWQ2LK"]);
    let before = std::fs::read(phone.vault()).unwrap();
    let (code, out, err) = with_backup_pw(&phone, &["backup", "restore", f, "--dry-run"], BPW);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Would add: Zon (installateur)"), "{out}");
    assert!(out.contains("2 added, 0 updated, 0 unchanged"), "{out}");
    assert_eq!(
        std::fs::read(phone.vault()).unwrap(),
        before,
        "a dry run writes nothing"
    );

    let (code, out, err) = with_backup_pw(&phone, &["backup", "restore", f], BPW);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Added: Teller (t)"), "{out}");
    let list = phone.json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 3);
    let (_, out, _) = with_backup_pw(&phone, &["backup", "restore", f], BPW);
    assert!(
        out.contains("0 added, 0 updated, 2 unchanged"),
        "restoring again: {out}"
    );
    assert_eq!(phone.json(&["list", "--json"]).as_array().unwrap().len(), 3);
}

#[test]
fn a_wrong_password_or_a_damaged_file_leaves_the_vault_untouched() {
    let env = Env::new();
    env.ok(&["add", "otpauth://totp/Zon:a?secret=JBSWY3DPEHPK3PXP"]);
    let file = env.dir.path().join("b.authdesk-backup");
    let f = file.to_str().unwrap();
    assert_eq!(with_backup_pw(&env, &["backup", "create", f], BPW).0, 0);
    let other = Env::new();
    let before = std::fs::read(other.vault()).unwrap();
    let (code, _, err) = with_backup_pw(&other, &["backup", "restore", f], "nope");
    assert_eq!(code, 1);
    assert!(err.contains("wrong password for backup"), "{err}");
    let bytes = std::fs::read(&file).unwrap();
    let cut = env.dir.path().join("cut.authdesk-backup");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let (code, _, err) = with_backup_pw(&other, &["backup", "restore", cut.to_str().unwrap()], BPW);
    assert_eq!(code, 1);
    assert!(err.contains("is truncated"), "{err}");
    let (code, _, err) = with_backup_pw(&other, &["backup", "restore", "/nonexistent/x"], BPW);
    assert_eq!(code, 1);
    assert!(err.contains("cannot read backup /nonexistent/x"), "{err}");
    assert_eq!(std::fs::read(other.vault()).unwrap(), before);
    // Without a password and without a terminal: say how to give one.
    let (code, _, err) = {
        let out = other.cmd().args(["backup", "create", f]).output().unwrap();
        (
            out.status.code().unwrap(),
            (),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    assert_eq!(code, 1);
    assert!(err.contains("AUTHDESK_BACKUP_PASSWORD"), "{err}");
}

fn names(env: &Env) -> std::collections::BTreeSet<String> {
    env.json(&["list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["issuer"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn two_devices_share_a_household_folder_conflict_copies_included() {
    let folder = tempfile::tempdir().unwrap();
    let f = folder.path().to_str().unwrap();
    let sync = |env: &Env, device: &str| {
        let (code, out, err) = with_backup_pw(
            env,
            &["backup", "sync", f, "--device", device, "--keep", "2"],
            BPW,
        );
        assert_eq!(code, 0, "{device}: {err}");
        out
    };
    let laptop = Env::new();
    laptop.ok(&[
        "add",
        "otpauth://totp/Zon:installateur?secret=JBSWY3DPEHPK3PXP",
    ]);
    assert!(sync(&laptop, "laptop").contains("Started household backups"));
    let desktop = Env::new();
    desktop.ok(&["add", "otpauth://totp/Bank:me?secret=MFRGGZDFMZTWQ2LK"]);
    let out = sync(&desktop, "desktop");
    assert!(out.contains("Joined the household backups"), "{out}");
    assert!(out.contains("Added: Zon (installateur)"), "{out}");
    sync(&laptop, "laptop");
    assert_eq!(names(&laptop), names(&desktop));

    // A second machine that also calls itself "laptop" writes the same
    // file name; the sync tool keeps the loser as a conflict copy.
    let own = folder.path().join("authdesk-laptop.authdesk-backup");
    let saved = std::fs::read(&own).unwrap();
    let twin = Env::new();
    twin.ok(&[
        "add",
        "otpauth://totp/Batterij:installateur?secret=GEZDGNBVGY3TQOJQ",
    ]);
    sync(&twin, "laptop");
    let conflict = folder
        .path()
        .join("authdesk-laptop (conflicted copy 2026-11-24 101530).authdesk-backup");
    std::fs::rename(&own, &conflict).unwrap();
    std::fs::write(&own, saved).unwrap();

    // Edits on both sides meanwhile.
    let zon = laptop.json(&["list", "--json"]).as_array().unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    laptop.ok(&["remove", &zon]);
    desktop.ok(&[
        "add",
        "otpauth://hotp/Teller:t?secret=KRUGS4ZANFZSA43P&counter=3",
    ]);

    let out = sync(&laptop, "laptop");
    assert!(
        out.contains("Removed authdesk-laptop (conflicted copy")
            && out.contains("this device's backup now holds it"),
        "{out}"
    );
    assert!(!conflict.exists());
    sync(&desktop, "desktop");
    let out = sync(&laptop, "laptop");
    assert!(out.contains("up to date") || out.contains("Wrote"), "{out}");
    sync(&desktop, "desktop");
    let expected: std::collections::BTreeSet<String> =
        ["Bank", "Batterij", "Teller"].map(String::from).into();
    assert_eq!(names(&laptop), expected);
    assert_eq!(names(&desktop), expected);
    let out = sync(&desktop, "desktop");
    assert!(out.contains("up to date"), "settled: {out}");

    // --keep 2: the laptop's history holds its last two earlier backups.
    let history: Vec<_> = std::fs::read_dir(folder.path().join("authdesk-history"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("authdesk-laptop-"))
        .collect();
    assert_eq!(history.len(), 2, "{history:?}");

    // Someone else's household in the same folder: refused with the reason.
    let stranger = Env::new();
    let (code, _, err) = with_backup_pw(
        &stranger,
        &["backup", "sync", f, "--device", "buren"],
        "iets anders",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("does not open the backups already in"),
        "{err}"
    );
}

/// Everything a folder holds, by name (the history subfolder included).
fn folder_names(folder: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_weak_new_backup_password_is_refused_with_advice_and_nothing_is_written() {
    let env = Env::new();
    env.ok(&["add", "otpauth://totp/Zon:a?secret=JBSWY3DPEHPK3PXP"]);
    let vault_before = std::fs::read(env.vault()).unwrap();
    let file = env.dir.path().join("zwak.authdesk-backup");
    let f = file.to_str().unwrap();
    for weak in ["b", "Password1!", "gezin 2026"] {
        let (code, out, err) = with_backup_pw(&env, &["backup", "create", f], weak);
        assert_eq!(code, 1, "{weak}: {err}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains("$AUTHDESK_BACKUP_PASSWORD was not accepted"),
            "{err}"
        );
        assert!(err.contains("too easy to guess"), "{err}");
        assert!(err.contains("need 3"), "{err}");
        assert!(err.contains("Choose a longer one"), "{err}");
        if weak.len() > 3 {
            assert!(!err.contains(weak), "the password is not echoed: {err}");
        }
        assert!(!file.exists(), "{weak}: no backup is written");
    }
    // zxcvbn's own feedback comes along.
    let (_, _, err) = with_backup_pw(&env, &["backup", "create", f], "Password1!");
    assert!(err.contains("Add another word or two"), "{err}");
    assert_eq!(std::fs::read(env.vault()).unwrap(), vault_before);

    let (code, out, err) = with_backup_pw(
        &env,
        &["backup", "create", f],
        "purple lantern drifts over quiet harbour",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 account "), "{out}");
    assert!(file.exists());
}

#[test]
fn a_weak_password_cannot_start_a_household_but_joins_an_existing_one() {
    use authdesk_core::backup::Backup;
    use authdesk_core::vault::KdfParams;
    use secrecy::SecretString;

    // An empty folder: the password would start the household.
    let folder = tempfile::tempdir().unwrap();
    let f = folder.path().to_str().unwrap();
    let env = Env::new();
    env.ok(&["add", "otpauth://totp/Zon:a?secret=JBSWY3DPEHPK3PXP"]);
    let vault_before = std::fs::read(env.vault()).unwrap();
    let (code, _, err) = with_backup_pw(&env, &["backup", "sync", f], "gezin");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("new household backup password from $AUTHDESK_BACKUP_PASSWORD"),
        "{err}"
    );
    assert!(err.contains("too easy to guess"), "{err}");
    assert!(folder_names(folder.path()).is_empty(), "nothing written");
    assert_eq!(std::fs::read(env.vault()).unwrap(), vault_before);

    // A folder whose only backup is damaged: the password would start the
    // household all the same, and is refused after the join is tried.
    std::fs::write(
        folder.path().join("authdesk-kapot.authdesk-backup"),
        b"not a backup",
    )
    .unwrap();
    let (code, _, err) = with_backup_pw(&env, &["backup", "sync", f], "gezin");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("too easy to guess"), "{err}");
    assert_eq!(
        folder_names(folder.path()),
        ["authdesk-kapot.authdesk-backup"]
    );
    assert_eq!(std::fs::read(env.vault()).unwrap(), vault_before);
    std::fs::remove_file(folder.path().join("authdesk-kapot.authdesk-backup")).unwrap();

    // A household that exists already (made before the floor) with a weak
    // password: that password is the household's, so joining with it works.
    let old = Backup::new(
        Vec::new(),
        &SecretString::from("gezin"),
        KdfParams::insecure_for_tests(),
    )
    .unwrap();
    old.write(&folder.path().join("authdesk-oudetelefoon.authdesk-backup"))
        .unwrap();
    let (code, out, err) = with_backup_pw(&env, &["backup", "sync", f], "gezin");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Joined the household backups"), "{out}");

    // A strong password starts a household in an empty folder.
    let other = tempfile::tempdir().unwrap();
    let env2 = Env::new();
    let (code, out, err) = with_backup_pw(
        &env2,
        &["backup", "sync", other.path().to_str().unwrap()],
        "purple lantern drifts over quiet harbour",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Started household backups"), "{out}");
}
