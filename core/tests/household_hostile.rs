//! The household folder as an attacker with write access to it would use
//! it: links to private files and to `/dev/zero`, a FIFO, a huge sparse
//! file, a folder under this device's name, fake history names, costly
//! password slots. A round finishes quickly, copies nothing private into
//! the folder, writes this device's backup with every account, and keeps
//! the real history.
#![cfg(unix)]

mod common;

use authdesk_core::error::Kind as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use authdesk_core::backup::format::{MAX_FILE_WORK, Slot};
use authdesk_core::backup::household::{HISTORY_DIR, Joined, Writer, join, sync_vault};
use authdesk_core::backup::{Backup, DataKey};
use authdesk_core::vault::{KdfParams, Vault};
use common::{kdf, pw, totp};

const MARKER: &[u8] = b"-----BEGIN OPENSSH PRIVATE KEY----- marker 7c1e";

/// Every regular file below `dir`, links not followed.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for item in std::fs::read_dir(dir).unwrap() {
        let item = item.unwrap();
        let t = item.file_type().unwrap();
        if t.is_dir() {
            out.extend(files_below(&item.path()));
        } else if t.is_file() {
            out.push(item.path());
        }
    }
    out
}

fn mkfifo(path: &Path) {
    assert!(
        std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap()
            .success()
    );
}

fn joined_vault(dir: &Path, folder: &Path) -> Vault {
    let mut v = Vault::create(dir.join("v.vault"), &pw("v"), kdf()).unwrap();
    v.add(totp("Warmtenet", "JBSWY3DPEHPK3PXP"));
    v.add(totp("SolarEdge", "GEZDGNBVGY3TQOJQ"));
    assert_eq!(
        join(v.contents_mut(), folder, &pw("gezin"), kdf()).unwrap(),
        Joined::Started
    );
    v.save().unwrap();
    v
}

#[test]
fn a_hostile_folder_cannot_leak_hang_or_stop_this_devices_backup() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    std::fs::create_dir(&folder).unwrap();
    let private = dir.path().join("id_ed25519");
    std::fs::write(&private, MARKER).unwrap();

    let mut v = joined_vault(dir.path(), &folder);
    // A first round gives the device its id and file, and a second version
    // puts the first in the history.
    sync_vault(&mut v, &folder, None, 3).unwrap();
    v.add(totp("Waterbedrijf", "MFRGGZDFMZTWQ2LK"));
    v.save().unwrap();
    sync_vault(&mut v, &folder, None, 3).unwrap();
    let me = Writer::of(v.contents(), None).unwrap();
    let own = me.path(&folder);
    let history = folder.join(HISTORY_DIR);
    let real_history = files_below(&history);
    assert_eq!(real_history.len(), 1, "{real_history:?}");

    // The attack: this device's own name is a link to a private file, and
    // the folder fills with every kind of thing that is not a backup.
    std::fs::remove_file(&own).unwrap();
    std::os::unix::fs::symlink(&private, &own).unwrap();
    std::os::unix::fs::symlink(&private, folder.join("authdesk-anna.authdesk-backup")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", folder.join("authdesk-zero.authdesk-backup")).unwrap();
    mkfifo(&folder.join("authdesk-fifo.authdesk-backup"));
    std::fs::File::create(folder.join("authdesk-huge.authdesk-backup"))
        .unwrap()
        .set_len(4 << 30)
        .unwrap();
    std::fs::create_dir(folder.join("authdesk-dir.authdesk-backup")).unwrap();
    // Fake history in the far future under this device's name, and junk.
    for n in 0..20 {
        std::fs::write(
            history.join(format!(
                "authdesk-{}-9999-12-31T23-59-{n:02}.000Z.authdesk-backup",
                me.id
            )),
            b"not a backup",
        )
        .unwrap();
    }
    std::os::unix::fs::symlink(&private, history.join("authdesk-x-1.authdesk-backup")).unwrap();

    v.add(totp("Netbeheerder", "KRUGS4ZANFZSA43P"));
    v.save().unwrap();
    let start = Instant::now();
    let done = sync_vault(&mut v, &folder, None, 3).unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    assert!(done.written);

    let skipped: Vec<&str> = done.unreadable.iter().map(|(n, _)| n.as_str()).collect();
    for name in [
        "authdesk-anna.authdesk-backup",
        "authdesk-zero.authdesk-backup",
        "authdesk-fifo.authdesk-backup",
        "authdesk-huge.authdesk-backup",
        "authdesk-dir.authdesk-backup",
    ] {
        assert!(skipped.contains(&name), "{name} not reported: {skipped:?}");
    }
    let why = |n: &str| {
        done.unreadable
            .iter()
            .find(|(m, _)| m == n)
            .unwrap()
            .1
            .clone()
    };
    assert!(why("authdesk-anna.authdesk-backup").contains("link"));
    assert!(why("authdesk-fifo.authdesk-backup").contains("FIFO"));
    assert!(why("authdesk-huge.authdesk-backup").contains("MB"));
    assert!(why("authdesk-dir.authdesk-backup").contains("folder"));

    // The link was replaced, not followed: the private file is untouched
    // and its bytes are nowhere in the folder.
    assert_eq!(std::fs::read(&private).unwrap(), MARKER);
    assert!(
        std::fs::symlink_metadata(&own)
            .unwrap()
            .file_type()
            .is_file()
    );
    for path in files_below(&folder) {
        if path.metadata().unwrap().len() > 1 << 20 {
            continue; // the sparse file the test made
        }
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !bytes.windows(MARKER.len()).any(|w| w == MARKER),
            "{} holds the private file's bytes",
            path.display()
        );
    }
    // This device's backup holds every account, and the real history
    // survived the fake names.
    let b = Backup::read(&own, &pw("gezin")).unwrap();
    assert_eq!(b.entries.len(), 4);
    for path in &real_history {
        assert!(path.exists(), "{} was pruned", path.display());
    }
}

