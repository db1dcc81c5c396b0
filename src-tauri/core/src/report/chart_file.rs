//! One chart as a file (PNG, SVG, PDF or CSV), the same for the CLI's `chart export`
//! and the app's Export buttons: the run the chart needs (trials, the tornado, a
//! second scenario), then the chart drawn and marked; and every chart in every
//! format at once ("Export all charts").

use super::{context, Edition};
use crate::chart::catalogue;
use crate::chart::kind::{ChartKind, Needs};
use crate::chart::{export, Format, ImageSize};
use crate::model::input::ModelInput;
use crate::model::run::{run, RunOptions};
use crate::progress::{CancelToken, NoProgress, Progress, ProgressReport};
use crate::ErrorKind;
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

/// The file name a chart is saved under: `packplan-fan-baseline.png`.
pub fn file_name(kind: ChartKind, scenario: &str, format: Format) -> String {
    super::file_name(&kind.to_string(), scenario, format.extension())
}

/// Every chart the run can draw (the comparison too when `other` is given), each in
/// every format, as (file name, bytes). One run with `trials` and the tornado.
pub fn all_charts(
    input: &ModelInput,
    other: Option<&ModelInput>,
    trials: usize,
    seed: u64,
    edition: &Edition,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<Vec<(String, Vec<u8>)>> {
    let options = RunOptions { trials, seed, sensitivity: !input.orders.is_empty(), ..Default::default() };
    // the run reports its own stages (the trials, the tornado); then each chart drawn
    let r = run(input, &options, progress, cancel)?;
    let other_run = other.map(|o| run(o, &RunOptions::default(), &NoProgress, cancel)).transpose()?;
    let ctx = context(input, &r, other_run.as_ref(), edition);
    let kinds: Vec<ChartKind> =
        ChartKind::ALL.into_iter().filter(|k| k.needs() != Needs::Comparison || other.is_some()).collect();
    let drawn = |done: usize| ProgressReport {
        stage: "Drawing the charts".into(),
        done: done as u64,
        total: Some(kinds.len() as u64),
        unit: "charts",
    };
    let mut files = Vec::new();
    for (i, &kind) in kinds.iter().enumerate() {
        progress.report(drawn(i));
        crate::testpoint::hold("charts.export-all");
        cancel.check()?;
        let spec = match catalogue::build(kind, &ctx) {
            Ok(spec) => spec,
            Err(e) if e.kind() == ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for format in Format::ALL {
            files.push((file_name(kind, &input.scenario, format), export(&spec, format, ImageSize::default())?));
        }
    }
    progress.report(drawn(kinds.len()));
    Ok(files)
}
