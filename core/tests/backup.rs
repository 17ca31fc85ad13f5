//! Backups: the committed test vectors (one file per failure case), round
//! trips with every piece of metadata, household passwords, the restore
//! merge's properties (proptest), and a full disk.

use authdesk_core::error::Kind as _;
use std::path::PathBuf;

use authdesk_core::backup::{Backup, OpenBackupError, restore};
use authdesk_core::entry::{Entry, EntryData};
use authdesk_core::otp::{Algorithm, OtpParams, OtpType};
use authdesk_core::secret::parse_base32;
use authdesk_core::vault::{Contents, KdfParams, Tombstone};
use proptest::prelude::*;
use secrecy::SecretString;

const SAMPLE_PASSWORD: &str = "correct horse battery staple";
const SECOND_PASSWORD: &str = "oma's eigen wachtwoord";
const DEVICE: &str = "vector-device";
const CREATED: i64 = 1_790_000_000_000;

fn pw(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/backup")
}

fn entry(id: u128, issuer: &str, account: &str, secret: &str, otp: OtpParams) -> Entry {
    Entry {
        id: uuid::Uuid::from_u128(id),
        data: EntryData {
            issuer: issuer.into(),
            account: account.into(),
            secret: parse_base32(secret).unwrap(),
            otp,
        },
        icon: None,
        groups: vec![],
        note: String::new(),
        pinned: false,
        autotype: Default::default(),
        created: CREATED - 1000,
        modified: CREATED - 1000,
    }
}

fn sample_entries() -> Vec<Entry> {
    let mut meter = entry(
        1,
        "Warmtenet Meterportaal",
        "fam.de.vries@voorbeeld.nl",
        "YFMGXVSIAP4UEZDR7MNWH2TJJQZ4ADXY",
        OtpParams::totp(),
    );
    meter.icon = Some("#1f8a70".into());
    meter.groups = vec!["Thuis".into()];
    let mut installer = OtpParams::totp();
    installer.algorithm = Algorithm::Sha256;
    installer.digits = 8;
    installer.period = 60;
    let mut steam = OtpParams::totp();
    steam.kind = OtpType::Steam;
    steam.digits = 5;
    vec![
        meter,
        entry(
            2,
            "Installer Portal",
            "installer@example.com",
            "JBSWY3DPEHPK3PXP",
            installer,
        ),
        entry(
            3,
            "Counter",
            "hotp-user",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            OtpParams::hotp(5),
        ),
        entry(4, "Steam", "gamer", "JRZCL47CMXVOQMNPZR2F7J4RGI", steam),
    ]
}

/// Byte offsets in the sample: 13-byte device name, two slots.
const SLOTS_AT: usize = 22 + DEVICE.len();
const S: usize = SLOTS_AT + 2 * 104;

fn checksum(b: &mut [u8]) {
    let sum = <sha2::Sha256 as sha2::Digest>::digest(&b[..S + 32]);
    b[S + 32..S + 64].copy_from_slice(&sum);
}

