//! Demand on the demo data: a customer's demand caps what the plan makes for it,
//! month by month, and the row in effect is the one whose months hold the month
//! (docs/model.md, section 4, "Demand").
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use packplan_core::model::input::{Demand, ModelInput};
use packplan_core::model::run::RunResult;
use support::demo::{demo_input, month, planned};

fn demo() -> ModelInput {
    demo_input("2026-12", "2026-12", 36)
}

/// Units of `vendor`'s products delivered in `m`.
fn units(input: &ModelInput, r: &RunResult, vendor: &str, m: &str) -> f64 {
    let i = r.network.months.iter().position(|x| *x == month(m)).unwrap();
    input.products.iter().filter(|p| p.vendor == vendor).map(|p| r.network.units_of(&p.id).unwrap()[i]).sum()
}

#[test]
fn demand_caps_what_a_customer_gets_and_the_rest_of_its_pools_stay_unused() {
    let mut input = demo();
    input.demand.retain(|d| d.customer != "Google");
    input.demand.push(Demand {
        customer: "Google".into(),
        from: month("2027-01"),
        to: Some(month("2027-12")),
        units_per_month: 1_000.0,
        source: "test".into(),
    });
    let capped = planned(&input);
    let free = planned(&demo());
    for m in ["2027-01", "2027-06", "2027-12"] {
        let u = units(&input, &capped, "Google", m);
        assert!(u <= 1_000.0 + 1e-6, "{m}: Google gets {u} against a demand of 1,000");
        assert!(units(&input, &free, "Google", m) > 10_000.0, "{m}: without the cap Google gets more");
    }
    // the row in effect ends with 2027: from 2028 the demo's own row applies again
    assert!(units(&input, &capped, "Google", "2028-03") > 10_000.0);
}

#[test]
fn demand_for_a_customer_with_no_product_is_refused_with_what_to_do() {
    let mut input = demo();
    input.demand.push(Demand {
        customer: "Nvidia".into(),
        from: month("2027-01"),
        to: None,
        units_per_month: 1.0,
        source: "test".into(),
    });
    let err = input.validate().unwrap_err().to_string();
    assert!(err.contains("the demand of Nvidia from 2027-01 names a customer with no product"), "{err}");
    assert!(err.contains("as the products' vendor column names it"), "{err}");
}
