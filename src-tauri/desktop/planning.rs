//! The IPC commands of the planning screens: the demo, scenarios, the overview,
//! the Monte Carlo (progress over a channel, Cancel), and saving a chart through
//! the native save dialog, or every chart in every format into a folder. Each takes state, calls the domain, maps the error;
//! long work runs off the main thread and holds the vault only to read its input.

use packplan_core::chart::{Format, ImageSize};
use packplan_core::dataset::model_input;
use packplan_core::demo;
use packplan_core::horizon::WindowRequest;
use packplan_core::model::run::RunOptions;
use packplan_core::model::scenario::Scenario;
use packplan_core::progress::{CancelToken, NoProgress, ProgressReport};
use packplan_core::report::chart_file::{all_charts, chart_file, file_name, ChartRequest};
use packplan_core::report::editor::{self, Choices, Draft, ScenarioInfo};
use packplan_core::report::overview::{self, Overview, SideBySide};
use packplan_core::report::uncertainty::{self, Uncertainty};
use packplan_core::vault;
use packplan_core::write_file::{write_all, write_file, Existing};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use super::work::{clock_month, edition, input, off_main, ChannelProgress};
use super::{clipboard, dialog, AppState, IpcError};

const ACTOR: &str = "desktop";

/// What loading the demo brought.
#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DemoLoaded {
    title: String,
    rows: u64,
    classification: String,
}

#[tauri::command]
pub async fn demo_load(state: State<'_, AppState>) -> Result<DemoLoaded, IpcError> {
    let mut session = state.session()?;
    let token = session.work_token().child();
    let receipt = session.with_vault(|v| demo::load(v, &vault::actor(ACTOR), &NoProgress, &token))?;
    let d = receipt.dataset;
    Ok(DemoLoaded { title: d.title, rows: d.rows.values().sum(), classification: d.classification })
}

#[tauri::command]
pub fn scenario_list(state: State<'_, AppState>) -> Result<Vec<ScenarioInfo>, IpcError> {
    let scenarios = state.session()?.with_vault(|v| v.read(model_input::scenarios))?;
    Ok(scenarios.iter().map(ScenarioInfo::from).collect())
}

#[tauri::command]
pub async fn plan_overview(state: State<'_, AppState>, scenario: String) -> Result<Overview, IpcError> {
    let input = input(&state, &scenario)?;
    off_main(move || overview::overview(&input, &RunOptions::default(), &edition(), &NoProgress, &CancelToken::new()))
        .await
}

/// Scenario `b` beside scenario `a`: both overviews, what moved and why, the comparison chart.
#[tauri::command]
pub async fn plan_compare(state: State<'_, AppState>, a: String, b: String) -> Result<SideBySide, IpcError> {
    let (a, b) = (input(&state, &a)?, input(&state, &b)?);
    off_main(move || overview::side_by_side(&a, &b, &edition())).await
}

#[tauri::command]
pub async fn plan_uncertainty(
    state: State<'_, AppState>,
    scenario: String,
    trials: usize,
    seed: u64,
    on_progress: Channel<ProgressReport>,
) -> Result<Uncertainty, IpcError> {
    let input = input(&state, &scenario)?;
    let token = state.start_job()?;
    off_main(move || uncertainty::uncertainty(&input, trials, seed, &edition(), &ChannelProgress(on_progress), &token))
        .await
}

/// The Overview's answer: 1,000 trials of `scenario`, worked out in the background
/// whenever the inputs change. A new request cancels the one it replaces; an answer
/// already worked out for the same inputs comes back at once.
#[tauri::command]
pub async fn plan_answer(
    state: State<'_, AppState>,
    scenario: String,
    on_progress: Channel<ProgressReport>,
) -> Result<Uncertainty, IpcError> {
    let input = input(&state, &scenario)?;
    let key = uncertainty::answer_key(&input, uncertainty::ANSWER_TRIALS, uncertainty::ANSWER_SEED);
    if let Some(answer) = state.answers()?.remembered(&key) {
        return Ok(answer);
    }
    let work = state.session()?.work_token();
    let token = state.answers()?.start(&work);
    let running = token.clone();
    let answer = off_main(move || {
        let (trials, seed) = (uncertainty::ANSWER_TRIALS, uncertainty::ANSWER_SEED);
        uncertainty::uncertainty(&input, trials, seed, &edition(), &ChannelProgress(on_progress), &running)
    })
    .await?;
    // an answer that finished as the vault locked is not remembered past the lock
    // (locking cancels the token before it forgets the answers)
    let mut answers = state.answers()?;
    token.check()?;
    answers.remember(key, answer.clone());
    Ok(answer)
}

