//! `packplan keys show`, `issuers add|list|remove`, `contacts add|list|remove`:
//! the vault's own public keys, whom it trusts to sign bundles, and whom it sends to.

use std::path::PathBuf;

use clap::Subcommand;
use packplan_core::location::VaultLocation;
use packplan_core::vault::{self, keys};
use packplan_core::{Error, Result};

use super::output::Output;
use super::vault::UnlockArgs;

const ACTOR: &str = "cli";

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Show the vault's age recipient (to receive bundles) and signing public key
    Show {
        #[command(flatten)]
        unlock: UnlockArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum IssuersCommand {
    /// Trust a producer's minisign public key for signed bundles
    Add {
        /// The issuer's name, as the import preview shows it
        name: String,
        /// The public key: the base64 line, or a .pub file made by `packplan bundle keygen` or minisign
        #[arg(long, value_name = "KEY", required_unless_present = "key_file")]
        key: Option<String>,
        /// Read the public key from this file
        #[arg(long, value_name = "FILE", conflicts_with = "key")]
        key_file: Option<PathBuf>,
        #[command(flatten)]
        unlock: UnlockArgs,
    },
    /// List the trusted issuers and the last sequence number imported from each
    List {
        #[command(flatten)]
        unlock: UnlockArgs,
    },
    /// Stop trusting an issuer (datasets already imported stay)
    Remove {
        name: String,
        #[command(flatten)]
        unlock: UnlockArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Add a colleague's age recipient (age1...) to export bundles to
    Add {
        name: String,
        recipient: String,
        #[command(flatten)]
        unlock: UnlockArgs,
    },
    /// List the contacts
    List {
        #[command(flatten)]
        unlock: UnlockArgs,
    },
    /// Remove a contact
    Remove {
        name: String,
        #[command(flatten)]
        unlock: UnlockArgs,
    },
}

pub fn run_keys(command: KeysCommand, location: &VaultLocation, out: &Output) -> Result<()> {
    let KeysCommand::Show { unlock } = command;
    let vault = unlock.open(location)?;
    let own = vault.read(keys::own_keys)?;
    vault.lock()?;
    out.value(&own, |k| {
        format!(
            "age recipient (people encrypt bundles for you to this):\n    {}\nsigning public key (people add it with `packplan issuers add`), key id {}:\n    {}",
            k.recipient, k.signing_key_id, k.signing_public_key
        )
    })
}

pub fn run_issuers(command: IssuersCommand, location: &VaultLocation, out: &Output) -> Result<()> {
    match command {
        IssuersCommand::Add { name, key, key_file, unlock } => {
            let key = match (key, key_file) {
                (Some(k), _) => k,
                (None, Some(path)) => {
                    std::fs::read_to_string(&path).map_err(|e| Error::io("read the public key", &path, e))?
                }
                (None, None) => return Err(Error::invalid("give the issuer's public key with --key or --key-file")),
            };
            let mut vault = unlock.open(location)?;
            let issuer = keys::trust_issuer(&mut vault, &name, &key, &vault::actor(ACTOR))?;
            vault.lock()?;
            out.value(&issuer, |i| {
                format!(
                    "trusting {} (key {}) for signed bundles; check the key id with them by another channel",
                    i.name, i.key_id
                )
            })
        }
        IssuersCommand::List { unlock } => {
            let vault = unlock.open(location)?;
            let list = vault.read(keys::list_issuers)?;
            vault.lock()?;
            out.value(&list, |list| {
                if list.is_empty() {
                    return "no trusted issuers yet; add one with `packplan issuers add NAME --key-file FILE.pub`"
                        .into();
                }
                list.iter()
                    .map(|i| format!("{}  key {}  last seq {}  added {}", i.name, i.key_id, i.last_seq, i.added))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        IssuersCommand::Remove { name, unlock } => {
            let mut vault = unlock.open(location)?;
            keys::distrust_issuer(&mut vault, &name, &vault::actor(ACTOR))?;
            vault.lock()?;
            out.value(&serde_json::json!({ "removed": name }), |_| format!("no longer trusting {name}"))
        }
    }
}

pub fn run_contacts(command: ContactsCommand, location: &VaultLocation, out: &Output) -> Result<()> {
    match command {
        ContactsCommand::Add { name, recipient, unlock } => {
            let mut vault = unlock.open(location)?;
            let contact = keys::befriend(&mut vault, &name, &recipient, &vault::actor(ACTOR))?;
            vault.lock()?;
            out.value(&contact, |c| format!("added {} ({})", c.name, c.recipient))
        }
        ContactsCommand::List { unlock } => {
            let vault = unlock.open(location)?;
            let list = vault.read(keys::list_contacts)?;
            vault.lock()?;
            out.value(&list, |list| {
                if list.is_empty() {
                    return "no contacts yet; add one with `packplan contacts add NAME age1...`".into();
                }
                list.iter().map(|c| format!("{}  {}", c.name, c.recipient)).collect::<Vec<_>>().join("\n")
            })
        }
        ContactsCommand::Remove { name, unlock } => {
            let mut vault = unlock.open(location)?;
            keys::unfriend(&mut vault, &name, &vault::actor(ACTOR))?;
            vault.lock()?;
            out.value(&serde_json::json!({ "removed": name }), |_| format!("removed {name}"))
        }
    }
}
