//! Imported rows checked again against their issuer's signature.
//!
//! An import keeps, beside the rows it writes, what they came in: the manifest
//! exactly as it was signed, the signature, the public key that verified it, and
//! every file of the bundle. `vault check` then proves, for each dataset a
//! trusted issuer signed, that the rows the vault holds for it are exactly the rows
//! of the files whose SHA-256 the issuer's signed manifest lists: someone who edits
//! or adds rows in the database (even holding the passphrase) cannot make them pass,
//! because that would need the issuer's secret key.
//!
//! What it does not prove: that unsigned or unverified datasets are what their
//! sender meant (nothing can), that the vault still holds every dataset it ever
//! imported (removing one with its sources leaves no trace here; the audit log and
//! the anchor cover that), or anything about values edited in this vault, which
//! live in the `local` dataset and are audited instead.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, Transaction};
use zeroize::Zeroizing;

use super::rows;
use crate::bundle::manifest::{sha256_hex, Manifest};
use crate::bundle::tables::{self, TABLES};
use crate::bundle::IssuerKey;
use crate::vault::check::CheckResult;
use crate::vault::database::failed;
use crate::{Error, ErrorKind, Result};

/// A bundle's files packed to be kept: LZ4 (a CSV's repeated ids and units pack several
/// times over, so that many fewer pages are encrypted and written), made while the
/// rows are written.
pub struct PackedFiles(Vec<(String, Zeroizing<Vec<u8>>)>);

/// Packs `files` (the bundle's, as it came) for [`keep_sources`], wiping each file
/// once it is packed.
pub fn pack(files: Vec<(String, Zeroizing<Vec<u8>>)>) -> PackedFiles {
    PackedFiles(
        files
            .into_iter()
            .map(|(name, bytes)| (name, Zeroizing::new(lz4_flex::block::compress_prepend_size(&bytes))))
            .collect(),
    )
}

/// Keeps what an import came in (inside the import's transaction): the manifest, the
/// signature, the key that verified it, and the files, [`pack`]ed.
pub fn keep_sources(
    tx: &Transaction<'_>,
    dataset_id: &str,
    manifest: &[u8],
    signature: Option<&str>,
    issuer_key: Option<&str>,
    files: &PackedFiles,
) -> Result<()> {
    tx.execute(
        "INSERT INTO dataset_sources (dataset_id, manifest, signature, issuer_public_key) VALUES (?1, ?2, ?3, ?4)",
        params![dataset_id, manifest, signature, issuer_key],
    )
    .map_err(failed("keep the bundle's manifest"))?;
    let fail = failed("keep the bundle's files");
    let mut stmt = tx
        .prepare("INSERT INTO dataset_files (dataset_id, name, bytes, packing) VALUES (?1, ?2, zeroblob(?3), 'lz4')")
        .map_err(fail)?;
    for (name, packed) in &files.0 {
        // written in place through a blob handle: binding the bytes would copy them
        // twice (the binding and the record)
        let size = i64::try_from(packed.len()).map_err(|_| Error::invalid("a bundle's file is too large to keep"))?;
        stmt.execute(params![dataset_id, name, size]).map_err(fail)?;
        let mut blob =
            tx.blob_open(rusqlite::MAIN_DB, "dataset_files", "bytes", tx.last_insert_rowid(), false).map_err(fail)?;
        blob.write_all_at(packed, 0).map_err(fail)?;
    }
    Ok(())
}

