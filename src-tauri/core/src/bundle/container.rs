//! Making and opening a bundle file: sign, then encrypt; decrypt, then verify.
//!
//! Opening runs the checks in order, each with its own message, before any data
//! is handed back: limits, decryption to the authenticated end, the strict
//! archive, the manifest, every file against the manifest (nothing missing,
//! nothing extra, sizes and SHA-256 equal), the intended recipients, and the
//! signature against the trusted issuers. Replays and re-imports are checked by
//! the import against the vault.

use std::collections::BTreeMap;

use super::archive::{self, ArchiveFile};
use super::envelope::{self, Opening, Sealing};
use super::limits::Limits;
use super::manifest::{sha256_hex, FileEntry, Manifest, FORMAT, FORMAT_VERSION, MANIFEST_NAME, SIGNATURE_NAME};
use super::signing::{signature_key_id, IssuerKey, KeyId, SigningKey};
use zeroize::Zeroizing;

use crate::progress::{CancelToken, Progress};
use crate::{Error, ErrorKind, Result};

/// What a producer puts in a bundle.
pub struct NewBundle {
    pub bundle_id: String,
    pub producer_seq: u64,
    pub created: String,
    pub title: String,
    pub classification: String,
    pub schema_version: u32,
    /// The age recipients the bundle is meant for, when the producer wants to name them.
    pub intended_recipients: Option<Vec<String>>,
    /// Data files: (name, bytes).
    pub files: Vec<(String, Vec<u8>)>,
}

/// The key id written for a bundle that carries no signature.
pub const UNSIGNED_KEY_ID: &str = "0000000000000000";

/// Builds the manifest, signs it (when a key is given), archives and encrypts.
pub fn seal(new: &NewBundle, signer: Option<&SigningKey>, to: &Sealing, armor: bool) -> Result<Vec<u8>> {
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema_version: new.schema_version,
        bundle_id: new.bundle_id.clone(),
        producer_key_id: signer.map(|k| k.key_id().to_string()).unwrap_or_else(|| UNSIGNED_KEY_ID.into()),
        producer_seq: new.producer_seq,
        created: new.created.clone(),
        title: new.title.clone(),
        classification: new.classification.clone(),
        recipients: new
            .intended_recipients
            .as_ref()
            .map(|rs| rs.iter().map(|r| sha256_hex(r.trim().as_bytes())).collect()),
        files: new.files.iter().map(|(name, bytes)| FileEntry::of(name, bytes)).collect(),
    };
    let manifest_bytes = manifest.to_bytes()?;
    let signature = match signer {
        Some(key) => {
            Some(key.sign(&manifest_bytes, &format!("packplan bundle {} seq {}", new.bundle_id, new.producer_seq))?)
        }
        None => None,
    };
    let mut entries: Vec<(&str, &[u8])> = vec![(MANIFEST_NAME, &manifest_bytes)];
    if let Some(sig) = &signature {
        entries.push((SIGNATURE_NAME, sig.as_bytes()));
    }
    entries.extend(new.files.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())));
    let tar = archive::write(&entries)?;
    envelope::seal(&tar, to, armor)
}

/// Who signed an opened bundle.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Signer {
    /// A trusted issuer's valid signature.
    Trusted {
        issuer: String,
        #[serde(serialize_with = "display")]
        #[ts(type = "string")]
        key_id: KeyId,
    },
    /// Signed by a key that is not among the trusted issuers: the signature cannot be
    /// checked, so the key id is only what the file claims. It is shown as "claimed, not
    /// verified" and never stored as the signer.
    Unknown {
        #[serde(serialize_with = "display")]
        #[ts(type = "string")]
        claimed_key_id: KeyId,
    },
    /// No signature at all.
    Unsigned,
}

fn display<S: serde::Serializer>(v: &KeyId, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// The trusted issuers' keys, looked up by key id (the vault keeps them).
pub trait TrustStore {
    fn issuer(&self, key_id: &KeyId) -> Option<(String, IssuerKey)>;
}

impl TrustStore for Vec<(String, IssuerKey)> {
    fn issuer(&self, key_id: &KeyId) -> Option<(String, IssuerKey)> {
        self.iter().find(|(_, k)| k.key_id() == *key_id).cloned()
    }
}

/// What the user allowed for this import beyond the default policy (signed by a
/// trusted issuer). Each override is recorded in the audit log by the import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignaturePolicy {
    pub allow_unsigned: bool,
    pub allow_unknown_signer: bool,
}

/// A bundle that passed every check: its manifest, its signer, and its data files
/// in the manifest's order (plaintext in memory only, wiped when dropped).
pub struct OpenedBundle {
    pub manifest: Manifest,
    pub signer: Signer,
    pub files: BTreeMap<String, ArchiveFile>,
    /// The manifest exactly as signed, and its signature (a `.minisig` text), so the
    /// importer can keep them for verifying the data again later.
    pub manifest_bytes: Zeroizing<Vec<u8>>,
    pub signature: Option<String>,
}

