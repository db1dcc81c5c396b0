//! The Monte Carlo charts: the fan chart of a product's output and the order's
//! completion probability.

use super::{axis, missing, month_axis, x, Context};
use crate::chart::kind::ChartKind;
use crate::chart::palette::series_color;
use crate::chart::spec::*;
use crate::month::Month;
use crate::Result;

/// The fan chart of a product's output: P50 with the P10-P90 and P5-P95 bands, beside the deterministic plan.
pub(super) fn fan(ctx: &Context<'_>) -> Result<ChartSpec> {
    let run = ctx.run;
    let mc = run.monte_carlo.as_ref().ok_or_else(|| missing(ChartKind::Fan, "Monte Carlo trials"))?;
    let product = ctx.product()?;
    let bands = mc
        .products
        .iter()
        .find(|b| b.product == product)
        .ok_or_else(|| missing(ChartKind::Fan, "the product's bands"))?;
    let det = run.network.units_of(&product).unwrap_or(&[]);
    let xs: Vec<f64> = run.months.iter().map(|m| x(*m)).collect();
    let band = |lo: &[f64], hi: &[f64]| xs.iter().zip(lo.iter().zip(hi)).map(|(x, (l, h))| [*x, *l, *h]).collect();
    let body = ChartBody::Xy(XyPlot {
        x: month_axis(),
        y: axis("Good units delivered", "units/month"),
        series: vec![
            Series {
                name: "P50".into(),
                color: series_color(0).into(),
                style: SeriesStyle::Line,
                stack: None,
                points: xs.iter().zip(&bands.p50).map(|(x, y)| [*x, *y]).collect(),
            },
            Series {
                name: "Deterministic plan".into(),
                color: series_color(7).into(),
                style: SeriesStyle::Dashed,
                stack: None,
                points: xs.iter().zip(det).map(|(x, y)| [*x, *y]).collect(),
            },
        ],
        bands: vec![
            Band {
                name: "P5 to P95".into(),
                color: series_color(0).into(),
                opacity: 0.18,
                points: band(&bands.p5, &bands.p95),
            },
            Band {
                name: "P10 to P90".into(),
                color: series_color(0).into(),
                opacity: 0.32,
                points: band(&bands.p10, &bands.p90),
            },
        ],
        shades: vec![],
        markers: vec![ctx.today_marker()],
    });
    Ok(ctx.spec(
        ChartKind::Fan,
        format!("{}: output uncertainty", ctx.product_name(&product)),
        Some(format!("{} trials, {} uncertain inputs", mc.trials, mc.inputs.len())),
        body,
        Some(mc.seed),
    ))
}

/// The probability that the first order is complete, month by month.
pub(super) fn completion(ctx: &Context<'_>) -> Result<ChartSpec> {
    let run = ctx.run;
    let mc = run.monte_carlo.as_ref().ok_or_else(|| missing(ChartKind::Completion, "Monte Carlo trials"))?;
    let o = mc.orders.first().ok_or_else(|| missing(ChartKind::Completion, "an order"))?;
    let det = run.orders.first().and_then(|d| d.completion);
    let mut markers =
        vec![ctx.today_marker(), Marker { x: x(o.needed_by), label: format!("needed by {}", o.needed_by.words()) }];
    if let Some(c) = det {
        markers.push(Marker { x: x(c), label: format!("plan: {}", c.words()) });
    }
    let body = ChartBody::Xy(XyPlot {
        x: month_axis(),
        y: axis("Probability the order is complete", "%"),
        series: vec![Series {
            name: format!("order {}", o.order),
            color: series_color(2).into(),
            style: SeriesStyle::Step,
            stack: None,
            points: run.months.iter().zip(&o.cdf).map(|(m, p)| [x(*m), 100.0 * p]).collect(),
        }],
        bands: vec![],
        shades: vec![],
        markers,
    });
    Ok(ctx.spec(
        ChartKind::Completion,
        format!("Order {}: when is it complete?", o.order),
        Some(format!(
            "P(complete by {}) = {:.0}%; P10 {} / P50 {} / P90 {}",
            o.needed_by.words(),
            100.0 * o.probability_on_time,
            Month::words_or_beyond(o.p10),
            Month::words_or_beyond(o.p50),
            Month::words_or_beyond(o.p90)
        )),
        body,
        Some(mc.seed),
    ))
}
