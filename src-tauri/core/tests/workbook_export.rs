//! The plan and its data as a workbook (report::workbook), read back as a reader of
//! the file would: every sheet marked in its printed header and footer, the answer
//! figures equal to the model's, the data tables whole, the provenance on its sheet.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{Cursor, Read};

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use packplan_core::bundle::producer::rows_from_folder;
use packplan_core::model::run::{run, RunOptions};
use packplan_core::progress::{CancelToken, NoProgress};
use packplan_core::report::workbook::plan_workbook;
use packplan_core::report::{overview, Edition};
use support::demo::demo_input;

const MARKING: &str = "CONFIDENTIAL - SUPPLIER NDA & PARTNERS";
/// The marking the sheets carry: the setting's level and caveat, and that the input names no dataset.
const BANNER: &str = "CONFIDENTIAL // SUPPLIER NDA & PARTNERS // NO DATASET";

#[test]
fn every_sheet_is_marked_and_the_orders_sheet_holds_the_models_answer() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
    let tables = rows_from_folder(&folder, "demo").unwrap();
    let mut input = demo_input("2026-12", "2024-12", 48);
    input.marking = Some(MARKING.into());
    let options = RunOptions { trials: 200, seed: 7, ..RunOptions::default() };
    let r = run(&input, &options, &NoProgress, &CancelToken::new()).unwrap();
    let edition = Edition::on("2026-12-01");
    let bytes = plan_workbook(&input, &r, &tables, &edition).unwrap();

    // the printed header and footer of every sheet carry the marking (& doubled, as
    // Excel's header codes need), and the footer the page numbers
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    let sheets: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok())
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .map(|n| n.into_owned())
        .collect();
    assert!(sheets.len() >= 5 + 10, "{sheets:?}");
    for name in &sheets {
        let mut xml = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
        let escaped = "CONFIDENTIAL // SUPPLIER NDA &amp;&amp; PARTNERS";
        let header = xml.split("<oddHeader>").nth(1).and_then(|h| h.split("</oddHeader>").next()).unwrap_or("");
        let footer = xml.split("<oddFooter>").nth(1).and_then(|f| f.split("</oddFooter>").next()).unwrap_or("");
        assert!(header.contains(escaped), "{name}: header {header:?}");
        assert!(footer.contains(escaped) && footer.contains("Page &amp;P of &amp;N"), "{name}: footer {footer:?}");
        assert!(footer.contains("Scenario: Baseline"), "{name}: footer {footer:?}");
    }

    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    for expected in
        ["Provenance", "Orders", "Units", "Cost assumptions", "Concentration", "data orders", "data allocations"]
    {
        assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
    }
    let text = |d: &Data| d.to_string();
    let orders = book.worksheet_range("Orders").unwrap();
    let head: Vec<String> = orders.rows().next().unwrap().iter().map(text).collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let row: Vec<Data> = orders.rows().nth(1).unwrap().to_vec();
    let model = overview::overview_of(&input, &r, &edition).unwrap();
    let odds = &model.uncertainty.as_ref().unwrap().orders[0];
    assert_eq!(text(&row[col("order")]), "cluster-a");
    assert_eq!(row[col("P(complete by needed by)")], Data::Float(odds.probability_on_time));
    assert_eq!(text(&row[col("P50")]), odds.p50.unwrap().to_string());
    assert_eq!(text(&row[col("complete (plan)")]), model.orders[0].completion.unwrap().to_string());

    let provenance = book.worksheet_range("Provenance").unwrap();
    let first: Vec<String> = provenance.rows().next().unwrap().iter().map(text).collect();
    assert_eq!(first[..2], ["Classification".to_string(), BANNER.to_string()]);
    assert!(provenance.rows().any(|r| r.iter().any(|c| text(c) == model.input_sha256)), "the run id is on the sheet");

    let allocations = book.worksheet_range("data allocations").unwrap();
    assert_eq!(allocations.rows().count() - 1, tables["allocations"].len());
    let head: Vec<String> = allocations.rows().next().unwrap().iter().map(text).collect();
    assert!(head.contains(&"source".to_string()) && head.contains(&"dataset_id".to_string()), "{head:?}");
}