/// Writes the committed test vectors. Run by hand after a format change:
/// `cargo test -p authdesk-core --test backup -- --ignored regenerate`.
#[test]
#[ignore = "writes tests/vectors/backup; run by hand after a format change"]
fn regenerate_vectors() {
    let dir = vectors();
    std::fs::create_dir_all(&dir).unwrap();
    let kdf = KdfParams::insecure_for_tests();
    let mut b = Backup::new(sample_entries(), &pw(SAMPLE_PASSWORD), kdf).unwrap();
    b.add_password(&pw(SECOND_PASSWORD), kdf).unwrap();
    b.created_ms = CREATED;
    b.device = DEVICE.into();
    let bytes = b.to_bytes();
    let write = |name: &str, b: &[u8]| std::fs::write(dir.join(name), b).unwrap();
    write("sample.authdesk-backup", &bytes);
    write("wrong-password.txt", b"correct horse battery stapler\n");
    write("truncated.authdesk-backup", &bytes[..bytes.len() - 40]);
    let mut x = bytes.clone();
    x[22] ^= 0x01; // a device-name byte, checksum left as it was
    write("flipped-header.authdesk-backup", &x);
    let mut x = bytes.clone();
    x[22] = b'W'; // the device name forged and the checksum recomputed
    checksum(&mut x);
    write("forged-header.authdesk-backup", &x);
    let mut x = bytes.clone();
    x[S + 96 + 10] ^= 0x01;
    write("flipped-body.authdesk-backup", &x);
    let mut x = bytes.clone();
    x[8..10].copy_from_slice(&2u16.to_le_bytes());
    write("newer-version.authdesk-backup", &x);
    let mut x = bytes.clone();
    x[SLOTS_AT + 4..SLOTS_AT + 8].copy_from_slice(&(4u32 * 1024 * 1024).to_le_bytes());
    checksum(&mut x);
    write("unsafe-kdf.authdesk-backup", &x);
    // Within the bounds of memory and passes, but 1 GiB × 2 passes is more
    // work than one slot may ask.
    let mut x = bytes.clone();
    x[SLOTS_AT + 4..SLOTS_AT + 8].copy_from_slice(&(1024u32 * 1024).to_le_bytes());
    x[SLOTS_AT + 8..SLOTS_AT + 12].copy_from_slice(&2u32.to_le_bytes());
    checksum(&mut x);
    write("costly-slot.authdesk-backup", &x);
    // Five slots of 1 GiB × 1 pass: each allowed, together too much.
    let mut costly = b.household_key().slots[0].clone();
    costly.kdf = KdfParams {
        memory_kib: 1024 * 1024,
        passes: 1,
        lanes: 1,
    };
    let key = authdesk_core::backup::DataKey::random();
    let x = authdesk_core::backup::format::seal(&key, &vec![costly; 5], CREATED, DEVICE, b"{}");
    write("costly-file.authdesk-backup", &x);
    write(
        "not-a-backup.authdesk-backup",
        b"{\"db\": {\"entries\": []}, \"version\": 1}\n",
    );
}

/// Writes `named-slots.authdesk-backup`, apart from the others so that
/// they stay byte for byte as committed:
/// `cargo test -p authdesk-core --test backup -- --ignored regenerate_named`.
#[test]
#[ignore = "writes tests/vectors/backup; run by hand after a format change"]
fn regenerate_named_vector() {
    let kdf = KdfParams::insecure_for_tests();
    let mut b = Backup::new(sample_entries(), &pw(SAMPLE_PASSWORD), kdf).unwrap();
    b.add_named_password(&pw(SECOND_PASSWORD), "Jan", kdf)
        .unwrap();
    b.created_ms = CREATED;
    b.device = DEVICE.into();
    std::fs::write(vectors().join("named-slots.authdesk-backup"), b.to_bytes()).unwrap();
}

fn open_vector(name: &str, password: &str) -> Result<Backup, OpenBackupError> {
    Backup::read(&vectors().join(name), &pw(password))
}

#[test]
fn sample_opens_with_either_household_password() {
    for password in [SAMPLE_PASSWORD, SECOND_PASSWORD] {
        let b = open_vector("sample.authdesk-backup", password).unwrap();
        assert_eq!(b.entries, sample_entries(), "every field, in order");
        assert_eq!((b.created_ms, b.device.as_str()), (CREATED, DEVICE));
        assert_eq!(b.slot_count(), 2);
    }
}

#[test]
fn slot_names_are_read_from_the_body_and_older_files_have_none() {
    let b = open_vector("named-slots.authdesk-backup", SECOND_PASSWORD).unwrap();
    let names: Vec<String> = b
        .household_key()
        .slots
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["", "Jan"]);
    let b = open_vector("sample.authdesk-backup", SAMPLE_PASSWORD).unwrap();
    assert!(b.household_key().slots.iter().all(|s| s.name.is_empty()));
}

