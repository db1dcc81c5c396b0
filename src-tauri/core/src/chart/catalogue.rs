//! The chart catalogue: every chart Packplan offers, built as a [`ChartSpec`] from a
//! model run (and its input), so the app and `packplan chart export` draw the same
//! thing. Each chart carries the marking of its datasets and the run's provenance.

use serde::Serialize;

use super::marking::{DatasetRef, Level, Marking, Provenance};
use super::palette::series_color;
use super::spec::*;
use crate::model::geometry::{fit, Carrier};
use crate::model::input::{ModelInput, Stage};
use crate::model::run::RunResult;
use crate::month::Month;
use crate::{Error, Result};

/// What a chart needs from the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Needs {
    /// The deterministic run.
    Run,
    /// Monte Carlo trials.
    MonteCarlo,
    /// The tornado.
    Sensitivity,
    /// A second scenario to compare with.
    Comparison,
}

/// One entry of the catalogue.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Kind {
    pub id: &'static str,
    pub title: &'static str,
    pub needs: Needs,
}

pub const KINDS: &[Kind] = &[
    Kind {
        id: "capacity",
        title: "Packaging capacity by technology and supplier, in accelerator equivalents",
        needs: Needs::Run,
    },
    Kind {
        id: "capacity-carriers",
        title: "Packaging capacity by technology and supplier, in wafers and panels",
        needs: Needs::Run,
    },
    Kind { id: "units", title: "Units per product per month, with the bottleneck timeline", needs: Needs::Run },
    Kind { id: "fan", title: "Monte Carlo fan chart of a product's output", needs: Needs::MonteCarlo },
    Kind { id: "completion", title: "Order completion probability", needs: Needs::MonteCarlo },
    Kind { id: "tco", title: "Cumulative cost: on premises against the cloud", needs: Needs::Run },
    Kind { id: "cost-per-hour", title: "Cost per GPU-hour, broken down", needs: Needs::Run },
    Kind { id: "tornado", title: "Tornado: what moves the order's product output", needs: Needs::Sensitivity },
    Kind { id: "concentration", title: "Supplier concentration (HHI) by technology", needs: Needs::Run },
    Kind { id: "wafer-vs-panel", title: "Wafer against panel: the CoPoS story", needs: Needs::Run },
    Kind { id: "compare", title: "Scenario comparison", needs: Needs::Comparison },
];

pub fn kind(id: &str) -> Result<&'static Kind> {
    KINDS.iter().find(|k| k.id == id).ok_or_else(|| {
        Error::invalid(format!(
            "there is no chart {id:?}; the charts are: {}",
            KINDS.iter().map(|k| k.id).collect::<Vec<_>>().join(", ")
        ))
    })
}

/// Everything a chart is built from.
pub struct Context<'a> {
    pub input: &'a ModelInput,
    pub run: &'a RunResult,
    /// The run to compare with (chart `compare`).
    pub other: Option<&'a RunResult>,
    /// The product to show (default: the first order's product).
    pub product: Option<String>,
    /// A classification setting that may raise the marking.
    pub classification_setting: Option<String>,
    /// `YYYY-MM-DD`.
    pub generated: String,
    pub app_version: String,
}

