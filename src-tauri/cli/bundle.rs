//! `packplan bundle ...`: make, check and (with the vault) import and export bundles.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use packplan_core::bundle::producer::{self, Prepared};
use packplan_core::bundle::spreadsheet::{Conventions, DateOrder};
use packplan_core::bundle::tables::{self, Problem};
use packplan_core::bundle::{self as bundles, IssuerKey, Limits, Opening, Sealing, SignaturePolicy, SigningKey};
use packplan_core::clock::Timestamp;
use packplan_core::progress::{CancelToken, NoProgress};
use packplan_core::write_file::{write_file, Existing};
use packplan_core::{Error, ErrorKind, Result};

use packplan_core::dataset::import::{self, BundleKey};
use packplan_core::dataset::{export, own_files, preview::Preview};
use packplan_core::location::VaultLocation;
use packplan_core::vault::{self, status};

use super::output::Output;
use super::secrets;
use super::vault::UnlockArgs;
use zeroize::Zeroizing;

#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Write a folder ready to fill (every table's CSV, a manifest skeleton, a README of the
    /// columns), or with --xlsx a workbook with one sheet per table
    Template {
        /// The folder to create (it must not hold the files yet)
        #[arg(required_unless_present = "xlsx")]
        dir: Option<PathBuf>,
        /// Write a workbook instead: one sheet per table with drop-down lists, and a README sheet
        #[arg(long, value_name = "FILE", conflicts_with = "dir")]
        xlsx: Option<PathBuf>,
    },
    /// Check a folder made from the template and seal it into a signed, encrypted bundle
    Create(CreateArgs),
    /// Show a bundle's manifest, signer and validation without changing anything
    Inspect(InspectArgs),
    /// Import a bundle into the vault: preview what changes, then apply (or --dry-run)
    Import(ImportArgs),
    /// Export datasets as a signed bundle for contacts (or for a passphrase)
    Export(ExportArgs),
    /// Make a signing key for `bundle create --signing-key` (secret key FILE, public key FILE.pub)
    Keygen {
        /// The secret key file to write (mode 0600); the public key goes to FILE.pub
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The folder with manifest.json and the tables' CSV files, or a workbook (.xlsx, .xlsm,
    /// .xls, .ods) with a sheet per table (then give --title, --classification and --seq)
    #[arg(value_name = "DIR|WORKBOOK")]
    source: PathBuf,
    /// A workbook's bundle title (a folder's is in its manifest.json)
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// A workbook's classification label (a folder's is in its manifest.json)
    #[arg(long, value_name = "LABEL")]
    classification: Option<String>,
    /// A workbook's producer sequence number, larger than in any bundle you signed before
    #[arg(long, value_name = "N")]
    seq: Option<u64>,
    /// How to read a workbook's dates written like 1/6/2026 (refused as ambiguous without it)
    #[arg(long, value_enum, value_name = "ORDER")]
    dates: Option<super::dataset::Dates>,
    /// The bundle file to write (.ppb)
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Encrypt to this age recipient (age1...); repeat for several
    #[arg(long = "recipient", value_name = "R", required_unless_present = "passphrase_file")]
    recipients: Vec<String>,
    /// Encrypt with the passphrase in this file instead (first line)
    #[arg(long, value_name = "FILE", conflicts_with = "recipients")]
    passphrase_file: Option<PathBuf>,
    /// Sign with the secret key in this file (made by `packplan bundle keygen`)
    #[arg(long, value_name = "FILE")]
    signing_key: Option<PathBuf>,
    /// Write an ASCII-armored bundle (for channels that only carry text)
    #[arg(long)]
    armor: bool,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The bundle file (.ppb or .age)
    file: PathBuf,
    /// Decrypt with the age identities in this file
    #[arg(long, value_name = "FILE", required_unless_present = "bundle_passphrase_file")]
    identity: Option<PathBuf>,
    /// Decrypt with the passphrase in this file (first line)
    #[arg(long, value_name = "FILE", conflicts_with = "identity")]
    bundle_passphrase_file: Option<PathBuf>,
    /// Check the signature against this issuer's minisign public key
    #[arg(long, value_name = "FILE")]
    issuer_key: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The bundle file (.ppb or .age)
    file: PathBuf,
    /// Show the preview (manifest, signer, problems, diff) and change nothing
    #[arg(long)]
    dry_run: bool,
    /// Decrypt with the age identities in this file instead of the vault's own identity
    #[arg(long, value_name = "FILE")]
    identity: Option<PathBuf>,
    /// Decrypt with the passphrase in this file (first line)
    #[arg(long, value_name = "FILE", conflicts_with = "identity")]
    bundle_passphrase_file: Option<PathBuf>,
    /// Import even though the bundle is not signed (recorded in the audit log)
    #[arg(long)]
    allow_unsigned: bool,
    /// Import even though the signer is not a trusted issuer (recorded in the audit log)
    #[arg(long)]
    allow_unknown_signer: bool,
    #[command(flatten)]
    unlock: UnlockArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A dataset to export (repeat for several); `packplan dataset list` shows them
    #[arg(long = "dataset", value_name = "ID", required = true)]
    datasets: Vec<String>,
    /// A saved scenario to send along (repeat for several)
    #[arg(long = "scenario", value_name = "NAME")]
    scenarios: Vec<String>,
    /// The title the recipients see
    #[arg(long)]
    title: String,
    /// The bundle file to write (.ppb)
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Encrypt to this contact (repeat for several)
    #[arg(long = "to", value_name = "CONTACT")]
    contacts: Vec<String>,
    /// Encrypt to this age recipient (repeat for several)
    #[arg(long = "recipient", value_name = "R")]
    recipients: Vec<String>,
    /// Encrypt with the passphrase in this file instead (first line)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["contacts", "recipients"])]
    bundle_passphrase_file: Option<PathBuf>,
    /// Write an ASCII-armored bundle
    #[arg(long)]
    armor: bool,
    #[command(flatten)]
    unlock: UnlockArgs,
}