/// Opens and checks a bundle file.
#[allow(clippy::too_many_arguments)]
pub fn open(
    file: &[u8],
    opening: &Opening<'_>,
    trust: &dyn TrustStore,
    policy: SignaturePolicy,
    limits: &Limits,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<OpenedBundle> {
    let plaintext = envelope::open(file, opening, limits, progress, cancel)?;
    cancel.check()?;
    let mut files: BTreeMap<String, ArchiveFile> =
        archive::read(plaintext, limits)?.into_iter().map(|f| (f.name.clone(), f)).collect();

    let manifest_file = files.remove(MANIFEST_NAME).ok_or_else(|| refused("it has no manifest.json"))?;
    let manifest = Manifest::parse(&manifest_file.bytes)?;
    let signature = files.remove(SIGNATURE_NAME);

    // Every file listed, nothing more, each with its size and hash.
    let listed: BTreeMap<&str, &FileEntry> = manifest.files.iter().map(|f| (f.path.as_str(), f)).collect();
    if listed.len() != manifest.files.len() {
        return Err(refused("its manifest lists a file twice"));
    }
    for (name, entry) in &listed {
        let file = files.get(*name).ok_or_else(|| refused(&format!("{name} is listed in its manifest but missing")))?;
        if file.bytes.len() as u64 != entry.size {
            return Err(refused(&format!(
                "{name} is {} bytes, not the {} its manifest lists",
                file.bytes.len(),
                entry.size
            )));
        }
        if sha256_hex(&file.bytes) != entry.sha256 {
            return Err(refused(&format!("{name} does not match the SHA-256 in its manifest (it was altered)")));
        }
    }
    if let Some(extra) = files.keys().find(|name| !listed.contains_key(name.as_str())) {
        return Err(refused(&format!("{extra} is in the archive but not in its manifest")));
    }

    if let (Some(intended), Opening::Identities(identities)) = (&manifest.recipients, opening) {
        let ours: Vec<String> = identities.iter().map(|i| sha256_hex(i.to_public().to_string().as_bytes())).collect();
        if !ours.iter().any(|h| intended.contains(h)) {
            return Err(Error::new(
                ErrorKind::Invalid,
                "this bundle is addressed to someone else: your key is not among its intended recipients (it may have been forwarded); ask the sender for a copy made for you",
            ));
        }
    }

    let signature_text = match &signature {
        None => None,
        Some(sig) => {
            Some(std::str::from_utf8(&sig.bytes).map_err(|_| refused("its signature file is not text"))?.to_owned())
        }
    };
    let signer = match &signature {
        // The format: a bundle without a signature claims no producer.
        None if manifest.producer_key_id != UNSIGNED_KEY_ID => {
            return Err(refused(&format!(
                "its manifest names the producer key {} but it carries no signature (an unsigned bundle must name {UNSIGNED_KEY_ID}); it may be forged to pass as that producer",
                manifest.producer_key_id
            )))
        }
        None => Signer::Unsigned,
        Some(sig) => {
            let text = std::str::from_utf8(&sig.bytes).map_err(|_| refused("its signature file is not text"))?;
            let key_id = signature_key_id(text)?;
            if key_id.to_string() != manifest.producer_key_id {
                return Err(refused("its signature's key id differs from the producer_key_id in its manifest"));
            }
            match trust.issuer(&key_id) {
                Some((issuer, key)) => {
                    key.verify(&manifest_file.bytes, text)?;
                    Signer::Trusted { issuer, key_id }
                }
                None if super::published::is_published(&key_id) => return Err(super::published::refusal(&key_id)),
                None => Signer::Unknown { claimed_key_id: key_id },
            }
        }
    };
    match (&signer, policy) {
        (Signer::Unsigned, SignaturePolicy { allow_unsigned: false, .. }) => Err(Error::new(
            ErrorKind::Invalid,
            "the bundle is not signed, so its origin cannot be checked; import it only if you trust how it reached you, by allowing unsigned bundles for this import (recorded in the audit log)",
        )),
        (Signer::Unknown { claimed_key_id }, SignaturePolicy { allow_unknown_signer: false, .. }) => Err(Error::new(
            ErrorKind::Invalid,
            format!("the bundle claims to be signed by key {claimed_key_id} (not verified), which is not a trusted issuer; add the issuer's public key in Settings (packplan issuers add) after checking it with them, or allow this signer for this import (recorded in the audit log)"),
        )),
        _ => Ok(OpenedBundle { manifest, signer, files, manifest_bytes: manifest_file.bytes, signature: signature_text }),
    }
}

fn refused(what: &str) -> Error {
    Error::new(
        ErrorKind::Damaged,
        format!("the bundle was refused: {what}; nothing was imported. Ask the sender for a new copy"),
    )
}
