//! Comparing two runs: how much the plan moved and why, in the constraints that
//! started or stopped binding (docs/model.md, "Scenarios").

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::run::RunResult;
use crate::month::Month;

#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct ProductDelta {
    pub product: String,
    pub units_a: f64,
    pub units_b: f64,
    pub delta: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct OrderDelta {
    pub order: String,
    pub completion_a: Option<Month>,
    pub completion_b: Option<Month>,
    /// Months later (positive) or earlier in B; `None` when either is beyond the horizon.
    pub shift_months: Option<i32>,
}

/// A resource whose binding months differ between the runs.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct ConstraintChange {
    /// The resource as the user reads it ("HBM3E at NVIDIA's allocation").
    pub resource: String,
    /// Months it binds in B but not in A.
    pub newly_binding: Vec<Month>,
    /// Months it binds in A but not in B.
    pub no_longer_binding: Vec<Month>,
}

#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct Comparison {
    pub a: String,
    pub b: String,
    pub objective_delta: f64,
    pub products: Vec<ProductDelta>,
    pub orders: Vec<OrderDelta>,
    pub constraints: Vec<ConstraintChange>,
    /// Months whose main bottleneck differs: (month, in A, in B), named as the user reads them.
    pub bottleneck_changes: Vec<(Month, Option<String>, Option<String>)>,
}

pub fn compare(a: &RunResult, b: &RunResult) -> Comparison {
    let total = |r: &RunResult, p: &str| r.network.units_of(p).map(|u| u.iter().sum()).unwrap_or(0.0);
    let mut ids: Vec<&str> = a.network.products.iter().map(|p| p.product.as_str()).collect();
    for p in &b.network.products {
        if !ids.contains(&p.product.as_str()) {
            ids.push(&p.product);
        }
    }
    let products = ids
        .into_iter()
        .map(|p| {
            let (ua, ub) = (total(a, p), total(b, p));
            ProductDelta { product: p.to_string(), units_a: ua, units_b: ub, delta: ub - ua }
        })
        .collect();
    let orders = a
        .orders
        .iter()
        .map(|oa| {
            let cb = b.orders.iter().find(|o| o.order == oa.order).and_then(|o| o.completion);
            OrderDelta {
                order: oa.order.clone(),
                completion_a: oa.completion,
                completion_b: cb,
                shift_months: oa.completion.zip(cb).map(|(x, y)| x.months_until(y)),
            }
        })
        .collect();
    let binding = |r: &RunResult| -> BTreeMap<String, BTreeSet<Month>> {
        let mut m: BTreeMap<String, BTreeSet<Month>> = BTreeMap::new();
        for bnd in &r.network.binding {
            m.entry(bnd.name.clone()).or_default().insert(bnd.month);
        }
        m
    };
    let (ba, bb) = (binding(a), binding(b));
    let resources: BTreeSet<&String> = ba.keys().chain(bb.keys()).collect();
    let empty = BTreeSet::new();
    let constraints = resources
        .into_iter()
        .filter_map(|res| {
            let (sa, sb) = (ba.get(res).unwrap_or(&empty), bb.get(res).unwrap_or(&empty));
            let change = ConstraintChange {
                resource: res.clone(),
                newly_binding: sb.difference(sa).copied().collect(),
                no_longer_binding: sa.difference(sb).copied().collect(),
            };
            (!change.newly_binding.is_empty() || !change.no_longer_binding.is_empty()).then_some(change)
        })
        .collect();
    let bottleneck_changes = a
        .months
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let x = a.network.bottlenecks.get(i).cloned().flatten().map(|b| b.name);
            let y = b.network.bottlenecks.get(i).cloned().flatten().map(|b| b.name);
            (x != y).then_some((*m, x, y))
        })
        .collect();
    Comparison {
        a: a.scenario.clone(),
        b: b.scenario.clone(),
        objective_delta: b.objective - a.objective,
        products,
        orders,
        constraints,
        bottleneck_changes,
    }
}
