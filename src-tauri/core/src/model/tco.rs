//! Total cost of ownership of an order against renting the same work in the cloud
//! (docs/model.md, "TCO"). Monthly cash flows from the first planned month to the
//! end of the hardware's life; discounted at the discount rate.

use serde::Serialize;

use super::orders::OrderOutcome;
use crate::month::Month;

/// Hours in an average month (8,766 / 12).
pub const HOURS_PER_MONTH: f64 = 730.5;

/// The concrete numbers of one evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TcoValues {
    pub accelerator_usd: f64,
    pub server_usd_per_accelerator: f64,
    pub networking_share: f64,
    pub installation_share: f64,
    pub all_in_kw: f64,
    pub pue: f64,
    pub electricity_usd_per_kwh: f64,
    pub utilisation: f64,
    pub facility_usd_per_kw_month: f64,
    pub staff_usd_per_month: f64,
    pub depreciation_years: f64,
    pub salvage_share: f64,
    pub discount_rate: f64,
    pub cloud_usd_per_hour: Option<f64>,
    pub tokens_per_second: Option<f64>,
}

/// Cost per useful accelerator-hour by component (levelised: discounted cost over
/// discounted hours).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default, ts_rs::TS)]
pub struct CostPerHour {
    pub capex: f64,
    pub power: f64,
    pub facility: f64,
    pub staff: f64,
    pub total: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TcoOutcome {
    pub order: String,
    pub months: Vec<Month>,
    /// Cumulative undiscounted cost on premises, per month.
    pub on_premises_cumulative: Vec<f64>,
    /// Cumulative cost of renting the same useful hours in the cloud.
    pub cloud_cumulative: Vec<f64>,
    pub monthly_cost: Vec<f64>,
    /// Net present cost on premises (after salvage).
    pub net_present_cost: f64,
    /// Levelised cost per useful GPU-hour; all zero when [`useful_hours`](Self::useful_hours) is 0
    /// (no accelerator arrives within the horizon): read it only when hours are.
    pub cost_per_gpu_hour: CostPerHour,
    /// Useful GPU-hours over the hardware's life, discounted: 0 when no accelerator
    /// arrives within the horizon, and then there is no cost per hour to state.
    pub useful_hours: f64,
    pub cost_per_million_tokens: Option<f64>,
    /// First month the cumulative on-premises cost is at or below the cloud's.
    pub break_even: Option<Month>,
    /// Renting the missing accelerators from needed-by until they arrive.
    pub bridge_cloud_usd: Option<f64>,
}

/// Computes the TCO of `order` (its delivery schedule starts at `start`).
pub fn tco(order: &OrderOutcome, v: &TcoValues, start: Month) -> TcoOutcome {
    let life = (v.depreciation_years * 12.0).round().max(1.0) as usize;
    let first = order.deliveries.iter().position(|d| *d > 0.0);
    let total_months = order.deliveries.len() + life;
    let capex_each =
        (v.accelerator_usd + v.server_usd_per_accelerator) * (1.0 + v.networking_share + v.installation_share);
    let monthly_rate = (1.0 + v.discount_rate).powf(1.0 / 12.0) - 1.0;
    let quantity = order.quantity as f64;
    let mut installed = 0.0;
    let mut delivered = vec![0.0; total_months];
    for (i, d) in order.deliveries.iter().enumerate() {
        delivered[i] = *d;
    }
    // each delivered batch is retired `life` months after it arrives
    let mut retire = vec![0.0; total_months + life];
    for (i, d) in order.deliveries.iter().enumerate() {
        retire[i + life] += d;
    }
    let (mut cum, mut cloud_cum) = (0.0, 0.0);
    let (mut pv_capex, mut pv_power, mut pv_facility, mut pv_staff, mut pv_hours, mut pv_salvage) =
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let mut on_prem = Vec::with_capacity(total_months);
    let mut cloud = Vec::with_capacity(total_months);
    let mut monthly = Vec::with_capacity(total_months);
    let mut bridge = 0.0;
    for m in 0..total_months {
        installed += delivered[m] - retire[m];
        let discount = (1.0 + monthly_rate).powi(-(m as i32));
        let capex = delivered[m] * capex_each;
        let power = installed * v.all_in_kw * v.pue * v.electricity_usd_per_kwh * HOURS_PER_MONTH * v.utilisation;
        let facility = installed * v.all_in_kw * v.facility_usd_per_kw_month;
        let running = first.is_some_and(|f| m >= f) && installed > 0.0;
        let staff = if running { v.staff_usd_per_month } else { 0.0 };
        let salvage = retire[m] * capex_each * v.salvage_share;
        let hours = installed * HOURS_PER_MONTH * v.utilisation;
        let cost = capex + power + facility + staff;
        cum += cost - salvage;
        cloud_cum += hours * v.cloud_usd_per_hour.unwrap_or(0.0);
        on_prem.push(cum);
        cloud.push(cloud_cum);
        monthly.push(cost - salvage);
        pv_capex += capex * discount;
        pv_power += power * discount;
        pv_facility += facility * discount;
        pv_staff += staff * discount;
        pv_hours += hours * discount;
        pv_salvage += salvage * discount;
        let month = start.plus(m as i32);
        if month >= order.needed_by && m < order.deliveries.len() {
            let missing = (quantity - order.deliveries[..=m].iter().sum::<f64>()).max(0.0);
            bridge += missing * HOURS_PER_MONTH * v.utilisation * v.cloud_usd_per_hour.unwrap_or(0.0);
        }
    }
    let per = |x: f64| if pv_hours > 0.0 { x / pv_hours } else { 0.0 };
    let cost_per_gpu_hour = CostPerHour {
        capex: per(pv_capex - pv_salvage),
        power: per(pv_power),
        facility: per(pv_facility),
        staff: per(pv_staff),
        total: per(pv_capex - pv_salvage + pv_power + pv_facility + pv_staff),
    };
    let break_even = v.cloud_usd_per_hour.and_then(|_| {
        (0..total_months)
            .find(|&m| first.is_some_and(|f| m > f) && on_prem[m] <= cloud[m])
            .map(|m| start.plus(m as i32))
    });
    TcoOutcome {
        order: order.order.clone(),
        months: (0..total_months).map(|m| start.plus(m as i32)).collect(),
        on_premises_cumulative: on_prem,
        cloud_cumulative: cloud,
        monthly_cost: monthly,
        net_present_cost: pv_capex + pv_power + pv_facility + pv_staff - pv_salvage,
        cost_per_million_tokens: v
            .tokens_per_second
            .filter(|t| *t > 0.0 && pv_hours > 0.0)
            .map(|t| cost_per_gpu_hour.total / (t * 3600.0 / 1e6)),
        cost_per_gpu_hour,
        useful_hours: pv_hours,
        break_even,
        bridge_cloud_usd: v.cloud_usd_per_hour.map(|_| bridge),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::horizon::Horizon;
    use crate::model::{
        estimate::Estimate,
        input::Order,
        orders::{deliver, DeliveryLags},
    };

    fn values() -> TcoValues {
        TcoValues {
            accelerator_usd: 40_000.0,
            server_usd_per_accelerator: 10_000.0,
            networking_share: 0.0,
            installation_share: 0.0,
            all_in_kw: 1.0,
            pue: 1.0,
            electricity_usd_per_kwh: 0.1,
            utilisation: 1.0,
            facility_usd_per_kw_month: 0.0,
            staff_usd_per_month: 0.0,
            depreciation_years: 1.0,
            salvage_share: 0.0,
            discount_rate: 0.0,
            cloud_usd_per_hour: Some(10.0),
            tokens_per_second: Some(1000.0),
        }
    }

    #[test]
    fn one_accelerator_by_hand() {
        let start: Month = "2027-01".parse().unwrap();
        let order = Order {
            id: "o".into(),
            product: "p".into(),
            quantity: 1,
            needed_by: start,
            obtainable_share: Estimate::fixed(1.0),
            priority: 1,
            placed: None,
            lags: DeliveryLags::NONE,
            supply_line: None,
            terms: Default::default(),
        };
        let outcome = deliver(&order, 1.0, &[1.0], &Horizon { today: start, start, months: 1 });
        let t = tco(&outcome, &values(), start);
        // 12 months of life: capex 50,000 + power 1 kW x $0.1 x 730.5 h x 12 = 876.6
        let power = 0.1 * HOURS_PER_MONTH * 12.0;
        assert!((t.net_present_cost - (50_000.0 + power)).abs() < 1e-6);
        let hours = HOURS_PER_MONTH * 12.0;
        assert!((t.cost_per_gpu_hour.total - (50_000.0 + power) / hours).abs() < 1e-9);
        assert!((t.cost_per_gpu_hour.capex - 50_000.0 / hours).abs() < 1e-9);
        // the cloud at $10/h costs 7,305 a month: on premises is cheaper from the 7th month
        assert_eq!(t.break_even.unwrap().to_string(), "2027-07");
        // cost per million tokens: per hour / (1000 tokens/s x 3600 / 1e6)
        assert!((t.cost_per_million_tokens.unwrap() - t.cost_per_gpu_hour.total / 3.6).abs() < 1e-9);
        assert_eq!(t.bridge_cloud_usd, Some(0.0));
    }

    #[test]
    fn late_delivery_costs_a_cloud_bridge() {
        let start: Month = "2027-01".parse().unwrap();
        let order = Order {
            id: "o".into(),
            product: "p".into(),
            quantity: 2,
            needed_by: start,
            obtainable_share: Estimate::fixed(1.0),
            priority: 1,
            placed: None,
            lags: DeliveryLags::NONE,
            supply_line: None,
            terms: Default::default(),
        };
        let outcome = deliver(&order, 1.0, &[0.0, 1.0, 1.0], &Horizon { today: start, start, months: 3 });
        let t = tco(&outcome, &values(), start);
        // month 0: 2 missing; month 1: 1 missing; month 2: complete
        assert!((t.bridge_cloud_usd.unwrap() - 3.0 * HOURS_PER_MONTH * 10.0).abs() < 1e-6);
    }
}
