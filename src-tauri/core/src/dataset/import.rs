//! Importing a bundle into the vault, in steps so the user sees what will change
//! before it changes, and so the vault is never held while a file is decrypted:
//!
//! 1. [`keys`] takes from the vault what opening needs (its identity, the trusted
//!    issuers) while the vault is held;
//! 2. [`open`] decrypts the file (nothing is looked at before the age stream's
//!    authenticated end), checks the archive, manifest and signature, and validates
//!    every row (collecting every problem, located to the cell), with the vault not
//!    held, so Lock and auto-lock always work;
//! 3. [`stage_opened`] checks the replay rules and the references against the vault,
//!    finds scenario names already taken and computes the [`Preview`]. It changes
//!    nothing;
//! 4. [`apply`] checks again, inside one immediate transaction, everything that
//!    could have changed since the preview (trust, replay ratchet, references,
//!    scenario names, the replaced dataset), then writes the dataset record, its
//!    rows, the signed manifest and files it came in (so `vault check` can verify
//!    them against the issuer's signature later), the replaced dataset's removal,
//!    the issuer's replay ratchet and the audit entry. Cancel or any error rolls
//!    it all back. A staged import belongs to the unlocked vault that staged it:
//!    after a lock it is refused, and front ends drop it.
//!
//! Trust acts only on a verified signature: only a trusted issuer's bundle replaces
//! a dataset (its own, by title) or moves a replay ratchet, and a key id that no
//! trusted key verified is kept as "claimed", never as the signer.

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use super::preview::{self, Preview, ScenarioImport, OVERLAP_RULE};
use super::{overlap, rows, Dataset};
use crate::bundle::manifest::{sha256_hex, Manifest};
use crate::bundle::tables::{self, ParsedTable, Problem, SCHEMA_VERSION, TABLES};
use crate::bundle::{self as bundles, IssuerKey, Limits, OpenedBundle, Opening, SignaturePolicy, Signer};
use crate::clock::Timestamp;
use crate::model::scenario::Scenario;
use crate::progress::{CancelToken, Progress, ProgressReport};
use crate::vault::database::failed;
use crate::vault::keys::{self, VaultTrust};
use crate::vault::{Change, Vault};
use crate::{Error, ErrorKind, Result};

/// What opens the bundle.
pub enum BundleKey<'a> {
    /// The vault's own age identity (the default).
    Vault,
    /// Identities from an `--identity` file.
    Identities(&'a [bundles::envelope::Identity]),
    /// The passphrase the sender shared.
    Passphrase(&'a age::secrecy::SecretString),
}

/// Whose signatures count for this import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trust {
    /// The vault's trusted issuers.
    Vault,
    /// The DEMO ONLY key, for the shipped demo bundle only (`crate::demo`), never stored.
    DemoOnce,
}

/// What opening a bundle needs from the vault, taken while the vault is held.
pub struct OpenKeys {
    own: Vec<bundles::envelope::Identity>,
    issuers: Vec<(String, IssuerKey)>,
    trust: Trust,
    instance: u64,
}

/// Takes the vault's identity (when `key` asks for it) and trusted issuers.
pub fn keys(vault: &Vault, key: &BundleKey<'_>) -> Result<OpenKeys> {
    vault.read(|conn| {
        let own = match key {
            BundleKey::Vault => vec![keys::own_identity(conn)?],
            _ => Vec::new(),
        };
        Ok(OpenKeys { own, issuers: VaultTrust::load(conn)?.0, trust: Trust::Vault, instance: vault.instance() })
    })
}

/// The one-off trust of the shipped demo bundle: its DEMO ONLY issuer, for this import only.
pub(crate) fn demo_keys(vault: &Vault, name: &str, issuer: IssuerKey) -> OpenKeys {
    OpenKeys {
        own: Vec::new(),
        issuers: vec![(name.to_owned(), issuer)],
        trust: Trust::DemoOnce,
        instance: vault.instance(),
    }
}

