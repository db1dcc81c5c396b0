//! The workbook template (`packplan bundle template --xlsx FILE`, and the Data
//! screen's "Excel template"): one sheet per table, named after it, with its header
//! row (bold, frozen) and the template's example rows; a drop-down list where a
//! column takes a fixed set of values; numbers as number cells, months and dates
//! as text so that a spreadsheet does not turn them into other dates; and a README
//! sheet of every column with its unit and what it expects. `workbook::read` reads
//! it back without a problem (a test imports it).

use rust_xlsxwriter::{DataValidation, Format, Workbook, Worksheet, XlsxError};

use super::tables::{expected, Column, Kind, Table, TABLES};
use crate::{Error, Result};

/// Rows of each table sheet that get the drop-down lists.
const VALIDATED_ROWS: u32 = 5_000;

/// The template workbook's bytes (`.xlsx`).
pub fn template_workbook() -> Result<Vec<u8>> {
    build().map_err(|e| Error::internal(format!("could not write the workbook template: {e}")))
}

fn build() -> std::result::Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    readme(workbook.add_worksheet(), &bold)?;
    for table in TABLES {
        table_sheet(workbook.add_worksheet(), table, &bold)?;
    }
    workbook.save_to_buffer()
}

fn table_sheet(sheet: &mut Worksheet, table: &Table, bold: &Format) -> std::result::Result<(), XlsxError> {
    sheet.set_name(table.name)?;
    let examples: Vec<Vec<&str>> = std::iter::once(table.columns.iter().map(|c| c.example).collect())
        .chain(table.more_examples.iter().map(|r| r.to_vec()))
        .collect();
    for (c, column) in table.columns.iter().enumerate() {
        let col = c as u16;
        sheet.write_string_with_format(0, col, column.name, bold)?;
        let widest = examples.iter().map(|r| r.get(c).map_or(0, |s| s.chars().count())).max().unwrap_or(0);
        sheet.set_column_width(col, (widest.max(column.name.len()) + 2).min(60) as f64)?;
        for (r, row) in examples.iter().enumerate() {
            let text = row.get(c).copied().unwrap_or("");
            cell(sheet, r as u32 + 1, col, column, text)?;
        }
        if let Some(list) = choices(column) {
            let validation = DataValidation::new().allow_list_strings(&list)?.set_input_message(format!(
                "{}: {}",
                column.name,
                expected(column)
            ))?;
            sheet.add_data_validation(1, col, VALIDATED_ROWS, col, &validation)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// An example cell: a number where the column takes one, else text.
fn cell(sheet: &mut Worksheet, row: u32, col: u16, column: &Column, text: &str) -> std::result::Result<(), XlsxError> {
    if text.is_empty() {
        return Ok(());
    }
    let numeric = matches!(column.kind, Kind::Number { .. } | Kind::Integer { .. } | Kind::Share);
    match text.parse::<f64>() {
        Ok(v) if numeric => sheet.write_number(row, col, v)?,
        _ => sheet.write_string(row, col, text)?,
    };
    Ok(())
}

/// The fixed values a column takes, for a drop-down list.
fn choices(column: &Column) -> Option<Vec<&'static str>> {
    match column.kind {
        Kind::Choice(words) => Some(words.to_vec()),
        Kind::Bool => Some(vec!["true", "false"]),
        _ => None,
    }
}

fn readme(sheet: &mut Worksheet, bold: &Format) -> std::result::Result<(), XlsxError> {
    sheet.set_name("README")?;
    let intro = [
        "A Packplan workbook: one sheet per table, named after it, its first row the header.",
        "Replace the example rows with your figures; delete the sheets of tables you do not fill.",
        "Import it on the Data screen (Import from Excel or CSV) or seal it into a bundle with `packplan bundle create`.",
        "Every cell is checked as a bundle's is; problems are listed as sheet!cell: what is wrong; what is expected.",
    ];
    for (r, line) in intro.iter().enumerate() {
        sheet.write_string(r as u32, 0, *line)?;
    }
    let header_row = intro.len() as u32 + 1;
    for (c, title) in ["table", "column", "required", "unit", "meaning", "expected"].iter().enumerate() {
        sheet.write_string_with_format(header_row, c as u16, *title, bold)?;
    }
    let mut row = header_row + 1;
    for table in TABLES {
        for column in table.columns {
            let cells = [
                table.name,
                column.name,
                if column.required { "yes" } else { "no" },
                column.unit,
                column.doc,
                &expected(column),
            ];
            for (c, text) in cells.iter().enumerate() {
                sheet.write_string(row, c as u16, *text)?;
            }
            row += 1;
        }
    }
    for (c, width) in [22.0, 26.0, 9.0, 16.0, 70.0, 50.0].iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::spreadsheet::Conventions;
    use crate::bundle::workbook;

    #[test]
    fn the_template_reads_back_with_every_example_row_and_no_problem() {
        let bytes = template_workbook().unwrap();
        let read = workbook::read(&bytes, Conventions::default()).unwrap();
        let problems: Vec<String> = read.problems.iter().map(ToString::to_string).collect();
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(read.tables.len(), TABLES.len());
        for parsed in &read.tables {
            assert_eq!(parsed.rows.len(), 1 + parsed.table.more_examples.len(), "{}", parsed.table.name);
        }
        let references = crate::bundle::tables::check_references(&read.tables, &Default::default());
        assert!(references.is_empty(), "{references:?}");
    }
}
