//! The native file dialogs, called from Rust (the page has no dialog or path API):
//! choose a file to open, a file to save, a folder. Each runs off the main thread
//! and returns `None` when the user closes the dialog.
//!
//! WebDriver cannot drive a native dialog, so debug builds started for the
//! end-to-end tests answer from a folder instead (`PACKPLAN_TEST_DIALOG_DIR`):
//! a save goes to that folder under the suggested name, a folder pick is the
//! folder itself, and an open is the path written in its `open.txt` (none: the
//! user cancelled). Release builds ignore the variable: they always ask.

use std::path::PathBuf;

use packplan_core::Error;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use super::IpcError;

/// The test answer folder, in debug builds only.
fn test_answers() -> Option<PathBuf> {
    if !cfg!(debug_assertions) {
        return None;
    }
    std::env::var_os("PACKPLAN_TEST_DIALOG_DIR").map(PathBuf::from)
}

async fn blocking<T: Send + 'static>(ask: impl FnOnce() -> T + Send + 'static) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(ask)
        .await
        .map_err(|e| IpcError::from(Error::internal(format!("the file dialog failed: {e}"))))
}

/// Asks for a file to open, showing files with `extensions` first.
pub async fn open_file<R: Runtime>(
    app: AppHandle<R>,
    title: &str,
    filter: &str,
    extensions: &'static [&'static str],
) -> Result<Option<PathBuf>, IpcError> {
    if let Some(dir) = test_answers() {
        return Ok(std::fs::read_to_string(dir.join("open.txt")).ok().map(|p| PathBuf::from(p.trim())));
    }
    let (title, filter) = (title.to_owned(), filter.to_owned());
    let picked =
        blocking(move || app.dialog().file().set_title(&title).add_filter(&filter, extensions).blocking_pick_file())
            .await?;
    Ok(picked.and_then(|p| p.into_path().ok()))
}

/// Asks where to save a file, suggesting `name`.
pub async fn save_file<R: Runtime>(
    app: AppHandle<R>,
    name: &str,
    filter: &str,
    extensions: &'static [&'static str],
) -> Result<Option<PathBuf>, IpcError> {
    if let Some(dir) = test_answers() {
        return Ok(Some(dir.join(name)));
    }
    let (name, filter) = (name.to_owned(), filter.to_owned());
    let chosen =
        blocking(move || app.dialog().file().set_file_name(&name).add_filter(&filter, extensions).blocking_save_file())
            .await?;
    Ok(chosen.and_then(|p| p.into_path().ok()))
}

/// Asks for a folder.
pub async fn pick_folder<R: Runtime>(app: AppHandle<R>, title: &str) -> Result<Option<PathBuf>, IpcError> {
    if let Some(dir) = test_answers() {
        return Ok(Some(dir));
    }
    let title = title.to_owned();
    let picked = blocking(move || app.dialog().file().set_title(&title).blocking_pick_folder()).await?;
    Ok(picked.and_then(|p| p.into_path().ok()))
}
