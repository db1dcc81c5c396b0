//! Orders: when the user's accelerators arrive (docs/model.md, "Orders"). An order
//! receives its obtainable share of the product's packaged output each month, from
//! the first month a unit can be packaged for it (after today, and after it was placed
//! and booked), until its quantity is met; each unit then arrives after the delivery
//! lags (test and burn-in, system integration, shipping). Several orders of one
//! product each take their own share, unless they name one supply line, whose
//! [`SupplyTerms`] may also cap it at an allocation in units a month and put units
//! of others ahead of it in a queue.

use serde::{Deserialize, Serialize};

use super::input::Order;
use crate::horizon::Horizon;
use crate::month::Month;

/// Weeks in a month on average (365.25 / 12 / 7).
pub const WEEKS_PER_MONTH: f64 = 4.348_214;

/// The time between a buyer's order and its accelerators arriving, in weeks, besides
/// packaging itself (docs/model.md, "Orders", with the sources of the defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DeliveryLags {
    /// From placing the order to its first unit entering packaging (booking, allocation).
    pub booking_weeks: u32,
    /// Final test and burn-in of the packaged accelerator.
    pub test_weeks: u32,
    /// Building the servers or racks around it (ODM/OEM).
    pub integration_weeks: u32,
    /// Shipping to the site.
    pub shipping_weeks: u32,
}

impl Default for DeliveryLags {
    /// The documented defaults: 4 weeks booking, 4 test and burn-in, 6 integration, 2 shipping.
    fn default() -> Self {
        DeliveryLags { booking_weeks: 4, test_weeks: 4, integration_weeks: 6, shipping_weeks: 2 }
    }
}

impl DeliveryLags {
    /// No lag at all: a unit arrives the month it is packaged (for tests and hand checks).
    pub const NONE: DeliveryLags =
        DeliveryLags { booking_weeks: 0, test_weeks: 0, integration_weeks: 0, shipping_weeks: 0 };

    /// Months from placing the order to the first month it may take packaged output.
    pub fn booking_months(&self) -> i32 {
        months(self.booking_weeks)
    }

    /// Months from a unit's packaging to its arrival: the three later lags together,
    /// rounded up once (so four lags of a week do not become four months).
    pub fn after_packaging_months(&self) -> i32 {
        months(self.test_weeks + self.integration_weeks + self.shipping_weeks)
    }

    /// The longest lag any one part may have (two years).
    pub const MAX_WEEKS: u32 = 104;
}

/// What a supply line promises beyond its obtainable share of the product's output:
/// an allocation (an OEM's or a distributor's commitment in units a month, from a
/// month) and a position in a queue (units the line serves to others first, counted
/// from today). docs/model.md, "Orders".
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct SupplyTerms {
    /// At most this many accelerators a month reach the line (`None`: its share only).
    #[serde(default)]
    pub allocation_per_month: Option<f64>,
    /// The first month of the allocation; nothing reaches the line before it (`None`: today).
    #[serde(default)]
    pub allocation_from: Option<Month>,
    /// Accelerators ahead of the line's orders in the queue, served first from today on.
    #[serde(default)]
    pub queue_ahead: f64,
}

impl SupplyTerms {
    /// What reaches the line in `month` of `offered` (its share of the month's output).
    fn cap(&self, month: Month, offered: f64) -> f64 {
        match (self.allocation_per_month, self.allocation_from) {
            (Some(_), Some(from)) if month < from => 0.0,
            (Some(allocation), _) => offered.min(allocation),
            (None, _) => offered,
        }
    }
}

fn months(weeks: u32) -> i32 {
    (weeks as f64 / WEEKS_PER_MONTH).ceil() as i32
}

/// The delivery schedule of one order.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OrderOutcome {
    pub order: String,
    pub product: String,
    pub quantity: u64,
    pub needed_by: Month,
    pub share: f64,
    /// The month the order was placed (today when the data does not say).
    pub placed: Month,
    /// The first month whose packaged output can go to this order: the later of
    /// today and placed + booking.
    pub earliest_packaging: Month,
    /// Months from a unit's packaging to its arrival.
    pub lag_months: i32,
    /// Accelerators packaged for the order in each planned month.
    pub packaged: Vec<f64>,
    /// Accelerators received in each planned month (packaged, lag months earlier).
    pub deliveries: Vec<f64>,
    /// The month the last accelerator arrives (`None`: not within the horizon).
    pub completion: Option<Month>,
    /// Accelerators received by the end of the needed-by month.
    pub received_by_needed_by: f64,
    pub on_time: bool,
}

