//! Cells as spreadsheets write them, read into the forms the tables expect: what an
//! analyst's Excel workbook or Excel-saved CSV holds is accepted, and every change is
//! reported, so nothing is guessed silently:
//!
//! - `TRUE`/`False` for true or false; `Yes`/`No` likewise;
//! - thousands separators (`1,234,567`, `1 234 567`; `1.234.567,5` with a decimal comma);
//! - percentages for shares (`5%` is 0.05);
//! - Excel serial dates (`46174` is 2026-06-01) and the common date forms: `2026-06-01`,
//!   `2026-06-01 00:00:00`, `6/1/2026` and `1.6.2026` in the order the user states, `Jun 2026`;
//!   a date where a month is expected gives its month;
//! - the case of a fixed word (`Packaging` is `packaging`).
//!
//! Anything ambiguous is refused with what to do: `1/6/2026` is 1 June or 6 January,
//! so without a stated order it is an error. CSV text is decoded here too: UTF-8 with
//! or without a byte-order mark, UTF-16, or Windows-1252, and `;` as the separator
//! (with a decimal comma) as Excel writes CSV in much of Europe.

use std::borrow::Cow;

use super::tables::{Column, Kind, Reading};
use crate::month::Month;

/// The order of day and month in dates like `6/1/2026`, as the user states it for an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// `6/1/2026` is 1 June (the United States).
    MonthDay,
    /// `6/1/2026` is 6 January (most of the world).
    DayMonth,
}

/// How one file writes its cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Conventions {
    /// The order of `d/m/y` dates; `None`: refuse any date where both orders would read.
    pub date_order: Option<DateOrder>,
    /// `,` is the decimal separator (and `.` or a space groups thousands).
    pub decimal_comma: bool,
}

/// The [`Reading`] of cells as spreadsheets write them.
pub struct SpreadsheetReading(pub Conventions);

impl Reading for SpreadsheetReading {
    fn read<'a>(&self, column: &Column, raw: &'a str) -> Result<(Cow<'a, str>, Option<String>), String> {
        let text = raw.trim().trim_matches('\u{a0}').trim();
        if text.is_empty() {
            return Ok((Cow::Borrowed(""), None));
        }
        if let Some(error) = FORMULA_ERRORS.iter().find(|e| text.eq_ignore_ascii_case(e)) {
            return Err(format!(
                "the cell holds the formula error {error}; fix the formula in the workbook, or type the value"
            ));
        }
        let conv = &self.0;
        let changed = |to: String, how: &str| -> Result<(Cow<'a, str>, Option<String>), String> {
            if to == text {
                Ok((Cow::Borrowed(text), None))
            } else {
                let note = format!("{text:?} read as {to} ({how})");
                Ok((Cow::Owned(to), Some(note)))
            }
        };
        match column.kind {
            Kind::Bool => match text.to_ascii_lowercase().as_str() {
                "true" | "yes" => changed("true".into(), "true or false"),
                "false" | "no" => changed("false".into(), "true or false"),
                _ => Ok((Cow::Borrowed(text), None)),
            },
            Kind::Number { .. } | Kind::Integer { .. } => match number(text, conv.decimal_comma) {
                Some(v) => changed(v, "a number with its separators removed"),
                None => Ok((Cow::Borrowed(text), None)),
            },
            Kind::Share => {
                if let Some(percent) = text.strip_suffix('%') {
                    let Some(v) = number(percent.trim(), conv.decimal_comma).and_then(|v| v.parse::<f64>().ok()) else {
                        return Err(format!("{text:?} is not a percentage"));
                    };
                    return changed(plain(v / 100.0), "a percentage");
                }
                match number(text, conv.decimal_comma) {
                    Some(v) => changed(v, "a number with its separators removed"),
                    None => Ok((Cow::Borrowed(text), None)),
                }
            }
            Kind::Date => match date(text, conv.date_order)? {
                Some((y, m, d)) => changed(format!("{y:04}-{m:02}-{d:02}"), "a date"),
                None => Ok((Cow::Borrowed(text), None)),
            },
            Kind::Month => {
                if text.parse::<Month>().is_ok() {
                    return Ok((Cow::Borrowed(text), None));
                }
                if let Some(m) = month_name(text) {
                    return changed(m, "a month");
                }
                if let Some((year, month)) = month_year(text) {
                    return changed(format!("{year:04}-{month:02}"), "a month");
                }
                match date(text, conv.date_order)? {
                    Some((y, m, _)) => changed(format!("{y:04}-{m:02}"), "a date, read as its month"),
                    None => Ok((Cow::Borrowed(text), None)),
                }
            }
            Kind::Choice(words) => match words.iter().find(|w| w.eq_ignore_ascii_case(text)) {
                Some(word) => changed((*word).to_owned(), "the word in its case"),
                None => Ok((Cow::Borrowed(text), None)),
            },
            Kind::Id | Kind::Ref(_) | Kind::Text => Ok((Cow::Borrowed(text), None)),
        }
    }
}

