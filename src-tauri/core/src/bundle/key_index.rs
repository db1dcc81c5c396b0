//! A table's rows by their key, to find a key that repeats without copying any key
//! (a million rows' keys as strings would be a second copy of the file).

use super::packed::{Cell, Rows};

/// The rows seen so far, by the hash of their key columns.
pub(super) struct KeyIndex {
    columns: Vec<usize>,
    hasher: std::hash::RandomState,
    rows: hashbrown::HashTable<u32>,
}

/// What a key was found to be.
pub(super) enum Lookup {
    /// The key of this earlier row.
    Repeats(u32),
    /// A key not seen yet (its hash, for [`KeyIndex::insert`]).
    New(u64),
}

impl KeyIndex {
    /// An empty index of the key made of `columns`.
    pub(super) fn new(columns: Vec<usize>) -> KeyIndex {
        KeyIndex { columns, hasher: std::hash::RandomState::new(), rows: hashbrown::HashTable::new() }
    }

    /// Looks for the key of a row whose cell in column `c` is `cell(c)` among `rows`.
    pub(super) fn find<'c>(&self, rows: &Rows, cell: impl Fn(usize) -> Cell<'c>) -> Lookup {
        let hash = self.hash(self.columns.iter().map(|&c| cell(c)));
        let same = |&i: &u32| self.columns.iter().all(|&c| rows.cell(i as usize, c).same(&cell(c)));
        match self.rows.find(hash, same) {
            Some(&first) => Lookup::Repeats(first),
            None => Lookup::New(hash),
        }
    }

    /// Adds row `i` of `rows`, whose key [`KeyIndex::find`] found `New(hash)`.
    pub(super) fn insert(&mut self, rows: &Rows, i: usize, hash: u64) {
        // u32: a table's rows number far fewer than 4 billion (the size limits)
        let at = u32::try_from(i).unwrap_or(u32::MAX);
        let (columns, hasher) = (&self.columns, &self.hasher);
        self.rows.insert_unique(hash, at, |&n| key_hash(hasher, columns.iter().map(|&c| rows.cell(n as usize, c))));
    }

    /// Adds row `i` of `rows`, whose key is not among the rows added before.
    pub(super) fn add(&mut self, rows: &Rows, i: usize) {
        let hash = self.hash(self.columns.iter().map(|&c| rows.cell(i, c)));
        self.insert(rows, i, hash);
    }

    fn hash<'c>(&self, cells: impl Iterator<Item = Cell<'c>>) -> u64 {
        key_hash(&self.hasher, cells)
    }
}

/// The hash of a row's key `cells`, alike for [`Cell::same`] keys.
fn key_hash<'c>(hasher: &std::hash::RandomState, cells: impl Iterator<Item = Cell<'c>>) -> u64 {
    let mut state = std::hash::BuildHasher::build_hasher(hasher);
    cells.for_each(|cell| cell.hash_into(&mut state));
    std::hash::Hasher::finish(&state)
}
