//! A parsed table's rows, packed: each cell a tag byte and a few bytes in one buffer,
//! each distinct text once, so a bundle of a million rows takes less memory than its
//! CSV rather than ten times it (a `Vec<Value>` per row, a heap string per text cell). Rows
//! are read back as owned [`Row`]s, or cell by cell as borrowed [`Cell`]s where a
//! million rows pass through (duplicate keys, references, the import's inserts).
//!
//! ```
//! use packplan_core::bundle::packed::{Cell, Rows};
//! use packplan_core::bundle::tables::{Row, Value};
//!
//! let mut rows = Rows::default();
//! rows.push(&Row { line: 2, values: vec![Value::Text("tsmc".into()), Value::Number(1.5), Value::Null] });
//! assert_eq!(rows.len(), 1);
//! assert_eq!(rows.cell(0, 0), Cell::Text("tsmc"));
//! assert_eq!(rows.get(0).values[1], Value::Number(1.5));
//! assert_eq!(rows.line(0), 2);
//! ```

use rusqlite::types::{ToSqlOutput, Value as Sql, ValueRef};

use super::tables::{Row, Value};
use crate::month::Month;

const NULL: u8 = 0;
const TEXT: u8 = 1;
const NUMBER: u8 = 2;
const INTEGER: u8 = 3;
const FALSE: u8 = 4;
const TRUE: u8 = 5;
const MONTH: u8 = 6;
const WHOLE_NUMBER: u8 = 7;

/// One cell, borrowed from a [`Value`] or from packed [`Rows`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Null,
    Text(&'a str),
    Number(f64),
    Integer(i64),
    Bool(bool),
    Month(Month),
}

impl Cell<'_> {
    /// The cell as an owned value.
    pub fn to_value(self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Text(s) => Value::Text(s.to_owned()),
            Cell::Number(v) => Value::Number(v),
            Cell::Integer(v) => Value::Integer(v),
            Cell::Bool(b) => Value::Bool(b),
            Cell::Month(m) => Value::Month(m),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }

    /// Whether two cells of one column are the same key part: what comparing their
    /// texts as a CSV writes them says (a column's cells all parse to one kind, or
    /// Null), without writing the texts.
    pub fn same(&self, other: &Cell<'_>) -> bool {
        match (self, other) {
            (Cell::Number(a), Cell::Number(b)) => a == b && a.is_sign_negative() == b.is_sign_negative(),
            (a, b) => a == b,
        }
    }

    /// Feeds the cell to `state` so that [`Cell::same`] cells hash alike.
    pub fn hash_into<H: std::hash::Hasher>(&self, state: &mut H) {
        use std::hash::Hash as _;
        match self {
            Cell::Null => state.write_u8(0),
            Cell::Text(s) => s.hash(state),
            Cell::Number(v) => v.to_bits().hash(state),
            Cell::Integer(v) => v.hash(state),
            Cell::Bool(b) => b.hash(state),
            Cell::Month(m) => m.hash(state),
        }
    }
}

impl<'a> Cell<'a> {
    /// The cell as SQLite stores it; text is bound in place, not copied.
    pub fn sql(self) -> ToSqlOutput<'a> {
        match self {
            Cell::Null => ToSqlOutput::Owned(Sql::Null),
            Cell::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Cell::Number(v) => ToSqlOutput::Owned(Sql::Real(v)),
            Cell::Integer(v) => ToSqlOutput::Owned(Sql::Integer(v)),
            Cell::Bool(b) => ToSqlOutput::Owned(Sql::Integer(i64::from(b))),
            Cell::Month(m) => ToSqlOutput::Owned(Sql::Text(m.to_string())),
        }
    }
}

impl rusqlite::ToSql for Cell<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(self.sql())
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(self.cell().sql())
    }
}

/// The rows of one table, packed: each cell a tag byte and a varint in one buffer.
/// Texts are kept once each in a dictionary (a table's ids, units, sources and dates
/// repeat from row to row), whole numbers as varints, other numbers as 8 bytes.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    cells: Vec<u8>,
    /// Where each row starts in `cells`.
    starts: Vec<u32>,
    /// Each row's line (or the spreadsheet's row number).
    lines: Vec<u32>,
    /// The distinct texts, one after the other, and where each starts.
    texts: Vec<u8>,
    text_starts: Vec<u32>,
    /// The texts' numbers by the hash of the text.
    text_index: hashbrown::HashTable<u32>,
    hasher: std::hash::RandomState,
}

