//! Importing a bundle into the vault, in two steps so the user sees what will
//! change before it changes:
//!
//! 1. [`stage`] reads the file within the limits, decrypts it (nothing is looked
//!    at before the age stream's authenticated end), checks the archive, manifest,
//!    signature and replay rules, validates every row (collecting every problem,
//!    located to the cell) and computes the [`Preview`]. It changes nothing.
//! 2. [`apply`] writes the staged import in one immediate transaction together
//!    with the dataset record, the replaced dataset's removal, the issuer's replay
//!    ratchet and the audit entry. Cancel or any error rolls it all back.

use std::collections::BTreeMap;

use super::preview::{self, Preview, OVERLAP_RULE};
use super::{overlap, rows, Dataset};
use crate::bundle::container::UNSIGNED_KEY_ID;
use crate::bundle::manifest::sha256_hex;
use crate::bundle::tables::{self, ParsedTable, Problem, SCHEMA_VERSION, TABLES};
use crate::bundle::{self as bundles, Limits, Opening, SignaturePolicy, Signer};
use crate::clock::Timestamp;
use crate::model::scenario::Scenario;
use crate::progress::{CancelToken, Progress, ProgressReport};
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

/// A checked, validated bundle, ready to apply, and what applying it will change.
pub struct Staged {
    pub preview: Preview,
    tables: Vec<ParsedTable>,
    scenarios: Vec<Scenario>,
    file_sha256: String,
    policy: SignaturePolicy,
}

/// What an applied import did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportReceipt {
    pub dataset: Dataset,
    pub replaced: Option<String>,
    pub audit_seq: i64,
}

