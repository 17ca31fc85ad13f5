//! A household backup folder shared by two vaults ("devices"): edits on
//! both, a deletion, the same account added on both, and a sync tool's
//! conflict copy; the two converge to the same accounts and stay there.

use authdesk_core::error::Kind as _;
use std::collections::BTreeSet;
use std::path::Path;

use authdesk_core::backup::household::{self, HISTORY_DIR, JoinError, Joined, join, sync_vault};
use authdesk_core::backup::{Backup, HouseholdKey};
use authdesk_core::entry::EntryData;
use authdesk_core::otp::OtpParams;
use authdesk_core::secret::parse_base32;
use authdesk_core::vault::{AddOutcome, KdfParams, Vault};
use secrecy::SecretString;

const KEEP: usize = 3;

/// The file of a device whose name is forced (`--device`), as before ids.
fn own_path(folder: &Path, device: &str) -> std::path::PathBuf {
    folder.join(format!("authdesk-{device}.authdesk-backup"))
}

fn pw(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

fn kdf() -> KdfParams {
    KdfParams::insecure_for_tests()
}

fn data(issuer: &str, account: &str, secret: &str) -> EntryData {
    EntryData {
        issuer: issuer.into(),
        account: account.into(),
        secret: parse_base32(secret).unwrap(),
        otp: OtpParams::totp(),
    }
}

fn add(v: &mut Vault, d: EntryData) -> uuid::Uuid {
    match v.add(d) {
        AddOutcome::Added(id) | AddOutcome::AlreadyPresent(id) => id,
    }
}

/// Accounts as (issuer, account, secret, id): what "the same accounts" means.
fn accounts(v: &Vault) -> BTreeSet<(String, String, String, uuid::Uuid)> {
    v.entries()
        .iter()
        .map(|e| {
            (
                e.data.issuer.clone(),
                e.data.account.clone(),
                e.data.secret.to_base32().to_string(),
                e.id,
            )
        })
        .collect()
}

/// Syncs both devices in turn until neither writes: what the app does at
/// start and whenever the folder changes.
fn settle(laptop: &mut Vault, desktop: &mut Vault, folder: &Path) {
    for _ in 0..6 {
        let a = sync_vault(laptop, folder, Some("laptop"), KEEP).unwrap();
        let b = sync_vault(desktop, folder, Some("desktop"), KEEP).unwrap();
        if !a.written && !b.written {
            return;
        }
    }
    panic!("the two devices keep rewriting their backups");
}

#[test]
fn two_devices_converge_through_one_folder() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Gedeeld/Authdesk");
    std::fs::create_dir_all(&folder).unwrap();
    let mut laptop = Vault::create(dir.path().join("laptop.vault"), &pw("l"), kdf()).unwrap();
    let mut desktop = Vault::create(dir.path().join("desktop.vault"), &pw("d"), kdf()).unwrap();

    // The same meter portal account was scanned on both devices.
    let meter = data("Warmtenet", "fam@voorbeeld.nl", "JBSWY3DPEHPK3PXP");
    add(&mut laptop, meter.clone());
    let solar = add(
        &mut laptop,
        data("SolarEdge", "installer", "GEZDGNBVGY3TQOJQ"),
    );
    laptop.save().unwrap();
    add(&mut desktop, meter);
    let water = add(
        &mut desktop,
        data("Waterbedrijf", "anna", "MFRGGZDFMZTWQ2LK"),
    );
    desktop.save().unwrap();

    let family = pw("familie-wachtwoord");
    assert_eq!(
        join(laptop.contents_mut(), &folder, &family, kdf()).unwrap(),
        Joined::Started
    );
    laptop.save().unwrap();
    sync_vault(&mut laptop, &folder, Some("laptop"), KEEP).unwrap();
    assert!(matches!(
        join(desktop.contents_mut(), &folder, &family, kdf()).unwrap(),
        Joined::Adopted { .. }
    ));
    desktop.save().unwrap();
    settle(&mut laptop, &mut desktop, &folder);
    assert_eq!(accounts(&laptop), accounts(&desktop));
    assert_eq!(laptop.entries().len(), 3, "{:?}", accounts(&laptop));

    // Edits on both: a rename on the laptop, a deletion and an addition on
    // the desktop.
    laptop.rename(solar, Some("SolarEdge Monitoring".into()), None);
    laptop.save().unwrap();
    desktop.remove(water).unwrap();
    add(
        &mut desktop,
        data("Netbeheerder", "meter 1", "KRUGS4ZANFZSA43P"),
    );
    desktop.save().unwrap();

    // A sync tool's conflict copy of the laptop's file, holding an account
    // added in a version that lost the race.
    let mut other = Vault::create(dir.path().join("other.vault"), &pw("o"), kdf()).unwrap();
    add(
        &mut other,
        data("Batterij", "installer", "ONSWG4TFOQYTEMZU"),
    );
    other.contents_mut().household = laptop.contents().household.clone();
    let conflict =
        folder.join("authdesk-laptop.sync-conflict-20261124-101530-ABCDEFG.authdesk-backup");
    let copy = Backup::for_household(
        other.contents().household.as_ref().unwrap(),
        "laptop",
        other.entries().to_vec(),
        vec![],
    );
    copy.write(&conflict).unwrap();

    settle(&mut laptop, &mut desktop, &folder);
    assert_eq!(accounts(&laptop), accounts(&desktop));
    let names: BTreeSet<String> = laptop
        .entries()
        .iter()
        .map(|e| e.data.issuer.clone())
        .collect();
    assert_eq!(
        names,
        [
            "Batterij",
            "Netbeheerder",
            "SolarEdge Monitoring",
            "Warmtenet"
        ]
        .map(String::from)
        .into()
    );
    assert!(!conflict.exists(), "the laptop folded in its conflict copy");

    // What each device saved is what it shows.
    let reopened = Vault::open(laptop.path(), &pw("l")).unwrap();
    assert_eq!(accounts(&reopened), accounts(&laptop));
    let reopened = Vault::open(desktop.path(), &pw("d")).unwrap();
    assert_eq!(accounts(&reopened), accounts(&desktop));

    // Every write kept the previous file: at most KEEP per device.
    let history: Vec<_> = std::fs::read_dir(folder.join(HISTORY_DIR))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let laptops = history
        .iter()
        .filter(|n| n.starts_with("authdesk-laptop-"))
        .count();
    assert!((1..=KEEP).contains(&laptops), "{history:?}");
    assert!(own_path(&folder, "desktop").exists());

    // Settled means settled: another round writes nothing.
    let again = sync_vault(&mut laptop, &folder, Some("laptop"), KEEP).unwrap();
    assert!(!again.written && !again.report.changes_anything());
}