/// Delivers `order` from the product's monthly `units` (one per month of `window`)
/// at obtainable `share`.
///
/// ```
/// use packplan_core::horizon::Horizon;
/// use packplan_core::model::{input::Order, orders::{deliver, DeliveryLags}, estimate::Estimate};
/// let m = |s: &str| s.parse().unwrap();
/// let order = Order { id: "a".into(), product: "b300".into(), quantity: 30, needed_by: m("2027-05"),
///                     obtainable_share: Estimate::fixed(0.1), priority: 1, placed: Some(m("2026-12")), supply_line: None,
///                     terms: Default::default(),
///                     lags: DeliveryLags { booking_weeks: 4, test_weeks: 3, integration_weeks: 8, shipping_weeks: 1 } };
/// // today is 2027-01: placed in December and booked for a month, the order takes output from January;
/// // each unit arrives 12 weeks (3 months) after it is packaged
/// let window = Horizon { today: m("2027-01"), start: m("2026-11"), months: 8 };
/// let out = deliver(&order, 0.1, &[100.0; 8], &window);
/// assert_eq!(out.packaged, vec![0.0, 0.0, 10.0, 10.0, 10.0, 0.0, 0.0, 0.0]);
/// assert_eq!(out.deliveries, vec![0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 10.0, 10.0]);
/// assert_eq!(out.completion.unwrap().to_string(), "2027-06");
/// assert!(!out.on_time);
/// ```
pub fn deliver(order: &Order, share: f64, units: &[f64], window: &Horizon) -> OrderOutcome {
    let mut outcomes = deliver_line(&[order], share, units, window);
    outcomes.remove(0)
}

/// Delivers the orders of one supply line, which together obtain `share` of the
/// product's monthly `units`, capped by the line's allocation from its month: each
/// month the line's capacity first serves the units ahead of it in its queue (from
/// today on), then goes to its orders in priority order (then placed, needed-by and
/// id), each taking what it still needs from its first packaging month on. The
/// line's terms are its first order's (validation makes them agree). Outcomes come
/// back in the order given.
pub fn deliver_line(orders: &[&Order], share: f64, units: &[f64], window: &Horizon) -> Vec<OrderOutcome> {
    let terms = orders.first().map(|o| o.terms).unwrap_or_default();
    let mut ahead = terms.queue_ahead.max(0.0);
    let placed: Vec<Month> = orders.iter().map(|o| o.placed.unwrap_or(window.today)).collect();
    let earliest: Vec<Month> =
        orders.iter().zip(&placed).map(|(o, p)| p.plus(o.lags.booking_months()).max(window.today)).collect();
    let mut queue: Vec<usize> = (0..orders.len()).collect();
    queue.sort_by(|&a, &b| {
        let key = |i: usize| (orders[i].priority, placed[i], orders[i].needed_by, orders[i].id.as_str());
        key(a).cmp(&key(b))
    });
    let mut packaged = vec![vec![0.0; units.len()]; orders.len()];
    let mut taken = vec![0.0; orders.len()];
    for (t, u) in units.iter().enumerate() {
        let month = window.start.plus(t as i32);
        let mut left = terms.cap(month, share * u.max(0.0));
        if month >= window.today && ahead > 0.0 {
            let served = left.min(ahead);
            ahead -= served;
            left -= served;
        }
        for &i in &queue {
            if month < earliest[i] || left <= 0.0 {
                continue;
            }
            let p = left.min((orders[i].quantity as f64 - taken[i]).max(0.0));
            packaged[i][t] = p;
            taken[i] += p;
            left -= p;
        }
    }
    orders
        .iter()
        .zip(packaged)
        .enumerate()
        .map(|(i, (order, packaged))| outcome(order, share, placed[i], earliest[i], packaged, window))
        .collect()
}

