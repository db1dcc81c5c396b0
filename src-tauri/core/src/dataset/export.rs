//! Exporting datasets as a bundle for colleagues: the chosen datasets' rows as
//! the bundle tables' CSV files, signed with the vault's own signing key and
//! encrypted to contacts' recipients or to a passphrase. The bundle carries the
//! strictest classification of the datasets in it, and the export is audited.

use std::collections::BTreeMap;

use super::{overlap, rows};
use crate::bundle::producer::random_id;
use crate::bundle::secrecy::SecretString;
use crate::bundle::tables::{self, SCHEMA_VERSION, TABLES};
use crate::bundle::{self as bundles, NewBundle, Sealing};
use crate::chart::Marking;
use crate::clock::Timestamp;
use crate::vault::database::failed;
use crate::vault::keys;
use crate::vault::{Change, Vault};
use crate::{Error, Result};

/// What an export produced.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExportReceipt {
    pub bundle_id: String,
    pub title: String,
    pub classification: String,
    pub producer_seq: u64,
    pub signing_key_id: String,
    /// Rows per table file.
    pub rows: BTreeMap<String, usize>,
}

/// Who can open an exported bundle: contacts by name and age recipients, or a
/// passphrase shared another way (never both). The rules every front end follows.
#[derive(Default)]
pub struct Audience {
    pub contacts: Vec<String>,
    pub recipients: Vec<String>,
    pub passphrase: Option<SecretString>,
}

impl Audience {
    /// How to encrypt for this audience: the contacts' and the named recipients'
    /// keys, or the passphrase (as strong as a vault's).
    pub fn sealing(self, conn: &rusqlite::Connection) -> Result<Sealing> {
        match self.passphrase {
            Some(_) if !(self.contacts.is_empty() && self.recipients.is_empty()) => Err(Error::invalid(
                "choose contacts and recipients, or a passphrase, not both: a passphrase bundle opens for anyone who has the passphrase",
            )),
            Some(secret) => {
                crate::vault::require_strong(&secret, "the bundle's passphrase")?;
                Ok(Sealing::Passphrase(secret))
            }
            None => {
                let mut keys = keys::contact_recipients(conn, &self.contacts)?;
                for r in &self.recipients {
                    keys.push(bundles::envelope::parse_recipient(r)?);
                }
                if keys.is_empty() {
                    return Err(Error::invalid(
                        "say whom the bundle is for: choose at least one contact (or an age recipient), or a passphrase to share another way",
                    ));
                }
                Ok(Sealing::Recipients(keys))
            }
        }
    }
}

/// Builds the bundle of `datasets` (effective rows among them) and returns its bytes.
pub fn export(
    vault: &mut Vault,
    datasets: &[String],
    scenarios: &[String],
    title: &str,
    to: &Sealing,
    armor: bool,
    actor: &str,
) -> Result<(Vec<u8>, ExportReceipt)> {
    if let Sealing::Passphrase(secret) = to {
        crate::vault::require_strong(secret, "the bundle's passphrase")?;
    }
    if datasets.is_empty() {
        return Err(Error::invalid("choose at least one dataset to export; `packplan dataset list` shows them"));
    }
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::invalid("give the bundle a title; the recipient sees it in the import preview"));
    }
    let (files, counts, labels, settings, signing) = vault.read(|conn| {
        let mut labels = Vec::new();
        for id in datasets {
            labels.push(super::get(conn, id)?.classification);
        }
        let mut files = Vec::new();
        let mut counts = BTreeMap::new();
        for table in TABLES {
            let stored: Vec<rows::StoredRow> =
                rows::read(conn, table, None)?.into_iter().filter(|r| datasets.contains(&r.dataset_id)).collect();
            let chosen = overlap::effective(table, stored);
            if chosen.is_empty() {
                continue;
            }
            let bytes = tables::csv_of(table, chosen.iter().map(|r| r.values.as_slice()))?;
            counts.insert(table.file_name(), chosen.len());
            files.push((table.file_name(), bytes));
        }
        if !scenarios.is_empty() {
            let saved = super::model_input::scenarios(conn)?;
            let mut chosen = Vec::new();
            for name in scenarios {
                let s = saved.iter().find(|s| &s.name == name).ok_or_else(|| {
                    Error::new(crate::ErrorKind::NotFound, format!("there is no saved scenario {name:?} to export"))
                })?;
                if s.overrides.is_empty() && s.name == "Baseline" {
                    return Err(Error::invalid("Baseline is built into every Packplan; choose the scenarios you made"));
                }
                chosen.push(s.clone());
            }
            let json = serde_json::to_vec_pretty(&chosen)
                .map_err(|e| Error::internal(format!("could not write scenarios.json: {e}")))?;
            counts.insert("scenarios.json".into(), chosen.len());
            files.push(("scenarios.json".into(), json));
        }
        Ok((files, counts, labels, crate::vault::settings::load(conn)?, keys::own_signing_key(conn)?))
    })?;
    if files.is_empty() {
        return Err(Error::invalid("the chosen datasets hold no rows; nothing to export"));
    }
    // one level of the site's scheme with every label's caveat, raised to the setting
    let classification = Marking::strictest(
        &settings.marking_policy,
        labels.iter().map(String::as_str),
        settings.classification_label.as_deref(),
    )
    .banner_text();
    let bundle_id = random_id();
    // The producer sequence number rises with every export, in the audited transaction.
    let detail = serde_json::json!({ "bundle_id": bundle_id, "title": title, "datasets": datasets, "scenarios": scenarios, "rows": counts });
    let producer_seq = vault.write(Change::new(actor, "bundle.export", &bundle_id, detail), |tx| {
        let last: Option<String> = tx
            .query_row("SELECT value FROM settings WHERE key = 'producer_seq'", [], |r| r.get(0))
            .map(Some)
            .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })
            .map_err(failed("read the export counter"))?;
        let next = last.and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) + 1;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES ('producer_seq', ?1) ON CONFLICT (key) DO UPDATE SET value = ?1",
            [next.to_string()],
        )
        .map_err(failed("advance the export counter"))?;
        Ok(next)
    })?;
    let new = NewBundle {
        bundle_id: bundle_id.clone(),
        producer_seq,
        created: Timestamp::now().rfc3339(),
        title: title.to_owned(),
        classification: classification.clone(),
        schema_version: SCHEMA_VERSION,
        // Named so that a forwarded copy is refused by anyone else's Packplan.
        intended_recipients: match to {
            Sealing::Recipients(rs) => Some(rs.iter().map(|r| r.to_string()).collect()),
            Sealing::Passphrase(_) => None,
        },
        files,
    };
    let bytes = bundles::seal(&new, Some(&signing), to, armor)?;
    Ok((
        bytes,
        ExportReceipt {
            bundle_id,
            title: title.to_owned(),
            classification,
            producer_seq,
            signing_key_id: signing.key_id().to_string(),
            rows: counts,
        },
    ))
}
