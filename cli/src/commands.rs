//! One function per command, each working on the plain [`Config`].

use std::io::Write;
use std::path::Path;

use authdesk_core::entry::{Entry, EntryData, ManualError};
use authdesk_core::export::ExportFormat;
use authdesk_core::keychain;
use authdesk_core::otp::{Code, OtpType};
use authdesk_core::timestamp;
use authdesk_core::uri::{self, Parsed};
use authdesk_core::vault::{CreateError, KdfParams, Vault, fsio};
use serde::Serialize;

use crate::config::{Command, Config, Manual};
use crate::exit::Exit;
use crate::failure::Failure;
use crate::output::{print_json, report_add};
use crate::password;

pub fn run(config: Config) -> Result<Exit, Failure> {
    let path = config.vault.as_path();
    match config.command {
        Command::Init => init(path),
        Command::AddUri(text) => add_uri(path, &text),
        Command::AddManual(m) => add_manual(path, m),
        Command::List { json } => list(path, json),
        Command::Code {
            query,
            at,
            network_time,
            json,
        } => {
            let at = match network_time {
                Some(servers) => {
                    let check =
                        crate::clock::measure(&servers, authdesk_core::clock::DEFAULT_TIMEOUT)?;
                    eprintln!(
                        "Network time from {}: this computer's clock is {:+.3} s off",
                        check.server, check.offset
                    );
                    Some(
                        timestamp::code_seconds(check.network_now_ms()).ok_or_else(|| {
                            Failure::NetworkTimeBefore1970 {
                                server: check.server.clone(),
                            }
                        })?,
                    )
                }
                None => at,
            };
            code(path, query.as_deref(), at, json)
        }
        Command::Clock {
            servers,
            timeout,
            json,
        } => crate::clock::run(&servers, json, timeout),
        Command::Type {
            query,
            enter,
            delay_ms,
        } => crate::typing::run(path, &query, enter, delay_ms),
        Command::Remove { id } => remove(path, &id),
        Command::Rename {
            id,
            issuer,
            account,
        } => rename(path, &id, issuer, account),
        Command::Export { format, output } => export(path, format, output.as_deref()),
        Command::Import {
            file,
            format,
            dry_run,
        } => crate::import::run(path, &file, format.as_deref(), dry_run),
        Command::Scan { source, mode } => crate::scan::run(path, source, mode),
        Command::BackupCreate { file } => crate::backup::create(path, &file),
        Command::BackupRestore { file, dry_run } => crate::backup::restore(path, &file, dry_run),
        Command::BackupSync {
            folder,
            device,
            rename,
            keep,
            json,
        } => crate::backup::sync(
            path,
            &folder,
            crate::backup::SyncOptions {
                device: device.as_deref(),
                rename: rename.as_deref(),
                keep,
                json,
            },
        ),
        Command::Passwd => passwd(path),
        Command::Remember => remember(path),
        Command::Forget => forget(path),
    }
}

fn init(path: &Path) -> Result<Exit, Failure> {
    if path.exists() {
        return Err(CreateError::AlreadyExists {
            path: path.to_owned(),
        }
        .into());
    }
    let pw = password::init_password()?;
    Vault::create(path, &pw, KdfParams::default())?;
    println!("Created an empty vault at {}", path.display());
    Ok(Exit::Success)
}

fn add_uri(path: &Path, text: &str) -> Result<Exit, Failure> {
    // Parse before unlocking: a typo should not cost a password prompt.
    let parsed = uri::parse(text)?;
    let (entries, skipped) = match parsed {
        Parsed::Single(e) => (vec![e], vec![]),
        Parsed::Migration(batch) => {
            if batch.batch_size > 1 {
                println!(
                    "Google Authenticator export, part {} of {}",
                    batch.batch_index + 1,
                    batch.batch_size
                );
            }
            (batch.entries, batch.skipped)
        }
    };
    for s in &skipped {
        eprintln!("Skipped {}: {}", s.name, s.reason);
    }
    if entries.is_empty() {
        return Err(Failure::NoUsableAccount {
            skipped: skipped.len(),
        });
    }
    let mut vault = password::open_vault(path)?;
    let outcomes: Vec<_> = entries.into_iter().map(|e| vault.add(e)).collect();
    vault.save()?;
    for o in outcomes {
        report_add(&vault, o);
    }
    Ok(Exit::Success)
}

