//! A large table's CSV checked in parts, one per core: the rows split where a row
//! begins, each part read and checked on a thread of its own (`tables::check_rows`,
//! the checks of one reading), then joined in file order, with the keys of each part
//! looked for among the parts before it.
//!
//! It gives exactly what one reading of the file gives, or nothing: a part that finds
//! any problem, a key repeated across parts, or a split that turns out not to be where
//! the reading of the part before it begins a row (a line end inside quotes, a blank
//! line) hands the file back to be read in one piece, so that problems, their order
//! and their lines are always those of one reading.

use std::cell::Cell as Flag;

use super::key_index::Lookup;
use super::tables::{check_rows, raw_row, record_start, unequal_lengths, Checked, Place, Reading, Table};

/// A part is at least this many bytes: smaller files are read in one piece.
const PART_BYTES: usize = 4 << 20;

/// A CSV text and where its rows begin (after the header row).
pub(super) struct Split<'t> {
    pub text: &'t str,
    pub rows_start: usize,
    pub delimiter: u8,
    /// The number of fields of the header row, which every row must have.
    pub width: usize,
}

impl Split<'_> {
    /// How many parts the rows make on this machine: one per core, each at least [`PART_BYTES`].
    pub(super) fn parts(&self) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        ((self.text.len() - self.rows_start) / PART_BYTES).clamp(1, cores.min(8))
    }

    /// Where each part begins: the first at the rows' start, each next one at the start
    /// of a line near its share of the text, outside quotes by their count, and begun
    /// by a letter or digit (not a blank line, a quote or a byte-order mark).
    fn starts(&self, parts: usize) -> Vec<usize> {
        let bytes = self.text.as_bytes();
        let mut starts = vec![self.rows_start];
        let mut quotes_before = 0usize;
        let mut counted_to = self.rows_start;
        for k in 1..parts {
            let target = self.rows_start + (bytes.len() - self.rows_start) * k / parts;
            let from = target.max(counted_to);
            quotes_before += bytes[counted_to..from].iter().filter(|&&b| b == b'"').count();
            let mut at = from;
            let found = loop {
                let Some(&b) = bytes.get(at) else { break None };
                if at > 0 && bytes[at - 1] == b'\n' && quotes_before.is_multiple_of(2) && b.is_ascii_alphanumeric() {
                    break Some(at);
                }
                quotes_before += usize::from(b == b'"');
                at += 1;
            };
            counted_to = at;
            match found {
                Some(at) => starts.push(at),
                None => break,
            }
        }
        starts
    }
}

/// The table's rows checked in up to `parts` parts, when that gives exactly what one
/// reading gives and every row is sound; `None` when the file must be read in one piece.
pub(super) fn check(
    table: &'static Table,
    place: &Place,
    split: &Split<'_>,
    positions: &[Option<usize>],
    reading: &(dyn Reading + Sync),
    parts: usize,
) -> Option<Checked> {
    if parts < 2 {
        return None;
    }
    let starts = split.starts(parts);
    if starts.len() < 2 {
        return None;
    }
    let part = |k: usize| check_part(table, place, split, starts[k], starts.get(k + 1).copied(), positions, reading);
    let checked: Vec<Option<Checked>> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..starts.len()).map(|k| scope.spawn(move || part(k))).collect();
        let first = part(0);
        std::iter::once(first).chain(others.into_iter().map(|h| h.join().ok().flatten())).collect()
    });
    join(checked)
}

/// The rows from `start` up to `end` (the next part's start; none for the last part),
/// when every one is sound and the reading reaches `end` exactly at the start of a row.
fn check_part(
    table: &'static Table,
    place: &Place,
    split: &Split<'_>,
    start: usize,
    end: Option<usize>,
    positions: &[Option<usize>],
    reading: &dyn Reading,
) -> Option<Checked> {
    let text = split.text.get(start..)?;
    // A row's line is one more than the line ends before it (as the CSV reader counts).
    let lines_before = split.text.as_bytes()[..start].iter().filter(|&&b| b == b'\n').count() as u64;
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        // the width is checked against the header's below: a part's first row must not set it
        .flexible(true)
        .delimiter(split.delimiter)
        .from_reader(text.as_bytes());
    let limit = end.map(|end| (end - start) as u64);
    let reached_end = Flag::new(limit.is_none());
    let rows = reader.into_records().map_while(|record| {
        let position = match &record {
            Ok(r) => r.position(),
            Err(e) => e.position(),
        };
        let (at, line) = record_start(text.as_bytes(), position);
        if let Some(limit) = limit.filter(|&limit| at >= limit) {
            reached_end.set(at == limit);
            return None;
        }
        Some(match record {
            Ok(r) if r.len() != split.width => {
                Err(place.problem(line + lines_before, 1, unequal_lengths(split.width as u64, r.len() as u64)))
            }
            record => raw_row(place, text.as_bytes(), lines_before, record),
        })
    });
    let checked = check_rows(table, place, positions, rows, reading);
    (reached_end.get() && checked.problems.is_empty()).then_some(checked)
}

