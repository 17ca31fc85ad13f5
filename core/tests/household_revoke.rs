//! Removing a household password revokes it: after Anna removes Carol's
//! password, Carol's password opens nothing written since, nor anything
//! left in the history, and Carol's joined vault (which holds the old key)
//! reads none of it either. Bob's device rejoins with Anna's password.

mod common;

use authdesk_core::error::Kind as _;
use std::path::Path;

use authdesk_core::backup::Backup;
use authdesk_core::backup::household::{
    HISTORY_DIR, Joined, Writer, drop_history_of, join, sync_vault,
};
use authdesk_core::vault::Vault;
use common::{kdf, pw, totp};

fn every_backup(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for dir in [folder.to_owned(), folder.join(HISTORY_DIR)] {
        for item in std::fs::read_dir(dir).unwrap() {
            let p = item.unwrap().path();
            if p.is_file() && p.to_string_lossy().ends_with(".authdesk-backup") {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn a_removed_password_opens_nothing_written_since_nor_the_history() {
    let (dir, folder) = common::household_folder();
    let vault = |name: &str| Vault::create(dir.path().join(name), &pw("v"), kdf()).unwrap();

    let mut anna = vault("anna.vault");
    anna.add(totp("Warmtenet", "JBSWY3DPEHPK3PXP"));
    join(anna.contents_mut(), &folder, &pw("anna"), kdf()).unwrap();
    let h = anna.contents_mut().household.as_mut().unwrap();
    h.add_password(&pw("bob"), "Bob", kdf()).unwrap();
    h.add_password(&pw("carol"), "Carol", kdf()).unwrap();
    h.rename(0, "Anna").unwrap();
    anna.save().unwrap();
    sync_vault(&mut anna, &folder, None, 5).unwrap();
    let mut bob = vault("bob.vault");
    join(bob.contents_mut(), &folder, &pw("bob"), kdf()).unwrap();
    bob.add(totp("SolarEdge", "GEZDGNBVGY3TQOJQ"));
    bob.save().unwrap();
    let mut carol = vault("carol.vault");
    join(carol.contents_mut(), &folder, &pw("carol"), kdf()).unwrap();
    for _ in 0..2 {
        sync_vault(&mut bob, &folder, None, 5).unwrap();
        sync_vault(&mut carol, &folder, None, 5).unwrap();
        sync_vault(&mut anna, &folder, None, 5).unwrap();
    }
    assert!(
        folder.join(HISTORY_DIR).exists(),
        "there is history to drop"
    );

    // Anna removes Carol's password, keeping her own.
    let old = anna.contents().household.clone().unwrap();
    let h = anna.contents_mut().household.as_mut().unwrap();
    assert_eq!(
        h.revoke(2, &[pw("carol")], kdf()).unwrap_err().kind(),
        "kept_the_removed"
    );
    assert_eq!(
        h.revoke(2, &[pw("nobody")], kdf()).unwrap_err().kind(),
        "not_a_household_password"
    );
    assert_eq!(
        h.revoke(2, &[pw("anna")], kdf()).unwrap(),
        1,
        "Bob's slot goes too"
    );
    let names: Vec<&str> = h.slots.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Anna"], "the kept password keeps its name");
    anna.save().unwrap();
    assert!(drop_history_of(&old, &folder).unwrap() > 0);
    anna.add(totp("Waterbedrijf", "MFRGGZDFMZTWQ2LK"));
    anna.save().unwrap();
    let done = sync_vault(&mut anna, &folder, None, 5).unwrap();
    assert!(done.written);
    let annas = Writer::of(anna.contents(), None).unwrap().path(&folder);

    // Bob's device sees a household it cannot read, and rejoins with a
    // password that is still the household's.
    let r = sync_vault(&mut bob, &folder, None, 5).unwrap();
    assert!(
        r.other_household
            .contains(&annas.file_name().unwrap().to_string_lossy().into_owned())
    );
    assert!(
        join(bob.contents_mut(), &folder, &pw("anna"), kdf())
            .is_ok_and(|j| matches!(j, Joined::Adopted { .. }))
    );
    assert_eq!(
        bob.contents().household,
        anna.contents().household,
        "the newest key wins"
    );
    bob.save().unwrap();
    sync_vault(&mut bob, &folder, None, 5).unwrap();
    assert_eq!(bob.entries().len(), 3);

    // Carol's password opens nothing Anna or Bob wrote since, nor anything
    // in the history; her vault's old key reads none of it either.
    let carols_key = carol.contents().household.clone().unwrap();
    let new_key = anna.contents().household.clone().unwrap();
    for path in every_backup(&folder) {
        let bytes = std::fs::read(&path).unwrap();
        if Backup::open_with_key(&bytes, &new_key, "").is_ok() {
            let e = Backup::open(&bytes, &pw("carol"), "").unwrap_err();
            assert_eq!(e.kind(), "wrong_password", "{}", path.display());
            assert!(Backup::open_with_key(&bytes, &carols_key, "").is_err());
        } else {
            // Of the old key, only Carol's own device's file is left.
            assert!(
                !path.starts_with(folder.join(HISTORY_DIR)),
                "{}",
                path.display()
            );
            let b = Backup::open_with_key(&bytes, &carols_key, "").unwrap();
            assert_eq!(
                b.device_id.as_deref(),
                Some(Writer::of(carol.contents(), None).unwrap().id.as_str())
            );
        }
    }
    let r = sync_vault(&mut carol, &folder, None, 5).unwrap();
    assert_eq!(r.other_household.len(), 2, "{r:?}");
    assert!(
        carol
            .entries()
            .iter()
            .all(|e| e.data.issuer != "Waterbedrijf")
    );
}
