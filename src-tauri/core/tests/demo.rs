//! The shipped demo: its bundle matches its sources, it loads through the normal
//! import pipeline, its scenarios tell the story, and its baseline agrees with
//! public anchors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use packplan_core::bundle::envelope::{parse_identities, Opening};
use packplan_core::bundle::{open, IssuerKey, Limits, SignaturePolicy};
use packplan_core::dataset::{self, model_input};
use packplan_core::demo;
use packplan_core::location::VaultLocation;
use packplan_core::model::run::{run, RunOptions, RunResult};
use packplan_core::progress::{CancelToken, NoProgress};
use packplan_core::vault::{keys, Passphrase, Vault};
use packplan_core::ErrorKind;

const PASS: &str = "demo test passphrase 42";

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo")
}

fn vault_with_demo() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let location = VaultLocation::resolve(Some(dir.path())).unwrap();
    let (mut vault, _) = Vault::init(&location, &Passphrase::new(PASS.into()), "test").unwrap();
    demo::load(&mut vault, "test", &NoProgress, &CancelToken::new()).unwrap();
    (dir, vault)
}

fn run_scenario(vault: &Vault, name: &str, options: RunOptions) -> RunResult {
    let input = vault.read(|c| model_input::named_input(c, name, &old_window(), "2025-01".parse().unwrap())).unwrap();
    run(&input, &options, &NoProgress, &CancelToken::new()).unwrap()
}

/// The window these tests were written for (the plan from 2025-01, 60 months).
fn old_window() -> packplan_core::horizon::WindowRequest {
    let m = "2025-01".parse().ok();
    packplan_core::horizon::WindowRequest { today: m, start: m, months: Some(60) }
}

#[test]
fn the_shipped_demo_bundle_matches_its_sources() {
    // if this fails, the CSV sources changed: run scripts/build-demo.sh
    let identities =
        parse_identities(&std::fs::read_to_string(demo_dir().join("keys/demo-identity.txt")).unwrap()).unwrap();
    let key = IssuerKey::parse(demo::ISSUER_KEY).unwrap();
    let trust = vec![("demo".to_string(), key)];
    let opened = open(
        demo::BUNDLE,
        &Opening::Identities(&identities),
        &trust,
        SignaturePolicy::default(),
        &Limits::default(),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    assert_eq!(opened.manifest.classification, demo::MARKING);
    let mut sources: Vec<String> = std::fs::read_dir(demo_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".csv") || n == "scenarios.json")
        .collect();
    sources.sort();
    let mut shipped: Vec<String> = opened.files.keys().cloned().collect();
    shipped.sort();
    assert!(sources.len() >= 10, "the demo's sources: {sources:?}");
    assert_eq!(shipped, sources, "demo.ppb holds other files than assets/demo: run scripts/build-demo.sh");
    for name in &sources {
        let source = std::fs::read(demo_dir().join(name)).unwrap();
        assert!(
            opened.files[name].bytes[..] == source[..],
            "{name} in demo.ppb differs from assets/demo/{name}: run scripts/build-demo.sh"
        );
    }
}

#[test]
fn the_demo_loads_through_the_normal_pipeline_once() {
    let (_dir, mut vault) = vault_with_demo();
    let bundles = |v: &Vault| -> Vec<dataset::Dataset> {
        v.read(dataset::list).unwrap().into_iter().filter(|d| d.origin == "bundle").collect()
    };
    let datasets = bundles(&vault);
    assert_eq!(datasets.len(), 1);
    assert_eq!(datasets[0].classification, demo::MARKING);
    assert_eq!(datasets[0].issuer.as_deref(), Some(demo::ISSUER_NAME));
    // the DEMO ONLY key's secret is published: the import trusted it once, and no trust is stored
    assert!(vault.read(keys::list_issuers).unwrap().is_empty());
    let actions: Vec<String> = vault.audit_list(10).unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions[0], "bundle.import", "{actions:?}");
    assert!(!actions.contains(&"issuer.add".to_string()), "{actions:?}");
    // its scenarios came with it
    let names: Vec<String> = vault.read(model_input::scenarios).unwrap().into_iter().map(|s| s.name).collect();
    for s in [
        "Baseline",
        "CoPoS accelerated",
        "CoPoS slips",
        "Gag-order opacity",
        "HBM squeeze",
        "Taiwan packaging disruption",
    ] {
        assert!(names.iter().any(|n| n == s), "{s} missing from {names:?}");
    }
    // loading again says so, and changes nothing
    let before = vault.digest().unwrap();
    let err = demo::load(&mut vault, "test", &NoProgress, &CancelToken::new()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    assert_eq!(vault.digest().unwrap(), before);
    // after removing it, it loads again (no ratchet is kept for a key no one trusts)
    let id = datasets[0].id.clone();
    dataset::remove_audited(&mut vault, &id, "test").unwrap();
    demo::load(&mut vault, "test", &NoProgress, &CancelToken::new()).unwrap();
    assert_eq!(bundles(&vault).len(), 1);
}

