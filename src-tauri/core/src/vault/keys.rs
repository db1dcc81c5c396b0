//! The keys the vault keeps for bundles: its own age identity (what suppliers
//! encrypt to) and signing key, the trusted issuers (whose signatures an import
//! accepts, with each one's replay ratchet), and contacts (colleagues' age
//! recipients, for exports). Secrets never leave the encrypted database except
//! as the self-wiping types that use them.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::database::failed;
use crate::bundle::envelope::{self, Identity};
use crate::bundle::published;
use crate::bundle::{IssuerKey, KeyId, SigningKey, TrustStore};
use crate::clock::Timestamp;
use crate::{Error, ErrorKind, Result};

/// The public halves of the vault's own keys, for `keys show` and Settings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct OwnKeys {
    /// The age recipient (`age1...`) suppliers and colleagues encrypt bundles to.
    pub recipient: String,
    /// The minisign public key (base64) colleagues add as a trusted issuer.
    pub signing_public_key: String,
    /// Its key id, as bundles name it.
    pub signing_key_id: String,
}

/// A trusted issuer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct Issuer {
    pub name: String,
    pub public_key: String,
    pub key_id: String,
    pub added: String,
    /// The highest producer sequence number imported from this issuer.
    pub last_seq: u64,
}

/// A colleague's age recipient.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct Contact {
    pub name: String,
    pub recipient: String,
    pub added: String,
}

fn secret_of(conn: &Connection, purpose: &str) -> Result<zeroize::Zeroizing<String>> {
    conn.query_row("SELECT secret FROM own_keys WHERE purpose = ?1", [purpose], |r| r.get::<_, String>(0))
        .map(zeroize::Zeroizing::new)
        .map_err(failed("read the vault's own keys"))
}

pub fn own_keys(conn: &Connection) -> Result<OwnKeys> {
    let public = |purpose: &str| {
        conn.query_row("SELECT public FROM own_keys WHERE purpose = ?1", [purpose], |r| r.get::<_, String>(0))
            .map_err(failed("read the vault's own keys"))
    };
    let signing_public_key = public("signing")?;
    let key = IssuerKey::parse(&signing_public_key)?;
    Ok(OwnKeys { recipient: public("age_identity")?, signing_key_id: key.key_id().to_string(), signing_public_key })
}

/// The vault's own age identity, to open bundles sent to it.
pub fn own_identity(conn: &Connection) -> Result<Identity> {
    let secret = secret_of(conn, "age_identity")?;
    envelope::parse_identities(&secret)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::new(ErrorKind::Damaged, "the vault's own age identity is missing"))
}

/// The vault's own signing key, to sign exported bundles.
pub fn own_signing_key(conn: &Connection) -> Result<SigningKey> {
    SigningKey::from_secret_text(&secret_of(conn, "signing")?)
}

fn check_name(name: &str, what: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.len() > 80 || name.chars().any(char::is_control) {
        return Err(Error::invalid(format!("give the {what} a name of 1 to 80 characters")));
    }
    Ok(name.to_owned())
}

