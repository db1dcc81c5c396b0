//! Encrypted, signed data bundles: the files that carry supplier data between
//! machines on removable media. See docs/bundle-format.md.
//!
//! - [`container`]: make and open a bundle file (sign then encrypt; decrypt then verify).
//! - [`tables`]: the data tables and their validation; [`scenarios`]: the scenarios file;
//!   [`producer`]: a bundle from a folder of files; [`workbook`] and [`csv_files`]: the tables
//!   from a spreadsheet workbook or from CSV files as spreadsheets save them ([`spreadsheet`]);
//!   [`template_workbook`]: the workbook to fill; [`packed`]: a parsed table's rows, packed;
//!   `key_index`: the rows by their key (duplicates); `csv_parts`: a large CSV checked on every core.
//! - [`envelope`]: the age layer; [`archive`]: the strict tar; [`manifest`]: what is inside;
//!   [`signing`]: minisign keys and signatures; [`published`]: keys whose secret is public (never
//!   trusted); [`limits`]: bounds checked before any work, and reading a bundle file within them.

pub mod archive;
pub mod container;
pub mod csv_files;
mod csv_parts;
pub mod envelope;
mod key_index;
pub mod limits;
pub mod manifest;
pub mod packed;
pub mod producer;
pub mod published;
pub mod rows;
pub mod scenarios;
pub mod signing;
pub mod spreadsheet;
pub mod tables;
pub mod template_workbook;
pub mod workbook;

/// The secret types of the age crate, for passphrases.
pub use age::secrecy;
pub use container::{open, seal, NewBundle, OpenedBundle, SignaturePolicy, Signer, TrustStore};
pub use envelope::{Opening, Sealing};
pub use limits::Limits;
pub use manifest::Manifest;
pub use signing::{IssuerKey, KeyId, SigningKey};
