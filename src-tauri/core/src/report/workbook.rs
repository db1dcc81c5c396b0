//! The plan and its data as a workbook (`packplan model workbook`, the "Orders and
//! TCO" screen's "Export to Excel…"): a sheet per result table (the orders with their
//! odds when the run had trials, units per product and month, the cost assumptions
//! with their sources, concentration), a sheet per data table (the rows in effect,
//! each with its dataset), and a Provenance sheet. Every sheet carries the
//! classification marking in its printed header and footer, with the run's
//! provenance and page numbers in the footer; the Provenance sheet also shows the
//! marking on screen, above what the figures come from.
//!
//! Pure: the model input, the rows it was assembled from and the edition come in,
//! bytes go out (the front end writes them with `write_file`).

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use serde_json::Value;

use super::{context, orders, overview, risk, Edition};
use crate::bundle::rows::TableRows;
use crate::bundle::tables::TABLES;
use crate::chart::Marking;
use crate::model::input::ModelInput;
use crate::model::run::{shown_units, RunResult};
use crate::{Error, Result};

/// The workbook of `input` run as `r` (whose Monte Carlo, when it has one, gives the
/// orders' odds); `tables` are the rows `input` was assembled from.
pub fn plan_workbook(input: &ModelInput, r: &RunResult, tables: &TableRows, edition: &Edition) -> Result<Vec<u8>> {
    let ctx = context(input, r, None, edition);
    let marking = ctx.marking();
    let footer = ctx.provenance(r.monte_carlo.as_ref().map(|m| m.seed)).lines().join(" · ");
    let overview = overview::overview_of(input, r, edition)?;
    let costs = orders::orders(input, tables, edition)?;
    let risk = risk::risk(input, edition)?;
    let sheets = Sheets { marking: &marking, footer: &footer };
    sheets
        .build(input, r, tables, &overview, &costs, &risk)
        .map_err(|e| Error::internal(format!("could not write the workbook: {e}")))
}

struct Sheets<'a> {
    marking: &'a Marking,
    footer: &'a str,
}

type Written = std::result::Result<(), XlsxError>;

