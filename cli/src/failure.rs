//! Why a command failed, as one type every command module returns.
//!
//! It lives apart from `commands` so that the command modules (`backup`,
//! `clock`, `import`, `scan`) and `password` can name it without importing
//! the dispatcher that calls them, which would make an import circle.

use std::io;
use std::path::PathBuf;

use authdesk_core::clock::{ClockError, ServerError};
use authdesk_core::entry::ManualError;
use authdesk_core::import::{ImportError, ReadFileError};
use authdesk_core::keychain::KeychainError;
use authdesk_core::otp::{CodeError, ParamsError};
use authdesk_core::secret::Base32Error;
use authdesk_core::uri::UriError;
use authdesk_core::vault::{CreateError, IssueError, LookupError, OpenError, SaveError};
use thiserror::Error;

/// Every variant ends the command with exit 1 (the CLI contract); they
/// differ in what the message can say. Each message names what failed,
/// where, and what to do, so the variants carry the facts for that rather
/// than a finished sentence.
#[derive(Debug, Error)]
pub enum Failure {
    /// Core's message, with the command that helps where one does.
    #[error("{0}{hint}", hint = match .0 {
        OpenError::NotFound { .. } => "; create one with `authdesk init`",
        _ => "",
    })]
    Open(#[from] OpenError),
    #[error(transparent)]
    Create(#[from] CreateError),
    #[error(transparent)]
    Save(#[from] SaveError),
    /// A hand-typed account refused for a reason newer than the two
    /// [`Failure::InvalidSecret`] and [`Failure::InvalidAccountSettings`]
    /// say with their option.
    #[error(transparent)]
    Manual(#[from] ManualError),
    /// No HOTP code issued for a reason other than its code or its save.
    #[error(transparent)]
    Issue(#[from] IssueError),
    #[error("{0}{hint}", hint = match .0 {
        LookupError::NotFound(_) => "; `authdesk list` shows the ids",
        _ => "",
    })]
    Lookup(#[from] LookupError),
    #[error(transparent)]
    Uri(#[from] UriError),
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    #[error(transparent)]
    Code(#[from] CodeError),
    #[error(transparent)]
    Qr(#[from] authdesk_core::qr::QrError),
    #[error(transparent)]
    Capture(#[from] authdesk_core::screen::CaptureError),
    #[error(transparent)]
    CreateBackup(#[from] authdesk_core::backup::CreateBackupError),
    #[error(transparent)]
    OpenBackup(#[from] authdesk_core::backup::OpenBackupError),
    #[error(transparent)]
    Join(#[from] authdesk_core::backup::household::JoinError),
    #[error(transparent)]
    Sync(#[from] authdesk_core::backup::household::SyncError),
    /// A new backup or household password below the strength floor.
    #[error("the {what} was not accepted: {source}")]
    WeakPassword {
        what: String,
        source: authdesk_core::password::WeakPassword,
    },
    /// Codes cannot be computed for a time before 1970.
    #[error("the time server {server} answered with a time before 1970; try another with --server")]
    NetworkTimeBefore1970 { server: String },
    /// A URI that parsed but whose every account was skipped (the reasons
    /// were printed as they were found).
    #[error(
        "the URI holds no account that Authdesk can use{}; export the accounts again from the app, or type a key with `authdesk add --secret KEY`",
        if *.skipped > 0 { " (the skipped ones are listed above)" } else { "" }
    )]
    NoUsableAccount { skipped: usize },
    #[error("invalid --secret: {source}; copy the key again from the portal")]
    InvalidSecret { source: Base32Error },
    #[error("invalid account settings: {source}; change {}", option_of(.source))]
    InvalidAccountSettings { source: ParamsError },
    #[error("the vault is empty; add an account first with `authdesk add`")]
    EmptyVault,
    #[error("no account matches \"{query}\"; `authdesk list` shows them")]
    NoMatch { query: String },
    /// Stdout closed or full: the output is incomplete, which a script
    /// must learn from the exit code.
    #[error(
        "cannot write to standard output: {source}; check where it goes (a closed pipe, a full disk)"
    )]
    WriteOutput { source: io::Error },
    #[error("cannot write {path}: {source}; check that its folder exists and can be written to")]
    WriteFile { path: PathBuf, source: io::Error },
    /// An export file that could not be read, or is no export by its size.
    #[error(transparent)]
    ReadExport(#[from] ReadFileError),
    #[error("{path}: {source}{hint}", hint = match source {
        ImportError::UnknownFormat { .. } => " (with --format)",
        ImportError::NoSuchFormat(..) => " (for --format)",
        _ => "",
    })]
    Import { path: PathBuf, source: ImportError },
    #[error(
        "cannot read the password file {path} named by ${variable}: {source}; correct ${variable}"
    )]
    PasswordFile {
        path: PathBuf,
        /// The `…_FILE` variable that named the file.
        variable: String,
        source: io::Error,
    },
    #[error("${variable} is not valid UTF-8; set it to the password as UTF-8 text")]
    PasswordNotUtf8 { variable: String },
    /// No password in the environment and no terminal to ask on.
    #[error(
        "no {}: set ${variable}_FILE (a file holding it) or ${variable}, or run authdesk in a terminal to be asked",
        lower_first(.what)
    )]
    NoPassword {
        /// What the password opens, as the prompt would name it.
        what: String,
        variable: String,
    },
    /// The terminal is there (that was checked) but reading it failed; the
    /// environment is the way around it.
    #[error(
        "cannot read {reading} from the terminal: {source}; set ${variable}_FILE (a file holding the password) or ${variable} instead"
    )]
    Terminal {
        reading: &'static str,
        /// The variable that gives the password being asked for.
        variable: String,
        source: io::Error,
    },
    #[error("{source}; correct it in {given_in}")]
    BadTimeServer {
        source: ServerError,
        /// `--server` or the variable the default list came from.
        given_in: &'static str,
    },
    /// `authdesk clock` could not measure the offset.
    #[error("{source}. {}", clock_advice(.source, *.servers_named))]
    ClockNotChecked {
        source: ClockError,
        /// The servers came from `--server`, so their names may be wrong.
        servers_named: bool,
    },
    /// `code --network-time` without network time: no code is shown, as
    /// the system clock's code may be the wrong one.
    #[error(
        "{source}. Codes were not shown: without network time they would use this computer's clock; leave out --network-time to use it"
    )]
    NoNetworkTime { source: ClockError },
    /// Every picture has had a line of its own saying what it held instead,
    /// so this one only sums up and says what to do.
    #[error(
        "no authenticator QR code found (each picture's problem is said above); scan the portal's QR code again, whole and sharp, or type its key with `authdesk add --secret KEY`"
    )]
    NoAuthenticatorQr,
    /// Auto-type could not type; the code is still one command away.
    #[error("{0}; `authdesk code QUERY` prints the code to copy instead")]
    Type(#[from] authdesk_core::autotype::TypeError),
    #[error(
        "backup folder {path} does not exist (or is not a folder): create it, or check the path"
    )]
    NoBackupFolder { path: PathBuf },
}

