//! Allocations as suppliers state them: a share of a pool or a volume a month,
//! and claims beyond the capacity cut in the same proportion (docs/model.md,
//! section 3).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use packplan_core::model::estimate::Estimate;
use packplan_core::model::input::{Allotted, ModelInput};
use packplan_core::model::supply::{pool_amount, Pool};
use packplan_core::model::uncertain::Draw;
use support::demo::{demo_input, month};

const TOTAL: f64 = 100_000.0;

fn pool(customer: Option<&str>) -> Pool {
    Pool { technology: "cowos".into(), customer: customer.map(Into::into) }
}

/// Every pool of the CoWoS family in `m`, given its whole capacity.
fn pools(input: &ModelInput, m: &str) -> Vec<(Option<&'static str>, f64)> {
    [Some("NVIDIA"), Some("Google"), Some("AMD"), Some("AWS"), None]
        .into_iter()
        .map(|c| (c, pool_amount(input, &Draw::base(), &pool(c), month(m), TOTAL, TOTAL)))
        .collect()
}

fn of(pools: &[(Option<&str>, f64)], customer: Option<&str>) -> f64 {
    pools.iter().find(|(c, _)| *c == customer).unwrap().1
}

#[test]
fn a_volume_a_month_is_what_the_customer_gets_whatever_the_pool_holds() {
    let input = demo_input("2026-12", "2025-01", 48);
    // the demo states AWS's 2026 CoWoS as Alchip's 50k wafers a year
    let in_2026 = pools(&input, "2026-06");
    assert!((of(&in_2026, Some("AWS")) - 4167.0).abs() < 1e-9, "{in_2026:?}");
    let larger = pool_amount(&input, &Draw::base(), &pool(Some("AWS")), month("2026-06"), 2.0 * TOTAL, 2.0 * TOTAL);
    assert!((larger - 4167.0).abs() < 1e-9, "a volume does not grow with the pool: {larger}");
    // from 2027 its allocation is a share again, so it grows with the pool
    let in_2027 = pools(&input, "2027-06");
    assert!((of(&in_2027, Some("AWS")) - 0.04 * TOTAL).abs() < 1e-6, "{in_2027:?}");
    // shares and volumes together never hold more than the pool, and the rest is unallocated
    for p in [&in_2026, &in_2027] {
        let held: f64 = p.iter().map(|(_, v)| v).sum();
        assert!((held - TOTAL).abs() < 1e-6, "{p:?}");
        assert!(of(p, None) > 0.0, "{p:?}");
    }
}

#[test]
fn claims_beyond_the_pool_are_cut_in_the_same_proportion() {
    let mut input = demo_input("2026-12", "2025-01", 48);
    let aws = input
        .allocations
        .iter_mut()
        .find(|a| a.technology == "cowos" && a.customer == "AWS" && matches!(a.amount, Allotted::PerMonth(_)))
        .unwrap();
    aws.amount = Allotted::PerMonth(Estimate::fixed(50_000.0));
    let cut = pools(&input, "2026-06");
    // NVIDIA 59 %, Google 20 %, AMD 9 % and AWS's 50k claim 138k of 100k wafers
    let claimed = 0.59 * TOTAL + 0.20 * TOTAL + 0.09 * TOTAL + 50_000.0;
    let ratio = TOTAL / claimed;
    assert!((of(&cut, Some("AWS")) - 50_000.0 * ratio).abs() < 1e-6, "{cut:?}");
    assert!((of(&cut, Some("NVIDIA")) - 0.59 * TOTAL * ratio).abs() < 1e-6, "{cut:?}");
    assert_eq!(of(&cut, None), 0.0, "nothing is left unallocated: {cut:?}");
    let held: f64 = cut.iter().map(|(_, v)| v).sum();
    assert!((held - TOTAL).abs() < 1e-6, "the pools hold the capacity, no more: {cut:?}");
}

#[test]
fn a_volume_comes_only_from_the_output_that_counts_for_the_customer() {
    let input = demo_input("2026-12", "2025-01", 48);
    // only 1,000 wafers a month of qualified output count for AWS (qualifications)
    let held = pool_amount(&input, &Draw::base(), &pool(Some("AWS")), month("2026-06"), 1_000.0, TOTAL);
    assert_eq!(held, 1_000.0);
}
