//! The boundary where clap's types become a plain configuration.

use std::path::PathBuf;

use authdesk_core::otp::{Algorithm, OtpParams, OtpType};

use crate::args::{AddArgs, AlgorithmArg, BackupAction, Cli, CliCommand, ExportArg, TypeArg};
use authdesk_core::export::ExportFormat;

#[derive(Debug)]
pub struct Config {
    pub vault: PathBuf,
    pub command: Command,
}

#[derive(Debug)]
pub enum Command {
    Init,
    AddUri(String),
    AddManual(Manual),
    List {
        json: bool,
    },
    Code {
        query: Option<String>,
        /// Unix seconds.
        at: Option<u64>,
        /// `Some(servers)`: use network time from these (empty: the defaults).
        network_time: Option<Vec<String>>,
        json: bool,
    },
    Type {
        query: String,
        enter: bool,
        /// Milliseconds between keys.
        delay_ms: u32,
    },
    Clock {
        servers: Vec<String>,
        timeout: std::time::Duration,
        json: bool,
    },
    Remove {
        id: String,
    },
    Rename {
        id: String,
        issuer: Option<String>,
        account: Option<String>,
    },
    Export {
        format: ExportFormat,
        output: Option<PathBuf>,
    },
    Import {
        file: PathBuf,
        /// `None`: detect from the content.
        format: Option<String>,
        dry_run: bool,
    },
    Scan {
        source: ScanSource,
        mode: ScanMode,
    },
    BackupCreate {
        file: PathBuf,
    },
    BackupRestore {
        file: PathBuf,
        dry_run: bool,
    },
    BackupSync {
        folder: PathBuf,
        /// `None`: the vault's device id.
        device: Option<String>,
        rename: Option<String>,
        keep: usize,
        json: bool,
    },
    Passwd,
    Remember,
    Forget,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanSource {
    Files(Vec<PathBuf>),
    Screen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanMode {
    Add,
    DryRun,
    Raw,
}

/// A hand-typed account; the secret is checked by the core.
#[derive(Debug)]
pub struct Manual {
    pub secret: String,
    pub issuer: String,
    pub account: String,
    pub otp: OtpParams,
}

impl Config {
    pub fn from_args(cli: Cli) -> Result<Config, String> {
        let vault = match cli.vault {
            Some(p) => p,
            None => authdesk_core::paths::default_vault_path().ok_or(
                "cannot find a data folder for the vault (no home directory); pass --vault PATH",
            )?,
        };
        let command = match cli.command {
            CliCommand::Init => Command::Init,
            CliCommand::Add(a) => add(a),
            CliCommand::List { json } => Command::List { json },
            CliCommand::Code {
                query,
                at,
                network_time,
                server,
                json,
            } => Command::Code {
                query,
                at,
                network_time: network_time.then_some(server),
                json,
            },
            CliCommand::Clock {
                server,
                timeout,
                json,
            } => {
                if !(timeout > 0.0 && timeout <= 60.0) {
                    return Err("--timeout is seconds, more than 0 and at most 60".into());
                }
                Command::Clock {
                    servers: server,
                    timeout: std::time::Duration::from_secs_f64(timeout),
                    json,
                }
            }
            CliCommand::Type {
                query,
                enter,
                delay,
            } => Command::Type {
                query,
                enter,
                delay_ms: delay,
            },
            CliCommand::Remove { id } => Command::Remove { id },
            CliCommand::Rename {
                id,
                issuer,
                account,
            } => {
                if issuer.is_none() && account.is_none() {
                    return Err("rename needs --issuer and/or --account".into());
                }
                Command::Rename {
                    id,
                    issuer,
                    account,
                }
            }
            CliCommand::Export { format, output } => Command::Export {
                format: match format {
                    ExportArg::Otpauth => ExportFormat::Otpauth,
                    ExportArg::Aegis => ExportFormat::Aegis,
                },
                output,
            },
            CliCommand::Import {
                file,
                format,
                dry_run,
            } => Command::Import {
                file,
                format: (!format.eq_ignore_ascii_case("auto")).then_some(format),
                dry_run,
            },
            CliCommand::Scan {
                files,
                screen,
                dry_run,
                raw,
            } => {
                if raw && !screen && files.len() != 1 {
                    return Err("scan --raw takes exactly one FILE (or --screen)".into());
                }
                let mode = if raw {
                    ScanMode::Raw
                } else if dry_run {
                    ScanMode::DryRun
                } else {
                    ScanMode::Add
                };
                let source = if screen {
                    ScanSource::Screen
                } else {
                    ScanSource::Files(files)
                };
                Command::Scan { source, mode }
            }
            CliCommand::Backup { action } => match action {
                BackupAction::Create { file } => Command::BackupCreate { file },
                BackupAction::Restore { file, dry_run } => Command::BackupRestore { file, dry_run },
                BackupAction::Sync {
                    folder,
                    device,
                    name,
                    keep,
                    json,
                } => Command::BackupSync {
                    folder,
                    device: device.filter(|d| !d.trim().is_empty()),
                    rename: name,
                    keep,
                    json,
                },
            },
            CliCommand::Passwd => Command::Passwd,
            CliCommand::Remember => Command::Remember,
            CliCommand::Forget => Command::Forget,
            CliCommand::Completions { .. } | CliCommand::Manpage => {
                return Err("completions and manpage are answered by args::describe".into());
            }
        };
        Ok(Config { vault, command })
    }
}

fn add(a: AddArgs) -> Command {
    let Some(secret) = a.secret else {
        return Command::AddUri(a.uri.unwrap_or_default());
    };
    let mut otp = match a.kind {
        TypeArg::Totp => OtpParams::totp(),
        TypeArg::Hotp => OtpParams::hotp(0),
        TypeArg::Steam => OtpParams::steam(),
    };
    if let Some(alg) = a.algorithm {
        otp.algorithm = match alg {
            AlgorithmArg::Sha1 => Algorithm::Sha1,
            AlgorithmArg::Sha256 => Algorithm::Sha256,
            AlgorithmArg::Sha512 => Algorithm::Sha512,
        };
    }
    if let Some(d) = a.digits {
        otp.digits = d;
    }
    if let Some(p) = a.period {
        otp.period = p;
    }
    if otp.kind == OtpType::Hotp
        && let Some(c) = a.counter
    {
        otp.counter = c;
    }
    Command::AddManual(Manual {
        secret,
        issuer: a.issuer.unwrap_or_default(),
        account: a.account.unwrap_or_default(),
        otp,
    })
}
