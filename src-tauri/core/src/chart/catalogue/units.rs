//! Units per product per month, stacked, with the bottleneck timeline shaded.

use super::{axis, month_axis, x, Context};
use crate::chart::kind::ChartKind;
use crate::chart::palette::series_color;
use crate::chart::spec::*;
use crate::model::run::shown_units;
use crate::Result;

/// Units per product per month, stacked, with the bottleneck timeline shaded.
pub(super) fn build(ctx: &Context<'_>) -> Result<ChartSpec> {
    let run = ctx.run;
    let shown: Vec<(&str, Vec<(f64, bool)>)> = run
        .network
        .products
        .iter()
        .map(|p| (p.product.as_str(), shown_units(ctx.input, &run.months, p)))
        .filter(|(_, units)| units.iter().any(|(u, _)| *u > 0.0))
        .collect();
    let recorded = shown.iter().any(|(_, units)| units.iter().any(|(_, r)| *r));
    let series: Vec<Series> = shown
        .iter()
        .enumerate()
        .map(|(i, (product, units))| Series {
            name: ctx.product_name(product),
            color: series_color(i).into(),
            style: SeriesStyle::Area,
            stack: Some("units".into()),
            points: run.months.iter().zip(units).map(|(m, (u, _))| [x(*m), *u]).collect(),
        })
        .collect();
    let mut shades: Vec<Shade> = Vec::new();
    let mut resources: Vec<String> = Vec::new();
    for (m, b) in run.months.iter().zip(&run.network.bottlenecks) {
        let Some(b) = b else { continue };
        match shades.last_mut() {
            Some(s) if s.label == format!("limited by {}", b.name) && s.to + 1.0 == x(*m) => s.to = x(*m),
            _ => {
                if !resources.contains(&b.name) {
                    resources.push(b.name.clone());
                }
                let i = resources.iter().position(|r| *r == b.name).unwrap_or(0);
                shades.push(Shade {
                    from: x(*m),
                    to: x(*m),
                    label: format!("limited by {}", b.name),
                    color: ["#000000", "#0072B2", "#D55E00"][i % 3].into(),
                });
            }
        }
    }
    let body = ChartBody::Xy(XyPlot {
        x: month_axis(),
        y: axis("Good units delivered", "units/month"),
        series,
        bands: vec![],
        shades,
        markers: vec![ctx.today_marker()],
    });
    Ok(ctx.spec(
        ChartKind::Units,
        "Accelerators delivered per month".into(),
        Some(if recorded {
            "deterministic plan; before today: recorded output where the data has it, else the model; shading: the binding constraint with the most leverage".into()
        } else {
            "deterministic plan; shading: the binding constraint with the most leverage".into()
        }),
        body,
        None,
    ))
}
