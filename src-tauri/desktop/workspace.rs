//! The IPC commands that remember the workspace in the vault: the window's size,
//! the last screen and the active scenario are restored after unlocking and saved
//! as they change (never in the webview's storage).

use packplan_core::vault::{WindowSize, Workspace};
use tauri::{PhysicalSize, Runtime, State, Window};

use super::{AppState, IpcError};

/// Restores the remembered window size; returns the remembered screen and scenario.
#[tauri::command]
pub fn workspace_restore<R: Runtime>(window: Window<R>, state: State<'_, AppState>) -> Result<Workspace, IpcError> {
    let remembered = state.session()?.with_vault(|v| v.workspace())?;
    if let Some(size) = remembered.window {
        resize(&window, size);
    }
    Ok(remembered)
}

/// Remembers the window's current size with the screen and scenario the page shows.
#[tauri::command]
pub fn workspace_save<R: Runtime>(
    window: Window<R>,
    state: State<'_, AppState>,
    screen: Option<String>,
    scenario: Option<String>,
) -> Result<(), IpcError> {
    let workspace = Workspace { window: size_of(&window), screen, scenario };
    Ok(state.session()?.with_vault(|v| v.remember(&workspace))?)
}

fn resize<R: Runtime>(window: &Window<R>, size: WindowSize) {
    // A window manager may refuse; the window then keeps its size, which is harmless.
    if size.maximized {
        let _ = window.maximize();
    } else {
        let _ = window.set_size(PhysicalSize::new(size.width, size.height));
    }
}

fn size_of<R: Runtime>(window: &Window<R>) -> Option<WindowSize> {
    let inner = window.inner_size().ok()?;
    Some(WindowSize { width: inner.width, height: inner.height, maximized: window.is_maximized().unwrap_or(false) })
}