#[test]
fn notes_tags_pins_and_icons_survive_a_backup_and_a_household_merge() {
    let kdf = KdfParams::insecure_for_tests();
    let mut entries = sample_entries();
    entries[1].note = "Installatie 4711\nKlant: Jansen".into();
    entries[1].groups = vec!["Klanten".into(), "Zon".into()];
    entries[1].pinned = true;
    // A picture of the user's own, and a logo of the bundled set.
    let picture = authdesk_core::icon::picture(
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>",
    )
    .unwrap();
    entries[1].icon = Some(picture);
    entries[2].icon = Some("si:github".into());
    let b = Backup::new(entries.clone(), &pw("a"), kdf).unwrap();
    let back = Backup::open(&b.to_bytes(), &pw("a"), "x").unwrap();
    assert_eq!(
        back.entries, entries,
        "every field, notes, tags, pins and icons included"
    );

    // A note edited on another device, later: the household merge takes it.
    let mut contents = authdesk_core::vault::Contents {
        entries: sample_entries(),
        ..Default::default()
    };
    let mut theirs = entries.clone();
    theirs[1].modified += 10;
    theirs[2].modified += 10;
    authdesk_core::backup::sync(&mut contents, &theirs, &[]);
    assert_eq!(contents.entries[1].icon, entries[1].icon);
    assert_eq!(contents.entries[2].icon.as_deref(), Some("si:github"));
    assert_eq!(contents.entries[1].note, entries[1].note);
    assert_eq!(contents.entries[1].groups, entries[1].groups);
    assert!(contents.entries[1].pinned);
}

// Each failure vector's error: tests/vectors/MANIFEST, checked by
// tests/vectors.rs.

#[test]
fn every_truncation_and_every_flipped_byte_is_refused() {
    let bytes = std::fs::read(vectors().join("sample.authdesk-backup")).unwrap();
    // A cheap KDF keeps this exhaustive over lengths; bytes: a sample.
    for len in 0..bytes.len() {
        let e = Backup::open(&bytes[..len], &pw(SAMPLE_PASSWORD), "b").unwrap_err();
        assert!(
            matches!(e.kind(), "backup_truncated" | "not_a_backup"),
            "{len}: {e}"
        );
    }
    for i in (0..bytes.len()).step_by(7) {
        let mut x = bytes.clone();
        x[i] ^= 0x40;
        assert!(
            Backup::open(&x, &pw(SAMPLE_PASSWORD), "b").is_err(),
            "byte {i}"
        );
    }
}

#[test]
fn passwords_can_be_added_and_removed() {
    let kdf = KdfParams::insecure_for_tests();
    let mut b = Backup::new(sample_entries(), &pw("a"), kdf).unwrap();
    b.add_password(&pw("b"), kdf).unwrap();
    let bytes = b.to_bytes();
    let mut reopened = Backup::open(&bytes, &pw("b"), "x").unwrap();
    reopened.remove_password(0).unwrap();
    assert!(
        reopened.remove_password(0).is_err(),
        "the last password stays"
    );
    let bytes = reopened.to_bytes();
    assert_eq!(
        Backup::open(&bytes, &pw("a"), "x").unwrap_err().kind(),
        "wrong_password"
    );
    assert_eq!(
        Backup::open(&bytes, &pw("b"), "x").unwrap().entries.len(),
        4
    );
    assert_eq!(
        Backup::new(vec![], &pw(""), kdf).unwrap_err().kind(),
        "empty_password"
    );
}

