//! `authdesk`: the command-line front end of authdesk-core. Its interface
//! is a contract with users' scripts: see `../shared/cli-contract.md`.

#![forbid(unsafe_code)]

mod args;
mod backup;
mod clock;
mod commands;
mod config;
mod exit;
mod failure;
mod import;
mod output;
mod password;
mod scan;
mod typing;

use clap::Parser;

use crate::exit::Exit;

fn main() -> std::process::ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Success
            }
            .into();
        }
    };
    if let Some(done) = args::describe(&cli.command, &mut std::io::stdout().lock()) {
        return match done {
            Ok(()) => Exit::Success,
            Err(e) => {
                eprintln!("authdesk: could not write: {e}");
                Exit::Failure
            }
        }
        .into();
    }
    let config = match config::Config::from_args(cli) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("authdesk: {msg}");
            return Exit::Usage.into();
        }
    };
    match commands::run(config) {
        Ok(exit) => exit.into(),
        Err(e) => {
            eprintln!("authdesk: {e}");
            Exit::Failure.into()
        }
    }
}