/// Whole numbers up to this size are stored as varints, exactly (2^53: every integer an f64 holds).
const EXACT: f64 = 9_007_199_254_740_992.0;

impl Rows {
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Adds `row` at the end.
    pub fn push(&mut self, row: &Row) {
        self.starts.push(offset(self.cells.len()));
        self.lines.push(u32::try_from(row.line).unwrap_or(u32::MAX));
        for value in &row.values {
            match value {
                Value::Null => self.cells.push(NULL),
                Value::Text(s) => {
                    let n = self.text_number(s);
                    self.cells.push(TEXT);
                    varint(&mut self.cells, u64::from(n));
                }
                Value::Number(v) if v.fract() == 0.0 && v.abs() < EXACT && !(*v == 0.0 && v.is_sign_negative()) => {
                    self.cells.push(WHOLE_NUMBER);
                    varint(&mut self.cells, zigzag(*v as i64));
                }
                Value::Number(v) => {
                    self.cells.push(NUMBER);
                    self.cells.extend_from_slice(&v.to_le_bytes());
                }
                Value::Integer(v) => {
                    self.cells.push(INTEGER);
                    varint(&mut self.cells, zigzag(*v));
                }
                Value::Bool(b) => self.cells.push(if *b { TRUE } else { FALSE }),
                Value::Month(m) => {
                    self.cells.push(MONTH);
                    varint(&mut self.cells, zigzag(i64::from(m.number())));
                }
            }
        }
    }

    /// Adds every row of `other` at the end, its texts numbered as in this dictionary
    /// (each distinct text looked up once, every other cell copied as it is packed).
    pub fn append(&mut self, other: &Rows) {
        let numbers: Vec<u32> = (0..offset(other.text_starts.len())).map(|n| self.text_number(other.text(n))).collect();
        self.cells.reserve(other.cells.len());
        self.starts.reserve(other.len());
        self.lines.extend_from_slice(&other.lines);
        for i in 0..other.len() {
            self.starts.push(offset(self.cells.len()));
            let mut cells = other.cells(i);
            loop {
                let before = cells.bytes;
                match cells.next_stored() {
                    None => break,
                    Some(Stored::Text(n)) => {
                        self.cells.push(TEXT);
                        varint(&mut self.cells, u64::from(numbers.get(n as usize).copied().unwrap_or(u32::MAX)));
                    }
                    Some(Stored::Other(_)) => {
                        self.cells.extend_from_slice(&before[..before.len() - cells.bytes.len()]);
                    }
                }
            }
        }
    }

    /// Text number `n` of the dictionary.
    fn text(&self, n: u32) -> &str {
        text_at(&self.texts, &self.text_starts, n)
    }

    /// The number of `text` in the dictionary, added if it is new.
    fn text_number(&mut self, text: &str) -> u32 {
        let hash = std::hash::BuildHasher::hash_one(&self.hasher, text);
        let (texts, starts) = (&self.texts, &self.text_starts);
        if let Some(&n) = self.text_index.find(hash, |&n| text_at(texts, starts, n) == text) {
            return n;
        }
        let n = offset(self.text_starts.len());
        self.text_starts.push(offset(self.texts.len()));
        self.texts.extend_from_slice(text.as_bytes());
        let (texts, starts, hasher) = (&self.texts, &self.text_starts, &self.hasher);
        self.text_index
            .insert_unique(hash, n, |&n| std::hash::BuildHasher::hash_one(hasher, text_at(texts, starts, n)));
        n
    }

    /// Row `i`'s line.
    pub fn line(&self, i: usize) -> u64 {
        u64::from(self.lines[i])
    }

