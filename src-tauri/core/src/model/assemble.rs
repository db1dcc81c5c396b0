//! Assembles a [`ModelInput`] from data tables (the vault's effective rows, or the
//! CSV files of a bundle or of `assets/demo`), a scenario and a horizon.
//!
//! Rows arrive as JSON objects keyed by column name (what `dataset::data_list`
//! returns), so this stays pure: the caller reads the vault, this only maps
//! columns to the model's structure. Every capacity observation keeps its source
//! and dataset, so every figure can be traced back.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::estimate::Estimate;
use super::input::*;
use super::scenario::Scenario;
use crate::carrier::Carrier;
use crate::horizon::Horizon;
use crate::month::Month;
use crate::stage::Stage;
use crate::{Error, Result};

use super::orders::{DeliveryLags, SupplyTerms};
use crate::bundle::rows::TableRows;

struct RowRef<'a> {
    table: &'a str,
    row: &'a Map<String, Value>,
}

impl RowRef<'_> {
    fn text(&self, column: &str) -> Result<String> {
        match self.row.get(column) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(Value::Number(n)) => Ok(n.to_string()),
            Some(Value::Bool(b)) => Ok(b.to_string()),
            _ => Err(self.missing(column)),
        }
    }

    fn opt_text(&self, column: &str) -> Option<String> {
        self.text(column).ok().filter(|s| !s.is_empty())
    }

    fn number(&self, column: &str) -> Result<f64> {
        self.opt_number(column).ok_or_else(|| self.missing(column))
    }

    fn opt_number(&self, column: &str) -> Option<f64> {
        match self.row.get(column) {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        }
    }

    fn month(&self, column: &str) -> Result<Month> {
        self.text(column)?.parse()
    }

    fn opt_month(&self, column: &str) -> Result<Option<Month>> {
        self.opt_text(column).map(|t| t.parse()).transpose()
    }

    fn estimate(&self, low: &str, base: &str, high: &str) -> Result<Estimate> {
        Ok(Estimate::new(self.number(low)?, self.number(base)?, self.number(high)?, Default::default()))
    }

    fn dataset(&self) -> String {
        self.opt_text("dataset_id").unwrap_or_default()
    }

    /// A value of `column` the model cannot take, with why.
    fn invalid(&self, column: &str, why: &Error) -> Error {
        Error::invalid(format!("{} {}: {}", self.table, column, why.message()))
    }

    fn missing(&self, column: &str) -> Error {
        let id = self.row.get("id").and_then(|v| v.as_str()).unwrap_or("?");
        Error::invalid(format!(
            "the {} row {id:?} has no usable {column}; fix the data (docs/bundle-format.md lists every column)",
            self.table
        ))
    }
}

fn rows<'a>(tables: &'a TableRows, name: &'a str) -> impl Iterator<Item = RowRef<'a>> + 'a {
    tables.get(name).into_iter().flatten().map(move |row| RowRef { table: name, row })
}

