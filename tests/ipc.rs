//! The IPC surface as the web UI meets it, through Tauri's mock runtime with the
//! app's real configuration and capabilities (no window, no display needed).

use packplan_app::desktop::{self, AppState};
use packplan_core::location::VaultLocation;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewUrl, WebviewWindowBuilder};

fn app(vault: &std::path::Path) -> tauri::App<tauri::test::MockRuntime> {
    let location = VaultLocation::resolve(Some(vault)).unwrap();
    desktop::configure(mock_builder()).manage(AppState::new(location)).build(tauri::generate_context!()).unwrap()
}

fn invoke(app: &tauri::App<tauri::test::MockRuntime>, window: &str, cmd: &str, body: Value) -> Result<Value, Value> {
    let webview = match tauri::Manager::get_webview_window(app, window) {
        Some(w) => w,
        None => WebviewWindowBuilder::new(app, window, WebviewUrl::default()).build().unwrap(),
    };
    get_ipc_response(
        &webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.into(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn the_main_window_reads_name_version_and_vault_folder() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let about = invoke(&app, desktop::MAIN_WINDOW, "about", json!({})).unwrap();
    assert_eq!(about["name"], "Packplan");
    assert_eq!(about["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(about["vault_dir"], dir.path().display().to_string());
    assert_eq!(about["vault_portable"], true);
}

#[test]
fn a_window_without_a_grant_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let refused = invoke(&app, "intruder", "about", json!({})).unwrap_err();
    assert!(refused.to_string().contains("not allowed"), "{refused}");
}

#[test]
fn an_unknown_command_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    assert!(invoke(&app, desktop::MAIN_WINDOW, "open_shell", json!({})).is_err());
}
