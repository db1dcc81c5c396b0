//! The IPC commands for the user's own files on the Data screen: choose a workbook
//! or a folder of CSV files (native dialogs), preview it as a dataset of its own
//! (then `bundle_import` applies it, as for a bundle), and save the workbook
//! template. Files are read in Rust into memory; the page never gets a path.

use packplan_core::bundle::csv_files;
use packplan_core::bundle::limits::{read_expected, Limits, WORKBOOK_FILE};
use packplan_core::bundle::spreadsheet::{Conventions, DateOrder};
use packplan_core::bundle::template_workbook::template_workbook;
use packplan_core::bundle::workbook;
use packplan_core::dataset::import;
use packplan_core::dataset::own_files::{self, OwnFiles};
use packplan_core::dataset::preview::Preview;
use packplan_core::printable::printable;
use packplan_core::progress::ProgressReport;
use packplan_core::write_file::{write_file, Existing};
use packplan_core::Error;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use zeroize::Zeroizing;

use super::data::PickedBundle;
use super::state::OwnPick;
use super::work::ChannelProgress;
use super::{dialog, AppState, IpcError};

/// Asks for a workbook (`folder` false) or a folder of CSV files, and keeps its bytes in memory.
#[tauri::command]
pub async fn files_pick<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    folder: bool,
) -> Result<Option<PickedBundle>, IpcError> {
    let limits = Limits::default();
    let name_of =
        |p: &std::path::Path| printable(&p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default());
    let (own, picked) = if folder {
        let Some(dir) = dialog::pick_folder(app, "Choose the folder of CSV files").await? else { return Ok(None) };
        let files = csv_files::files_of_folder(&dir, &limits)?;
        let size = files.iter().map(|(_, b)| b.len() as u64).sum();
        let name = name_of(&dir);
        let files = files.into_iter().map(|(n, b)| (n, Zeroizing::new(b))).collect();
        (OwnPick::Folder { name: name.clone(), files }, PickedBundle::new(name, size))
    } else {
        let extensions = &["xlsx", "xlsm", "xls", "ods"];
        let Some(path) = dialog::open_file(app, "Choose a workbook", "Workbooks", extensions).await? else {
            return Ok(None);
        };
        let bytes = Zeroizing::new(read_expected(&path, workbook::MAX_FILE_BYTES, &WORKBOOK_FILE)?);
        let name = name_of(&path);
        let size = bytes.len() as u64;
        (OwnPick::Workbook { name: name.clone(), bytes }, PickedBundle::new(name, size))
    };
    state.imports()?.pick_own(own);
    Ok(Some(picked))
}

/// Reads and checks the chosen files and previews their import; changes nothing.
/// `date_order` is `day-month`, `month-day` or none (ambiguous dates refused).
#[tauri::command]
pub async fn files_preview(
    state: State<'_, AppState>,
    classification: String,
    date_order: Option<String>,
    decimal_comma: bool,
    on_progress: Channel<ProgressReport>,
) -> Result<Preview, IpcError> {
    let date_order = match date_order.as_deref() {
        None | Some("") => None,
        Some("day-month") => Some(DateOrder::DayMonth),
        Some("month-day") => Some(DateOrder::MonthDay),
        Some(other) => {
            return Err(Error::invalid(format!("unknown date order {other:?}; choose day-month or month-day")).into())
        }
    };
    let conventions = Conventions { date_order, decimal_comma };
    let token = state.start_job()?;
    let progress = ChannelProgress(on_progress);
    let picked = {
        let imports = state.imports()?;
        match imports.own().ok_or_else(|| Error::invalid("choose a workbook or a folder of CSV files first"))? {
            OwnPick::Workbook { name, bytes } => (name.clone(), Some(bytes.to_vec()), None),
            OwnPick::Folder { name, files } => {
                (name.clone(), None, Some(files.iter().map(|(n, b)| (n.clone(), b.to_vec())).collect::<Vec<_>>()))
            }
        }
    };
    let (name, workbook, folder) = picked;
    let own = OwnFiles { name: &name, classification: &classification, conventions };
    let staged = state.session()?.with_vault(|v| {
        let opened = match (workbook, folder) {
            (Some(bytes), _) => own_files::open_workbook(v, &own, bytes)?,
            (None, Some(files)) => own_files::open_csv_files(v, &own, files)?,
            (None, None) => return Err(Error::internal("no file kept")),
        };
        import::stage_opened(v, opened, &progress, &token)
    })?;
    let preview = staged.preview.clone();
    state.imports()?.stage(staged);
    Ok(preview)
}

/// Saves the workbook template (one sheet per table, drop-down lists, a README sheet).
#[tauri::command]
pub async fn files_template<R: Runtime>(app: AppHandle<R>) -> Result<Option<String>, IpcError> {
    let Some(path) = dialog::save_file(app, "packplan-template.xlsx", "Workbooks", &["xlsx"]).await? else {
        return Ok(None);
    };
    write_file(&path, &template_workbook()?, Existing::Replace)?;
    Ok(Some(printable(&path.display().to_string())))
}

#[cfg(test)]
include!(concat!(env!("OUT_DIR"), "/ipc/contract_files.rs"));
