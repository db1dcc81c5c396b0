//! Which Packplans have a vault open: every unlocked vault holds a shared lock
//! (`flock`) on its `vault.json`, so the app and a command can use one vault at
//! the same time, but a re-key, which replaces the database file, runs only when
//! no other Packplan holds it (another connection would go on writing into the
//! replaced file, and its changes would be lost).
//!
//! Where the file system cannot lock (some network shares), nothing is refused:
//! the lock is a guard against mistakes, not a security boundary.

use std::fs::{File, TryLockError};
use std::path::Path;

use crate::{Error, ErrorKind, Result};

/// This process's hold on a vault.
#[derive(Debug)]
pub struct InUse {
    file: Option<File>,
}

impl InUse {
    /// Takes a shared hold on the vault whose metadata file is `path`.
    pub fn shared(path: &Path) -> Result<InUse> {
        let file = File::open(path).map_err(|e| Error::io("open", path, e))?;
        match file.try_lock_shared() {
            Ok(()) => Ok(InUse { file: Some(file) }),
            Err(TryLockError::WouldBlock) => Err(Error::new(
                ErrorKind::Invalid,
                "the vault is being re-keyed by another Packplan; wait until it has finished, then unlock",
            )),
            // This file system cannot lock: go on without the guard.
            Err(TryLockError::Error(_)) => Ok(InUse { file: None }),
        }
    }

    /// No hold (a vault being made, before its metadata file exists).
    pub fn none() -> InUse {
        InUse { file: None }
    }

    /// Turns the hold exclusive (no other Packplan may have the vault open), or refuses.
    pub fn exclusive(&mut self) -> Result<()> {
        let Some(file) = &self.file else { return Ok(()) };
        match file.try_lock() {
            Ok(()) => Ok(()),
            Err(TryLockError::WouldBlock) => Err(super::rekey::in_use_elsewhere()),
            Err(TryLockError::Error(_)) => Ok(()),
        }
    }

    /// Turns an exclusive hold back into a shared one.
    pub fn shared_again(&mut self) {
        if let Some(file) = &self.file {
            let _ = file.lock_shared();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_holds_coexist_and_an_exclusive_one_waits_for_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        std::fs::write(&path, "{}").unwrap();
        let mut app = InUse::shared(&path).unwrap();
        let mut command = InUse::shared(&path).unwrap();
        assert!(app.exclusive().unwrap_err().message().contains("open in another Packplan"));
        drop(command);
        app.exclusive().unwrap();
        assert!(InUse::shared(&path).unwrap_err().message().contains("being re-keyed"));
        app.shared_again();
        command = InUse::shared(&path).unwrap();
        drop(command);
    }
}
