//! Entry points for the fuzz targets (`fuzz/`, cargo-fuzz) and for the test that
//! replays their corpora on the stable toolchain (`tests/fuzz_corpus.rs`), so both
//! run exactly the same code. Not part of Packplan's API; see docs/security.md
//! ("Fuzzing") for the targets, their input formats and how to run them.
//!
//! Each entry point takes arbitrary bytes and must return, never panic: `Ok`, or an
//! [`Error`] with a message for the user. [`verdict`] is the check both callers apply
//! to the outcome (an empty message or an `internal` error is a bug too).
#![doc(hidden)]

use crate::bundle::container::{self, SignaturePolicy};
use crate::bundle::envelope::{self, Opening, Sealing};
use crate::bundle::limits::Limits;
use crate::bundle::signing::IssuerKey;
use crate::bundle::tables::{self, ParsedTable, TABLES};
use crate::horizon::Horizon;
use crate::model::assemble;
use crate::model::input::ModelInput;
use crate::model::network::Model;
use crate::model::scenario::Scenario;
use crate::model::uncertain::Draw;
use crate::progress::{CancelToken, NoProgress};
use crate::{Error, ErrorKind, Result};

/// The DEMO ONLY identity that `assets/demo/demo.ppb` is encrypted to: the fixed key
/// the bundle target decrypts with (public on purpose, it protects nothing).
const IDENTITY: &str = include_str!("../../../assets/demo/keys/demo-identity.txt");

/// One fuzz target: its name is the name of the cargo-fuzz target and of its corpus folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// [`bundle_open`]: age decryption, the strict tar, the manifest and signature, the tables.
    BundleOpen,
    /// [`csv_tables`]: the table CSV parser, `rows_from_csv`, assembly and the engine's set-up.
    CsvTables,
    /// [`model_input`]: `ModelInput` JSON, its validation and the engine's set-up.
    ModelInput,
    /// [`workbook`]: the user's own workbook or CSV files as spreadsheets write them.
    Workbook,
}

impl Target {
    pub const ALL: [Target; 4] = [Target::BundleOpen, Target::CsvTables, Target::ModelInput, Target::Workbook];

    pub fn name(self) -> &'static str {
        match self {
            Target::BundleOpen => "bundle_open",
            Target::CsvTables => "csv_tables",
            Target::ModelInput => "model_input",
            Target::Workbook => "workbook",
        }
    }

    /// Runs this target's entry point on `data`.
    pub fn run(self, data: &[u8]) -> Result<()> {
        match self {
            Target::BundleOpen => bundle_open(data),
            Target::CsvTables => csv_tables(data),
            Target::ModelInput => model_input(data),
            Target::Workbook => workbook(data),
        }
    }
}

/// What the harness accepts: `Ok`, or an error that is not `internal` and says something.
/// Returns the reason otherwise.
pub fn verdict(outcome: &Result<()>) -> std::result::Result<(), String> {
    match outcome {
        Ok(()) => Ok(()),
        Err(e) if e.message().trim().is_empty() => Err(format!("an error of kind {} has an empty message", e.kind())),
        Err(e) if e.kind() == ErrorKind::Internal => Err(format!("an internal error (a bug): {e}")),
        Err(_) => Ok(()),
    }
}

/// Mode byte of [`bundle_open`]: the rest is a bundle file as it arrives on media.
pub const BUNDLE_FILE: u8 = 0;
/// Mode byte of [`bundle_open`]: the rest is the plaintext archive, encrypted here first.
pub const BUNDLE_ARCHIVE: u8 = 1;

/// Opens a bundle the way an import does, then parses its tables and scenarios.
///
/// The first byte picks the mode (its lowest bit): [`BUNDLE_FILE`] fuzzes the whole
/// file, age header and armor included; [`BUNDLE_ARCHIVE`] encrypts the rest to the
/// DEMO ONLY recipient first, so the fuzzer reaches the tar reader, the manifest and
/// the signature check directly, past age's authentication (which a mutated file
/// never passes). Decryption uses the DEMO ONLY identity; the DEMO ONLY issuer is the
/// trusted issuer, and unsigned bundles and unknown signers are allowed so that the
/// checks after the signature are reached too.
pub fn bundle_open(data: &[u8]) -> Result<()> {
    let Some((&mode, rest)) = data.split_first() else { return Ok(()) };
    let identities = envelope::parse_identities(IDENTITY)?;
    let sealed;
    let file = if (mode & 1) == BUNDLE_ARCHIVE {
        let recipients = identities.iter().map(|i| i.to_public()).collect();
        sealed = envelope::seal(rest, &Sealing::Recipients(recipients), false)?;
        &sealed[..]
    } else {
        rest
    };
    let trust = vec![("Packplan demo (DEMO ONLY)".to_owned(), IssuerKey::parse(crate::demo::ISSUER_KEY)?)];
    let policy = SignaturePolicy { allow_unsigned: true, allow_unknown_signer: true };
    let opened = container::open(
        file,
        &Opening::Identities(&identities),
        &trust,
        policy,
        &Limits::default(),
        &NoProgress,
        &CancelToken::new(),
    )?;
    // What the import does next, without a vault: every table, the references, the scenarios.
    let mut parsed: Vec<ParsedTable> = Vec::new();
    for (name, f) in &opened.files {
        if let Some(table) = name.strip_suffix(".csv").and_then(tables::table) {
            parsed.push(tables::parse(table, &f.bytes).0);
        } else if name == "scenarios.json" {
            if let Err(problem) = crate::model::scenario::parse_file(&f.bytes) {
                return Err(Error::invalid(problem.to_string()));
            }
        }
    }
    let _ = tables::check_references(&parsed, &Default::default());
    Ok(())
}

