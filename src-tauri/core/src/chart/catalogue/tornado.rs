//! The tornado: what moves the first order, each uncertain input at its P10 and P90
//! with the others at base, in months the order completes before (negative) or after
//! the plan. Only the inputs that move the order are drawn, widest swing first; a
//! completion beyond the horizon is drawn at the horizon's end and flagged.

use super::{axis, missing, shorten, Context};
use crate::chart::kind::ChartKind;
use crate::chart::palette::series_color;
use crate::chart::spec::*;
use crate::month::Month;
use crate::{Error, ErrorKind, Result};

/// The most bars drawn (the Risk screen's table lists the rest).
const MOST: usize = 12;

pub(super) fn build(ctx: &Context<'_>) -> Result<ChartSpec> {
    let run = ctx.run;
    let t = run.tornado.as_ref().ok_or_else(|| missing(ChartKind::Tornado, "the sensitivity analysis"))?;
    let Some(plan) = t.base_completion else {
        return Err(Error::new(
            ErrorKind::NotFound,
            format!("order {} does not complete within the horizon, so no month of delay can be measured; plan more months (Settings) to see what moves it", t.order),
        ));
    };
    let bars: Vec<_> = t.bars.iter().filter(|b| b.completion_swing_months > 0).take(MOST).collect();
    if bars.is_empty() {
        return Err(Error::new(
            ErrorKind::NotFound,
            format!("no single input at its P10 or P90 moves order {}'s completion from {}", t.order, plan.words()),
        ));
    }
    let end = ctx.input.end();
    let delay = |m: Option<Month>| plan.months_until(m.unwrap_or(end)) as f64;
    let needed_by = ctx.input.orders.iter().find(|o| o.id == t.order).map(|o| o.needed_by);
    let reference_lines = match needed_by {
        Some(n) if n == plan => vec![Marker { x: 0.0, label: format!("plan: {}, as needed", plan.words()) }],
        Some(n) => vec![
            Marker { x: 0.0, label: format!("plan: {}", plan.words()) },
            Marker { x: plan.months_until(n) as f64, label: format!("needed by {}", n.words()) },
        ],
        None => vec![Marker { x: 0.0, label: format!("plan: {}", plan.words()) }],
    };
    let body = ChartBody::Bars(BarPlot {
        value_axis: axis(&format!("Order {} completes, against the plan", t.order), "months"),
        categories: bars.iter().map(|b| shorten(&b.input, 58)).collect(),
        series: vec![BarSeries {
            name: "P10 to P90".into(),
            color: series_color(0).into(),
            spans: bars
                .iter()
                .map(|b| {
                    let (low, high) = (delay(b.completion_low), delay(b.completion_high));
                    [low.min(high), low.max(high)]
                })
                .collect(),
        }],
        reference_lines,
        zones: vec![],
        flags: bars
            .iter()
            .map(|b| (b.completion_low.is_none() || b.completion_high.is_none()).then(|| "beyond the horizon".into()))
            .collect(),
    });
    Ok(ctx.spec(
        ChartKind::Tornado,
        format!("What moves order {}", t.order),
        Some(format!(
            "months before or after the plan ({}), each input at P10 and P90, the others at base",
            plan.words()
        )),
        body,
        None,
    ))
}