#[test]
fn another_households_folder_is_refused_and_its_files_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path();
    let mut theirs = Vault::create(dir.path().join("a.vault"), &pw("a"), kdf()).unwrap();
    add(&mut theirs, data("Warmtenet", "buren", "JBSWY3DPEHPK3PXP"));
    join(theirs.contents_mut(), folder, &pw("buren"), kdf()).unwrap();
    sync_vault(&mut theirs, folder, Some("buren"), KEEP).unwrap();

    let mut ours = Vault::create(dir.path().join("b.vault"), &pw("b"), kdf()).unwrap();
    let err = join(ours.contents_mut(), folder, &pw("wij"), kdf()).unwrap_err();
    assert!(matches!(err, JoinError::OtherPasswords { .. }), "{err}");
    assert!(
        err.to_string().contains("authdesk-buren.authdesk-backup"),
        "{err}"
    );
    assert!(ours.contents().household.is_none());

    // A vault of a different household that writes there anyway does not
    // read (or touch) the neighbours' file.
    ours.contents_mut().household = Some(HouseholdKey::new(&pw("wij"), "", kdf()).unwrap());
    let before = std::fs::read(own_path(folder, "buren")).unwrap();
    let r = sync_vault(&mut ours, folder, Some("wij"), KEEP).unwrap();
    assert_eq!(r.other_household, vec!["authdesk-buren.authdesk-backup"]);
    assert!(ours.entries().is_empty());
    assert_eq!(std::fs::read(own_path(folder, "buren")).unwrap(), before);
}

