//! `authdesk backup create|restore|sync`.

use std::path::Path;

use authdesk_core::backup::{Backup, RestoreReport, restore as merge};
use authdesk_core::vault::KdfParams;
use secrecy::ExposeSecret;

use crate::exit::Exit;
use crate::failure::Failure;
use authdesk_core::timestamp::rfc3339;

use crate::output::{count, print_json};
use crate::password;

pub fn create(vault: &Path, file: &Path) -> Result<Exit, Failure> {
    let v = password::open_vault(vault)?;
    let pw = password::new_password(
        password::BACKUP_PASSWORD,
        "Backup password",
        password::Guards::SharedFiles,
    )?;
    let backup = Backup::new(v.entries().to_vec(), &pw, KdfParams::default())?;
    backup.write(file)?;
    println!(
        "Wrote an encrypted backup of {} to {}",
        count(backup.entries.len(), "account", "accounts"),
        file.display()
    );
    Ok(Exit::Success)
}

fn print_report(r: &RestoreReport, dry_run: bool) {
    let (add, update) = if dry_run {
        ("Would add", "Would update")
    } else {
        ("Added", "Updated")
    };
    for name in &r.added {
        println!("{add}: {name}");
    }
    for name in &r.updated {
        println!("{update}: {name}");
    }
    for name in &r.removed {
        println!("Removed: {name} (deleted on another device of the household)");
    }
    for name in &r.kept_twice {
        println!(
            "Kept twice: {name} (the same name with another secret key: check which one the portal accepts)"
        );
    }
    println!(
        "{} added, {} updated, {} unchanged, {} kept twice{}",
        r.added.len(),
        r.updated.len(),
        r.unchanged.len(),
        r.kept_twice.len(),
        if dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
}

pub fn restore(vault: &Path, file: &Path, dry_run: bool) -> Result<Exit, Failure> {
    // The backup first: a wrong backup password must not cost the vault's KDF.
    let pw = password::existing_password(password::BACKUP_PASSWORD, "Backup password")?;
    let backup = Backup::read(file, &pw)?;
    drop(pw);
    let mut v = password::open_vault(vault)?;
    let mut merged = v.contents().clone();
    let report = merge(&mut merged, &backup.entries);
    if !dry_run && report.changes_anything() {
        *v.contents_mut() = merged;
        v.save()?;
    }
    println!(
        "Backup of {} made on {} at {}",
        count(backup.entries.len(), "account", "accounts"),
        backup.device,
        rfc3339(backup.created_ms)
    );
    print_report(&report, dry_run);
    Ok(Exit::Success)
}

pub struct SyncOptions<'a> {
    /// A forced file name, shared by every device given it.
    pub device: Option<&'a str>,
    /// A new name for this device.
    pub rename: Option<&'a str>,
    pub keep: usize,
    pub json: bool,
}

