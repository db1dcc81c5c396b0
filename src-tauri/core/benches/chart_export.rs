//! Chart export time: every chart of the catalogue drawn to SVG, and from it to a
//! 1600x900 PNG and to a PDF, from a demo run (criterion; figures in docs/performance.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use packplan_core::bundle::producer::rows_from_folder;
use packplan_core::chart::catalogue::{build, Context};
use packplan_core::chart::kind::{ChartKind, Needs};
use packplan_core::chart::{export, Format, ImageSize};
use packplan_core::model::assemble::assemble;
use packplan_core::model::run::{run, RunOptions};
use packplan_core::model::scenario::Scenario;
use packplan_core::progress::{CancelToken, NoProgress};

fn charts(c: &mut Criterion) {
    let rows =
        rows_from_folder(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo"), "demo").unwrap();
    let input = assemble(
        &rows,
        vec![],
        &Scenario::baseline(),
        &packplan_core::horizon::Horizon {
            today: "2025-01".parse().unwrap(),
            start: "2025-01".parse().unwrap(),
            months: 60,
        },
    )
    .unwrap();
    let result = run(
        &input,
        &RunOptions { trials: 1000, seed: 1, sensitivity: true, ..Default::default() },
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    let mut g = c.benchmark_group("chart export 1600x900");
    g.sample_size(20);
    for kind in ChartKind::ALL.into_iter().filter(|k| k.needs() != Needs::Comparison) {
        let ctx = Context {
            input: &input,
            run: &result,
            other: None,
            product: None,
            classification_setting: None,
            generated: "2026-11-26".into(),
            app_version: "0.1.0".into(),
        };
        let spec = build(kind, &ctx).unwrap();
        g.bench_function(format!("{kind} png"), |b| {
            b.iter(|| export(&spec, Format::Png, ImageSize::default()).unwrap())
        });
        g.bench_function(format!("{kind} svg"), |b| {
            b.iter(|| export(&spec, Format::Svg, ImageSize::default()).unwrap())
        });
        g.bench_function(format!("{kind} pdf"), |b| {
            b.iter(|| export(&spec, Format::Pdf, ImageSize::default()).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, charts);
criterion_main!(benches);