    /// Row `i`'s cells, in the table's column order.
    pub fn cells(&self, i: usize) -> Cells<'_> {
        let start = self.starts[i] as usize;
        let end = self.starts.get(i + 1).map_or(self.cells.len(), |&e| e as usize);
        Cells { bytes: &self.cells[start..end], texts: &self.texts, text_starts: &self.text_starts }
    }

    /// Row `i`'s cell in column `c` (Null past the row's end).
    pub fn cell(&self, i: usize, c: usize) -> Cell<'_> {
        self.cells(i).nth(c).unwrap_or(Cell::Null)
    }

    /// Row `i`, owned.
    pub fn get(&self, i: usize) -> Row {
        Row { line: self.line(i), values: self.cells(i).map(Cell::to_value).collect() }
    }

    /// Every row, owned, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Row> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The rows' numbers sorted by `columns` as SQLite orders what it stores (NULL,
    /// then numbers, then text by its bytes; a month is stored as its text), ties in
    /// row order. Rows written in this order append to an index on those columns
    /// rather than touch its pages all over the file. Only the first four columns
    /// count, and numbers only to their first 30 bits: close enough for that.
    pub fn order_by(&self, columns: &[usize]) -> Vec<u32> {
        let ranks = self.text_ranks();
        let mut ordinals = Vec::new();
        let mut keyed: Vec<(u128, u32)> = (0..self.len())
            .map(|i| {
                ordinals.clear();
                ordinals.extend(self.ordinals(i, &ranks));
                let key = columns
                    .iter()
                    .take(4)
                    .fold(0u128, |key, &c| (key << 32) | u128::from(ordinals.get(c).copied().unwrap_or(NULL_ORDINAL)));
                // fewer than four columns: left-aligned, so every key compares alike
                let unused = 32 * (4 - columns.len().min(4)) as u32;
                (key.checked_shl(unused).unwrap_or(0), offset(i))
            })
            .collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, i)| i).collect()
    }

    /// Each text's rank among the texts, by their bytes.
    fn text_ranks(&self) -> Vec<u32> {
        let (texts, starts) = (&self.texts, &self.text_starts);
        let mut numbers: Vec<u32> = (0..offset(starts.len())).collect();
        numbers.sort_unstable_by(|&a, &b| text_at(texts, starts, a).cmp(text_at(texts, starts, b)));
        let mut ranks = vec![0; numbers.len()];
        for (rank, &n) in numbers.iter().enumerate() {
            ranks[n as usize] = offset(rank);
        }
        ranks
    }

    /// Row `i`'s cells as ordinals that sort as SQLite sorts the stored values.
    fn ordinals<'a>(&'a self, i: usize, ranks: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
        let mut cells = self.cells(i);
        std::iter::from_fn(move || {
            Some(match cells.next_stored()? {
                Stored::Text(n) => TEXT_ORDINALS | ranks.get(n as usize).copied().unwrap_or(0).min(ORDINAL_VALUES),
                Stored::Other(Cell::Number(v)) => number_ordinal(v),
                Stored::Other(Cell::Integer(v)) => number_ordinal(v as f64),
                Stored::Other(Cell::Bool(b)) => number_ordinal(f64::from(u8::from(b))),
                // stored as "YYYY-MM", whose text order is the months' order
                Stored::Other(Cell::Month(m)) => {
                    TEXT_ORDINALS | u32::try_from(m.number()).unwrap_or(0).min(ORDINAL_VALUES)
                }
                Stored::Other(Cell::Null | Cell::Text(_)) => NULL_ORDINAL,
            })
        })
    }
}

/// Ordinals: two bits of storage class (NULL, number, text), 30 of value.
const NULL_ORDINAL: u32 = 0;
const NUMBER_ORDINALS: u32 = 1 << 30;
const TEXT_ORDINALS: u32 = 2 << 30;
const ORDINAL_VALUES: u32 = (1 << 30) - 1;

/// A number's ordinal: its bits made to sort as the numbers do, the top 30 kept.
fn number_ordinal(v: f64) -> u32 {
    let bits = v.to_bits();
    let sortable = if bits >> 63 == 1 { !bits } else { bits | 1 << 63 };
    NUMBER_ORDINALS | u32::try_from(sortable >> 34).unwrap_or(ORDINAL_VALUES)
}

impl PartialEq for Rows {
    fn eq(&self, other: &Rows) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<'a> IntoIterator for &'a Rows {
    type Item = Row;
    type IntoIter = Box<dyn ExactSizeIterator<Item = Row> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// A position in the packed buffers, which stay below 4 GiB (a bundle's size limit is far lower).
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn text_at<'a>(texts: &'a [u8], starts: &[u32], n: u32) -> &'a str {
    let n = n as usize;
    let start = starts.get(n).map_or(texts.len(), |&s| s as usize);
    let end = starts.get(n + 1).map_or(texts.len(), |&e| e as usize);
    // written from a &str, so always UTF-8
    std::str::from_utf8(&texts[start..end]).unwrap_or_default()
}

