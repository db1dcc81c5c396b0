//! Scenarios: a baseline and named variations written as overrides of the model
//! input (docs/model.md, "Scenarios"). Each override says one thing in planning
//! words ("CoPoS a year earlier", "HBM capacity -20%", "Taiwan packaging down for
//! three weeks") and [`Scenario::apply`] makes exactly that change.

use serde::{Deserialize, Serialize};

use super::estimate::Estimate;
use super::input::{Allocation, Allotted, Correlation, Disruption, ModelInput, Outage};
use crate::bundle::scenarios::{self, ScenarioEntry};
use crate::bundle::tables::Problem;
use crate::month::Month;
use crate::{Error, Result};

/// A named set of overrides. The baseline has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub overrides: Vec<Override>,
}

/// One change to the input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Override {
    /// Moves every capacity observation of a technology by `months` (positive: later).
    ShiftRamp { technology: String, months: i32 },
    /// Multiplies the capacity of a technology (or of one facility, or both filters).
    ScaleCapacity {
        #[serde(default)]
        #[ts(optional = nullable)]
        technology: Option<String>,
        #[serde(default)]
        #[ts(optional = nullable)]
        facility: Option<String>,
        factor: f64,
    },
    /// Takes a facility down (fully, or by `share_lost`) for a range of months.
    FacilityDown {
        facility: String,
        from: Month,
        to: Month,
        #[serde(default = "full")]
        share_lost: f64,
    },
    /// Multiplies assembly yields (of a product, of a route technology, or both filters), capped at 1.
    ScaleYield {
        #[serde(default)]
        #[ts(optional = nullable)]
        product: Option<String>,
        #[serde(default)]
        #[ts(optional = nullable)]
        technology: Option<String>,
        factor: f64,
    },
    /// Sets a customer's share of a technology from a month on.
    SetAllocation { technology: String, customer: String, from: Month, share: Estimate },
    /// Widens (factor > 1) the uncertainty of capacity figures (of one technology, or all).
    WidenUncertainty {
        #[serde(default)]
        #[ts(optional = nullable)]
        technology: Option<String>,
        factor: f64,
    },
    /// Adds a disruption event to the Monte Carlo.
    AddDisruption(Disruption),
    /// Changes an order.
    SetOrder {
        order: String,
        #[serde(default)]
        #[ts(optional = nullable)]
        quantity: Option<u64>,
        #[serde(default)]
        #[ts(optional = nullable)]
        needed_by: Option<Month>,
        #[serde(default)]
        #[ts(optional = nullable)]
        obtainable_share: Option<Estimate>,
    },
    /// Correlates two uncertain inputs (named as in the run's input list).
    Correlate(Correlation),
}

fn full() -> f64 {
    1.0
}

impl Scenario {
    /// A scenario of a bundle's `scenarios.json`, its overrides read as the model's.
    pub fn from_entry(entry: &ScenarioEntry) -> std::result::Result<Scenario, String> {
        let overrides = entry
            .overrides
            .iter()
            .enumerate()
            .map(|(i, o)| {
                serde_json::from_value::<Override>(o.clone()).map_err(|e| {
                    format!(
                        "the scenario {:?}: override {} is not one docs/model-input.md describes ({e})",
                        entry.name,
                        i + 1
                    )
                })
            })
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(Scenario { name: entry.name.clone(), description: entry.description.clone(), overrides })
    }
}

/// What is wrong with the overrides of the scenarios file among a bundle's `files`
/// (the bundle layer checks the file's shape; its overrides are the model's to read).
pub fn problems_in(files: &[(String, Vec<u8>)]) -> Vec<Problem> {
    files
        .iter()
        .filter(|(name, _)| name == scenarios::FILE)
        .filter_map(|(_, bytes)| scenarios::parse(bytes).ok())
        .flatten()
        .filter_map(|entry| Scenario::from_entry(&entry).err())
        .map(|message| scenarios::problem(1, 1, message))
        .collect()
}

/// Reads a whole `scenarios.json`: its shape (the bundle's rules) and each override.
pub fn parse_file(bytes: &[u8]) -> std::result::Result<Vec<Scenario>, Problem> {
    scenarios::parse(bytes)?
        .iter()
        .map(|e| Scenario::from_entry(e).map_err(|message| scenarios::problem(1, 1, message)))
        .collect()
}

impl Scenario {
    pub fn baseline() -> Scenario {
        Scenario {
            name: "Baseline".into(),
            description: "The figures as imported, without changes.".into(),
            overrides: Vec::new(),
        }
    }

    /// Applies every override in order; an override that matches nothing is an
    /// error (a misspelt id must not silently leave the baseline in place).
    pub fn apply(&self, input: &mut ModelInput) -> Result<()> {
        input.scenario = self.name.clone();
        for o in &self.overrides {
            o.apply(input).map_err(|e| Error::invalid(format!("scenario {:?}: {e}", self.name)))?;
        }
        Ok(())
    }
}

