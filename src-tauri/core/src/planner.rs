//! What the planning screens show, computed from a model input: the overview of a
//! scenario (key figures and the deterministic charts), its uncertainty (Monte
//! Carlo charts, with progress and Cancel), and a chart as a file. Front ends call
//! these and only draw; the CLI's `chart export` and the app's Export button go
//! through [`chart_file`], so both produce the same file.

use serde::Serialize;

use crate::chart::catalogue::{self, Context, Needs};
use crate::chart::{export, ChartView, Format, ImageSize};
use crate::clock::Timestamp;
use crate::model::input::{DatasetRef, ModelInput};
use crate::model::montecarlo::CompletionDistribution;
use crate::model::run::{run, RunOptions, RunResult};
use crate::model::scenario::Scenario;
use crate::month::Month;
use crate::progress::{CancelToken, NoProgress, Progress};
use crate::Result;

/// The charts of the overview, in screen order.
pub const OVERVIEW_CHARTS: &[&str] =
    &["units", "capacity", "capacity-carriers", "wafer-vs-panel", "tco", "cost-per-hour", "concentration"];
/// The charts that need Monte Carlo trials (and the tornado).
pub const UNCERTAINTY_CHARTS: &[&str] = &["completion", "fan", "tornado"];

/// A scenario as the picker lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub description: String,
    pub overrides: usize,
}

impl From<&Scenario> for ScenarioInfo {
    fn from(s: &Scenario) -> Self {
        ScenarioInfo { name: s.name.clone(), description: s.description.clone(), overrides: s.overrides.len() }
    }
}

/// One order in a sentence's worth of figures.
#[derive(Debug, Clone, Serialize)]
pub struct OrderLine {
    pub order: String,
    pub product: String,
    pub quantity: u64,
    pub needed_by: Month,
    pub completion: Option<Month>,
    pub on_time: bool,
    pub cost_per_gpu_hour: Option<f64>,
    pub break_even: Option<Month>,
}

/// A change of the main bottleneck.
#[derive(Debug, Clone, Serialize)]
pub struct BottleneckShift {
    pub from: Month,
    pub resource: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub scenario: String,
    pub months: [Month; 2],
    pub orders: Vec<OrderLine>,
    pub bottlenecks: Vec<BottleneckShift>,
    /// Single-source or highly concentrated technologies at the first December planned.
    pub alerts: Vec<String>,
    pub datasets: Vec<DatasetRef>,
    pub charts: Vec<ChartView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Uncertainty {
    pub scenario: String,
    pub trials: usize,
    pub seed: u64,
    pub inputs: usize,
    pub orders: Vec<CompletionDistribution>,
    pub charts: Vec<ChartView>,
}

/// The chart context of a run (and, for comparisons, the other run).
pub(crate) fn context<'a>(
    input: &'a ModelInput,
    run: &'a RunResult,
    other: Option<&'a RunResult>,
    setting: Option<String>,
) -> Context<'a> {
    Context {
        input,
        run,
        other,
        product: None,
        classification_setting: setting.or_else(|| input.marking.clone()),
        generated: Timestamp::now().date(),
        app_version: env!("CARGO_PKG_VERSION").into(),
    }
}

/// The deterministic picture of a scenario.
pub fn overview(input: &ModelInput, setting: Option<String>) -> Result<Overview> {
    let r = run(input, &RunOptions::default(), &NoProgress, &CancelToken::new())?;
    overview_of(input, &r, setting)
}

/// Two scenarios side by side: each one's overview, what moved and why, and the comparison chart.
#[derive(Debug, Clone, Serialize)]
pub struct SideBySide {
    pub a: Overview,
    pub b: Overview,
    pub comparison: crate::model::compare::Comparison,
    pub chart: ChartView,
}

/// Compares scenario `b` against `a` (the deterministic runs of both).
pub fn side_by_side(a: &ModelInput, b: &ModelInput, setting: Option<String>) -> Result<SideBySide> {
    let (ra, rb) = (
        run(a, &RunOptions::default(), &NoProgress, &CancelToken::new())?,
        run(b, &RunOptions::default(), &NoProgress, &CancelToken::new())?,
    );
    // the compare chart draws `other` (B) against `run` (A): "B against A", B's change relative to A
    let chart = ChartView::of(catalogue::build("compare", &context(a, &ra, Some(&rb), setting.clone()))?);
    Ok(SideBySide {
        comparison: crate::model::compare::compare(&ra, &rb),
        a: overview_of(a, &ra, setting.clone())?,
        b: overview_of(b, &rb, setting)?,
        chart,
    })
}

fn overview_of(input: &ModelInput, r: &RunResult, setting: Option<String>) -> Result<Overview> {
    let ctx = context(input, r, None, setting);
    let charts = OVERVIEW_CHARTS.iter().filter_map(|k| catalogue::build(k, &ctx).ok()).map(ChartView::of).collect();
    let bottlenecks = bottleneck_shifts(r);
    let first_december = r.concentration.iter().map(|c| c.month).min();
    let alerts = r
        .concentration
        .iter()
        .filter(|c| Some(c.month) == first_december && c.technology.is_some() && (c.single_source || c.hhi > 2500.0))
        .map(|c| {
            let name =
                c.technology.as_deref().and_then(|t| input.technology(t)).map(|t| t.name.clone()).unwrap_or_default();
            if c.single_source {
                format!("{name}: single source ({})", c.suppliers.first().map(|s| s.0.as_str()).unwrap_or(""))
            } else {
                format!("{name}: highly concentrated (HHI {:.0})", c.hhi)
            }
        })
        .collect();
    Ok(Overview {
        scenario: r.scenario.clone(),
        months: [input.start, input.end().plus(-1)],
        orders: order_lines(input, r),
        bottlenecks,
        alerts,
        datasets: input.provenance.clone(),
        charts,
    })
}

