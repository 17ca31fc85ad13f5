//! The list: codes, adding by link or by hand, editing, removing,
//! reordering, and the one command that reveals a secret.

use tauri::State;

use super::{Reply, retype};
use crate::session::{
    AddReport, CodeView, Codes, Copied, EntryEdit, EntryView, ManualInput, Preview, PreviewEntry,
    Reveal,
};
use crate::state::AppState;

#[tauri::command]
pub async fn list_entries(state: State<'_, AppState>) -> Reply<Vec<EntryView>> {
    state.session().entries()
}

#[tauri::command]
pub async fn get_codes(state: State<'_, AppState>) -> Reply<Codes> {
    let now = state.code_now_ms();
    state.session().codes(now)
}

#[tauri::command]
pub async fn next_hotp(state: State<'_, AppState>, id: String) -> Reply<CodeView> {
    state.session().next_hotp(&id)
}

#[tauri::command]
pub async fn preview_uri(state: State<'_, AppState>, text: String) -> Reply<Preview> {
    state.session().preview_uri(&text)
}

#[tauri::command]
pub async fn add_uri(state: State<'_, AppState>, text: String) -> Reply<AddReport> {
    state.session().add_uri(&text)
}

#[tauri::command]
pub async fn preview_manual(state: State<'_, AppState>, input: ManualInput) -> Reply<PreviewEntry> {
    state.session().preview_manual(&input)
}

#[tauri::command]
pub async fn add_manual(state: State<'_, AppState>, input: ManualInput) -> Reply<AddReport> {
    state.session().add_manual(&input)
}

#[tauri::command]
pub async fn update_entry(
    state: State<'_, AppState>,
    id: String,
    edit: EntryEdit,
) -> Reply<EntryView> {
    state.session().update(&id, edit)
}

#[tauri::command]
pub async fn delete_entry(state: State<'_, AppState>, id: String) -> Reply<()> {
    state.session().delete(&id)
}

#[tauri::command]
pub async fn undo_delete(state: State<'_, AppState>) -> Reply<Option<String>> {
    state.session().undo_delete()
}

#[tauri::command]
pub async fn reorder_entries(state: State<'_, AppState>, ids: Vec<String>) -> Reply<()> {
    state.session().reorder(&ids)
}

#[tauri::command]
pub async fn sort_entries(state: State<'_, AppState>) -> Reply<Vec<EntryView>> {
    state.session().sort()
}

/// The one command that sends a secret to the web view, and only with the
/// password typed again.
#[tauri::command]
pub async fn reveal_secret(
    state: State<'_, AppState>,
    id: String,
    password: String,
) -> Reply<Reveal> {
    let retyped = retype(&state, password)?;
    state.session().reveal(&id, retyped)
}

#[tauri::command]
pub async fn copy_code(state: State<'_, AppState>, id: String) -> Reply<Copied> {
    let now = state.code_now_ms();
    let (code, copied) = state.session().code_for_copy(&id, now)?;
    let seconds = state.settings().clipboard_clear_seconds;
    state.clipboard.copy(code, seconds)?;
    Ok(copied)
}

/// The otpauth:// link the app was opened with, once, for the Add preview;
/// `None` while locked (the page asks again after unlocking) or when none
/// waits.
#[tauri::command]
pub async fn take_link(
    state: State<'_, AppState>,
    link: State<'_, crate::links::PendingLink>,
) -> Reply<Option<String>> {
    if !state.session().is_unlocked() {
        return Ok(None);
    }
    Ok(link.take().map(|l| l.as_str().to_owned()))
}