/// The error values a formula can leave in a cell.
const FORMULA_ERRORS: &[&str] =
    &["#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"];

/// A number as the tables write it: no separators, `.` for decimals.
fn plain(v: f64) -> String {
    let rounded = (v * 1e12).round() / 1e12;
    format!("{rounded}")
}

/// `text` without thousands separators and with `.` for decimals, when it is a number
/// written with them; `None` when it is not such a number.
fn number(text: &str, decimal_comma: bool) -> Option<String> {
    let (group, decimal) = if decimal_comma { ('.', ',') } else { (',', '.') };
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = match digits.split_once(decimal) {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let groups: Vec<&str> = whole.split([group, ' ', '\u{a0}', '\u{202f}']).collect();
    let grouped_ok = groups.len() == 1
        || (groups[0].len() <= 3
            && !groups[0].is_empty()
            && groups[1..].iter().all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit())));
    if !grouped_ok || !groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit())) || whole.is_empty() {
        return None;
    }
    if fraction.is_some_and(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let mut out = format!("{sign}{}", groups.concat());
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// `Jun 2026`, `June 2026`, `Jun-26` are months.
fn month_name(text: &str) -> Option<String> {
    const NAMES: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let lower = text.to_ascii_lowercase();
    let (name, year) = lower.split_once([' ', '-', '/'])?;
    let month = NAMES.iter().position(|n| name.starts_with(n) && name.len() >= 3)? + 1;
    let year: i32 = match year.trim() {
        y if y.len() == 4 => y.parse().ok()?,
        y if y.len() == 2 => 2000 + y.parse::<i32>().ok()?,
        _ => return None,
    };
    Some(format!("{year:04}-{month:02}"))
}

/// `6/2026` and `06.2026` are months (no day: nothing to mix up).
fn month_year(text: &str) -> Option<(i32, u32)> {
    let (m, y) = text.split_once(['/', '.', '-'])?;
    if y.len() != 4 || m.is_empty() || m.len() > 2 {
        return None;
    }
    let (month, year) = (m.parse::<u32>().ok()?, y.parse::<i32>().ok()?);
    (1..=12).contains(&month).then_some((year, month))
}

/// The date `text` names: ISO (`2026-06-01`, with or without a time), an Excel serial
/// day number, or `d/m/y`, `m/d/y` (slashes or dots) in the stated `order`. `Ok(None)`
/// when it is none of these (the table's own check then says what is expected);
/// `Err` when it is a date that two orders read differently and no order was stated.
pub fn date(text: &str, order: Option<DateOrder>) -> Result<Option<(i32, u32, u32)>, String> {
    let iso = text.split([' ', 'T']).next().unwrap_or(text);
    if let [y, m, d] = iso.split('-').collect::<Vec<_>>().as_slice() {
        if let (4, Ok(y), Ok(m), Ok(d)) = (y.len(), y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) {
            return Ok(valid(y, m, d));
        }
    }
    if let Ok(serial) = text.parse::<f64>() {
        // Excel's 1900 date system, for serials between 2000-01-01 and 2099-12-31 only:
        // other numbers in a date column are more likely mistakes than dates.
        if (36_526.0..=73_050.0).contains(&serial) && serial.fract().abs() < 1.0 {
            return Ok(Some(from_serial(serial.floor() as i64)));
        }
        return Ok(None);
    }
    let parts: Vec<&str> = text.split(['/', '.']).collect();
    let [a, b, y] = parts.as_slice() else { return Ok(None) };
    let (Ok(a), Ok(b), Ok(mut year)) = (a.parse::<u32>(), b.parse::<u32>(), y.parse::<i32>()) else {
        return Ok(None);
    };
    if y.len() == 2 {
        year += 2000;
    } else if y.len() != 4 {
        return Ok(None);
    }
    let month_day = valid(year, a, b);
    let day_month = valid(year, b, a);
    match (order, month_day, day_month) {
        (Some(DateOrder::MonthDay), d, _) | (Some(DateOrder::DayMonth), _, d) => Ok(d),
        (None, Some(md), Some(dm)) if md != dm => Err(format!(
            "{text:?} could be {} or {}: say which order this file's dates use (month/day or day/month: the date order when you import it in the app, --dates on the command line), or write the date as {:04}-{:02}-{:02}",
            spoken(md),
            spoken(dm),
            md.0,
            md.1,
            md.2
        )),
        (None, Some(d), _) | (None, None, Some(d)) => Ok(Some(d)),
        (None, None, None) => Ok(None),
    }
}

fn valid(y: i32, m: u32, d: u32) -> Option<(i32, u32, u32)> {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..=2200).contains(&y) && (1..=days).contains(&d)).then_some((y, m, d))
}

