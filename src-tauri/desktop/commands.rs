//! The IPC commands: each takes state, calls the domain, maps the error.
//!
//! Every command listed here must also be listed in `src-tauri/build.rs`
//! (`COMMANDS`) and granted in `capabilities/main.json`.

use packplan_core::about::About;
use tauri::State;

use super::{AppState, IpcError};

/// Name, version and vault folder, for the first screen.
#[tauri::command]
pub fn about(state: State<'_, AppState>) -> Result<About, IpcError> {
    Ok(About::new(state.location()))
}
