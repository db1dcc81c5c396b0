//! The overview of a scenario: each order's delivery and cost, the bottleneck
//! timeline, the concentration findings, units per product per year, the datasets
//! and the deterministic charts (with the Monte Carlo and the tornado when asked);
//! and two scenarios side by side.

use serde::Serialize;

use super::uncertainty::{self, Uncertainty};
use super::{charts, context, product_name, Charts, Edition};
use crate::chart::catalogue;
use crate::chart::kind::ChartKind;
use crate::chart::ChartView;
use crate::model::compare::{compare, Comparison};
use crate::model::concentration::HIGH;
use crate::model::input::{DatasetRef, ModelInput};
use crate::model::run::{run, shown_units, RunOptions, RunResult};
use crate::model::tco::CostPerHour;
use crate::month::Month;
use crate::progress::{CancelToken, NoProgress, Progress};
use crate::report::sensitivity::{self, Sensitivity};
use crate::Result;

/// The charts of the overview, in screen order.
pub const CHARTS: &[ChartKind] = &[
    ChartKind::Units,
    ChartKind::Capacity,
    ChartKind::CapacityCarriers,
    ChartKind::WaferVsPanel,
    ChartKind::Tco,
    ChartKind::CostPerHour,
    ChartKind::Concentration,
];

/// What the bottleneck timeline calls a month in which no constraint binds.
pub const NOTHING_BINDS: &str = "nothing binds";

/// One order: when it completes against when it is needed, and what it costs.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct OrderReport {
    pub order: String,
    /// The product's name.
    pub product: String,
    pub quantity: u64,
    pub needed_by: Month,
    /// The month the order was placed (today when the data does not say).
    pub placed: Month,
    /// The first month whose packaged output can go to the order (after today and booking).
    pub earliest_packaging: Month,
    /// Months from a unit's packaging to its arrival (test, integration, shipping).
    pub lag_months: i32,
    /// Where its units come from, in words: the share of the product's output, the
    /// supply line, its allocation and queue ("0.2% of B300's output; at most 150 a
    /// month from Mar 2027").
    pub supply: String,
    /// The month the last accelerator arrives in the deterministic plan (`None`: not within the horizon).
    pub completion: Option<Month>,
    pub on_time: bool,
    /// Months from needed-by to completion: 0 when on time; `None` when the order
    /// does not complete within the horizon.
    pub months_late: Option<i32>,
    /// Levelised cost per useful GPU-hour on premises, by component (`None`: no TCO
    /// assumptions, or no accelerator arrives within the horizon, when
    /// `net_present_cost` is still given).
    pub cost_per_gpu_hour: Option<CostPerHour>,
    /// The base cloud rental price the break-even is measured against.
    pub cloud_usd_per_hour: Option<f64>,
    /// First month owning has cost no more than renting the same useful hours.
    pub break_even: Option<Month>,
    /// Net present cost on premises, after salvage.
    pub net_present_cost: Option<f64>,
    /// Renting the missing accelerators from needed-by until they arrive.
    pub bridge_cloud_usd: Option<f64>,
}

/// A change of the main bottleneck, from a month on.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct BottleneckShift {
    pub from: Month,
    /// The binding resource's id (`hbm3e (NVIDIA)`), or none from a month in which no
    /// constraint binds.
    pub resource: Option<String>,
    /// The binding resource as the user reads it ("HBM3E at NVIDIA's allocation"), or
    /// [`NOTHING_BINDS`].
    pub name: String,
}

/// Good units of a product over each calendar year planned.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ProductYears {
    /// The product's name.
    pub product: String,
    /// `(year, units)`, in year order (a partial year counts its planned months).
    pub units: Vec<(i32, f64)>,
    /// The years whose figure includes recorded output (actual rows).
    pub recorded: Vec<i32>,
}