/// Reads and checks `file`, and previews its import. Changes nothing.
pub fn stage(
    vault: &Vault,
    file: &[u8],
    key: &BundleKey<'_>,
    policy: SignaturePolicy,
    limits: &Limits,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<Staged> {
    vault.read(|conn| {
        let trust = VaultTrust::load(conn)?;
        let own;
        let opening = match key {
            BundleKey::Vault => {
                own = [keys::own_identity(conn)?];
                Opening::Identities(&own)
            }
            BundleKey::Identities(ids) => Opening::Identities(ids),
            BundleKey::Passphrase(p) => Opening::Passphrase(p),
        };
        let opened = bundles::open(file, &opening, &trust, policy, limits, progress, cancel)?;
        let manifest = opened.manifest.clone();

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
        if let Signer::Trusted { issuer, key_id } = &opened.signer {
            let last = keys::list_issuers(conn)?
                .into_iter()
                .find(|i| i.key_id == key_id.to_string())
                .map_or(0, |i| i.last_seq);
            if manifest.producer_seq <= last {
                return Err(Error::new(
                    ErrorKind::Invalid,
                    format!(
                        "this bundle's sequence number {} is not above {last}, the last one imported from {issuer}: it is an older or replayed copy. Nothing changed; ask {issuer} for their latest bundle",
                        manifest.producer_seq
                    ),
                ));
            }
        }

        // Rows: every table parsed, every problem collected.
        let mut parsed = Vec::new();
        let mut problems: Vec<Problem> = Vec::new();
        let mut scenarios = Vec::new();
        let total = opened.files.len() as u64;
        for (i, (name, f)) in opened.files.iter().enumerate() {
            cancel.check()?;
            if let Some(table) = name.strip_suffix(".csv").and_then(tables::table) {
                let (p, mut found) = tables::parse(table, &f.bytes);
                problems.append(&mut found);
                parsed.push(p);
            } else if name == "scenarios.json" {
                match parse_scenarios(&f.bytes) {
                    Ok(list) => scenarios = list,
                    Err(problem) => problems.push(problem),
                }
            }
            progress.report(ProgressReport { stage: "validating rows".into(), done: i as u64 + 1, total: Some(total), unit: "files" });
        }
        let replaces = replaced_dataset(conn, &manifest.producer_key_id, &manifest.title)?;
        let known = known_ids(conn, replaces.as_ref().map(|d| d.id.as_str()))?;
        let known_refs: BTreeMap<&str, Vec<String>> = known.iter().map(|(k, v)| (*k, v.clone())).collect();
        problems.extend(tables::check_references(&parsed, &known_refs));

        let now = Timestamp::now().rfc3339();
        let diff = preview::diff(conn, &parsed, replaces.as_ref().map(|d| d.id.as_str()), &now)?;
        let mut overrides = Vec::new();
        match &opened.signer {
            Signer::Unsigned => overrides.push("unsigned bundle allowed for this import".to_owned()),
            Signer::Unknown { key_id } => overrides.push(format!("signer {key_id} (not a trusted issuer) allowed for this import")),
            Signer::Trusted { .. } => {}
        }
        Ok(Staged {
            preview: Preview {
                manifest,
                signer: opened.signer.clone(),
                overrides,
                replaces,
                tables: diff,
                problems,
                overlap_rule: OVERLAP_RULE,
                scenarios: scenarios.iter().map(|s| s.name.clone()).collect(),
            },
            tables: parsed,
            scenarios,
            file_sha256: sha256_hex(file),
            policy,
        })
    })
}

/// Reads `scenarios.json`: a list of scenarios (docs/bundle-format.md), each with a
/// unique name other than Baseline.
pub fn parse_scenarios(bytes: &[u8]) -> std::result::Result<Vec<Scenario>, Problem> {
    let problem =
        |line: u64, column: u64, message: String| Problem { file: "scenarios.json".into(), line, column, message };
    let list: Vec<Scenario> = serde_json::from_slice(bytes).map_err(|e| {
        problem(
            e.line() as u64,
            e.column() as u64,
            format!("not a list of scenarios as docs/bundle-format.md describes: {e}"),
        )
    })?;
    let mut seen = std::collections::BTreeSet::new();
    for s in &list {
        if s.name.trim().is_empty() || s.name.eq_ignore_ascii_case("baseline") {
            return Err(problem(
                1,
                1,
                format!("the scenario name {:?} is not allowed: give each scenario a name other than Baseline", s.name),
            ));
        }
        if !seen.insert(s.name.to_lowercase()) {
            return Err(problem(1, 1, format!("the scenario {:?} appears twice; names must be unique", s.name)));
        }
    }
    Ok(list)
}

/// The dataset a bundle replaces: same signing key (signed bundles only) and same title.
fn replaced_dataset(conn: &rusqlite::Connection, producer_key_id: &str, title: &str) -> Result<Option<Dataset>> {
    if producer_key_id == UNSIGNED_KEY_ID {
        return Ok(None);
    }
    Ok(super::list(conn)?
        .into_iter()
        .filter(|d| d.signer_key_id.as_deref() == Some(producer_key_id) && d.title == title)
        .max_by(|a, b| a.imported.cmp(&b.imported)))
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

/// Applies a staged import in one transaction. Refuses an import with problems.
pub fn apply(
    vault: &mut Vault,
    staged: Staged,
    actor: &str,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<ImportReceipt> {
    let preview = &staged.preview;
    if !preview.problems.is_empty() {
        return Err(Error::invalid(format!(
            "the bundle has {} problem{} (listed in the preview); nothing was imported. Ask the sender for a corrected bundle",
            preview.problems.len(),
            if preview.problems.len() == 1 { "" } else { "s" }
        )));
    }
    let m = &preview.manifest;
    let (issuer, signer_key_id) = match &preview.signer {
        Signer::Trusted { issuer, key_id } => (Some(issuer.clone()), Some(key_id.to_string())),
        Signer::Unknown { key_id } => (None, Some(key_id.to_string())),
        Signer::Unsigned => (None, None),
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
        "sha256": staged.file_sha256,
    });
    let total: u64 = staged.tables.iter().map(|t| t.rows.len() as u64).sum();
    let dataset_id = m.bundle_id.clone();
    let replaced = preview.replaces.as_ref().map(|d| d.id.clone());
    vault.write(Change::new(actor, "bundle.import", &dataset_id, detail), |tx| {
        if super::by_bundle_id(tx, &m.bundle_id)?.is_some() {
            return Err(Error::new(ErrorKind::AlreadyExists, "this bundle was already imported; nothing changed"));
        }
        if let Some(old) = &replaced {
            super::remove(tx, old)?;
        }
        tx.execute(
            "INSERT INTO datasets (id, origin, bundle_id, title, classification, issuer, signer_key_id, producer_seq, created, imported, sha256, override) \
             VALUES (?1, 'bundle', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            rusqlite::params![
                dataset_id,
                m.title,
                m.classification,
                issuer,
                signer_key_id,
                m.producer_seq as i64,
                m.created,
                Timestamp::now().rfc3339(),
                staged.file_sha256,
                override_text
            ],
        )
        .map_err(crate::vault::database::failed("record the dataset"))?;
        let mut done = 0u64;
        for parsed in &staged.tables {
            rows::insert(tx, &dataset_id, parsed, progress, cancel, &mut done, total)?;
        }
        for scenario in &staged.scenarios {
            super::model_input::save_scenario(tx, scenario, Some(&dataset_id))?;
        }
        cancel.check()?;
        if let (Some(_), Some(key_id)) = (&issuer, &signer_key_id) {
            keys::advance_ratchet(tx, key_id, m.producer_seq)?;
        }
        progress.report(ProgressReport { stage: "writing rows".into(), done: total, total: Some(total), unit: "rows" });
        Ok(())
    })?;
    let dataset = vault.read(|c| super::get(c, &dataset_id))?;
    let audit_seq = vault.audit_list(1)?.first().map_or(0, |e| e.seq);
    Ok(ImportReceipt { dataset, replaced, audit_seq })
}
