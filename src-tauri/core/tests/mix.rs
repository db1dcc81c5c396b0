//! How supply is shared out on the demo data: the product mix within a vendor (a new
//! generation takes over across quarters, no product with an open shipping window
//! gets nothing) and allocations of a technology family across its members.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use packplan_core::model::input::ModelInput;
use packplan_core::model::mix::{vendors, weights};
use packplan_core::month::Month;
use support::demo::demo_input;

fn demo() -> ModelInput {
    demo_input("2026-12", "2024-01", 72)
}

fn weight(input: &ModelInput, vendor: &str, month: &str, product: &str) -> f64 {
    let m: Month = month.parse().unwrap();
    weights(input, vendor, m).into_iter().find(|(i, _)| input.products[*i].id == product).map(|(_, w)| w).unwrap_or(0.0)
}

#[test]
fn a_new_generation_takes_over_across_four_quarters_not_in_one_month() {
    let input = demo();
    // B200 ships from 2025-01: a twelfth of NVIDIA's mix in its first month ...
    let first = weight(&input, "NVIDIA", "2025-01", "b200");
    assert!((first - 1.0 / 12.0).abs() < 0.01, "{first}");
    // ... half after six months, and (with B300 rising from 2025-09) Blackwell is
    // nearly all of it by the end of 2025, as Epoch AI recorded (98 % in 4Q25)
    let mid = weight(&input, "NVIDIA", "2025-06", "b200");
    assert!((mid - 0.5).abs() < 0.03, "{mid}");
    let blackwell = weight(&input, "NVIDIA", "2025-12", "b200") + weight(&input, "NVIDIA", "2025-12", "b300");
    assert!(blackwell > 0.9 && blackwell < 1.0, "{blackwell}");
}

#[test]
fn every_product_in_its_window_keeps_a_share_and_none_outside_it() {
    let input = demo();
    for vendor in vendors(&input) {
        for k in 0..72 {
            let month = Month::new(2024, 1).unwrap().plus(k);
            let w = weights(&input, vendor, month);
            for p in input.products.iter().filter(|p| p.vendor == vendor) {
                let share = w.iter().find(|(i, _)| input.products[*i].id == p.id).map(|(_, w)| *w);
                if p.ships_in(month) {
                    assert!(share.is_some_and(|s| s > 0.0), "{} has no share in {month}", p.id);
                } else {
                    assert!(share.is_none(), "{} has a share in {month} outside its window", p.id);
                }
            }
            if !w.is_empty() {
                let sum: f64 = w.iter().map(|(_, w)| w).sum();
                assert!((sum - 1.0).abs() < 1e-12, "{vendor} {month}: {sum}");
            }
        }
    }
}

#[test]
fn an_old_product_keeps_only_its_tail_once_the_new_one_has_risen() {
    let input = demo();
    // AMD: MI300X alone until MI355X starts in 2025-06
    assert!((weight(&input, "AMD", "2025-03", "mi300x") - 1.0).abs() < 1e-12);
    let h200 = weight(&input, "NVIDIA", "2026-05", "h200");
    assert!(h200 > 0.0 && h200 < 0.03, "{h200}");
}

fn planned() -> (ModelInput, packplan_core::model::run::RunResult) {
    let input = demo();
    let result = support::demo::planned(&input);
    (input, result)
}

#[test]
fn no_product_in_its_shipping_window_gets_nothing_while_its_resources_exist() {
    // Under the old price-weighted objective MI300X never shipped and B200 stopped in
    // 2025 although both had open windows, HBM and CoWoS.
    let (input, r) = planned();
    let packaging_lead = 2; // CoWoS, the demo's preferred routes
    for p in &input.products {
        let route = input.routes.iter().find(|x| x.product == p.id && x.preferred).unwrap();
        let needs = [route.technology.as_str(), p.logic_technology.as_str(), p.hbm_technology.as_str()];
        // whether each technology it needs has had capacity (arrivals) by `start`
        let exists_by = |start: usize| {
            needs.iter().all(|t| {
                r.network
                    .resources
                    .iter()
                    .filter(|q| q.technology == *t && q.customer.as_deref().is_none_or(|c| c == p.vendor))
                    .any(|q| q.capacity[..=start].iter().any(|c| *c > 0.0))
            })
        };
        let units = r.network.units_of(&p.id).unwrap();
        let mut served = 0;
        for (i, month) in r.network.months.iter().enumerate() {
            if !p.ships_in(*month) {
                assert!(units[i] == 0.0, "{} gets units in {month}, outside its window", p.id);
            } else if i >= packaging_lead && exists_by(i - packaging_lead) {
                assert!(units[i] > 1.0, "{} gets {} units in {month}, inside its window", p.id, units[i]);
                served += 1;
            }
        }
        assert!(served > 0, "{} is never checked", p.id);
    }
}

