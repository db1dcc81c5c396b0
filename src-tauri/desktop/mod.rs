//! The desktop shell: the only module of Packplan that knows Tauri.
//!
//! It builds the one window, guards it (no navigation away from the bundled UI,
//! no new windows, no persistent webview storage), registers the IPC commands
//! and holds the application state. Everything else is in `packplan-core`.

mod answer;
mod auto_lock;
mod clipboard;
pub mod commands;
#[cfg(test)]
mod contract;
pub mod data;
mod dialog;
pub mod files;
mod ipc_error;
pub mod planning;
pub mod results;
mod state;
mod work;
pub mod workspace;

use packplan_core::location::VaultLocation;
use packplan_core::{Error, ErrorKind, Result};
use tauri::webview::NewWindowResponse;
use tauri::{Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

pub use ipc_error::IpcError;
pub use state::AppState;

/// The label of the main window; `capabilities/main.json` grants commands to it.
pub const MAIN_WINDOW: &str = "main";

include!(concat!(env!("OUT_DIR"), "/ipc/commands.rs"));

/// Registers Packplan's commands on a builder; shared by the real app and the
/// mock-runtime tests, so both exercise the same IPC surface. The commands are every
/// `#[tauri::command]` function of this folder, found by `src-tauri/build.rs`.
pub fn configure<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(include!(concat!(env!("OUT_DIR"), "/ipc/handler.rs")))
}

/// Opens the desktop window on the vault at `location` and runs until it closes.
pub fn run(location: VaultLocation) -> Result<()> {
    refuse_automation_unless_built_in();
    configure(tauri::Builder::default())
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::new(location))
        .setup(|app| {
            forget_recent_files();
            open_main_window(app.handle())?;
            auto_lock::start(app.handle().clone());
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { .. } = event {
                let size = workspace::main_window_size(window.app_handle());
                if let Ok(mut session) = window.state::<AppState>().session() {
                    workspace::remember_window_size(&mut session, size);
                }
            }
        })
        .run(tauri::generate_context!())
        .map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("could not open the Packplan window: {e}; check that a graphical session is running (DISPLAY or WAYLAND_DISPLAY)"),
            )
        })
}

/// Builds the main window in Rust, not in tauri.conf.json, because only here
/// can navigation and new-window requests be denied.
fn open_main_window<R: Runtime, M: Manager<R>>(manager: &M) -> tauri::Result<()> {
    let window = WebviewWindowBuilder::new(manager, MAIN_WINDOW, WebviewUrl::App("index.html".into()))
        .title("Packplan")
        .inner_size(1280.0, 800.0)
        .min_inner_size(960.0, 640.0)
        // Nothing the page stores (cache, localStorage, IndexedDB) reaches the disk.
        // WebKit refuses automation on an ephemeral context, so under WebDriver (the
        // end-to-end tests) the window uses the ordinary one; those tests then check
        // that WebKit's folders hold no supplier data.
        .incognito(!driven_by_webdriver())
        .devtools(cfg!(debug_assertions))
        .on_navigation(is_app_url)
        .on_new_window(|_, _| NewWindowResponse::Deny)
        .build()?;
    draw_in_software(&window)
}

/// The screens are forms, tables and one chart at a time, which WebKit draws in software
/// without visible cost; its GPU compositing would keep a second copy of every layer in the
/// web process (about 160 MiB with the demo's Overview, docs/performance.md).
#[cfg_attr(not(target_os = "linux"), allow(unused_variables))]
fn draw_in_software<R: Runtime>(window: &tauri::WebviewWindow<R>) -> tauri::Result<()> {
    #[cfg(target_os = "linux")]
    window.with_webview(|webview| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    })?;
    Ok(())
}

/// The variable with which tauri-driver asks for a window WebDriver can drive.
const AUTOMATION_VARIABLE: &str = "TAURI_WEBVIEW_AUTOMATION";

/// Whether this binary can be driven by WebDriver at all: only a debug build made with the
/// `webdriver` feature (`make build`, the end-to-end tests). Every package, the debug one
/// `make test` inspects and the release one users install, is built without it, and
/// `tests/e2e/automation-refused.mjs` proves on the packaged binary that no session attaches.
const AUTOMATION_BUILT_IN: bool = cfg!(all(debug_assertions, feature = "webdriver"));

/// True when tauri-driver started a build that allows it, for an end-to-end test.
fn driven_by_webdriver() -> bool {
    AUTOMATION_BUILT_IN && std::env::var(AUTOMATION_VARIABLE).as_deref() == Ok("true")
}

/// A build without automation never lets WebDriver drive its window, nor gives up the
/// ephemeral webview for it: Tauri itself reads the variable, so it is removed before Tauri
/// starts (here, on the main thread, before any other thread exists).
fn refuse_automation_unless_built_in() {
    if !AUTOMATION_BUILT_IN && std::env::var_os(AUTOMATION_VARIABLE).is_some() {
        std::env::remove_var(AUTOMATION_VARIABLE);
    }
}

/// GTK's file dialogs add what they open and save to the desktop's recently-used list
/// (`~/.local/share/recently-used.xbel`), in clear and outside the vault; a bundle's or a
/// chart's name can say what it holds. Packplan's dialogs leave no such trace.
fn forget_recent_files() {
    #[cfg(target_os = "linux")]
    if let Some(settings) = gtk::Settings::default() {
        use gtk::prelude::GtkSettingsExt;
        settings.set_gtk_recent_files_enabled(false);
        settings.set_gtk_recent_files_max_age(0);
    }
}

/// The bundled UI is served from `tauri://localhost` (Linux, macOS) or
/// `http(s)://tauri.localhost` (Windows); every other destination is refused.
fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_bundled_ui_may_be_navigated_to() {
        let ok = |s: &str| is_app_url(&s.parse().unwrap());
        assert!(ok("tauri://localhost/index.html"));
        assert!(ok("http://tauri.localhost/"));
        assert!(!ok("https://example.com/"));
        assert!(!ok("http://localhost:8080/"));
        assert!(!ok("file:///etc/passwd"));
        assert!(!ok("tauri://evil/"));
    }
}