fn spoken((y, m, d): (i32, u32, u32)) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{d} {} {y}", NAMES[(m - 1) as usize])
}

/// The date of an Excel serial day number (1900 system: day 1 is 1900-01-01, and day
/// 60 the 29 February 1900 that never was, so later days count from 1899-12-30).
pub fn from_serial(serial: i64) -> (i32, u32, u32) {
    // 1970-01-01 is serial 25,569.
    let (y, m, d) = crate::clock::civil_from_days(serial - 25_569);
    (y as i32, m, d)
}

/// CSV as a spreadsheet saved it, decoded to text: UTF-8 (a byte-order mark is
/// dropped), UTF-16 (by its byte-order mark), else Windows-1252. The note says
/// which, when it was not plain UTF-8.
pub fn decode(bytes: &[u8]) -> (String, Option<String>) {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        if let Ok(text) = std::str::from_utf8(rest) {
            return (text.to_owned(), None);
        }
    }
    for (bom, encoding, name) in
        [(&b"\xff\xfe"[..], encoding_rs::UTF_16LE, "UTF-16"), (&b"\xfe\xff"[..], encoding_rs::UTF_16BE, "UTF-16")]
    {
        if bytes.starts_with(bom) {
            let (text, _, _) = encoding.decode(bytes);
            return (text.into_owned(), Some(format!("the file is {name}; read as such")));
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), None),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), Some("the file is not UTF-8; read as Windows-1252 (Excel's \"CSV\" on Windows)".into()))
        }
    }
}

