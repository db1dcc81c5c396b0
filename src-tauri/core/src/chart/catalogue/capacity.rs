//! Packaging capacity by technology and supplier: in accelerator equivalents
//! (stacked) or in carriers (wafers and panels, as lines).

use std::collections::BTreeSet;

use super::{axis, month_axis, x, Context};
use crate::chart::kind::ChartKind;
use crate::chart::palette::series_color;
use crate::chart::spec::*;
use crate::model::geometry::fit;
use crate::stage::Stage;
use crate::{Error, Result};

/// Packaging capacity per technology and supplier: in carriers (`carriers`: wafers and
/// panels per month, as lines, since they do not add up), or in accelerator
/// equivalents (carriers x packages of the reference product per carrier, stacked).
pub(super) fn build(ctx: &Context<'_>, carriers: bool) -> Result<ChartSpec> {
    let input = ctx.input;
    let product_id = ctx.product()?;
    let product = input.product(&product_id).ok_or_else(|| Error::invalid("unknown product"))?;
    let used: BTreeSet<&str> = input.routes.iter().map(|r| r.technology.as_str()).collect();
    let mut series = Vec::new();
    for c in ctx.run.capacity.iter().filter(|c| c.stage == Stage::Packaging && used.contains(c.technology.as_str())) {
        let Some(t) = input.technology(&c.technology) else { continue };
        let per = if carriers {
            1.0
        } else {
            fit(
                &t.carrier,
                product.interposer_width_mm,
                product.interposer_height_mm,
                input.geometry.edge_for(&t.carrier),
                input.geometry.street_mm,
            )?
            .units as f64
        };
        for (supplier, values) in &c.by_supplier {
            if values.iter().all(|v| *v <= 0.0) {
                continue;
            }
            series.push(Series {
                name: if carriers {
                    format!("{} ({supplier}), {}", t.name, t.capacity_unit)
                } else {
                    format!("{} ({supplier})", t.name)
                },
                color: series_color(series.len()).into(),
                style: if carriers { SeriesStyle::Line } else { SeriesStyle::Area },
                stack: (!carriers).then(|| "capacity".into()),
                points: ctx.run.months.iter().zip(values).map(|(m, v)| [x(*m), v * per]).collect(),
            });
        }
    }
    let (y, kind, subtitle) = if carriers {
        (
            axis("Carriers per month", "wafers or panels"),
            ChartKind::CapacityCarriers,
            "300 mm wafers and panels of each size per month (all customers); a panel carries more packages"
                .to_string(),
        )
    } else {
        (
            axis(&format!("{}-size packages per month", product.name), "accelerator equivalents"),
            ChartKind::Capacity,
            format!("carriers per month x {} packages per carrier (all customers, before yield)", product.name),
        )
    };
    let body = ChartBody::Xy(XyPlot {
        x: month_axis(),
        y,
        series,
        bands: vec![],
        shades: vec![],
        markers: vec![ctx.today_marker()],
    });
    Ok(ctx.spec(kind, "Packaging capacity by technology and supplier".into(), Some(subtitle), body, None))
}
