//! The floor WebKitGTK sets: one window, one page, one command that says
//! when the page has painted (same report as Authdesk's `ui_ready`).

#[tauri::command]
fn ui_ready(screen: String) {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    eprintln!("authdesk: first screen '{screen}' painted at {ms} ms");
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ui_ready])
        .run(tauri::generate_context!())
        .expect("error while running the empty window");
}
