//! Progress reports and cancellation for long work (imports, Monte Carlo, exports).
//!
//! Domain code takes a `&dyn Progress` and a [`CancelToken`]; the desktop shell
//! forwards reports to the UI over an IPC channel, the CLI prints them, and tests
//! collect them. Work checks [`CancelToken::check`] at safe points and stops with
//! an [`ErrorKind::Cancelled`] error, leaving the vault as it was.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::{Error, ErrorKind, Result};

/// One progress report: `done` of `total` units (bytes, rows, trials) in a named stage.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct ProgressReport {
    /// What is happening, in words ("decrypting", "validating rows", "Monte Carlo trials").
    pub stage: String,
    pub done: u64,
    /// `None` when the total is not known yet.
    pub total: Option<u64>,
    /// The unit of `done` and `total` ("bytes", "rows", "trials").
    pub unit: &'static str,
}

/// Where progress reports go.
pub trait Progress: Send + Sync {
    fn report(&self, report: ProgressReport);
}

/// Discards every report; for callers that do not show progress.
pub struct NoProgress;

impl Progress for NoProgress {
    fn report(&self, _: ProgressReport) {}
}

/// Keeps every report, for tests and for callers that show a summary afterwards.
#[derive(Default)]
pub struct CollectProgress {
    reports: Mutex<Vec<ProgressReport>>,
}

impl CollectProgress {
    pub fn reports(&self) -> Vec<ProgressReport> {
        self.reports.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Progress for CollectProgress {
    fn report(&self, report: ProgressReport) {
        if let Ok(mut reports) = self.reports.lock() {
            reports.push(report);
        }
    }
}

/// A shared flag that asks running work to stop. Cloning shares the flag.
///
/// ```
/// use packplan_core::progress::CancelToken;
/// let token = CancelToken::new();
/// let worker = token.clone();
/// assert!(worker.check().is_ok());
/// token.cancel();
/// assert!(worker.check().is_err());
/// ```
#[derive(Debug, Clone, Default)]
pub struct CancelToken {
    own: Arc<AtomicBool>,
    /// Tokens this one was made from: cancelling any of them cancels this one too.
    parents: Vec<Arc<AtomicBool>>,
}

impl CancelToken {
    pub fn new() -> Self {
        CancelToken::default()
    }

    /// A token for one job: cancelled with this one (a lock cancels every job), or
    /// on its own (the job's Cancel button) without touching this one.
    ///
    /// ```
    /// use packplan_core::progress::CancelToken;
    /// let session = CancelToken::new();
    /// let job = session.child();
    /// job.cancel();
    /// assert!(job.is_cancelled() && !session.is_cancelled());
    /// let next = session.child();
    /// session.cancel();
    /// assert!(next.is_cancelled());
    /// ```
    pub fn child(&self) -> CancelToken {
        let mut parents = self.parents.clone();
        parents.push(self.own.clone());
        CancelToken { own: Arc::new(AtomicBool::new(false)), parents }
    }

    /// Asks every holder of this token (and of its children) to stop.
    pub fn cancel(&self) {
        self.own.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.own.load(Ordering::Relaxed) || self.parents.iter().any(|p| p.load(Ordering::Relaxed))
    }

    /// `Err(Cancelled)` once [`cancel`](Self::cancel) has been called.
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::new(ErrorKind::Cancelled, "cancelled; nothing was changed"))
        } else {
            Ok(())
        }
    }
}
