//! Auto-lock: a timer thread that locks the vault after the idle period set by
//! the user, and the `vault-locked` event that sends the window to the lock screen.

use std::time::Duration;

use packplan_core::vault::LockReason;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use super::AppState;

/// The event the UI listens to; its payload is the [`LockReason`].
pub const LOCKED_EVENT: &str = "vault-locked";

/// How often the timer looks at the idle time.
const TICK: Duration = Duration::from_secs(5);

/// Starts the timer; it lives as long as the app.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    std::thread::spawn(move || loop {
        std::thread::sleep(TICK);
        let state = app.state::<AppState>();
        if !state.session().is_ok_and(|s| s.idle()) {
            continue;
        }
        // The window is asked without the session held (see workspace::main_window_size).
        let size = super::workspace::main_window_size(&app);
        // Idle is decided once, before the size is written: writing it counts as activity,
        // so asking again afterwards would never find the vault idle and never lock.
        let locked = match state.session() {
            Ok(mut session) if session.idle() => {
                super::workspace::remember_window_size(&mut session, size);
                session.lock().is_ok()
            }
            _ => false,
        };
        if locked {
            announce(&app, LockReason::Idle);
        }
    });
}

/// Forgets what was decrypted outside the vault (a staged import, the remembered
/// answers) and tells the
/// window the vault is locked.
pub fn announce<R: Runtime>(app: &AppHandle<R>, reason: LockReason) {
    if let Ok(mut imports) = app.state::<AppState>().imports() {
        imports.clear();
    }
    if let Ok(mut answers) = app.state::<AppState>().answers() {
        answers.forget();
    }
    let _ = app.emit(LOCKED_EVENT, reason);
}
