// Declaring the commands makes tauri-build generate one `allow-<command>`
// permission each, so capabilities/main.json grants them by name and any
// command it does not name is refused.
fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(
            tauri_build::AppManifest::new().commands(authdesk_app_commands::COMMANDS),
        ),
    )
    .expect("failed to run tauri-build");
}

#[path = "src/command_names.rs"]
mod authdesk_app_commands;
