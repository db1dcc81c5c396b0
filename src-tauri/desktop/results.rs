//! The IPC commands of the results screens: "Orders and TCO" (orders, costs and the
//! assumptions' sources, the plan as a workbook), "Risk" (concentration per technology, regions), the
//! tornado on demand (progress over a channel, Cancel through `work_cancel`) and the briefing pack. Each
//! takes state, calls the domain, maps the error; the vault is held only to read
//! the input, and the computation runs off the main thread.

use packplan_core::dataset::model_input;
use packplan_core::horizon::WindowRequest;
use packplan_core::model::run::{run, RunOptions};
use packplan_core::progress::ProgressReport;
use packplan_core::report::briefing::{briefing, BriefingOptions};
use packplan_core::report::briefing_pages::pdf;
use packplan_core::report::file_name;
use packplan_core::report::orders::{self, OrdersReport};
use packplan_core::report::risk::{self, RiskReport};
use packplan_core::report::sensitivity::{self, Sensitivity};
use packplan_core::report::uncertainty;
use packplan_core::report::workbook::plan_workbook;
use packplan_core::write_file::{write_file, Existing};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use super::work::{clock_month, edition, input, off_main, ChannelProgress};
use super::{dialog, AppState, IpcError};

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

/// Saves the scenario's plan (orders with the odds of 1,000 trials, units, costs,
/// concentration) and its data as a workbook, every sheet marked; Cancel through `work_cancel`.
#[tauri::command]
pub async fn plan_workbook_save<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    scenario: String,
) -> Result<Option<String>, IpcError> {
    let (input, tables) = state.session()?.with_vault(|v| {
        v.read(|c| {
            let input = model_input::named_input(c, &scenario, &WindowRequest::default(), clock_month())?;
            Ok((input, model_input::table_rows(c)?))
        })
    })?;
    let name = file_name("", &scenario, "xlsx");
    let Some(path) = dialog::save_file(app, &name, "Workbooks", &["xlsx"]).await? else { return Ok(None) };
    let token = state.start_job()?;
    off_main(move || {
        // the Overview's answer: the same trials and seed, so the odds are the ones it shows
        let (trials, seed) = (uncertainty::ANSWER_TRIALS, uncertainty::ANSWER_SEED);
        let options = RunOptions { trials, seed, measure_bottlenecks: true, ..RunOptions::default() };
        let r = run(&input, &options, &packplan_core::progress::NoProgress, &token)?;
        // the save dialog asked before replacing a file of that name
        write_file(&path, &plan_workbook(&input, &r, &tables, &edition())?, Existing::Replace)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Makes the briefing pack of `scenario` (with `against` beside it) and saves it where
/// the user chooses: one marked PDF, its answer from the Overview's trials and seed,
/// so its odds are the ones the Overview shows; progress over `on_progress`, Cancel
/// through `work_cancel`. The path, or nothing if the dialog was closed.
#[tauri::command]
pub async fn briefing_save<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    scenario: String,
    against: Option<String>,
    on_progress: Channel<ProgressReport>,
) -> Result<Option<String>, IpcError> {
    let (input, other, tables) = state.session()?.with_vault(|v| {
        v.read(|c| {
            let window = WindowRequest::default();
            let input = model_input::named_input(c, &scenario, &window, clock_month())?;
            let other =
                against.as_deref().map(|a| model_input::named_input(c, a, &window, clock_month())).transpose()?;
            Ok((input, other, model_input::table_rows(c)?))
        })
    })?;
    let name = file_name("briefing", &scenario, "pdf");
    let Some(path) = dialog::save_file(app, &name, "PDF document", &["pdf"]).await? else { return Ok(None) };
    let token = state.start_job()?;
    off_main(move || {
        let options = BriefingOptions { trials: uncertainty::ANSWER_TRIALS, seed: uncertainty::ANSWER_SEED };
        let progress = ChannelProgress(on_progress);
        let pack = briefing(&input, other.as_ref(), &tables, options, &edition(), &progress, &token)?;
        // the save dialog asked before replacing a file of that name
        write_file(&path, &pdf(&pack)?, Existing::Replace)?;
        Ok(Some(path.display().to_string()))
    })
    .await
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
