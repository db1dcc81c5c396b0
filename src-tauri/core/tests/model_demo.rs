//! The engine on the demo data (assets/demo): the figures a planner would read,
//! and the Monte Carlo's promises (zero spread = deterministic, seeds reproduce).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use packplan_core::bundle::producer::rows_from_folder;
use packplan_core::bundle::rows::TableRows;
use packplan_core::model::assemble::assemble;
use packplan_core::model::estimate::Estimate;
use packplan_core::model::input::{Allotted, ModelInput};
use packplan_core::model::network::Model;
use packplan_core::model::run::{run, RunOptions, RunResult};
use packplan_core::model::scenario::{Override, Scenario};
use packplan_core::progress::{CancelToken, CollectProgress, NoProgress};
use packplan_core::ErrorKind;

fn demo_tables() -> TableRows {
    rows_from_folder(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo"), "demo").unwrap()
}

fn input_for(scenario: &Scenario) -> ModelInput {
    assemble(
        &demo_tables(),
        vec![],
        scenario,
        &packplan_core::horizon::Horizon {
            today: "2025-01".parse().unwrap(),
            start: "2025-01".parse().unwrap(),
            months: 60,
        },
    )
    .unwrap()
}

fn run_with(input: &ModelInput, options: RunOptions) -> RunResult {
    run(input, &options, &NoProgress, &CancelToken::new()).unwrap()
}

fn total(r: &RunResult, product: &str) -> f64 {
    r.network.units_of(product).unwrap().iter().sum()
}

#[test]
fn the_demo_plan_is_feasible_and_tells_a_story() {
    let input = input_for(&Scenario::baseline());
    let model = Model::new(&input).unwrap();
    let network = model.build(&packplan_core::model::uncertain::Draw::base()).unwrap();
    let program = network.program.clone();
    let solved = program.solve().unwrap();
    assert!(program.is_feasible(&solved.x, 1e-7), "the LP solution violates a constraint");
    let r = run_with(&input, RunOptions::default());
    assert!(r.objective > 0.0);
    // products ship only inside their windows: no Rubin before 2026-09, no H100 after 2025
    let months: Vec<String> = r.months.iter().map(|m| m.to_string()).collect();
    let rubin = r.network.units_of("rubin").unwrap();
    let h100 = r.network.units_of("h100").unwrap();
    assert!(
        months.first().is_some_and(|m| m.as_str() <= "2025-12")
            && months.last().is_some_and(|m| m.as_str() >= "2026-09")
    );
    for (i, m) in months.iter().enumerate() {
        if m.as_str() < "2026-09" {
            assert_eq!(rubin[i], 0.0, "Rubin ships in {m}");
        }
        if m.as_str() > "2025-12" {
            assert_eq!(h100[i], 0.0, "H100 ships in {m}");
        }
    }
    // the example order gets its B300s, and the bottleneck timeline names real resources
    let order = &r.orders[0];
    assert_eq!(order.order, "cluster-a");
    assert!(order.completion.is_some(), "the demo order never completes");
    assert!(r.network.bottlenecks.iter().flatten().count() > 0);
    // the TCO has a cost per GPU-hour in a sane range for a B300 (a few dollars)
    let t = &r.tco[0];
    assert!((0.5..20.0).contains(&t.cost_per_gpu_hour.total), "{:?}", t.cost_per_gpu_hour);
    // concentration: CoPoS is single-source TSMC
    assert!(r.concentration.iter().any(|c| c.technology.as_deref() == Some("copos") && c.single_source));
}

#[test]
fn monte_carlo_with_zero_spread_equals_the_deterministic_solve() {
    let mut input = input_for(&Scenario::baseline());
    let fix = |e: &mut Estimate| *e = Estimate::fixed(e.base);
    // one observation per facility, technology and month (several sources widen the spread)
    let mut seen = std::collections::BTreeSet::new();
    input.capacity.retain(|c| seen.insert((c.facility.clone(), c.technology.clone(), c.month)));
    input.capacity.iter_mut().for_each(|c| fix(&mut c.value));
    input.allocations.iter_mut().for_each(|a| match &mut a.amount {
        Allotted::Share(e) | Allotted::PerMonth(e) => fix(e),
    });
    input.routes.iter_mut().for_each(|r| fix(&mut r.assembly_yield));
    for p in &mut input.products {
        fix(&mut p.defect_density_per_cm2);
        fix(&mut p.price_usd);
        p.cloud_usd_per_hour.iter_mut().for_each(fix);
    }
    input.orders.iter_mut().for_each(|o| fix(&mut o.obtainable_share));
    if let Some(t) = &mut input.tco {
        for (_, e) in t.named_mut() {
            fix(e);
        }
    }
    for reoptimise in [false, true] {
        let r = run_with(
            &input,
            RunOptions { trials: if reoptimise { 3 } else { 50 }, seed: 7, reoptimise, ..Default::default() },
        );
        let mc = r.monte_carlo.as_ref().unwrap();
        assert!(mc.inputs.is_empty());
        assert!(!mc.products.is_empty() && mc.products.len() == r.network.products.len());
        for (bands, det) in mc.products.iter().zip(&r.network.products) {
            for (m, d) in det.units.iter().enumerate() {
                for q in [bands.p5[m], bands.p50[m], bands.p95[m]] {
                    assert!((q - d).abs() <= 1e-3 * d.max(1.0), "{} month {m}: {q} vs {d}", det.product);
                }
            }
        }
        let o = &mc.orders[0];
        assert_eq!(o.p10, r.orders[0].completion);
        assert_eq!(o.p90, r.orders[0].completion);
    }
}

#[test]
fn a_seed_reproduces_whatever_the_thread_count() {
    let input = input_for(&Scenario::baseline());
    let options = RunOptions { trials: 400, seed: 42, latin_hypercube: true, ..Default::default() };
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| run_with(&input, options));
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap().install(|| run_with(&input, options));
    assert_eq!(one.monte_carlo, two.monte_carlo);
    let other = run_with(&input, RunOptions { seed: 43, ..options });
    assert_ne!(one.monte_carlo, other.monte_carlo);
    // spread is shown: P5 below P95 for the ordered product somewhere
    let mc = one.monte_carlo.unwrap();
    let b300 = mc.products.iter().find(|p| p.product == "b300").unwrap();
    assert!(b300.p5.iter().zip(&b300.p95).any(|(a, b)| a < b));
    let o = &mc.orders[0];
    assert!((0.0..=1.0).contains(&o.probability_on_time));
    assert!(o.cdf.len() >= 12, "a completion CDF over the horizon: {:?}", o.cdf);
    assert!(o.cdf.windows(2).all(|w| w[0] <= w[1] + 1e-12), "the completion CDF must not fall");
}

