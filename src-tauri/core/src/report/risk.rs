//! "Risk": supplier concentration per technology at each December planned, the
//! regions the capacity sits in, and the concentration chart. Each technology says
//! which of the user's orders need it, and those come first: a concentrated
//! technology no order needs is context, not the user's exposure.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{charts, context, Charts, Edition};
use crate::chart::kind::ChartKind;
use crate::model::concentration::{HIGH, MODERATE};
use crate::model::input::{DatasetRef, ModelInput};
use crate::model::network::Model;
use crate::model::run::{run, RunOptions};
use crate::model::uncertain::Draw;
use crate::month::Month;
use crate::progress::{CancelToken, NoProgress};
use crate::stage::Stage;
use crate::Result;

/// The charts of "Risk" without trials (the tornado comes with `report::sensitivity`).
pub const CHARTS: &[ChartKind] = &[ChartKind::Concentration];

/// A name and its share (0 to 1).
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct Share {
    pub name: String,
    pub share: f64,
}

/// Concentration of one technology in one month.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct TechnologyRisk {
    pub month: Month,
    pub technology: String,
    pub name: String,
    pub stage: Stage,
    pub unit: String,
    /// Herfindahl-Hirschman index of the suppliers' capacity shares (0 to 10,000).
    pub hhi: f64,
    pub level: &'static str,
    pub single_source: bool,
    /// Suppliers' shares of capacity, largest first.
    pub suppliers: Vec<Share>,
    /// Regions' shares of capacity, largest first.
    pub regions: Vec<Share>,
    /// The user's orders whose product needs this technology (its logic, its HBM, its
    /// substrate, or a packaging route it may take, or the family of one), in order;
    /// empty when it lies on no order's path.
    pub orders: Vec<String>,
}

/// Where the packaging capacity counted in one unit sits (wafers and panels do not add up).
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct RegionExposure {
    pub month: Month,
    pub unit: String,
    /// The packaging technologies counted, by name.
    pub technologies: Vec<String>,
    /// Their capacity per month, in `unit`.
    pub total: f64,
    /// Regions' shares of it, largest first.
    pub regions: Vec<Share>,
}

/// "Risk": concentration per technology at each December planned.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RiskReport {
    pub scenario: String,
    /// The Decembers planned, in order (concentration is measured at each).
    pub months: Vec<Month>,
    /// The December the concentration chart shows: this year's if planned, else the last.
    pub chart_month: Option<Month>,
    /// HHI from which a technology is moderately, and above which highly, concentrated.
    pub moderate: f64,
    pub high: f64,
    pub technologies: Vec<TechnologyRisk>,
    pub exposure: Vec<RegionExposure>,
    pub datasets: Vec<DatasetRef>,
    #[serde(flatten)]
    pub charts: Charts,
}

/// Shares of a map of totals, largest first, without the empty ones.
fn shares(totals: BTreeMap<String, f64>) -> Vec<Share> {
    let sum: f64 = totals.values().sum();
    let mut out: Vec<Share> = totals
        .into_iter()
        .filter(|(_, v)| *v > 0.0)
        .map(|(name, v)| Share { name, share: if sum > 0.0 { v / sum } else { 0.0 } })
        .collect();
    out.sort_by(|a, b| b.share.total_cmp(&a.share));
    out
}

/// Each technology on an order's path, with the orders that need it.
fn order_paths(input: &ModelInput) -> BTreeMap<&str, Vec<String>> {
    let mut paths: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for order in &input.orders {
        let Some(product) = input.product(&order.product) else { continue };
        let packaging = input.routes.iter().filter(|r| r.product == product.id).map(|r| r.technology.as_str());
        let mut needs: Vec<&str> = [product.logic_technology.as_str(), product.hbm_technology.as_str()]
            .into_iter()
            .chain(product.substrate_technology.as_deref())
            .chain(packaging)
            .collect();
        let families: Vec<&str> =
            needs.iter().filter_map(|t| input.technology(t)).filter_map(|t| t.family.as_deref()).collect();
        needs.extend(families);
        for technology in needs {
            let orders = paths.entry(technology).or_default();
            if !orders.contains(&order.id) {
                orders.push(order.id.clone());
            }
        }
    }
    paths
}

