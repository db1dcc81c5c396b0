//! The user's own workbook and CSV files into the vault (dataset::own_files): read
//! with a bundle's checks, previewed, applied in one transaction as a dataset of
//! their own with the file's provenance, and refused whole when anything is wrong.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use packplan_core::bundle::spreadsheet::{Conventions, DateOrder};
use packplan_core::bundle::template_workbook::template_workbook;
use packplan_core::dataset::import::{self, ImportReceipt, Staged};
use packplan_core::dataset::own_files::{self, OwnFiles};
use packplan_core::dataset::{self};
use packplan_core::progress::{CancelToken, NoProgress};
use packplan_core::vault::Vault;
use packplan_core::ErrorKind;
use rust_xlsxwriter::Workbook;
use support::demo::vault_with_demo;

const HEADER: [&str; 12] = [
    "technology_id",
    "customer",
    "from_month",
    "to_month",
    "share_low",
    "share_base",
    "share_high",
    "source",
    "as_of",
    "per_month_low",
    "per_month_base",
    "per_month_high",
];

fn own(name: &str) -> OwnFiles<'_> {
    OwnFiles {
        name,
        classification: "CONFIDENTIAL - SUPPLIER NDA",
        conventions: Conventions { date_order: Some(DateOrder::DayMonth), decimal_comma: false },
    }
}

/// A workbook with an allocations sheet: Microsoft's share of CoWoS from 2027, as an
/// analyst types it (percentages, a date cell), and `extra` sheets as (name, cell A1).
fn workbook(share_high: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("allocations").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in
        ["cowos", "Microsoft", "2027-01", "", "3%", "4%", share_high, "Our estimate, Nov 2026"].iter().enumerate()
    {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    sheet.write_string(1, 8, "30/11/2026").unwrap();
    for (name, a1) in extra {
        let s = book.add_worksheet();
        s.set_name(*name).unwrap();
        s.write_string(0, 0, *a1).unwrap();
    }
    book.save_to_buffer().unwrap()
}

fn stage_workbook(vault: &Vault, name: &str, bytes: Vec<u8>) -> packplan_core::Result<Staged> {
    let opened = own_files::open_workbook(vault, &own(name), bytes)?;
    import::stage_opened(vault, opened, &NoProgress, &CancelToken::new())
}

fn apply(vault: &mut Vault, staged: Staged) -> packplan_core::Result<ImportReceipt> {
    import::apply(vault, staged, "analyst", &NoProgress, &CancelToken::new())
}

fn microsoft(vault: &Vault) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let rows = vault.read(|c| dataset::data_list(c, "allocations")).unwrap();
    rows.into_iter().filter(|r| r["customer"] == "Microsoft").collect()
}

