//! `vault.json`: the vault's plain metadata, readable without the passphrase so
//! that `vault status` can describe a locked vault. It holds nothing secret and
//! no supplier data: the format, when the vault was made, and the vault's public
//! age recipient (what colleagues encrypt bundles to).

use std::path::Path;

use crate::write_file::{write_file, Existing};
use crate::{Error, ErrorKind, Result};

pub const FORMAT: &str = "packplan-vault";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VaultInfo {
    pub format: String,
    pub format_version: u32,
    /// RFC 3339 UTC.
    pub created: String,
    /// The vault's own age recipient (`age1...`).
    pub recipient: String,
}

impl VaultInfo {
    pub fn new(created: String, recipient: String) -> VaultInfo {
        VaultInfo { format: FORMAT.into(), format_version: FORMAT_VERSION, created, recipient }
    }

    pub fn read(path: &Path) -> Result<VaultInfo> {
        let bytes = std::fs::read(path).map_err(|e| Error::io("read the vault's metadata", path, e))?;
        let info: VaultInfo = serde_json::from_slice(&bytes).map_err(|e| {
            Error::new(ErrorKind::Damaged, format!("{} is damaged ({e}); restore it from a backup", path.display()))
        })?;
        if info.format != FORMAT {
            return Err(Error::invalid(format!("{} is not a Packplan vault's metadata", path.display())));
        }
        if info.format_version > FORMAT_VERSION {
            return Err(Error::invalid(
                "this vault was made by a newer version of Packplan; install that version (or newer) to open it",
            ));
        }
        Ok(info)
    }

    pub fn write(&self, path: &Path) -> Result<()> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| Error::internal(e.to_string()))?;
        text.push('\n');
        write_file(path, text.as_bytes(), Existing::Replace)
    }
}