fn add_manual(path: &Path, m: Manual) -> Result<Exit, Failure> {
    let data = EntryData::manual(&m.issuer, &m.account, &m.secret, m.otp).map_err(|e| match e {
        ManualError::Secret(source) => Failure::InvalidSecret { source },
        ManualError::Params(source) => Failure::InvalidAccountSettings { source },
        other => Failure::Manual(other),
    })?;
    let mut vault = password::open_vault(path)?;
    let outcome = vault.add(data);
    vault.save()?;
    report_add(&vault, outcome);
    Ok(Exit::Success)
}

#[derive(Serialize)]
struct ListItem<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: OtpType,
    issuer: &'a str,
    account: &'a str,
    algorithm: &'static str,
    digits: u8,
    period: Option<u32>,
    counter: Option<u64>,
}

fn list_item(e: &Entry) -> ListItem<'_> {
    let hotp = e.data.otp.kind == OtpType::Hotp;
    ListItem {
        id: e.id.to_string(),
        kind: e.data.otp.kind,
        issuer: &e.data.issuer,
        account: &e.data.account,
        algorithm: e.data.otp.algorithm.as_str(),
        digits: e.data.otp.digits,
        period: (!hotp).then_some(e.data.otp.period),
        counter: hotp.then_some(e.data.otp.counter),
    }
}

fn list(path: &Path, json: bool) -> Result<Exit, Failure> {
    let vault = password::open_vault(path)?;
    if json {
        let items: Vec<_> = vault.entries().iter().map(list_item).collect();
        print_json(&items)?;
        return Ok(Exit::Success);
    }
    if vault.entries().is_empty() {
        println!(
            "The vault is empty. Add an account with `authdesk add otpauth://…` or `authdesk add --secret KEY --issuer NAME --account NAME`."
        );
    }
    for e in vault.entries() {
        let d = &e.data;
        let detail = match d.otp.kind {
            OtpType::Hotp => format!(
                "{} {} digits, counter {}",
                d.otp.algorithm, d.otp.digits, d.otp.counter
            ),
            _ => format!(
                "{} {} digits, {} s",
                d.otp.algorithm, d.otp.digits, d.otp.period
            ),
        };
        println!(
            "{}  {:<5}  {}  ({detail})",
            e.short_id(),
            d.otp.kind,
            d.display_name()
        );
    }
    Ok(Exit::Success)
}

fn now() -> u64 {
    timestamp::code_seconds(timestamp::now_ms()).unwrap_or(0)
}

#[derive(Serialize)]
struct CodeItem<'a> {
    #[serde(flatten)]
    entry: ListItem<'a>,
    code: &'a str,
    valid_from: Option<u64>,
    valid_until: Option<u64>,
    remaining_seconds: Option<u64>,
}

/// Groups digits for reading aloud: "123 456", "1234 5678".
fn grouped(code: &str) -> String {
    let n = code.len();
    if n < 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return code.to_owned();
    }
    let split = n.div_ceil(2);
    format!("{} {}", &code[..split], &code[split..])
}

fn code(path: &Path, query: Option<&str>, at: Option<u64>, json: bool) -> Result<Exit, Failure> {
    let time = at.unwrap_or_else(now);
    let mut vault = password::open_vault(path)?;
    let q = query.unwrap_or("");
    let ids = vault.matching(q);
    if ids.is_empty() {
        if vault.entries().is_empty() {
            return Err(Failure::EmptyVault);
        }
        return Err(Failure::NoMatch {
            query: q.to_owned(),
        });
    }
    let mut codes: Vec<Code> = Vec::with_capacity(ids.len());
    for id in &ids {
        // A HOTP code is shown only once its counter step is on disk, taken
        // from the counter on disk under the save lock: no code is ever
        // handed out twice, whatever runs beside this process.
        let code = match vault.issue_hotp(*id) {
            Some(c) => c.map_err(Failure::issuing)?,
            None => vault
                .get(*id)
                .expect("id from search")
                .data
                .time_code(time)?,
        };
        codes.push(code);
    }
    let pairs: Vec<(&Entry, &Code)> = ids
        .iter()
        .map(|id| vault.get(*id).expect("still present"))
        .zip(&codes)
        .collect();
    if json {
        let items: Vec<_> = pairs
            .iter()
            .map(|(e, c)| {
                let mut entry = list_item(e);
                if let Some(used) = c.counter {
                    entry.counter = Some(used);
                }
                CodeItem {
                    entry,
                    code: c.as_str(),
                    valid_from: c.valid_from,
                    valid_until: c.valid_until,
                    remaining_seconds: c.valid_until.map(|_| c.remaining(time)),
                }
            })
            .collect();
        print_json(&items)?;
    } else {
        for (e, c) in pairs {
            let when = match c.counter {
                Some(n) => format!("counter {n}"),
                None => format!("{} s left", c.remaining(time)),
            };
            println!(
                "{:<9}  {}  ({when})",
                grouped(c.as_str()),
                e.data.display_name()
            );
        }
    }
    Ok(Exit::Success)
}

