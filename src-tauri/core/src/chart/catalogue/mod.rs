//! The chart catalogue: every chart Packplan offers, built as a [`ChartSpec`] from a
//! model run (and its input), so the app and `packplan chart export` draw the same
//! thing. Each chart carries the marking of its datasets and the run's provenance.
//! One file per chart (or pair of charts drawn from the same figures); [`build`]
//! dispatches on the [`ChartKind`].
//!
//! A chart whose figures the run does not have (a Monte Carlo chart of a run
//! without trials, a cost chart without TCO assumptions) is refused with
//! [`ErrorKind::NotFound`], so a screen can list it as not available; any other
//! error is a failure to report.

mod capacity;
mod compare;
mod concentration;
mod cost;
mod tornado;
mod uncertainty;
mod units;
mod wafer_vs_panel;

use super::kind::ChartKind;
use super::marking::{DatasetRef, Marking, Provenance};
use super::spec::*;
use crate::model::input::ModelInput;
use crate::model::run::RunResult;
use crate::month::Month;
use crate::{Error, ErrorKind, Result};

/// Everything a chart is built from.
pub struct Context<'a> {
    pub input: &'a ModelInput,
    pub run: &'a RunResult,
    /// The run to compare with (chart `compare`).
    pub other: Option<&'a RunResult>,
    /// The product to show (default: the first order's product).
    pub product: Option<String>,
    /// A classification setting that may raise the marking.
    pub classification_setting: Option<String>,
    /// `YYYY-MM-DD`.
    pub generated: String,
    pub app_version: String,
}

impl Context<'_> {
    /// The planning date as a vertical line: the months left of it are history.
    pub(super) fn today_marker(&self) -> Marker {
        Marker { x: x(self.input.today), label: format!("today {}", self.input.today.words()) }
    }

    pub(super) fn product(&self) -> Result<String> {
        if let Some(p) = &self.product {
            if self.input.product(p).is_none() {
                return Err(Error::invalid(format!("there is no product {p:?} in this run")));
            }
            return Ok(p.clone());
        }
        self.input
            .orders
            .first()
            .map(|o| o.product.clone())
            .or_else(|| self.input.products.first().map(|p| p.id.clone()))
            .ok_or_else(|| Error::invalid("the run has no products to chart"))
    }

    pub(super) fn product_name(&self, id: &str) -> String {
        self.input.product(id).map(|p| p.name.clone()).unwrap_or_else(|| id.to_string())
    }

    pub(crate) fn marking(&self) -> Marking {
        let labels: Vec<&str> = self.input.provenance.iter().map(|d| d.classification.as_str()).collect();
        let m = Marking::strictest(
            &self.input.marking_policy,
            labels.iter().copied(),
            self.classification_setting.as_deref(),
        );
        if self.input.provenance.is_empty() {
            return m.with_caveat("no dataset");
        }
        m
    }

    pub(crate) fn provenance(&self, seed: Option<u64>) -> Provenance {
        Provenance {
            datasets: self
                .input
                .provenance
                .iter()
                .map(|d| DatasetRef {
                    title: d.title.clone(),
                    as_of: d.as_of.get(..10).unwrap_or(&d.as_of).to_string(),
                })
                .collect(),
            scenario: Some(match self.other {
                Some(o) => format!("{} vs {}", self.run.scenario, o.scenario),
                None => self.run.scenario.clone(),
            }),
            run_id: Some(self.run.input_sha256.chars().take(12).collect()),
            seed,
            generated: self.generated.clone(),
            app_version: self.app_version.clone(),
        }
    }

    fn spec(
        &self,
        kind: ChartKind,
        title: String,
        subtitle: Option<String>,
        body: ChartBody,
        seed: Option<u64>,
    ) -> ChartSpec {
        ChartSpec { kind, title, subtitle, body, marking: self.marking(), provenance: self.provenance(seed) }
    }
}

pub(super) fn x(m: Month) -> f64 {
    m.number() as f64
}

pub(super) fn month_axis() -> Axis {
    Axis { label: "Month".into(), unit: String::new(), scale: Scale::Month }
}

pub(super) fn axis(label: &str, unit: &str) -> Axis {
    Axis { label: label.into(), unit: unit.into(), scale: Scale::Linear }
}

/// Builds the chart `kind` from `ctx`.
pub fn build(kind: ChartKind, ctx: &Context<'_>) -> Result<ChartSpec> {
    match kind {
        ChartKind::Capacity => capacity::build(ctx, false),
        ChartKind::CapacityCarriers => capacity::build(ctx, true),
        ChartKind::Units => units::build(ctx),
        ChartKind::Fan => uncertainty::fan(ctx),
        ChartKind::Completion => uncertainty::completion(ctx),
        ChartKind::Tco => cost::tco(ctx),
        ChartKind::CostPerHour => cost::cost_per_hour(ctx),
        ChartKind::Tornado => tornado::build(ctx),
        ChartKind::Concentration => concentration::build(ctx),
        ChartKind::WaferVsPanel => wafer_vs_panel::build(ctx),
        ChartKind::Compare => compare::build(ctx),
    }
}

/// The refusal of a chart whose figures the run does not have.
pub(super) fn missing(kind: ChartKind, what: &str) -> Error {
    Error::new(ErrorKind::NotFound, format!("the chart {kind} needs {what}; run the model with it first"))
}

/// `text` cut to `max` characters with an ellipsis (long input names on bar charts).
pub(super) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(max - 3).collect::<String>().trim_end())
    }
}
