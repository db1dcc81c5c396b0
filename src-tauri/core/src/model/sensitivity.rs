//! Sensitivity: the tornado. Each uncertain input in turn goes to its P10 and its
//! P90 with every other input at base, and the swing of two results is measured:
//! the first order's completion month and the units of its product delivered by
//! the end of the horizon (docs/model.md, "Sensitivity"). Disruption events are
//! compared as "happens" against "does not happen".

use serde::Serialize;

use super::network::{Model, Plan};
use super::run::evaluate_orders;
use super::uncertain::{catalogue, Draw, Slot};
use crate::month::Month;
use crate::progress::CancelToken;
use crate::Result;

#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct TornadoBar {
    /// The input, in words.
    pub input: String,
    /// Completion month with the input at P10 and at P90 (`None`: beyond the horizon).
    pub completion_low: Option<Month>,
    pub completion_high: Option<Month>,
    /// Swing of the completion month, in months (beyond the horizon counts as horizon + 1).
    pub completion_swing_months: i32,
    pub units_low: f64,
    pub units_high: f64,
    pub units_swing: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tornado {
    pub order: String,
    pub product: String,
    pub base_completion: Option<Month>,
    pub base_units: f64,
    /// Widest completion swing first, then widest units swing.
    pub bars: Vec<TornadoBar>,
}

/// The tornado for the input's first order, around `plan`.
pub fn tornado(model: &Model<'_>, plan: &Plan, cancel: &CancelToken) -> Result<Tornado> {
    let input = model.input;
    let order = &input.orders[0];
    let pi = input.products.iter().position(|p| p.id == order.product).unwrap_or(0);
    let horizon_end = input.months as i32;
    let evaluate = |draw: &Draw| -> (Option<Month>, f64) {
        let units = model.follow(plan, draw);
        let evaluation = evaluate_orders(input, &units, draw);
        let completion = evaluation.orders.first().and_then(|o| o.completion);
        (completion, units[pi].iter().sum())
    };
    let index = |m: Option<Month>| m.map(|m| input.start.months_until(m)).unwrap_or(horizon_end);
    let (base_completion, base_units) = evaluate(&Draw::base());
    let mut bars = Vec::new();
    for u in catalogue(input, &model.series) {
        cancel.check()?;
        let (lo_u, hi_u) = match u.slot {
            Slot::DisruptionHappens(_) => (0.0, 1.0),
            _ => (0.1, 0.9),
        };
        let mut lo = Draw::base();
        lo.set(u.slot, lo_u);
        let mut hi = Draw::base();
        hi.set(u.slot, hi_u);
        if let Slot::DisruptionStart(i) = u.slot {
            // a start only matters when the event happens
            lo.set(Slot::DisruptionHappens(i), 0.0);
            hi.set(Slot::DisruptionHappens(i), 0.0);
        }
        let (cl, ul) = evaluate(&lo);
        let (ch, uh) = evaluate(&hi);
        bars.push(TornadoBar {
            input: u.name,
            completion_low: cl,
            completion_high: ch,
            completion_swing_months: (index(cl) - index(ch)).abs(),
            units_low: ul,
            units_high: uh,
            units_swing: (uh - ul).abs(),
        });
    }
    bars.retain(|b| b.completion_swing_months > 0 || b.units_swing > 1e-6 * base_units.max(1.0));
    bars.sort_by(|a, b| {
        b.completion_swing_months.cmp(&a.completion_swing_months).then(b.units_swing.total_cmp(&a.units_swing))
    });
    Ok(Tornado { order: order.id.clone(), product: order.product.clone(), base_completion, base_units, bars })
}
