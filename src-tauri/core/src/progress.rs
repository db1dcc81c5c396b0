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
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        CancelToken::default()
    }

    /// Asks every holder of this token to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
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
