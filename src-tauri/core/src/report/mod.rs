//! What Packplan reports about a plan, computed from a model input: one type per
//! idea, the same for every front end. The app's screens show these reports and the
//! CLI prints them (`packplan model run --json` is the overview the app shows), so
//! no front end derives a figure of its own. Pure: no vault, no I/O, no clock: the
//! date a report is made on comes in as its [`Edition`].
//!
//! - [`overview`]: a scenario's orders, bottleneck timeline, concentration findings,
//!   units per year and charts; two scenarios side by side;
//! - [`uncertainty`]: the Monte Carlo picture of a scenario;
//! - [`orders`]: every order's delivery and cost, with the assumptions' sources;
//! - [`risk`]: supplier concentration and regions per technology;
//! - [`sensitivity`]: the tornado;
//! - [`editor`]: what the scenario editor lists, offers and recomputes live;
//! - [`chart_file`]: one chart as a file;
//! - [`workbook`]: the plan and its data as a workbook, marked on every sheet;
//! - [`briefing`]: the marked PDF pack ([`briefing_pages`] lays it out).

pub mod briefing;
pub mod briefing_pages;
pub mod chart_file;
pub mod editor;
pub mod orders;
pub mod overview;
pub mod risk;
pub mod sensitivity;
pub mod uncertainty;
pub mod workbook;

use serde::Serialize;

use crate::chart::catalogue::{self, Context};
use crate::chart::kind::ChartKind;
use crate::chart::ChartView;
use crate::model::input::ModelInput;
use crate::model::run::RunResult;
use crate::{ErrorKind, Result};

/// When a report is made: the date its charts' provenance footers carry, and what
/// "this year" means for the charts that pick a December.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// `YYYY-MM-DD`.
    pub date: String,
}

impl Edition {
    /// A report made on `date` (`YYYY-MM-DD`).
    pub fn on(date: impl Into<String>) -> Edition {
        Edition { date: date.into() }
    }

    /// The year of the date.
    pub fn year(&self) -> i32 {
        self.date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0)
    }
}

/// The name a file made from `scenario` is offered under: `packplan-{what}-{scenario}.{extension}`
/// (`packplan-fan-baseline.png`, `packplan-briefing-copos-accelerated.pdf`; no `{what}-` when
/// `what` is empty: `packplan-baseline.xlsx`), the scenario in lower case with each run of
/// other characters one hyphen, so a name never holds a slash or a space.
pub fn file_name(what: &str, scenario: &str, extension: &str) -> String {
    let slug: String = scenario
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let what = if what.is_empty() { String::new() } else { format!("{what}-") };
    format!("packplan-{what}{slug}.{extension}")
}

/// A chart a screen would show that this run cannot draw, and why (no Monte Carlo
/// trials, no TCO assumptions, no December within the horizon).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct UnavailableChart {
    pub kind: ChartKind,
    pub why: String,
}

/// The charts of a screen: those the run can draw, and those it cannot, with why
/// (flattened into each report: `charts` and `unavailable_charts`).
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
pub struct Charts {
    pub charts: Vec<ChartView>,
    pub unavailable_charts: Vec<UnavailableChart>,
}

/// The chart context of a run (and, for comparisons, of the other run).
pub(crate) fn context<'a>(
    input: &'a ModelInput,
    run: &'a RunResult,
    other: Option<&'a RunResult>,
    edition: &Edition,
) -> Context<'a> {
    Context {
        input,
        run,
        other,
        product: None,
        classification_setting: input.marking.clone(),
        generated: edition.date.clone(),
        app_version: env!("CARGO_PKG_VERSION").into(),
    }
}

/// Builds `kinds`: a chart whose figures the run lacks is listed as unavailable; any
/// other failure is returned, never dropped.
pub(crate) fn charts(kinds: &[ChartKind], ctx: &Context<'_>) -> Result<Charts> {
    let mut out = Charts::default();
    for &kind in kinds {
        match catalogue::build(kind, ctx) {
            Ok(spec) => out.charts.push(ChartView::of(spec)),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                out.unavailable_charts.push(UnavailableChart { kind, why: e.message().to_owned() })
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// A product's name, or its id when the input does not name it.
pub(crate) fn product_name(input: &ModelInput, id: &str) -> String {
    input.product(id).map(|p| p.name.clone()).unwrap_or_else(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn a_file_name_holds_no_slash_space_or_dot_dot_from_the_scenario() {
        assert_eq!(file_name("briefing", "CoPoS accelerated", "pdf"), "packplan-briefing-copos-accelerated.pdf");
        assert_eq!(file_name("", "Baseline", "xlsx"), "packplan-baseline.xlsx");
        assert_eq!(file_name("fan", "../H2 / 2027 -- late", "png"), "packplan-fan-h2-2027-late.png");
    }
}
