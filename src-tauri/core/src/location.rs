//! Where the vault lives on disk.
//!
//! By default the vault is a folder inside the operating system's per-user
//! application-data folder (on Linux `$XDG_DATA_HOME/packplan/vault`, usually
//! `~/.local/share/packplan/vault`). It is the *local* app data, never the roaming
//! one: on Windows `%LOCALAPPDATA%\packplan\data\vault`, so a roaming profile does
//! not copy the vault to a server at each logoff. A portable vault, for example on removable
//! media, is chosen with `--vault DIR` or the `PACKPLAN_VAULT` variable; the
//! command line resolves both before calling [`VaultLocation::resolve`].

use std::path::{Path, PathBuf};

use crate::{Error, ErrorKind, Result};

/// The folder that holds (or will hold) one vault.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VaultLocation {
    dir: PathBuf,
    /// True when the user chose the folder (`--vault` or `PACKPLAN_VAULT`).
    portable: bool,
}

impl VaultLocation {
    /// The user's explicit choice if any, else the default per-user folder.
    pub fn resolve(explicit: Option<&Path>) -> Result<Self> {
        match explicit {
            Some(dir) if dir.as_os_str().is_empty() => {
                Err(Error::invalid("the vault folder is empty; give a folder with --vault DIR or unset PACKPLAN_VAULT"))
            }
            Some(dir) if dir.exists() && !dir.is_dir() => Err(Error::invalid(format!(
                "{} is a file, not a folder; give the vault's folder with --vault DIR",
                dir.display()
            ))),
            Some(dir) => Ok(VaultLocation { dir: absolute(dir)?, portable: true }),
            None => Ok(VaultLocation { dir: default_dir()?, portable: false }),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn is_portable(&self) -> bool {
        self.portable
    }
}

fn absolute(dir: &Path) -> Result<PathBuf> {
    std::path::absolute(dir).map_err(|e| Error::io("resolve the vault folder", dir, e))
}

fn default_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "packplan").map(|dirs| dirs.data_local_dir().join("vault")).ok_or_else(
        || {
            Error::new(
                ErrorKind::NotFound,
                "could not find your home folder to place the vault; give a folder with --vault DIR",
            )
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_folder_is_portable_and_absolute() {
        let loc = VaultLocation::resolve(Some(Path::new("some/relative"))).unwrap();
        assert!(loc.is_portable());
        assert!(loc.dir().is_absolute());
        assert!(loc.dir().ends_with("some/relative"));
    }

    #[test]
    fn a_file_is_not_a_vault_folder() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let e = VaultLocation::resolve(Some(file.path())).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid);
        assert!(e.message().contains("is a file, not a folder"), "{e}");
    }

    #[test]
    fn default_folder_is_per_user_app_data() {
        let loc = VaultLocation::resolve(None).unwrap();
        assert!(!loc.is_portable());
        assert!(loc.dir().ends_with("packplan/vault"), "{}", loc.dir().display());
    }

    /// Runs in the Windows build of .github/workflows/other-platforms.yml.
    #[cfg(windows)]
    #[test]
    fn default_folder_on_windows_is_local_not_roaming_app_data() {
        let loc = VaultLocation::resolve(None).unwrap();
        let local = std::env::var_os("LOCALAPPDATA").expect("Windows sets LOCALAPPDATA");
        assert!(loc.dir().starts_with(&local), "{} is not under {local:?}", loc.dir().display());
        assert!(!loc.dir().to_string_lossy().contains("Roaming"), "{}", loc.dir().display());
    }

    #[test]
    fn empty_folder_is_refused_with_advice() {
        let e = VaultLocation::resolve(Some(Path::new(""))).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid);
        assert!(e.message().contains("--vault"));
    }
}
