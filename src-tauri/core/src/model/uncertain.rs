//! The uncertain inputs of a run, named in words, and a [`Draw`]: the value each of
//! them takes in one evaluation (base for the deterministic solve, a quantile for a
//! Monte Carlo trial, P10 or P90 for a tornado bar).
//!
//! A capacity series (one facility and technology over time) is one input: one
//! draw moves its whole ramp together (docs/model.md, "Monte Carlo").

use super::estimate::{Estimate, Sampler};
use super::input::{Allotted, ModelInput};
use super::supply::Series;

/// Where an uncertain input lives in the model input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slot {
    /// A capacity series (index into the run's series).
    Series(usize),
    Allocation(usize),
    AssemblyYield(usize),
    DefectDensity(usize),
    Price(usize),
    CloudPrice(usize),
    OrderShare(usize),
    Tco(usize),
    /// Whether disruption `i` happens (u below its probability).
    DisruptionHappens(usize),
    /// Where in its window disruption `i` starts.
    DisruptionStart(usize),
}

/// One uncertain input.
#[derive(Debug, Clone)]
pub struct Uncertain {
    /// Its name in words ("CoWoS-L capacity at TSMC CoWoS fabs").
    pub name: String,
    pub slot: Slot,
    /// The estimate behind it (`None` for disruption events, which draw a uniform).
    pub estimate: Option<Estimate>,
}

/// Lists every input with a spread, in a stable order.
pub fn catalogue(input: &ModelInput, series: &[Series]) -> Vec<Uncertain> {
    let mut out = Vec::new();
    let tech_name = |id: &str| input.technology(id).map(|t| t.name.clone()).unwrap_or_else(|| id.to_string());
    let facility_name = |id: &str| input.facility(id).map(|f| f.name.clone()).unwrap_or_else(|| id.to_string());
    let product_name = |id: &str| input.product(id).map(|p| p.name.clone()).unwrap_or_else(|| id.to_string());
    for (i, s) in series.iter().enumerate() {
        if s.points.iter().any(|p| !p.value.is_fixed()) {
            out.push(Uncertain {
                name: format!("{} capacity at {}", tech_name(&s.technology), facility_name(&s.facility)),
                slot: Slot::Series(i),
                estimate: None,
            });
        }
    }
    for (i, a) in input.allocations.iter().enumerate() {
        push(
            &mut out,
            match a.amount {
                Allotted::Share(_) => format!("{}'s share of {} from {}", a.customer, tech_name(&a.technology), a.from),
                Allotted::PerMonth(_) => {
                    format!("{}'s volume of {} a month from {}", a.customer, tech_name(&a.technology), a.from)
                }
            },
            Slot::Allocation(i),
            a.amount.estimate(),
        );
    }
    for (i, r) in input.routes.iter().enumerate() {
        push(
            &mut out,
            format!("{} assembly yield on {}", product_name(&r.product), tech_name(&r.technology)),
            Slot::AssemblyYield(i),
            &r.assembly_yield,
        );
    }
    for (i, p) in input.products.iter().enumerate() {
        push(&mut out, format!("{} logic defect density", p.name), Slot::DefectDensity(i), &p.defect_density_per_cm2);
        push(&mut out, format!("{} price", p.name), Slot::Price(i), &p.price_usd);
        if let Some(c) = &p.cloud_usd_per_hour {
            push(&mut out, format!("{} cloud price per hour", p.name), Slot::CloudPrice(i), c);
        }
    }
    for (i, o) in input.orders.iter().enumerate() {
        // one draw per supply line: its first order's
        if input.orders[..i].iter().any(|f| f.line() == o.line()) {
            continue;
        }
        push(
            &mut out,
            format!("order {}: obtainable share of {}", o.id, product_name(&o.product)),
            Slot::OrderShare(i),
            &o.obtainable_share,
        );
    }
    if let Some(t) = &input.tco {
        for (i, (name, e)) in t.named().into_iter().enumerate() {
            push(&mut out, format!("TCO {}", name.replace('_', " ")), Slot::Tco(i), e);
        }
    }
    for (i, d) in input.disruptions.iter().enumerate() {
        if d.probability > 0.0 {
            out.push(Uncertain {
                name: format!("disruption: {}", d.name),
                slot: Slot::DisruptionHappens(i),
                estimate: None,
            });
            if d.start_to > d.start_from {
                out.push(Uncertain {
                    name: format!("disruption start: {}", d.name),
                    slot: Slot::DisruptionStart(i),
                    estimate: None,
                });
            }
        }
    }
    out
}

fn push(out: &mut Vec<Uncertain>, name: String, slot: Slot, e: &Estimate) {
    if !e.is_fixed() {
        out.push(Uncertain { name, slot, estimate: Some(*e) });
    }
}

/// The value every uncertain input takes in one evaluation.
#[derive(Debug, Clone, Default)]
pub struct Draw {
    /// `(slot, u)` pairs: the cumulative probability drawn for the slot. Slots not
    /// listed take their base value (and disruptions do not happen).
    pub u: std::collections::BTreeMap<Slot, f64>,
    /// Quantile tables for estimate slots, to make Monte Carlo fast.
    samplers: Option<std::sync::Arc<std::collections::BTreeMap<Slot, Sampler>>>,
}

impl Draw {
    /// Every input at base.
    pub fn base() -> Draw {
        Draw::default()
    }

    pub fn with_samplers(mut self, samplers: std::sync::Arc<std::collections::BTreeMap<Slot, Sampler>>) -> Draw {
        self.samplers = Some(samplers);
        self
    }

    pub fn set(&mut self, slot: Slot, u: f64) {
        self.u.insert(slot, u);
    }

    /// The value of an estimate in `slot`.
    pub fn value(&self, slot: Slot, e: &Estimate) -> f64 {
        match self.u.get(&slot) {
            None => e.base,
            Some(&u) => match self.samplers.as_ref().and_then(|s| s.get(&slot)) {
                Some(sampler) => sampler.at(u),
                None => e.quantile(u),
            },
        }
    }

    /// The uniform draw of a slot, if it has one.
    pub fn uniform(&self, slot: Slot) -> Option<f64> {
        self.u.get(&slot).copied()
    }
}

/// Quantile tables for every estimate in the catalogue.
pub fn samplers(catalogue: &[Uncertain]) -> std::collections::BTreeMap<Slot, Sampler> {
    catalogue.iter().filter_map(|c| c.estimate.map(|e| (c.slot, e.sampler()))).collect()
}