/// Builds the input of `scenario` over `horizon` from `tables`.
pub fn assemble(
    tables: &TableRows,
    provenance: Vec<DatasetRef>,
    scenario: &Scenario,
    horizon: &Horizon,
) -> Result<ModelInput> {
    let mut technologies = Vec::new();
    for r in rows(tables, "technologies") {
        let stage: Stage = r.text("stage")?.parse().map_err(|e: Error| r.invalid("stage", &e))?;
        let carrier = Carrier::from_column(&r.text("carrier")?, || {
            Ok((r.number("carrier_width_mm")?, r.number("carrier_height_mm")?))
        })
        .map_err(|e| r.invalid("carrier", &e))?;
        technologies.push(Technology {
            id: r.text("id")?,
            name: r.text("name")?,
            stage,
            carrier,
            capacity_unit: r.text("capacity_unit")?,
            lead_time_months: r.opt_number("lead_time_months").unwrap_or(0.0).max(0.0) as u32,
            first_month: r.opt_month("first_month")?,
            ramp_months: r.opt_number("ramp_months").map(|m| m.clamp(1.0, 36.0) as u32),
            family: r.opt_text("family"),
        });
    }
    let suppliers: BTreeMap<String, String> =
        rows(tables, "suppliers").filter_map(|r| Some((r.text("id").ok()?, r.text("name").ok()?))).collect();
    let mut facilities = Vec::new();
    for r in rows(tables, "facilities") {
        let supplier = r.text("supplier_id")?;
        facilities.push(Facility {
            id: r.text("id")?,
            supplier: suppliers.get(&supplier).cloned().unwrap_or(supplier),
            name: r.text("name")?,
            region: r.opt_text("region").or_else(|| r.opt_text("country")).unwrap_or_else(|| "unknown".into()),
        });
    }
    let mut capacity = Vec::new();
    for r in rows(tables, "capacity_observations") {
        let technology = r.text("technology_id")?;
        // a figure in another unit would be read as the technology's (stacks as GB, say)
        if let (Some(unit), Some(t)) = (r.opt_text("unit"), technologies.iter().find(|t| t.id == technology)) {
            if unit.trim() != t.capacity_unit.trim() {
                return Err(Error::invalid(format!(
                    "a capacity figure of {technology} at {} for {} is in {unit:?}, but {technology} counts capacity in {:?}; \
                     convert the figure to {:?} (HBM: stacks x GB per stack) or correct its unit",
                    r.text("facility_id")?,
                    r.text("month")?,
                    t.capacity_unit,
                    t.capacity_unit
                )));
            }
        }
        capacity.push(CapacityObservation {
            facility: r.text("facility_id")?,
            technology,
            month: r.month("month")?,
            value: r.estimate("low", "base", "high")?,
            source: r.text("source")?,
            as_of: r.opt_text("as_of").unwrap_or_default(),
            dataset: r.dataset(),
            confidence: r.opt_text("confidence").and_then(|g| g.parse().ok()).unwrap_or(crate::grade::Grade::B),
            publisher: r.opt_text("publisher"),
        });
    }
    let mut allocations = Vec::new();
    for r in rows(tables, "allocations") {
        allocations.push(Allocation {
            technology: r.text("technology_id")?,
            customer: r.text("customer")?,
            from: r.month("from_month")?,
            to: r.opt_month("to_month")?,
            amount: match r.opt_number("share_base") {
                Some(_) => Allotted::Share(r.estimate("share_low", "share_base", "share_high")?),
                None => Allotted::PerMonth(r.estimate("per_month_low", "per_month_base", "per_month_high")?),
            },
            source: r.opt_text("source").unwrap_or_default(),
        });
    }
    let mut qualifications = Vec::new();
    for r in rows(tables, "qualifications") {
        qualifications.push(Qualification {
            customer: r.text("customer")?,
            technology: r.text("technology_id")?,
            facility: r.text("facility_id")?,
            from: r.month("from_month")?,
            source: r.opt_text("source").unwrap_or_default(),
        });
    }
    let mut demand = Vec::new();
    for r in rows(tables, "demand") {
        demand.push(Demand {
            customer: r.text("customer")?,
            from: r.month("from_month")?,
            to: r.opt_month("to_month")?,
            units_per_month: r.number("units_per_month")?,
            source: r.opt_text("source").unwrap_or_default(),
        });
    }
    let mut actuals = Vec::new();
    for r in rows(tables, "actuals") {
        actuals.push(Actual {
            product: r.text("product_id")?,
            from: r.month("from_month")?,
            to: r.month("to_month")?,
            units: r.number("units")?,
            source: r.opt_text("source").unwrap_or_default(),
        });
    }
    let mut cloud: BTreeMap<String, Estimate> = BTreeMap::new();
    for r in rows(tables, "cloud_prices") {
        // several sources: the envelope, as for capacity
        let e = r.estimate("low_usd_per_hour", "base_usd_per_hour", "high_usd_per_hour")?;
        cloud
            .entry(r.text("product_id")?)
            .and_modify(|c| {
                *c = Estimate::new(c.low.min(e.low), (c.base + e.base) / 2.0, c.high.max(e.high), c.distribution)
            })
            .or_insert(e);
    }
    let mut products = Vec::new();
    for r in rows(tables, "products") {
        let id = r.text("id")?;
        let d0 = r.number("defect_density_per_cm2")?;
        let price = r.estimate("price_low_usd", "price_base_usd", "price_high_usd")?;
        products.push(Product {
            cloud_usd_per_hour: cloud.get(&id).copied(),
            id,
            name: r.text("name")?,
            vendor: r.text("vendor")?,
            interposer_width_mm: r.number("interposer_width_mm")?,
            interposer_height_mm: r.number("interposer_height_mm")?,
            compute_dies: r.number("compute_dies")?.max(1.0) as u32,
            compute_die_area_mm2: r.number("compute_die_area_mm2")?,
            logic_technology: r.text("logic_technology_id")?,
            // defect density: +/- 25% around the stated D0 unless a scenario says otherwise
            defect_density_per_cm2: Estimate::new(d0 * 0.75, d0, d0 * 1.25, Default::default()),
            clustering_alpha: r.number("clustering_alpha")?,
            hbm_technology: r.text("hbm_technology_id")?,
            hbm_stacks: r.number("hbm_stacks")?.max(0.0) as u32,
            hbm_gb_per_stack: r.opt_number("hbm_gb_per_stack"),
            substrate_technology: r.opt_text("substrate_technology_id"),
            all_in_kw: r.number("all_in_kw")?,
            price_usd: price,
            tokens_per_second: r.opt_number("tokens_per_second"),
            // scarce capacity goes to the most valuable products, as vendors do: weight = base price in k$
            priority_weight: (price.base / 1000.0).max(0.001),
            demand_cap_per_month: None,
            available_from: r.opt_month("available_from")?,
            available_to: r.opt_month("available_to")?,
        });
    }
    let mut routes = Vec::new();
    for r in rows(tables, "product_routes") {
        routes.push(Route {
            product: r.text("product_id")?,
            technology: r.text("technology_id")?,
            assembly_yield: r.estimate("assembly_yield_low", "assembly_yield_base", "assembly_yield_high")?,
            preferred: matches!(r.row.get("preferred"), Some(Value::Bool(true)))
                || r.opt_text("preferred").as_deref() == Some("true"),
        });
    }
    let mut orders = Vec::new();
    for r in rows(tables, "orders") {
        let share = r.number("obtainable_share")?;
        orders.push(Order {
            id: r.text("id")?,
            product: r.text("product_id")?,
            quantity: r.number("quantity")?.max(1.0) as u64,
            needed_by: r.month("needed_by")?,
            // the obtainable share is a negotiation outcome: +/- 40% unless a scenario says otherwise
            obtainable_share: Estimate::new(share * 0.6, share, (share * 1.4).min(1.0), Default::default()),
            priority: r.opt_number("priority").unwrap_or(1.0).max(1.0) as u32,
            placed: r.opt_month("placed")?,
            lags: order_lags(&r),
            supply_line: r.opt_text("supply_line"),
            terms: SupplyTerms {
                allocation_per_month: r.opt_number("allocation_per_month"),
                allocation_from: r.opt_month("allocation_from")?,
                queue_ahead: r.opt_number("queue_ahead").unwrap_or(0.0),
            },
        });
    }
    let tco = assemble_tco(tables)?;
    let mut input = ModelInput {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        scenario: scenario.name.clone(),
        today: horizon.today,
        start: horizon.start,
        months: horizon.months,
        earlier_preference: 0.85,
        stock_loss_per_month: super::input::DEFAULT_STOCK_LOSS_PER_MONTH,
        geometry: Default::default(),
        yield_model: Default::default(),
        technologies,
        facilities,
        capacity,
        allocations,
        qualifications,
        demand,
        actuals,
        products,
        routes,
        orders,
        tco,
        disruptions: Vec::new(),
        correlations: Vec::new(),
        outages: Vec::new(),
        provenance,
        marking: None,
        marking_policy: Default::default(),
    };
    scenario.apply(&mut input)?;
    input.validate()?;
    Ok(input)
}

