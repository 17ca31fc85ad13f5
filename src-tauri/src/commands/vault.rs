//! Creating, unlocking and locking the vault, and the first screen.

use secrecy::SecretString;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use super::Reply;
use crate::session::{Codes, EntryView, Status};
use crate::settings::{Language, Settings};
use crate::state::AppState;
use crate::window;

/// Everything the first screen needs, in one round trip: start-up time
/// is dominated by WebKit, so the page should not wait on several replies.
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BootReply {
    #[serde(flatten)]
    status: Status,
    settings: Settings,
    /// The language the UI should show ("en", "nl", "de" or "fr").
    #[cfg_attr(test, ts(type = r#""en" | "nl" | "de" | "fr""#))]
    language: Language,
    /// When the vault is (or could be, through the keychain) unlocked: the
    /// list and its codes.
    list: Option<ListReply>,
}

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ListReply {
    entries: Vec<EntryView>,
    codes: Codes,
}

/// The page's first call: status, settings and, when the key is
/// remembered on this device, the unlocked list.
#[tauri::command]
pub async fn boot(state: State<'_, AppState>) -> Reply<BootReply> {
    crate::trace("ui boots");
    let settings = state.settings().clone();
    let mut session = state.session();
    // A keychain failure only means the user types the password.
    let unlocked = session.unlock_with_keychain().unwrap_or(false);
    let list = if unlocked {
        Some(ListReply {
            entries: session.entries()?,
            codes: session.codes(state.code_now_ms())?,
        })
    } else {
        None
    };
    crate::trace("boot reply");
    Ok(BootReply {
        status: session.status(),
        language: settings.effective_language(),
        settings,
        list,
    })
}

#[tauri::command]
pub async fn create_vault(
    state: State<'_, AppState>,
    password: String,
    remember: bool,
) -> Reply<()> {
    // Argon2 runs without the session lock, which lock and codes need.
    let (path, kdf) = state.session().vault_path_and_kdf();
    let vault = authdesk_core::vault::Vault::create(&path, &SecretString::from(password), kdf)?;
    state.session().opened_elsewhere(vault, remember)
}

#[tauri::command]
pub async fn unlock(state: State<'_, AppState>, password: String, remember: bool) -> Reply<()> {
    let (path, _) = state.session().vault_path_and_kdf();
    let vault = authdesk_core::vault::Vault::open(&path, &SecretString::from(password))?;
    state.session().opened_elsewhere(vault, remember)
}

/// "Forgot your password?": the locked vault file moved aside (never
/// deleted), so that setup can make a new one and restore into it. Where
/// the old file is now.
#[tauri::command]
pub async fn set_vault_aside(state: State<'_, AppState>) -> Reply<String> {
    let aside = state.session().set_vault_aside()?;
    Ok(aside.display().to_string())
}

#[tauri::command]
pub async fn is_remembered(state: State<'_, AppState>) -> Reply<bool> {
    Ok(state.session().remembered())
}

#[tauri::command]
pub async fn set_remember(state: State<'_, AppState>, remember: bool) -> Reply<()> {
    state.session().set_remember(remember)
}

#[tauri::command]
pub async fn lock<R: Runtime>(app: AppHandle<R>) -> Reply<()> {
    window::lock(&app, "manual");
    Ok(())
}

/// The user did something: postpones the automatic lock.
#[tauri::command]
pub async fn touch(state: State<'_, AppState>) -> Reply<()> {
    state.session().last_activity = std::time::Instant::now();
    Ok(())
}

/// How hard a password being chosen is to guess, for the meters of the
/// setup and Backup screens, with the floors it is held to.
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StrengthReply {
    #[serde(flatten)]
    strength: authdesk_core::password::Strength,
    /// Backup and household passwords below this are refused.
    min_file_score: u8,
    /// A vault password below this needs explicit confirmation.
    min_vault_score: u8,
}

/// Works without the vault and keeps nothing; the copy received is wiped.
#[tauri::command]
pub async fn password_strength(password: String) -> Reply<StrengthReply> {
    use authdesk_core::password;
    let password = zeroize::Zeroizing::new(password);
    Ok(StrengthReply {
        strength: password::estimate_here(&password),
        min_file_score: password::MIN_FILE_PASSWORD_SCORE,
        min_vault_score: password::MIN_VAULT_PASSWORD_SCORE,
    })
}