pub fn run_with_vault(command: BundleCommand, location: &VaultLocation, out: &Output) -> Result<()> {
    match command {
        BundleCommand::Import(args) => import(args, location, out),
        BundleCommand::Export(args) => export(args, location, out),
        BundleCommand::Inspect(args) if status::of(location)?.state == "ready" && args.issuer_key.is_none() => {
            // With a vault, inspecting is an import's dry run: the diff against the vault too.
            import(
                ImportArgs {
                    file: args.file,
                    dry_run: true,
                    identity: args.identity,
                    bundle_passphrase_file: args.bundle_passphrase_file,
                    allow_unsigned: true,
                    allow_unknown_signer: true,
                    unlock: UnlockArgs::default(),
                },
                location,
                out,
            )
        }
        other => run(other, out),
    }
}

pub fn run(command: BundleCommand, out: &Output) -> Result<()> {
    match command {
        BundleCommand::Template { xlsx: Some(path), .. } => {
            let bytes = packplan_core::bundle::template_workbook::template_workbook()?;
            write_file(&path, &bytes, Existing::Refuse)?;
            out.value(&serde_json::json!({ "written": [path.display().to_string()] }), |_| {
                format!(
                    "wrote {}; fill its sheets, then import it with `packplan dataset import {}`",
                    path.display(),
                    path.display()
                )
            })
        }
        BundleCommand::Template { dir: None, xlsx: None } => {
            Err(Error::invalid("name the folder to write, or --xlsx FILE for a workbook"))
        }
        BundleCommand::Template { dir: Some(dir), .. } => {
            let written = producer::write_template(&dir)?;
            let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
            out.value(&serde_json::json!({ "written": names }), |_| {
                format!(
                    "wrote {} files in {}; fill the CSVs and manifest.json, then run `packplan bundle create {}`",
                    names.len(),
                    dir.display(),
                    dir.display()
                )
            })
        }
        BundleCommand::Create(args) => create(args, out),
        BundleCommand::Inspect(args) => inspect(args, out),
        BundleCommand::Keygen { out: path } => keygen(&path, out),
        BundleCommand::Import(_) | BundleCommand::Export(_) => {
            Err(Error::internal("bundle import and export need the vault"))
        }
    }
}

