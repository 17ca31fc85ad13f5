//! Where passwords come from: a file named by an environment variable, the
//! variable itself, the system keychain, or a prompt on the terminal (the
//! same order as restic and borg).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use authdesk_core::keychain;
use authdesk_core::password::{self as strength, Strength, WeakPassword};
use authdesk_core::vault::{OpenError, Vault};
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::failure::Failure;

pub const PASSWORD: &str = "AUTHDESK_PASSWORD";
pub const NEW_PASSWORD: &str = "AUTHDESK_NEW_PASSWORD";
pub const BACKUP_PASSWORD: &str = "AUTHDESK_BACKUP_PASSWORD";
pub const IMPORT_PASSWORD: &str = "AUTHDESK_IMPORT_PASSWORD";
/// Set to skip the keychain (scripts on machines without one, tests).
pub const NO_KEYCHAIN: &str = "AUTHDESK_NO_KEYCHAIN";

/// The password from `$NAME_FILE` or `$NAME`, if either is set.
pub fn from_env(name: &str) -> Result<Option<SecretString>, Failure> {
    let file_var = format!("{name}_FILE");
    if let Some(path) = std::env::var_os(&file_var).map(PathBuf::from) {
        let text = std::fs::read_to_string(&path).map_err(|source| Failure::PasswordFile {
            path,
            variable: file_var,
            source,
        })?;
        let text = Zeroizing::new(text);
        let line = text.strip_suffix('\n').unwrap_or(&text);
        let line = line.strip_suffix('\r').unwrap_or(line);
        return Ok(Some(SecretString::from(line.to_owned())));
    }
    match std::env::var(name) {
        Ok(v) => Ok(Some(SecretString::from(v))),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Failure::PasswordNotUtf8 {
            variable: name.to_owned(),
        }),
    }
}

pub fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

pub fn no_password(what: &str, var: &str) -> Failure {
    Failure::NoPassword {
        what: what.to_owned(),
        variable: var.to_owned(),
    }
}

/// Asks on the terminal for the password that `$var` would otherwise give,
/// so a failure can point at the variable.
pub fn prompt(text: &str, var: &str) -> Result<SecretString, Failure> {
    rpassword::prompt_password(text)
        .map(SecretString::from)
        .map_err(|source| Failure::Terminal {
            reading: "the password",
            variable: var.to_owned(),
            source,
        })
}

/// What a new password guards, which decides how weak it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guards {
    /// The vault file on this device: a weak password is warned about and,
    /// at a terminal, needs a "yes"; from the environment it is accepted
    /// with the warning, so scripts keep working.
    Vault,
    /// A backup or a household's files, which others can reach: refused
    /// below [`strength::MIN_FILE_PASSWORD_SCORE`].
    SharedFiles,
}

/// Which variable a password from the environment came from.
fn env_source(var: &str) -> String {
    let file_var = format!("{var}_FILE");
    if std::env::var_os(&file_var).is_some() {
        format!("${file_var}")
    } else {
        format!("${var}")
    }
}

