//! The same package on a 300 mm wafer and on the CoPoS panels ([`Carrier::PRESETS`]):
//! where each package sits, and how many fit.

use super::Context;
use crate::carrier::Carrier;
use crate::chart::kind::ChartKind;
use crate::chart::palette::series_color;
use crate::chart::spec::*;
use crate::model::geometry::fit;
use crate::{Error, Result};

pub(super) fn build(ctx: &Context<'_>) -> Result<ChartSpec> {
    let input = ctx.input;
    let product_id = ctx.product()?;
    let p = input.product(&product_id).ok_or_else(|| Error::invalid("unknown product"))?;
    let g = &input.geometry;
    let mut carriers = vec![("300 mm wafer (CoWoS)".to_string(), Carrier::Wafer300)];
    for preset in Carrier::PRESETS.iter().filter(|p| p.copos) {
        carriers.push((
            format!("{} x {} mm panel ({})", preset.width_mm, preset.height_mm, preset.role),
            Carrier::Panel { width_mm: preset.width_mm, height_mm: preset.height_mm },
        ));
    }
    let mut panels = Vec::new();
    let mut wafer_units = 0;
    for (i, (title, carrier)) in carriers.iter().enumerate() {
        let edge = g.edge_for(carrier);
        let f = fit(carrier, p.interposer_width_mm, p.interposer_height_mm, edge, g.street_mm)?;
        if i == 0 {
            wafer_units = f.units;
        }
        let (shape, usable) = match carrier {
            Carrier::Panel { width_mm, height_mm } => (
                CarrierShape::Rect { width_mm: *width_mm, height_mm: *height_mm },
                CarrierShape::Rect { width_mm: width_mm - 2.0 * edge, height_mm: height_mm - 2.0 * edge },
            ),
            _ => {
                (CarrierShape::Circle { diameter_mm: 300.0 }, CarrierShape::Circle { diameter_mm: 300.0 - 2.0 * edge })
            }
        };
        let ratio = if i > 0 && wafer_units > 0 {
            format!(", {:.2}x the wafer", f.units as f64 / wafer_units as f64)
        } else {
            String::new()
        };
        panels.push(CarrierPanel {
            title: title.clone(),
            carrier: shape,
            usable,
            caption: format!("{} packages, {:.0}% of the area{ratio}", f.units, 100.0 * f.area_used),
            placements: f.placements,
            color: series_color(i).into(),
        });
    }
    Ok(ctx.spec(
        ChartKind::WaferVsPanel,
        format!(
            "{}: {} x {} mm package on a wafer and on panels",
            p.name, p.interposer_width_mm, p.interposer_height_mm
        ),
        Some(format!(
            "exact grid counts; {} mm edge on wafers, {} mm on panels, {} mm street",
            g.wafer_edge_mm, g.panel_edge_mm, g.street_mm
        )),
        ChartBody::Layout(LayoutPlot { panels }),
        None,
    ))
}