/// Supplier concentration per technology and the regions of its capacity at each
/// December planned, with the concentration chart; the technologies on the orders'
/// paths first.
pub fn risk(input: &ModelInput, edition: &Edition) -> Result<RiskReport> {
    let paths = order_paths(input);
    let r = run(input, &RunOptions::default(), &NoProgress, &CancelToken::new())?;
    let ctx = context(input, &r, None, edition);
    let model = Model::new(input)?;
    let capacity = model.capacity(&Draw::base());
    let regions = input.regions();
    let region_of = |facility: &str| regions.get(facility).copied().unwrap_or("unknown").to_string();
    let at = |values: &[f64], month: Month| -> f64 {
        let i = capacity.from.months_until(month);
        if i < 0 {
            return 0.0;
        }
        values.get(i as usize).copied().unwrap_or(0.0)
    };
    let mut months: Vec<Month> = r.concentration.iter().map(|c| c.month).collect();
    months.sort();
    months.dedup();
    let mut technologies: Vec<TechnologyRisk> = r
        .concentration
        .iter()
        .filter_map(|c| {
            let id = c.technology.as_deref()?;
            let t = input.technology(id)?;
            let mut by_region: BTreeMap<String, f64> = BTreeMap::new();
            for ((tech, facility), values) in &capacity.by_facility {
                if tech == id {
                    *by_region.entry(region_of(facility)).or_default() += at(values, c.month);
                }
            }
            Some(TechnologyRisk {
                month: c.month,
                technology: id.to_string(),
                name: t.name.clone(),
                stage: t.stage,
                unit: t.capacity_unit.clone(),
                hhi: c.hhi,
                level: c.level,
                single_source: c.single_source,
                suppliers: c
                    .suppliers
                    .iter()
                    .map(|(name, share)| Share { name: name.clone(), share: *share })
                    .collect(),
                regions: shares(by_region),
                orders: paths.get(id).cloned().unwrap_or_default(),
            })
        })
        .collect();
    technologies.sort_by(|a, b| {
        a.month
            .cmp(&b.month)
            .then(a.orders.is_empty().cmp(&b.orders.is_empty()))
            .then(a.stage.cmp(&b.stage))
            .then(b.hhi.total_cmp(&a.hhi))
    });
    let mut exposure = Vec::new();
    for &month in &months {
        let mut by_unit: BTreeMap<&str, (Vec<String>, BTreeMap<String, f64>)> = BTreeMap::new();
        for t in input.technologies.iter().filter(|t| t.stage == Stage::Packaging) {
            let mut counted = false;
            for ((tech, facility), values) in &capacity.by_facility {
                let v = at(values, month);
                if *tech == t.id && v > 0.0 {
                    let entry = by_unit.entry(t.capacity_unit.as_str()).or_default();
                    *entry.1.entry(region_of(facility)).or_default() += v;
                    if !counted {
                        entry.0.push(t.name.clone());
                        counted = true;
                    }
                }
            }
        }
        for (unit, (names, totals)) in by_unit {
            let total = totals.values().sum();
            exposure.push(RegionExposure {
                month,
                unit: unit.to_string(),
                technologies: names,
                total,
                regions: shares(totals),
            });
        }
    }
    let year = edition.year();
    let chart_month = months.iter().copied().find(|m| m.year() == year).or_else(|| months.last().copied());
    Ok(RiskReport {
        scenario: r.scenario.clone(),
        chart_month,
        months,
        moderate: MODERATE,
        high: HIGH,
        technologies,
        exposure,
        datasets: input.provenance.clone(),
        charts: charts(CHARTS, &ctx)?,
    })
}