fn import(args: ImportArgs, location: &VaultLocation, out: &Output) -> Result<()> {
    let file = packplan_core::bundle::limits::read_file(&args.file, &Limits::default())?;
    let identities;
    let passphrase;
    let key = match (&args.identity, &args.bundle_passphrase_file) {
        (Some(path), _) => {
            identities = secrets::identities_from_file(path)?;
            BundleKey::Identities(&identities)
        }
        (None, Some(path)) => {
            passphrase = secrets::from_file(path)?;
            BundleKey::Passphrase(&passphrase)
        }
        (None, None) => BundleKey::Vault,
    };
    let policy =
        SignaturePolicy { allow_unsigned: args.allow_unsigned, allow_unknown_signer: args.allow_unknown_signer };
    let mut vault = args.unlock.open(location)?;
    let staged = import::stage(&vault, &file, &key, policy, &Limits::default(), &NoProgress, &CancelToken::new())?;
    drop(file); // the staged import holds what it needs
    let preview_text = preview_text(&staged.preview);
    if args.dry_run {
        vault.lock()?;
        return out.value(&staged.preview, |_| {
            format!(
                "{preview_text}
(dry run: nothing was changed)"
            )
        });
    }
    if !staged.preview.problems.is_empty() {
        out.value(&staged.preview, |_| preview_text.clone())?;
        let n = staged.preview.problems.len();
        vault.lock()?;
        return Err(Error::invalid(format!(
            "{n} problem{} in the bundle (listed above); nothing was imported. Ask the sender for a corrected bundle",
            if n == 1 { "" } else { "s" }
        )));
    }
    let receipt = import::apply(&mut vault, staged, &vault::actor("cli"), &NoProgress, &CancelToken::new())?;
    vault.lock()?;
    out.value(&receipt, |r| {
        format!(
            "{preview_text}
imported as dataset {} ({} rows){}",
            r.dataset.id,
            r.dataset.rows.values().sum::<u64>(),
            r.replaced.as_ref().map(|old| format!(", replacing dataset {old}")).unwrap_or_default()
        )
    })
}

