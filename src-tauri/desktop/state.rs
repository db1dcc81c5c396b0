//! The state the desktop shell keeps between IPC calls: the vault session.

use std::sync::{Mutex, MutexGuard};

use packplan_core::location::VaultLocation;
use packplan_core::progress::CancelToken;
use packplan_core::vault::Session;
use packplan_core::{Error, Result};

/// Everything the commands need; Tauri hands it to each command as `State`.
pub struct AppState {
    location: VaultLocation,
    session: Mutex<Session>,
    /// The running job's token (a Monte Carlo, an export), for its Cancel button.
    job: Mutex<Option<CancelToken>>,
}

impl AppState {
    pub fn new(location: VaultLocation) -> Self {
        AppState { session: Mutex::new(Session::new(location.clone())), location, job: Mutex::new(None) }
    }

    pub fn location(&self) -> &VaultLocation {
        &self.location
    }

    /// A token for a new job: cancelled by [`AppState::cancel_job`] or by locking.
    pub fn start_job(&self) -> Result<CancelToken> {
        let token = self.session()?.work_token().child();
        *self.job.lock().map_err(|_| Error::internal("the job slot was poisoned; restart Packplan"))? =
            Some(token.clone());
        Ok(token)
    }

    /// Cancels the running job, if any.
    pub fn cancel_job(&self) -> Result<()> {
        if let Some(token) =
            self.job.lock().map_err(|_| Error::internal("the job slot was poisoned; restart Packplan"))?.as_ref()
        {
            token.cancel();
        }
        Ok(())
    }

    /// The vault session, for one command at a time.
    pub fn session(&self) -> Result<MutexGuard<'_, Session>> {
        self.session
            .lock()
            .map_err(|_| Error::internal("the vault session was poisoned by an earlier failure; restart Packplan"))
    }
}
