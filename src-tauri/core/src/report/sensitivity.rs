//! The tornado of a scenario's first order: each uncertain input at its P10 and P90
//! with the others at base, widest swing first.

use serde::Serialize;

use super::{charts, context, product_name, Charts, Edition};
use crate::chart::kind::ChartKind;
use crate::model::input::ModelInput;
use crate::model::run::{run, RunOptions, RunResult};
use crate::model::sensitivity::TornadoBar;
use crate::month::Month;
use crate::progress::{CancelToken, NoProgress, Progress, ProgressReport};
use crate::{Error, Result};

/// The tornado of the scenario's first order.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Sensitivity {
    pub scenario: String,
    pub order: String,
    /// The product's name.
    pub product: String,
    pub base_completion: Option<Month>,
    pub base_units: f64,
    /// Widest completion swing first, then widest units swing.
    pub bars: Vec<TornadoBar>,
    #[serde(flatten)]
    pub charts: Charts,
}

/// Computes the tornado of the first order. Reports progress and stops on `cancel`.
pub fn sensitivity(
    input: &ModelInput,
    edition: &Edition,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<Sensitivity> {
    if input.orders.is_empty() {
        return Err(Error::invalid(
            "the tornado measures what moves an order, and this scenario has none; add an order to the data (the orders table) first",
        ));
    }
    let stage = "Moving each uncertain input to its P10 and P90";
    progress.report(ProgressReport { stage: stage.into(), done: 0, total: Some(1), unit: "analyses" });
    let options = RunOptions { sensitivity: true, ..Default::default() };
    let r = run(input, &options, &NoProgress, cancel)?;
    progress.report(ProgressReport { stage: stage.into(), done: 1, total: Some(1), unit: "analyses" });
    of(input, &r, edition)
}

/// The tornado of a run that computed one.
pub fn of(input: &ModelInput, r: &RunResult, edition: &Edition) -> Result<Sensitivity> {
    let t = r.tornado.as_ref().ok_or_else(|| Error::internal("the sensitivity analysis gave no tornado"))?;
    Ok(Sensitivity {
        scenario: r.scenario.clone(),
        order: t.order.clone(),
        product: product_name(input, &t.product),
        base_completion: t.base_completion,
        base_units: t.base_units,
        bars: t.bars.clone(),
        charts: charts(&[ChartKind::Tornado], &context(input, r, None, edition))?,
    })
}