/// The live result of a scenario being edited: its orders, bottlenecks and the units chart.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub orders: Vec<OrderLine>,
    pub bottlenecks: Vec<BottleneckShift>,
    /// Good units over the horizon, per product.
    pub totals: Vec<(String, f64)>,
    pub chart: ChartView,
}

/// Recomputes a draft scenario: the deterministic solve and the units chart only,
/// fast enough to follow a slider.
pub fn draft(input: &ModelInput) -> Result<Draft> {
    let r = run(input, &RunOptions::default(), &NoProgress, &CancelToken::new())?;
    let ctx = context(input, &r, None, None);
    let chart = ChartView::of(catalogue::build("units", &ctx)?);
    Ok(Draft {
        orders: order_lines(input, &r),
        bottlenecks: bottleneck_shifts(&r),
        totals: r
            .network
            .products
            .iter()
            .map(|p| (input.product(&p.product).map(|x| x.name.clone()).unwrap_or_default(), p.units.iter().sum()))
            .collect(),
        chart,
    })
}

/// What the scenario editor offers to change: the ids it can name, in words.
#[derive(Debug, Clone, Serialize)]
pub struct Choices {
    pub technologies: Vec<(String, String)>,
    pub facilities: Vec<(String, String)>,
    pub products: Vec<(String, String)>,
}

pub fn choices(input: &ModelInput) -> Choices {
    Choices {
        technologies: input.technologies.iter().map(|t| (t.id.clone(), t.name.clone())).collect(),
        facilities: input.facilities.iter().map(|f| (f.id.clone(), f.name.clone())).collect(),
        products: input.products.iter().map(|p| (p.id.clone(), p.name.clone())).collect(),
    }
}

fn order_lines(input: &ModelInput, r: &RunResult) -> Vec<OrderLine> {
    r.orders
        .iter()
        .map(|o| {
            let t = r.tco.iter().find(|t| t.order == o.order);
            OrderLine {
                order: o.order.clone(),
                product: input.product(&o.product).map(|p| p.name.clone()).unwrap_or_else(|| o.product.clone()),
                quantity: o.quantity,
                needed_by: o.needed_by,
                completion: o.completion,
                on_time: o.on_time,
                cost_per_gpu_hour: t.map(|t| t.cost_per_gpu_hour.total),
                break_even: t.and_then(|t| t.break_even),
            }
        })
        .collect()
}

fn bottleneck_shifts(r: &RunResult) -> Vec<BottleneckShift> {
    let mut out: Vec<BottleneckShift> = Vec::new();
    for (m, b) in r.months.iter().zip(&r.network.bottlenecks) {
        let name = b.as_ref().map(|b| b.resource.clone()).unwrap_or_else(|| "nothing binds".into());
        if out.last().is_none_or(|s| s.resource != name) {
            out.push(BottleneckShift { from: *m, resource: name });
        }
    }
    out
}

/// The Monte Carlo picture of a scenario, with progress and Cancel.
pub fn uncertainty(
    input: &ModelInput,
    trials: usize,
    seed: u64,
    setting: Option<String>,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<Uncertainty> {
    let options = RunOptions { trials, seed, sensitivity: !input.orders.is_empty(), ..Default::default() };
    let r = run(input, &options, progress, cancel)?;
    let ctx = context(input, &r, None, setting);
    let charts = UNCERTAINTY_CHARTS.iter().filter_map(|k| catalogue::build(k, &ctx).ok()).map(ChartView::of).collect();
    let mc = r.monte_carlo.as_ref();
    Ok(Uncertainty {
        scenario: r.scenario.clone(),
        trials,
        seed,
        inputs: mc.map(|m| m.inputs.len()).unwrap_or(0),
        orders: mc.map(|m| m.orders.clone()).unwrap_or_default(),
        charts,
    })
}

/// What to draw as a file.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ChartRequest {
    pub kind: String,
    pub format: Format,
    #[serde(default)]
    pub size: Option<ImageSize>,
    #[serde(default = "default_trials")]
    pub trials: usize,
    #[serde(default = "default_seed")]
    pub seed: u64,
    #[serde(default)]
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
    setting: Option<String>,
    cancel: &CancelToken,
) -> Result<Vec<u8>> {
    let kind = catalogue::kind(&request.kind)?;
    let options = RunOptions {
        trials: if kind.needs == Needs::MonteCarlo { request.trials } else { 0 },
        seed: request.seed,
        sensitivity: kind.needs == Needs::Sensitivity,
        ..Default::default()
    };
    let r = run(input, &options, &NoProgress, cancel)?;
    let other_run = other.map(|o| run(o, &RunOptions::default(), &NoProgress, cancel)).transpose()?;
    let mut ctx = context(input, &r, other_run.as_ref(), setting);
    ctx.product = request.product.clone();
    let spec = catalogue::build(kind.id, &ctx)?;
    export(&spec, request.format, request.size.unwrap_or_default())
}
