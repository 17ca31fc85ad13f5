//! Household rounds settle: devices on one host name get their own files,
//! the order of accounts never causes a write, a conflict copy that adds
//! nothing causes none either, the history holds distinct versions, and a
//! file of the old host-name naming is folded in and removed.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use authdesk_core::backup::Backup;
use authdesk_core::backup::household::{
    self, HISTORY_DIR, Writer, join, own_backup_current, sync_vault,
};
use authdesk_core::vault::Vault;
use common::{kdf, pw, totp};
use proptest::prelude::*;

const KEEP: usize = 3;

fn vault(dir: &Path, name: &str, folder: &Path) -> Vault {
    let mut v = Vault::create(dir.join(format!("{name}.vault")), &pw("v"), kdf()).unwrap();
    join(v.contents_mut(), folder, &pw("gezin"), kdf()).unwrap();
    v.save().unwrap();
    v
}

fn issuers(v: &Vault) -> BTreeSet<String> {
    v.entries().iter().map(|e| e.data.issuer.clone()).collect()
}

/// Rounds on both until neither writes; the number of rounds it took.
fn settle(a: &mut Vault, b: &mut Vault, folder: &Path, forced: Option<&str>) -> usize {
    for round in 1..=6 {
        let x = sync_vault(a, folder, forced, KEEP).unwrap();
        let y = sync_vault(b, folder, forced, KEEP).unwrap();
        if !x.written && !y.written {
            return round;
        }
    }
    panic!("the two devices keep rewriting their backups");
}

fn backups(folder: &Path) -> BTreeSet<String> {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| household::is_backup_name(n))
        .collect()
}

#[test]
fn two_laptops_with_one_host_name_write_two_files_and_settle() {
    let (dir, folder) = common::household_folder();
    let mut a = vault(dir.path(), "a", &folder);
    a.add(totp("Warmtenet", "JBSWY3DPEHPK3PXP"));
    a.save().unwrap();
    let first = sync_vault(&mut a, &folder, None, KEEP).unwrap();
    assert_eq!(
        first.devices.len(),
        1,
        "the round lists the device it wrote"
    );
    assert!(first.devices[0].this_device && first.devices[0].accounts == 1);
    let mut b = vault(dir.path(), "b", &folder);
    b.add(totp("SolarEdge", "GEZDGNBVGY3TQOJQ"));
    b.save().unwrap();
    settle(&mut a, &mut b, &folder, None);
    let (wa, wb) = (
        Writer::of(a.contents(), None).unwrap(),
        Writer::of(b.contents(), None).unwrap(),
    );
    assert_ne!(wa.id, wb.id);
    assert_eq!(wa.name, wb.name, "both show the host name");
    assert_eq!(backups(&folder).len(), 2, "{:?}", backups(&folder));
    assert_eq!(issuers(&a), issuers(&b));
    // Settled: the device list names both, this one marked.
    let done = sync_vault(&mut a, &folder, None, KEEP).unwrap();
    assert!(!done.written);
    assert_eq!(done.devices.len(), 2);
    assert_eq!(done.devices.iter().filter(|d| d.this_device).count(), 1);
    assert!(done.devices.iter().all(|d| d.accounts == 2));
}

#[test]
fn two_laptops_forced_onto_one_file_stop_writing() {
    let (dir, folder) = common::household_folder();
    let mut a = vault(dir.path(), "a", &folder);
    sync_vault(&mut a, &folder, Some("MacBook-Air"), KEEP).unwrap();
    let mut b = vault(dir.path(), "b", &folder);
    // Arrivals land in a different order on each side.
    a.add(totp("Delta", "JBSWY3DPEHPK3PXP"));
    a.add(totp("Echo", "GEZDGNBVGY3TQOJQ"));
    a.save().unwrap();
    b.add(totp("Foxtrot", "MFRGGZDFMZTWQ2LK"));
    b.add(totp("Golf", "KRUGS4ZANFZSA43P"));
    b.save().unwrap();
    let rounds = settle(&mut a, &mut b, &folder, Some("MacBook-Air"));
    assert!(rounds <= 3, "{rounds}");
    assert_eq!(issuers(&a), issuers(&b));
    let order = |v: &Vault| v.entries().iter().map(|e| e.id).collect::<Vec<_>>();
    assert_ne!(order(&a), order(&b), "the orders differ, and that is fine");
    let history = std::fs::read_dir(folder.join(HISTORY_DIR)).unwrap().count();
    for _ in 0..5 {
        assert!(
            !sync_vault(&mut a, &folder, Some("MacBook-Air"), KEEP)
                .unwrap()
                .written
        );
        assert!(
            !sync_vault(&mut b, &folder, Some("MacBook-Air"), KEEP)
                .unwrap()
                .written
        );
    }
    assert_eq!(
        std::fs::read_dir(folder.join(HISTORY_DIR)).unwrap().count(),
        history
    );
}

#[test]
fn a_conflict_copy_that_adds_nothing_is_removed_without_a_write() {
    let (dir, folder) = common::household_folder();
    let mut a = vault(dir.path(), "a", &folder);
    a.add(totp("Warmtenet", "JBSWY3DPEHPK3PXP"));
    a.save().unwrap();
    sync_vault(&mut a, &folder, None, KEEP).unwrap();
    let own = Writer::of(a.contents(), None).unwrap().path(&folder);
    let stem = own.file_stem().unwrap().to_string_lossy().into_owned();
    let before = std::fs::read(&own).unwrap();
    for copy in [
        format!("{stem}.sync-conflict-20261202-101530-ABCDEFG.authdesk-backup"),
        format!("{stem} (Bob's conflicted copy 2026-12-02).authdesk-backup"),
        format!("{stem}-LAPTOP-BOB.authdesk-backup"),
    ] {
        std::fs::write(folder.join(&copy), &before).unwrap();
        let done = sync_vault(&mut a, &folder, None, KEEP).unwrap();
        assert!(!done.written, "{copy}");
        assert_eq!(done.cleaned, vec![copy.clone()]);
        assert!(!folder.join(&copy).exists());
        assert_eq!(std::fs::read(&own).unwrap(), before, "{copy}");
    }
}