/// A decrypted, checked and parsed bundle, not yet compared with the vault.
pub struct Opened {
    pub(super) bundle: OpenedBundle,
    pub(super) tables: Vec<ParsedTable>,
    pub(super) scenarios: Vec<Scenario>,
    pub(super) problems: Vec<Problem>,
    /// What was read differently from how it was written (a spreadsheet's cells).
    pub(super) notes: Vec<Problem>,
    pub(super) file_sha256: String,
    pub(super) policy: SignaturePolicy,
    pub(super) trust: Trust,
    pub(super) instance: u64,
}

/// Reads, checks and parses `file` without the vault: decryption, archive, manifest,
/// signature, and every row of every table (all problems collected, located to the cell).
pub fn open(
    file: &[u8],
    keys: &OpenKeys,
    key: &BundleKey<'_>,
    policy: SignaturePolicy,
    limits: &Limits,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<Opened> {
    let opening = match key {
        BundleKey::Vault => Opening::Identities(&keys.own),
        BundleKey::Identities(ids) => Opening::Identities(ids),
        BundleKey::Passphrase(p) => Opening::Passphrase(p),
    };
    crate::testpoint::hold("import.decrypting");
    let bundle = bundles::open(file, &opening, &keys.issuers, policy, limits, progress, cancel)?;
    let (tables, scenarios, problems) = parse(&bundle, progress, cancel)?;
    Ok(Opened {
        bundle,
        tables,
        scenarios,
        problems,
        notes: Vec::new(),
        file_sha256: sha256_hex(file),
        policy,
        trust: keys.trust,
        instance: keys.instance,
    })
}

/// Every table and the scenarios of an opened bundle, with every problem found.
fn parse(
    bundle: &OpenedBundle,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<(Vec<ParsedTable>, Vec<Scenario>, Vec<Problem>)> {
    let mut parsed = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    let mut scenarios = Vec::new();
    let total = bundle.files.len() as u64;
    for (i, (name, f)) in bundle.files.iter().enumerate() {
        cancel.check()?;
        if let Some(table) = name.strip_suffix(".csv").and_then(tables::table) {
            let (p, mut found) = tables::parse(table, &f.bytes);
            problems.append(&mut found);
            parsed.push(p);
        } else if name == "scenarios.json" {
            match crate::model::scenario::parse_file(&f.bytes) {
                Ok(list) => scenarios = list,
                Err(problem) => problems.push(problem),
            }
        }
        progress.report(ProgressReport {
            stage: "validating rows".into(),
            done: i as u64 + 1,
            total: Some(total),
            unit: "files",
        });
    }
    Ok((parsed, scenarios, problems))
}

/// A checked, validated bundle, ready to apply, and what applying it will change.
pub struct Staged {
    pub preview: Preview,
    tables: Vec<ParsedTable>,
    scenarios: Vec<Scenario>,
    manifest_bytes: Zeroizing<Vec<u8>>,
    signature: Option<String>,
    files: Vec<(String, Zeroizing<Vec<u8>>)>,
    issuer_key: Option<String>,
    file_sha256: String,
    policy: SignaturePolicy,
    trust: Trust,
    instance: u64,
}

/// What an applied import did.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct ImportReceipt {
    pub dataset: Dataset,
    pub replaced: Option<String>,
    pub audit_seq: i64,
}

/// Reads and checks `file`, and previews its import. Changes nothing. (The three
/// steps in one, for a front end that holds the vault throughout, like the CLI.)
pub fn stage(
    vault: &Vault,
    file: &[u8],
    key: &BundleKey<'_>,
    policy: SignaturePolicy,
    limits: &Limits,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<Staged> {
    let keys = keys(vault, key)?;
    let opened = open(file, &keys, key, policy, limits, progress, cancel)?;
    stage_opened(vault, opened, progress, cancel)
}

/// Compares an opened bundle with the vault and previews its import. Changes nothing.
pub fn stage_opened(vault: &Vault, opened: Opened, progress: &dyn Progress, cancel: &CancelToken) -> Result<Staged> {
    if opened.instance != vault.instance() {
        return Err(relocked());
    }
    let Opened { bundle, tables: parsed, scenarios, mut problems, notes, file_sha256, policy, trust, instance } =
        opened;
    let OpenedBundle { manifest, signer, files, manifest_bytes, signature } = bundle;
    vault.read(|conn| {
        if let Some(existing) = super::by_bundle_id(conn, &manifest.bundle_id)? {
            return Err(Error::new(
                ErrorKind::AlreadyExists,
                format!(
                    "this bundle was already imported on {} as the dataset {:?}; nothing changed",
                    existing.imported, existing.title
                ),
            ));
        }
        if manifest.schema_version > SCHEMA_VERSION {
            return Err(Error::invalid(format!(
                "the bundle's tables are schema {}, newer than this Packplan reads ({SCHEMA_VERSION}); update Packplan to import it",
                manifest.schema_version
            )));
        }
        if trust == Trust::Vault {
            check_ratchet(conn, &signer, manifest.producer_seq)?;
        }
        check_marking(conn, &manifest.classification)?;

        cancel.check()?;
        progress.report(ProgressReport { stage: "comparing with the vault".into(), done: 0, total: None, unit: "tables" });
        let replaces = replaced_dataset(conn, &signer, &manifest)?;
        let replaced_id = replaces.as_ref().map(|d| d.id.as_str());
        problems.extend(reference_problems(conn, &parsed, replaced_id)?);
        let scenario_imports = scenario_names(conn, &scenarios, replaced_id, &manifest.title)?;

        let now = Timestamp::now().rfc3339();
        let diff = preview::diff(conn, &parsed, replaced_id, &now)?;
        let mut overrides = Vec::new();
        match &signer {
            Signer::Unsigned if manifest.format == super::own_files::FORMAT => {}
            Signer::Unsigned => overrides.push("unsigned bundle allowed for this import".to_owned()),
            Signer::Unknown { claimed_key_id } => overrides.push(format!(
                "a signature claiming key {claimed_key_id} (not a trusted issuer, so not verified) allowed for this import"
            )),
            Signer::Trusted { .. } => {}
        }
        let issuer_key = match &signer {
            Signer::Trusted { key_id, .. } => Some(key_for(conn, trust, key_id)?),
            _ => None,
        };
        Ok(Staged {
            preview: Preview {
                manifest,
                signer,
                overrides,
                replaces,
                tables: diff,
                problems,
                notes,
                overlap_rule: OVERLAP_RULE,
                scenarios: scenario_imports,
            },
            tables: parsed,
            scenarios,
            manifest_bytes,
            signature: signature.map(|s| s.to_owned()),
            files: files.into_iter().map(|(name, f)| (name, f.bytes)).collect(),
            issuer_key,
            file_sha256,
            policy,
            trust,
            instance,
        })
    })
}

/// The public key (base64) that verified the signer, for the dataset's record.
fn key_for(conn: &rusqlite::Connection, trust: Trust, key_id: &bundles::KeyId) -> Result<String> {
    match trust {
        Trust::DemoOnce => Ok(IssuerKey::parse(bundles::published::DEMO_ISSUER_KEY)?.to_base64()),
        Trust::Vault => VaultTrust::load(conn)?
            .0
            .into_iter()
            .find(|(_, k)| k.key_id() == *key_id)
            .map(|(_, k)| k.to_base64())
            .ok_or_else(|| no_longer_trusted(&key_id.to_string())),
    }
}

fn no_longer_trusted(key_id: &str) -> Error {
    Error::new(
        ErrorKind::Invalid,
        format!("the key {key_id} that signed this bundle is no longer a trusted issuer; nothing was imported. Trust the issuer again, then preview the bundle again"),
    )
}

fn relocked() -> Error {
    Error::new(
        ErrorKind::Invalid,
        "the vault was locked after this bundle was previewed, so the preview was dropped; nothing was imported. Choose the bundle and preview it again",
    )
}

/// Refuses data whose classification label finds no level of the site's marking
/// scheme: it could not be marked (the message says how to map the label).
fn check_marking(conn: &rusqlite::Connection, label: &str) -> Result<()> {
    let policy = crate::vault::settings::load(conn)?.marking_policy;
    match policy.level_of(label) {
        Ok(_) => Ok(()),
        Err(e) => Err(Error::invalid(format!("nothing was imported: {}", e.message()))),
    }
}

/// Refuses a trusted issuer's bundle whose sequence number is not above the last one imported.
fn check_ratchet(conn: &rusqlite::Connection, signer: &Signer, producer_seq: u64) -> Result<()> {
    let Signer::Trusted { issuer, key_id } = signer else { return Ok(()) };
    let last = keys::list_issuers(conn)?.into_iter().find(|i| i.key_id == key_id.to_string()).map_or(0, |i| i.last_seq);
    if producer_seq <= last {
        return Err(Error::new(
            ErrorKind::Invalid,
            format!(
                "this bundle's sequence number {producer_seq} is not above {last}, the last one imported from {issuer}: it is an older or replayed copy. Nothing changed; ask {issuer} for their latest bundle"
            ),
        ));
    }
    Ok(())
}

/// The dataset a bundle replaces: an earlier bundle with the same title whose
/// signature a trusted issuer's key verified, when this one is verified by the same key.
/// The dataset an import replaces: the latest one with the same title from the same
/// trusted signer, or, for the user's own files, from the user's own files.
fn replaced_dataset(conn: &rusqlite::Connection, signer: &Signer, manifest: &Manifest) -> Result<Option<Dataset>> {
    let title = manifest.title.as_str();
    if manifest.format == super::own_files::FORMAT {
        return Ok(super::list(conn)?
            .into_iter()
            .filter(|d| d.title == title && super::own_files::is_own(d))
            .max_by(|a, b| a.imported.cmp(&b.imported)));
    }
    let Signer::Trusted { key_id, .. } = signer else { return Ok(None) };
    let key_id = key_id.to_string();
    Ok(super::list(conn)?
        .into_iter()
        .filter(|d| d.issuer.is_some() && d.signer_key_id.as_deref() == Some(key_id.as_str()) && d.title == title)
        .max_by(|a, b| a.imported.cmp(&b.imported)))
}

/// Problems with references to ids neither in the bundle nor in the vault (without the replaced dataset).
fn reference_problems(
    conn: &rusqlite::Connection,
    parsed: &[ParsedTable],
    without: Option<&str>,
) -> Result<Vec<Problem>> {
    let known = known_ids(conn, without)?;
    let known_refs: BTreeMap<&str, Vec<String>> = known.iter().map(|(k, v)| (*k, v.clone())).collect();
    Ok(tables::check_references(parsed, &known_refs))
}

/// Ids already in the vault (without the dataset being replaced), per table with an `id` column.
fn known_ids(conn: &rusqlite::Connection, without: Option<&str>) -> Result<BTreeMap<&'static str, Vec<String>>> {
    let mut out = BTreeMap::new();
    for table in TABLES {
        let Some(i) = table.column("id") else { continue };
        let stored: Vec<rows::StoredRow> =
            rows::read(conn, table, None)?.into_iter().filter(|r| Some(r.dataset_id.as_str()) != without).collect();
        out.insert(table.name, overlap::effective(table, stored).into_iter().map(|r| r.values[i].to_cell()).collect());
    }
    Ok(out)
}

/// The name each scenario of the bundle is saved under: its own, unless a scenario of
/// that name (compared without case) already belongs to the user or another dataset;
/// then "NAME (from TITLE)", numbered if need be. Nothing the bundle brings replaces
/// a scenario it did not bring.
fn scenario_names(
    conn: &rusqlite::Connection,
    scenarios: &[Scenario],
    replaced: Option<&str>,
    title: &str,
) -> Result<Vec<ScenarioImport>> {
    let mut taken: Vec<(String, Option<String>)> = super::model_input::scenario_owners(conn)?
        .into_iter()
        .filter(|(_, dataset)| dataset.is_none() || dataset.as_deref() != replaced)
        .collect();
    let mut out = Vec::new();
    for s in scenarios {
        let owner = |name: &str, taken: &[(String, Option<String>)]| {
            taken.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, d)| d.clone())
        };
        let (imported_as, conflict) = match owner(&s.name, &taken) {
            None => (s.name.clone(), None),
            Some(dataset) => {
                let base = format!("{} (from {})", s.name, crate::printable::printable(title));
                let mut candidate = base.clone();
                let mut n = 2;
                while owner(&candidate, &taken).is_some() {
                    candidate = format!("{base} {n}");
                    n += 1;
                }
                let whose = match dataset {
                    None => "one of yours".to_owned(),
                    Some(d) => format!("one that came with the dataset {d}"),
                };
                (candidate, Some(format!("a scenario named {:?} already exists ({whose}); it stays as it is", s.name)))
            }
        };
        taken.push((imported_as.clone(), Some(String::new())));
        out.push(ScenarioImport { name: s.name.clone(), imported_as, conflict });
    }
    Ok(out)
}

