//! The user's own files into the vault: a spreadsheet workbook (`.xlsx`, `.xlsm`,
//! `.xls`, `.ods`) or CSV files as a spreadsheet saved them. They are read with a
//! bundle's checks and messages (`bundle::workbook`, `bundle::csv_files`) and
//! staged as an import, so the preview, the diff and the apply in one transaction
//! are a bundle's; the dataset they become is removable like any other.
//!
//! Provenance: the dataset's title is the file's (or folder's) name, its SHA-256 is
//! the file's (for CSV files, of their `sha256sum`-style listing), its
//! classification is the one the user gives, and the files themselves are kept
//! beside the rows, encrypted like them, with a manifest that lists each one. The
//! audit log records who imported them and when (`files.import`). Nothing of the
//! files is written to disk in plaintext: they are read into memory.
//!
//! There is no signature: the user who holds the vault brought the file in, as
//! when editing a cell, so no override is asked for. Importing the same bytes
//! again answers "already imported"; a newer file with the same name replaces the
//! older import of that name (the preview says so).

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use super::import::{Opened, Trust};
use super::Dataset;
use crate::bundle::archive::ArchiveFile;
use crate::bundle::csv_files;
use crate::bundle::manifest::{sha256_hex, FileEntry, Manifest};
use crate::bundle::spreadsheet::Conventions;
use crate::bundle::tables::SCHEMA_VERSION;
use crate::bundle::workbook::{self, WorkbookTables};
use crate::bundle::{OpenedBundle, SignaturePolicy, Signer};
use crate::clock::Timestamp;
use crate::vault::Vault;
use crate::{Error, Result};

/// The `format` of the manifest kept for the user's own files.
pub const FORMAT: &str = "packplan-own-files";

/// What the user chose to import, with how its cells are written.
pub struct OwnFiles<'a> {
    /// The workbook's file name, or the CSV files' folder name: the dataset's title.
    pub name: &'a str,
    /// The classification label of the data (it marks every chart and export made from it).
    pub classification: &'a str,
    pub conventions: Conventions,
}

/// Reads the workbook `file` (its bytes). Changes nothing.
pub fn open_workbook(vault: &Vault, own: &OwnFiles<'_>, file: Vec<u8>) -> Result<Opened> {
    let classification = classification(own.classification)?;
    let read = workbook::read(&file, own.conventions)?;
    let sha256 = sha256_hex(&file);
    opened(vault, own, classification, vec![(own.name.to_owned(), file)], read, sha256)
}

/// Reads CSV files (name, bytes), one per table, as from a folder. Changes nothing.
pub fn open_csv_files(vault: &Vault, own: &OwnFiles<'_>, files: Vec<(String, Vec<u8>)>) -> Result<Opened> {
    let classification = classification(own.classification)?;
    let read = csv_files::read(&files, own.conventions);
    let listing: String = files.iter().map(|(name, bytes)| format!("{}  {name}\n", sha256_hex(bytes))).collect();
    let sha256 = sha256_hex(listing.as_bytes());
    opened(vault, own, classification, files, read, sha256)
}

/// Whether `dataset` came from the user's own files.
pub fn is_own(dataset: &Dataset) -> bool {
    dataset.origin == "files"
}

fn classification(label: &str) -> Result<String> {
    let label = crate::printable::printable(label.trim());
    if label.is_empty() {
        return Err(Error::invalid(
            "give the classification of the file's data (for example CONFIDENTIAL - SUPPLIER NDA); it marks every chart and export made from it",
        ));
    }
    if label.chars().count() > 200 {
        return Err(Error::invalid("the classification is longer than 200 characters; shorten it"));
    }
    Ok(label)
}

fn opened(
    vault: &Vault,
    own: &OwnFiles<'_>,
    classification: String,
    files: Vec<(String, Vec<u8>)>,
    read: WorkbookTables,
    sha256: String,
) -> Result<Opened> {
    let title = crate::printable::printable(own.name.trim());
    if title.is_empty() {
        return Err(Error::invalid("the file has no name; choose a file or folder with a name"));
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: 1,
        schema_version: SCHEMA_VERSION,
        // the same bytes imported twice are one dataset
        bundle_id: format!("file-{}", &sha256[..16]),
        // no key signed it: the vault's user brought it in
        producer_key_id: "0000000000000000".into(),
        producer_seq: 0,
        created: Timestamp::now().rfc3339(),
        title,
        classification,
        recipients: None,
        files: files
            .iter()
            .map(|(name, bytes)| FileEntry { path: name.clone(), size: bytes.len() as u64, sha256: sha256_hex(bytes) })
            .collect(),
    };
    let manifest_bytes = Zeroizing::new(manifest.to_bytes()?);
    let files: BTreeMap<String, ArchiveFile> = files
        .into_iter()
        .map(|(name, bytes)| (name.clone(), ArchiveFile { name, bytes: Zeroizing::new(bytes) }))
        .collect();
    Ok(Opened {
        bundle: OpenedBundle { manifest, signer: Signer::Unsigned, files, manifest_bytes, signature: None },
        tables: read.tables,
        scenarios: Vec::new(),
        problems: read.problems,
        notes: read.notes,
        file_sha256: sha256,
        policy: SignaturePolicy::default(),
        trust: Trust::Vault,
        instance: vault.instance(),
    })
}