#[test]
fn monte_carlo_reports_progress_and_can_be_cancelled() {
    let input = input_for(&Scenario::baseline());
    let progress = CollectProgress::default();
    run(&input, &RunOptions { trials: 300, seed: 1, ..Default::default() }, &progress, &CancelToken::new()).unwrap();
    let reports = progress.reports();
    assert!(reports.len() > 10);
    assert_eq!(reports.last().unwrap().done, 300);
    let cancel = CancelToken::new();
    cancel.cancel();
    let err =
        run(&input, &RunOptions { trials: 300, seed: 1, ..Default::default() }, &NoProgress, &cancel).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Cancelled);
}

#[test]
fn scenario_overrides_do_what_they_say() {
    let base = run_with(&input_for(&Scenario::baseline()), RunOptions::default());
    let scenario =
        |name: &str, overrides: Vec<Override>| Scenario { name: name.into(), description: String::new(), overrides };
    // CoPoS a year earlier: more Rubin (its panel route) in 2028
    let earlier = scenario("CoPoS accelerated", vec![Override::ShiftRamp { technology: "copos".into(), months: -12 }]);
    let input = input_for(&earlier);
    assert_eq!(input.scenario, "CoPoS accelerated");
    let r = run_with(&input, RunOptions::default());
    let copos = |r: &RunResult, month: &str| -> f64 {
        let i = r.months.iter().position(|m| m.to_string() == month).unwrap();
        r.capacity.iter().find(|c| c.technology == "copos").unwrap().base[i]
    };
    assert_eq!(copos(&base, "2028-06"), 0.0);
    assert!(copos(&r, "2028-06") > 1000.0, "a year earlier, CoPoS runs in volume by mid-2028");
    assert!(r.objective >= base.objective - 1e-6 * base.objective, "more capacity never plans less");
    // HBM squeeze: less B300
    let squeeze = run_with(
        &input_for(&scenario(
            "HBM squeeze",
            vec![Override::ScaleCapacity { technology: Some("hbm3e".into()), facility: None, factor: 0.7 }],
        )),
        RunOptions::default(),
    );
    assert!(total(&squeeze, "b300") < total(&base, "b300"));
    // a three-week Taiwan packaging outage: fewer units that month
    let outage = run_with(
        &input_for(&scenario(
            "TSMC CoWoS down",
            vec![Override::FacilityDown {
                facility: "tsmc-cowos".into(),
                from: "2026-03".parse().unwrap(),
                to: "2026-03".parse().unwrap(),
                share_lost: 0.75,
            }],
        )),
        RunOptions::default(),
    );
    assert!(outage.objective < base.objective);
    // lower yields: fewer units
    let yields = run_with(
        &input_for(&scenario(
            "yield",
            vec![Override::ScaleYield { product: Some("b300".into()), technology: None, factor: 0.8 }],
        )),
        RunOptions::default(),
    );
    assert!(yields.objective < base.objective);
    // a misspelt id is refused, not ignored
    let bad = assemble(
        &demo_tables(),
        vec![],
        &scenario("typo", vec![Override::ShiftRamp { technology: "copso".into(), months: 3 }]),
        &packplan_core::horizon::Horizon {
            today: "2025-01".parse().unwrap(),
            start: "2025-01".parse().unwrap(),
            months: 60,
        },
    );
    assert!(bad.unwrap_err().to_string().contains("copso"));
    // comparing says why: the bottlenecks differ
    let cmp = packplan_core::model::compare::compare(&base, &squeeze);
    assert!(!cmp.constraints.is_empty());
}