pub(super) fn preview_text(p: &Preview) -> String {
    let m = &p.manifest;
    let signer = match &p.signer {
        bundles::Signer::Trusted { issuer, key_id } => format!("signed by {issuer} (key {key_id}), signature valid"),
        bundles::Signer::Unknown { claimed_key_id } => {
            format!("claims to be signed by key {claimed_key_id} (claimed, not verified): NOT a trusted issuer")
        }
        bundles::Signer::Unsigned if m.format == own_files::FORMAT => {
            format!(
                "your own files, not signed; SHA-256 of what was read: {}",
                m.files.iter().map(|f| format!("{} {}", f.path, f.sha256)).collect::<Vec<_>>().join(", ")
            )
        }
        bundles::Signer::Unsigned => "UNSIGNED".into(),
    };
    let mut lines = vec![
        format!("{} [{}]", m.title, m.classification),
        if m.format == own_files::FORMAT {
            format!("read {}, schema {}", m.created, m.schema_version)
        } else {
            format!("bundle {} seq {}, created {}, schema {}", m.bundle_id, m.producer_seq, m.created, m.schema_version)
        },
        signer,
    ];
    lines.extend(p.overrides.iter().map(|o| format!("override: {o}")));
    if let Some(old) = &p.replaces {
        lines.push(format!("replaces dataset {} ({:?}, imported {})", old.id, old.title, old.imported));
    }
    lines.push(format!(
        "{:<24} {:>7} {:>7} {:>7} {:>9} {:>5} {:>7}",
        "table", "rows", "added", "changed", "unchanged", "kept", "removed"
    ));
    for t in &p.tables {
        lines.push(format!(
            "{:<24} {:>7} {:>7} {:>7} {:>9} {:>5} {:>7}",
            t.table, t.rows, t.added, t.changed, t.unchanged, t.kept, t.removed
        ));
        for e in t.examples.iter().filter(|e| e.change != "added").take(5) {
            let cells: Vec<String> =
                e.cells.iter().map(|c| format!("{}: {} -> {}", c.column, c.before, c.after)).collect();
            lines.push(format!("    {} {}  {}", e.change, e.key.join("/"), cells.join(", ")));
        }
    }
    if p.tables.iter().any(|t| t.kept > 0) {
        lines.push(format!("kept: {}", p.overlap_rule));
    }
    if !p.scenarios.is_empty() {
        let named: Vec<String> = p
            .scenarios
            .iter()
            .map(|s| match &s.conflict {
                None => s.imported_as.clone(),
                Some(why) => format!("{} saved as {:?} ({why})", s.name, s.imported_as),
            })
            .collect();
        lines.push(format!("scenarios: {}", named.join(", ")));
    }
    if !p.notes.is_empty() {
        lines.push(format!("{} cells read differently from how they are written (check them):", p.notes.len()));
        lines.extend(p.notes.iter().take(20).map(|n| format!("  {n}")));
        if p.notes.len() > 20 {
            lines.push(format!("  and {} more", p.notes.len() - 20));
        }
    }
    if p.problems.is_empty() {
        lines.push("no problems found".into());
    } else {
        lines.push(format!("{} problem{}:", p.problems.len(), if p.problems.len() == 1 { "" } else { "s" }));
        lines.extend(p.problems.iter().map(|pr| format!("  {pr}")));
    }
    lines.join("\n")
}

fn export(args: ExportArgs, location: &VaultLocation, out: &Output) -> Result<()> {
    if args.out.exists() {
        return Err(Error::new(
            ErrorKind::AlreadyExists,
            format!("{} already exists; choose another --out or remove it first", args.out.display()),
        ));
    }
    let audience = export::Audience {
        contacts: args.contacts.clone(),
        recipients: args.recipients.clone(),
        passphrase: args.bundle_passphrase_file.as_deref().map(secrets::from_file).transpose()?,
    };
    let mut vault = args.unlock.open(location)?;
    let sealing = vault.read(|c| audience.sealing(c))?;
    let (bytes, receipt) = export::export(
        &mut vault,
        &args.datasets,
        &args.scenarios,
        &args.title,
        &sealing,
        args.armor,
        &vault::actor("cli"),
    )?;
    vault.lock()?;
    write_file(&args.out, &bytes, Existing::Refuse)?;
    out.value(&receipt, |r| {
        format!(
            "wrote {} ({} bytes): {:?} [{}], bundle {} seq {}, signed with key {}",
            args.out.display(),
            bytes.len(),
            r.title,
            r.classification,
            r.bundle_id,
            r.producer_seq,
            r.signing_key_id
        )
    })
}

