//! Reading a spreadsheet workbook (`.xlsx`, `.xlsm`, `.xls`, `.ods`) into the tables'
//! rows, in memory only (calamine): one sheet per table, named after it, its first
//! row the header; a `README` sheet is allowed and ignored. Each sheet's rows go
//! through the same checks as a bundle's CSV (`tables::parse_rows`), read as
//! spreadsheets write cells (`spreadsheet`), and every problem names its cell
//! (`orders!D5`).
//!
//! Refused, each with one message: a file that is not a workbook or is damaged, a
//! password-protected one, one above the size limits (on the file and on what it
//! unpacks to, checked before it is unpacked), a sheet that is not a table, merged
//! cells in a table, and cells holding formula errors.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader, Sheets};

use super::limits::bytes;
use super::spreadsheet::{Conventions, SpreadsheetReading};
use super::tables::{self, ParsedTable, Place, Problem, RawRow, TABLES};
use crate::{Error, ErrorKind, Result};

/// The largest workbook file accepted.
pub const MAX_FILE_BYTES: u64 = 100 << 20;
/// The most a workbook may unpack to (an `.xlsx` is a zip; a small one can unpack to gigabytes).
pub const MAX_UNPACKED_BYTES: u64 = 1 << 30;

/// The tables of a workbook: each table read, every problem, and the notes of what was
/// read differently from how it was written (`"5%" read as 0.05`).
pub struct WorkbookTables {
    pub tables: Vec<ParsedTable>,
    pub problems: Vec<Problem>,
    pub notes: Vec<Problem>,
    /// The sheets read, in workbook order.
    pub sheets: Vec<String>,
}

/// Reads the workbook `file` (its bytes) with `conventions`.
pub fn read(file: &[u8], conventions: Conventions) -> Result<WorkbookTables> {
    if file.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::invalid(format!(
            "the workbook is {}, above the limit of {}; split it into several workbooks, or import a folder of CSV files",
            bytes(file.len() as u64),
            bytes(MAX_FILE_BYTES)
        )));
    }
    refuse_protected(file)?;
    refuse_zip_bomb(file)?;
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(file)).map_err(|e| unreadable(&e.to_string()))?;
    let reading = SpreadsheetReading(conventions);
    let mut out = WorkbookTables { tables: Vec::new(), problems: Vec::new(), notes: Vec::new(), sheets: Vec::new() };
    let names = workbook.sheet_names();
    for name in &names {
        if name.trim().eq_ignore_ascii_case("readme") {
            continue;
        }
        let Some(table) = TABLES.iter().find(|t| t.name.eq_ignore_ascii_case(name.trim())) else {
            out.problems.push(Place::Sheet(name.clone()).problem(
                0,
                0,
                format!(
                    "the sheet {name:?} is not a table; name each sheet after a table ({}), or delete it",
                    TABLES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
                ),
            ));
            continue;
        };
        let place = Place::Sheet(name.clone());
        let range = workbook.worksheet_range(name).map_err(|e| unreadable(&format!("the sheet {name:?}: {e}")))?;
        if let Some(merged) = merged_cells(&mut workbook, name).first() {
            out.problems.push(place.problem(
                merged.0,
                merged.1,
                "merged cells; unmerge them so that each value has a cell of its own".into(),
            ));
            continue;
        }
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let mut rows = range.rows().enumerate();
        let Some((_, header)) = rows.next() else {
            continue; // an empty sheet: the table is not imported
        };
        let pad = first_col as usize;
        let cell_text = |row: u64, col: usize, cell: &Data| -> std::result::Result<String, Problem> {
            text(cell).map_err(|message| place.problem(row, (pad + col + 1) as u64, message))
        };
        let header_line = u64::from(first_row) + 1;
        let mut headers = vec![String::new(); pad];
        for (c, cell) in header.iter().enumerate() {
            match cell_text(header_line, c, cell) {
                Ok(t) => headers.push(t),
                Err(p) => out.problems.push(p),
            }
        }
        let records: Vec<RawRow> = rows
            .filter(|(_, row)| row.iter().any(|c| !matches!(c, Data::Empty)))
            .map(|(i, row)| {
                let line = header_line + i as u64;
                let mut cells = csv::StringRecord::new();
                (0..pad).for_each(|_| cells.push_field(""));
                for (c, cell) in row.iter().enumerate() {
                    cells.push_field(&cell_text(line, c, cell)?);
                }
                Ok((line, cells))
            })
            .collect();
        let (parsed, mut problems, mut notes) =
            tables::parse_rows(table, &place, header_line, &headers, records.into_iter(), &reading);
        out.problems.append(&mut problems);
        out.notes.append(&mut notes);
        out.sheets.push(name.clone());
        out.tables.push(parsed);
    }
    if out.tables.is_empty() && out.problems.is_empty() {
        return Err(Error::invalid(format!(
            "the workbook has no sheet named after a table; name each sheet after a table ({}), as `packplan bundle template --xlsx` writes it",
            TABLES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(out)
}

/// A cell as text; a formula error is what is wrong with it.
fn text(cell: &Data) -> std::result::Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) => {
                use chrono::Datelike;
                let day = dt.date();
                format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
            }
            None => format!("{}", d.as_f64()),
        },
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => {
            return Err(format!(
                "the cell holds the formula error {e}; fix the formula in the workbook, or type the value"
            ))
        }
    })
}

/// The first cell (row, column, 1-based) of each merged region of the sheet `name`.
fn merged_cells(workbook: &mut Sheets<Cursor<&[u8]>>, name: &str) -> Vec<(u64, u64)> {
    let regions: Vec<calamine::Dimensions> = match workbook {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        _ => Vec::new(),
    };
    regions.iter().map(|d| (u64::from(d.start.0) + 1, u64::from(d.start.1) + 1)).collect()
}

/// Office's password protection wraps the workbook in an encrypted OLE container.
fn refuse_protected(file: &[u8]) -> Result<()> {
    const OLE: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";
    let marker: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    if file.starts_with(OLE) && file.windows(marker.len()).any(|w| w == marker.as_slice()) {
        return Err(protected());
    }
    Ok(())
}

fn protected() -> Error {
    Error::invalid(
        "the workbook is protected by a password; open it in your spreadsheet, save a copy without the password (on this air-gapped machine), and import that copy",
    )
}

/// Refuses a zip-packed workbook (`.xlsx`, `.ods`) that would unpack to more than the limit.
fn refuse_zip_bomb(file: &[u8]) -> Result<()> {
    if !file.starts_with(b"PK\x03\x04") {
        return Ok(());
    }
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(file)) else { return Ok(()) };
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else { continue };
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(Error::invalid(format!(
            "the workbook unpacks to {}, above the limit of {}; split it into several workbooks",
            bytes(total),
            bytes(MAX_UNPACKED_BYTES)
        )));
    }
    Ok(())
}

fn unreadable(why: &str) -> Error {
    if why.to_ascii_lowercase().contains("password") {
        return protected();
    }
    Error::new(
        ErrorKind::Damaged,
        format!("the file cannot be read as a workbook ({why}); save it again from your spreadsheet as .xlsx, or export its sheets as CSV files"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_workbook_and_protected_ones_say_what_to_do() {
        let e = read(b"id,name\nx,y\n", Conventions::default()).err().unwrap();
        assert_eq!(e.kind(), ErrorKind::Damaged);
        assert!(e.message().contains("cannot be read as a workbook"), "{e}");
        let mut protected = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
        protected.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        let e = read(&protected, Conventions::default()).err().unwrap();
        assert!(e.message().contains("protected by a password"), "{e}");
    }
}