/// Cancels the running job (the Monte Carlo) and the background answer; nothing is changed.
#[tauri::command]
pub fn work_cancel(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.cancel_job()?;
    Ok(())
}

/// Draws a chart and saves it where the user chooses in the native dialog.
/// Returns the path, or nothing if the user closed the dialog.
#[tauri::command]
pub async fn chart_save<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    scenario: String,
    request: ChartRequest,
    against: Option<String>,
) -> Result<Option<String>, IpcError> {
    let other = against.map(|a| input(&state, &a)).transpose()?;
    let input = input(&state, &scenario)?;
    let token: CancelToken = state.start_job()?;
    let name = file_name(request.kind, &scenario, request.format);
    let (label, extensions) = (request.format.description(), request.format.extensions());
    let Some(path) = dialog::save_file(app, &name, label, extensions).await? else { return Ok(None) };
    off_main(move || {
        let bytes = chart_file(&input, other.as_ref(), &request, &edition(), &token)?;
        // the save dialog asked before replacing a file of that name
        write_file(&path, &bytes, Existing::Replace)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Draws a chart as PNG at twice its size (sharp on a slide) and puts it on the clipboard.
#[tauri::command]
pub async fn chart_copy<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    scenario: String,
    request: ChartRequest,
    against: Option<String>,
) -> Result<(), IpcError> {
    let other = against.map(|a| input(&state, &a)).transpose()?;
    let input = input(&state, &scenario)?;
    let token: CancelToken = state.start_job()?;
    let request =
        ChartRequest { format: Format::Png, size: Some(ImageSize { scale: 2.0, ..ImageSize::default() }), ..request };
    let png = off_main(move || chart_file(&input, other.as_ref(), &request, &edition(), &token)).await?;
    Ok(clipboard::put_png(&app, png).await?)
}

/// Every chart of `scenario` (and the comparison with `against`) as PNG, SVG, PDF and
/// CSV into a folder the user picks: all or nothing, never over files of the same
/// names; progress on `on_progress`, Cancel through `work_cancel`. The folder and how
/// many files, or nothing if the dialog was closed.
#[tauri::command]
pub async fn charts_export_all<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    scenario: String,
    against: Option<String>,
    trials: usize,
    seed: u64,
    on_progress: Channel<ProgressReport>,
) -> Result<Option<(String, usize)>, IpcError> {
    let other = against.map(|a| input(&state, &a)).transpose()?;
    let input = input(&state, &scenario)?;
    let Some(dir) = dialog::pick_folder(app, "Export all charts to").await? else { return Ok(None) };
    let token: CancelToken = state.start_job()?;
    off_main(move || {
        let progress = ChannelProgress(on_progress);
        let files = all_charts(&input, other.as_ref(), trials, seed, &edition(), &progress, &token)?;
        write_all(&dir, &files)?;
        Ok(Some((dir.display().to_string(), files.len())))
    })
    .await
}

/// A saved scenario in full, for the editor.
#[tauri::command]
pub fn scenario_get(state: State<'_, AppState>, name: String) -> Result<Scenario, IpcError> {
    Ok(state.session()?.with_vault(|v| v.read(|c| model_input::scenario(c, &name)))?)
}

/// What the editor can name: technologies, facilities, products.
#[tauri::command]
pub async fn scenario_choices(state: State<'_, AppState>) -> Result<Choices, IpcError> {
    let input = input(&state, "Baseline")?;
    Ok(editor::choices(&input))
}

/// Recomputes a scenario being edited (not saved), fast enough for a slider.
#[tauri::command]
pub async fn scenario_draft(state: State<'_, AppState>, scenario: Scenario) -> Result<Draft, IpcError> {
    let input = state
        .session()?
        .with_vault(|v| v.read(|c| model_input::model_input(c, &scenario, &WindowRequest::default(), clock_month())))?;
    off_main(move || editor::draft(&input, &edition())).await
}

/// Saves a scenario (a new one, or over the one with its name); audited.
#[tauri::command]
pub fn scenario_save(state: State<'_, AppState>, scenario: Scenario) -> Result<(), IpcError> {
    Ok(state
        .session()?
        .with_vault(|v| model_input::save_scenario_audited(v, &scenario, clock_month(), &vault::actor(ACTOR)))?)
}

/// Deletes a saved scenario; audited.
#[tauri::command]
pub fn scenario_delete(state: State<'_, AppState>, name: String) -> Result<(), IpcError> {
    Ok(state.session()?.with_vault(|v| model_input::delete_scenario_audited(v, &name, &vault::actor(ACTOR)))?)
}

#[cfg(test)]
include!(concat!(env!("OUT_DIR"), "/ipc/contract_planning.rs"));
