//! "Orders and TCO": every order's delivery, lateness and cost against the cloud,
//! and the assumptions behind the cost with their unit, source and dataset, read
//! from the table rows the input was assembled from.

use serde::Serialize;
use serde_json::{Map, Value};

use super::overview::{orders as order_reports, OrderReport};
use super::{charts, context, Charts, Edition};
use crate::bundle::rows::TableRows;
use crate::chart::kind::ChartKind;
use crate::model::estimate::Estimate;
use crate::model::input::{DatasetRef, ModelInput};
use crate::model::run::{run, RunOptions};
use crate::month::Month;
use crate::progress::{CancelToken, NoProgress};
use crate::Result;

/// The charts of "Orders and TCO", in screen order.
pub const CHARTS: &[ChartKind] = &[ChartKind::Tco, ChartKind::CostPerHour];

/// Where one figure of an assumption came from.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
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
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
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
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct OrdersReport {
    pub scenario: String,
    /// First and last month planned.
    pub months: [Month; 2],
    pub orders: Vec<OrderReport>,
    pub assumptions: Vec<Assumption>,
    pub datasets: Vec<DatasetRef>,
    #[serde(flatten)]
    pub charts: Charts,
}

/// Every order of `input` with its delivery and cost, and the cost assumptions with
/// their sources (from `tables`, the rows `input` was assembled from; empty tables
/// leave the sources empty).
pub fn orders(input: &ModelInput, tables: &TableRows, edition: &Edition) -> Result<OrdersReport> {
    let r = run(input, &RunOptions::default(), &NoProgress, &CancelToken::new())?;
    Ok(OrdersReport {
        scenario: r.scenario.clone(),
        months: [input.start, input.end().plus(-1)],
        orders: order_reports(input, &r),
        assumptions: assumptions(input, tables),
        datasets: input.provenance.clone(),
        charts: charts(CHARTS, &context(input, &r, None, edition))?,
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