/// The parts joined in order, or `None` when one could not be checked alone or a key
/// of one repeats a key of a part before it.
fn join(parts: Vec<Option<Checked>>) -> Option<Checked> {
    let last = parts.len().saturating_sub(1);
    let mut parts = parts.into_iter().enumerate();
    let (_, first) = parts.next()?;
    let mut joined = first?;
    for (k, part) in parts {
        let part = part?;
        let rows = &part.parsed.rows;
        for i in 0..rows.len() {
            if let Lookup::Repeats(_) = joined.keys.find(&joined.parsed.rows, |c| rows.cell(i, c)) {
                return None;
            }
        }
        let from = joined.parsed.rows.len();
        joined.parsed.rows.append(rows);
        // the last part's keys are looked for, never looked up
        if k < last {
            for i in from..joined.parsed.rows.len() {
                joined.keys.add(&joined.parsed.rows, i);
            }
        }
        joined.notes.extend(part.notes);
    }
    Some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::tables::{self, AsWritten, ParsedTable, Problem};

    const HEADER: &str = "facility_id,technology_id,month,low,base,high,unit,source,as_of,confidence,note\n";

    fn row(i: usize, note: &str) -> String {
        format!(
            "f{},cowos-s,{:04}-{:02},90,100,110,wafers/month,source {},2026-06-30,B,{note}\n",
            i % 7,
            1990 + i / 12 % 200,
            i % 12 + 1,
            i / 2400
        )
    }

    /// The table read in one piece, as `tables::parse` reads a file this small.
    fn one_piece(text: &str) -> (ParsedTable, Vec<Problem>) {
        tables::parse(tables::table("capacity_observations").unwrap(), text.as_bytes())
    }

    fn in_parts(text: &str, parts: usize) -> Option<Checked> {
        let table = tables::table("capacity_observations").unwrap();
        let rows_start = HEADER.len();
        let split = Split { text, rows_start, delimiter: b',', width: 11 };
        let headers: Vec<String> = HEADER.trim_end().split(',').map(str::to_owned).collect();
        let place = Place::Csv("capacity_observations.csv".into());
        let positions = tables::column_positions(table, &place, 1, &headers).expect("the header is the table's");
        check(table, &place, &split, &positions, &AsWritten, parts)
    }

    #[test]
    fn a_file_checked_in_parts_reads_as_in_one_piece_rows_lines_and_all() {
        let mut text = HEADER.to_owned();
        for i in 0..3000 {
            let note = match i % 5 {
                0 => "\"a note, with a comma\"".to_owned(),
                1 => "\"a \"\"quoted\"\" word\"".to_owned(),
                2 => format!("plain {i}"),
                _ => String::new(),
            };
            text.push_str(&row(i, &note));
            if i % 11 == 0 {
                text.insert(text.len() - 1, '\r'); // a line ending as Windows writes it
            }
        }
        let (whole, problems) = one_piece(&text);
        assert!(problems.is_empty(), "{problems:?}");
        for parts in [2, 3, 8] {
            let checked = in_parts(&text, parts).expect("a sound file is checked in parts");
            assert_eq!(checked.parsed.rows.len(), 3000);
            assert_eq!(checked.parsed.rows, whole.rows, "{parts} parts");
            assert!(checked.notes.is_empty() && checked.problems.is_empty());
        }
        // the lines are the file's (the header is line 1)
        assert_eq!((whole.rows.line(0), whole.rows.line(2999)), (2, 3001));
    }

    #[test]
    fn a_key_repeated_across_parts_or_a_bad_row_hands_the_file_back_to_one_reading() {
        let mut text = HEADER.to_owned();
        for i in 0..2000 {
            text.push_str(&row(i, ""));
        }
        assert!(in_parts(&text, 2).is_some());
        let repeated = format!("{text}{}", row(3, "the key of row 3 again"));
        assert!(in_parts(&repeated, 2).is_none());
        let (_, problems) = one_piece(&repeated);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.starts_with("duplicate row") && problems[0].line == 2002, "{problems:?}");

        let short_row = format!("{text}f1,cowos-s,2300-01,1,2,3,wafers/month,s,2026-06-30,B\n");
        assert!(in_parts(&short_row, 2).is_none(), "ten fields under a header of eleven");
        let wide_rows: String = (2000..2100).map(|i| row(i, "x,y")).collect();
        assert!(in_parts(&format!("{text}{wide_rows}"), 2).is_none(), "twelve fields in every row of a part");
    }

    #[test]
    fn a_split_that_lands_inside_quotes_hands_the_file_back() {
        // A quote inside an unquoted field is a character (the count of quotes is then
        // odd), and a note in quotes holds a line end: the split lands in the note, and
        // the one reading finds the line end in the note.
        let mut text = HEADER.to_owned();
        text.push_str(&row(0, "5\" wafers"));
        for i in 1..1000 {
            text.push_str(&row(i, ""));
        }
        text.push_str(&row(1000, &format!("\"a note{}\nsecond line\"", " of many words".repeat(6000))));
        for i in 1001..1003 {
            text.push_str(&row(i, ""));
        }
        let split = Split { text: &text, rows_start: HEADER.len(), delimiter: b',', width: 11 };
        let at = split.starts(2)[1];
        assert!(text[at..].starts_with("second line"), "the split is inside the note: {}", &text[at..at + 20]);
        assert!(in_parts(&text, 2).is_none());
        let (_, problems) = one_piece(&text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!((problems[0].line, problems[0].column), (1002, 11));
        assert!(problems[0].message.contains("control characters"), "{problems:?}");
    }
}
