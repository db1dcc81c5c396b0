//! HBM counted in GB and memory makers' qualifications, on the demo data: a 12-Hi
//! stack takes one and a half times the memory of an 8-Hi one, and a memory
//! maker's output fills a customer's allocation only once the customer has
//! qualified it (docs/model.md, sections 2 and 3).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use packplan_core::model::input::ModelInput;
use packplan_core::model::network::Model;
use packplan_core::model::run::RunResult;
use packplan_core::model::uncertain::Draw;
use support::demo::{demo_input, month, planned};

fn demo() -> ModelInput {
    demo_input("2026-12", "2024-01", 60)
}

fn units(r: &RunResult, product: &str, month: &str) -> f64 {
    let i = r.network.months.iter().position(|m| m.to_string() == month).unwrap();
    r.network.units_of(product).unwrap()[i]
}

#[test]
fn a_twelve_high_stack_takes_one_and_a_half_times_the_memory_of_an_eight_high_one() {
    // In 2027 B300 is NVIDIA's only HBM3E product and NVIDIA's HBM3E binds: with its
    // real 12-Hi stacks (36 GB) it makes two thirds of what 8-Hi stacks (24 GB) would.
    let input = demo();
    assert!(input.technology("hbm3e").unwrap().counts_gigabytes());
    let mut eight_high = input.clone();
    eight_high.products.iter_mut().find(|p| p.id == "b300").unwrap().hbm_gb_per_stack = Some(24.0);
    let (real, lighter) = (planned(&input), planned(&eight_high));
    for m in ["2027-03", "2027-06"] {
        let ratio = units(&lighter, "b300", m) / units(&real, "b300", m);
        assert!((ratio - 1.5).abs() < 0.05, "{m}: 8-Hi B300 makes {ratio:.3}x the 12-Hi units");
    }
}

#[test]
fn a_memory_makers_output_counts_for_a_customer_only_once_qualified() {
    // Were Micron's HBM4 qualified for NVIDIA only from 2026-06 (the demo has 2026-03)
    let mut input = demo();
    input.qualifications.iter_mut().find(|q| q.technology == "hbm4" && q.facility == "micron-hbm").unwrap().from =
        month("2026-06");
    let model = Model::new(&input).unwrap();
    let capacity = model.capacity(&Draw::base());
    let at = |facility: &str, technology: &str, m: &str| {
        let k = capacity.from.months_until(month(m)) as usize;
        capacity.by_facility[&(technology.to_string(), facility.to_string())][k]
    };
    let may = capacity.counting_for(&input, "hbm4", Some("NVIDIA"), month("2026-05"));
    let expected = at("skh-icheon", "hbm4", "2026-05") + at("samsung-cheonan", "hbm4", "2026-05");
    assert!(at("micron-hbm", "hbm4", "2026-05") > 0.0, "Micron makes HBM4 in 2026-05");
    assert!((may - expected).abs() < 1e-6 * expected, "{may} against SK hynix + Samsung {expected}");
    let jun = capacity.counting_for(&input, "hbm4", Some("NVIDIA"), month("2026-06"));
    assert!((jun - capacity.of("hbm4", month("2026-06"))).abs() < 1e-6 * jun, "all three count from 2026-06");
    // a customer with no qualification rows takes its share of every maker's output
    let google = capacity.counting_for(&input, "hbm4", Some("Google"), month("2026-05"));
    assert_eq!(google, capacity.of("hbm4", month("2026-05")));
    // and NVIDIA's pool is its 69 % of what counts for it
    let r = planned(&input);
    let i = r.network.months.iter().position(|m| m.to_string() == "2026-05").unwrap();
    let pool = r.network.resources.iter().find(|q| q.resource == "hbm4 (NVIDIA)").unwrap();
    let arriving = capacity.counting_for(&input, "hbm4", Some("NVIDIA"), month("2026-04")); // one month in transit
    assert!(
        (pool.capacity[i] - 0.69 * arriving).abs() < 1e-6 * arriving,
        "{} against 69 % of {arriving}",
        pool.capacity[i]
    );
    // HBM3E: Samsung counts for NVIDIA only from 2024-10
    let jun = capacity.counting_for(&input, "hbm3e", Some("NVIDIA"), month("2024-06"));
    let all = capacity.of("hbm3e", month("2024-06"));
    assert!((all - jun - at("samsung-cheonan", "hbm3e", "2024-06")).abs() < 1e-6 * all, "{jun} of {all}");
}

#[test]
fn until_samsung_passes_nvidias_qualification_nvidia_makes_fewer_accelerators() {
    let input = demo();
    let mut open = input.clone();
    open.qualifications.clear();
    let (qualified, unrestricted) = (planned(&input), planned(&open));
    let nvidia = |r: &RunResult, m: &str| -> f64 { ["h100", "h200", "b200"].iter().map(|p| units(r, p, m)).sum() };
    // in 2024-08 NVIDIA's HBM3E comes from SK hynix and Micron only (the back-cast)
    let (q, u) = (nvidia(&qualified, "2024-08"), nvidia(&unrestricted, "2024-08"));
    assert!(q < 0.95 * u, "qualified {q} against unrestricted {u}");
    // from 2025, when all three count, the history is the same
    let (q, u) = (nvidia(&qualified, "2025-06"), nvidia(&unrestricted, "2025-06"));
    assert!((q - u).abs() < 1e-6 * u.max(1.0), "2025-06: {q} against {u}");
}

#[test]
fn bad_units_and_pointless_qualifications_are_refused_with_what_to_do() {
    let input = demo();
    let mut no_gb = input.clone();
    no_gb.products.iter_mut().find(|p| p.id == "b300").unwrap().hbm_gb_per_stack = None;
    let err = no_gb.validate().unwrap_err().to_string();
    assert!(err.contains("product b300") && err.contains("give hbm_gb_per_stack"), "{err}");
    let mut stray = input.clone();
    let mut q = stray.qualifications[0].clone();
    q.customer = "Intel".into();
    stray.qualifications.push(q);
    let err = stray.validate().unwrap_err().to_string();
    assert!(err.contains("Intel has no allocation of hbm3e") && err.contains("or remove the qualification"), "{err}");
    input.validate().unwrap();
}

#[test]
fn a_capacity_figure_in_another_unit_than_its_technology_is_refused() {
    // HBM counts GB: a figure still in stacks would be read as 30x too little memory
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
    let mut tables = packplan_core::bundle::producer::rows_from_folder(&folder, "demo").unwrap();
    let rows = tables.get_mut("capacity_observations").unwrap();
    let row = rows
        .iter_mut()
        .find(|r| r["technology_id"] == "hbm4" && r["facility_id"] == "micron-hbm" && r["month"] == "2026-12")
        .unwrap();
    row.insert("unit".into(), "stacks/month".into());
    let horizon = packplan_core::horizon::Horizon { today: month("2026-12"), start: month("2026-12"), months: 24 };
    let scenario = packplan_core::model::scenario::Scenario::baseline();
    let err = packplan_core::model::assemble::assemble(&tables, vec![], &scenario, &horizon).unwrap_err().to_string();
    assert!(err.contains("hbm4 at micron-hbm for 2026-12 is in \"stacks/month\""), "{err}");
    assert!(err.contains("convert the figure to \"GB/month\""), "{err}");
}