#[test]
fn tornado_names_inputs_in_words() {
    let input = input_for(&Scenario::baseline());
    let r = run_with(&input, RunOptions { sensitivity: true, ..Default::default() });
    let t = r.tornado.unwrap();
    assert!(!t.bars.is_empty());
    assert!(
        t.bars.iter().any(|b| b.input.contains("share")),
        "{:?}",
        t.bars.iter().map(|b| &b.input).collect::<Vec<_>>()
    );
    assert!(t.bars.len() >= 2, "bars to order");
    assert!(t.bars.windows(2).all(|w| w[0].completion_swing_months >= w[1].completion_swing_months));
}

#[test]
fn the_input_round_trips_through_json() {
    let input = input_for(&Scenario::baseline());
    let again = ModelInput::from_json(&input.to_json()).unwrap();
    assert_eq!(again, input);
    let err = ModelInput::from_json("{\"format\": 3}").unwrap_err();
    assert!(err.to_string().contains("docs/model-input.md"));
}

#[test]
fn the_mps_export_solves_to_the_same_optimum_in_glpk() {
    // GLPK (Debian's glpk-utils, installed by scripts/setup.sh) is an independent solver.
    let input = input_for(&Scenario::baseline());
    let model = Model::new(&input).unwrap();
    let network = model.build(&packplan_core::model::uncertain::Draw::base()).unwrap();
    let ours = network.program.solve().unwrap().objective;
    let dir = tempfile::tempdir().unwrap();
    let mps = dir.path().join("baseline.mps");
    let report = dir.path().join("baseline.txt");
    std::fs::write(&mps, network.program.to_mps()).unwrap();
    let status = std::process::Command::new("glpsol")
        .arg("--freemps")
        .arg(&mps)
        .arg("-o")
        .arg(&report)
        .output()
        .expect("glpsol (glpk-utils) must be installed by scripts/setup.sh");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stdout));
    let text = std::fs::read_to_string(&report).unwrap();
    let line = text.lines().find(|l| l.starts_with("Objective:")).unwrap();
    // "Objective:  COST = -1010105101.23 (MINimum)"
    let value: f64 = line.split('=').nth(1).unwrap().split_whitespace().next().unwrap().parse().unwrap();
    assert!((-value - ours).abs() <= 1e-6 * ours.abs(), "GLPK {} vs ours {ours}", -value);
}