/// Parses a set of table CSV files with `rows_from_csv`, assembles the Baseline model
/// input from them (which validates it) and sets the engine up on it.
///
/// The input is the CSV files of [`TABLES`] in their order, separated by NUL bytes; an
/// empty part leaves that table out.
pub fn csv_tables(data: &[u8]) -> Result<()> {
    let files: Vec<(String, Vec<u8>)> = data
        .split(|&b| b == 0)
        .zip(TABLES)
        .filter(|(part, _)| !part.is_empty())
        .map(|(part, table)| (table.file_name(), part.to_vec()))
        .collect();
    let rows = crate::bundle::rows::rows_from_csv(&files, "fuzz")?;
    let input = assemble::assemble(
        &rows,
        Vec::new(),
        &Scenario::baseline(),
        &Horizon::around(crate::month::Month::from_number(2026 * 12 + 11)),
    )?;
    engine_setup(&input)
}

/// Mode bit of [`workbook`]: the rest is a workbook file (`.xlsx`, `.xls`, `.ods`).
pub const WORKBOOK_FILE: u8 = 0;
/// Mode bit of [`workbook`]: the rest is CSV files, one per table in [`TABLES`]' order,
/// separated by NUL bytes (an empty part leaves that table out).
pub const WORKBOOK_CSV: u8 = 1;

/// Reads the user's own files as an import of them does, then checks the references.
///
/// The first byte's lowest bit picks the mode ([`WORKBOOK_FILE`] or [`WORKBOOK_CSV`]);
/// its next two bits the conventions (dates day-first, decimal commas), so the
/// fuzzer reaches every reading of dates and numbers. A file with problems is an
/// error with the first problem's message.
pub fn workbook(data: &[u8]) -> Result<()> {
    use crate::bundle::spreadsheet::{Conventions, DateOrder};
    let Some((&mode, rest)) = data.split_first() else { return Ok(()) };
    let conventions = Conventions {
        date_order: if mode & 2 != 0 { Some(DateOrder::DayMonth) } else { None },
        decimal_comma: mode & 4 != 0,
    };
    let read = if (mode & 1) == WORKBOOK_CSV {
        let files: Vec<(String, Vec<u8>)> = rest
            .split(|&b| b == 0)
            .zip(TABLES)
            .filter(|(part, _)| !part.is_empty())
            .map(|(part, table)| (table.file_name(), part.to_vec()))
            .collect();
        crate::bundle::csv_files::read(&files, conventions)
    } else {
        crate::bundle::workbook::read(rest, conventions)?
    };
    let mut problems = read.problems;
    problems.extend(tables::check_references(&read.tables, &Default::default()));
    match problems.first() {
        Some(p) => Err(Error::invalid(p.to_string())),
        None => Ok(()),
    }
}

/// Parses and validates a model input file (docs/model-input.md), checks that a valid
/// input survives its own JSON round trip, and sets the engine up on it.
pub fn model_input(data: &[u8]) -> Result<()> {
    let text = std::str::from_utf8(data).map_err(|_| Error::invalid("the model input is not UTF-8 text"))?;
    let input = ModelInput::from_json(text)?;
    let again = ModelInput::from_json(&input.to_json())
        .map_err(|e| Error::internal(format!("a valid model input does not read back from its own JSON: {e}")))?;
    if again.to_json() != input.to_json() {
        return Err(Error::internal("a valid model input changes in its JSON round trip"));
    }
    engine_setup(&input)
}

/// What every run does first on a validated input: the fixed model (capacity series,
/// geometry of every route), the capacity and needs at the base draw, and the linear
/// program of that draw (built, not solved: solving is the engine's own test matter).
fn engine_setup(input: &ModelInput) -> Result<()> {
    let model = Model::new(input)?;
    let draw = Draw::base();
    let _ = model.capacity(&draw);
    let _ = model.needs(&draw);
    let _ = model.build(&draw)?;
    Ok(())
}