#[test]
fn household_passwords_are_added_removed_and_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("f");
    std::fs::create_dir(&folder).unwrap();
    let mut anna = Vault::create(dir.path().join("a.vault"), &pw("a"), kdf()).unwrap();
    add(&mut anna, data("Warmtenet", "anna", "JBSWY3DPEHPK3PXP"));
    join(anna.contents_mut(), &folder, &pw("anna"), kdf()).unwrap();
    sync_vault(&mut anna, &folder, Some("anna"), KEEP).unwrap();

    // Bob joins with Anna's password, then adds his own.
    let mut bob = Vault::create(dir.path().join("b.vault"), &pw("b"), kdf()).unwrap();
    join(bob.contents_mut(), &folder, &pw("anna"), kdf()).unwrap();
    let h = bob.contents_mut().household.as_mut().unwrap();
    h.add_password(&pw("bob"), "Bob", kdf()).unwrap();
    let err = h.remove_password(&pw("nobody")).unwrap_err();
    assert_eq!(err.kind(), "no_such_password");
    sync_vault(&mut bob, &folder, Some("bob"), KEEP).unwrap();

    // Anna's device adopts the newer password set from Bob's backup, so
    // her own backup opens with Bob's password too.
    sync_vault(&mut anna, &folder, Some("anna"), KEEP).unwrap();
    assert_eq!(anna.contents().household.as_ref().unwrap().slots.len(), 2);
    anna.add(data("Extra", "x", "GEZDGNBVGY3TQOJQ"));
    anna.save().unwrap();
    sync_vault(&mut anna, &folder, Some("anna"), KEEP).unwrap();
    let b = Backup::read(&own_path(&folder, "anna"), &pw("bob")).unwrap();
    assert_eq!(b.entries.len(), 2);

    // Removing Anna's password: new backups no longer open with it.
    let h = bob.contents_mut().household.as_mut().unwrap();
    h.remove_password(&pw("anna")).unwrap();
    assert_eq!(
        h.remove_password(&pw("bob")).unwrap_err().kind(),
        "last_password"
    );
    bob.save().unwrap();
    bob.add(data("Nog een", "y", "MFRGGZDFMZTWQ2LK"));
    bob.save().unwrap();
    sync_vault(&mut bob, &folder, Some("bob"), KEEP).unwrap();
    let err = Backup::read(&own_path(&folder, "bob"), &pw("anna")).unwrap_err();
    assert_eq!(err.kind(), "wrong_password");
}