#[test]
fn a_folder_in_place_of_this_devices_backup_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    std::fs::create_dir(&folder).unwrap();
    let mut v = joined_vault(dir.path(), &folder);
    sync_vault(&mut v, &folder, None, 3).unwrap();
    let own = Writer::of(v.contents(), None).unwrap().path(&folder);
    std::fs::remove_file(&own).unwrap();
    std::fs::create_dir(&own).unwrap();
    let done = sync_vault(&mut v, &folder, None, 3).unwrap();
    assert!(done.written);
    assert!(own.is_file());
    assert!(
        done.warnings.iter().any(|w| w.contains("moved")),
        "{:?}",
        done.warnings
    );
}

#[test]
fn a_history_folder_that_is_a_link_is_not_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&folder).unwrap();
    std::fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, folder.join(HISTORY_DIR)).unwrap();
    let mut v = joined_vault(dir.path(), &folder);
    sync_vault(&mut v, &folder, None, 3).unwrap();
    v.add(totp("Waterbedrijf", "MFRGGZDFMZTWQ2LK"));
    v.save().unwrap();
    let done = sync_vault(&mut v, &folder, None, 3).unwrap();
    assert!(done.written, "the backup itself is still written");
    assert!(!done.warnings.is_empty());
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
}

/// A backup whose slots are random bytes with the given cost: parsing
/// accepts it, and only trying a password costs anything.
fn costly_file(path: &Path, slots: usize, memory_kib: u32, passes: u32) {
    use rand::RngCore;
    let slots: Vec<Slot> = (0..slots)
        .map(|_| {
            let mut s = Slot {
                kdf: KdfParams {
                    memory_kib,
                    passes,
                    lanes: 1,
                },
                salt: [0; 16],
                nonce: [0; 24],
                sealed: [0; 48],
                name: String::new(),
            };
            rand::rngs::OsRng.fill_bytes(&mut s.salt);
            rand::rngs::OsRng.fill_bytes(&mut s.sealed);
            s
        })
        .collect();
    let bytes = authdesk_core::backup::format::seal(&DataKey::random(), &slots, 0, "x", b"{}");
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_join_tries_the_households_slot_before_a_strangers_costly_ones() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    std::fs::create_dir(&folder).unwrap();
    // Two devices of the household have written; a stranger dropped three
    // files whose slots ask for 1 GiB × pass each.
    for name in ["a", "b"] {
        let mut v =
            Vault::create(dir.path().join(format!("{name}.vault")), &pw("v"), kdf()).unwrap();
        join(v.contents_mut(), &folder, &pw("gezin"), kdf()).unwrap();
        v.add(totp(name, "JBSWY3DPEHPK3PXP"));
        v.save().unwrap();
        sync_vault(&mut v, &folder, None, 3).unwrap();
    }
    for n in 0..3 {
        costly_file(
            &folder.join(format!("authdesk-stranger{n}.authdesk-backup")),
            4,
            256 * 1024,
            4,
        );
    }
    let mut c = Vault::create(dir.path().join("c.vault"), &pw("v"), kdf()).unwrap();
    let start = Instant::now();
    let joined = join(c.contents_mut(), &folder, &pw("gezin"), kdf()).unwrap();
    assert!(matches!(joined, Joined::Adopted { .. }));
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn slots_that_ask_too_much_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    // One slot over the per-slot bound; five slots at the bound are over
    // the per-file bound.
    let one = dir.path().join("one.authdesk-backup");
    costly_file(&one, 1, 1024 * 1024, 2);
    let five = dir.path().join("five.authdesk-backup");
    costly_file(&five, 5, 1024 * 1024, 1);
    const { assert!(5 * 1024 * 1024 > MAX_FILE_WORK) };
    for (path, needle) in [(&one, "password slot 1"), (&five, "in all")] {
        let start = Instant::now();
        let err = Backup::read(path, &pw("x")).unwrap_err();
        assert_eq!(err.kind(), "backup_unsafe_kdf", "{err}");
        assert!(err.to_string().contains(needle), "{err}");
        assert!(start.elapsed() < Duration::from_millis(500));
    }
}
