//! Workbook import: 100,000 capacity rows in an `.xlsx` (as an analyst's own file),
//! read (calamine), checked cell by cell, previewed against the vault and applied in
//! one transaction into a fresh vault holding the demo's suppliers, facilities and
//! technologies. One measured run, printed as table rows for docs/performance.md
//! (`cargo bench -p packplan-core --bench import_workbook`; target: under 10 s).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use packplan_core::bundle::spreadsheet::Conventions;
use packplan_core::dataset::import;
use packplan_core::dataset::own_files::{self, OwnFiles};
use packplan_core::location::VaultLocation;
use packplan_core::progress::{CancelToken, NoProgress};
use packplan_core::vault::{Passphrase, Vault};
use rust_xlsxwriter::Workbook;

const ROWS: u32 = 100_000;

fn demo_rows(name: &str) -> Vec<Vec<String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo").join(name);
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    std::iter::once(header).chain(reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect())).collect()
}

fn main() {
    let mut book = Workbook::new();
    for table in ["suppliers", "facilities", "technologies"] {
        let sheet = book.add_worksheet();
        sheet.set_name(table).unwrap();
        for (r, row) in demo_rows(&format!("{table}.csv")).iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, cell.as_str()).unwrap();
            }
        }
    }
    let sheet = book.add_worksheet();
    sheet.set_name("capacity_observations").unwrap();
    let header =
        ["facility_id", "technology_id", "month", "low", "base", "high", "unit", "source", "as_of", "confidence"];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let pairs =
        [("tsmc-cowos", "cowos-l"), ("tsmc-cowos", "cowos-s"), ("skh-icheon", "hbm3e"), ("micron-hbm", "hbm3e")];
    for i in 0..ROWS {
        let (f, t) = pairs[i as usize % pairs.len()];
        let unit = if t == "hbm3e" { "GB/month" } else { "wafers/month" };
        let month = 2000 * 12 + (i as usize / pairs.len()) % 1200;
        let base = f64::from(1000 + i % 5000);
        let row = i + 1;
        sheet.write_string(row, 0, f).unwrap();
        sheet.write_string(row, 1, t).unwrap();
        sheet.write_string(row, 2, format!("{:04}-{:02}", month / 12, month % 12 + 1)).unwrap();
        sheet.write_number(row, 3, base - 100.0).unwrap();
        sheet.write_number(row, 4, base).unwrap();
        sheet.write_number(row, 5, base + 100.0).unwrap();
        sheet.write_string(row, 6, unit).unwrap();
        sheet.write_string(row, 7, format!("synthetic source {}", i as usize / (pairs.len() * 1200))).unwrap();
        sheet.write_string(row, 8, "2026-06-30").unwrap();
        sheet.write_string(row, 9, "C").unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();

    let dir = tempfile::tempdir().unwrap();
    let location = VaultLocation::resolve(Some(&dir.path().join("vault"))).unwrap();
    let (mut vault, _) = Vault::init(&location, &Passphrase::new("benchmark passphrase 1".into()), "bench").unwrap();
    let own = OwnFiles { name: "capacity.xlsx", classification: "INTERNAL", conventions: Conventions::default() };
    let size = bytes.len();
    let t = Instant::now();
    let opened = own_files::open_workbook(&vault, &own, bytes).unwrap();
    let read_secs = t.elapsed().as_secs_f64();
    let staged = import::stage_opened(&vault, opened, &NoProgress, &CancelToken::new()).unwrap();
    let staged_secs = t.elapsed().as_secs_f64();
    assert!(
        staged.preview.problems.is_empty(),
        "{:?}",
        &staged.preview.problems[..3.min(staged.preview.problems.len())]
    );
    let t2 = Instant::now();
    import::apply(&mut vault, staged, "bench", &NoProgress, &CancelToken::new()).unwrap();
    let apply_secs = t2.elapsed().as_secs_f64();
    let total = staged_secs + apply_secs;
    println!("workbook: {ROWS} capacity rows, {:.1} MiB .xlsx", size as f64 / 1048576.0);
    println!("| Packplan: read the workbook and check every cell | {read_secs:.2} s |");
    println!("| Packplan: read, check and diff (stage) | {staged_secs:.2} s |");
    println!("| Packplan: apply in one transaction (insert, audit) | {apply_secs:.2} s |");
    println!("| Packplan: workbook import total | {total:.2} s ({:.0} rows/s) |", f64::from(ROWS) / total);
}
