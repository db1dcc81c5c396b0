//! The IPC surface as the web UI meets it, through Tauri's mock runtime with the
//! app's real configuration and capabilities (no window, no display needed).
#![allow(clippy::unwrap_used, clippy::expect_used)]

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
    let settings = invoke(&app, main, "settings_get", json!({})).unwrap();
    assert_eq!(settings["auto_lock_minutes"], 2, "{settings}");
    for unset in ["classification_label", "horizon_start", "horizon_months", "planning_date"] {
        assert_eq!(settings[unset], serde_json::Value::Null, "{unset}");
    }
    assert_eq!(settings["marking_policy"]["scheme"]["preset"], "commercial", "the default scheme");
    // an empty vault shows no data, so the window carries no banner
    assert_eq!(invoke(&app, main, "vault_marking", json!({})).unwrap(), serde_json::Value::Null);
    let report = invoke(&app, main, "vault_check", json!({})).unwrap();
    assert_eq!(report["ok"], true);
    let log = invoke(&app, main, "audit_list", json!({"limit": 10})).unwrap();
    assert_eq!(log[0]["action"], "settings.update");
}

#[test]
fn data_is_paged_edited_and_reverted_over_ipc_and_the_workspace_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let main = desktop::MAIN_WINDOW;
    invoke(&app, main, "vault_create", json!({"passphrase": "orbit lantern quietly harbour"})).unwrap();
    invoke(&app, main, "demo_load", json!({})).unwrap();
    // the window's banner: the demo's label in the default scheme, in its colours
    assert_eq!(
        invoke(&app, main, "vault_marking", json!({})).unwrap(),
        json!({"text": "PUBLIC // ILLUSTRATIVE: PUBLIC ESTIMATES", "background": "#007A33", "foreground": "#FFFFFF"})
    );

    let tables = invoke(&app, main, "data_tables", json!({})).unwrap();
    assert!(tables.as_array().unwrap().iter().any(|t| t["name"] == "orders" && t["rows"] == 1));
    let page = invoke(&app, main, "data_page", json!({"table": "orders", "query": {"search": "cluster"}})).unwrap();
    assert_eq!(page["matching"], 1);

    let bad = json!({"edit": {"table": "orders", "key": ["cluster-a"], "column": "quantity", "value": "-5"}});
    let refused = invoke(&app, main, "data_edit", bad).unwrap_err();
    assert_eq!(refused["kind"], "invalid");
    assert!(refused["message"].as_str().unwrap().contains("quantity"), "{refused}");

    let good = json!({"edit": {"table": "orders", "key": ["cluster-a"], "column": "quantity", "value": "4096"}});
    let edited = invoke(&app, main, "data_edit", good).unwrap();
    assert_eq!((edited["old"].clone(), edited["new"].clone()), (json!("2048"), json!("4096")));
    let overview = invoke(&app, main, "plan_overview", json!({"scenario": "Baseline"})).unwrap();
    assert_eq!(overview["orders"][0]["quantity"], 4096, "the plan follows the edit");
    invoke(&app, main, "data_revert", json!({"table": "orders", "key": ["cluster-a"]})).unwrap();
    let overview = invoke(&app, main, "plan_overview", json!({"scenario": "Baseline"})).unwrap();
    assert_eq!(overview["orders"][0]["quantity"], 2048);

    invoke(&app, main, "workspace_save", json!({"screen": "risk", "scenario": "HBM squeeze"})).unwrap();
    invoke(&app, main, "vault_lock", json!({})).unwrap();
    let locked = invoke(&app, main, "workspace_restore", json!({})).unwrap_err();
    assert_eq!(locked["kind"], "locked");
    invoke(&app, main, "vault_unlock", json!({"passphrase": "orbit lantern quietly harbour"})).unwrap();
    let restored = invoke(&app, main, "workspace_restore", json!({})).unwrap();
    assert_eq!((restored["screen"].clone(), restored["scenario"].clone()), (json!("risk"), json!("HBM squeeze")));
}

// The results screens' commands (`plan_orders`, `plan_risk`, `plan_sensitivity`) on the demo.
#[test]
fn the_results_screens_read_orders_risk_and_the_tornado_of_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    invoke(&app, desktop::MAIN_WINDOW, "vault_create", json!({"passphrase": "orbit lantern quietly harbour"})).unwrap();

    // no data yet: "not found", which the screens turn into what to do
    let empty = invoke(&app, desktop::MAIN_WINDOW, "plan_orders", json!({"scenario": "Baseline"})).unwrap_err();
    assert_eq!(empty["kind"], "not_found", "{empty}");
    let empty = invoke(&app, desktop::MAIN_WINDOW, "plan_risk", json!({"scenario": "Baseline"})).unwrap_err();
    assert_eq!(empty["kind"], "not_found", "{empty}");

    invoke(&app, desktop::MAIN_WINDOW, "demo_load", json!({})).unwrap();
    let orders = invoke(&app, desktop::MAIN_WINDOW, "plan_orders", json!({"scenario": "Baseline"})).unwrap();
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

    let risk = invoke(&app, desktop::MAIN_WINDOW, "plan_risk", json!({"scenario": "Baseline"})).unwrap();
    assert_eq!(risk["high"], 2500.0);
    assert!(risk["technologies"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["technology"] == "cowos-l" && t["single_source"] == true));
    assert!(!risk["exposure"].as_array().unwrap().is_empty());

    let unknown = invoke(&app, desktop::MAIN_WINDOW, "plan_risk", json!({"scenario": "No such scenario"})).unwrap_err();
    assert!(unknown["message"].as_str().unwrap().contains("Baseline"), "{unknown}");

    let tornado = invoke(
        &app,
        desktop::MAIN_WINDOW,
        "plan_sensitivity",
        json!({"scenario": "Baseline", "onProgress": "__CHANNEL__:7"}),
    )
    .unwrap();
    assert_eq!(tornado["order"], "cluster-a");
    assert!(!tornado["bars"].as_array().unwrap().is_empty());
    assert_eq!(tornado["charts"][0]["spec"]["kind"], "tornado");

    invoke(&app, desktop::MAIN_WINDOW, "vault_lock", json!({})).unwrap();
    let locked = invoke(&app, desktop::MAIN_WINDOW, "plan_orders", json!({"scenario": "Baseline"})).unwrap_err();
    assert_eq!(locked["kind"], "locked");
}