#[test]
fn restore_merges_and_reports() {
    let mut vault = Contents {
        entries: vec![sample_entries()[0].clone()],
        tombstones: vec![Tombstone {
            id: uuid::Uuid::from_u128(4),
            deleted: CREATED,
        }],
        household: None,
        device: None,
    };
    // Same account, newer name in the backup; the counter moved on there.
    let mut incoming = sample_entries();
    incoming[0].data.account = "renamed@voorbeeld.nl".into();
    incoming[0].modified = CREATED + 5;
    incoming[2].data.otp.counter = 9;
    // The same name with another secret: kept twice.
    let mut other = entry(
        9,
        "Warmtenet Meterportaal",
        "renamed@voorbeeld.nl",
        "JBSWY3DPEHPK3PXP",
        OtpParams::totp(),
    );
    other.modified = CREATED;
    incoming.push(other);
    let r = restore(&mut vault, &incoming);
    assert_eq!(r.updated, ["Warmtenet Meterportaal (renamed@voorbeeld.nl)"]);
    assert_eq!(r.added.len(), 4);
    assert_eq!(
        r.kept_twice,
        ["Warmtenet Meterportaal (renamed@voorbeeld.nl)"]
    );
    assert_eq!(vault.entries.len(), 5);
    // Deleted here before: comes back under a new id, so that the vault's
    // own merge (which honours tombstones) keeps it.
    let steam = vault
        .entries
        .iter()
        .find(|e| e.data.issuer == "Steam")
        .unwrap();
    assert_ne!(steam.id, uuid::Uuid::from_u128(4));
    // Again: nothing changes.
    let before = vault.clone();
    let r = restore(&mut vault, &incoming);
    assert!(!r.changes_anything(), "{r:?}");
    assert_eq!(r.unchanged.len(), 5);
    assert_eq!(vault, before);
}

// ---- the merge's properties -------------------------------------------

const SECRETS: [&str; 5] = [
    "JBSWY3DPEHPK3PXP",
    "GEZDGNBVGY3TQOJQ",
    "YFMGXVSIAP4UEZDR7MNWH2TJJQZ4ADXY",
    "JRZCL47CMXVOQMNPZR2F7J4RGI",
    "MFRGGZDFMZTWQ2LK",
];

fn arb_entry() -> impl Strategy<Value = Entry> {
    (
        0..SECRETS.len(),
        0..3usize,
        0..3usize,
        any::<bool>(),
        0..4u64,
        0..4i64,
        prop::option::of(0..3u8),
        any::<u128>(),
    )
        .prop_map(|(s, issuer, account, hotp, counter, modified, icon, id)| {
            let otp = if hotp {
                OtpParams::hotp(counter)
            } else {
                OtpParams::totp()
            };
            let mut e = entry(
                id,
                ["Meter", "Zon", "Bank"][issuer],
                ["a", "b", "c"][account],
                SECRETS[s],
                otp,
            );
            e.modified = CREATED + modified;
            e.icon = icon.map(|i| format!("#00000{i}"));
            e
        })
}

/// A vault or backup never holds one account twice.
fn arb_side() -> impl Strategy<Value = Vec<Entry>> {
    prop::collection::vec(arb_entry(), 0..8).prop_map(|v| {
        let mut out: Vec<Entry> = Vec::new();
        for e in v {
            if !out
                .iter()
                .any(|o| o.data.same_account(&e.data) || o.id == e.id)
            {
                out.push(e);
            }
        }
        out
    })
}

/// What the user sees of an account, without ids.
fn seen(c: &Contents) -> Vec<String> {
    let mut v: Vec<String> = c
        .entries
        .iter()
        .map(|e| {
            format!(
                "{:?}|{:?}|{}|{}|{:?}|{}",
                e.data.secret.expose(),
                e.data.otp,
                e.data.issuer,
                e.data.account,
                e.icon,
                e.modified
            )
        })
        .collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_account_of_both_sides_is_there_exactly_once(a in arb_side(), b in arb_side()) {
        let mut vault = Contents { entries: b.clone(), tombstones: vec![], household: None, device: None };
        restore(&mut vault, &a);
        for x in a.iter().chain(&b) {
            let n = vault.entries.iter().filter(|e| e.data.same_account(&x.data)).count();
            prop_assert_eq!(n, 1, "{} present {} times", x.data.display_name(), n);
        }
        prop_assert_eq!(
            vault.entries.len(),
            b.len() + a.iter().filter(|x| !b.iter().any(|y| y.data.same_account(&x.data))).count()
        );
        // Counters never go back.
        for x in a.iter().chain(&b).filter(|x| x.data.otp.kind == OtpType::Hotp) {
            let kept = vault.entries.iter().find(|e| e.data.same_account(&x.data)).unwrap();
            prop_assert!(kept.data.otp.counter >= x.data.otp.counter);
        }
    }

    #[test]
    fn restoring_twice_changes_nothing(a in arb_side(), b in arb_side()) {
        let mut vault = Contents { entries: b, tombstones: vec![], household: None, device: None };
        restore(&mut vault, &a);
        let once = vault.clone();
        let r = restore(&mut vault, &a);
        prop_assert!(!r.changes_anything());
        prop_assert_eq!(vault, once);
    }

    #[test]
    fn the_order_of_two_restores_does_not_matter(a in arb_side(), b in arb_side(), c in arb_side()) {
        let mut ab = Contents { entries: c.clone(), tombstones: vec![], household: None, device: None };
        restore(&mut ab, &a);
        restore(&mut ab, &b);
        let mut ba = Contents { entries: c, tombstones: vec![], household: None, device: None };
        restore(&mut ba, &b);
        restore(&mut ba, &a);
        prop_assert_eq!(seen(&ab), seen(&ba));
    }
}

