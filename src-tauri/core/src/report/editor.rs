//! What the scenario editor shows: the scenarios to pick from, the ids it can name
//! in words, and the live result of a scenario being edited (the deterministic
//! solve and the units chart only, fast enough to follow a slider).

use serde::Serialize;

use super::overview::{bottleneck_shifts, orders, BottleneckShift, OrderReport};
use super::{context, product_name, Edition};
use crate::chart::catalogue;
use crate::chart::kind::ChartKind;
use crate::chart::ChartView;
use crate::model::input::ModelInput;
use crate::model::run::{run, RunOptions};
use crate::model::scenario::Scenario;
use crate::progress::{CancelToken, NoProgress};
use crate::Result;

/// A scenario as the picker lists it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
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

/// What the scenario editor offers to change: the ids it can name, in words.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
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

/// The live result of a scenario being edited: its orders, bottlenecks and the units chart.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Draft {
    pub orders: Vec<OrderReport>,
    pub bottlenecks: Vec<BottleneckShift>,
    /// Good units over the horizon, per product.
    pub totals: Vec<(String, f64)>,
    pub chart: ChartView,
}

/// Recomputes a draft scenario: the deterministic solve and the units chart only.
pub fn draft(input: &ModelInput, edition: &Edition) -> Result<Draft> {
    let r = run(input, &RunOptions::default(), &NoProgress, &CancelToken::new())?;
    let chart = ChartView::of(catalogue::build(ChartKind::Units, &context(input, &r, None, edition))?);
    Ok(Draft {
        orders: orders(input, &r),
        bottlenecks: bottleneck_shifts(&r),
        totals: r.network.products.iter().map(|p| (product_name(input, &p.product), p.units.iter().sum())).collect(),
        chart,
    })
}
