//! The briefing pack: what a planner hands an executive or an accreditor, built from
//! the reports every screen shows (the overview with its Monte Carlo, the orders'
//! assumptions, risk, and a second scenario side by side) and laid out as marked
//! PDF pages by [`super::briefing_pages`]. The answer comes first: each order's
//! probability of meeting its needed-by date, its P10/P50/P90 completion and its
//! cost per GPU-hour against the cloud; then the charts, the bottleneck timeline in
//! words, the concentration findings, and every assumption with its source and grade.

use std::collections::BTreeMap;

use serde::Serialize;

use super::orders::{assumptions, Assumption};
use super::overview::{overview_of, side_by_side};
use super::uncertainty::CHARTS as UNCERTAINTY_CHARTS;
use super::{context, Edition};
use crate::bundle::rows::TableRows;
use crate::chart::catalogue;
use crate::chart::kind::ChartKind;
use crate::chart::{ChartSpec, Marking, Provenance};
use crate::model::input::{DatasetRef, ModelInput};
use crate::model::run::{run, RunOptions};
use crate::month::Month;
use crate::progress::{CancelToken, Progress};
use crate::{ErrorKind, Result};

/// How the pack's Monte Carlo is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct BriefingOptions {
    pub trials: usize,
    pub seed: u64,
}

impl Default for BriefingOptions {
    fn default() -> Self {
        BriefingOptions { trials: 2000, seed: 1 }
    }
}

/// The answer for one order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub order: String,
    pub product: String,
    pub quantity: u64,
    pub needed_by: Month,
    /// Share of Monte Carlo trials in which the order is complete by its needed-by month.
    pub probability_on_time: Option<f64>,
    pub p10: Option<Month>,
    pub p50: Option<Month>,
    pub p90: Option<Month>,
    /// The deterministic plan's completion.
    pub plan: Option<Month>,
    /// On premises, USD per useful GPU-hour.
    pub cost_per_gpu_hour: Option<f64>,
    /// The cloud's base price, USD per GPU-hour.
    pub cloud_usd_per_hour: Option<f64>,
}

/// The capacity figures from one source for one technology, with its grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacitySource {
    pub technology: String,
    pub source: String,
    /// A, B or C (`grade::Grade`).
    pub grade: String,
    pub observations: usize,
    pub as_of: String,
}

/// Everything the pack says.
#[derive(Debug, Clone, Serialize)]
pub struct Briefing {
    pub title: String,
    pub date: String,
    pub scenario: String,
    pub compare_with: Option<String>,
    pub marking: Marking,
    pub provenance: Provenance,
    pub datasets: Vec<DatasetRef>,
    pub trials: usize,
    pub answers: Vec<Answer>,
    /// The bottleneck timeline, one sentence per change.
    pub bottlenecks: Vec<String>,
    /// Single-source and highly concentrated technologies.
    pub findings: Vec<String>,
    /// What moved against the other scenario, one sentence each.
    pub comparison: Vec<String>,
    pub charts: Vec<ChartSpec>,
    pub assumptions: Vec<Assumption>,
    pub capacity_sources: Vec<CapacitySource>,
}