#[test]
fn the_history_keeps_distinct_versions_only() {
    let (dir, folder) = common::household_folder();
    let mut a = vault(dir.path(), "a", &folder);
    let id = a.add(totp("Warmtenet", "JBSWY3DPEHPK3PXP"));
    let id = match id {
        authdesk_core::vault::AddOutcome::Added(id) => id,
        other => panic!("{other:?}"),
    };
    a.save().unwrap();
    sync_vault(&mut a, &folder, None, KEEP).unwrap();
    // Renames back and forth, then a run of new names: versions A B A B …
    for n in 0..12 {
        let name = if n < 6 {
            ["Warmtenet", "Stadswarmte"][n % 2].to_owned()
        } else {
            format!("Warmte {n}")
        };
        a.rename(id, Some(name), None);
        a.save().unwrap();
        sync_vault(&mut a, &folder, None, KEEP).unwrap();
    }
    let history = folder.join(HISTORY_DIR);
    let mut contents = Vec::new();
    for item in std::fs::read_dir(&history).unwrap() {
        let b = Backup::read(&item.unwrap().path(), &pw("gezin")).unwrap();
        contents.push(b.entries[0].data.issuer.clone());
    }
    let distinct: BTreeSet<&String> = contents.iter().collect();
    assert_eq!(contents.len(), KEEP, "{contents:?}");
    assert_eq!(distinct.len(), KEEP, "{contents:?}");
}

#[test]
fn a_file_of_the_old_host_name_naming_is_folded_in_and_removed() {
    let (dir, folder) = common::household_folder();
    let mut a = vault(dir.path(), "a", &folder);
    a.add(totp("Warmtenet", "JBSWY3DPEHPK3PXP"));
    a.save().unwrap();
    // What Authdesk wrote before ids: the host name as the file name, with
    // an account this vault no longer has.
    let mut old = Vault::create(dir.path().join("old.vault"), &pw("v"), kdf()).unwrap();
    old.add(totp("Oud", "GEZDGNBVGY3TQOJQ"));
    let host = authdesk_core::device::host_name();
    let legacy = folder.join(format!(
        "authdesk-{}.authdesk-backup",
        host.replace(|c: char| !(c.is_alphanumeric() || c == '-'), "_")
    ));
    Backup::for_household(
        a.contents().household.as_ref().unwrap(),
        &host,
        old.entries().to_vec(),
        vec![],
    )
    .write(&legacy)
    .unwrap();
    let done = sync_vault(&mut a, &folder, None, KEEP).unwrap();
    assert!(done.written);
    assert!(done.report.added.iter().any(|n| n.starts_with("Oud")));
    assert!(!legacy.exists(), "{:?}", done.cleaned);
    let own = Writer::of(a.contents(), None).unwrap().path(&folder);
    let b = Backup::read(&own, &pw("gezin")).unwrap();
    assert_eq!(b.entries.len(), 2);
    assert_eq!(
        b.device_id.as_deref(),
        Some(Writer::of(a.contents(), None).unwrap().id.as_str())
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    /// "Current" does not depend on the order of accounts or deletions.
    #[test]
    fn current_is_order_independent(seed in any::<u64>()) {
        use rand::{SeedableRng, seq::SliceRandom};
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("f");
        std::fs::create_dir(&folder).unwrap();
        let mut a = vault(dir.path(), "a", &folder);
        for (i, s) in ["JBSWY3DPEHPK3PXP", "GEZDGNBVGY3TQOJQ", "MFRGGZDFMZTWQ2LK", "KRUGS4ZANFZSA43P"].iter().enumerate() {
            a.add(totp(&format!("n{i}"), s));
        }
        let gone = a.entries()[0].id;
        a.remove(gone).unwrap();
        a.save().unwrap();
        sync_vault(&mut a, &folder, None, KEEP).unwrap();
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let c = a.contents_mut();
        c.entries.shuffle(&mut rng);
        c.tombstones.shuffle(&mut rng);
        prop_assert!(own_backup_current(a.contents(), &folder, None));
        prop_assert!(!sync_vault(&mut a, &folder, None, KEEP).unwrap().written);
    }
}

/// Found by the fuzzer: a household backup whose entry has one account's
/// id and another's secret must not leave two accounts with one id (the
/// vault's own merge, keyed by id, would then drop one of them).
#[test]
fn converging_ids_never_gives_two_accounts_one_id() {
    use authdesk_core::backup::sync;
    use authdesk_core::entry::Entry;
    use authdesk_core::vault::Contents;
    let mut x = Entry::new(totp("X", "JBSWY3DPEHPK3PXP"), 1);
    x.id = uuid::Uuid::from_u128(1);
    let mut y = Entry::new(totp("Y", "GEZDGNBVGY3TQOJQ"), 1);
    y.id = uuid::Uuid::from_u128(2);
    let mut contents = Contents {
        entries: vec![x, y.clone()],
        ..Contents::default()
    };
    let mut forged = y.clone();
    forged.id = uuid::Uuid::from_u128(1);
    sync(&mut contents, &[forged], &[]);
    let ids: BTreeSet<_> = contents.entries.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), contents.entries.len(), "{:?}", contents.entries);
    let names: BTreeSet<_> = contents
        .entries
        .iter()
        .map(|e| e.data.issuer.clone())
        .collect();
    assert_eq!(names, ["X", "Y"].map(String::from).into());
}