fn create(args: CreateArgs, out: &Output) -> Result<()> {
    if args.out.exists() {
        return Err(Error::new(
            ErrorKind::AlreadyExists,
            format!("{} already exists; choose another --out or remove it first", args.out.display()),
        ));
    }
    let sealing = match &args.passphrase_file {
        Some(path) => {
            let secret = secrets::from_file(path)?;
            vault::require_strong(&secret, "the bundle's passphrase")?;
            Sealing::Passphrase(secret)
        }
        None => Sealing::Recipients(
            args.recipients.iter().map(|r| bundles::envelope::parse_recipient(r)).collect::<Result<_>>()?,
        ),
    };
    let signer = match &args.signing_key {
        Some(path) => Some(read_signing_key(path)?),
        None => None,
    };
    let Prepared { new, counts, mut problems, notes } = prepare(&args)?;
    problems.extend(packplan_core::model::scenario::problems_in(&new.files));
    if !problems.is_empty() {
        return Err(report_problems(&problems, &args.source, out));
    }
    for note in &notes {
        out.note(&format!("note: {note}"));
    }
    let file = bundles::seal(&new, signer.as_ref(), &sealing, args.armor)?;
    write_file(&args.out, &file, Existing::Refuse)?;
    let summary = serde_json::json!({
        "out": args.out.display().to_string(),
        "bundle_id": new.bundle_id,
        "producer_seq": new.producer_seq,
        "signed_by": signer.as_ref().map(|k| k.key_id().to_string()),
        "bytes": file.len(),
        "rows": counts,
    });
    out.value(&summary, |_| {
        let rows: Vec<String> = counts.iter().map(|(f, n)| table_rows(f, *n)).collect();
        format!(
            "wrote {} ({} bytes), bundle {} seq {}, {}\n{}",
            args.out.display(),
            file.len(),
            new.bundle_id,
            new.producer_seq,
            match &signer {
                Some(k) => format!("signed by key {}", k.key_id()),
                None => "UNSIGNED (recipients must explicitly allow it)".into(),
            },
            rows.join("\n")
        )
    })
}

/// Reads the producer's folder, or the workbook with the manifest given by flags.
fn prepare(args: &CreateArgs) -> Result<Prepared> {
    let flags = args.title.is_some() || args.classification.is_some() || args.seq.is_some() || args.dates.is_some();
    if args.source.is_dir() {
        if flags {
            return Err(Error::invalid(format!(
                "--title, --classification, --seq and --dates are for a workbook; {} is a folder, whose manifest.json gives the title, classification and sequence",
                args.source.display()
            )));
        }
        return producer::prepare(&args.source, Timestamp::now());
    }
    let (Some(title), Some(classification), Some(producer_seq)) = (&args.title, &args.classification, args.seq) else {
        return Err(Error::invalid(format!(
            "give --title, --classification and --seq for the bundle made from the workbook {} (a folder has them in its manifest.json)",
            args.source.display()
        )));
    };
    let file = packplan_core::bundle::limits::read_expected(
        &args.source,
        packplan_core::bundle::workbook::MAX_FILE_BYTES,
        &packplan_core::bundle::limits::WORKBOOK_FILE,
    )?;
    let skeleton = producer::Skeleton {
        title: title.clone(),
        classification: classification.clone(),
        producer_seq,
        bundle_id: None,
        intended_recipients: None,
    };
    let conventions = Conventions { date_order: args.dates.map(DateOrder::from), decimal_comma: false };
    producer::prepare_workbook(&file, skeleton, conventions, Timestamp::now())
}