/// The pack of `input`'s scenario (and `other`'s beside it): the Monte Carlo with
/// progress and Cancel, then the reports it is made of. `tables` are the rows the
/// input was assembled from (for the assumptions' sources and grades).
pub fn briefing(
    input: &ModelInput,
    other: Option<&ModelInput>,
    tables: &TableRows,
    options: BriefingOptions,
    edition: &Edition,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<Briefing> {
    let run_options = RunOptions { trials: options.trials, seed: options.seed, ..Default::default() };
    let r = run(input, &run_options, progress, cancel)?;
    cancel.check()?;
    let overview = overview_of(input, &r, edition)?;
    let answers = overview
        .orders
        .iter()
        .map(|o| {
            let mc = overview.uncertainty.as_ref().and_then(|u| u.orders.iter().find(|d| d.order == o.order));
            Answer {
                order: o.order.clone(),
                product: o.product.clone(),
                quantity: o.quantity,
                needed_by: o.needed_by,
                probability_on_time: mc.map(|d| d.probability_on_time),
                p10: mc.and_then(|d| d.p10),
                p50: mc.and_then(|d| d.p50),
                p90: mc.and_then(|d| d.p90),
                plan: o.completion,
                cost_per_gpu_hour: o.cost_per_gpu_hour.as_ref().map(|c| c.total),
                cloud_usd_per_hour: o.cloud_usd_per_hour,
            }
        })
        .collect();
    let mut charts: Vec<ChartSpec> = overview.charts.charts.iter().map(|v| v.spec.clone()).collect();
    if let Some(u) = &overview.uncertainty {
        let first: Vec<ChartSpec> = u.charts.charts.iter().map(|v| v.spec.clone()).collect();
        debug_assert!(first.iter().all(|c| UNCERTAINTY_CHARTS.contains(&c.kind)));
        charts.splice(0..0, first);
    }
    let mut comparison = Vec::new();
    let mut datasets = input.provenance.clone();
    if let Some(b) = other {
        let both = side_by_side(input, b, edition)?;
        comparison = compared(&both.a.orders, &both.b.orders, &both.a.scenario, &both.b.scenario);
        charts.push(both.chart.spec.clone());
        for d in &b.provenance {
            if !datasets.iter().any(|x| x.id == d.id) {
                datasets.push(d.clone());
            }
        }
    }
    // the pack carries one marking, the strictest of every dataset in it: every page
    // and every chart on it
    let labels = datasets.iter().map(|d| d.classification.as_str());
    let marking = Marking::strictest(&input.marking_policy, labels, input.marking.as_deref());
    for c in &mut charts {
        c.marking = marking.clone();
    }
    let ctx = context(input, &r, None, edition);
    let mut provenance = match catalogue::build(ChartKind::Units, &ctx) {
        Ok(spec) => spec.provenance,
        Err(e) if e.kind() == ErrorKind::NotFound => charts
            .first()
            .map(|c| c.provenance.clone())
            .ok_or_else(|| crate::Error::invalid("this scenario has nothing to brief on; import data first"))?,
        Err(e) => return Err(e),
    };
    provenance.seed = Some(options.seed);
    if let Some(b) = other {
        provenance.scenario = Some(format!("{} vs {}", input.scenario, b.scenario));
    }
    Ok(Briefing {
        title: format!("Accelerator supply briefing: {}", input.scenario),
        date: edition.date.clone(),
        scenario: input.scenario.clone(),
        compare_with: other.map(|b| b.scenario.clone()),
        marking,
        provenance,
        datasets,
        trials: options.trials,
        answers,
        bottlenecks: timeline(&overview.bottlenecks),
        findings: overview.alerts.clone(),
        comparison,
        charts,
        assumptions: assumptions(input, tables),
        capacity_sources: capacity_sources(input, tables),
    })
}

/// The bottleneck timeline in words: "From Dec 2026, HBM4 at NVIDIA's allocation limits supply."
fn timeline(shifts: &[super::overview::BottleneckShift]) -> Vec<String> {
    shifts
        .iter()
        .map(|s| {
            if s.resource.is_none() {
                format!("From {}, nothing binds: every order gets what it asks for.", s.from.words())
            } else {
                format!("From {}, {} limits supply.", s.from.words(), s.name)
            }
        })
        .collect()
}

/// What moved for each order from scenario `a` to `b`.
fn compared(
    a: &[super::overview::OrderReport],
    b: &[super::overview::OrderReport],
    name_a: &str,
    name_b: &str,
) -> Vec<String> {
    let when = |m: Option<Month>| m.map(Month::words).unwrap_or_else(|| "beyond the horizon".into());
    a.iter()
        .filter_map(|oa| {
            let ob = b.iter().find(|o| o.order == oa.order)?;
            Some(if oa.completion == ob.completion {
                format!("{}: completes {} in both {name_a} and {name_b}.", oa.order, when(oa.completion))
            } else {
                format!(
                    "{}: completes {} in {name_b}, against {} in {name_a}.",
                    oa.order,
                    when(ob.completion),
                    when(oa.completion)
                )
            })
        })
        .collect()
}

/// The capacity figures by technology, source and grade, from the rows.
fn capacity_sources(input: &ModelInput, tables: &TableRows) -> Vec<CapacitySource> {
    let text = |row: &serde_json::Map<String, serde_json::Value>, column: &str| match row.get(column) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) if !other.is_null() => other.to_string(),
        _ => String::new(),
    };
    let mut groups: BTreeMap<(String, String, String), (usize, String)> = BTreeMap::new();
    for row in tables.get("capacity_observations").map(Vec::as_slice).unwrap_or_default() {
        let technology = text(row, "technology_id");
        let name = input.technology(&technology).map(|t| t.name.clone()).unwrap_or(technology);
        let entry = groups.entry((name, text(row, "source"), text(row, "confidence"))).or_default();
        entry.0 += 1;
        entry.1 = entry.1.clone().max(text(row, "as_of"));
    }
    groups
        .into_iter()
        .map(|((technology, source, grade), (observations, as_of))| CapacitySource {
            technology,
            source,
            grade,
            observations,
            as_of,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::timeline;
    use crate::report::overview::{BottleneckShift, NOTHING_BINDS};

    #[test]
    fn the_timeline_says_when_nothing_binds_and_names_each_limit() {
        let shift = |from: &str, resource: Option<&str>, name: &str| BottleneckShift {
            from: from.parse().expect("a month"),
            resource: resource.map(str::to_owned),
            name: name.to_owned(),
        };
        let lines = timeline(&[
            shift("2026-12", Some("hbm4 (NVIDIA)"), "HBM4 at NVIDIA's allocation"),
            shift("2030-10", None, NOTHING_BINDS),
        ]);
        assert_eq!(
            lines,
            [
                "From Dec 2026, HBM4 at NVIDIA's allocation limits supply.",
                "From Oct 2030, nothing binds: every order gets what it asks for.",
            ]
        );
    }
}