#[test]
fn rank_correlation_is_imposed_on_the_samples() {
    use packplan_core::model::input::Correlation;
    use packplan_core::model::montecarlo::{sample_matrix, MonteCarloOptions};
    use packplan_core::model::uncertain::catalogue;
    let mut input = input_for(&Scenario::baseline());
    let series = packplan_core::model::supply::series(&input);
    let list = catalogue(&input, &series);
    let a = list.iter().position(|u| u.name.starts_with("HBM3E capacity at SK hynix")).unwrap();
    let b = list.iter().position(|u| u.name.starts_with("HBM3E capacity at Samsung")).unwrap();
    input.correlations.push(Correlation { a: list[a].name.clone(), b: list[b].name.clone(), rho: 0.8 });
    let options = MonteCarloOptions { trials: 4000, seed: 3, latin_hypercube: true, reoptimise: false };
    let columns = sample_matrix(&list, &input, &options).unwrap();
    let ranks = |v: &[f64]| {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
        let mut r = vec![0.0; v.len()];
        for (rank, i) in idx.into_iter().enumerate() {
            r[i] = rank as f64;
        }
        r
    };
    let spearman = |x: &[f64], y: &[f64]| {
        let (rx, ry) = (ranks(x), ranks(y));
        let n = x.len() as f64;
        let mean = (n - 1.0) / 2.0;
        let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - mean) * (b - mean)).sum();
        let var: f64 = rx.iter().map(|a| (a - mean).powi(2)).sum();
        cov / var
    };
    let rho = spearman(&columns[a], &columns[b]);
    assert!((rho - 0.8).abs() < 0.05, "rank correlation {rho}, wanted 0.8");
    // the marginals are untouched: each column still fills its Latin hypercube strata
    let mut sorted = columns[a].clone();
    sorted.sort_by(f64::total_cmp);
    for (i, u) in sorted.iter().enumerate() {
        assert!((i as f64 / 4000.0..(i + 1) as f64 / 4000.0).contains(u), "stratum {i} holds {u}");
    }
    // an uncorrelated pair stays near zero
    let c = list.iter().position(|u| u.name.starts_with("HBM3E capacity at Micron")).unwrap();
    assert!(spearman(&columns[a], &columns[c]).abs() < 0.1);
    // a name that is not an input is refused
    input.correlations.push(Correlation { a: "HBM capacity at nowhere".into(), b: list[b].name.clone(), rho: 0.5 });
    assert!(sample_matrix(&list, &input, &options).unwrap_err().to_string().contains("not an uncertain input"));
}

fn planned(today: &str, start: &str, months: u32) -> RunResult {
    let window =
        packplan_core::horizon::Horizon { today: today.parse().unwrap(), start: start.parse().unwrap(), months };
    let input = assemble(&demo_tables(), vec![], &Scenario::baseline(), &window).unwrap();
    run_with(&input, RunOptions::default())
}