#[test]
fn household_passwords_carry_names_that_travel_and_any_member_can_remove() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("f");
    std::fs::create_dir(&folder).unwrap();
    let names = |v: &Vault| -> Vec<String> {
        let h = v.contents().household.as_ref().unwrap();
        h.slots.iter().map(|s| s.name.clone()).collect()
    };
    let mut anna = Vault::create(dir.path().join("a.vault"), &pw("a"), kdf()).unwrap();
    join(anna.contents_mut(), &folder, &pw("anna"), kdf()).unwrap();
    let h = anna.contents_mut().household.as_mut().unwrap();
    // The starter names her own password by typing it.
    assert!(h.name_own(&pw("anna"), "  Mam\n"));
    assert!(!h.name_own(&pw("anna"), "Anna"), "a name given is kept");
    // A name is shown in lists: control characters go, length is bounded.
    h.add_password(&pw("jan"), &format!("Jan\u{7}{}", "x".repeat(500)), kdf())
        .unwrap();
    anna.save().unwrap();
    let long = names(&anna)[1].clone();
    assert_eq!(names(&anna)[0], "Mam");
    assert!(
        long.starts_with("Jan x") && long.chars().count() == 64,
        "{long}"
    );
    sync_vault(&mut anna, &folder, Some("anna"), KEEP).unwrap();

    // Jan's device joins with his own password and lists both by name; so
    // does the vault read back from disk.
    let mut jan = Vault::create(dir.path().join("j.vault"), &pw("j"), kdf()).unwrap();
    join(jan.contents_mut(), &folder, &pw("jan"), kdf()).unwrap();
    assert_eq!(names(&jan), names(&anna));
    let h = jan.contents_mut().household.as_mut().unwrap();
    assert!(!h.name_own(&pw("jan"), "Jantje"), "named by Anna already");
    h.rename(1, "Jan").unwrap();
    jan.save().unwrap();
    let jan = Vault::open(dir.path().join("j.vault"), &pw("j")).unwrap();
    assert_eq!(names(&jan), ["Mam", "Jan"]);

    // Anna removes Jan's password by its place in the list, typing none.
    let h = anna.contents_mut().household.as_mut().unwrap();
    h.rename(1, "Jan").unwrap();
    assert_eq!(h.remove_slot(5).unwrap_err().kind(), "no_such_password");
    h.remove_slot(1).unwrap();
    assert_eq!(h.remove_slot(0).unwrap_err().kind(), "last_password");
    anna.add(data("Waterbedrijf", "anna", "MFRGGZDFMZTWQ2LK"));
    anna.save().unwrap();
    sync_vault(&mut anna, &folder, Some("anna"), KEEP).unwrap();
    let file = own_path(&folder, "anna");
    assert_eq!(
        Backup::read(&file, &pw("jan")).unwrap_err().kind(),
        "wrong_password"
    );
    assert_eq!(names(&anna), ["Mam"]);
}

#[test]
fn the_household_key_survives_saving_and_reopening_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = Vault::create(dir.path().join("v.vault"), &pw("v"), kdf()).unwrap();
    join(v.contents_mut(), dir.path(), &pw("h"), kdf()).unwrap();
    v.save().unwrap();
    let reopened = Vault::open(v.path(), &pw("v")).unwrap();
    assert_eq!(reopened.contents().household, v.contents().household);
    assert!(!household::own_backup_current(
        reopened.contents(),
        dir.path(),
        Some("v")
    ));
}

#[test]
fn a_code_setting_mended_on_one_device_travels_without_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("f");
    std::fs::create_dir(&folder).unwrap();
    let mut laptop = Vault::create(dir.path().join("l.vault"), &pw("l"), kdf()).unwrap();
    let mut desktop = Vault::create(dir.path().join("d.vault"), &pw("d"), kdf()).unwrap();
    let id = add(&mut laptop, data("Warmtenet", "anna", "JBSWY3DPEHPK3PXP"));
    laptop.save().unwrap();
    join(laptop.contents_mut(), &folder, &pw("wij"), kdf()).unwrap();
    sync_vault(&mut laptop, &folder, Some("laptop"), KEEP).unwrap();
    join(desktop.contents_mut(), &folder, &pw("wij"), kdf()).unwrap();
    settle(&mut laptop, &mut desktop, &folder);
    assert_eq!(accounts(&laptop), accounts(&desktop));

    // The QR code said 30 s; the portal's codes last 60 s.
    let otp = OtpParams {
        period: 60,
        ..OtpParams::totp()
    };
    let change = authdesk_core::vault::EntryChange {
        otp: Some(otp),
        ..Default::default()
    };
    assert_eq!(desktop.update(id, change), Ok(true));
    desktop.save().unwrap();
    settle(&mut laptop, &mut desktop, &folder);
    for v in [&laptop, &desktop] {
        assert_eq!(v.entries().len(), 1, "no copy under the old settings");
        assert_eq!((v.entries()[0].id, v.entries()[0].data.otp), (id, otp));
    }
}
