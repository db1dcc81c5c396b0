//! The briefing pack as its reader gets it, read back with poppler: every page
//! carries the marking banner at its top and bottom and its page number, the answer
//! figures are the model's own (the same Monte Carlo the Overview reports), the
//! assumptions name their sources, and a pack against a second scenario says what
//! moved. Pages are written as PNG to target/briefing/ to look at.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use packplan_core::bundle::producer::rows_from_folder;
use packplan_core::bundle::rows::TableRows;
use packplan_core::classification::{Policy, Preset, Scheme};
use packplan_core::horizon::Horizon;
use packplan_core::model::assemble::assemble;
use packplan_core::model::input::{DatasetRef, ModelInput};
use packplan_core::model::scenario::{Override, Scenario};
use packplan_core::progress::{CancelToken, NoProgress};
use packplan_core::report::briefing::{briefing, BriefingOptions};
use packplan_core::report::briefing_pages::{dollars, pdf, percent};
use packplan_core::report::{uncertainty, Edition};

fn demo_tables() -> TableRows {
    rows_from_folder(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo"), "demo").unwrap()
}

fn input(tables: &TableRows, scenario: &Scenario) -> ModelInput {
    let provenance = vec![DatasetRef {
        id: "demo".into(),
        title: "Packplan demo: public estimates".into(),
        classification: "ILLUSTRATIVE: PUBLIC ESTIMATES".into(),
        as_of: "2026-06-30".into(),
    }];
    let mut input = assemble(tables, provenance, scenario, &Horizon::around("2026-12".parse().unwrap())).unwrap();
    input.marking_policy = Policy { scheme: Scheme::preset(Preset::Us), mapped: Default::default() };
    input
}

fn squeeze() -> Scenario {
    Scenario {
        name: "HBM squeeze".into(),
        description: String::new(),
        overrides: vec![Override::ScaleCapacity { technology: Some("hbm3e".into()), facility: None, factor: 0.6 }],
    }
}

#[test]
fn every_page_is_marked_and_the_answer_is_the_models() {
    let tables = demo_tables();
    let base = input(&tables, &Scenario::baseline());
    let other = input(&tables, &squeeze());
    let options = BriefingOptions { trials: 300, seed: 7 };
    let edition = Edition::on("2026-11-25");
    let b = briefing(&base, Some(&other), &tables, options, &edition, &NoProgress, &CancelToken::new()).unwrap();
    assert_eq!(b.marking.banner_text(), "UNCLASSIFIED // ILLUSTRATIVE: PUBLIC ESTIMATES");
    let bytes = pdf(&b).unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/briefing");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("briefing.pdf"), &bytes).unwrap();

    let pages = support::pdf::pages(&bytes);
    assert!(pages.len() >= 8, "cover, answer, charts, assumptions: {} pages", pages.len());
    let banner = b.marking.banner_text();
    for (i, page) in pages.iter().enumerate() {
        let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(
            lines.first().map(|l| l.trim()),
            Some(banner.as_str()),
            "page {} has the banner on top:\n{page}",
            i + 1
        );
        assert_eq!(
            lines.last().map(|l| l.trim()),
            Some(banner.as_str()),
            "page {} has the banner below:\n{page}",
            i + 1
        );
        assert!(page.contains(&format!("Page {} of {}", i + 1, pages.len())), "page {} numbered", i + 1);
        assert!(page.contains("Generated 2026-11-25 by Packplan"), "page {} has the provenance footer", i + 1);
    }
    let text = pages.join("\n");

    // the answer figures equal the model's: the Monte Carlo of the Overview, same trials and seed
    let mc = uncertainty::uncertainty(&base, 300, 7, &edition, &NoProgress, &CancelToken::new()).unwrap();
    assert!(!mc.orders.is_empty());
    let answer_page = pages.iter().find(|p| p.contains("The answer")).expect("an answer page");
    for d in &mc.orders {
        let line = answer_page.lines().find(|l| l.contains(&d.order)).expect("each order has a row");
        assert!(line.contains(&percent(d.probability_on_time)), "{line}");
        for m in [d.p10, d.p50, d.p90].into_iter().flatten() {
            assert!(line.contains(&m.words()), "{} in {line}", m.words());
        }
    }
    let o = &b.answers[0];
    assert!(answer_page.contains(&dollars(o.cost_per_gpu_hour.unwrap())));
    assert!(answer_page.contains(&dollars(o.cloud_usd_per_hour.unwrap())));
    // the answer comes before the charts, which come before the assumptions
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s:?} in the pack"));
    assert!(
        at("The answer") < at("What limits supply") && at("What limits supply") < at("Assumptions behind the cost")
    );
    assert!(text.contains("Against HBM squeeze"));
    assert!(
        text.contains("Packplan demo: public estimates, marked ILLUSTRATIVE: PUBLIC ESTIMATES"),
        "datasets on the cover"
    );
    assert!(text.contains("Capacity figures by source and grade"));

    // every page draws (landscape A4); `pdftoppm -png target/briefing/briefing.pdf` to look at them
    for n in 1..=pages.len() as u32 {
        let (w, h, _) = support::pdf::page_png(&bytes, n, 48);
        assert!(w > h, "landscape pages");
    }
}

#[test]
fn a_cancelled_pack_stops() {
    let tables = demo_tables();
    let base = input(&tables, &Scenario::baseline());
    let cancel = CancelToken::new();
    cancel.cancel();
    let e =
        briefing(&base, None, &tables, BriefingOptions::default(), &Edition::on("2026-11-25"), &NoProgress, &cancel)
            .unwrap_err();
    assert_eq!(e.kind(), packplan_core::ErrorKind::Cancelled);
}