impl Context<'_> {
    fn product(&self) -> Result<String> {
        if let Some(p) = &self.product {
            if self.input.product(p).is_none() {
                return Err(Error::invalid(format!("there is no product {p:?} in this run")));
            }
            return Ok(p.clone());
        }
        self.input
            .orders
            .first()
            .map(|o| o.product.clone())
            .or_else(|| self.input.products.first().map(|p| p.id.clone()))
            .ok_or_else(|| Error::invalid("the run has no products to chart"))
    }

    fn product_name(&self, id: &str) -> String {
        self.input.product(id).map(|p| p.name.clone()).unwrap_or_else(|| id.to_string())
    }

    fn marking(&self) -> Marking {
        let labels: Vec<&str> = self.input.provenance.iter().map(|d| d.classification.as_str()).collect();
        let mut m = Marking::strictest(labels.iter().copied(), self.classification_setting.as_deref());
        if self.input.provenance.iter().any(|d| d.classification.to_uppercase().contains("ILLUSTRATIVE"))
            && !m.label.contains("ILLUSTRATIVE")
        {
            m = m.with_notice("Illustrative: public estimates");
        }
        if m.level == Level::Public && self.input.provenance.is_empty() {
            m = m.with_notice("no dataset");
        }
        m
    }

    fn provenance(&self, seed: Option<u64>) -> Provenance {
        Provenance {
            datasets: self
                .input
                .provenance
                .iter()
                .map(|d| DatasetRef {
                    title: d.title.clone(),
                    as_of: d.as_of.get(..10).unwrap_or(&d.as_of).to_string(),
                })
                .collect(),
            scenario: Some(match self.other {
                Some(o) => format!("{} vs {}", self.run.scenario, o.scenario),
                None => self.run.scenario.clone(),
            }),
            run_id: Some(self.run.input_sha256.chars().take(12).collect()),
            seed,
            generated: self.generated.clone(),
            app_version: self.app_version.clone(),
        }
    }

    fn spec(&self, id: &str, title: String, subtitle: Option<String>, body: ChartBody, seed: Option<u64>) -> ChartSpec {
        ChartSpec {
            kind: id.to_string(),
            title,
            subtitle,
            body,
            marking: self.marking(),
            provenance: self.provenance(seed),
        }
    }
}

fn x(m: Month) -> f64 {
    m.number() as f64
}

fn month_axis() -> Axis {
    Axis { label: "Month".into(), unit: String::new(), scale: Scale::Month }
}

fn axis(label: &str, unit: &str) -> Axis {
    Axis { label: label.into(), unit: unit.into(), scale: Scale::Linear }
}