pub fn sync(vault: &Path, folder: &Path, o: SyncOptions) -> Result<Exit, Failure> {
    use authdesk_core::backup::household;
    if !folder.is_dir() {
        return Err(Failure::NoBackupFolder {
            path: folder.to_owned(),
        });
    }
    let mut v = password::open_vault(vault)?;
    // Progress goes to stderr with --json, so stdout stays one document.
    let say = |line: String| {
        if o.json {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    };
    let mut joined = None;
    if v.contents().household.is_none() {
        // A password that starts a household guards files others can
        // reach, so it is a new password and must reach the strength
        // floor; one that joins is the household's already and is not
        // judged.
        let empty = household::folder::list(folder).is_ok_and(|l| l.backups.is_empty());
        let pw = if empty {
            password::new_password(
                password::BACKUP_PASSWORD,
                "New household backup password",
                password::Guards::SharedFiles,
            )?
        } else {
            password::existing_password(password::BACKUP_PASSWORD, "Household backup password")?
        };
        let how = household::join(v.contents_mut(), folder, &pw, KdfParams::default())?;
        // The folder's backups were all unreadable: this password starts
        // the household after all. Nothing is saved when it is weak.
        if how == household::Joined::Started
            && let Err(weak) = authdesk_core::password::check_file_password(pw.expose_secret())
        {
            return Err(Failure::WeakPassword {
                what: "new household backup password".into(),
                source: weak,
            });
        }
        match &how {
            household::Joined::Started => say(format!(
                "Started household backups in {} (other devices join with the same password)",
                folder.display()
            )),
            household::Joined::Adopted { device } => say(format!(
                "Joined the household backups in {} (opened the backup made on {device})",
                folder.display()
            )),
        }
        joined = Some(how);
        v.save()?;
    }
    if let Some(name) = o.rename {
        let now = authdesk_core::timestamp::now_ms();
        let device = v.contents_mut().device.get_or_insert_with(Default::default);
        device.rename(name, now);
        let shown = device.name();
        v.save()?;
        say(format!(
            "This device is now called \"{shown}\" in the household"
        ));
    }
    let done = household::sync_vault(&mut v, folder, o.device, o.keep)?;
    let me = household::Writer::of(v.contents(), o.device).expect("set by the round");
    if o.json {
        let joined = joined.map(|j| match j {
            household::Joined::Started => "started",
            household::Joined::Adopted { .. } => "adopted",
        });
        let now = authdesk_core::timestamp::now_ms();
        let devices: Vec<_> = done
            .devices
            .iter()
            .map(|d| {
                serde_json::json!({
                    "name": d.name, "id": d.id, "file": d.file,
                    "last_backup_ms": d.last_backup_ms, "accounts": d.accounts,
                    "this_device": d.this_device, "stale": d.is_stale(now),
                })
            })
            .collect();
        let out = serde_json::json!({
            "device": { "id": me.id, "name": me.name },
            "file": me.path(folder),
            "joined": joined,
            "written": done.written,
            "merged": done.merged,
            "other_household": done.other_household,
            "unreadable": done.unreadable.iter()
                .map(|(n, why)| serde_json::json!({"name": n, "reason": why}))
                .collect::<Vec<_>>(),
            "cleaned": done.cleaned,
            "warnings": done.warnings,
            "report": done.report,
            "devices": devices,
        });
        print_json(&out)?;
        return Ok(Exit::Success);
    }
    print_round(&done);
    if done.written {
        println!("Wrote {}", me.path(folder).display());
    } else {
        println!("This device's backup is up to date");
    }
    Ok(Exit::Success)
}

fn print_round(done: &authdesk_core::backup::household::FolderSync) {
    // By device, as the household knows them; a sync tool's conflict copy
    // has no device of its own and is named by its file.
    for name in &done.merged {
        match done.devices.iter().find(|d| &d.file == name) {
            Some(d) => println!("Merged: {} ({name})", d.name),
            None => println!("Merged: {name}"),
        }
    }
    for name in &done.other_household {
        println!(
            "Not merged: {name} was made with other passwords (another household, or the household's passwords changed on another device), or altered; restore it by hand with `authdesk backup restore`"
        );
    }
    for (name, why) in &done.unreadable {
        println!("Not merged: {name}: {why}");
    }
    for name in &done.cleaned {
        println!("Removed {name}: this device's backup now holds it");
    }
    for w in &done.warnings {
        println!("Warning: {w}");
    }
    let r = &done.report;
    if r.changes_anything() || !r.kept_twice.is_empty() {
        print_report(r, false);
    }
    let now = authdesk_core::timestamp::now_ms();
    for d in &done.devices {
        println!(
            "Device: {}{} — last backup {}, {}{}",
            d.name,
            if d.this_device { " (this device)" } else { "" },
            rfc3339(d.last_backup_ms),
            count(d.accounts, "account", "accounts"),
            if d.is_stale(now) {
                " — has not backed up for over 30 days"
            } else {
                ""
            }
        );
    }
}