/// An order's lags: each column the row gives, the documented default for the rest.
fn order_lags(r: &RowRef<'_>) -> DeliveryLags {
    let d = DeliveryLags::default();
    let weeks = |column: &str, default: u32| r.opt_number(column).map_or(default, |w| w.max(0.0).round() as u32);
    DeliveryLags {
        booking_weeks: weeks("booking_weeks", d.booking_weeks),
        test_weeks: weeks("test_weeks", d.test_weeks),
        integration_weeks: weeks("integration_weeks", d.integration_weeks),
        shipping_weeks: weeks("shipping_weeks", d.shipping_weeks),
    }
}

fn assemble_tco(tables: &TableRows) -> Result<Option<TcoAssumptions>> {
    let mut values: BTreeMap<String, Vec<Estimate>> = BTreeMap::new();
    for r in rows(tables, "tco_assumptions") {
        values.entry(r.text("key")?).or_default().push(r.estimate("low", "base", "high")?);
    }
    if values.is_empty() {
        return Ok(None);
    }
    let get = |key: &str| -> Result<Estimate> {
        let list = values.get(key).ok_or_else(|| {
            Error::invalid(format!("the TCO assumptions have no {key:?}; add a tco_assumptions row for it"))
        })?;
        let n = list.len() as f64;
        Ok(Estimate::new(
            list.iter().map(|e| e.low).fold(f64::INFINITY, f64::min),
            list.iter().map(|e| e.base).sum::<f64>() / n,
            list.iter().map(|e| e.high).fold(f64::NEG_INFINITY, f64::max),
            Default::default(),
        ))
    };
    Ok(Some(TcoAssumptions {
        pue: get("pue")?,
        electricity_usd_per_kwh: get("electricity_usd_per_kwh")?,
        utilisation: get("utilisation")?,
        facility_usd_per_kw_month: get("facility_usd_per_kw_month")?,
        staff_usd_per_month: get("staff_usd_per_month")?,
        depreciation_years: get("depreciation_years")?,
        salvage_share: get("salvage_share")?,
        discount_rate: get("discount_rate")?,
        server_usd_per_accelerator: get("server_usd_per_accelerator")?,
        networking_share: get("networking_share")?,
        installation_share: get("installation_share")?,
    }))
}
