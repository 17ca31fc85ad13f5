//! `authdesk backup create|restore|sync`.

use std::path::Path;

use authdesk_core::backup::{Backup, RestoreReport, restore as merge};
use authdesk_core::vault::KdfParams;

use crate::commands::Failure;
use crate::exit::Exit;
use crate::password;

pub fn create(vault: &Path, file: &Path) -> Result<Exit, Failure> {
    let v = password::open_vault(vault)?;
    let pw = password::new_password(password::BACKUP_PASSWORD, "Backup password")?;
    let backup = Backup::new(v.entries().to_vec(), &pw, KdfParams::default())?;
    backup.write(file)?;
    println!(
        "Wrote an encrypted backup of {} account(s) to {}",
        backup.entries.len(),
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
        "Backup of {} account(s) made on {} at {}",
        backup.entries.len(),
        backup.device,
        crate::commands::format_time_ms(backup.created_ms)
    );
    print_report(&report, dry_run);
    Ok(Exit::Success)
}

pub fn sync(vault: &Path, folder: &Path, device: &str, keep: usize) -> Result<Exit, Failure> {
    use authdesk_core::backup::household;
    if !folder.is_dir() {
        return Err(Failure::Other(format!(
            "backup folder {} does not exist (or is not a folder): create it, or check the path",
            folder.display()
        )));
    }
    let mut v = password::open_vault(vault)?;
    if v.contents().household.is_none() {
        let pw =
            password::existing_password(password::BACKUP_PASSWORD, "Household backup password")?;
        match household::join(v.contents_mut(), folder, &pw, KdfParams::default())? {
            household::Joined::Started => println!(
                "Started household backups in {} (other devices join with the same password)",
                folder.display()
            ),
            household::Joined::Adopted { device } => println!(
                "Joined the household backups in {} (opened the backup made on {device})",
                folder.display()
            ),
        }
        v.save()?;
    }
    let done = household::sync_vault(&mut v, folder, device, keep)?;
    for name in &done.merged {
        println!("Merged: {name}");
    }
    for name in &done.other_household {
        println!(
            "Not merged: {name} was made with other passwords (another household), or altered; restore it by hand with `authdesk backup restore`"
        );
    }
    for (name, why) in &done.unreadable {
        println!("Not merged: {name}: {why}");
    }
    for name in &done.cleaned {
        println!("Removed the conflict copy {name}: this device's backup now holds it");
    }
    let r = &done.report;
    if r.changes_anything() || !r.kept_twice.is_empty() {
        print_report(r, false);
    }
    if done.written {
        println!("Wrote {}", household::own_path(folder, device).display());
    } else {
        println!("This device's backup is up to date");
    }
    Ok(Exit::Success)
}
