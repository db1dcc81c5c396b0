//! Reading CSV files as spreadsheets save them (Excel's "CSV UTF-8", its "CSV" in
//! Windows-1252, UTF-16 "Unicode text", semicolons with decimal commas) into the
//! tables' rows: one file per table, named after it (`orders.csv`). Each goes
//! through the same checks and messages as a bundle's CSV (`tables::parse_csv_text`),
//! its cells read as spreadsheets write them (`spreadsheet`), and what was read
//! differently from how it was written is noted (`"5%" read as 0.05`, "read as
//! Windows-1252").
//!
//! A folder may also hold what the template writes beside the tables (README.md,
//! manifest.json), which is ignored, and hidden or lock files (`.DS_Store`,
//! `~$orders.csv`), which are skipped. Any other file is a problem with what to do.

use std::path::Path;

use super::limits::{bytes, Limits};
use super::spreadsheet::{decode, separator, Conventions, SpreadsheetReading};
use super::tables::{self, Place, TABLES};
use super::workbook::WorkbookTables;
use crate::{Error, Result};

/// Files the template writes beside the tables.
const BESIDE: &[&str] = &["readme.md", "readme.txt", "manifest.json"];

/// The files of the folder `dir` that this reader considers (name, bytes), sorted by
/// name, within `limits` (each file, and all of them together).
pub fn files_of_folder(dir: &Path, limits: &Limits) -> Result<Vec<(String, Vec<u8>)>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read the folder", dir, e))?;
    let mut out = Vec::new();
    let mut total = 0u64;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read the folder", dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with("~$") || BESIDE.contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            return Err(Error::invalid(format!(
                "the folder holds a folder, {name:?}; choose the folder that holds the tables' CSV files directly"
            )));
        }
        let size = entry.metadata().map_err(|e| Error::io("read", &path, e))?.len();
        total = total.saturating_add(size);
        if total > limits.max_total_bytes {
            return Err(Error::invalid(format!(
                "the folder's files come to more than {}; split them into several folders and import each",
                bytes(limits.max_total_bytes)
            )));
        }
        out.push((name, std::fs::read(&path).map_err(|e| Error::io("read", &path, e))?));
    }
    out.sort();
    if out.is_empty() {
        return Err(Error::invalid(format!(
            "the folder {} holds no CSV file; save each table from the spreadsheet as NAME.csv ({}) into it",
            dir.display(),
            TABLES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(out)
}

/// Reads `files` (name, bytes) with `conventions`; a `;`-separated file reads its
/// commas as decimal separators, as Excel writes it where the comma is one.
pub fn read(files: &[(String, Vec<u8>)], conventions: Conventions) -> WorkbookTables {
    let mut out = WorkbookTables { tables: Vec::new(), problems: Vec::new(), notes: Vec::new(), sheets: Vec::new() };
    for (name, raw) in files {
        let place = Place::Csv(name.clone());
        let table = name
            .strip_suffix(".csv")
            .or_else(|| name.strip_suffix(".CSV"))
            .and_then(|stem| TABLES.iter().find(|t| t.name.eq_ignore_ascii_case(stem.trim())));
        let Some(table) = table else {
            out.problems.push(place.problem(
                0,
                0,
                format!(
                    "{name:?} is not a table's CSV file; name each file after a table ({}), with .csv, or move it out of the folder",
                    TABLES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
                ),
            ));
            continue;
        };
        let (text, encoding) = decode(raw);
        if let Some(note) = encoding {
            out.notes.push(place.problem(0, 0, note));
        }
        let (delimiter, comma_decimals) = separator(&text);
        let mut conv = conventions;
        if comma_decimals && !conv.decimal_comma {
            conv.decimal_comma = true;
            out.notes.push(place.problem(
                1,
                0,
                "the columns are separated by semicolons; commas are read as decimal separators".into(),
            ));
        }
        let (parsed, mut problems, mut notes) =
            tables::parse_csv_text(table, &place, &text, delimiter, &SpreadsheetReading(conv));
        out.problems.append(&mut problems);
        out.notes.append(&mut notes);
        out.sheets.push(name.clone());
        out.tables.push(parsed);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::spreadsheet::DateOrder;

    fn strings(p: &[tables::Problem]) -> Vec<String> {
        p.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_semicolon_file_from_a_german_excel_in_windows_1252_is_read_and_the_reading_reported() {
        // "Prüfung" in Windows-1252, semicolons, decimal commas, a day-first date
        let mut csv =
            b"technology_id;customer;from_month;to_month;share_low;share_base;share_high;source;as_of\n".to_vec();
        csv.extend_from_slice(b"cowos;AWS;2026-01;;0,03;0,04;5%;Pr\xfcfung;31.05.2026\n");
        let conv = Conventions { date_order: Some(DateOrder::DayMonth), decimal_comma: false };
        let read = read(&[("allocations.csv".into(), csv)], conv);
        assert!(read.problems.is_empty(), "{:?}", strings(&read.problems));
        let row = &read.tables[0].rows.get(0);
        let cell = |name: &str| read.tables[0].value(row, name).map(|v| v.to_cell()).unwrap_or_default();
        assert_eq!((cell("share_low"), cell("share_high")), ("0.03".into(), "0.05".into()));
        assert_eq!(cell("source"), "Prüfung");
        assert_eq!(cell("as_of"), "2026-05-31");
        let notes = strings(&read.notes).join("\n");
        assert!(notes.contains("Windows-1252"), "{notes}");
        assert!(notes.contains("semicolons"), "{notes}");
        assert!(notes.contains("5%"), "{notes}");
    }

    #[test]
    fn a_file_that_is_not_a_table_is_named_with_what_to_do() {
        let read = read(&[("Sheet1.csv".into(), b"a,b\n1,2\n".to_vec())], Conventions::default());
        let problems = strings(&read.problems);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("Sheet1.csv:0:0: \"Sheet1.csv\" is not a table's CSV file; name each file"));
    }
}