/// The CLI prints the report the app shows: `packplan model run --json` and the app's
/// overview of the same vault and scenario are the same JSON, and so are both sides of a
/// comparison (`model compare --json` against `plan_compare`). Both read the horizon
/// from the vault's settings.
#[test]
fn the_cli_prints_the_overview_the_app_shows() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let main = desktop::MAIN_WINDOW;
    let pass = "orbit lantern quietly harbour";
    invoke(&app, main, "vault_create", json!({ "passphrase": pass })).unwrap();
    invoke(&app, main, "demo_load", json!({})).unwrap();
    // a window of its own, so a CLI that ignored the settings would differ
    let settings = json!({"settings": {"auto_lock_minutes": 10, "planning_date": "2026-09", "horizon_start": "2026-01", "horizon_months": 36}});
    invoke(&app, main, "settings_update", settings).unwrap();
    let window = invoke(&app, main, "plan_window", json!({})).unwrap();
    assert_eq!(window, json!({"today": "2026-09", "start": "2026-01", "months": 36}));
    let shown = invoke(&app, main, "plan_overview", json!({"scenario": "HBM squeeze"})).unwrap();
    let compared = invoke(&app, main, "plan_compare", json!({"a": "Baseline", "b": "HBM squeeze"})).unwrap();
    invoke(&app, main, "vault_lock", json!({})).unwrap();

    let pass_file = dir.path().join("pass.txt");
    std::fs::write(&pass_file, format!("{pass}\n")).unwrap();
    let cli = |args: &[&str]| -> Value {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_packplan"))
            .arg("--vault")
            .arg(dir.path())
            .args(args)
            .arg("--passphrase-file")
            .arg(&pass_file)
            .env_remove("PACKPLAN_VAULT")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let printed = cli(&["--json", "model", "run", "--scenario", "HBM squeeze"]);
    assert_eq!(shown["months"], json!(["2026-01", "2028-12"]), "the app plans the settings' horizon");
    assert!(shown["charts"].as_array().is_some_and(|c| c.len() >= 5), "{}", shown["charts"]);
    assert_eq!(printed, shown, "model run --json is the overview the app shows");
    assert_eq!(cli(&["--json", "model", "compare", "Baseline", "HBM squeeze"]), compared);
    // and --start/--months only override
    let later = cli(&["--json", "model", "run", "--scenario", "HBM squeeze", "--start", "2026-07"]);
    assert_eq!(later["months"], json!(["2026-07", "2029-06"]));
}

/// The Overview's answer: 1,000 trials of the scenario, the same answer for the
/// same inputs, another when the inputs change (a scenario, the planning date), and
/// nothing once the vault is locked.
#[test]
fn the_overview_works_out_the_answer_and_follows_the_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let main = desktop::MAIN_WINDOW;
    invoke(&app, main, "vault_create", json!({"passphrase": "orbit lantern quietly harbour"})).unwrap();
    invoke(&app, main, "demo_load", json!({})).unwrap();
    let settings = json!({"settings": {"auto_lock_minutes": 10, "planning_date": "2026-12"}});
    invoke(&app, main, "settings_update", settings).unwrap();
    let ask = |scenario: &str| {
        invoke(&app, main, "plan_answer", json!({"scenario": scenario, "onProgress": "__CHANNEL__:9"})).unwrap()
    };
    let answer = ask("Baseline");
    assert_eq!(answer["trials"], 1000);
    let order = &answer["orders"][0];
    assert_eq!(order["order"], "cluster-a");
    assert_eq!(order["needed_by"], "2027-09");
    let p = order["probability_on_time"].as_f64().unwrap();
    assert!(p > 0.0 && p < 1.0, "the demo's order is uncertain: P = {p}");
    let kinds: Vec<&str> =
        answer["charts"].as_array().unwrap().iter().filter_map(|c| c["spec"]["kind"].as_str()).collect();
    assert_eq!(kinds, ["completion", "fan"]);
    assert_eq!(ask("Baseline"), answer, "the same inputs give the same answer");

    let squeeze = ask("HBM squeeze");
    assert!(
        squeeze["orders"][0]["probability_on_time"].as_f64().unwrap() < p,
        "25 % less HBM lowers the odds: {} against {p}",
        squeeze["orders"][0]["probability_on_time"]
    );
    // planning from a later "today" is another input: the order's units come later
    let later = json!({"settings": {"auto_lock_minutes": 10, "planning_date": "2027-03"}});
    invoke(&app, main, "settings_update", later).unwrap();
    let from_march = ask("Baseline");
    assert_ne!(from_march["orders"][0]["p50"], order["p50"], "{} against {}", from_march["orders"][0], order);

    invoke(&app, main, "vault_lock", json!({})).unwrap();
    let locked =
        invoke(&app, main, "plan_answer", json!({"scenario": "Baseline", "onProgress": "__CHANNEL__:9"})).unwrap_err();
    assert_eq!(locked["kind"], "locked");
}