#[test]
fn the_baseline_agrees_with_public_anchors() {
    let (_dir, vault) = vault_with_demo();
    let r = run_scenario(&vault, "Baseline", RunOptions::default());
    let upc = |product: &str, tech: &str| {
        r.network.routes.iter().find(|n| n.product == product && n.technology == tech).unwrap().units_per_carrier
    };
    // press reports: about 29 H100 and 16 B200 per CoWoS wafer
    assert!((27..=31).contains(&upc("h100", "cowos-s")), "H100 per wafer {}", upc("h100", "cowos-s"));
    assert_eq!(upc("b200", "cowos-l"), 16);
    assert_eq!(upc("rubin", "cowos-l"), 9); // JPMorgan: about 9 Rubin per wafer
                                            // 2026 output of accelerators: the same order of magnitude as public estimates
                                            // (JPMorgan: 2.5M TPUs alone in 2026; NVIDIA ships millions of GPUs a year)
    let total_2026: f64 = r
        .network
        .products
        .iter()
        .flat_map(|p| r.months.iter().zip(&p.units).filter(|(m, _)| m.year() == 2026).map(|(_, u)| *u))
        .sum();
    assert!((2.5e6..25e6).contains(&total_2026), "2026 output {total_2026}");
}

#[test]
fn each_demo_scenario_moves_the_plan_as_its_story_says() {
    let (_dir, vault) = vault_with_demo();
    let base = run_scenario(&vault, "Baseline", RunOptions::default());
    let copos_2028 = |r: &RunResult| {
        let i = r.months.iter().position(|m| m.to_string() == "2028-03").unwrap();
        r.capacity.iter().find(|c| c.technology == "copos").unwrap().base[i]
    };
    let accelerated = run_scenario(&vault, "CoPoS accelerated", RunOptions::default());
    assert!(copos_2028(&accelerated) > copos_2028(&base));
    let slips = run_scenario(&vault, "CoPoS slips", RunOptions::default());
    assert!(copos_2028(&slips) <= copos_2028(&base));
    let squeeze = run_scenario(&vault, "HBM squeeze", RunOptions::default());
    let b300 = |r: &RunResult| -> f64 { r.network.units_of("b300").unwrap().iter().sum() };
    assert!(b300(&squeeze) < b300(&base));
    assert!(squeeze.orders[0].completion >= base.orders[0].completion);
    let disruption = run_scenario(&vault, "Taiwan packaging disruption", RunOptions::default());
    assert!(disruption.objective < base.objective);
    // gag-order opacity: same base plan, wider Monte Carlo spread where packaging
    // carries the plan. In the public figures HBM binds and CoWoS-L has room, so the
    // opacity only shows once HBM is plentiful (here: doubled in both runs).
    let options = RunOptions { trials: 300, seed: 5, ..Default::default() };
    let spread = |r: &RunResult| -> f64 {
        let mc = r.monte_carlo.as_ref().unwrap();
        mc.products.iter().map(|p| p.p95.iter().zip(&p.p5).map(|(a, b)| a - b).sum::<f64>()).sum()
    };
    let with_plenty_of_hbm = |name: &str| {
        let mut input =
            vault.read(|c| model_input::named_input(c, name, &old_window(), "2025-01".parse().unwrap())).unwrap();
        for c in input.capacity.iter_mut().filter(|c| c.technology.starts_with("hbm")) {
            (c.value.low, c.value.base, c.value.high) = (c.value.low * 2.0, c.value.base * 2.0, c.value.high * 2.0);
        }
        run(&input, &options, &NoProgress, &CancelToken::new()).unwrap()
    };
    let opaque = with_plenty_of_hbm("Gag-order opacity");
    let plain = with_plenty_of_hbm("Baseline");
    assert!((opaque.objective - plain.objective).abs() <= 1e-6 * plain.objective);
    assert!(spread(&opaque) > spread(&plain), "opacity must widen the bands");
}