/// An order's schedule from what was packaged for it each month.
fn outcome(
    order: &Order,
    share: f64,
    placed: Month,
    earliest: Month,
    packaged: Vec<f64>,
    window: &Horizon,
) -> OrderOutcome {
    let quantity = order.quantity as f64;
    let tolerance = 1e-6 * quantity.max(1.0);
    let lag = order.lags.after_packaging_months();
    let deliveries: Vec<f64> =
        (0..packaged.len()).map(|i| usize::try_from(i as i32 - lag).ok().map_or(0.0, |from| packaged[from])).collect();
    let mut received = 0.0;
    let mut completion = None;
    let mut by_needed_by = 0.0;
    for (i, d) in deliveries.iter().enumerate() {
        received += d;
        let month = window.start.plus(i as i32);
        if completion.is_none() && received >= quantity - tolerance {
            completion = Some(month);
        }
        if month <= order.needed_by {
            by_needed_by = received;
        }
    }
    OrderOutcome {
        order: order.id.clone(),
        product: order.product.clone(),
        quantity: order.quantity,
        needed_by: order.needed_by,
        share,
        placed,
        earliest_packaging: earliest,
        lag_months: lag,
        packaged,
        deliveries,
        completion,
        received_by_needed_by: by_needed_by,
        on_time: completion.is_some_and(|c| c <= order.needed_by),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::estimate::Estimate;

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }

    fn order(placed: Option<&str>, lags: DeliveryLags) -> Order {
        Order {
            id: "o".into(),
            product: "p".into(),
            quantity: 40,
            needed_by: m("2027-06"),
            obtainable_share: Estimate::fixed(0.5),
            priority: 1,
            placed: placed.map(m),
            lags,
            supply_line: None,
            terms: Default::default(),
        }
    }

    #[test]
    fn history_is_not_supply_an_order_can_take() {
        // 24 months of history with ample output: none of it reaches an order placed today
        let window = Horizon { today: m("2027-01"), start: m("2025-01"), months: 36 };
        let out = deliver(&order(None, DeliveryLags::NONE), 0.5, &[100.0; 36], &window);
        assert!(out.packaged[..24].iter().all(|p| *p == 0.0));
        assert_eq!(out.completion, Some(m("2027-01")));
    }

    #[test]
    fn completion_is_never_before_placed_plus_booking_plus_lags() {
        let window = Horizon { today: m("2026-06"), start: m("2026-01"), months: 36 };
        let lags = DeliveryLags { booking_weeks: 13, test_weeks: 4, integration_weeks: 20, shipping_weeks: 1 };
        // placed after today: the order waits for its own placement, not today
        let out = deliver(&order(Some("2026-09"), lags), 0.5, &[1000.0; 36], &window);
        assert_eq!(lags.booking_months(), 3);
        assert_eq!(lags.after_packaging_months(), 6);
        assert_eq!(out.earliest_packaging, m("2026-12"));
        assert_eq!(out.completion, Some(m("2027-06")));
        // an order placed long ago still takes nothing before today
        let old = deliver(&order(Some("2024-01"), lags), 0.5, &[1000.0; 36], &window);
        assert_eq!(old.earliest_packaging, m("2026-06"));
        assert_eq!(old.completion, Some(m("2026-12")));
    }

    #[test]
    fn units_that_arrive_after_the_window_leave_the_order_incomplete() {
        let window = Horizon { today: m("2027-01"), start: m("2027-01"), months: 4 };
        let lags = DeliveryLags { booking_weeks: 0, test_weeks: 9, integration_weeks: 0, shipping_weeks: 0 };
        let out = deliver(&order(None, lags), 0.5, &[10.0; 4], &window);
        // 5 packaged a month, 3 months late: only January's 5 arrive (in April)
        assert_eq!(out.deliveries, vec![0.0, 0.0, 0.0, 5.0]);
        assert_eq!(out.completion, None);
        assert!(!out.on_time);
    }

    #[test]
    fn orders_on_one_line_share_its_share_and_the_first_priority_is_served_first() {
        let window = Horizon { today: m("2027-01"), start: m("2027-01"), months: 12 };
        let mut phase1 = order(None, DeliveryLags::NONE);
        phase1.id = "phase-1".into();
        phase1.priority = 2;
        let mut phase2 = order(None, DeliveryLags::NONE);
        phase2.id = "phase-2".into();
        phase2.priority = 1;
        // 0.5 of 40 a month = 20 a month for the line; each order wants 40
        let both = deliver_line(&[&phase1, &phase2], 0.5, &[40.0; 12], &window);
        // phase-2 has priority 1: served first, complete in 2027-02; phase-1 then gets the line, complete 2027-04
        assert_eq!((both[0].order.as_str(), both[1].order.as_str()), ("phase-1", "phase-2"));
        assert_eq!(both[1].completion, Some(m("2027-02")));
        assert_eq!(both[0].completion, Some(m("2027-04")));
        assert_eq!(both[0].packaged[..4], [0.0, 0.0, 20.0, 20.0]);
        // two lines of their own would each get 20 a month: both complete in 2027-02
        let apart = deliver(&phase1, 0.5, &[40.0; 12], &window);
        assert_eq!(apart.completion, Some(m("2027-02")));
    }

    #[test]
    fn an_allocation_caps_the_line_from_its_month() {
        let window = Horizon { today: m("2027-01"), start: m("2027-01"), months: 12 };
        // the share alone: 50 a month, the 40 in January
        let mut o = order(None, DeliveryLags::NONE);
        assert_eq!(deliver(&o, 0.5, &[100.0; 12], &window).completion, Some(m("2027-01")));
        // an OEM's 15 a month from March: nothing before March, then 15, 15, 10
        o.terms =
            SupplyTerms { allocation_per_month: Some(15.0), allocation_from: Some(m("2027-03")), queue_ahead: 0.0 };
        let out = deliver(&o, 0.5, &[100.0; 12], &window);
        assert_eq!(out.packaged[..6], [0.0, 0.0, 15.0, 15.0, 10.0, 0.0]);
        assert_eq!(out.completion, Some(m("2027-05")));
        // an allocation above the share is bounded by the share: what the line obtains
        o.terms.allocation_per_month = Some(1000.0);
        assert_eq!(deliver(&o, 0.5, &[20.0; 12], &window).packaged[2..6], [10.0, 10.0, 10.0, 10.0]);
    }

    #[test]
    fn units_ahead_in_the_queue_are_served_first_from_today() {
        let window = Horizon { today: m("2027-02"), start: m("2027-01"), months: 12 };
        let mut o = order(Some("2026-12"), DeliveryLags::NONE);
        // 50 a month for the line; 120 ahead: February and March go to them, April 20 too
        o.terms.queue_ahead = 120.0;
        let out = deliver(&o, 0.5, &[100.0; 12], &window);
        assert_eq!(out.packaged[..5], [0.0, 0.0, 0.0, 30.0, 10.0]);
        assert_eq!(out.completion, Some(m("2027-05")));
    }
}
