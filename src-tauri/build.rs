//! Build script: generates Tauri's context and declares the app's own IPC
//! commands in an app manifest, so each command needs an explicit grant in
//! `capabilities/` (without a manifest, local pages could call any command).

/// Every command in `src-tauri/desktop/commands.rs`; keep the two lists equal
/// (a test in `tests/security_baseline.rs` checks it).
const COMMANDS: &[&str] = &[
    "about",
    "vault_status",
    "vault_create",
    "vault_unlock",
    "vault_lock",
    "vault_activity",
    "settings_get",
    "settings_update",
    "vault_passwd",
    "vault_rekey",
    "vault_check",
    "audit_list",
    "vault_backup",
    "demo_load",
    "scenario_list",
    "plan_overview",
    "plan_compare",
    "plan_uncertainty",
    "work_cancel",
    "chart_save",
    "scenario_get",
    "scenario_choices",
    "scenario_draft",
    "scenario_save",
    "scenario_delete",
    "plan_orders",
    "plan_risk",
    "plan_sensitivity",
    "data_tables",
    "data_page",
    "data_edit",
    "data_revert",
    "workspace_restore",
    "workspace_save",
    "bundle_pick",
    "bundle_preview",
    "bundle_import",
    "bundle_discard",
    "dataset_list",
    "dataset_remove",
    "bundle_export",
    "keys_show",
    "issuer_list",
    "issuer_add",
    "issuer_remove",
    "contact_list",
    "contact_add",
    "contact_remove",
];

fn main() {
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("packplan build script: {error:#}");
        std::process::exit(1);
    }
}
