//! Orders: when the user's accelerators arrive (docs/model.md, "Orders"). An order
//! receives its obtainable share of the product's output each month until its
//! quantity is met; several orders of one product each take their own share.

use serde::Serialize;

use super::input::Order;
use crate::month::Month;

/// The delivery schedule of one order.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OrderOutcome {
    pub order: String,
    pub product: String,
    pub quantity: u64,
    pub needed_by: Month,
    pub share: f64,
    /// Accelerators received in each planned month.
    pub deliveries: Vec<f64>,
    /// The month the last accelerator arrives (`None`: not within the horizon).
    pub completion: Option<Month>,
    /// Accelerators received by the end of the needed-by month.
    pub received_by_needed_by: f64,
    pub on_time: bool,
}

/// Delivers `order` from the product's monthly `units` at obtainable `share`.
///
/// ```
/// use packplan_core::model::{input::Order, orders::deliver, estimate::Estimate};
/// let order = Order { id: "a".into(), product: "b300".into(), quantity: 30, needed_by: "2027-03".parse().unwrap(),
///                     obtainable_share: Estimate::fixed(0.1), priority: 1 };
/// let out = deliver(&order, 0.1, &[100.0, 100.0, 200.0, 200.0], "2027-01".parse().unwrap());
/// assert_eq!(out.deliveries, vec![10.0, 10.0, 10.0, 0.0]);
/// assert_eq!(out.completion.unwrap().to_string(), "2027-03");
/// assert!(out.on_time);
/// ```
pub fn deliver(order: &Order, share: f64, units: &[f64], start: Month) -> OrderOutcome {
    let quantity = order.quantity as f64;
    let tolerance = 1e-6 * quantity.max(1.0);
    let mut received = 0.0;
    let mut completion = None;
    let mut by_needed_by = 0.0;
    let deliveries: Vec<f64> = units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let d = (share * u.max(0.0)).min((quantity - received).max(0.0));
            received += d;
            let month = start.plus(i as i32);
            if completion.is_none() && received >= quantity - tolerance {
                completion = Some(month);
            }
            if month <= order.needed_by {
                by_needed_by = received;
            }
            d
        })
        .collect();
    OrderOutcome {
        order: order.id.clone(),
        product: order.product.clone(),
        quantity: order.quantity,
        needed_by: order.needed_by,
        share,
        deliveries,
        completion,
        received_by_needed_by: by_needed_by,
        on_time: completion.is_some_and(|c| c <= order.needed_by),
    }
}
