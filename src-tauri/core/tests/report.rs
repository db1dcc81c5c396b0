//! The results screens' figures on the demo data (assets/demo): orders with their
//! lateness and cost, the TCO assumptions traced to source and dataset, supplier
//! concentration with regions, and the tornado with progress and Cancel.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use packplan_core::bundle::producer::rows_from_folder;
use packplan_core::bundle::rows::TableRows;
use packplan_core::chart::kind::ChartKind;
use packplan_core::model::assemble::assemble;
use packplan_core::model::estimate::Estimate;
use packplan_core::model::input::{DatasetRef, ModelInput, Order};
use packplan_core::model::scenario::Scenario;
use packplan_core::progress::{CancelToken, CollectProgress, NoProgress};
use packplan_core::report::{orders, overview, risk, sensitivity, Edition};
use packplan_core::stage::Stage;
use packplan_core::ErrorKind;

fn demo_tables() -> TableRows {
    rows_from_folder(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo"), "demo").unwrap()
}

fn demo_input(tables: &TableRows) -> ModelInput {
    let provenance = vec![DatasetRef {
        id: "demo".into(),
        title: "Packplan demo: public estimates".into(),
        classification: "ILLUSTRATIVE: PUBLIC ESTIMATES".into(),
        as_of: "2026-06-30".into(),
    }];
    assemble(
        tables,
        provenance,
        &Scenario::baseline(),
        &packplan_core::horizon::Horizon {
            today: "2025-01".parse().unwrap(),
            start: "2025-01".parse().unwrap(),
            months: 60,
        },
    )
    .unwrap()
}

#[test]
fn orders_show_delivery_lateness_and_cost_with_their_charts() {
    let tables = demo_tables();
    let mut input = demo_input(&tables);
    // a second order that cannot be met: needed within two months of the start
    input.orders.push(Order {
        id: "rush".into(),
        product: "b300".into(),
        quantity: 500,
        needed_by: input.start.plus(1),
        obtainable_share: Estimate::fixed(0.001),
        priority: 1,
        placed: None,
        lags: Default::default(),
        supply_line: None,
        terms: Default::default(),
    });
    let report = orders::orders(&input, &tables, &edition()).unwrap();
    assert_eq!(report.months[0].to_string(), "2025-01");
    assert_eq!(report.months[1].to_string(), "2029-12");
    let a = &report.orders[0];
    assert_eq!((a.order.as_str(), a.product.as_str(), a.quantity), ("cluster-a", "B300", 2048));
    assert!(a.on_time);
    assert_eq!(a.months_late, Some(0));
    let cost = a.cost_per_gpu_hour.unwrap();
    assert!((0.5..20.0).contains(&cost.total), "{cost:?}");
    assert!((cost.capex + cost.power + cost.facility + cost.staff - cost.total).abs() < 1e-9);
    assert!(a.break_even.is_some(), "owning a B300 never beats renting one in the demo");
    assert!(a.cloud_usd_per_hour.unwrap() > 0.0);

    let rush = &report.orders[1];
    assert!(!rush.on_time);
    match (rush.completion, rush.months_late) {
        (Some(c), Some(late)) => assert_eq!(late, rush.needed_by.months_until(c)),
        (None, None) => {}
        other => panic!("lateness and completion disagree: {other:?}"),
    }
    assert!(rush.months_late.is_none_or(|m| m > 0));

    let kinds: Vec<ChartKind> = report.charts.charts.iter().map(|c| c.spec.kind).collect();
    assert_eq!(kinds, orders::CHARTS);
    assert_eq!(report.datasets.len(), 1);
}

#[test]
fn every_cost_assumption_traces_to_its_source_and_dataset() {
    let tables = demo_tables();
    let input = demo_input(&tables);
    let list = orders::assumptions(&input, &tables);
    // 11 TCO assumptions, then price, power and cloud price of the ordered B300
    assert_eq!(list.len(), 14, "{:?}", list.iter().map(|a| &a.key).collect::<Vec<_>>());
    for a in &list {
        assert!(!a.sources.is_empty(), "{} has no source", a.key);
        assert!(!a.unit.is_empty(), "{} has no unit", a.key);
        assert!(a.low <= a.base && a.base <= a.high, "{}", a.key);
        for s in &a.sources {
            assert_eq!(s.dataset, "demo");
            assert_eq!(s.dataset_title, "Packplan demo: public estimates");
            assert!(!s.source.is_empty(), "{} has an empty source", a.key);
        }
    }
    let pue = list.iter().find(|a| a.key == "pue").unwrap();
    assert_eq!((pue.low, pue.base, pue.high, pue.unit.as_str()), (1.2, 1.3, 1.58, "ratio"));
    assert!(pue.sources[0].source.contains("Uptime Institute"));
    assert_eq!(pue.sources[0].as_of, "2024-12-31");
    let cloud = list.iter().find(|a| a.key == "cloud:b300").unwrap();
    assert_eq!(cloud.unit, "USD per GPU-hour");
    assert!(list.iter().any(|a| a.key == "price:b300" && a.unit == "USD"));

    // an input with no table rows behind it still lists what the run uses, without sources
    let bare = orders::assumptions(&input, &TableRows::new());
    assert_eq!(bare.len(), list.len());
    assert!(bare.iter().all(|a| a.sources.is_empty()));
}

#[test]
fn risk_names_concentration_suppliers_and_regions_per_technology() {
    let tables = demo_tables();
    let input = demo_input(&tables);
    let report = risk::risk(&input, &edition()).unwrap();
    let decembers: Vec<String> = report.months.iter().map(|m| m.to_string()).collect();
    assert_eq!(decembers, ["2025-12", "2026-12", "2027-12", "2028-12", "2029-12"]);
    assert!(report.chart_month.is_some_and(|m| report.months.contains(&m)));
    assert_eq!((report.moderate, report.high), (1500.0, 2500.0));

    let first = report.months[0];
    let cowos_l = report.technologies.iter().find(|t| t.month == first && t.technology == "cowos-l").unwrap();
    assert!(cowos_l.single_source);
    assert_eq!(cowos_l.hhi, 10_000.0);
    assert_eq!(cowos_l.level, "highly concentrated");
    assert_eq!(cowos_l.suppliers[0].name, "TSMC");
    assert_eq!(cowos_l.regions[0].name, "Taiwan");
    assert!((cowos_l.regions[0].share - 1.0).abs() < 1e-9);
    // the order's path: B300 is packaged on CoWoS-L (or an OSAT's CoWoS-class line), with HBM3E
    assert_eq!(cowos_l.orders, ["cluster-a"]);
    let in_first: Vec<_> = report.technologies.iter().filter(|t| t.month == first).collect();
    let on_path: Vec<&str> = in_first.iter().filter(|t| !t.orders.is_empty()).map(|t| t.technology.as_str()).collect();
    for needed in ["cowos-l", "cowos-like", "hbm3e"] {
        assert!(on_path.contains(&needed), "{needed} is on the order's path: {on_path:?}");
    }
    assert!(!on_path.contains(&"copos-pilot") && !on_path.contains(&"hbm4"), "{on_path:?}");
    assert!(on_path.len() < in_first.len(), "not every technology is the order's exposure");
    // what the orders need comes first
    let first_off = in_first.iter().position(|t| t.orders.is_empty()).unwrap();
    assert!(in_first[first_off..].iter().all(|t| t.orders.is_empty()), "on-path technologies lead");
    for t in &report.technologies {
        let total: f64 = t.suppliers.iter().map(|s| s.share).sum();
        assert!((total - 1.0).abs() < 1e-6, "{} supplier shares sum to {total}", t.technology);
        let total: f64 = t.regions.iter().map(|s| s.share).sum();
        assert!((total - 1.0).abs() < 1e-6, "{} region shares sum to {total}", t.technology);
        assert!(t.suppliers.windows(2).all(|w| w[0].share >= w[1].share));
    }
    // wafer packaging in the demo sits in Taiwan and Korea (Amkor)
    let wafers = report.exposure.iter().find(|e| e.month == first && e.unit.contains("wafer")).unwrap();
    assert!(wafers.total > 0.0);
    let names: Vec<&str> = wafers.regions.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names[0], "Taiwan");
    assert!(names.contains(&"Korea"), "{names:?}");
    assert!(report.technologies.iter().any(|t| t.stage == Stage::Memory));
    assert_eq!(report.charts.charts.len(), 1);
    assert_eq!(report.charts.charts[0].spec.kind, ChartKind::Concentration);
}

