//! `authdesk import FILE`: another authenticator's export into the vault.
//!
//! The file is read and decrypted before the vault is unlocked, so a wrong
//! export password or a damaged file costs no vault password, and nothing
//! is written unless every account was read.

use std::path::Path;

use authdesk_core::import::{self, ImportError, Outcome};
use secrecy::SecretString;

use crate::exit::Exit;
use crate::failure::Failure;
use crate::password;

/// Attempts at a mistyped export password before giving up.
const TRIES: usize = 3;

fn read(file: &Path) -> Result<Vec<u8>, Failure> {
    Ok(import::read_file(file)?)
}

fn failed(file: &Path, source: ImportError) -> Failure {
    Failure::Import {
        path: file.to_owned(),
        source,
    }
}

/// Parses `bytes`, asking for the export's password when it is encrypted.
fn parse(file: &Path, bytes: &[u8], format: Option<&str>) -> Result<Outcome, Failure> {
    let (candidates, app, encrypted) = match format {
        Some(id) => {
            let i = import::by_id(id).map_err(|e| failed(file, e))?;
            let enc = i.detect(bytes).is_some_and(|d| d.encrypted);
            (vec![i], i.app().to_owned(), enc)
        }
        None => {
            let found = import::detect(bytes);
            let Some(&(first, d)) = found.first() else {
                return import::import_as(bytes, &[], None).map_err(|e| failed(file, e));
            };
            if found.len() > 1 {
                let others: Vec<String> = found[1..]
                    .iter()
                    .map(|(i, _)| format!("{} (--format {})", i.app(), i.id()))
                    .collect();
                eprintln!(
                    "Reading {} as a {} export; it could also be: {}",
                    file.display(),
                    first.app(),
                    others.join(", ")
                );
            }
            // Formats without a signature may both claim an encrypted file;
            // the core tries the password on each.
            let mut apps: Vec<&str> = found
                .iter()
                .filter(|(_, d)| d.encrypted)
                .map(|(i, _)| i.app())
                .collect();
            apps.dedup();
            let app = if d.encrypted {
                apps.join(" or ")
            } else {
                first.app().to_owned()
            };
            (found.iter().map(|(i, _)| *i).collect(), app, d.encrypted)
        }
    };
    let import = |pw: Option<&SecretString>| import::import_as(bytes, &candidates, pw);
    if !encrypted {
        return import(None).map_err(|e| failed(file, e));
    }
    let what = format!("Password of the {app} export");
    if let Some(pw) = password::from_env(password::IMPORT_PASSWORD)? {
        return import(Some(&pw)).map_err(|e| failed(file, e));
    }
    if !password::interactive() {
        return Err(password::no_password(&what, password::IMPORT_PASSWORD));
    }
    let mut tries = 0;
    loop {
        let pw: SecretString = password::prompt(&format!("{what}: "), password::IMPORT_PASSWORD)?;
        tries += 1;
        match import(Some(&pw)) {
            Err(e @ ImportError::WrongPassword { .. }) if tries < TRIES => {
                eprintln!("{e}; try again.");
            }
            other => return other.map_err(|e| failed(file, e)),
        }
    }
}

pub fn run(
    vault: &Path,
    file: &Path,
    format: Option<&str>,
    dry_run: bool,
) -> Result<Exit, Failure> {
    let bytes = read(file)?;
    let outcome = parse(file, &bytes, format)?;
    drop(bytes);
    let Outcome { app, imported, .. } = outcome;
    let skipped = imported.skipped;
    println!(
        "{app} export {}: {}{}",
        file.display(),
        crate::output::count(imported.entries.len(), "account", "accounts"),
        if skipped.is_empty() {
            String::new()
        } else {
            format!(", {} that Authdesk cannot use", skipped.len())
        }
    );
    let mut v = password::open_vault(vault)?;
    let mut contents = v.contents().clone();
    let report = import::add_to(&mut contents, imported.entries, &imported.details);
    if !dry_run && !report.added.is_empty() {
        *v.contents_mut() = contents;
        v.save()?;
    }
    let added = if dry_run { "Would add" } else { "Added" };
    for name in &report.added {
        println!("{added}: {name}");
    }
    for name in &report.already_present {
        println!("Already present: {name}");
    }
    for s in &skipped {
        println!("Skipped: {}: {}", s.name, s.reason);
    }
    println!(
        "{} added, {} already present, {} skipped{}",
        report.added.len(),
        report.already_present.len(),
        skipped.len(),
        if dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    Ok(Exit::Success)
}