/// `n` in 7-bit groups, low first (under 128: one byte).
fn varint(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// Signed as unsigned, small magnitudes small: 0, -1, 1, -2 ... as 0, 1, 2, 3 ...
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

/// The cells of one packed row.
pub struct Cells<'a> {
    bytes: &'a [u8],
    texts: &'a [u8],
    text_starts: &'a [u32],
}

impl<'a> Cells<'a> {
    fn varint(&mut self) -> u64 {
        let mut n = 0u64;
        let mut shift = 0;
        while let Some((&b, rest)) = self.bytes.split_first() {
            self.bytes = rest;
            if shift < 64 {
                n |= u64::from(b & 0x7f) << shift;
            }
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        n
    }

    fn eight(&mut self) -> [u8; 8] {
        let mut out = [0; 8];
        let (head, rest) = self.bytes.split_at(8.min(self.bytes.len()));
        out[..head.len()].copy_from_slice(head);
        self.bytes = rest;
        out
    }
}

/// A cell as it is stored: a text by its number in the dictionary, any other as itself.
enum Stored<'a> {
    Text(u32),
    Other(Cell<'a>),
}

impl<'a> Cells<'a> {
    /// The next cell, a text left as its number (the one decoder of the packed cells).
    #[inline]
    fn next_stored(&mut self) -> Option<Stored<'a>> {
        let (&tag, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(Stored::Other(match tag {
            TEXT => return Some(Stored::Text(u32::try_from(self.varint()).unwrap_or(u32::MAX))),
            WHOLE_NUMBER => Cell::Number(unzigzag(self.varint()) as f64),
            NUMBER => Cell::Number(f64::from_le_bytes(self.eight())),
            INTEGER => Cell::Integer(unzigzag(self.varint())),
            FALSE => Cell::Bool(false),
            TRUE => Cell::Bool(true),
            MONTH => Cell::Month(Month::from_number(i32::try_from(unzigzag(self.varint())).unwrap_or_default())),
            _ => Cell::Null,
        }))
    }
}

impl<'a> Iterator for Cells<'a> {
    type Item = Cell<'a>;