/// The overview of a scenario.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Overview {
    pub scenario: String,
    /// The planning date: months before it are history.
    pub today: Month,
    /// First and last month computed (history included).
    pub months: [Month; 2],
    pub orders: Vec<OrderReport>,
    /// The main bottleneck from today on, month by month (ranked by the shadow-price
    /// bound; `measured` ranks by the real gain).
    pub bottlenecks: Vec<BottleneckShift>,
    /// Each resource that binds in the plan, with what 10 % more of it delivers, most first.
    pub measured: Vec<crate::model::bottleneck::MeasuredBottleneck>,
    /// Single-source or highly concentrated technologies at the first December planned.
    pub alerts: Vec<String>,
    pub units: Vec<ProductYears>,
    pub datasets: Vec<DatasetRef>,
    /// SHA-256 of the model input: the run's id (its charts carry the first 12 digits).
    pub input_sha256: String,
    #[serde(flatten)]
    pub charts: Charts,
    /// The Monte Carlo, when the run had trials.
    pub uncertainty: Option<Uncertainty>,
    /// The tornado, when asked for.
    pub sensitivity: Option<Sensitivity>,
}

/// The overview of `input`, run with `options` (the app's overview: the defaults,
/// a deterministic run), with the bottlenecks measured. Reports progress and stops on `cancel`.
pub fn overview(
    input: &ModelInput,
    options: &RunOptions,
    edition: &Edition,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<Overview> {
    let r = run(input, &RunOptions { measure_bottlenecks: true, ..*options }, progress, cancel)?;
    overview_of(input, &r, edition)
}

/// The overview of a run of `input`.
pub fn overview_of(input: &ModelInput, r: &RunResult, edition: &Edition) -> Result<Overview> {
    let ctx = context(input, r, None, edition);
    Ok(Overview {
        scenario: r.scenario.clone(),
        today: input.today,
        months: [input.start, input.end().plus(-1)],
        orders: orders(input, r),
        bottlenecks: bottleneck_shifts(r),
        measured: r.bottlenecks.clone(),
        alerts: alerts(input, r),
        units: units_per_year(input, r),
        datasets: input.provenance.clone(),
        input_sha256: r.input_sha256.clone(),
        charts: charts(CHARTS, &ctx)?,
        uncertainty: match r.monte_carlo {
            Some(_) => Some(uncertainty::of(input, r, edition)?),
            None => None,
        },
        sensitivity: match r.tornado {
            Some(_) => Some(sensitivity::of(input, r, edition)?),
            None => None,
        },
    })
}

/// Every order of the run, with its delivery and cost.
pub fn orders(input: &ModelInput, r: &RunResult) -> Vec<OrderReport> {
    r.orders
        .iter()
        .map(|o| {
            let t = r.tco.iter().find(|t| t.order == o.order);
            let months_late = match o.completion {
                _ if o.on_time => Some(0),
                Some(c) => Some(o.needed_by.months_until(c).max(0)),
                None => None,
            };
            OrderReport {
                order: o.order.clone(),
                product: product_name(input, &o.product),
                quantity: o.quantity,
                needed_by: o.needed_by,
                placed: o.placed,
                earliest_packaging: o.earliest_packaging,
                lag_months: o.lag_months,
                supply: input.orders.iter().find(|x| x.id == o.order).map(|x| supply(input, x)).unwrap_or_default(),
                completion: o.completion,
                on_time: o.on_time,
                months_late,
                // no accelerator within the horizon: no hours, so no cost per hour (not $0)
                cost_per_gpu_hour: t.filter(|t| t.useful_hours > 0.0).map(|t| t.cost_per_gpu_hour),
                cloud_usd_per_hour: input.product(&o.product).and_then(|p| p.cloud_usd_per_hour).map(|c| c.base),
                break_even: t.and_then(|t| t.break_even),
                net_present_cost: t.map(|t| t.net_present_cost),
                bridge_cloud_usd: t.and_then(|t| t.bridge_cloud_usd),
            }
        })
        .collect()
}

/// Where an order's units come from, in words.
fn supply(input: &ModelInput, o: &crate::model::input::Order) -> String {
    let share = o.obtainable_share.base * 100.0;
    let share = if share >= 1.0 { format!("{share:.0}%") } else { format!("{share:.2}%") };
    let mut out = format!("{share} of {}'s output", product_name(input, &o.product));
    if let Some(line) = &o.supply_line {
        out.push_str(&format!(" on the supply line {line:?}"));
    }
    let t = o.terms;
    if let Some(a) = t.allocation_per_month {
        out.push_str(&format!("; at most {a:.0} a month"));
        if let Some(from) = t.allocation_from {
            out.push_str(&format!(" from {}", from.words()));
        }
    }
    if t.queue_ahead > 0.0 {
        out.push_str(&format!("; {:.0} ahead in the queue", t.queue_ahead));
    }
    out
}

/// The bottleneck timeline of the plan (today on): the binding resource from each
/// month it changes.
pub fn bottleneck_shifts(r: &RunResult) -> Vec<BottleneckShift> {
    let mut out: Vec<BottleneckShift> = Vec::new();
    for (m, b) in r.months.iter().zip(&r.network.bottlenecks).filter(|(m, _)| **m >= r.today) {
        let (resource, name) = match b {
            Some(b) => (Some(b.resource.clone()), b.name.clone()),
            None => (None, NOTHING_BINDS.into()),
        };
        if out.last().is_none_or(|s| s.resource != resource) {
            out.push(BottleneckShift { from: *m, resource, name });
        }
    }
    out
}

/// Single-source or highly concentrated (HHI above [`HIGH`]) technologies at the first
/// December from today on (the first one computed when the window holds none).
fn alerts(input: &ModelInput, r: &RunResult) -> Vec<String> {
    let months = || r.concentration.iter().map(|c| c.month);
    let first_december = months().filter(|m| *m >= r.today).min().or_else(|| months().min());
    r.concentration
        .iter()
        .filter(|c| Some(c.month) == first_december && c.technology.is_some() && (c.single_source || c.hhi > HIGH))
        .map(|c| {
            let name =
                c.technology.as_deref().and_then(|t| input.technology(t)).map(|t| t.name.clone()).unwrap_or_default();
            if c.single_source {
                format!("{name}: single source ({})", c.suppliers.first().map(|s| s.0.as_str()).unwrap_or(""))
            } else {
                format!("{name}: highly concentrated (HHI {:.0})", c.hhi)
            }
        })
        .collect()
}

/// Good units of each product that delivers any, per calendar year (before today:
/// recorded output where the data has it, [`shown_units`]).
fn units_per_year(input: &ModelInput, r: &RunResult) -> Vec<ProductYears> {
    let mut years: Vec<i32> = r.months.iter().map(|m| m.year()).collect();
    years.dedup();
    r.network
        .products
        .iter()
        .map(|p| {
            let shown = shown_units(input, &r.months, p);
            let in_year = |y: i32| r.months.iter().zip(&shown).filter(move |(m, _)| m.year() == y).map(|(_, s)| s);
            ProductYears {
                product: product_name(input, &p.product),
                units: years.iter().map(|&y| (y, in_year(y).map(|(u, _)| u).sum())).collect(),
                recorded: years.iter().copied().filter(|&y| in_year(y).any(|(_, r)| *r)).collect(),
            }
        })
        .collect()
}

/// Two scenarios side by side: each one's overview, what moved and why, and the comparison chart.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SideBySide {
    pub a: Overview,
    pub b: Overview,
    pub comparison: Comparison,
    pub chart: ChartView,
}

/// Compares scenario `b` against `a` (the deterministic runs of both).
pub fn side_by_side(a: &ModelInput, b: &ModelInput, edition: &Edition) -> Result<SideBySide> {
    let (ra, rb) = (
        run(a, &RunOptions::default(), &NoProgress, &CancelToken::new())?,
        run(b, &RunOptions::default(), &NoProgress, &CancelToken::new())?,
    );
    // the compare chart draws `other` (B) against `run` (A): "B against A", B's change relative to A
    let chart = ChartView::of(catalogue::build(ChartKind::Compare, &context(a, &ra, Some(&rb), edition))?);
    Ok(SideBySide {
        comparison: compare(&ra, &rb),
        a: overview_of(a, &ra, edition)?,
        b: overview_of(b, &rb, edition)?,
        chart,
    })
}
