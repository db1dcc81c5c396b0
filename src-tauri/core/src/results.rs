//! What the results screens show beyond the overview, computed from a model input:
//! "Orders and TCO" (every order's delivery, lateness and cost against the cloud,
//! and the assumptions behind the cost with their unit, source and dataset, read
//! from the table rows the input was assembled from) and "Risk" (supplier
//! concentration per technology at each December planned, the regions the capacity
//! sits in, and the tornado on demand with progress and Cancel). Pure: no vault, no
//! I/O; front ends call these and only draw.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::chart::catalogue::{self, Context};
use crate::chart::ChartView;
use crate::model::assemble::TableRows;
use crate::model::concentration::{HIGH, MODERATE};
use crate::model::estimate::Estimate;
use crate::model::input::{DatasetRef, ModelInput, Stage};
use crate::model::network::Model;
use crate::model::run::{run, RunOptions, RunResult};
use crate::model::sensitivity::TornadoBar;
use crate::model::tco::CostPerHour;
use crate::model::uncertain::Draw;
use crate::month::Month;
use crate::progress::{CancelToken, NoProgress, Progress, ProgressReport};
use crate::{Error, Result};

/// The charts of "Orders and TCO", in screen order.
pub const ORDERS_CHARTS: &[&str] = &["tco", "cost-per-hour"];
/// The charts of "Risk" without trials (the tornado comes with [`sensitivity`]).
pub const RISK_CHARTS: &[&str] = &["concentration"];

/// One order: when it completes against when it is needed, and what it costs.
#[derive(Debug, Clone, Serialize)]
pub struct OrderResult {
    pub order: String,
    /// The product's name.
    pub product: String,
    pub quantity: u64,
    pub needed_by: Month,
    /// The month the last accelerator arrives in the deterministic plan (`None`: not within the horizon).
    pub completion: Option<Month>,
    pub on_time: bool,
    /// Months from needed-by to completion: 0 when on time; `None` when the order
    /// does not complete within the horizon.
    pub months_late: Option<i32>,
    /// Levelised cost per useful GPU-hour on premises, by component (`None`: no TCO assumptions).
    pub cost_per_gpu_hour: Option<CostPerHour>,
    /// The base cloud rental price the break-even is measured against.
    pub cloud_usd_per_hour: Option<f64>,
    /// First month owning has cost no more than renting the same useful hours.
    pub break_even: Option<Month>,
    /// Net present cost on premises, after salvage.
    pub net_present_cost: Option<f64>,
    /// Renting the missing accelerators from needed-by until they arrive.
    pub bridge_cloud_usd: Option<f64>,
}

/// Where one figure of an assumption came from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AssumptionSource {
    pub low: f64,
    pub base: f64,
    pub high: f64,
    pub source: String,
    pub as_of: String,
    /// The dataset's id and title (the title is empty when the input does not name it).
    pub dataset: String,
    pub dataset_title: String,
}

/// An assumption behind the cost figures: the values the run uses and their sources.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Assumption {
    /// The `tco_assumptions` key, or `price:<product>`, `power:<product>`, `cloud:<product>`.
    pub key: String,
    /// The assumption in words.
    pub name: String,
    pub unit: String,
    /// What the run uses: with several sources, their envelope (lowest low, mean base,
    /// highest high), after the scenario's changes.
    pub low: f64,
    pub base: f64,
    pub high: f64,
    /// Each source's figures; empty when the input does not say where they came from.
    pub sources: Vec<AssumptionSource>,
}

/// "Orders and TCO".
#[derive(Debug, Clone, Serialize)]
pub struct OrdersReport {
    pub scenario: String,
    /// First and last month planned.
    pub months: [Month; 2],
    pub orders: Vec<OrderResult>,
    pub assumptions: Vec<Assumption>,
    pub datasets: Vec<DatasetRef>,
    pub charts: Vec<ChartView>,
}

/// A name and its share (0 to 1).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Share {
    pub name: String,
    pub share: f64,
}

/// Concentration of one technology in one month.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TechnologyRisk {
    pub month: Month,
    pub technology: String,
    pub name: String,
    pub stage: Stage,
    pub unit: String,
    /// Herfindahl-Hirschman index of the suppliers' capacity shares (0 to 10,000).
    pub hhi: f64,
    pub level: &'static str,
    pub single_source: bool,
    /// Suppliers' shares of capacity, largest first.
    pub suppliers: Vec<Share>,
    /// Regions' shares of capacity, largest first.
    pub regions: Vec<Share>,
}

