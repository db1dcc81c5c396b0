//! The tornado: what moves the first order's product output, each uncertain input at
//! its P10 and P90 with the others at base.

use super::{axis, missing, shorten, Context};
use crate::chart::kind::ChartKind;
use crate::chart::palette::series_color;
use crate::chart::spec::*;
use crate::Result;

pub(super) fn build(ctx: &Context<'_>) -> Result<ChartSpec> {
    let run = ctx.run;
    let t = run.tornado.as_ref().ok_or_else(|| missing(ChartKind::Tornado, "the sensitivity analysis"))?;
    let bars: Vec<_> = t.bars.iter().take(12).collect();
    let body = ChartBody::Bars(BarPlot {
        value_axis: axis(&format!("{} delivered over the horizon", ctx.product_name(&t.product)), "units"),
        categories: bars.iter().map(|b| shorten(&b.input, 58)).collect(),
        series: vec![BarSeries {
            name: "P10 to P90".into(),
            color: series_color(0).into(),
            spans: bars.iter().map(|b| [b.units_low.min(b.units_high), b.units_low.max(b.units_high)]).collect(),
        }],
        reference_lines: vec![Marker { x: t.base_units, label: "base".into() }],
        zones: vec![],
        flags: bars
            .iter()
            .map(|b| {
                (b.completion_swing_months > 0).then(|| match b.completion_swing_months {
                    1 => "order moves 1 month".to_string(),
                    n => format!("order moves {n} months"),
                })
            })
            .collect(),
    });
    Ok(ctx.spec(
        ChartKind::Tornado,
        format!("What moves {} output", ctx.product_name(&t.product)),
        Some("each input at P10 and P90, the others at base".into()),
        body,
        None,
    ))
}
