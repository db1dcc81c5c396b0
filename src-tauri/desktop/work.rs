//! Running domain work for a command: the model input of a scenario (the only
//! moment the vault is held), the computation off the main thread, and progress
//! forwarded to the page over a channel.

use packplan_core::clock::Timestamp;
use packplan_core::dataset::model_input;
use packplan_core::horizon::WindowRequest;
use packplan_core::model::input::ModelInput;
use packplan_core::month::Month;
use packplan_core::progress::{Progress, ProgressReport};
use packplan_core::report::Edition;
use packplan_core::Error;
use tauri::ipc::Channel;

use super::{AppState, IpcError};

/// The edition of a report made now: today's date (the one clock the reports see).
pub(super) fn edition() -> Edition {
    Edition::on(Timestamp::now().date())
}

/// The current month: "today" when the vault's settings do not fix it.
pub(super) fn clock_month() -> Month {
    Timestamp::now().month()
}

/// Reads the model input of `scenario` from the vault (the window its settings choose).
pub(super) fn input(state: &AppState, scenario: &str) -> Result<ModelInput, IpcError> {
    Ok(state
        .session()?
        .with_vault(|v| v.read(|c| model_input::named_input(c, scenario, &WindowRequest::default(), clock_month())))?)
}

/// Runs `work` on a blocking thread, so the window stays responsive.
pub(super) async fn off_main<T: Send + 'static>(
    work: impl FnOnce() -> packplan_core::Result<T> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| IpcError::from(Error::internal(format!("the computation stopped unexpectedly: {e}"))))?
        .map_err(IpcError::from)
}

/// Forwards progress to the page.
pub(super) struct ChannelProgress(pub(super) Channel<ProgressReport>);

impl Progress for ChannelProgress {
    fn report(&self, report: ProgressReport) {
        let _ = self.0.send(report);
    }
}
