//! Where Authdesk keeps its files, shared by the CLI and the app so both
//! open the same vault by default.

use std::path::PathBuf;

/// `$AUTHDESK_VAULT`, else the platform data folder
/// (`$XDG_DATA_HOME/authdesk/vault.authdesk` on Linux).
pub fn vault_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("AUTHDESK_VAULT").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    default_vault_path()
}

/// The platform data folder's vault (`$XDG_DATA_HOME/authdesk/vault.authdesk`
/// on Linux), ignoring `$AUTHDESK_VAULT`; `None` when the platform gives no
/// home folder.
pub fn default_vault_path() -> Option<PathBuf> {
    dirs().map(|d| d.data_dir().join("vault.authdesk"))
}

/// The app's settings folder (`$XDG_CONFIG_HOME/authdesk` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    dirs().map(|d| d.config_dir().to_owned())
}

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "authdesk")
}