/// Builds chart `id`.
pub fn build(id: &str, ctx: &Context<'_>) -> Result<ChartSpec> {
    let k = kind(id)?;
    let run = ctx.run;
    let missing = |what: &str| Error::invalid(format!("the chart {id} needs {what}; run the model with it first"));
    match k.id {
        "capacity" => capacity(ctx, false),
        "capacity-carriers" => capacity(ctx, true),
        "units" => units(ctx),
        "fan" => {
            let mc = run.monte_carlo.as_ref().ok_or_else(|| missing("Monte Carlo trials"))?;
            let product = ctx.product()?;
            let bands =
                mc.products.iter().find(|b| b.product == product).ok_or_else(|| missing("the product's bands"))?;
            let det = run.network.units_of(&product).unwrap_or(&[]);
            let xs: Vec<f64> = run.months.iter().map(|m| x(*m)).collect();
            let band =
                |lo: &[f64], hi: &[f64]| xs.iter().zip(lo.iter().zip(hi)).map(|(x, (l, h))| [*x, *l, *h]).collect();
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
                markers: vec![],
            });
            Ok(ctx.spec(
                id,
                format!("{}: output uncertainty", ctx.product_name(&product)),
                Some(format!("{} trials, {} uncertain inputs", mc.trials, mc.inputs.len())),
                body,
                Some(mc.seed),
            ))
        }
        "completion" => {
            let mc = run.monte_carlo.as_ref().ok_or_else(|| missing("Monte Carlo trials"))?;
            let o = mc.orders.first().ok_or_else(|| missing("an order"))?;
            let det = run.orders.first().and_then(|d| d.completion);
            let mut markers = vec![Marker { x: x(o.needed_by), label: format!("needed by {}", o.needed_by) }];
            if let Some(c) = det {
                markers.push(Marker { x: x(c), label: format!("plan: {c}") });
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
                id,
                format!("Order {}: when is it complete?", o.order),
                Some(format!(
                    "P(complete by {}) = {:.0}%; P10 {} / P50 {} / P90 {}",
                    o.needed_by,
                    100.0 * o.probability_on_time,
                    show(o.p10),
                    show(o.p50),
                    show(o.p90)
                )),
                body,
                Some(mc.seed),
            ))
        }
        "tco" => {
            let t = run.tco.first().ok_or_else(|| missing("an order with TCO assumptions"))?;
            let mut markers = Vec::new();
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
                id,
                format!("Order {}: owning against renting", t.order),
                Some(format!(
                    "${:.2} per GPU-hour on premises; cloud bridge until delivery ${:.1}M",
                    t.cost_per_gpu_hour.total,
                    t.bridge_cloud_usd.unwrap_or(0.0) / 1e6
                )),
                body,
                None,
            ))
        }
        "cost-per-hour" => {
            let t = run.tco.first().ok_or_else(|| missing("an order with TCO assumptions"))?;
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
                reference_lines: cloud
                    .map(|p| vec![Marker { x: p, label: format!("cloud ${p:.2}/h") }])
                    .unwrap_or_default(),
                zones: vec![],
                flags: vec![],
            });
            Ok(ctx.spec(
                id,
                format!("Order {}: cost per GPU-hour", t.order),
                Some("discounted cost over discounted useful hours".into()),
                body,
                None,
            ))
        }
        "tornado" => {
            let t = run.tornado.as_ref().ok_or_else(|| missing("the sensitivity analysis"))?;
            let bars: Vec<_> = t.bars.iter().take(12).collect();
            let body = ChartBody::Bars(BarPlot {
                value_axis: axis(&format!("{} delivered over the horizon", ctx.product_name(&t.product)), "units"),
                categories: bars.iter().map(|b| shorten(&b.input, 58)).collect(),
                series: vec![BarSeries {
                    name: "P10 to P90".into(),
                    color: series_color(0).into(),
                    spans: bars
                        .iter()
                        .map(|b| [b.units_low.min(b.units_high), b.units_low.max(b.units_high)])
                        .collect(),
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
                id,
                format!("What moves {} output", ctx.product_name(&t.product)),
                Some("each input at P10 and P90, the others at base".into()),
                body,
                None,
            ))
        }
        "concentration" => concentration(ctx),
        "wafer-vs-panel" => wafer_vs_panel(ctx),
        "compare" => {
            let other = ctx.other.ok_or_else(|| missing("a second scenario"))?;
            let product = ctx.product()?;
            let line = |r: &RunResult, i: usize, style: SeriesStyle| Series {
                name: r.scenario.clone(),
                color: series_color(i).into(),
                style,
                stack: None,
                points: r
                    .months
                    .iter()
                    .zip(r.network.units_of(&product).unwrap_or(&[]))
                    .map(|(m, y)| [x(*m), *y])
                    .collect(),
            };
            let completions: Vec<(&str, Month)> = [run, other]
                .iter()
                .filter_map(|r| r.orders.first().and_then(|o| o.completion).map(|c| (r.scenario.as_str(), c)))
                .collect();
            // the same month in both: one marker, so the labels do not print over each other
            let markers = match completions.as_slice() {
                [(_, ca), (_, cb)] if ca == cb => {
                    vec![Marker { x: x(*ca), label: format!("both: order complete {ca}") }]
                }
                _ => completions
                    .iter()
                    .map(|(name, c)| Marker { x: x(*c), label: format!("{name}: order complete {c}") })
                    .collect(),
            };
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
                id,
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
        _ => Err(Error::internal(format!("chart {id} is listed but not built"))),
    }
}

/// `text` cut to `max` characters with an ellipsis (long input names on bar charts).
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(max - 3).collect::<String>().trim_end())
    }
}

fn show(m: Option<Month>) -> String {
    m.map(|m| m.to_string()).unwrap_or_else(|| "beyond".into())
}