/// Where the packaging capacity counted in one unit sits (wafers and panels do not add up).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RegionExposure {
    pub month: Month,
    pub unit: String,
    /// The packaging technologies counted, by name.
    pub technologies: Vec<String>,
    /// Their capacity per month, in `unit`.
    pub total: f64,
    /// Regions' shares of it, largest first.
    pub regions: Vec<Share>,
}

/// "Risk": concentration per technology at each December planned.
#[derive(Debug, Clone, Serialize)]
pub struct RiskReport {
    pub scenario: String,
    /// The Decembers planned, in order (concentration is measured at each).
    pub months: Vec<Month>,
    /// The December the concentration chart shows: this year's if planned, else the last.
    pub chart_month: Option<Month>,
    /// HHI from which a technology is moderately, and above which highly, concentrated.
    pub moderate: f64,
    pub high: f64,
    pub technologies: Vec<TechnologyRisk>,
    pub exposure: Vec<RegionExposure>,
    pub datasets: Vec<DatasetRef>,
    pub charts: Vec<ChartView>,
}

/// The tornado of the scenario's first order.
#[derive(Debug, Clone, Serialize)]
pub struct Sensitivity {
    pub scenario: String,
    pub order: String,
    /// The product's name.
    pub product: String,
    pub base_completion: Option<Month>,
    pub base_units: f64,
    /// Widest completion swing first, then widest units swing.
    pub bars: Vec<TornadoBar>,
    pub charts: Vec<ChartView>,
}

fn context<'a>(input: &'a ModelInput, run: &'a RunResult, setting: Option<String>) -> Context<'a> {
    crate::planner::context(input, run, None, setting)
}

fn charts(kinds: &[&str], ctx: &Context<'_>) -> Vec<ChartView> {
    kinds.iter().filter_map(|k| catalogue::build(k, ctx).ok()).map(ChartView::of).collect()
}

fn product_name(input: &ModelInput, id: &str) -> String {
    input.product(id).map(|p| p.name.clone()).unwrap_or_else(|| id.to_string())
}

/// Every order of `input` with its delivery and cost, and the cost assumptions with
/// their sources (from `tables`, the rows `input` was assembled from; empty tables
/// leave the sources empty).
pub fn orders(input: &ModelInput, tables: &TableRows, setting: Option<String>) -> Result<OrdersReport> {
    let r = run(input, &RunOptions::default(), &NoProgress, &CancelToken::new())?;
    let ctx = context(input, &r, setting);
    let orders = r
        .orders
        .iter()
        .map(|o| {
            let t = r.tco.iter().find(|t| t.order == o.order);
            let months_late = match o.completion {
                _ if o.on_time => Some(0),
                Some(c) => Some(o.needed_by.months_until(c).max(0)),
                None => None,
            };
            OrderResult {
                order: o.order.clone(),
                product: product_name(input, &o.product),
                quantity: o.quantity,
                needed_by: o.needed_by,
                completion: o.completion,
                on_time: o.on_time,
                months_late,
                cost_per_gpu_hour: t.map(|t| t.cost_per_gpu_hour),
                cloud_usd_per_hour: input.product(&o.product).and_then(|p| p.cloud_usd_per_hour).map(|c| c.base),
                break_even: t.and_then(|t| t.break_even),
                net_present_cost: t.map(|t| t.net_present_cost),
                bridge_cloud_usd: t.and_then(|t| t.bridge_cloud_usd),
            }
        })
        .collect();
    Ok(OrdersReport {
        scenario: r.scenario.clone(),
        months: [input.start, input.end().plus(-1)],
        orders,
        assumptions: assumptions(input, tables),
        datasets: input.provenance.clone(),
        charts: charts(ORDERS_CHARTS, &ctx),
    })
}

