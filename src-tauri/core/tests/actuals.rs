//! Recorded output in history, on the demo data: months before today show what the
//! record says (actual rows) where the data has it, the plan from today never
//! depends on it, and the back-cast stays what the model makes (docs/model.md,
//! section 0).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use packplan_core::chart::catalogue::{self, Context};
use packplan_core::chart::kind::ChartKind;
use packplan_core::chart::ChartBody;
use packplan_core::model::input::ModelInput;
use packplan_core::model::run::RunResult;
use support::demo::{demo_input, month, planned};

fn demo() -> ModelInput {
    demo_input("2026-12", "2025-01", 48)
}

/// The units chart's value for `series` in `m`.
fn charted(input: &ModelInput, r: &RunResult, series: &str, m: &str) -> (f64, String) {
    let ctx = Context {
        input,
        run: r,
        other: None,
        product: None,
        classification_setting: None,
        generated: "2026-12-01".into(),
        app_version: "test".into(),
    };
    let spec = catalogue::build(ChartKind::Units, &ctx).unwrap();
    let ChartBody::Xy(plot) = &spec.body else { panic!("the units chart is an xy plot") };
    let i = r.months.iter().position(|x| *x == month(m)).unwrap();
    let s = plot.series.iter().find(|s| s.name == series).unwrap();
    (s.points[i][1], spec.subtitle.clone().unwrap_or_default())
}

#[test]
fn history_shows_the_record_where_the_data_has_it_and_the_model_elsewhere() {
    let input = demo();
    let r = planned(&input);
    let i = |m: &str| r.months.iter().position(|x| *x == month(m)).unwrap();
    // Epoch's 1.50M B300 of 2025, spread over September to December
    let (oct, subtitle) = charted(&input, &r, "B300", "2025-10");
    assert!((oct - 375_000.0).abs() < 1e-6, "{oct}");
    assert!(subtitle.contains("recorded output where the data has it"), "{subtitle}");
    let backcast = r.network.units_of("b300").unwrap()[i("2025-10")];
    assert!((backcast - oct).abs() > 1_000.0, "the back-cast {backcast} is the model's, not the record");
    // H200 has no actual rows: the model's back-cast
    let (h200, _) = charted(&input, &r, "H200", "2025-10");
    assert_eq!(h200, r.network.units_of("h200").unwrap()[i("2025-10")]);
    // from today on: the plan, even where a row would cover the month
    let mut late = input.clone();
    late.actuals[0].to = month("2027-06");
    let (plan, _) = charted(&late, &r, "B200", "2026-12");
    assert_eq!(plan, r.network.units_of("b200").unwrap()[i("2026-12")]);
    assert_eq!(late.recorded("b200", month("2026-12")), None);
}

#[test]
fn the_plan_and_the_answer_never_depend_on_the_record() {
    let input = demo();
    let mut unrecorded = input.clone();
    unrecorded.actuals.clear();
    let (a, b) = (planned(&input), planned(&unrecorded));
    assert_eq!(a.network.products, b.network.products, "units, history and plan alike");
    assert_eq!(serde_json::to_string(&a.orders).unwrap(), serde_json::to_string(&b.orders).unwrap());
}

#[test]
fn an_actual_row_that_ends_before_it_starts_is_refused_with_what_to_do() {
    let mut input = demo();
    input.actuals[0].to = month("2024-06");
    let err = input.validate().unwrap_err().to_string();
    assert!(err.contains("the recorded output of b200 from 2025-01 to 2024-06 ends before it starts"), "{err}");
    assert!(err.contains("correct from_month or to_month"), "{err}");
}
