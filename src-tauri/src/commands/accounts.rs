//! The list: codes, adding by link or by hand, editing, removing,
//! reordering, and the one command that reveals a secret.

use authdesk_core::order::SortOrder;
use tauri::{AppHandle, Runtime, State};

use super::{Reply, retype};
use crate::error::CmdError;
use crate::session::{
    AddReport, CodeView, Codes, Copied, EntryEdit, EntryView, ManualInput, Preview, PreviewEntry,
    Reveal,
};
use crate::state::AppState;

/// The accounts in the list's order. The tray menu follows: every change
/// to the accounts ends in a reload of the list.
#[tauri::command]
pub async fn list_entries<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<Vec<EntryView>> {
    let order = state.settings().sort_order;
    let entries = state.session().arranged(order)?;
    crate::tray::refresh(&app);
    Ok(entries)
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

/// Orders the list by hand, by name or by most recent use (kept in the
/// settings), and returns it in that order.
#[tauri::command]
pub async fn set_sort_order<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    order: SortOrder,
) -> Reply<Vec<EntryView>> {
    let settings = {
        let mut s = state.settings();
        s.sort_order = order;
        s.clone()
    };
    if let Some(path) = &state.settings_path {
        crate::settings::save(path, &settings).map_err(CmdError::settings_save)?;
    }
    let entries = state.session().arranged(order)?;
    crate::tray::refresh(&app);
    Ok(entries)
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
