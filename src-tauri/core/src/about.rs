//! What Packplan reports about itself: name, version and where its vault is.

use crate::location::VaultLocation;

/// Facts about this build and this user's setup, shown on the first screen,
/// by `packplan --version` and in the provenance footer of exports.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct About {
    pub name: &'static str,
    pub version: &'static str,
    pub vault_dir: String,
    pub vault_portable: bool,
}

/// The version of Packplan, from the workspace manifest.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

impl About {
    pub fn new(location: &VaultLocation) -> Self {
        About {
            name: "Packplan",
            version: VERSION,
            vault_dir: location.dir().display().to_string(),
            vault_portable: location.is_portable(),
        }
    }
}