#[test]
fn the_demo_order_arrives_no_sooner_than_today_plus_booking_and_lags() {
    // planned from December 2026, with two years of history shown
    let r = planned("2026-12", "2024-12", 72);
    let o = &r.orders[0];
    // placed 2026-10 with the default lags: 4 weeks of booking (1 month), 12 weeks after packaging (3 months)
    assert_eq!(
        (o.placed.to_string(), o.earliest_packaging.to_string(), o.lag_months),
        ("2026-10".into(), "2026-12".into(), 3)
    );
    let i_today = r.months.iter().position(|m| m.to_string() == "2026-12").unwrap();
    assert!(o.packaged[..i_today].iter().all(|p| *p == 0.0), "the order took output from history");
    assert!(o.deliveries[..i_today + 3].iter().all(|d| *d == 0.0), "a unit arrived before packaging + lags");
    let c = o.completion.expect("the demo order completes within four years");
    assert!(c >= "2027-03".parse().unwrap(), "complete {c}: before today + lags");
    // the same data planned from two years earlier: the order (placed 2026-10) still waits for its placement
    let early = planned("2025-01", "2025-01", 60);
    assert_eq!(early.orders[0].earliest_packaging.to_string(), "2026-11");
}

#[test]
fn how_much_history_is_shown_does_not_change_the_answer() {
    // the same planning date; one window starts at today, one shows two years of history
    let short = planned("2026-12", "2026-12", 48);
    let long = planned("2026-12", "2024-12", 72);
    assert_eq!(short.orders[0].completion, long.orders[0].completion);
    // and a later planning date can only delay the order
    let later = planned("2027-03", "2025-03", 72);
    assert!(later.orders[0].completion.unwrap_or("2099-01".parse().unwrap()) >= long.orders[0].completion.unwrap());
}

#[test]
fn no_capacity_or_stock_exists_before_a_technology_does() {
    // the whole window as plan (today at its start), so the program may store from 2024-12 on
    let window = packplan_core::horizon::Horizon {
        today: "2024-12".parse().unwrap(),
        start: "2024-12".parse().unwrap(),
        months: 48,
    };
    let input = assemble(&demo_tables(), vec![], &Scenario::baseline(), &window).unwrap();
    let hbm4_first: packplan_core::month::Month = "2026-02".parse().unwrap();
    let r = run_with(&input, RunOptions::default());
    let hbm4 = r.capacity.iter().find(|c| c.technology == "hbm4").unwrap();
    let at = |m: &str| hbm4.base[input.start.months_until(m.parse().unwrap()) as usize];
    // HBM4 reached NVIDIA in February 2026: nothing before, then a nine-month ramp to the first figure (2026-12)
    assert_eq!(at("2025-06"), 0.0);
    assert_eq!(at("2026-01"), 0.0);
    let full = at("2026-12");
    assert!(full > 1e6, "{full}");
    assert!((at("2026-05") / at("2026-11") - 3.0 / 9.0).abs() < 1e-9);
    // so no HBM4 stack is stocked before HBM4 existed
    let model = Model::new(&input).unwrap();
    let (_, plan) =
        model.build(&packplan_core::model::uncertain::Draw::base()).unwrap().solve_with_plan(&input, false).unwrap();
    for (q, pool) in plan.pools.iter().enumerate() {
        if pool.pool.technology != "hbm4" {
            continue;
        }
        for (k, stock) in plan.stock_out[q].iter().enumerate() {
            let month = input.start.plus(plan.first_start + k as i32);
            if month < hbm4_first {
                assert!(*stock < 1e-6, "{} holds {stock} HBM4 stacks in {month}", pool.pool.label());
            }
        }
    }
}

