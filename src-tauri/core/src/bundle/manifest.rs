//! The bundle manifest: what the bundle is, who made it, and the size and SHA-256
//! of every other file. It is the one thing the producer signs; every file is
//! checked against it, and nothing that it does not list may be present.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::printable::printable;
use crate::{Error, ErrorKind, Result};

/// The `format` value of every Packplan bundle.
pub const FORMAT: &str = "packplan-bundle";
/// The format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;
/// The file name of the manifest inside the archive.
pub const MANIFEST_NAME: &str = "manifest.json";
/// The file name of the manifest's minisign signature inside the archive.
pub const SIGNATURE_NAME: &str = "manifest.json.minisig";

/// One data file of the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
}

impl FileEntry {
    pub fn of(path: &str, bytes: &[u8]) -> FileEntry {
        FileEntry { path: path.to_owned(), size: bytes.len() as u64, sha256: sha256_hex(bytes) }
    }
}

/// The manifest, exactly as `manifest.json` holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// The version of the data tables' columns (see docs/bundle-format.md).
    pub schema_version: u32,
    /// A unique id; importing the same id twice changes nothing.
    pub bundle_id: String,
    /// The minisign key id of the producer's signing key (16 hex digits).
    pub producer_key_id: String,
    /// Increases with every bundle the producer signs; replays are refused.
    pub producer_seq: u64,
    /// When the bundle was made (RFC 3339, UTC).
    pub created: String,
    pub title: String,
    /// The classification label of the data ("CONFIDENTIAL - SUPPLIER NDA").
    pub classification: String,
    /// SHA-256 (hex) of each intended recipient's age recipient string, when the producer named them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipients: Option<Vec<String>>,
    pub files: Vec<FileEntry>,
}

impl Manifest {
    /// The manifest's canonical bytes: pretty JSON, fields in declaration order, a final newline.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut out = serde_json::to_vec_pretty(self)
            .map_err(|e| Error::internal(format!("could not write the manifest: {e}")))?;
        out.push(b'\n');
        Ok(out)
    }

    /// Parses and checks the manifest's own fields (not yet the files).
    pub fn parse(bytes: &[u8]) -> Result<Manifest> {
        // The format and version are read first, so a newer bundle gets a clear message.
        #[derive(Deserialize)]
        struct Head {
            format: Option<String>,
            format_version: Option<u32>,
        }
        let head: Head =
            serde_json::from_slice(bytes).map_err(|e| damaged(format!("its manifest is not valid JSON ({e})")))?;
        if head.format.as_deref() != Some(FORMAT) {
            return Err(damaged(format!(
                "its manifest says format {:?}, not \"{FORMAT}\"; this is not a Packplan bundle",
                head.format.unwrap_or_default()
            )));
        }
        match head.format_version {
            Some(FORMAT_VERSION) => {}
            Some(v) if v > FORMAT_VERSION => {
                return Err(Error::new(
                    ErrorKind::Invalid,
                    format!("the bundle uses format version {v}, newer than this Packplan reads ({FORMAT_VERSION}); update Packplan or ask the sender for a version {FORMAT_VERSION} bundle"),
                ))
            }
            Some(v) => return Err(Error::invalid(format!("the bundle uses format version {v}, which this Packplan does not read; ask the sender for a version {FORMAT_VERSION} bundle"))),
            None => return Err(damaged("its manifest has no format_version".into())),
        }
        let mut manifest: Manifest = serde_json::from_slice(bytes)
            .map_err(|e| damaged(format!("its manifest does not match format version 1 ({e})")))?;
        // What reaches a terminal or the UI carries no control characters.
        manifest.title = printable(&manifest.title);
        manifest.classification = printable(&manifest.classification);
        if manifest.producer_seq > i64::MAX as u64 {
            return Err(damaged(format!(
                "its manifest's producer_seq {} is beyond the largest sequence number ({})",
                manifest.producer_seq,
                i64::MAX
            )));
        }
        if manifest.producer_key_id.len() != 16 || !manifest.producer_key_id.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(damaged(format!(
                "its manifest's producer_key_id {:?} is not 16 hex digits",
                manifest.producer_key_id
            )));
        }
        if manifest.bundle_id.trim().is_empty() {
            return Err(damaged("its manifest has an empty bundle_id".into()));
        }
        for f in &manifest.files {
            if f.sha256.len() != 64 || !f.sha256.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()) {
                return Err(damaged(format!("its manifest lists {} with a malformed SHA-256", f.path)));
            }
        }
        Ok(manifest)
    }
}

fn damaged(what: String) -> Error {
    Error::new(ErrorKind::Damaged, format!("the bundle is damaged: {what}; ask the sender for a new copy"))
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex SHA-256 of everything `reader` yields, read in pieces: for files too large
/// to hold in memory (a release's source tarball).
pub fn sha256_hex_reader(mut reader: impl std::io::Read) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    std::io::copy(&mut reader, &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
