//! What can be said about a vault without unlocking it: whether it exists, where,
//! since when, and its files. Not its recipient: vault.json holds a copy, but
//! anyone who can write the folder could change it to their own and so receive the
//! bundles meant for this vault; the recipient is shown only once unlocked, from the
//! encrypted keys (`keys::own_keys`).

use crate::location::VaultLocation;
use crate::{Error, ErrorKind, Result};

use super::files::VaultFiles;
use super::metadata::VaultInfo;

/// The state of the vault folder, for `vault status` and the first screen.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct VaultStatus {
    pub dir: String,
    pub portable: bool,
    /// "none" (no vault yet), "ready" (a vault to unlock) or "unfinished" (files of an interrupted init).
    pub state: &'static str,
    pub created: Option<String>,
    /// Each vault file present, with its size in bytes.
    pub files: Vec<(String, u64)>,
}

/// Describes the vault in `location` without opening it.
pub fn of(location: &VaultLocation) -> Result<VaultStatus> {
    let files = VaultFiles::new(location.dir());
    let present: Vec<(String, u64)> = files
        .all()
        .iter()
        .filter_map(|p| {
            let len = std::fs::metadata(p).ok()?.len();
            let name = p.strip_prefix(location.dir()).ok()?.display().to_string();
            Some((name, len))
        })
        .collect();
    let (state, info) = if files.metadata().exists() {
        ("ready", Some(VaultInfo::read(&files.metadata())?))
    } else if present.is_empty() {
        ("none", None)
    } else {
        ("unfinished", None)
    };
    Ok(VaultStatus {
        dir: location.dir().display().to_string(),
        portable: location.is_portable(),
        state,
        created: info.map(|i| i.created),
        files: present,
    })
}

/// The error for a folder with no vault in it.
pub fn missing_vault(location: &VaultLocation) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("there is no vault in {}; create one with `packplan vault init`, or choose the vault's folder with --vault DIR", location.dir().display()),
    )
}