#[test]
fn a_workbook_becomes_a_dataset_of_its_own_with_the_files_provenance_and_how_its_cells_were_read() {
    let (_dir, mut vault) = vault_with_demo();
    let bytes = workbook("5%", &[("README", "notes")]);
    let sha = packplan_core::bundle::manifest::sha256_hex(&bytes);
    let staged = stage_workbook(&vault, "Q4 figures.xlsx", bytes.clone()).unwrap();
    let p = &staged.preview;
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert!(p.overrides.is_empty(), "the user's own file needs no signature override: {:?}", p.overrides);
    assert_eq!(p.tables.iter().find(|t| t.table == "allocations").map(|t| t.added), Some(1));
    let notes: Vec<String> = p.notes.iter().map(ToString::to_string).collect();
    assert!(notes.iter().any(|n| n.starts_with("allocations!E2:") && n.contains("3%")), "{notes:?}");
    assert!(notes.iter().any(|n| n.starts_with("allocations!I2:") && n.contains("30/11/2026")), "{notes:?}");
    let receipt = apply(&mut vault, staged).unwrap();
    let d = &receipt.dataset;
    assert_eq!(
        (d.origin.as_str(), d.title.as_str(), d.classification.as_str(), d.sha256.as_deref()),
        ("files", "Q4 figures.xlsx", "CONFIDENTIAL - SUPPLIER NDA", Some(sha.as_str()))
    );
    let entry = &vault.audit_list(1).unwrap()[0];
    assert_eq!(
        (entry.action.as_str(), entry.actor.as_str(), entry.subject.as_str()),
        ("files.import", "analyst", d.id.as_str())
    );
    let rows = microsoft(&vault);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["share_high"].as_f64(), rows[0]["as_of"].as_str()), (Some(0.05), Some("2026-11-30")));
    assert_eq!(rows[0]["dataset_id"], d.id.as_str());

    // the same bytes again: already imported, nothing changes
    let before = vault.digest().unwrap();
    let e = stage_workbook(&vault, "Q4 figures.xlsx", bytes).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::AlreadyExists, "{e}");
    assert_eq!(vault.digest().unwrap(), before);

    // a newer file of the same name replaces the older import, and the preview says so
    let staged = stage_workbook(&vault, "Q4 figures.xlsx", workbook("6%", &[])).unwrap();
    assert_eq!(staged.preview.replaces.as_ref().map(|r| r.id.clone()), Some(d.id.clone()));
    let second = apply(&mut vault, staged).unwrap();
    assert_eq!(second.replaced.as_deref(), Some(d.id.as_str()));
    let rows = microsoft(&vault);
    assert_eq!((rows.len(), rows[0]["share_high"].as_f64()), (1, Some(0.06)));

    // and it is removed like any dataset
    vault
        .write(
            packplan_core::vault::Change::new("analyst", "dataset.remove", &second.dataset.id, serde_json::json!({})),
            |tx| dataset::remove(tx, &second.dataset.id).map(|_| ()),
        )
        .unwrap();
    assert!(microsoft(&vault).is_empty());
}

#[test]
fn a_workbook_with_problems_lists_each_at_its_cell_and_imports_nothing() {
    let (_dir, mut vault) = vault_with_demo();
    let bytes = workbook("#DIV/0!", &[("Sheet2", "stray")]);
    let staged = stage_workbook(&vault, "bad.xlsx", bytes).unwrap();
    let problems: Vec<String> = staged.preview.problems.iter().map(ToString::to_string).collect();
    assert!(
        problems.iter().any(|p| p.starts_with("allocations!G2: share_high: the cell holds the formula error #DIV/0!")),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| p.contains("the sheet \"Sheet2\" is not a table")), "{problems:?}");
    let before = vault.digest().unwrap();
    let e = apply(&mut vault, staged).err().unwrap();
    assert!(e.message().contains("nothing was imported"), "{e}");
    assert_eq!(vault.digest().unwrap(), before, "the vault is as it was");
    // no classification: refused before anything is read
    let e = own_files::open_workbook(&vault, &OwnFiles { classification: " ", ..own("x.xlsx") }, workbook("5%", &[]))
        .err()
        .unwrap();
    assert!(e.message().starts_with("give the classification"), "{e}");
}

#[test]
fn csv_files_as_a_german_excel_saves_them_import_like_a_workbook() {
    let (_dir, mut vault) = vault_with_demo();
    let mut csv = HEADER.join(";").into_bytes();
    csv.extend_from_slice(b"\ncowos;Microsoft;2027-01;;0,03;0,04;0,05;Sch\xe4tzung;30.11.2026;;;\n");
    let files = vec![("allocations.csv".to_string(), csv)];
    let opened = own_files::open_csv_files(&vault, &own("Lieferanten"), files).unwrap();
    let staged = import::stage_opened(&vault, opened, &NoProgress, &CancelToken::new()).unwrap();
    assert!(staged.preview.problems.is_empty(), "{:?}", staged.preview.problems);
    let notes: Vec<String> = staged.preview.notes.iter().map(ToString::to_string).collect();
    assert!(notes.iter().any(|n| n.contains("Windows-1252")), "{notes:?}");
    let receipt = apply(&mut vault, staged).unwrap();
    assert_eq!((receipt.dataset.origin.as_str(), receipt.dataset.title.as_str()), ("files", "Lieferanten"));
    let rows = microsoft(&vault);
    assert_eq!((rows[0]["share_base"].as_f64(), rows[0]["source"].as_str()), (Some(0.04), Some("Schätzung")));
}

