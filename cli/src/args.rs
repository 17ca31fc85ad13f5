//! The command line as clap sees it. Nothing here is used past
//! [`crate::config::Config::from_args`]: the rest of the program works on
//! plain types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "authdesk",
    version,
    about = "Authdesk: two-factor codes (TOTP, HOTP, Steam) from an encrypted vault",
    after_help = "The vault password comes from $AUTHDESK_PASSWORD_FILE, $AUTHDESK_PASSWORD, \
the system keychain (after `authdesk remember`) or a prompt.\n\
Exit codes: 0 success, 1 failure, 2 usage error, 3 checked and not fine.\n\
Updates come with the Authdesk packages (https://example.invalid/authdesk/releases); \
the command line never updates itself."
)]
pub struct Cli {
    /// Vault file [default: the platform data folder, e.g. ~/.local/share/authdesk/vault.authdesk]
    #[arg(long, global = true, env = "AUTHDESK_VAULT", value_name = "PATH")]
    pub vault: Option<PathBuf>,

    #[command(subcommand)]
    pub command: CliCommand,
}

#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Create an empty encrypted vault (never overwrites one)
    Init,
    /// Add an account from an otpauth:// or otpauth-migration:// URI, or by hand
    Add(AddArgs),
    /// List the accounts (never shows secrets)
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show the current code of every account matching QUERY
    Code {
        /// Part of the issuer or account name (case-insensitive), or an id
        query: Option<String>,
        /// Unix seconds or RFC 3339 time (e.g. 2026-11-24T08:00:00Z)
        #[arg(long, value_name = "TIME", conflicts_with = "network_time", value_parser = parse_at)]
        at: Option<u64>,
        /// Use network time (SNTP) instead of this computer's clock
        #[arg(long)]
        network_time: bool,
        /// Time server for --network-time (repeatable) [default: $AUTHDESK_TIME_SERVERS, the
        /// system's own, public pools]
        #[arg(long, value_name = "HOST[:PORT]", requires = "network_time")]
        server: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Type the code of the one account matching QUERY into the focused window
    Type {
        /// Part of the issuer or account name (case-insensitive), or an id
        query: String,
        /// Press Enter after the code
        #[arg(long)]
        enter: bool,
        /// Milliseconds between keys (some portals drop keys that come faster)
        #[arg(long, value_name = "MS", default_value_t = 20, value_parser = clap::value_parser!(u32).range(0..=1000))]
        delay: u32,
    },
    /// Remove an account
    Remove {
        /// The id (or a unique prefix) from `authdesk list`
        id: String,
    },
    /// Change an account's issuer and/or account name
    Rename {
        id: String,
        #[arg(long)]
        issuer: Option<String>,
        #[arg(long)]
        account: Option<String>,
    },
    /// Write every account with its secret, unencrypted
    Export {
        #[arg(long, value_enum)]
        format: ExportArg,
        /// Write to FILE (mode 0600) instead of standard output
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Import another authenticator's export (Aegis, 2FAS, andOTP, Authy, Bitwarden, Ente,
    /// FreeOTP, Google Authenticator, Proton, Stratum, …; see docs/IMPORTING.md)
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The export's format, when detection guesses wrong (auto, aegis, 2fas, …)
        #[arg(long, value_name = "NAME", default_value = "auto")]
        format: String,
        /// Show what would be added without writing
        #[arg(long)]
        dry_run: bool,
    },
    /// Decode QR codes in image files and add the authenticator ones
    Scan {
        /// PNG, JPEG, GIF, BMP, WebP or TIFF images
        #[arg(required_unless_present = "screen", value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Scan every monitor instead of files (on Wayland the desktop may ask first)
        #[arg(long, conflicts_with = "files")]
        screen: bool,
        /// Print the authenticator URIs found instead of adding them
        #[arg(long, conflicts_with = "raw")]
        dry_run: bool,
        /// Print a JSON array of the text of every QR code found, whatever it holds
        #[arg(long)]
        raw: bool,
    },
    /// Encrypted backups: create one, or merge one into the vault
    Backup {
        #[command(subcommand)]
        action: BackupAction,
    },
    /// Measure how far the system clock is from network time (SNTP); exit 3 when it is 10 s or
    /// more off
    Clock {
        /// Time server to ask (repeatable) [default: $AUTHDESK_TIME_SERVERS, else the system's
        /// own and public pools]
        #[arg(long, value_name = "HOST[:PORT]")]
        server: Vec<String>,
        /// Seconds to wait for the servers
        #[arg(long, value_name = "SECONDS", default_value_t = 3.0)]
        timeout: f64,
        #[arg(long)]
        json: bool,
    },
    /// Change the vault password ($AUTHDESK_NEW_PASSWORD_FILE, $AUTHDESK_NEW_PASSWORD or a prompt)
    Passwd,
    /// Remember the vault key in the system keychain, so no password is asked on this device
    Remember,
    /// Remove the remembered vault key from the system keychain
    Forget,
    /// Print shell completions for SHELL (e.g. `authdesk completions bash >
    /// ~/.local/share/bash-completion/completions/authdesk`)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for packages
    #[command(hide = true)]
    Manpage,
}

