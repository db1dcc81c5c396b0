//! Supplier concentration (HHI) per technology at one December, with the merger
//! guidelines' thresholds as zones.

use super::{axis, missing, Context};
use crate::chart::kind::ChartKind;
use crate::chart::palette::series_color;
use crate::chart::spec::*;
use crate::model::concentration::{HIGH, MODERATE};
use crate::month::Month;
use crate::Result;

pub(super) fn build(ctx: &Context<'_>) -> Result<ChartSpec> {
    let run = ctx.run;
    let year: i32 = ctx.generated.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let decembers: Vec<Month> = {
        let mut d: Vec<Month> = run.concentration.iter().map(|c| c.month).collect();
        d.sort();
        d.dedup();
        d
    };
    let month = decembers
        .iter()
        .copied()
        .find(|m| m.year() == year)
        .or_else(|| decembers.last().copied())
        .ok_or_else(|| missing(ChartKind::Concentration, "a December within the horizon"))?;
    let rows: Vec<_> = run.concentration.iter().filter(|c| c.month == month && c.technology.is_some()).collect();
    let name = |id: &str| ctx.input.technology(id).map(|t| t.name.clone()).unwrap_or_else(|| id.to_string());
    let body = ChartBody::Bars(BarPlot {
        value_axis: axis("Herfindahl-Hirschman index of capacity shares", "HHI"),
        categories: rows.iter().map(|c| name(c.technology.as_deref().unwrap_or(""))).collect(),
        series: vec![BarSeries {
            name: "HHI".into(),
            color: series_color(0).into(),
            spans: rows.iter().map(|c| [0.0, c.hhi]).collect(),
        }],
        reference_lines: vec![],
        zones: vec![
            Shade { from: 0.0, to: MODERATE, label: "unconcentrated".into(), color: "#009E73".into() },
            Shade { from: MODERATE, to: HIGH, label: "moderate".into(), color: "#E69F00".into() },
            Shade { from: HIGH, to: 10000.0, label: "highly concentrated".into(), color: "#D55E00".into() },
        ],
        flags: rows
            .iter()
            .map(|c| {
                let region = c.top_region.as_ref().filter(|(_, s)| *s >= 0.999).map(|(r, _)| format!("all in {r}"));
                match (c.single_source, region) {
                    (true, Some(r)) => Some(format!("single source, {r}")),
                    (true, None) => Some("single source".into()),
                    (false, r) => r,
                }
            })
            .collect(),
    });
    Ok(ctx.spec(
        ChartKind::Concentration,
        format!("Supplier concentration, {}", month.words()),
        Some("thresholds of the 2010 US merger guidelines".into()),
        body,
        None,
    ))
}