impl Override {
    pub fn apply(&self, input: &mut ModelInput) -> Result<()> {
        let none = |what: String| Error::invalid(format!("{what} matches nothing in the data; check the id"));
        match self {
            Override::ShiftRamp { technology, months } => {
                let mut n = 0;
                for c in input.capacity.iter_mut().filter(|c| c.technology == *technology) {
                    c.month = c.month.plus(*months);
                    n += 1;
                }
                for a in input.allocations.iter_mut().filter(|a| a.technology == *technology) {
                    a.from = a.from.plus(*months);
                    a.to = a.to.map(|t| t.plus(*months));
                }
                for t in input.technologies.iter_mut().filter(|t| t.id == *technology) {
                    t.first_month = t.first_month.map(|m| m.plus(*months));
                }
                if n == 0 {
                    return Err(none(format!("shifting the ramp of {technology}")));
                }
            }
            Override::ScaleCapacity { technology, facility, factor } => {
                check_factor(*factor)?;
                let mut n = 0;
                for c in input.capacity.iter_mut() {
                    if technology.as_ref().is_none_or(|t| *t == c.technology)
                        && facility.as_ref().is_none_or(|f| *f == c.facility)
                    {
                        c.value = c.value.scaled(*factor);
                        n += 1;
                    }
                }
                if n == 0 {
                    return Err(none(format!("scaling capacity of {technology:?} at {facility:?}")));
                }
            }
            Override::FacilityDown { facility, from, to, share_lost } => {
                if !input.capacity.iter().any(|c| c.facility == *facility) {
                    return Err(none(format!("taking down {facility}")));
                }
                input.outages.push(Outage {
                    facility: facility.clone(),
                    from: *from,
                    to: *to,
                    share_lost: *share_lost,
                });
            }
            Override::ScaleYield { product, technology, factor } => {
                check_factor(*factor)?;
                let mut n = 0;
                for r in input.routes.iter_mut() {
                    if product.as_ref().is_none_or(|p| *p == r.product)
                        && technology.as_ref().is_none_or(|t| *t == r.technology)
                    {
                        let y = r.assembly_yield.scaled(*factor);
                        r.assembly_yield =
                            Estimate { low: y.low.min(1.0), base: y.base.min(1.0), high: y.high.min(1.0), ..y };
                        n += 1;
                    }
                }
                if n == 0 {
                    return Err(none(format!("scaling yields of {product:?} on {technology:?}")));
                }
            }
            Override::SetAllocation { technology, customer, from, share } => {
                if input.technology(technology).is_none() {
                    return Err(none(format!("the allocation of {technology}")));
                }
                // the new share replaces rows of that customer from `from` on
                for a in input.allocations.iter_mut().filter(|a| a.technology == *technology && a.customer == *customer)
                {
                    if a.from < *from && a.to.is_none_or(|t| t >= *from) {
                        a.to = Some(from.plus(-1));
                    }
                }
                input
                    .allocations
                    .retain(|a| !(a.technology == *technology && a.customer == *customer && a.from >= *from));
                input.allocations.push(Allocation {
                    technology: technology.clone(),
                    customer: customer.clone(),
                    from: *from,
                    to: None,
                    amount: Allotted::Share(*share),
                    source: "scenario".into(),
                });
            }
            Override::WidenUncertainty { technology, factor } => {
                check_factor(*factor)?;
                let mut n = 0;
                for c in input.capacity.iter_mut().filter(|c| technology.as_ref().is_none_or(|t| *t == c.technology)) {
                    c.value = c.value.widened(*factor);
                    n += 1;
                }
                if n == 0 {
                    return Err(none(format!("widening the uncertainty of {technology:?}")));
                }
            }
            Override::AddDisruption(d) => input.disruptions.push(d.clone()),
            Override::SetOrder { order, quantity, needed_by, obtainable_share } => {
                let o = input
                    .orders
                    .iter_mut()
                    .find(|o| o.id == *order)
                    .ok_or_else(|| none(format!("the order {order}")))?;
                if let Some(q) = quantity {
                    o.quantity = *q;
                }
                if let Some(m) = needed_by {
                    o.needed_by = *m;
                }
                if let Some(s) = obtainable_share {
                    o.obtainable_share = *s;
                }
            }
            Override::Correlate(c) => input.correlations.push(c.clone()),
        }
        Ok(())
    }
}

fn check_factor(f: f64) -> Result<()> {
    if f.is_finite() && (0.0..=100.0).contains(&f) {
        Ok(())
    } else {
        Err(Error::invalid(format!("the factor {f} must be between 0 and 100")))
    }
}