/// Two devices, each restoring the other's backup, end with the same accounts.
#[test]
fn two_devices_converge_through_backups() {
    let kdf = KdfParams::insecure_for_tests();
    let all = sample_entries();
    let mut laptop = Contents {
        entries: all[..3].to_vec(),
        tombstones: vec![],
        household: None,
        device: None,
    };
    let mut phone = Contents {
        entries: all[2..].to_vec(),
        tombstones: vec![],
        household: None,
        device: None,
    };
    phone.entries[0].data.otp.counter = 12;
    phone.entries[0].modified = CREATED + 9;
    phone.entries[0].data.account = "renamed on the phone".into();
    let from_laptop = Backup::new(laptop.entries.clone(), &pw("gezin"), kdf)
        .unwrap()
        .to_bytes();
    let from_phone = Backup::new(phone.entries.clone(), &pw("gezin"), kdf)
        .unwrap()
        .to_bytes();
    restore(
        &mut laptop,
        &Backup::open(&from_phone, &pw("gezin"), "p")
            .unwrap()
            .entries,
    );
    restore(
        &mut phone,
        &Backup::open(&from_laptop, &pw("gezin"), "l")
            .unwrap()
            .entries,
    );
    assert_eq!(seen(&laptop), seen(&phone));
    assert_eq!(laptop.entries.len(), 4);
    let counter = laptop
        .entries
        .iter()
        .find(|e| e.data.issuer == "Counter")
        .unwrap();
    assert_eq!(
        (counter.data.otp.counter, counter.data.account.as_str()),
        (12, "renamed on the phone")
    );
}

/// A tiny tmpfs, unmounted on drop. `None` where mounting is not allowed.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        ok.then_some(Tmpfs(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.0.path())
            .status();
    }
}

#[test]
fn a_full_disk_leaves_the_previous_backup_intact() {
    let Some(fs) = Tmpfs::mount("64k") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must be able to mount a tmpfs (it runs as root)"
        );
        eprintln!("skipped: cannot mount a tmpfs here (not root?)");
        return;
    };
    let path = fs.0.path().join("gezin.authdesk-backup");
    let kdf = KdfParams::insecure_for_tests();
    let mut b = Backup::new(sample_entries(), &pw("gezin"), kdf).unwrap();
    b.write(&path).unwrap();
    let before = std::fs::read(&path).unwrap();
    {
        use std::io::Write;
        let mut filler = std::fs::File::create(fs.0.path().join("filler")).unwrap();
        let chunk = vec![0u8; 4096];
        while filler.write_all(&chunk).is_ok() {}
        let _ = filler.write_all(&[0u8]);
        let _ = filler.sync_all();
    }
    let many: Vec<Entry> = (0..200u128)
        .map(|i| {
            entry(
                100 + i,
                &format!("Portal {i}"),
                "x",
                SECRETS[(i % 5) as usize],
                OtpParams::hotp(i as u64),
            )
        })
        .collect();
    b.update(many);
    let e = b.write(&path).unwrap_err();
    assert_eq!(e.kind(), "disk_full", "{e}");
    assert!(e.to_string().contains("disk is full"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the previous backup is intact"
    );
    assert_eq!(Backup::read(&path, &pw("gezin")).unwrap().entries.len(), 4);
}
