//! The cost charts of the first order: cumulative cost against the cloud, and the
//! cost per GPU-hour broken down.

use super::{axis, missing, month_axis, x, Context};
use crate::chart::kind::ChartKind;
use crate::chart::palette::series_color;
use crate::chart::spec::*;
use crate::Result;

/// Cumulative cost on premises against renting the same useful hours.
pub(super) fn tco(ctx: &Context<'_>) -> Result<ChartSpec> {
    let run = ctx.run;
    let t = run.tco.first().ok_or_else(|| missing(ChartKind::Tco, "an order with TCO assumptions"))?;
    let mut markers = vec![ctx.today_marker()];
    if let Some(b) = t.break_even {
        markers.push(Marker { x: x(b), label: format!("break-even {b}") });
    }
    let line = |name: &str, i: usize, v: &[f64]| Series {
        name: name.into(),
        color: series_color(i).into(),
        style: SeriesStyle::Line,
        stack: None,
        points: t.months.iter().zip(v).map(|(m, y)| [x(*m), y / 1e6]).collect(),
    };
    let body = ChartBody::Xy(XyPlot {
        x: month_axis(),
        y: axis("Cumulative cost", "million USD"),
        series: vec![
            line("On premises", 0, &t.on_premises_cumulative),
            line("Cloud, same useful hours", 5, &t.cloud_cumulative),
        ],
        bands: vec![],
        shades: vec![],
        markers,
    });
    Ok(ctx.spec(
        ChartKind::Tco,
        format!("Order {}: owning against renting", t.order),
        Some(if t.useful_hours > 0.0 {
            format!(
                "${:.2} per GPU-hour on premises; cloud bridge until delivery ${:.1}M",
                t.cost_per_gpu_hour.total,
                t.bridge_cloud_usd.unwrap_or(0.0) / 1e6
            )
        } else {
            "No accelerator arrives within the horizon: no cost per GPU-hour".into()
        }),
        body,
        None,
    ))
}

/// The levelised cost per useful GPU-hour, by component, with the cloud price.
pub(super) fn cost_per_hour(ctx: &Context<'_>) -> Result<ChartSpec> {
    let run = ctx.run;
    let t = run.tco.first().ok_or_else(|| missing(ChartKind::CostPerHour, "an order with TCO assumptions"))?;
    if t.useful_hours <= 0.0 {
        return Err(missing(ChartKind::CostPerHour, "an order that receives accelerators within the horizon"));
    }
    let c = t.cost_per_gpu_hour;
    let parts = [
        ("Capex (net of salvage)", c.capex),
        ("Power", c.power),
        ("Facility", c.facility),
        ("Staff", c.staff),
        ("Total", c.total),
    ];
    let product = run.orders.first().map(|o| o.product.clone()).unwrap_or_default();
    let cloud = ctx.input.product(&product).and_then(|p| p.cloud_usd_per_hour).map(|e| e.base);
    let body = ChartBody::Bars(BarPlot {
        value_axis: axis("Cost per useful GPU-hour", "USD"),
        categories: parts.iter().map(|(n, _)| n.to_string()).collect(),
        series: vec![BarSeries {
            name: "levelised cost".into(),
            color: series_color(0).into(),
            spans: parts.iter().map(|(_, v)| [0.0, *v]).collect(),
        }],
        reference_lines: cloud.map(|p| vec![Marker { x: p, label: format!("cloud ${p:.2}/h") }]).unwrap_or_default(),
        zones: vec![],
        flags: vec![],
    });
    Ok(ctx.spec(
        ChartKind::CostPerHour,
        format!("Order {}: cost per GPU-hour", t.order),
        Some("discounted cost over discounted useful hours".into()),
        body,
        None,
    ))
}
