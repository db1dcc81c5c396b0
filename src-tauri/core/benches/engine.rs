//! Engine benchmarks on the demo-sized input (assets/demo): the deterministic solve,
//! the plan-following evaluation used while dragging a slider, and the Monte Carlo,
//! with how time grows with trials and months. Figures go to docs/performance.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use packplan_core::bundle::producer::rows_from_folder;
use packplan_core::horizon::Horizon;
use packplan_core::model::assemble::assemble;
use packplan_core::model::input::ModelInput;
use packplan_core::model::network::Model;
use packplan_core::model::run::{run, RunOptions};
use packplan_core::model::scenario::Scenario;
use packplan_core::model::uncertain::Draw;
use packplan_core::month::Month;
use packplan_core::progress::{CancelToken, NoProgress};

fn demo(months: u32) -> ModelInput {
    let rows =
        rows_from_folder(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo"), "demo").unwrap();
    let start = "2025-01".parse::<Month>().unwrap();
    let horizon = Horizon { today: start, start, months };
    assemble(&rows, vec![], &Scenario::baseline(), &horizon).unwrap()
}

fn deterministic(c: &mut Criterion) {
    let mut g = c.benchmark_group("deterministic");
    for months in [24u32, 60] {
        let input = demo(months);
        let model = Model::new(&input).unwrap();
        g.bench_with_input(BenchmarkId::new("build+solve", months), &months, |b, _| {
            b.iter(|| model.build(&Draw::base()).unwrap().solve(&input, false).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("build+solve+shadow prices", months), &months, |b, _| {
            b.iter(|| model.build(&Draw::base()).unwrap().solve(&input, true).unwrap())
        });
        let (_, plan) = model.build(&Draw::base()).unwrap().solve_with_plan(&input, false).unwrap();
        g.bench_with_input(BenchmarkId::new("follow plan (slider preview)", months), &months, |b, _| {
            b.iter(|| model.follow(&plan, &Draw::base()))
        });
        // What the scenario editor waits for while a slider moves: solve, bottlenecks and the units chart.
        g.bench_with_input(BenchmarkId::new("scenario draft (slider round trip)", months), &months, |b, _| {
            b.iter(|| {
                packplan_core::report::editor::draft(&input, &packplan_core::report::Edition::on("2026-12-01")).unwrap()
            })
        });
    }
    g.finish();
}

fn monte_carlo(c: &mut Criterion) {
    let mut g = c.benchmark_group("monte carlo");
    g.sample_size(10);
    let input = demo(60);
    for trials in [1_000usize, 10_000] {
        g.bench_with_input(BenchmarkId::new("trials, 60 months", trials), &trials, |b, &trials| {
            b.iter(|| {
                run(&input, &RunOptions { trials, seed: 1, ..Default::default() }, &NoProgress, &CancelToken::new())
                    .unwrap()
            })
        });
    }
    let short = demo(24);
    g.bench_function("10000 trials, 24 months", |b| {
        b.iter(|| {
            run(&short, &RunOptions { trials: 10_000, seed: 1, ..Default::default() }, &NoProgress, &CancelToken::new())
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, deterministic, monte_carlo);
criterion_main!(benches);