/// The TCO assumptions and, for each ordered product, its price, power and cloud
/// price: the values the run uses and where each came from.
pub fn assumptions(input: &ModelInput, tables: &TableRows) -> Vec<Assumption> {
    let title = |id: &str| input.provenance.iter().find(|d| d.id == id).map(|d| d.title.clone()).unwrap_or_default();
    let source = |row: &Map<String, Value>, low: Option<f64>, base: Option<f64>, high: Option<f64>| {
        let dataset = text(row, "dataset_id");
        let (low, base, high) = (low?, base?, high?);
        Some(AssumptionSource {
            low,
            base,
            high,
            source: text(row, "source"),
            as_of: text(row, "as_of"),
            dataset_title: title(&dataset),
            dataset,
        })
    };
    let rows = |table: &str| tables.get(table).map(Vec::as_slice).unwrap_or_default();
    let assumption = |key: String, name: String, unit: String, e: &Estimate, sources: Vec<AssumptionSource>| {
        Assumption { key, name, unit, low: e.low, base: e.base, high: e.high, sources }
    };
    let mut out = Vec::new();
    if let Some(t) = &input.tco {
        for (key, e) in t.named() {
            let matching: Vec<&Map<String, Value>> =
                rows("tco_assumptions").iter().filter(|r| text(r, "key") == key).collect();
            let unit = matching.iter().map(|r| text(r, "unit")).find(|u| !u.is_empty());
            let sources = matching
                .iter()
                .filter_map(|r| source(r, number(r, "low"), number(r, "base"), number(r, "high")))
                .collect();
            let (name, default_unit) = tco_words(key);
            out.push(assumption(key.into(), name.into(), unit.unwrap_or_else(|| default_unit.into()), e, sources));
        }
    }
    let mut products: Vec<&str> = Vec::new();
    for o in &input.orders {
        if !products.contains(&o.product.as_str()) {
            products.push(&o.product);
        }
    }
    for id in products {
        let Some(p) = input.product(id) else { continue };
        let of_product = |table: &str, column: &str| -> Vec<&Map<String, Value>> {
            rows(table).iter().filter(|r| text(r, column) == id).collect()
        };
        let sources = of_product("products", "id")
            .into_iter()
            .filter_map(|r| {
                source(r, number(r, "price_low_usd"), number(r, "price_base_usd"), number(r, "price_high_usd"))
            })
            .collect();
        out.push(assumption(
            format!("price:{id}"),
            format!("{} price per accelerator", p.name),
            "USD".into(),
            &p.price_usd,
            sources,
        ));
        let sources = of_product("products", "id")
            .into_iter()
            .filter_map(|r| {
                let kw = number(r, "all_in_kw");
                source(r, kw, kw, kw)
            })
            .collect();
        out.push(assumption(
            format!("power:{id}"),
            format!("{} all-in power per accelerator (server, network, cooling share)", p.name),
            "kW".into(),
            &Estimate::fixed(p.all_in_kw),
            sources,
        ));
        if let Some(cloud) = &p.cloud_usd_per_hour {
            let sources = of_product("cloud_prices", "product_id")
                .into_iter()
                .filter_map(|r| {
                    source(
                        r,
                        number(r, "low_usd_per_hour"),
                        number(r, "base_usd_per_hour"),
                        number(r, "high_usd_per_hour"),
                    )
                })
                .collect();
            out.push(assumption(
                format!("cloud:{id}"),
                format!("{} cloud rental", p.name),
                "USD per GPU-hour".into(),
                cloud,
                sources,
            ));
        }
    }
    out
}

/// A TCO assumption's name in words and its usual unit.
fn tco_words(key: &str) -> (&'static str, &'static str) {
    match key {
        "pue" => ("Power usage effectiveness (PUE)", "ratio"),
        "electricity_usd_per_kwh" => ("Electricity price", "USD/kWh"),
        "utilisation" => ("Utilisation (share of hours doing useful work)", "share"),
        "facility_usd_per_kw_month" => ("Data-centre space, power and cooling", "USD/kW-month"),
        "staff_usd_per_month" => ("Staff to run the cluster", "USD/month"),
        "depreciation_years" => ("Useful life (depreciation)", "years"),
        "salvage_share" => ("Resale value at end of life", "share"),
        "discount_rate" => ("Discount rate", "share per year"),
        "server_usd_per_accelerator" => ("Server cost per accelerator (without it)", "USD"),
        "networking_share" => ("Networking", "share of capex"),
        "installation_share" => ("Installation", "share of capex"),
        _ => ("Other assumption", ""),
    }
}

