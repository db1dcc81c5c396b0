//! The IPC commands that remember the workspace in the vault: the window's size,
//! the last screen and the active scenario are restored after unlocking; the screen
//! and scenario are saved as they change, the window's size also when the vault locks
//! and when the window closes (never in the webview's storage, never on a timer).

use packplan_core::vault::{Session, WindowSize, Workspace};
use tauri::{AppHandle, Manager, PhysicalSize, Runtime, State, Window};

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

/// The main window's size now. Ask before taking the session: off the main thread, this
/// waits for the main thread, which may itself be waiting for the session.
pub(super) fn main_window_size<R: Runtime>(app: &AppHandle<R>) -> Option<WindowSize> {
    app.get_webview_window(super::MAIN_WINDOW).and_then(|w| size_of(&w.as_ref().window()))
}

/// Writes the window's size into the remembered workspace, beside the screen and scenario
/// the page last saved: before the vault locks and when the window closes. Best effort, like
/// the rest of the workspace: a locked vault or a failure keeps the last one.
pub(super) fn remember_window_size(session: &mut Session, size: Option<WindowSize>) {
    let Some(size) = size else { return };
    let _ = session.with_vault(|v| {
        let remembered = v.workspace()?;
        v.remember(&Workspace { window: Some(size), ..remembered })
    });
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

#[cfg(test)]
include!(concat!(env!("OUT_DIR"), "/ipc/contract_workspace.rs"));