pub fn list_issuers(conn: &Connection) -> Result<Vec<Issuer>> {
    let mut stmt = conn
        .prepare("SELECT name, public_key, key_id, added, last_seq FROM issuers ORDER BY name")
        .map_err(failed("read the trusted issuers"))?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Issuer {
                name: r.get(0)?,
                public_key: r.get(1)?,
                key_id: r.get(2)?,
                added: r.get(3)?,
                last_seq: r.get::<_, i64>(4)? as u64,
            })
        })
        .map_err(failed("read the trusted issuers"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>().map_err(failed("read the trusted issuers"))
}

/// Adds a trusted issuer; `key` is a minisign public key (base64, or the text of a `.pub` file).
pub fn add_issuer(tx: &Transaction<'_>, name: &str, key: &str) -> Result<Issuer> {
    let name = check_name(name, "issuer")?;
    let key = IssuerKey::parse(key)?;
    published::refuse(&key.key_id())?;
    let issuer = Issuer {
        name,
        public_key: key.to_base64(),
        key_id: key.key_id().to_string(),
        added: Timestamp::now().rfc3339(),
        last_seq: 0,
    };
    let existing: Option<String> = tx
        .query_row(
            "SELECT name FROM issuers WHERE name = ?1 OR key_id = ?2",
            params![issuer.name, issuer.key_id],
            |r| r.get(0),
        )
        .optional()
        .map_err(failed("read the trusted issuers"))?;
    if let Some(other) = existing {
        return Err(Error::new(
            ErrorKind::AlreadyExists,
            format!("the issuer {other:?} already has this name or key; remove it first to replace it"),
        ));
    }
    tx.execute(
        "INSERT INTO issuers (name, public_key, key_id, added, last_seq) VALUES (?1, ?2, ?3, ?4, 0)",
        params![issuer.name, issuer.public_key, issuer.key_id, issuer.added],
    )
    .map_err(failed("add the issuer"))?;
    Ok(issuer)
}

pub fn remove_issuer(tx: &Transaction<'_>, name: &str) -> Result<()> {
    let n = tx.execute("DELETE FROM issuers WHERE name = ?1", [name]).map_err(failed("remove the issuer"))?;
    if n == 0 {
        return Err(Error::new(
            ErrorKind::NotFound,
            format!("no trusted issuer is named {name:?}; `packplan issuers list` shows them"),
        ));
    }
    Ok(())
}

/// Raises an issuer's replay ratchet to `seq` (inside the import's transaction).
pub fn advance_ratchet(tx: &Transaction<'_>, key_id: &str, seq: u64) -> Result<()> {
    tx.execute("UPDATE issuers SET last_seq = ?2 WHERE key_id = ?1 AND last_seq < ?2", params![key_id, seq as i64])
        .map_err(failed("record the issuer's sequence number"))?;
    Ok(())
}

pub fn list_contacts(conn: &Connection) -> Result<Vec<Contact>> {
    let mut stmt = conn
        .prepare("SELECT name, recipient, added FROM contacts ORDER BY name")
        .map_err(failed("read the contacts"))?;
    let rows = stmt
        .query_map([], |r| Ok(Contact { name: r.get(0)?, recipient: r.get(1)?, added: r.get(2)? }))
        .map_err(failed("read the contacts"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>().map_err(failed("read the contacts"))
}

pub fn add_contact(tx: &Transaction<'_>, name: &str, recipient: &str) -> Result<Contact> {
    let name = check_name(name, "contact")?;
    let recipient = envelope::parse_recipient(recipient)?.to_string();
    let contact = Contact { name, recipient, added: Timestamp::now().rfc3339() };
    tx.execute(
        "INSERT INTO contacts (name, recipient, added) VALUES (?1, ?2, ?3)",
        params![contact.name, contact.recipient, contact.added],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => Error::new(
            ErrorKind::AlreadyExists,
            "a contact already has this name or recipient; remove it first to replace it",
        ),
        _ => failed("add the contact")(e),
    })?;
    Ok(contact)
}

pub fn remove_contact(tx: &Transaction<'_>, name: &str) -> Result<()> {
    let n = tx.execute("DELETE FROM contacts WHERE name = ?1", [name]).map_err(failed("remove the contact"))?;
    if n == 0 {
        return Err(Error::new(
            ErrorKind::NotFound,
            format!("no contact is named {name:?}; `packplan contacts list` shows them"),
        ));
    }
    Ok(())
}

/// The trusted issuers as the bundle reader asks for them. A published key (the
/// DEMO ONLY key) is never among them, whatever the database says.
pub struct VaultTrust(pub Vec<(String, IssuerKey)>);

impl VaultTrust {
    pub fn load(conn: &Connection) -> Result<VaultTrust> {
        let mut out = Vec::new();
        for issuer in list_issuers(conn)? {
            let key = IssuerKey::parse(&issuer.public_key)?;
            if !published::is_published(&key.key_id()) {
                out.push((issuer.name, key));
            }
        }
        Ok(VaultTrust(out))
    }
}

/// Stops trusting every published key (a vault made before Packplan refused the DEMO
/// ONLY key trusted it after `packplan demo`). Runs at unlock; each removal is audited.
pub fn drop_published_issuers(vault: &mut super::Vault) -> Result<Vec<String>> {
    let published: Vec<Issuer> = vault
        .read(list_issuers)?
        .into_iter()
        .filter(|i| IssuerKey::parse(&i.public_key).is_ok_and(|k| published::is_published(&k.key_id())))
        .collect();
    let mut removed = Vec::new();
    for issuer in published {
        let detail = serde_json::json!({
            "key_id": issuer.key_id,
            "reason": "the DEMO ONLY key's secret is published, so a signature by it proves nothing; it is no longer trusted",
        });
        vault.write(super::Change::new(super::audit::SYSTEM_ACTOR, "issuer.remove", &issuer.name, detail), |tx| {
            remove_issuer(tx, &issuer.name)
        })?;
        removed.push(issuer.name);
    }
    Ok(removed)
}

impl TrustStore for VaultTrust {
    fn issuer(&self, key_id: &KeyId) -> Option<(String, IssuerKey)> {
        self.0.issuer(key_id)
    }
}

/// Trusts an issuer, with an audit entry (what the CLI and the app both call).
pub fn trust_issuer(vault: &mut super::Vault, name: &str, key: &str, actor: &str) -> Result<Issuer> {
    vault.write(super::Change::new(actor, "issuer.add", name, serde_json::json!({})), |tx| add_issuer(tx, name, key))
}

/// Stops trusting an issuer, with an audit entry.
pub fn distrust_issuer(vault: &mut super::Vault, name: &str, actor: &str) -> Result<()> {
    vault.write(super::Change::new(actor, "issuer.remove", name, serde_json::json!({})), |tx| remove_issuer(tx, name))
}

/// Adds a contact, with an audit entry.
pub fn befriend(vault: &mut super::Vault, name: &str, recipient: &str, actor: &str) -> Result<Contact> {
    let detail = serde_json::json!({ "recipient": recipient });
    vault.write(super::Change::new(actor, "contact.add", name, detail), |tx| add_contact(tx, name, recipient))
}

/// Removes a contact, with an audit entry.
pub fn unfriend(vault: &mut super::Vault, name: &str, actor: &str) -> Result<()> {
    vault.write(super::Change::new(actor, "contact.remove", name, serde_json::json!({})), |tx| remove_contact(tx, name))
}

/// The age recipients of the named contacts (an export's audience).
pub fn contact_recipients(conn: &Connection, names: &[String]) -> Result<Vec<age::x25519::Recipient>> {
    let contacts = list_contacts(conn)?;
    names
        .iter()
        .map(|name| {
            let c = contacts.iter().find(|c| &c.name == name).ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!("there is no contact {name:?}; add them first (`packplan contacts add`)"),
                )
            })?;
            envelope::parse_recipient(&c.recipient)
        })
        .collect()
}