#[test]
fn the_tornado_reports_progress_and_stops_on_cancel() {
    let tables = demo_tables();
    let input = demo_input(&tables);
    let progress = CollectProgress::default();
    let s = sensitivity::sensitivity(&input, &edition(), &progress, &CancelToken::new()).unwrap();
    assert_eq!((s.order.as_str(), s.product.as_str()), ("cluster-a", "B300"));
    assert!(!s.bars.is_empty());
    assert!(s.base_units > 0.0);
    assert_eq!(s.charts.charts[0].spec.kind, ChartKind::Tornado);
    let reports = progress.reports();
    assert_eq!(reports.last().map(|r| (r.done, r.total)), Some((1, Some(1))));

    let cancelled = CancelToken::new();
    cancelled.cancel();
    let e = sensitivity::sensitivity(&input, &edition(), &NoProgress, &cancelled).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);

    let mut none = input.clone();
    none.orders.clear();
    let e = sensitivity::sensitivity(&none, &edition(), &NoProgress, &CancelToken::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.message().contains("add an order"));
}

/// "Export all charts" says how far it is, chart by chart, and a Cancel between two
/// charts stops it with nothing returned (so nothing is written).
#[test]
fn export_all_reports_each_chart_and_stops_on_cancel() {
    use packplan_core::progress::{Progress, ProgressReport};
    use packplan_core::report::chart_file::all_charts;
    let tables = demo_tables();
    let input = demo_input(&tables);
    let progress = CollectProgress::default();
    let files = all_charts(&input, None, 200, 1, &edition(), &progress, &CancelToken::new()).unwrap();
    let charts: Vec<_> = progress.reports().into_iter().filter(|r| r.unit == "charts").collect();
    let total = charts[0].total.unwrap();
    assert_eq!(charts.iter().map(|r| r.done).collect::<Vec<_>>(), (0..=total).collect::<Vec<_>>());
    // four files per chart drawn; a chart with nothing to show is skipped, not drawn empty
    assert!(
        files.len().is_multiple_of(4) && files.len() / 4 <= total as usize && files.len() >= 4 * 8,
        "{}",
        files.len()
    );

    /// Cancels as the third chart is about to be drawn, as the user's Cancel would.
    struct CancelAtThird(CancelToken);
    impl Progress for CancelAtThird {
        fn report(&self, r: ProgressReport) {
            if r.unit == "charts" && r.done == 2 {
                self.0.cancel();
            }
        }
    }
    let token = CancelToken::new();
    let e = all_charts(&input, None, 200, 1, &edition(), &CancelAtThird(token.clone()), &token).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
}