#[test]
fn bottlenecks_are_measured_and_never_beat_their_shadow_price_bound() {
    let window = packplan_core::horizon::Horizon::around("2026-12".parse().unwrap());
    let input = assemble(&demo_tables(), vec![], &Scenario::baseline(), &window).unwrap();
    assert!(run_with(&input, RunOptions::default()).bottlenecks.is_empty(), "measured without being asked");
    let r = run_with(&input, RunOptions { measure_bottlenecks: true, ..Default::default() });
    assert!(!r.bottlenecks.is_empty(), "nothing binds in the demo plan");
    let top = &r.bottlenecks[0];
    assert!(top.extra_units > 0.0, "10 % more of the top bottleneck {} delivers nothing", top.resource);
    for b in &r.bottlenecks {
        // the plan's value is concave in capacity: the dual's promise is an upper bound
        assert!(
            b.extra_objective <= b.bound_objective + 1e-6 * r.objective.abs(),
            "{}: measured {} above the bound {}",
            b.resource,
            b.extra_objective,
            b.bound_objective
        );
    }
    // ranked by the measured gain
    assert!(r.bottlenecks.windows(2).all(|w| w[0].extra_units >= w[1].extra_units));
    // HBM binds the demo: the measured top is a memory pool
    assert_eq!(top.stage, packplan_core::stage::Stage::Memory, "{top:?}");
    // named as the user reads it: the technology's name and whose allocation, never the id
    let names: Vec<(&str, &str)> = r.bottlenecks.iter().map(|b| (b.resource.as_str(), b.name.as_str())).collect();
    assert!(names.contains(&("hbm4 (NVIDIA)", "HBM4 at NVIDIA's allocation")), "{names:?}");
    assert!(names.contains(&("hbm3e (Google)", "HBM3E at Google's allocation")), "{names:?}");
    for b in r.network.binding.iter().filter(|b| b.resource.starts_with("demand cap of ")) {
        assert!(b.name.starts_with("the demand for "), "{b:?}");
    }
    let unallocated = r.network.binding.iter().find(|b| b.resource == "hbm3e").map(|b| b.name.as_str());
    assert!(unallocated.is_none_or(|n| n == "HBM3E, unallocated"), "{unallocated:?}");
}

#[test]
fn a_supply_line_is_one_product_at_one_share_and_says_so_when_it_is_not() {
    let mut input = input_for(&Scenario::baseline());
    let mut second = input.orders[0].clone();
    second.id = "phase-2".into();
    second.supply_line = Some("dell-allocation".into());
    input.orders[0].supply_line = Some("dell-allocation".into());
    input.orders.push(second);
    // the same share on one line: valid, and the two phases now share the line's output
    input.validate().unwrap();
    let shared = run_with(&input, RunOptions::default());
    let alone = run_with(&input_for(&Scenario::baseline()), RunOptions::default());
    assert!(shared.orders[1].completion.unwrap_or("2099-01".parse().unwrap()) > alone.orders[0].completion.unwrap());
    // a different share on the same line is refused with what to do
    input.orders[1].obtainable_share = packplan_core::model::estimate::Estimate::fixed(0.01);
    let err = input.validate().unwrap_err().to_string();
    assert!(err.contains("share the supply line \"dell-allocation\"") && err.contains("name two lines"), "{err}");
    // and so are different allocations or queues on one line
    input.orders[1].obtainable_share = input.orders[0].obtainable_share;
    input.orders[1].terms.queue_ahead = 500.0;
    let err = input.validate().unwrap_err().to_string();
    assert!(err.contains("different allocations or queues"), "{err}");
    // an allocation month without an allocation says what is missing
    let mut lone = input_for(&Scenario::baseline());
    lone.orders[0].terms.allocation_from = Some("2027-06".parse().unwrap());
    let err = lone.validate().unwrap_err().to_string();
    assert!(err.contains("gives an allocation_from month but no allocation_per_month"), "{err}");
}

#[test]
fn the_first_planned_month_does_not_spend_stock_banked_before_the_start() {
    // months before the plan's start only serve work in progress: nothing banked there
    // may be spent in the first planned month (it once doubled B300 output in 2026-12)
    let r = planned("2026-12", "2024-12", 72);
    let i = r.months.iter().position(|m| m.to_string() == "2026-12").unwrap();
    let b300 = r.network.units_of("b300").unwrap();
    let (first, next) = (b300[i], b300[i + 1]);
    assert!(first > 0.0 && first < 1.2 * next, "B300 in 2026-12: {first}, in 2027-01: {next}");
}
