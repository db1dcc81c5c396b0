//! The state the desktop shell keeps between IPC calls.

use packplan_core::location::VaultLocation;

/// Everything the commands need; Tauri hands it to each command as `State`.
pub struct AppState {
    location: VaultLocation,
}

impl AppState {
    pub fn new(location: VaultLocation) -> Self {
        AppState { location }
    }

    pub fn location(&self) -> &VaultLocation {
        &self.location
    }
}
