//! The results screens' commands (`plan_orders`, `plan_risk`, `plan_sensitivity`) as the
//! web UI meets them, through Tauri's mock runtime with the app's real configuration and
//! capabilities, on a vault holding the demo data.

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

fn invoke(app: &tauri::App<tauri::test::MockRuntime>, cmd: &str, body: Value) -> Result<Value, Value> {
    let webview = match tauri::Manager::get_webview_window(app, desktop::MAIN_WINDOW) {
        Some(w) => w,
        None => WebviewWindowBuilder::new(app, desktop::MAIN_WINDOW, WebviewUrl::default()).build().unwrap(),
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
fn the_results_screens_read_orders_risk_and_the_tornado_of_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    invoke(&app, "vault_create", json!({"passphrase": "orbit lantern quietly harbour"})).unwrap();

    // no data yet: "not found", which the screens turn into what to do
    let empty = invoke(&app, "plan_orders", json!({"scenario": "Baseline"})).unwrap_err();
    assert_eq!(empty["kind"], "not_found", "{empty}");
    let empty = invoke(&app, "plan_risk", json!({"scenario": "Baseline"})).unwrap_err();
    assert_eq!(empty["kind"], "not_found", "{empty}");

    invoke(&app, "demo_load", json!({})).unwrap();
    let orders = invoke(&app, "plan_orders", json!({"scenario": "Baseline"})).unwrap();
    assert_eq!(orders["orders"][0]["order"], "cluster-a");
    assert_eq!(orders["orders"][0]["months_late"], 0);
    assert!(orders["orders"][0]["cost_per_gpu_hour"]["total"].as_f64().unwrap() > 0.0);
    let pue = orders["assumptions"].as_array().unwrap().iter().find(|a| a["key"] == "pue").unwrap().clone();
    assert_eq!(pue["unit"], "ratio");
    assert!(pue["sources"][0]["source"].as_str().unwrap().contains("Uptime Institute"));
    assert!(!pue["sources"][0]["dataset_title"].as_str().unwrap().is_empty());
    let kinds: Vec<&str> =
        orders["charts"].as_array().unwrap().iter().filter_map(|c| c["spec"]["kind"].as_str()).collect();
    assert_eq!(kinds, ["tco", "cost-per-hour"]);

    let risk = invoke(&app, "plan_risk", json!({"scenario": "Baseline"})).unwrap();
    assert_eq!(risk["high"], 2500.0);
    assert!(risk["technologies"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["technology"] == "cowos-l" && t["single_source"] == true));
    assert!(!risk["exposure"].as_array().unwrap().is_empty());

    let unknown = invoke(&app, "plan_risk", json!({"scenario": "No such scenario"})).unwrap_err();
    assert!(unknown["message"].as_str().unwrap().contains("Baseline"), "{unknown}");

    let tornado =
        invoke(&app, "plan_sensitivity", json!({"scenario": "Baseline", "onProgress": "__CHANNEL__:7"})).unwrap();
    assert_eq!(tornado["order"], "cluster-a");
    assert!(!tornado["bars"].as_array().unwrap().is_empty());
    assert_eq!(tornado["charts"][0]["spec"]["kind"], "tornado");

    invoke(&app, "vault_lock", json!({})).unwrap();
    let locked = invoke(&app, "plan_orders", json!({"scenario": "Baseline"})).unwrap_err();
    assert_eq!(locked["kind"], "locked");
}
