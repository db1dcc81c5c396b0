//! Making bundles from a folder of CSV files, for producers without the UI:
//! `packplan bundle template DIR` writes a folder ready to fill, and
//! `packplan bundle create DIR` validates it and seals it into a bundle; a workbook
//! (`packplan bundle create FILE.xlsx`) is read into the same tables' CSV files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::container::NewBundle;
use super::spreadsheet::Conventions;
use super::tables::{self, check_references, Problem, SCHEMA_VERSION, TABLES};
use crate::clock::Timestamp;
use crate::write_file::{write_file, Existing};
use crate::{Error, ErrorKind, Result};

/// The file in a producer's folder that says what the bundle is; `create` completes it.
pub const SKELETON_NAME: &str = "manifest.json";
/// Data files that are JSON rather than CSV.
pub const JSON_FILES: &[&str] = &["scenarios.json"];

/// What the producer fills in; the rest of the manifest (files, hashes, key, time) is computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skeleton {
    pub title: String,
    pub classification: String,
    /// Must increase with every bundle this producer signs.
    pub producer_seq: u64,
    /// Leave out to get a random id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle_id: Option<String>,
    /// The `age1...` recipients the bundle is meant for (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intended_recipients: Option<Vec<String>>,
}

impl Skeleton {
    /// The bundle this skeleton describes, holding `files` (name, bytes), made at `now`;
    /// a random id unless the skeleton gives one.
    pub fn bundle(self, files: Vec<(String, Vec<u8>)>, now: Timestamp) -> NewBundle {
        NewBundle {
            bundle_id: self.bundle_id.unwrap_or_else(random_id),
            producer_seq: self.producer_seq,
            created: now.rfc3339(),
            title: self.title,
            classification: self.classification,
            schema_version: SCHEMA_VERSION,
            intended_recipients: self.intended_recipients,
            files,
        }
    }
}

/// Writes every table's CSV (header and one example row), the manifest skeleton
/// and a README of the columns and units into `dir`, which must not hold them yet.
pub fn write_template(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create the folder", dir, e))?;
    let skeleton = Skeleton {
        title: "Capacity update, month year".into(),
        classification: "CONFIDENTIAL - SUPPLIER NDA".into(),
        producer_seq: 1,
        bundle_id: None,
        intended_recipients: None,
    };
    let mut files: Vec<(String, String)> = TABLES.iter().map(|t| (t.file_name(), tables::template_csv(t))).collect();
    files.push((
        SKELETON_NAME.into(),
        serde_json::to_string_pretty(&skeleton).map_err(|e| Error::internal(e.to_string()))? + "\n",
    ));
    files.push(("README.md".into(), readme()));
    for (name, _) in &files {
        let path = dir.join(name);
        if path.exists() {
            return Err(Error::new(
                ErrorKind::AlreadyExists,
                format!("{} already exists; choose an empty folder so nothing is overwritten", path.display()),
            ));
        }
    }
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        write_file(&path, text.as_bytes(), Existing::Refuse)?;
        written.push(path);
    }
    Ok(written)
}

fn readme() -> String {
    format!(
        "# A Packplan bundle folder\n\n\
         Fill the CSV files (UTF-8, comma-separated, header row kept) with your data: one row per \
         record, replacing the example row. Delete the files of tables you do not send. Edit \
         `manifest.json`: the title, the classification label, and `producer_seq`, which must be \
         larger than in any bundle you signed before.\n\n\
         Then make the bundle:\n\n\
         ```sh\n\
         packplan bundle keygen --out my.key        # once: my.key (secret) and my.key.pub\n\
         packplan bundle create . --out update.ppb --recipient age1... --signing-key my.key\n\
         ```\n\n\
         `packplan bundle create` checks every row first and lists every problem as \
         `file:line:column: what is wrong; what is expected`. Give `my.key.pub` to your recipients \
         (they add it with `packplan issuers add`); the signature also verifies with the standard \
         `minisign -V` tool.\n\n\
         # Columns\n\n{}",
        tables::reference_markdown()
    )
}

/// A producer's folder, read and checked.
pub struct Prepared {
    pub new: NewBundle,
    /// Rows per table, for the summary.
    pub counts: BTreeMap<String, usize>,
    /// Every problem found; the bundle must not be made unless this is empty.
    pub problems: Vec<Problem>,
    /// Cells read differently from how they were written (a workbook's `"5%"` read as 0.05).
    pub notes: Vec<Problem>,
}

