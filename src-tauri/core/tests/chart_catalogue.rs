//! Every chart of the catalogue, built from the demo data with a fixed seed and
//! date: the spec matches its golden file, the exports are valid and marked, and
//! the CSV carries the model's own numbers.
//!
//! A spec that differs from its golden file fails with the difference. After a deliberate
//! change, regenerate with `UPDATE_GOLDEN=1 cargo test -p packplan-core --test chart_catalogue`
//! (`UPDATE_EXPECT=1` works too). Each run draws every chart to
//! `target/chart-catalogue/KIND.png` to look at (not kept in git: the spec is the golden).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use packplan_core::bundle::producer::rows_from_folder;
use packplan_core::chart::catalogue::{build, Context};
use packplan_core::chart::kind::{ChartKind, Needs};
use packplan_core::chart::{export, Format, ImageSize};
use packplan_core::model::assemble::assemble;
use packplan_core::model::input::{DatasetRef, ModelInput};
use packplan_core::model::run::{run, RunOptions, RunResult};
use packplan_core::model::scenario::{Override, Scenario};
use packplan_core::progress::{CancelToken, NoProgress};
use packplan_core::ErrorKind;

fn input(scenario: &Scenario) -> ModelInput {
    let provenance = vec![DatasetRef {
        id: "demo".into(),
        title: "Packplan demo: public estimates".into(),
        classification: "ILLUSTRATIVE: PUBLIC ESTIMATES".into(),
        as_of: "2026-06-01".into(),
    }];
    let rows = rows_from_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo"), "demo").unwrap();
    assemble(
        &rows,
        provenance,
        scenario,
        // planned from 2026-12 with two years of history: every time chart shows today's line
        &packplan_core::horizon::Horizon::around("2026-12".parse().unwrap()),
    )
    .unwrap()
}

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/catalogue").join(name)
}

/// Numbers equal to a relative 1e-9 (the golden files are written by this code).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
        }
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Object(x), Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        _ => a == b,
    }
}

#[test]
fn every_chart_matches_its_golden_spec_and_exports_marked() {
    let base_input = input(&Scenario::baseline());
    let options = RunOptions { trials: 500, seed: 11, sensitivity: true, ..Default::default() };
    let base = run(&base_input, &options, &NoProgress, &CancelToken::new()).unwrap();
    let squeeze = Scenario {
        name: "HBM squeeze".into(),
        description: String::new(),
        overrides: vec![Override::ScaleCapacity { technology: Some("hbm3e".into()), facility: None, factor: 0.75 }],
    };
    let other: RunResult = run(&input(&squeeze), &RunOptions::default(), &NoProgress, &CancelToken::new()).unwrap();
    let update = ["UPDATE_GOLDEN", "UPDATE_EXPECT"].iter().any(|v| std::env::var_os(v).is_some());
    assert!(ChartKind::ALL.len() >= 10, "the catalogue lists its charts");
    let pictures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/chart-catalogue");
    for kind in ChartKind::ALL {
        let ctx = Context {
            input: &base_input,
            run: &base,
            other: (kind.needs() == Needs::Comparison).then_some(&other),
            product: None,
            classification_setting: None,
            generated: "2026-11-25".into(),
            app_version: "0.1.0".into(),
        };
        let spec = build(kind, &ctx).unwrap();
        assert_eq!(spec.kind, kind);
        assert_eq!(spec.marking.banner_text(), "PUBLIC // ILLUSTRATIVE: PUBLIC ESTIMATES");
        let json = serde_json::to_value(&spec).unwrap();
        let path = golden(&format!("{}.json", kind.id()));
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
        } else {
            let want: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            if !same(&json, &want) {
                // fails, showing what changed
                expect_test::expect_file![format!("golden/catalogue/{}.json", kind.id())]
                    .assert_eq(&serde_json::to_string_pretty(&spec).unwrap());
            }
        }
        // the four formats, each valid and marked
        let png = export(&spec, Format::Png, ImageSize::default()).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let info = decoder.read_info().unwrap().info().clone();
        assert_eq!((info.width, info.height), (1600, 900));
        std::fs::create_dir_all(&pictures).unwrap();
        std::fs::write(pictures.join(format!("{}.png", kind.id())), &png).unwrap();
        let svg = String::from_utf8(export(&spec, Format::Svg, ImageSize::default()).unwrap()).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let banners = doc
            .descendants()
            .filter(|n| n.has_tag_name("text") && n.text().map(str::trim) == Some(spec.marking.banner_text().as_str()))
            .count();
        assert_eq!(banners, 2, "{}: the banner at top and bottom, as text", kind.id());
        let pdf = export(&spec, Format::Pdf, ImageSize::default()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{}", kind.id());
        let csv = String::from_utf8(export(&spec, Format::Csv, ImageSize::default()).unwrap()).unwrap();
        assert!(
            csv.starts_with("# PUBLIC // ILLUSTRATIVE: PUBLIC ESTIMATES"),
            "{}: {}",
            kind.id(),
            &csv[..60.min(csv.len())]
        );
        assert!(csv.contains("Packplan demo: public estimates (as of 2026-06-01)"), "{}", kind.id());
    }
}