/// A new password: from the environment, or typed twice. Its strength is
/// checked for what it guards ([`Guards`]).
pub fn new_password(var: &str, what: &str, guards: Guards) -> Result<SecretString, Failure> {
    if let Some(p) = from_env(var)? {
        let s = strength::estimate_here(p.expose_secret());
        match guards {
            Guards::SharedFiles if !s.fit_for_files() => {
                return Err(Failure::WeakPassword {
                    what: format!("{} from {}", what.to_lowercase(), env_source(var)),
                    source: s.into(),
                });
            }
            Guards::Vault if s.weak_for_vault() => {
                eprintln!(
                    "Warning: the {} from {} is easy to guess. {}",
                    what.to_lowercase(),
                    env_source(var),
                    vault_advice(&s)
                );
            }
            _ => {}
        }
        return Ok(p);
    }
    if !interactive() {
        return Err(no_password(what, var));
    }
    loop {
        let first = prompt(&format!("{what}: "), var)?;
        if first.expose_secret().is_empty() {
            eprintln!("The password cannot be empty.");
            continue;
        }
        let s = strength::estimate_here(first.expose_secret());
        match guards {
            Guards::SharedFiles if !s.fit_for_files() => {
                eprintln!("Not accepted: {}; try another.", WeakPassword::from(s));
                continue;
            }
            Guards::Vault if s.weak_for_vault() => {
                eprintln!(
                    "Warning: this password is easy to guess. {}",
                    vault_advice(&s)
                );
                if !confirm("Use this weak password anyway? [y/N] ", var)? {
                    continue;
                }
            }
            _ => {}
        }
        let again = prompt("Type it again: ", var)?;
        if first.expose_secret() == again.expose_secret() {
            eprintln!(
                "Keep this password safe: it cannot be recovered, and nothing it protects opens without it."
            );
            return Ok(first);
        }
        eprintln!("The two passwords differ; try again.");
    }
}

/// Why a weak vault password matters and what to do, in one line.
fn vault_advice(s: &Strength) -> String {
    let advice = s.advice();
    format!(
        "Strength {} of 4 (at least {} is advised): anyone who copies the vault file can try passwords offline.{}{} Longer is better, such as four or five words that do not belong together; `authdesk passwd` changes it later.",
        s.score,
        strength::MIN_VAULT_PASSWORD_SCORE,
        if advice.is_empty() { "" } else { " " },
        advice
    )
}

/// Asks a yes/no question on the terminal; only "y" or "yes" is yes.
fn confirm(question: &str, var: &str) -> Result<bool, Failure> {
    eprint!("{question}");
    let mut answer = Zeroizing::new(String::new());
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|source| Failure::Terminal {
            reading: "the answer",
            variable: var.to_owned(),
            source,
        })?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// A password that exists already (a backup's): from the environment, or
/// typed once.
pub fn existing_password(var: &str, what: &str) -> Result<SecretString, Failure> {
    if let Some(p) = from_env(var)? {
        return Ok(p);
    }
    if !interactive() {
        return Err(no_password(what, var));
    }
    prompt(&format!("{what}: "), var)
}

fn keychain_allowed() -> bool {
    std::env::var_os(NO_KEYCHAIN).is_none()
}

/// Opens the vault with whatever unlocks it first.
pub fn open_vault(path: &Path) -> Result<Vault, Failure> {
    open(path, keychain_allowed())
}

/// Opens the vault for a command that writes out secrets (`export`): the
/// password is asked even when the keychain remembers the key, so that an
/// unlocked session alone cannot dump every account.
pub fn open_vault_with_password(path: &Path) -> Result<Vault, Failure> {
    open(path, false)
}

fn open(path: &Path, use_keychain: bool) -> Result<Vault, Failure> {
    if let Some(pw) = from_env(PASSWORD)? {
        return Ok(Vault::open(path, &pw)?);
    }
    if !path.exists() {
        return Err(OpenError::NotFound {
            path: path.to_owned(),
        }
        .into());
    }
    if use_keychain {
        match keychain::open_remembered(path)? {
            keychain::Remembered::Opened(v) => return Ok(*v),
            keychain::Remembered::Rejected(e) => eprintln!("{e}"),
            keychain::Remembered::NotRemembered => {}
        }
    }
    if !interactive() {
        return Err(no_password("vault password", PASSWORD));
    }
    let mut tries = 0;
    loop {
        let pw = prompt(&format!("Password for {}: ", path.display()), PASSWORD)?;
        match Vault::open(path, &pw) {
            Err(e @ OpenError::WrongPassword { .. }) if tries < 2 => {
                eprintln!("{e}; try again.");
                tries += 1;
            }
            other => return Ok(other?),
        }
    }
}

/// The password for a vault that is being created.
pub fn init_password() -> Result<SecretString, Failure> {
    new_password(PASSWORD, "New vault password", Guards::Vault)
}