/// A kept file's bytes as they came, from how they are stored.
fn unpacked(name: &str, stored: Vec<u8>, packing: Option<&str>) -> Result<Zeroizing<Vec<u8>>> {
    let stored = Zeroizing::new(stored);
    let damaged = |why: &str| {
        Error::new(
            ErrorKind::Damaged,
            format!("the kept file {name} cannot be read ({why}); restore the vault from a backup, or remove the dataset and import its bundle again"),
        )
    };
    match packing {
        None => Ok(stored),
        Some("lz4") => {
            // the length in front is checked before anything is allocated for it: LZ4 never
            // packs more than 255 bytes into one
            let claimed = stored.get(..4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
            match claimed {
                Some(n) if u64::from(n) <= 255 * stored.len() as u64 => {
                    lz4_flex::block::decompress_size_prepended(&stored)
                        .map(Zeroizing::new)
                        .map_err(|e| damaged(&e.to_string()))
                }
                _ => Err(damaged("its stated length is out of bounds")),
            }
        }
        Some(other) => Err(damaged(&format!("it is stored as {other:?}, which this Packplan does not read"))),
    }
}

/// Every check of `vault check`: the vault's own (database, audit chain, anchor,
/// vault.json) and its signed data.
pub fn full_check(vault: &crate::vault::Vault) -> Result<crate::vault::CheckReport> {
    let mut report = vault.check()?;
    report.push(vault.read(check).unwrap_or_else(|e| CheckResult {
        check: "signed_data",
        ok: false,
        findings: vec![format!("the signed data could not be read: {e}")],
    }));
    Ok(report)
}

/// Checks every dataset a trusted issuer signed against its signature: the `signed_data` check.
pub fn check(conn: &Connection) -> Result<CheckResult> {
    let fail = failed("read the datasets' sources");
    let mut stmt = conn
        .prepare(
            "SELECT d.id, d.title, d.issuer, s.manifest, s.signature, s.issuer_public_key \
             FROM datasets d LEFT JOIN dataset_sources s ON s.dataset_id = d.id WHERE d.origin = 'bundle' ORDER BY d.id",
        )
        .map_err(fail)?;
    type SourceRow = (String, String, Option<String>, Option<Vec<u8>>, Option<String>, Option<String>);
    let sources: Vec<SourceRow> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .map_err(fail)?
        .collect::<rusqlite::Result<_>>()
        .map_err(fail)?;
    let mut findings = Vec::new();
    let (mut verified, mut unverifiable) = (0, 0);
    for (id, title, issuer, manifest, signature, key) in sources {
        let (Some(manifest), Some(signature), Some(key), Some(issuer)) = (manifest, signature, key, issuer) else {
            unverifiable += 1;
            continue;
        };
        match dataset_problems(conn, &id, &manifest, &signature, &key)? {
            problems if problems.is_empty() => verified += 1,
            problems => {
                for p in problems {
                    findings.push(format!("dataset {title:?} ({id}), signed by {issuer}: {p}"));
                }
            }
        }
    }
    let ok = findings.is_empty();
    if ok {
        findings.push(format!(
            "{verified} dataset{} match{} their issuer's signature; {unverifiable} {} no trusted signature to check against",
            if verified == 1 { "" } else { "s" },
            if verified == 1 { "es" } else { "" },
            if unverifiable == 1 { "has" } else { "have" },
        ));
    }
    Ok(CheckResult { check: "signed_data", ok, findings })
}

/// What is wrong with one signed dataset, in sentences; empty when its rows are what was signed.
fn dataset_problems(conn: &Connection, id: &str, manifest: &[u8], signature: &str, key: &str) -> Result<Vec<String>> {
    let key = IssuerKey::parse(key)?;
    if let Err(e) = key.verify(manifest, signature) {
        return Ok(vec![format!("its kept manifest no longer matches the signature ({e})")]);
    }
    let manifest = match Manifest::parse(manifest) {
        Ok(m) => m,
        Err(e) => return Ok(vec![format!("its kept manifest cannot be read ({e})")]),
    };
    let files = files_of(conn, id)?;
    let mut problems = Vec::new();
    for entry in &manifest.files {
        match files.get(&entry.path) {
            None => problems.push(format!("the signed file {} is no longer kept", entry.path)),
            Some(bytes) if sha256_hex(bytes) != entry.sha256 => {
                problems.push(format!("the kept file {} differs from the one the issuer signed", entry.path))
            }
            Some(_) => {}
        }
    }
    if !problems.is_empty() {
        return Ok(problems);
    }
    for table in TABLES {
        let signed: Vec<Vec<String>> = match files.get(&table.file_name()) {
            Some(bytes) => {
                let (parsed, _) = tables::parse(table, bytes);
                parsed.rows.iter().map(|r| r.values.iter().map(|v| v.to_cell()).collect()).collect()
            }
            None => Vec::new(),
        };
        let stored: Vec<Vec<String>> = rows::read(conn, table, Some(id))?
            .into_iter()
            .map(|r| r.values.iter().map(|v| v.to_cell()).collect())
            .collect();
        if let Some(difference) = difference(signed, stored) {
            problems.push(format!("{}: {difference}", table.name));
        }
    }
    Ok(problems)
}

/// How the stored rows differ from the signed ones, in words, or `None` when they are the same.
fn difference(mut signed: Vec<Vec<String>>, mut stored: Vec<Vec<String>>) -> Option<String> {
    signed.sort();
    stored.sort();
    if signed == stored {
        return None;
    }
    let missing: Vec<&Vec<String>> = signed.iter().filter(|r| !stored.contains(r)).collect();
    let extra: Vec<&Vec<String>> = stored.iter().filter(|r| !signed.contains(r)).collect();
    let first = extra.first().or(missing.first()).map(|r| r.join(", ")).unwrap_or_default();
    Some(format!(
        "{} row{} not as signed ({} signed row{} missing or changed, {} row{} the issuer did not sign; first: {first})",
        missing.len().max(extra.len()),
        if missing.len().max(extra.len()) == 1 { " is" } else { "s are" },
        missing.len(),
        if missing.len() == 1 { "" } else { "s" },
        extra.len(),
        if extra.len() == 1 { "" } else { "s" },
    ))
}

fn files_of(conn: &Connection, id: &str) -> Result<BTreeMap<String, Zeroizing<Vec<u8>>>> {
    let fail = failed("read the datasets' sources");
    let mut stmt =
        conn.prepare("SELECT name, bytes, packing FROM dataset_files WHERE dataset_id = ?1").map_err(fail)?;
    let rows = stmt
        .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?, r.get::<_, Option<String>>(2)?)))
        .map_err(fail)?;
    let mut files = BTreeMap::new();
    for row in rows {
        let (name, stored, packing) = row.map_err(fail)?;
        let bytes = unpacked(&name, stored, packing.as_deref())?;
        files.insert(name, bytes);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn a_file_kept_before_packing_reads_as_it_was_and_a_packed_one_unpacks() {
        let csv = b"id,name\ntsmc,TSMC\n".to_vec();
        assert_eq!(*unpacked("suppliers.csv", csv.clone(), None).unwrap(), csv, "kept as it came (schema 3 and 4)");
        let packed = lz4_flex::block::compress_prepend_size(&csv);
        assert_eq!(*unpacked("suppliers.csv", packed.clone(), Some("lz4")).unwrap(), csv);
        let unknown = unpacked("suppliers.csv", packed, Some("zstd")).unwrap_err();
        assert_eq!(unknown.kind(), ErrorKind::Damaged);
        assert!(unknown.message().contains("stored as \"zstd\", which this Packplan does not read"), "{unknown}");
        assert!(unpacked("suppliers.csv", vec![1, 0], Some("lz4")).is_err(), "shorter than its length");
    }

    #[test]
    fn the_same_rows_in_another_order_are_the_same_and_a_changed_one_is_named() {
        assert_eq!(difference(rows(&[&["a", "1"], &["b", "2"]]), rows(&[&["b", "2"], &["a", "1"]])), None);
        let d = difference(rows(&[&["a", "1"], &["b", "2"]]), rows(&[&["a", "1"], &["b", "9"]])).unwrap();
        assert!(
            d.starts_with(
                "1 row is not as signed (1 signed row missing or changed, 1 row the issuer did not sign; first: b, 9)"
            ),
            "{d}"
        );
        let extra = difference(rows(&[&["a", "1"]]), rows(&[&["a", "1"], &["c", "3"]])).unwrap();
        assert!(extra.contains("0 signed rows missing or changed, 1 row the issuer did not sign"), "{extra}");
    }
}
