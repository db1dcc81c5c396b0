//! The files of one vault folder, by name, so every module agrees on them.
//!
//! ```text
//! <vault>/vault.json            plain metadata: format, version, created, the vault's age recipient
//! <vault>/vault.db(-wal,-shm)   the SQLCipher database (every supplier figure lives here)
//! <vault>/keys/passphrase.age   key slot: the database key, encrypted to the passphrase (age scrypt)
//! <vault>/keys/recovery.age     key slot: the database key, encrypted to the recovery code (age X25519)
//! <vault>/keys/anchor.json      the audit log's head and a digest of the trust tables, authenticated
//!                               with the database key: an older vault.db put back is noticed (anchor.rs)
//! ```
//!
//! While a re-key runs (rekey.rs), the new database and key files sit beside these
//! with the suffix `.rekey`, and `keys/rekey.json` marks the moment they took effect.

use std::path::{Path, PathBuf};

/// Paths of the files of a vault in `dir`.
#[derive(Debug, Clone)]
pub struct VaultFiles {
    dir: PathBuf,
}

impl VaultFiles {
    pub fn new(dir: &Path) -> VaultFiles {
        VaultFiles { dir: dir.to_path_buf() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn metadata(&self) -> PathBuf {
        self.dir.join("vault.json")
    }

    pub fn database(&self) -> PathBuf {
        self.dir.join("vault.db")
    }

    pub fn wal(&self) -> PathBuf {
        self.dir.join("vault.db-wal")
    }

    pub fn shm(&self) -> PathBuf {
        self.dir.join("vault.db-shm")
    }

    pub fn keys_dir(&self) -> PathBuf {
        self.dir.join("keys")
    }

    pub fn passphrase_slot(&self) -> PathBuf {
        self.keys_dir().join("passphrase.age")
    }

    pub fn recovery_slot(&self) -> PathBuf {
        self.keys_dir().join("recovery.age")
    }

    pub fn anchor(&self) -> PathBuf {
        self.keys_dir().join("anchor.json")
    }

    /// The marker a re-key writes once its new files are complete: from then on they are the vault.
    pub fn rekey_marker(&self) -> PathBuf {
        self.keys_dir().join("rekey.json")
    }

    /// Where a re-key writes the new version of `path` before it takes effect.
    pub fn rekeyed(path: &Path) -> PathBuf {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".rekey");
        path.with_file_name(name)
    }

    /// The files that make up the vault (those that exist are what a backup or an audit must consider).
    pub fn all(&self) -> [PathBuf; 7] {
        [
            self.metadata(),
            self.database(),
            self.wal(),
            self.shm(),
            self.passphrase_slot(),
            self.recovery_slot(),
            self.anchor(),
        ]
    }

    /// True when any vault file is present: such a folder is never initialised over.
    pub fn any_exist(&self) -> bool {
        self.all().iter().any(|p| p.exists())
    }
}