impl Sheets<'_> {
    fn build(
        &self,
        input: &ModelInput,
        r: &RunResult,
        tables: &TableRows,
        overview: &overview::Overview,
        costs: &orders::OrdersReport,
        risk: &risk::RiskReport,
    ) -> std::result::Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        self.provenance(self.sheet(&mut book, "Provenance")?, input, r, &bold)?;
        self.orders(self.sheet(&mut book, "Orders")?, overview, &bold)?;
        self.units(self.sheet(&mut book, "Units")?, input, r, &bold)?;
        self.costs(self.sheet(&mut book, "Cost assumptions")?, costs, &bold)?;
        self.concentration(self.sheet(&mut book, "Concentration")?, risk, &bold)?;
        for table in TABLES {
            let Some(rows) = tables.get(table.name).filter(|rows| !rows.is_empty()) else { continue };
            let sheet = self.sheet(&mut book, &format!("data {}", table.name))?;
            let mut columns: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
            columns.push("dataset_id");
            header(sheet, &columns, &bold)?;
            for (i, row) in rows.iter().enumerate() {
                for (c, name) in columns.iter().enumerate() {
                    value(sheet, i as u32 + 1, c as u16, row.get(*name).unwrap_or(&Value::Null))?;
                }
            }
        }
        book.save_to_buffer()
    }

    /// A new sheet named `name`, marked in its printed header and footer.
    fn sheet<'b>(&self, book: &'b mut Workbook, name: &str) -> std::result::Result<&'b mut Worksheet, XlsxError> {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        let banner = header_text(&self.marking.banner_text(), 200);
        sheet.set_header(format!("&C&\"-,Bold\"{banner}"));
        let provenance = header_text(self.footer, 120);
        sheet.set_footer(format!("&L&\"-,Bold\"{banner}&C&8{provenance}&RPage &P of &N"));
        sheet.set_freeze_panes(1, 0)?;
        Ok(sheet)
    }

    fn provenance(&self, sheet: &mut Worksheet, input: &ModelInput, r: &RunResult, bold: &Format) -> Written {
        header(sheet, &["", ""], bold)?;
        let mut row = 0u32;
        let mut line = |sheet: &mut Worksheet, key: &str, text: &str| -> Written {
            sheet.write_string_with_format(row, 0, key, bold)?;
            sheet.write_string(row, 1, text)?;
            row += 1;
            Ok(())
        };
        line(sheet, "Classification", &self.marking.banner_text())?;
        line(sheet, "Scenario", &input.scenario)?;
        line(sheet, "Planning date (today)", &input.today.to_string())?;
        line(sheet, "Months computed", &format!("{} to {}", input.start, input.end().plus(-1)))?;
        line(sheet, "Run (SHA-256 of the model input)", &r.input_sha256)?;
        let odds = match &r.monte_carlo {
            Some(m) => format!("{} trials, seed {}", m.trials, m.seed),
            None => "none: the deterministic plan only".into(),
        };
        line(sheet, "Monte Carlo", &odds)?;
        line(sheet, "Made", self.footer)?;
        row += 1;
        for (c, title) in ["dataset", "title", "classification", "as of"].iter().enumerate() {
            sheet.write_string_with_format(row, c as u16, *title, bold)?;
        }
        for d in &input.provenance {
            row += 1;
            for (c, text) in [&d.id, &d.title, &d.classification, &d.as_of].iter().enumerate() {
                sheet.write_string(row, c as u16, text.as_str())?;
            }
        }
        sheet.set_column_width(0, 34)?;
        sheet.set_column_width(1, 70)?;
        Ok(())
    }

    fn orders(&self, sheet: &mut Worksheet, overview: &overview::Overview, bold: &Format) -> Written {
        let columns = [
            "order",
            "product",
            "quantity",
            "placed",
            "needed by",
            "complete (plan)",
            "on time (plan)",
            "months late (plan)",
            "P(complete by needed by)",
            "P10",
            "P50",
            "P90",
            "cost per GPU-hour (USD)",
            "cloud (USD per hour)",
            "break-even",
            "supply",
        ];
        header(sheet, &columns, bold)?;
        let odds = overview.uncertainty.as_ref();
        for (i, o) in overview.orders.iter().enumerate() {
            let row = i as u32 + 1;
            let d = odds.and_then(|u| u.orders.iter().find(|d| d.order == o.order));
            let month = |m: Option<crate::month::Month>| m.map(|m| m.to_string()).unwrap_or_default();
            let texts: [(u16, String); 10] = [
                (0, o.order.clone()),
                (1, o.product.clone()),
                (3, o.placed.to_string()),
                (4, o.needed_by.to_string()),
                (5, o.completion.map(|m| m.to_string()).unwrap_or_else(|| "beyond the horizon".into())),
                (6, if o.on_time { "yes" } else { "no" }.into()),
                (9, month(d.and_then(|d| d.p10))),
                (10, month(d.and_then(|d| d.p50))),
                (11, month(d.and_then(|d| d.p90))),
                (15, o.supply.clone()),
            ];
            for (c, text) in texts {
                sheet.write_string(row, c, text)?;
            }
            sheet.write_number(row, 2, o.quantity as f64)?;
            if let Some(late) = o.months_late {
                sheet.write_number(row, 7, f64::from(late))?;
            }
            if let Some(d) = d {
                sheet.write_number(row, 8, d.probability_on_time)?;
            }
            if let Some(c) = &o.cost_per_gpu_hour {
                sheet.write_number(row, 12, c.total)?;
            }
            if let Some(c) = o.cloud_usd_per_hour {
                sheet.write_number(row, 13, c)?;
            }
            sheet.write_string(row, 14, month(o.break_even))?;
        }
        sheet.set_column_width(15, 60)?;
        Ok(())
    }

    fn units(&self, sheet: &mut Worksheet, input: &ModelInput, r: &RunResult, bold: &Format) -> Written {
        let months = &r.network.months;
        sheet.write_string_with_format(0, 0, "product", bold)?;
        for (c, m) in months.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16 + 1, m.to_string(), bold)?;
        }
        let mut row = 1u32;
        for p in &r.network.products {
            let name = input.product(&p.product).map(|x| x.name.clone()).unwrap_or_else(|| p.product.clone());
            sheet.write_string(row, 0, name)?;
            for (c, (units, _recorded)) in shown_units(input, months, p).iter().enumerate() {
                sheet.write_number(row, c as u16 + 1, units.round())?;
            }
            row += 1;
        }
        row += 1;
        sheet.write_string(
            row,
            0,
            format!(
                "Accelerators packaged a month; before {} the record (actual rows) where the data has it, else the model's back-cast.",
                input.today
            ),
        )?;
        sheet.set_column_width(0, 22)?;
        Ok(())
    }

    fn costs(&self, sheet: &mut Worksheet, costs: &orders::OrdersReport, bold: &Format) -> Written {
        header(sheet, &["assumption", "unit", "low", "base", "high", "sources"], bold)?;
        for (i, a) in costs.assumptions.iter().enumerate() {
            let row = i as u32 + 1;
            sheet.write_string(row, 0, a.name.as_str())?;
            sheet.write_string(row, 1, a.unit.as_str())?;
            for (c, v) in [(2u16, a.low), (3, a.base), (4, a.high)] {
                sheet.write_number(row, c, v)?;
            }
            let sources: Vec<String> = a.sources.iter().map(|s| s.source.clone()).collect();
            sheet.write_string(row, 5, sources.join("; "))?;
        }
        sheet.set_column_width(0, 40)?;
        sheet.set_column_width(5, 80)?;
        Ok(())
    }

    fn concentration(&self, sheet: &mut Worksheet, risk: &risk::RiskReport, bold: &Format) -> Written {
        header(
            sheet,
            &["December", "technology", "HHI", "concentration", "single source", "largest supplier", "its share"],
            bold,
        )?;
        for (i, t) in risk.technologies.iter().enumerate() {
            let row = i as u32 + 1;
            sheet.write_string(row, 0, t.month.to_string())?;
            sheet.write_string(row, 1, t.name.as_str())?;
            sheet.write_number(row, 2, t.hhi.round())?;
            sheet.write_string(row, 3, t.level)?;
            sheet.write_string(row, 4, if t.single_source { "yes" } else { "no" })?;
            if let Some(top) = t.suppliers.first() {
                sheet.write_string(row, 5, top.name.as_str())?;
                sheet.write_number(row, 6, top.share)?;
            }
        }
        sheet.set_column_width(1, 40)?;
        Ok(())
    }
}

fn header(sheet: &mut Worksheet, names: &[&str], bold: &Format) -> Written {
    for (c, name) in names.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, bold)?;
    }
    Ok(())
}

/// A data cell: a number as a number, anything else as text.
fn value(sheet: &mut Worksheet, row: u32, col: u16, v: &Value) -> Written {
    match v {
        Value::Null => {}
        Value::Number(n) => {
            if let Some(f) = n.as_f64() {
                sheet.write_number(row, col, f)?;
            }
        }
        Value::String(s) => {
            sheet.write_string(row, col, s.as_str())?;
        }
        other => {
            sheet.write_string(row, col, other.to_string())?;
        }
    }
    Ok(())
}

/// Text for a header or footer: `&` doubled (it starts a code there), at most `max` characters.
fn header_text(text: &str, max: usize) -> String {
    let cut: String = text.chars().take(max).collect();
    let cut = if cut.len() < text.len() { format!("{cut}…") } else { cut };
    cut.replace('&', "&&")
}