impl Failure {
    /// A HOTP code not issued, by its finer reason where it has one.
    pub fn issuing(e: IssueError) -> Failure {
        match e {
            IssueError::Code(c) => Failure::Code(c),
            IssueError::Save(s) => Failure::Save(s),
            other => Failure::Issue(other),
        }
    }
}

/// The option that sets what `e` complains about, so the message can say
/// which one to change.
fn option_of(e: &ParamsError) -> &'static str {
    match e {
        ParamsError::Digits(_) | ParamsError::SteamDigits(_) => "--digits",
        ParamsError::PeriodZero => "--period",
        ParamsError::SteamAlgorithm(_) => "--algorithm",
        _ => "--type, --digits, --period or --algorithm",
    }
}

/// "Backup password" as it reads inside a sentence; only the first letter,
/// so that "Password of the Aegis export" keeps the app's name.
fn lower_first(what: &str) -> String {
    let mut chars = what.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn clock_advice(e: &ClockError, servers_named: bool) -> &'static str {
    match e {
        ClockError::NoAnswer { .. } if servers_named => {
            "Check the network connection and the server names"
        }
        ClockError::NoAnswer { .. } => {
            "Check the network connection, or name a reachable server with --server HOST[:PORT]"
        }
        // Only an empty $AUTHDESK_TIME_SERVERS leaves no server to ask.
        ClockError::NoServers => {
            "Name one with --server HOST[:PORT], or list some in $AUTHDESK_TIME_SERVERS"
        }
        _ => "Check the network connection and the server names",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_messages_get_the_commands_that_help() {
        let e = Failure::from(OpenError::NotFound {
            path: "/v.authdesk".into(),
        });
        assert_eq!(
            e.to_string(),
            "no vault at /v.authdesk; create one with `authdesk init`"
        );
        let e = Failure::from(LookupError::NotFound("abc".into()));
        assert!(
            e.to_string().ends_with("; `authdesk list` shows the ids"),
            "{e}"
        );
        let e = Failure::Import {
            path: "x.json".into(),
            source: ImportError::NoSuchFormat("foo".into(), "aegis, 2fas".into()),
        };
        assert_eq!(
            e.to_string(),
            "x.json: foo is not a format Authdesk knows; the formats are: aegis, 2fas (for --format)"
        );
    }

    #[test]
    fn a_missing_password_reads_as_part_of_the_sentence() {
        let e = Failure::NoPassword {
            what: "Password of the Aegis export".into(),
            variable: "AUTHDESK_IMPORT_PASSWORD".into(),
        };
        assert!(
            e.to_string()
                .starts_with("no password of the Aegis export: set $AUTHDESK_IMPORT_PASSWORD_FILE"),
            "{e}"
        );
    }

    #[test]
    fn bad_account_settings_name_the_option_to_change() {
        let e = Failure::InvalidAccountSettings {
            source: ParamsError::PeriodZero,
        };
        assert!(e.to_string().ends_with("; change --period"), "{e}");
    }

    #[test]
    fn an_unchecked_clock_says_what_to_check() {
        let none = |servers_named| {
            Failure::ClockNotChecked {
                source: ClockError::NoAnswer { failures: vec![] },
                servers_named,
            }
            .to_string()
        };
        assert!(
            none(true).ends_with("and the server names"),
            "{}",
            none(true)
        );
        assert!(
            none(false).contains("--server HOST[:PORT]"),
            "{}",
            none(false)
        );
        let empty = Failure::ClockNotChecked {
            source: ClockError::NoServers,
            servers_named: false,
        };
        assert!(
            empty.to_string().contains("$AUTHDESK_TIME_SERVERS"),
            "{empty}"
        );
    }
}
