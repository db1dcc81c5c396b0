//! The comparison of two scenarios: the product's output in each, with the order's
//! completion marked.

use super::{axis, missing, month_axis, x, Context};
use crate::chart::kind::ChartKind;
use crate::chart::palette::series_color;
use crate::chart::spec::*;
use crate::model::run::RunResult;
use crate::month::Month;
use crate::Result;

pub(super) fn build(ctx: &Context<'_>) -> Result<ChartSpec> {
    let run = ctx.run;
    let other = ctx.other.ok_or_else(|| missing(ChartKind::Compare, "a second scenario"))?;
    let product = ctx.product()?;
    let line = |r: &RunResult, i: usize, style: SeriesStyle| Series {
        name: r.scenario.clone(),
        color: series_color(i).into(),
        style,
        stack: None,
        points: r.months.iter().zip(r.network.units_of(&product).unwrap_or(&[])).map(|(m, y)| [x(*m), *y]).collect(),
    };
    let completions: Vec<(&str, Month)> = [run, other]
        .iter()
        .filter_map(|r| r.orders.first().and_then(|o| o.completion).map(|c| (r.scenario.as_str(), c)))
        .collect();
    // the same month in both: one marker, so the labels do not print over each other
    let mut markers = vec![ctx.today_marker()];
    markers.extend(match completions.as_slice() {
        [(_, ca), (_, cb)] if ca == cb => {
            vec![Marker { x: x(*ca), label: format!("both: order complete {}", ca.words()) }]
        }
        _ => completions
            .iter()
            .map(|(name, c)| Marker { x: x(*c), label: format!("{name}: order complete {}", c.words()) })
            .collect(),
    });
    let body = ChartBody::Xy(XyPlot {
        x: month_axis(),
        y: axis(&format!("{} delivered", ctx.product_name(&product)), "units/month"),
        series: vec![line(run, 0, SeriesStyle::Line), line(other, 5, SeriesStyle::Dashed)],
        bands: vec![],
        shades: vec![],
        markers,
    });
    let ta: f64 = run.network.units_of(&product).unwrap_or(&[]).iter().sum();
    let tb: f64 = other.network.units_of(&product).unwrap_or(&[]).iter().sum();
    Ok(ctx.spec(
        ChartKind::Compare,
        format!("{} against {}", other.scenario, run.scenario),
        Some(format!(
            "{}: {:+.1}% over the horizon",
            ctx.product_name(&product),
            if ta > 0.0 { 100.0 * (tb - ta) / ta } else { 0.0 }
        )),
        body,
        None,
    ))
}