/// Reads `dir`: the skeleton and every data file, each validated.
pub fn prepare(dir: &Path, now: Timestamp) -> Result<Prepared> {
    let skeleton_path = dir.join(SKELETON_NAME);
    let text = std::fs::read(&skeleton_path).map_err(|e| Error::io("read", &skeleton_path, e))?;
    let skeleton: Skeleton = serde_json::from_slice(&text).map_err(|e| {
        Error::invalid(format!(
            "{} is not a valid manifest skeleton ({e}); `packplan bundle template` writes one",
            skeleton_path.display()
        ))
    })?;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io("read the folder", dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    entries.sort();

    let mut files = Vec::new();
    let mut parsed = Vec::new();
    let mut problems = Vec::new();
    let mut counts = BTreeMap::new();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        // the bundle built from the folder may sit beside its sources
        if name == SKELETON_NAME || name == "README.md" || name.ends_with(".ppb") || name.ends_with(".age") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
        if let Some(table) = name.strip_suffix(".csv").and_then(tables::table) {
            let (p, mut found) = tables::parse(table, &bytes);
            counts.insert(name.clone(), p.rows.len());
            problems.append(&mut found);
            parsed.push(p);
        } else if JSON_FILES.contains(&name.as_str()) {
            if let Err(problem) = super::scenarios::parse(&bytes) {
                problems.push(problem);
            }
            counts.insert(name.clone(), 1);
        } else {
            return Err(Error::invalid(format!(
                "{} is not a bundle table; keep only the tables' CSV files ({}), scenarios.json, manifest.json and README.md in the folder",
                path.display(),
                TABLES.iter().map(|t| t.file_name()).collect::<Vec<_>>().join(", ")
            )));
        }
        files.push((name, bytes));
    }
    if files.is_empty() {
        return Err(Error::invalid(format!(
            "{} holds no table files; `packplan bundle template` writes them",
            dir.display()
        )));
    }
    problems.extend(check_references(&parsed, &BTreeMap::new()));
    Ok(Prepared { new: skeleton.bundle(files, now), counts, problems, notes: Vec::new() })
}

/// Reads a workbook (`file`, its bytes: one sheet per table, as `packplan bundle template
/// --xlsx` writes) into the bundle `skeleton` describes. Each sheet is checked as a bundle's
/// CSV is, with the cells read as spreadsheets write them (`conventions`), and goes into the
/// bundle as its table's CSV file, so the recipient reads a bundle like any other.
pub fn prepare_workbook(file: &[u8], skeleton: Skeleton, conventions: Conventions, now: Timestamp) -> Result<Prepared> {
    let read = super::workbook::read(file, conventions)?;
    let mut problems = read.problems;
    if read.tables.is_empty() && problems.is_empty() {
        return Err(Error::invalid(
            "the workbook has no table sheets; name each sheet after a table (`packplan bundle template --xlsx` writes one)",
        ));
    }
    problems.extend(check_references(&read.tables, &BTreeMap::new()));
    let mut files = Vec::new();
    let mut counts = BTreeMap::new();
    for parsed in &read.tables {
        counts.insert(parsed.table.file_name(), parsed.rows.len());
        files.push((parsed.table.file_name(), tables::csv_of(parsed.table, parsed.rows.iter().map(|r| r.values))?));
    }
    Ok(Prepared { new: skeleton.bundle(files, now), counts, problems, notes: read.notes })
}

/// A random bundle id (128 bits, hex, grouped like a UUID).
pub fn random_id() -> String {
    let b: [u8; 16] = rand::random();
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Reads a producer's folder (a manifest skeleton and the tables' CSV files, as
/// `packplan bundle template` writes and `assets/demo` holds) into rows, through the
/// same checks `packplan bundle create` makes; the first problem is the error.
pub fn rows_from_folder(dir: &Path, dataset_id: &str) -> Result<super::rows::TableRows> {
    // the manifest's creation time does not reach the rows
    let prepared = prepare(dir, Timestamp(0))?;
    if let Some(p) = prepared.problems.first() {
        return Err(Error::invalid(format!("{}:{}: {}", p.file, p.line, p.message)));
    }
    super::rows::rows_from_csv(&prepared.new.files, dataset_id)
}