fn inspect(args: InspectArgs, out: &Output) -> Result<()> {
    let file = packplan_core::bundle::limits::read_file(&args.file, &Limits::default())?;
    let trust: Vec<(String, IssuerKey)> = match &args.issuer_key {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io("read the issuer key", path, e))?;
            vec![(path.display().to_string(), IssuerKey::parse(&text)?)]
        }
        None => Vec::new(),
    };
    // Inspecting changes nothing, so an unknown or missing signature is shown, not refused.
    let policy = SignaturePolicy { allow_unsigned: true, allow_unknown_signer: true };
    let opened = match (&args.identity, &args.bundle_passphrase_file) {
        (Some(path), _) => {
            let identities = secrets::identities_from_file(path)?;
            bundles::open(
                &file,
                &Opening::Identities(&identities),
                &trust,
                policy,
                &Limits::default(),
                &NoProgress,
                &CancelToken::new(),
            )?
        }
        (None, Some(path)) => {
            let pass = secrets::from_file(path)?;
            bundles::open(
                &file,
                &Opening::Passphrase(&pass),
                &trust,
                policy,
                &Limits::default(),
                &NoProgress,
                &CancelToken::new(),
            )?
        }
        (None, None) => {
            return Err(Error::invalid("give --identity FILE or --bundle-passphrase-file FILE to decrypt the bundle"))
        }
    };
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    let mut counts = std::collections::BTreeMap::new();
    for (name, f) in &opened.files {
        if let Some(table) = name.strip_suffix(".csv").and_then(tables::table) {
            let (p, mut found) = tables::parse(table, &f.bytes);
            counts.insert(name.clone(), p.rows.len());
            problems.append(&mut found);
            parsed.push(p);
        }
    }
    problems.extend(tables::check_references(&parsed, &Default::default()));
    let report = serde_json::json!({
        "manifest": opened.manifest,
        "signer": opened.signer,
        "rows": counts,
        "problems": problems,
    });
    out.value(&report, |_| {
        let m = &opened.manifest;
        let signer = match &opened.signer {
            bundles::Signer::Trusted { issuer, key_id } => {
                format!("signed by {issuer} (key {key_id}), signature valid")
            }
            bundles::Signer::Unknown { claimed_key_id } => {
                format!("claims to be signed by key {claimed_key_id} (claimed, not verified): NOT a trusted issuer")
            }
            bundles::Signer::Unsigned => "UNSIGNED".into(),
        };
        let mut lines = vec![
            format!("{} [{}]", m.title, m.classification),
            format!(
                "bundle {} seq {}, created {}, schema {}",
                m.bundle_id, m.producer_seq, m.created, m.schema_version
            ),
            signer,
        ];
        lines.extend(counts.iter().map(|(f, n)| table_rows(f, *n)));
        if problems.is_empty() {
            lines.push("no problems found".into());
        } else {
            lines.push(format!("{} problems:", problems.len()));
            lines.extend(problems.iter().map(|p| format!("  {p}")));
        }
        lines.join("\n")
    })
}

fn read_signing_key(path: &Path) -> Result<SigningKey> {
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| Error::io("read the signing key", path, e))?);
    SigningKey::from_secret_text(&text).map_err(|_| {
        Error::invalid(format!(
            "{} is not a Packplan signing key; make one with `packplan bundle keygen --out FILE`",
            path.display()
        ))
    })
}

fn keygen(path: &Path, out: &Output) -> Result<()> {
    let public_path = PathBuf::from(format!("{}.pub", path.display()));
    for p in [path, public_path.as_path()] {
        if p.exists() {
            return Err(Error::new(
                ErrorKind::AlreadyExists,
                format!("{} already exists; choose another --out", p.display()),
            ));
        }
    }
    let key = SigningKey::generate()?;
    let secret = key.to_secret_text()?;
    write_file(path, secret.as_bytes(), Existing::Refuse)?;
    write_file(&public_path, key.public_key_file()?.as_bytes(), Existing::Refuse)?;
    let info = serde_json::json!({
        "secret_key": path.display().to_string(),
        "public_key": public_path.display().to_string(),
        "key_id": key.key_id().to_string(),
        "public_key_line": key.public_key().to_base64(),
    });
    out.value(&info, |_| {
        format!(
            "wrote {} (secret: keep it offline) and {} (give it to your recipients)\nkey id {}\npublic key {}",
            path.display(),
            public_path.display(),
            key.key_id(),
            key.public_key().to_base64()
        )
    })
}

/// Prints every problem on stderr; the error says how many.
fn report_problems(problems: &[Problem], dir: &Path, out: &Output) -> Error {
    for p in problems {
        out.note(&p.to_string());
    }
    let (count, them) = match problems.len() {
        1 => ("1 problem".to_string(), "it"),
        n => (format!("{n} problems"), "them"),
    };
    Error::invalid(format!("{count} in {}; fix {them} and run again. Nothing was written", dir.display()))
}

/// A table file's line in a summary: `  orders.csv: 1 row`.
fn table_rows(file: &str, n: usize) -> String {
    format!("  {file}: {n} row{}", if n == 1 { "" } else { "s" })
}