fn text(row: &Map<String, Value>, column: &str) -> String {
    match row.get(column) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn number(row: &Map<String, Value>, column: &str) -> Option<f64> {
    match row.get(column) {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Shares of a map of totals, largest first, without the empty ones.
fn shares(totals: BTreeMap<String, f64>) -> Vec<Share> {
    let sum: f64 = totals.values().sum();
    let mut out: Vec<Share> = totals
        .into_iter()
        .filter(|(_, v)| *v > 0.0)
        .map(|(name, v)| Share { name, share: if sum > 0.0 { v / sum } else { 0.0 } })
        .collect();
    out.sort_by(|a, b| b.share.total_cmp(&a.share));
    out
}

/// Supplier concentration per technology and the regions of its capacity at each
/// December planned, with the concentration chart.
pub fn risk(input: &ModelInput, setting: Option<String>) -> Result<RiskReport> {
    let r = run(input, &RunOptions::default(), &NoProgress, &CancelToken::new())?;
    let ctx = context(input, &r, setting);
    let model = Model::new(input)?;
    let capacity = model.capacity(&Draw::base());
    let regions = input.regions();
    let region_of = |facility: &str| regions.get(facility).copied().unwrap_or("unknown").to_string();
    let at = |values: &[f64], month: Month| -> f64 {
        let i = capacity.from.months_until(month);
        if i < 0 {
            return 0.0;
        }
        values.get(i as usize).copied().unwrap_or(0.0)
    };
    let mut months: Vec<Month> = r.concentration.iter().map(|c| c.month).collect();
    months.sort();
    months.dedup();
    let mut technologies: Vec<TechnologyRisk> = r
        .concentration
        .iter()
        .filter_map(|c| {
            let id = c.technology.as_deref()?;
            let t = input.technology(id)?;
            let mut by_region: BTreeMap<String, f64> = BTreeMap::new();
            for ((tech, facility), values) in &capacity.by_facility {
                if tech == id {
                    *by_region.entry(region_of(facility)).or_default() += at(values, c.month);
                }
            }
            Some(TechnologyRisk {
                month: c.month,
                technology: id.to_string(),
                name: t.name.clone(),
                stage: t.stage,
                unit: t.capacity_unit.clone(),
                hhi: c.hhi,
                level: c.level,
                single_source: c.single_source,
                suppliers: c
                    .suppliers
                    .iter()
                    .map(|(name, share)| Share { name: name.clone(), share: *share })
                    .collect(),
                regions: shares(by_region),
            })
        })
        .collect();
    technologies.sort_by(|a, b| a.month.cmp(&b.month).then(a.stage.cmp(&b.stage)).then(b.hhi.total_cmp(&a.hhi)));
    let mut exposure = Vec::new();
    for &month in &months {
        let mut by_unit: BTreeMap<&str, (Vec<String>, BTreeMap<String, f64>)> = BTreeMap::new();
        for t in input.technologies.iter().filter(|t| t.stage == Stage::Packaging) {
            let mut counted = false;
            for ((tech, facility), values) in &capacity.by_facility {
                let v = at(values, month);
                if *tech == t.id && v > 0.0 {
                    let entry = by_unit.entry(t.capacity_unit.as_str()).or_default();
                    *entry.1.entry(region_of(facility)).or_default() += v;
                    if !counted {
                        entry.0.push(t.name.clone());
                        counted = true;
                    }
                }
            }
        }
        for (unit, (names, totals)) in by_unit {
            let total = totals.values().sum();
            exposure.push(RegionExposure {
                month,
                unit: unit.to_string(),
                technologies: names,
                total,
                regions: shares(totals),
            });
        }
    }
    let year: i32 = ctx.generated.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let chart_month = months.iter().copied().find(|m| m.year() == year).or_else(|| months.last().copied());
    Ok(RiskReport {
        scenario: r.scenario.clone(),
        chart_month,
        months,
        moderate: MODERATE,
        high: HIGH,
        technologies,
        exposure,
        datasets: input.provenance.clone(),
        charts: charts(RISK_CHARTS, &ctx),
    })
}

/// The tornado of the first order: each uncertain input at its P10 and P90 with the
/// others at base. Reports progress and stops on `cancel`.
pub fn sensitivity(
    input: &ModelInput,
    setting: Option<String>,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<Sensitivity> {
    if input.orders.is_empty() {
        return Err(Error::invalid(
            "the tornado measures what moves an order, and this scenario has none; add an order to the data (the orders table) first",
        ));
    }
    let stage = "Moving each uncertain input to its P10 and P90";
    progress.report(ProgressReport { stage: stage.into(), done: 0, total: Some(1), unit: "analyses" });
    let options = RunOptions { sensitivity: true, ..Default::default() };
    let r = run(input, &options, &NoProgress, cancel)?;
    progress.report(ProgressReport { stage: stage.into(), done: 1, total: Some(1), unit: "analyses" });
    let t = r.tornado.as_ref().ok_or_else(|| Error::internal("the sensitivity analysis gave no tornado"))?;
    let ctx = context(input, &r, setting);
    Ok(Sensitivity {
        scenario: r.scenario.clone(),
        order: t.order.clone(),
        product: product_name(input, &t.product),
        base_completion: t.base_completion,
        base_units: t.base_units,
        bars: t.bars.clone(),
        charts: charts(&["tornado"], &ctx),
    })
}
