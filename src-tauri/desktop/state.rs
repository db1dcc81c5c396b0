//! The state the desktop shell keeps between IPC calls: the vault session.

use std::sync::{Mutex, MutexGuard};

use packplan_core::dataset::import::Staged;
use packplan_core::location::VaultLocation;
use packplan_core::progress::CancelToken;
use packplan_core::vault::Session;
use packplan_core::{Error, Result};
use zeroize::Zeroizing;

use super::answer::Answers;

/// Everything the commands need; Tauri hands it to each command as `State`.
pub struct AppState {
    location: VaultLocation,
    session: Mutex<Session>,
    /// The running job's token (a Monte Carlo, an export), for its Cancel button.
    job: Mutex<Option<CancelToken>>,
    /// The bundle being imported: its encrypted bytes, then its checked preview.
    imports: Mutex<Imports>,
    /// The Overview's background Monte Carlo and its recent answers.
    answers: Mutex<Answers>,
}

/// An import in progress, between the file dialog and the Import button. The staged
/// import holds decrypted rows in memory: locking clears it.
#[derive(Default)]
pub struct Imports {
    picked: Option<Vec<u8>>,
    /// The user's own workbook or CSV files: plaintext, in memory only, zeroed when dropped.
    own: Option<OwnPick>,
    staged: Option<Staged>,
}

/// The user's own files picked for import.
pub enum OwnPick {
    Workbook { name: String, bytes: Zeroizing<Vec<u8>> },
    Folder { name: String, files: Vec<(String, Zeroizing<Vec<u8>>)> },
}

impl Imports {
    pub fn pick(&mut self, bytes: Vec<u8>) {
        self.picked = Some(bytes);
        self.own = None;
        self.staged = None;
    }

    pub fn pick_own(&mut self, own: OwnPick) {
        self.picked = None;
        self.own = Some(own);
        self.staged = None;
    }

    pub fn own(&self) -> Option<&OwnPick> {
        self.own.as_ref()
    }

    pub fn picked(&self) -> Option<Vec<u8>> {
        self.picked.clone()
    }

    pub fn stage(&mut self, staged: Staged) {
        self.staged = Some(staged);
    }

    pub fn take_staged(&mut self) -> Option<Staged> {
        self.picked = None;
        self.own = None;
        self.staged.take()
    }

    pub fn clear(&mut self) {
        self.picked = None;
        self.own = None;
        self.staged = None;
    }
}

impl AppState {
    pub fn new(location: VaultLocation) -> Self {
        AppState {
            session: Mutex::new(Session::new(location.clone())),
            location,
            job: Mutex::new(None),
            imports: Mutex::new(Imports::default()),
            answers: Mutex::new(Answers::default()),
        }
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

    /// Cancels the running job and the background answer, if any.
    pub fn cancel_job(&self) -> Result<()> {
        if let Some(token) =
            self.job.lock().map_err(|_| Error::internal("the job slot was poisoned; restart Packplan"))?.as_ref()
        {
            token.cancel();
        }
        self.answers()?.cancel();
        Ok(())
    }

    /// The Overview's background answers.
    pub fn answers(&self) -> Result<MutexGuard<'_, Answers>> {
        self.answers.lock().map_err(|_| Error::internal("the answer slot was poisoned; restart Packplan"))
    }

    /// The import in progress.
    pub fn imports(&self) -> Result<MutexGuard<'_, Imports>> {
        self.imports.lock().map_err(|_| Error::internal("the import slot was poisoned; restart Packplan"))
    }

    /// The vault session, for one command at a time.
    pub fn session(&self) -> Result<MutexGuard<'_, Session>> {
        self.session
            .lock()
            .map_err(|_| Error::internal("the vault session was poisoned by an earlier failure; restart Packplan"))
    }
}