/// The Compare screen: B against A, both overviews, and one marker where both complete together.
#[test]
fn two_scenarios_side_by_side_read_b_against_a() {
    use packplan_core::model::scenario::Override;
    let tables = demo_tables();
    let a = demo_input(&tables);
    let squeeze = Scenario {
        name: "HBM squeeze".into(),
        description: String::new(),
        overrides: vec![Override::ScaleCapacity { technology: Some("hbm3e".into()), facility: None, factor: 0.5 }],
    };
    let b = assemble(
        &tables,
        a.provenance.clone(),
        &squeeze,
        &packplan_core::horizon::Horizon {
            today: "2025-01".parse().unwrap(),
            start: "2025-01".parse().unwrap(),
            months: 60,
        },
    )
    .unwrap();
    let both = overview::side_by_side(&a, &b, &edition()).unwrap();
    assert_eq!((both.a.scenario.as_str(), both.b.scenario.as_str()), ("Baseline", "HBM squeeze"));
    assert_eq!((both.comparison.a.as_str(), both.comparison.b.as_str()), ("Baseline", "HBM squeeze"));
    assert_eq!(both.chart.spec.title, "HBM squeeze against Baseline");
    assert!(both.comparison.products.iter().any(|p| p.delta < -1.0), "halving HBM3E costs units");
    assert_eq!(both.a.charts.charts.len(), both.b.charts.charts.len());

    // the same scenario twice: one completion marker, not two printed over each other
    let same = overview::side_by_side(&a, &a, &edition()).unwrap();
    let json = serde_json::to_value(&same.chart.spec).unwrap();
    let markers = json.pointer("/body/markers").and_then(|m| m.as_array()).cloned().unwrap_or_default();
    let markers: Vec<_> = markers.into_iter().filter(|m| !m["label"].as_str().unwrap().starts_with("today ")).collect();
    assert_eq!(markers.len(), 1, "{markers:?}");
    assert!(markers[0]["label"].as_str().unwrap().starts_with("both: order complete"));
}

/// Reports made on a fixed date, so their charts' footers are the same every day.
fn edition() -> Edition {
    Edition::on("2026-11-25")
}

#[test]
fn an_order_no_accelerator_reaches_has_no_cost_per_hour_rather_than_zero() {
    let tables = demo_tables();
    let mut input = demo_input(&tables);
    // B200's shipping window closes 2026-06: an order placed after it gets nothing
    let order = &mut input.orders[0];
    order.product = "b200".into();
    order.placed = Some("2026-10".parse().unwrap());
    input.today = "2026-12".parse().unwrap();
    let r = packplan_core::model::run::run(
        &input,
        &packplan_core::model::run::RunOptions::default(),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    let report = &overview::orders(&input, &r)[0];
    assert_eq!(report.completion, None, "nothing arrives: {report:?}");
    assert!(report.net_present_cost.is_some(), "the TCO assumptions are there");
    assert_eq!(report.cost_per_gpu_hour, None, "no hours, so no cost per hour (it read $0.00)");
    let orders_report = orders::orders(&input, &tables, &Edition::on("2026-12-01")).unwrap();
    assert!(
        orders_report.charts.unavailable_charts.iter().any(|u| u.kind == ChartKind::CostPerHour),
        "the cost-per-hour chart is unavailable, not drawn at $0"
    );
}