fn remove(path: &Path, id: &str) -> Result<Exit, Failure> {
    let mut vault = password::open_vault(path)?;
    let id = vault.resolve(id)?.id;
    let removed = vault.remove(id).expect("resolved id exists");
    vault.save()?;
    println!(
        "Removed: {} [{}]",
        removed.data.display_name(),
        removed.short_id()
    );
    Ok(Exit::Success)
}

fn rename(
    path: &Path,
    id: &str,
    issuer: Option<String>,
    account: Option<String>,
) -> Result<Exit, Failure> {
    let mut vault = password::open_vault(path)?;
    let id = vault.resolve(id)?.id;
    vault.rename(id, issuer, account);
    vault.save()?;
    let e = vault.get(id).expect("renamed entry exists");
    println!("Renamed: {} [{}]", e.data.display_name(), e.short_id());
    Ok(Exit::Success)
}

fn export(path: &Path, format: ExportFormat, output: Option<&Path>) -> Result<Exit, Failure> {
    let vault = password::open_vault_with_password(path)?;
    let text = format.exporter().export(vault.entries());
    match output {
        Some(out) => {
            fsio::write_atomic(out, text.as_bytes()).map_err(|source| Failure::WriteFile {
                path: out.to_owned(),
                source,
            })?;
            eprintln!(
                "Wrote {} to {} (mode 0600). This file is NOT encrypted: anyone who reads it can make your codes. Delete it once imported.",
                crate::output::count(vault.entries().len(), "account", "accounts"),
                out.display()
            );
        }
        None => {
            eprintln!(
                "The {} below {} NOT encrypted: anyone who reads them can make your codes.",
                crate::output::count(vault.entries().len(), "account", "accounts"),
                if vault.entries().len() == 1 {
                    "is"
                } else {
                    "are"
                }
            );
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|source| Failure::WriteOutput { source })?;
        }
    }
    Ok(Exit::Success)
}

fn passwd(path: &Path) -> Result<Exit, Failure> {
    let mut vault = password::open_vault(path)?;
    let new = password::new_password(
        password::NEW_PASSWORD,
        "New password",
        password::Guards::Vault,
    )?;
    vault.change_password(&new, KdfParams::default())?;
    println!("Changed the password of {}", path.display());
    // A remembered key for the old password no longer opens the vault.
    if std::env::var_os(password::NO_KEYCHAIN).is_none()
        && let Ok(Some(_)) = keychain::recall(path)
    {
        match keychain::remember(path, vault.key()) {
            Ok(()) => println!("Updated the key remembered on this device."),
            Err(e) => eprintln!("Could not update the key remembered on this device: {e}"),
        }
    }
    Ok(Exit::Success)
}

fn remember(path: &Path) -> Result<Exit, Failure> {
    let vault = password::open_vault(path)?;
    keychain::remember(path, vault.key())?;
    println!(
        "This device now opens {} without a password, through the system keychain. `authdesk forget` undoes it.",
        path.display()
    );
    Ok(Exit::Success)
}

fn forget(path: &Path) -> Result<Exit, Failure> {
    if keychain::forget(path)? {
        println!("Forgot the key of {} on this device.", path.display());
    } else {
        println!(
            "No key of {} was remembered on this device.",
            path.display()
        );
    }
    Ok(Exit::Success)
}
