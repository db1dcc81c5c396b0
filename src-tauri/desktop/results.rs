//! The IPC commands of the results screens: "Orders and TCO" (orders, costs and the
//! assumptions' sources), "Risk" (concentration per technology, regions) and the
//! tornado on demand (progress over a channel, Cancel through `work_cancel`). Each
//! takes state, calls the domain, maps the error; the vault is held only to read
//! the input, and the computation runs off the main thread.

use packplan_core::dataset::model_input;
use packplan_core::horizon::WindowRequest;
use packplan_core::progress::ProgressReport;
use packplan_core::report::orders::{self, OrdersReport};
use packplan_core::report::risk::{self, RiskReport};
use packplan_core::report::sensitivity::{self, Sensitivity};
use tauri::ipc::Channel;
use tauri::State;

use super::work::{clock_month, edition, input, off_main, ChannelProgress};
use super::{AppState, IpcError};

/// Every order of the scenario with its delivery and cost, and the cost assumptions with their sources.
#[tauri::command]
pub async fn plan_orders(state: State<'_, AppState>, scenario: String) -> Result<OrdersReport, IpcError> {
    let (input, tables) = state.session()?.with_vault(|v| {
        v.read(|c| {
            let input = model_input::named_input(c, &scenario, &WindowRequest::default(), clock_month())?;
            Ok((input, model_input::table_rows(c)?))
        })
    })?;
    off_main(move || orders::orders(&input, &tables, &edition())).await
}

/// Supplier concentration per technology at each December planned, and where the capacity sits.
#[tauri::command]
pub async fn plan_risk(state: State<'_, AppState>, scenario: String) -> Result<RiskReport, IpcError> {
    let input = input(&state, &scenario)?;
    off_main(move || risk::risk(&input, &edition())).await
}

/// The tornado of the scenario's first order; cancelled by `work_cancel` or by locking.
#[tauri::command]
pub async fn plan_sensitivity(
    state: State<'_, AppState>,
    scenario: String,
    on_progress: Channel<ProgressReport>,
) -> Result<Sensitivity, IpcError> {
    let input = input(&state, &scenario)?;
    let token = state.start_job()?;
    off_main(move || sensitivity::sensitivity(&input, &edition(), &ChannelProgress(on_progress), &token)).await
}

#[cfg(test)]
include!(concat!(env!("OUT_DIR"), "/ipc/contract_results.rs"));