    fn next(&mut self) -> Option<Cell<'a>> {
        Some(match self.next_stored()? {
            Stored::Text(n) => Cell::Text(text_at(self.texts, self.text_starts, n)),
            Stored::Other(cell) => cell,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_value_reads_back_as_written() {
        let long = "x".repeat(300);
        let written = vec![
            Row {
                line: 7,
                values: vec![
                    Value::Null,
                    Value::Text(String::new()),
                    Value::Text("ünïcode, \"quoted\"".into()),
                    Value::Text(long.clone()),
                    Value::Number(-0.0),
                    Value::Number(68000.5),
                    Value::Number(68000.0),
                    Value::Number(-12.0),
                    Value::Number(1e300),
                    Value::Number(0.1),
                    Value::Integer(i64::MIN),
                    Value::Integer(-42),
                    Value::Bool(true),
                    Value::Bool(false),
                    Value::Month("2026-12".parse().unwrap()),
                ],
            },
            Row { line: 9, values: vec![Value::Text("second".into())] },
        ];
        let mut rows = Rows::default();
        written.iter().for_each(|r| rows.push(r));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows.iter().collect::<Vec<_>>(), written);
        assert_eq!(rows.cell(0, 3), Cell::Text(&long));
        assert_eq!(rows.cell(1, 0), Cell::Text("second"));
        assert_eq!(rows.cell(1, 5), Cell::Null, "past the row's end");
        assert_eq!(rows.line(1), 9);
        assert!(rows.get(0).values[4].cell().same(&Cell::Number(-0.0)), "-0 stays -0");
    }

    #[test]
    fn rows_appended_read_as_if_pushed_one_after_the_other() {
        let rows_of = |from: u64, to: u64| -> Vec<Row> {
            (from..to)
                .map(|i| Row {
                    line: i + 2,
                    values: vec![
                        Value::Text(format!("source {}", i % 4)),
                        Value::Number(i as f64 + 0.25),
                        Value::Month(Month::from_number(24000 + i as i32)),
                        if i % 3 == 0 { Value::Null } else { Value::Text(format!("note {i}")) },
                        Value::Integer(-(i as i64)),
                    ],
                })
                .collect()
        };
        let (first, second) = (rows_of(0, 50), rows_of(50, 120));
        let mut pushed = Rows::default();
        first.iter().chain(&second).for_each(|r| pushed.push(r));
        let mut joined = Rows::default();
        first.iter().for_each(|r| joined.push(r));
        let mut other = Rows::default();
        // the second part's own dictionary numbers its texts otherwise
        other.push(&Row { line: 1, values: vec![Value::Text("only in the second part".into())] });
        second.iter().for_each(|r| other.push(r));
        joined.append(&other);
        assert_eq!(joined.len(), 121);
        assert_eq!(joined.get(50).values, vec![Value::Text("only in the second part".into())]);
        assert_eq!(joined.iter().skip(51).collect::<Vec<_>>(), second);
        assert_eq!(joined.iter().take(50).collect::<Vec<_>>(), first);
        assert_eq!(joined.texts.len(), pushed.texts.len() + "only in the second part".len(), "each text kept once");
    }

    #[test]
    fn a_text_that_repeats_is_kept_once() {
        let mut rows = Rows::default();
        for i in 0..1000 {
            let values = vec![Value::Text("wafers/month".into()), Value::Text(format!("source {}", i % 3))];
            rows.push(&Row { line: i + 2, values });
        }
        assert_eq!(rows.texts.len(), "wafers/month".len() + 3 * "source 0".len());
        assert_eq!(rows.cells.len(), 1000 * 4, "a tag and a one-byte number per cell");
        assert_eq!(rows.cell(998, 1), Cell::Text("source 2"));
        assert_eq!(rows.get(500).values, vec![Value::Text("wafers/month".into()), Value::Text("source 2".into())]);
    }

    #[test]
    fn rows_sort_by_their_key_as_sqlite_orders_the_stored_values() {
        // SQLite is the judge: the same rows, stored, ordered by the same columns
        let text = |s: &str| Value::Text(s.into());
        let month = |s: &str| Value::Month(s.parse().unwrap());
        let keys = [
            (text("tsmc"), month("2027-01"), Value::Number(2.5)),
            (text("TSMC"), month("2026-12"), Value::Number(-3.0)),
            (text("ase"), month("2026-12"), Value::Null),
            (text("tsmc"), month("2026-02"), Value::Integer(7)),
            (text("ünïcode"), month("1999-09"), Value::Bool(true)),
            (Value::Null, month("2030-01"), Value::Number(1000.0)),
            (text("tsmc"), month("2027-01"), Value::Number(-0.5)),
            (text("ase"), month("2026-12"), Value::Null),
            (text("ase "), month("2026-12"), Value::Number(0.0)),
            (Value::Integer(12), month("2026-12"), Value::Number(1e9)),
        ];
        let mut rows = Rows::default();
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (i INTEGER, note TEXT, a ANY, b ANY, c ANY) STRICT").unwrap();
        for (i, (a, b, c)) in keys.iter().enumerate() {
            let values = vec![text("a note"), a.clone(), b.clone(), c.clone()];
            conn.execute("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)", rusqlite::params![i as i64, values[0], a, b, c])
                .unwrap();
            rows.push(&Row { line: i as u64 + 2, values });
        }
        let by = |sql: &str| -> Vec<u32> {
            let mut stmt = conn.prepare(sql).unwrap();
            stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
        };
        assert_eq!(rows.order_by(&[1, 2, 3]), by("SELECT i FROM t ORDER BY a, b, c, i"));
        assert_eq!(rows.order_by(&[3, 1]), by("SELECT i FROM t ORDER BY c, a, i"));
        assert_eq!(rows.order_by(&[2]), by("SELECT i FROM t ORDER BY b, i"), "ties keep the file's order");
        assert_eq!(rows.order_by(&[]), (0..keys.len() as u32).collect::<Vec<_>>());
    }

    #[test]
    fn cells_are_the_same_and_hash_alike_as_their_texts() {
        let hash = |c: Cell<'_>| {
            let mut h = std::hash::DefaultHasher::new();
            c.hash_into(&mut h);
            std::hash::Hasher::finish(&h)
        };
        assert!(Cell::Number(1.0).same(&Cell::Number(1.0)));
        assert!(!Cell::Number(0.0).same(&Cell::Number(-0.0)), "\"0\" and \"-0\" differ");
        assert_eq!(hash(Cell::Text("a")), hash(Cell::Text("a")));
        assert_ne!(hash(Cell::Number(0.0)), hash(Cell::Number(-0.0)));
    }
}