/// Packaging capacity per technology and supplier: in carriers (`carriers`: wafers and
/// panels per month, as lines, since they do not add up), or in accelerator
/// equivalents (carriers x packages of the reference product per carrier, stacked).
fn capacity(ctx: &Context<'_>, carriers: bool) -> Result<ChartSpec> {
    let input = ctx.input;
    let product_id = ctx.product()?;
    let product = input.product(&product_id).ok_or_else(|| Error::invalid("unknown product"))?;
    let used: std::collections::BTreeSet<&str> = input.routes.iter().map(|r| r.technology.as_str()).collect();
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
    let (y, id, subtitle) = if carriers {
        (
            axis("Carriers per month", "wafers or panels"),
            "capacity-carriers",
            "300 mm wafers and panels of each size per month (all customers); a panel carries more packages"
                .to_string(),
        )
    } else {
        (
            axis(&format!("{}-size packages per month", product.name), "accelerator equivalents"),
            "capacity",
            format!("carriers per month x {} packages per carrier (all customers, before yield)", product.name),
        )
    };
    let body = ChartBody::Xy(XyPlot { x: month_axis(), y, series, bands: vec![], shades: vec![], markers: vec![] });
    Ok(ctx.spec(id, "Packaging capacity by technology and supplier".into(), Some(subtitle), body, None))
}

/// Units per product per month, stacked, with the bottleneck timeline shaded.
fn units(ctx: &Context<'_>) -> Result<ChartSpec> {
    let run = ctx.run;
    let series: Vec<Series> = run
        .network
        .products
        .iter()
        .filter(|p| p.units.iter().any(|u| *u > 0.0))
        .enumerate()
        .map(|(i, p)| Series {
            name: ctx.product_name(&p.product),
            color: series_color(i).into(),
            style: SeriesStyle::Area,
            stack: Some("units".into()),
            points: run.months.iter().zip(&p.units).map(|(m, u)| [x(*m), *u]).collect(),
        })
        .collect();
    let mut shades: Vec<Shade> = Vec::new();
    let mut resources: Vec<String> = Vec::new();
    for (m, b) in run.months.iter().zip(&run.network.bottlenecks) {
        let Some(b) = b else { continue };
        match shades.last_mut() {
            Some(s) if s.label == format!("limited by {}", b.resource) && s.to + 1.0 == x(*m) => s.to = x(*m),
            _ => {
                if !resources.contains(&b.resource) {
                    resources.push(b.resource.clone());
                }
                let i = resources.iter().position(|r| *r == b.resource).unwrap_or(0);
                shades.push(Shade {
                    from: x(*m),
                    to: x(*m),
                    label: format!("limited by {}", b.resource),
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
        markers: vec![],
    });
    Ok(ctx.spec(
        "units",
        "Accelerators delivered per month".into(),
        Some("deterministic plan; shading: the binding constraint with the most leverage".into()),
        body,
        None,
    ))
}

fn concentration(ctx: &Context<'_>) -> Result<ChartSpec> {
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
        .ok_or_else(|| Error::invalid("the run has no concentration figures (the horizon holds no December)"))?;
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
            Shade { from: 0.0, to: 1500.0, label: "unconcentrated".into(), color: "#009E73".into() },
            Shade { from: 1500.0, to: 2500.0, label: "moderate".into(), color: "#E69F00".into() },
            Shade { from: 2500.0, to: 10000.0, label: "highly concentrated".into(), color: "#D55E00".into() },
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
        "concentration",
        format!("Supplier concentration, {month}"),
        Some("thresholds of the 2010 US merger guidelines".into()),
        body,
        None,
    ))
}

fn wafer_vs_panel(ctx: &Context<'_>) -> Result<ChartSpec> {
    let input = ctx.input;
    let product_id = ctx.product()?;
    let p = input.product(&product_id).ok_or_else(|| Error::invalid("unknown product"))?;
    let g = &input.geometry;
    let carriers = [
        ("300 mm wafer (CoWoS)", Carrier::Wafer300),
        ("310 x 310 mm panel (CoPoS pilot)", Carrier::Panel { width_mm: 310.0, height_mm: 310.0 }),
        ("510 x 515 mm panel (CoPoS volume)", Carrier::Panel { width_mm: 510.0, height_mm: 515.0 }),
    ];
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
            title: title.to_string(),
            carrier: shape,
            usable,
            caption: format!("{} packages, {:.0}% of the area{ratio}", f.units, 100.0 * f.area_used),
            placements: f.placements,
            color: series_color(i).into(),
        });
    }
    Ok(ctx.spec(
        "wafer-vs-panel",
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
