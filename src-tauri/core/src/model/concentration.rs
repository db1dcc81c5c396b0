//! Concentration risk: how much of each stage of the supply chain sits with one
//! supplier or one region (docs/model.md, "Concentration").
//!
//! HHI is the sum of squared percentage shares of capacity (0 to 10,000). The
//! thresholds are those of the 2010 US DOJ/FTC horizontal merger guidelines:
//! below 1,500 unconcentrated, 1,500 to 2,500 moderately, above 2,500 highly
//! concentrated.

use std::collections::BTreeMap;

use serde::Serialize;

use super::input::ModelInput;
use super::supply::Capacity;
use crate::month::Month;
use crate::stage::Stage;

pub const MODERATE: f64 = 1500.0;
pub const HIGH: f64 = 2500.0;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StageConcentration {
    pub stage: Stage,
    /// The technologies counted (capacity is summed within a stage only when units agree;
    /// each technology is reported too).
    pub technology: Option<String>,
    pub month: Month,
    pub hhi: f64,
    pub level: &'static str,
    /// Supplier shares of capacity, largest first.
    pub suppliers: Vec<(String, f64)>,
    pub single_source: bool,
    /// The largest share held by one region, and that region.
    pub top_region: Option<(String, f64)>,
}

/// A stage, or one technology of it.
type Group = (Stage, Option<String>);

pub fn level(hhi: f64) -> &'static str {
    if hhi > HIGH {
        "highly concentrated"
    } else if hhi >= MODERATE {
        "moderately concentrated"
    } else {
        "unconcentrated"
    }
}

/// Concentration of every technology in `month`, and of every stage where all its
/// technologies share a unit.
pub fn concentration(input: &ModelInput, capacity: &Capacity, month: Month) -> Vec<StageConcentration> {
    let supplier_of: BTreeMap<&str, &str> =
        input.facilities.iter().map(|f| (f.id.as_str(), f.supplier.as_str())).collect();
    let regions = input.regions();
    let index = capacity.from.months_until(month);
    if index < 0 || index as usize >= capacity.months {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut groups: BTreeMap<Group, Vec<(&str, f64)>> = BTreeMap::new();
    let mut units: BTreeMap<Stage, Vec<&str>> = BTreeMap::new();
    for ((technology, facility), values) in &capacity.by_facility {
        let Some(t) = input.technology(technology) else { continue };
        let v = values[index as usize];
        groups.entry((t.stage, Some(technology.clone()))).or_default().push((facility.as_str(), v));
        groups.entry((t.stage, None)).or_default().push((facility.as_str(), v));
        units.entry(t.stage).or_default().push(t.capacity_unit.as_str());
    }
    for ((stage, technology), facilities) in groups {
        if technology.is_none() {
            let u = units.get(&stage).cloned().unwrap_or_default();
            if u.windows(2).any(|w| w[0] != w[1]) {
                continue; // wafers and panels do not add up
            }
        }
        let total: f64 = facilities.iter().map(|(_, v)| v).sum();
        if total <= 0.0 {
            continue;
        }
        let mut by_supplier: BTreeMap<String, f64> = BTreeMap::new();
        let mut by_region: BTreeMap<String, f64> = BTreeMap::new();
        for (f, v) in &facilities {
            *by_supplier.entry(supplier_of.get(f).copied().unwrap_or(f).to_string()).or_default() += v / total;
            *by_region.entry(regions.get(f).copied().unwrap_or("unknown").to_string()).or_default() += v / total;
        }
        let hhi = by_supplier.values().map(|s| (100.0 * s).powi(2)).sum();
        let mut suppliers: Vec<(String, f64)> = by_supplier.into_iter().filter(|(_, s)| *s > 0.0).collect();
        suppliers.sort_by(|a, b| b.1.total_cmp(&a.1));
        out.push(StageConcentration {
            stage,
            technology,
            month,
            hhi,
            level: level(hhi),
            single_source: suppliers.len() == 1,
            suppliers,
            top_region: by_region.into_iter().max_by(|a, b| a.1.total_cmp(&b.1)),
        });
    }
    out
}