#[test]
fn nvidia_moves_from_hopper_to_blackwell_across_2025() {
    let (_, r) = planned();
    let at = |product: &str, month: &str| {
        let i = r.network.months.iter().position(|m| m.to_string() == month).unwrap();
        r.network.units_of(product).unwrap()[i]
    };
    assert!(at("h200", "2025-01") > 5.0 * at("b200", "2025-01"), "H200 leads at the start of 2025");
    let blackwell = at("b200", "2025-12") + at("b300", "2025-12");
    assert!(blackwell > 10.0 * at("h200", "2025-12"), "Blackwell leads at the end of 2025: {blackwell}");
    // the transition is gradual: B200 rises in every month of its first half-year
    let rising: Vec<f64> =
        ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"].iter().map(|m| at("b200", m)).collect();
    assert!(rising.windows(2).all(|w| w[1] > w[0]), "{rising:?}");
}

#[test]
fn an_allocation_of_a_family_is_a_share_of_its_members_together() {
    use packplan_core::model::network::Model;
    use packplan_core::model::uncertain::Draw;
    let (input, r) = planned();
    let model = Model::new(&input).unwrap();
    let capacity = model.capacity(&Draw::base());
    let i = r.network.months.iter().position(|m| m.to_string() == "2025-06").unwrap();
    let month = r.network.months[i];
    let cowos: f64 = ["cowos-s", "cowos-l", "cowos-r"].iter().map(|t| capacity.of(t, month)).sum();
    let pool = |label: &str| r.network.resources.iter().find(|q| q.resource == label).unwrap();
    // SemiWiki's 8 % for AMD is of all TSMC CoWoS, and so is the pool
    let amd = pool("cowos (AMD)").capacity[i];
    assert!((amd - 0.08 * cowos).abs() < 1e-6 * cowos, "{amd} against 8 % of {cowos}");
    // so AMD can use more of CoWoS-S than 8 % of CoWoS-S alone, as it did when the
    // share applied to CoWoS-S only (by about an eighth in 2025: its HBM3E share,
    // which MI355X's 36 GB stacks draw down, holds it below its CoWoS share)
    let amd_used: f64 = (0..12).map(|k| pool("cowos (AMD)").used[i - 5 + k]).sum();
    let s_alone: f64 = (0..12).map(|k| capacity.of("cowos-s", r.network.months[i - 5 + k])).sum();
    assert!(
        amd_used > 0.08 * s_alone * 1.1,
        "AMD used {amd_used} of CoWoS in 2025; 8 % of CoWoS-S is {}",
        0.08 * s_alone
    );
    // and no customer's pool, nor all of them, exceed the members' capacity in any month
    for (k, month) in r.network.months.iter().enumerate() {
        let total: f64 = ["cowos-s", "cowos-l", "cowos-r"].iter().map(|t| capacity.of(t, *month)).sum();
        let used: f64 = r.network.resources.iter().filter(|q| q.technology == "cowos").map(|q| q.used[k]).sum();
        assert!(used <= total * (1.0 + 1e-9), "{month}: {used} of {total}");
    }
}

#[test]
fn a_family_must_be_a_technology_of_the_same_stage_without_capacity_of_its_own() {
    let input = demo();
    let mut wrong_stage = input.clone();
    wrong_stage.technologies.iter_mut().find(|t| t.id == "cowos-s").unwrap().family = Some("hbm3e".into());
    let err = wrong_stage.validate().unwrap_err().to_string();
    assert!(err.contains("cowos-s names \"hbm3e\" as its family") && err.contains("same stage"), "{err}");
    let mut unknown = input.clone();
    unknown.technologies.iter_mut().find(|t| t.id == "cowos-s").unwrap().family = Some("cowoss".into());
    let err = unknown.validate().unwrap_err().to_string();
    assert!(err.contains("\"cowoss\", which the input does not define"), "{err}");
    let mut measured = input.clone();
    let mut row = measured.capacity.iter().find(|c| c.technology == "cowos-s").unwrap().clone();
    row.technology = "cowos".into();
    measured.capacity.push(row);
    let err = measured.validate().unwrap_err().to_string();
    assert!(err.contains("give the capacity to its members"), "{err}");
    input.validate().unwrap();
}
