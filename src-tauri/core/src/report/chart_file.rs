//! One chart as a file (PNG, SVG or CSV), the same for the CLI's `chart export` and
//! the app's Export buttons: the run the chart needs (trials, the tornado, a second
//! scenario), then the chart drawn and marked.

use super::{context, Edition};
use crate::chart::catalogue;
use crate::chart::kind::{ChartKind, Needs};
use crate::chart::{export, Format, ImageSize};
use crate::model::input::ModelInput;
use crate::model::run::{run, RunOptions};
use crate::progress::{CancelToken, NoProgress};
use crate::Result;

/// What to draw as a file.
#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
pub struct ChartRequest {
    pub kind: ChartKind,
    pub format: Format,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub size: Option<ImageSize>,
    #[serde(default = "default_trials")]
    #[ts(optional = nullable)]
    pub trials: usize,
    #[serde(default = "default_seed")]
    #[ts(optional = nullable)]
    pub seed: u64,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub product: Option<String>,
}

fn default_trials() -> usize {
    2000
}

fn default_seed() -> u64 {
    1
}

/// A chart of `input` as file bytes (the same for the CLI and the app).
pub fn chart_file(
    input: &ModelInput,
    other: Option<&ModelInput>,
    request: &ChartRequest,
    edition: &Edition,
    cancel: &CancelToken,
) -> Result<Vec<u8>> {
    let kind = request.kind;
    let options = RunOptions {
        trials: if kind.needs() == Needs::MonteCarlo { request.trials } else { 0 },
        seed: request.seed,
        sensitivity: kind.needs() == Needs::Sensitivity,
        ..Default::default()
    };
    let r = run(input, &options, &NoProgress, cancel)?;
    let other_run = other.map(|o| run(o, &RunOptions::default(), &NoProgress, cancel)).transpose()?;
    let mut ctx = context(input, &r, other_run.as_ref(), edition);
    ctx.product = request.product.clone();
    let spec = catalogue::build(kind, &ctx)?;
    export(&spec, request.format, request.size.unwrap_or_default())
}
