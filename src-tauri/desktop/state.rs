//! The state the desktop shell keeps between IPC calls: the vault session.

use std::sync::{Mutex, MutexGuard};

use packplan_core::location::VaultLocation;
use packplan_core::vault::Session;
use packplan_core::{Error, Result};

/// Everything the commands need; Tauri hands it to each command as `State`.
pub struct AppState {
    location: VaultLocation,
    session: Mutex<Session>,
}

impl AppState {
    pub fn new(location: VaultLocation) -> Self {
        AppState { session: Mutex::new(Session::new(location.clone())), location }
    }

    pub fn location(&self) -> &VaultLocation {
        &self.location
    }

    /// The vault session, for one command at a time.
    pub fn session(&self) -> Result<MutexGuard<'_, Session>> {
        self.session
            .lock()
            .map_err(|_| Error::internal("the vault session was poisoned by an earlier failure; restart Packplan"))
    }
}