/// The separator of a CSV file's header line: `;` (then with decimal commas, as Excel
/// writes CSV where the comma is the decimal separator), a tab, or `,`.
pub fn separator(text: &str) -> (u8, bool) {
    let header = text.lines().next().unwrap_or("");
    let count = |c: char| header.chars().filter(|x| *x == c).count();
    let (commas, semicolons, tabs) = (count(','), count(';'), count('\t'));
    if semicolons > commas && semicolons >= tabs {
        (b';', true)
    } else if tabs > commas {
        (b'\t', false)
    } else {
        (b',', false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::tables::{table, Column};

    fn column(table_name: &str, name: &str) -> &'static Column {
        let t = table(table_name).unwrap();
        &t.columns[t.column(name).unwrap()]
    }

    fn read(conv: Conventions, table_name: &str, name: &str, raw: &str) -> Result<(String, Option<String>), String> {
        SpreadsheetReading(conv).read(column(table_name, name), raw).map(|(text, note)| (text.into_owned(), note))
    }

    #[test]
    fn what_excel_writes_is_read_and_reported() {
        let us = Conventions { date_order: Some(DateOrder::MonthDay), decimal_comma: false };
        let eu = Conventions { date_order: Some(DateOrder::DayMonth), decimal_comma: true };
        assert_eq!(read(us, "product_routes", "preferred", "TRUE").unwrap().0, "true");
        assert_eq!(read(us, "product_routes", "preferred", "False").unwrap().0, "false");
        assert_eq!(read(us, "orders", "quantity", "2,048").unwrap().0, "2048");
        assert_eq!(read(eu, "orders", "quantity", "2.048").unwrap().0, "2048");
        assert_eq!(read(eu, "capacity_observations", "base", "1.234,5").unwrap().0, "1234.5");
        assert_eq!(read(us, "capacity_observations", "base", "1 234.5").unwrap().0, "1234.5");
        assert_eq!(read(us, "orders", "obtainable_share", "5%").unwrap().0, "0.05");
        assert_eq!(read(eu, "orders", "obtainable_share", "12,5 %").unwrap().0, "0.125");
        assert_eq!(read(us, "orders", "needed_by", "6/1/2026").unwrap().0, "2026-06");
        assert_eq!(read(eu, "orders", "needed_by", "6/1/2026").unwrap().0, "2026-01");
        assert_eq!(read(us, "orders", "needed_by", "Jun 2026").unwrap().0, "2026-06");
        assert_eq!(read(us, "orders", "needed_by", "46174").unwrap().0, "2026-06");
        assert_eq!(read(us, "capacity_observations", "as_of", "2026-06-01 00:00:00").unwrap().0, "2026-06-01");
        assert_eq!(read(eu, "capacity_observations", "as_of", "1.6.2026").unwrap().0, "2026-06-01");
        assert_eq!(read(us, "technologies", "stage", "Packaging").unwrap().0, "packaging");
        let (_, note) = read(us, "orders", "obtainable_share", "5%").unwrap();
        assert_eq!(note.as_deref(), Some("\"5%\" read as 0.05 (a percentage)"));
        assert_eq!(read(us, "orders", "quantity", "2048").unwrap().1, None, "nothing changed, nothing said");
    }

    #[test]
    fn ambiguity_and_formula_errors_are_refused_with_what_to_do() {
        let unstated = Conventions::default();
        let e = read(unstated, "orders", "needed_by", "1/6/2026").unwrap_err();
        assert!(e.contains("could be 6 January 2026 or 1 June 2026"), "{e}");
        assert!(e.contains("write the date as 2026-01-06"), "{e}");
        // unambiguous without an order: 13 cannot be a month
        assert_eq!(read(unstated, "capacity_observations", "as_of", "13/6/2026").unwrap().0, "2026-06-13");
        let e = read(unstated, "orders", "quantity", "#REF!").unwrap_err();
        assert!(e.starts_with("the cell holds the formula error #REF!"), "{e}");
        // not numbers: left for the table's own check to name
        assert_eq!(read(unstated, "orders", "quantity", "12,34,5").unwrap().0, "12,34,5");
    }

    #[test]
    fn csv_encodings_and_separators() {
        assert_eq!(decode(b"\xef\xbb\xbfid\n"), ("id\n".to_owned(), None));
        let (text, note) = decode(b"\xff\xfei\x00d\x00");
        assert_eq!(text, "id");
        assert!(note.unwrap().contains("UTF-16"));
        let (text, note) = decode(b"caf\xe9");
        assert_eq!(text, "café");
        assert!(note.unwrap().contains("Windows-1252"));
        assert_eq!(separator("id;name;country\n1;2;3"), (b';', true));
        assert_eq!(separator("id,name\n"), (b',', false));
        assert_eq!(from_serial(46_174), (2026, 6, 1));
        assert_eq!(from_serial(36_526), (2000, 1, 1));
    }
}
