//! The Monte Carlo picture of a scenario: each order's probability of meeting its
//! needed-by date with P10/P50/P90 completion, and the completion and fan charts.

use serde::Serialize;

use super::{charts, context, Charts, Edition};
use crate::chart::kind::ChartKind;
use crate::model::input::ModelInput;
use crate::model::montecarlo::CompletionDistribution;
use crate::model::run::{run, RunOptions, RunResult};
use crate::progress::{CancelToken, Progress};
use crate::{Error, Result};

/// Trials of the answer the Overview works out by itself whenever its inputs change
/// (10,000 are a click away).
pub const ANSWER_TRIALS: usize = 1_000;

/// The seed of every answer, so the same inputs always give the same odds.
pub const ANSWER_SEED: u64 = 1;

/// What an answer depends on: the model input (data, scenario, today) and the trials.
/// Two calls with the same key give the same answer, so it may be remembered.
pub fn answer_key(input: &ModelInput, trials: usize, seed: u64) -> String {
    format!("{}/{trials}/{seed}", crate::model::run::input_hash(input))
}

/// The charts of the Monte Carlo, in screen order.
pub const CHARTS: &[ChartKind] = &[ChartKind::Completion, ChartKind::Fan];

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Uncertainty {
    pub scenario: String,
    pub trials: usize,
    pub seed: u64,
    /// How many uncertain inputs the trials drew.
    pub inputs: usize,
    pub orders: Vec<CompletionDistribution>,
    #[serde(flatten)]
    pub charts: Charts,
}

/// Runs `trials` Monte Carlo trials of `input` (with progress and Cancel) and reports them.
pub fn uncertainty(
    input: &ModelInput,
    trials: usize,
    seed: u64,
    edition: &Edition,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<Uncertainty> {
    let options = RunOptions { trials, seed, ..Default::default() };
    of(input, &run(input, &options, progress, cancel)?, edition)
}

/// The Monte Carlo of a run that had trials.
pub fn of(input: &ModelInput, r: &RunResult, edition: &Edition) -> Result<Uncertainty> {
    let mc = r.monte_carlo.as_ref().ok_or_else(|| Error::internal("a Monte Carlo report of a run without trials"))?;
    Ok(Uncertainty {
        scenario: r.scenario.clone(),
        trials: mc.trials,
        seed: mc.seed,
        inputs: mc.inputs.len(),
        orders: mc.orders.clone(),
        charts: charts(CHARTS, &context(input, r, None, edition))?,
    })
}
