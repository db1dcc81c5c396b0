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

#[test]
fn the_vault_is_created_locked_and_unlocked_over_ipc() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let main = desktop::MAIN_WINDOW;
    let status = invoke(&app, main, "vault_status", json!({})).unwrap();
    assert_eq!(status["vault"]["state"], "none");
    assert_eq!(status["unlocked"], false);

    let weak = invoke(&app, main, "vault_create", json!({"passphrase": "short"})).unwrap_err();
    assert_eq!(weak["kind"], "invalid");
    let created = invoke(&app, main, "vault_create", json!({"passphrase": "orbit lantern quietly harbour"})).unwrap();
    assert!(created["recovery_code"].as_str().unwrap().starts_with("AGE-SECRET-KEY-1"));
    let status = invoke(&app, main, "vault_status", json!({})).unwrap();
    assert_eq!((status["unlocked"].clone(), status["auto_lock_minutes"].clone()), (json!(true), json!(10)));

    invoke(&app, main, "settings_update", json!({"settings": {"auto_lock_minutes": 2}})).unwrap();
    invoke(&app, main, "vault_lock", json!({})).unwrap();
    let locked = invoke(&app, main, "settings_get", json!({})).unwrap_err();
    assert_eq!(
        locked,
        json!({"kind": "locked", "message": "the vault is locked; unlock it with your passphrase first"})
    );

    let wrong = invoke(&app, main, "vault_unlock", json!({"passphrase": "orbit lantern quietly harbor"})).unwrap_err();
    assert_eq!(wrong["kind"], "wrong_key");
    invoke(&app, main, "vault_unlock", json!({"recoveryCode": created["recovery_code"]})).unwrap();
    assert_eq!(
        invoke(&app, main, "settings_get", json!({})).unwrap(),
        json!({"auto_lock_minutes": 2, "classification_label": null})
    );
    let report = invoke(&app, main, "vault_check", json!({})).unwrap();
    assert_eq!(report["ok"], true);
    let log = invoke(&app, main, "audit_list", json!({"limit": 10})).unwrap();
    assert_eq!(log[0]["action"], "settings.update");
}