/// Applies a staged import in one transaction. Refuses an import with problems, and
/// one whose checks no longer hold because the vault changed since the preview.
pub fn apply(
    vault: &mut Vault,
    mut staged: Staged,
    actor: &str,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<ImportReceipt> {
    if staged.instance != vault.instance() {
        return Err(relocked());
    }
    // the bundle's files as it came: packed to be kept (below), on another core
    let files = std::mem::take(&mut staged.files);
    let preview = &staged.preview;
    if !preview.problems.is_empty() {
        return Err(Error::invalid(format!(
            "the bundle has {} problem{} (listed in the preview); nothing was imported. Ask the sender for a corrected bundle",
            preview.problems.len(),
            if preview.problems.len() == 1 { "" } else { "s" }
        )));
    }
    let m = &preview.manifest;
    let producer_seq = i64::try_from(m.producer_seq)
        .map_err(|_| Error::invalid("the bundle's sequence number is too large; nothing was imported"))?;
    let (issuer, signer_key_id, claimed_key_id) = match &preview.signer {
        Signer::Trusted { issuer, key_id } => (Some(issuer.clone()), Some(key_id.to_string()), None),
        Signer::Unknown { claimed_key_id } => (None, None, Some(claimed_key_id.to_string())),
        Signer::Unsigned => (None, None, None),
    };
    let override_text = (!preview.overrides.is_empty()).then(|| preview.overrides.join("; "));
    let counts: BTreeMap<&str, usize> = staged.tables.iter().map(|t| (t.table.name, t.rows.len())).collect();
    let detail = serde_json::json!({
        "bundle_id": m.bundle_id,
        "title": m.title,
        "classification": m.classification,
        "signer": preview.signer,
        "overrides": preview.overrides,
        "policy": staged.policy,
        "replaces": preview.replaces.as_ref().map(|d| d.id.clone()),
        "rows": counts,
        "scenarios": preview.scenarios,
        "sha256": staged.file_sha256,
    });
    let total: u64 = staged.tables.iter().map(|t| t.rows.len() as u64).sum();
    let dataset_id = m.bundle_id.clone();
    let replaced = preview.replaces.as_ref().map(|d| d.id.clone());
    let action = if m.format == super::own_files::FORMAT { "files.import" } else { "bundle.import" };
    let change = Change::new(actor, action, &dataset_id, detail);
    let refused = |e: &Error| {
        format!(
            "nothing was imported: with these rows the vault's data could no longer be planned ({}). \
             Correct the file, or ask its sender for a corrected one",
            e.message()
        )
    };
    std::thread::scope(|scope| {
        // packed while the checks run and the rows are written, each file wiped once packed
        let packing = scope.spawn(move || super::verify::pack(files));
        super::plannable::write(vault, change, refused, |tx| {
            // Everything the preview checked that could have changed since, checked again.
            if super::by_bundle_id(tx, &m.bundle_id)?.is_some() {
                return Err(Error::new(ErrorKind::AlreadyExists, "this bundle was already imported; nothing changed"));
            }
            if staged.trust == Trust::Vault {
                if let Signer::Trusted { key_id, .. } = &preview.signer {
                    key_for(tx, Trust::Vault, key_id)?;
                }
                check_ratchet(tx, &preview.signer, m.producer_seq)?;
            }
            check_marking(tx, &m.classification)?;
            if replaced_dataset(tx, &preview.signer, m)?.map(|d| d.id) != replaced {
                return Err(changed_since_preview("the dataset it replaces"));
            }
            if !reference_problems(tx, &staged.tables, replaced.as_deref())?.is_empty() {
                return Err(changed_since_preview("the rows its references point to"));
            }
            if scenario_names(tx, &staged.scenarios, replaced.as_deref(), &m.title)? != preview.scenarios {
                return Err(changed_since_preview("the saved scenarios"));
            }
            if let Some(old) = &replaced {
                super::remove(tx, old)?;
            }
            tx.execute(
                "INSERT INTO datasets (id, origin, bundle_id, title, classification, issuer, signer_key_id, claimed_key_id, producer_seq, created, imported, sha256, override) \
                 VALUES (?1, 'bundle', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                rusqlite::params![
                    dataset_id,
                    m.title,
                    m.classification,
                    issuer,
                    signer_key_id,
                    claimed_key_id,
                    producer_seq,
                    m.created,
                    Timestamp::now().rfc3339(),
                    staged.file_sha256,
                    override_text
                ],
            )
            .map_err(failed("record the dataset"))?;
            let mut done = 0u64;
            for parsed in &staged.tables {
                rows::insert(tx, &dataset_id, parsed, progress, cancel, &mut done, total)?;
                crate::testpoint::crash("import.table-written");
            }
            let packed =
                packing.join().map_err(|_| Error::internal("packing the bundle's files to keep them failed"))?;
            super::verify::keep_sources(
                tx,
                &dataset_id,
                &staged.manifest_bytes,
                staged.signature.as_deref(),
                staged.issuer_key.as_deref(),
                &packed,
            )?;
            for (scenario, named) in staged.scenarios.iter().zip(&preview.scenarios) {
                let mut scenario = scenario.clone();
                scenario.name = named.imported_as.clone();
                super::model_input::insert_imported_scenario(tx, &scenario, &dataset_id)?;
            }
            crate::testpoint::crash("import.scenarios-written");
            cancel.check()?;
            if let (Trust::Vault, Some(_), Some(key_id)) = (staged.trust, &issuer, &signer_key_id) {
                keys::advance_ratchet(tx, key_id, m.producer_seq)?;
            }
            progress.report(ProgressReport {
                stage: "writing rows".into(),
                done: total,
                total: Some(total),
                unit: "rows",
            });
            Ok(())
        })
    })?;
    let dataset = vault.read(|c| super::get(c, &dataset_id))?;
    let audit_seq = vault.audit_list(1)?.first().map_or(0, |e| e.seq);
    Ok(ImportReceipt { dataset, replaced, audit_seq })
}

fn changed_since_preview(what: &str) -> Error {
    Error::new(
        ErrorKind::Invalid,
        format!("the vault changed since this bundle was previewed ({what}); nothing was imported. Preview it again and check what it will change"),
    )
}