#[test]
fn the_units_csv_carries_the_models_numbers() {
    let base_input = input(&Scenario::baseline());
    let base = run(&base_input, &RunOptions::default(), &NoProgress, &CancelToken::new()).unwrap();
    let ctx = Context {
        input: &base_input,
        run: &base,
        other: None,
        product: None,
        classification_setting: Some("CONFIDENTIAL - PROGRAMME X".into()),
        generated: "2026-11-25".into(),
        app_version: "0.1.0".into(),
    };
    let spec = build(ChartKind::Units, &ctx).unwrap();
    // a stricter setting raises the marking, and the data's caveat stays beside it
    assert_eq!(spec.marking.banner_text(), "CONFIDENTIAL // ILLUSTRATIVE: PUBLIC ESTIMATES // PROGRAMME X");
    // in the US scheme the same labels are CONFIDENTIAL in its blue, never TOP SECRET's orange
    let mut us_input = base_input.clone();
    us_input.marking_policy.scheme =
        packplan_core::classification::Scheme::preset(packplan_core::classification::Preset::Us);
    let us_ctx = Context {
        input: &us_input,
        run: &base,
        other: None,
        product: None,
        classification_setting: ctx.classification_setting.clone(),
        generated: "2026-11-25".into(),
        app_version: "0.1.0".into(),
    };
    let us = build(ChartKind::Units, &us_ctx).unwrap();
    assert_eq!((us.marking.level.as_str(), us.marking.background.as_str()), ("CONFIDENTIAL", "#0033A0"));
    let csv = String::from_utf8(export(&spec, Format::Csv, ImageSize::default()).unwrap()).unwrap();
    let mut lines = csv.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let b300 = header.iter().position(|h| h.starts_with("B300")).unwrap();
    // before today the chart shows the record where the demo has actual rows (B300 from 2025-09)
    let b300_units = base.network.products.iter().find(|p| p.product == "b300").unwrap();
    let shown = packplan_core::model::run::shown_units(&base_input, &base.months, b300_units);
    assert!(shown.iter().any(|(_, recorded)| *recorded), "the demo records B300's 2025");
    let model: Vec<f64> = shown.into_iter().map(|(u, _)| u).collect();
    let rows: Vec<&str> = lines.collect();
    assert!(
        !model.is_empty() && rows.len() >= model.len(),
        "a row per month: {} rows, {} months",
        rows.len(),
        model.len()
    );
    for (row, want) in rows.into_iter().zip(model) {
        let got: f64 = row.split(',').nth(b300).unwrap().parse().unwrap();
        assert!((got - want).abs() <= 1e-6 * want.max(1.0), "{row}: {got} vs {want}");
    }
}

#[test]
fn a_chart_that_needs_more_says_what() {
    let base_input = input(&Scenario::baseline());
    let base = run(&base_input, &RunOptions::default(), &NoProgress, &CancelToken::new()).unwrap();
    let ctx = Context {
        input: &base_input,
        run: &base,
        other: None,
        product: None,
        classification_setting: None,
        generated: "2026-11-25".into(),
        app_version: "0.1.0".into(),
    };
    // a chart the run lacks the figures for is "not found", so a screen lists it as unavailable
    let fan = build(ChartKind::Fan, &ctx).unwrap_err();
    assert!(fan.to_string().contains("Monte Carlo") && fan.kind() == ErrorKind::NotFound, "{fan}");
    let compare = build(ChartKind::Compare, &ctx).unwrap_err();
    assert!(compare.to_string().contains("second scenario") && compare.kind() == ErrorKind::NotFound, "{compare}");
    assert!("pie".parse::<ChartKind>().unwrap_err().to_string().contains("the charts are"));
}