/// `completions` and `manpage` describe the command line itself: they are
/// answered from clap's definition, before a vault is looked for. `None`
/// for every other command.
pub fn describe(command: &CliCommand, out: &mut dyn std::io::Write) -> Option<std::io::Result<()>> {
    use clap::CommandFactory;
    match command {
        CliCommand::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "authdesk", out);
            Some(Ok(()))
        }
        CliCommand::Manpage => Some(clap_mangen::Man::new(Cli::command()).render(out)),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportArg {
    /// One otpauth:// URI per line
    Otpauth,
    /// Aegis's plain JSON export (Aegis: Import & export → Import from file → Aegis)
    Aegis,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TypeArg {
    Totp,
    Hotp,
    Steam,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AlgorithmArg {
    #[value(name = "SHA1", alias = "sha1")]
    Sha1,
    #[value(name = "SHA256", alias = "sha256")]
    Sha256,
    #[value(name = "SHA512", alias = "sha512")]
    Sha512,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// otpauth:// or otpauth-migration:// URI
    #[arg(conflicts_with_all = ["secret", "issuer", "account"], required_unless_present = "secret")]
    pub uri: Option<String>,
    /// The secret key as the portal shows it ("Unable to scan?"), spaces allowed
    #[arg(long, value_name = "B32")]
    pub secret: Option<String>,
    #[arg(long, requires = "secret")]
    pub issuer: Option<String>,
    #[arg(long, requires = "secret")]
    pub account: Option<String>,
    #[arg(long = "type", value_enum, requires = "secret", default_value = "totp")]
    pub kind: TypeArg,
    #[arg(long, value_enum, requires = "secret")]
    pub algorithm: Option<AlgorithmArg>,
    #[arg(long, requires = "secret")]
    pub digits: Option<u8>,
    #[arg(long, requires = "secret")]
    pub period: Option<u32>,
    #[arg(long, requires = "secret")]
    pub counter: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum BackupAction {
    /// Write an encrypted backup of every account ($AUTHDESK_BACKUP_PASSWORD or a prompt)
    Create {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Merge a backup into the vault: nothing lost, nothing duplicated
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Print what would change without writing
        #[arg(long)]
        dry_run: bool,
    },
    /// Household folder: merge every backup in FOLDER (other devices', sync tools' conflict
    /// copies) into the vault, then write this device's backup there. The first time, the
    /// household password ($AUTHDESK_BACKUP_PASSWORD or a prompt) opens the backups already
    /// there, or starts the household
    Sync {
        #[arg(value_name = "FOLDER")]
        folder: PathBuf,
        /// Write this device's backup as authdesk-NAME.authdesk-backup, shared by every device
        /// given the same NAME (default: a random id this vault keeps, shown as its name)
        #[arg(long, value_name = "NAME")]
        device: Option<String>,
        /// Name this device for the household (kept in the vault; "" goes back to the host name)
        #[arg(long, value_name = "NAME", conflicts_with = "device")]
        name: Option<String>,
        /// Distinct earlier versions of this device's backup kept in FOLDER/authdesk-history
        #[arg(long, value_name = "N", default_value_t = 10)]
        keep: usize,
        /// Print what the round did as JSON
        #[arg(long)]
        json: bool,
    },
}

/// `--at`: Unix seconds or RFC 3339, checked here so that a bad value is a
/// usage error (exit 2) like any other.
fn parse_at(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if let Ok(secs) = t.parse::<u64>() {
        return Ok(secs);
    }
    let dt = time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("{e}: give Unix seconds or RFC 3339 such as 2026-11-24T08:00:00Z"))?;
    u64::try_from(dt.unix_timestamp()).map_err(|_| "a time before 1970".to_owned())
}