#[test]
fn the_template_workbook_imports_into_an_empty_vault() {
    let dir = tempfile::tempdir().unwrap();
    let location = packplan_core::location::VaultLocation::resolve(Some(dir.path())).unwrap();
    let (mut vault, _) =
        Vault::init(&location, &packplan_core::vault::Passphrase::new(support::demo::PASSPHRASE.into()), "test")
            .unwrap();
    let staged = stage_workbook(&vault, "template.xlsx", template_workbook().unwrap()).unwrap();
    assert!(staged.preview.problems.is_empty(), "{:?}", staged.preview.problems);
    let receipt = apply(&mut vault, staged).unwrap();
    let rows: u64 = receipt.dataset.rows.values().sum();
    let expected: usize = packplan_core::bundle::tables::TABLES.iter().map(|t| 1 + t.more_examples.len()).sum();
    assert_eq!(rows, expected as u64);
}

/// The bad workbooks of issue 17, each refused with one message that names the sheet
/// or cell and what to do, and the vault as it was.
#[test]
fn bad_workbooks_are_refused_each_with_its_sheet_or_cell_and_the_vault_unchanged() {
    let (dir, mut vault) = vault_with_demo();
    let before = vault.digest().unwrap();
    let book_with = |edit: &dyn Fn(&mut rust_xlsxwriter::Worksheet)| -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("allocations").unwrap();
        for (c, h) in HEADER.iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        for (c, v) in
            ["cowos", "Microsoft", "2027-01", "", "0.03", "0.04", "0.05", "Ours", "2026-11-30"].iter().enumerate()
        {
            sheet.write_string(1, c as u16, *v).unwrap();
        }
        edit(sheet);
        book.save_to_buffer().unwrap()
    };
    // (what, the file, what the one message must say)
    let merged = book_with(&|s| {
        s.merge_range(1, 4, 1, 6, "0.04", &rust_xlsxwriter::Format::new()).unwrap();
    });
    let wrong_header = book_with(&|s| {
        s.write_string(0, 5, "share_bse").unwrap();
    });
    let dangling = book_with(&|s| {
        s.write_string(1, 0, "cowos-x").unwrap();
    });
    let mut truncated = workbook("5%", &[]);
    truncated.truncate(truncated.len() / 2);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("merged cells", merged, "allocations!E2: merged cells; unmerge them"),
        ("a wrong header", wrong_header, "share_bse"),
        ("a reference to no row (a missing sheet's table)", dangling, "cowos-x"),
        (
            "a formula error",
            workbook("#REF!", &[]),
            "allocations!G2: share_high: the cell holds the formula error #REF!",
        ),
        ("an unknown sheet", workbook("5%", &[("Notes", "x")]), "the sheet \"Notes\" is not a table"),
    ];
    for (what, bytes, says) in cases {
        let staged = stage_workbook(&vault, "bad.xlsx", bytes).unwrap();
        let problems: Vec<String> = staged.preview.problems.iter().map(ToString::to_string).collect();
        assert!(problems.iter().any(|p| p.contains(says)), "{what}: {problems:?}");
        assert!(apply(&mut vault, staged).is_err(), "{what} was imported");
    }
    // refused before any row is read
    let e = stage_workbook(&vault, "bad.xlsx", truncated).err().unwrap();
    assert!(e.message().contains("cannot be read as a workbook"), "truncated: {e}");
    let mut protected = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
    protected.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    let e = stage_workbook(&vault, "bad.xlsx", protected).err().unwrap();
    assert!(e.message().contains("protected by a password"), "protected: {e}");
    // a 200 MB file is refused by its size, before it is read
    let big = dir.path().join("huge.xlsx");
    std::fs::File::create(&big).unwrap().set_len(200 << 20).unwrap();
    let e = packplan_core::bundle::limits::read_expected(
        &big,
        packplan_core::bundle::workbook::MAX_FILE_BYTES,
        &packplan_core::bundle::limits::WORKBOOK_FILE,
    )
    .unwrap_err();
    assert!(e.message().contains("larger than the limit of 100 MiB for a workbook; split it"), "{e}");
    assert_eq!(vault.digest().unwrap(), before, "the vault is as it was");
}
