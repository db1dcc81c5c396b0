//! The encrypted vault: one folder that holds all of Packplan's data, useless to
//! whoever copies it without the passphrase or the recovery code.
//!
//! A vault is a SQLCipher database ([`database`]) whose random key ([`key`]) is
//! wrapped in two key slots ([`slots`]): one for the passphrase, one for the
//! recovery code. Every change goes through [`Vault::write`], which runs it in one
//! immediate transaction together with its hash-chained [`audit`] entry. A locked
//! vault is simply a dropped [`Vault`]: the connection closes and the key wipes
//! itself.
//!
//! ```no_run
//! use packplan_core::location::VaultLocation;
//! use packplan_core::vault::{Passphrase, Unlock, Vault};
//! # fn main() -> packplan_core::Result<()> {
//! let location = VaultLocation::resolve(Some(std::path::Path::new("/media/usb/vault")))?;
//! let (vault, receipt) = Vault::init(&location, &Passphrase::new("four random words here".into()), "alice via cli")?;
//! println!("store this recovery code: {}", receipt.recovery_code.reveal().as_str());
//! drop(vault); // locked
//! let vault = Vault::unlock(&location, &Unlock::Passphrase(&Passphrase::new("four random words here".into())))?;
//! # Ok(()) }
//! ```

pub mod atomic_file;
pub mod audit;
pub mod backup;
pub mod check;
pub mod database;
pub mod digest;
pub mod files;
pub mod key;
pub mod keys;
pub mod metadata;
pub mod passphrase;
pub mod schema;
pub mod session;
pub mod settings;
pub mod slots;
pub mod status;
pub mod workspace;

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use audit::{actor, AuditEntry, AuditVerdict, Change};
pub use backup::BackupReceipt;
pub use check::CheckReport;
pub use files::VaultFiles;
pub use key::DatabaseKey;
pub use metadata::VaultInfo;
pub use passphrase::{strength, Passphrase, StrengthHint};
pub use session::{LockReason, Session, SessionStatus};
pub use settings::Settings;
pub use slots::{RecoveryCode, Unlock};
pub use status::VaultStatus;
pub use workspace::{WindowSize, Workspace};

use crate::clock::Timestamp;
use crate::location::VaultLocation;
use crate::{Error, ErrorKind, Result};
use database::{failed, Create};

/// The id of the dataset that holds rows entered in this vault rather than imported.
pub const LOCAL_DATASET: &str = "local";

/// What `vault init` hands back once: the recovery code to store, and the public
/// recipient to give to people who send bundles.
#[derive(Debug)]
pub struct InitReceipt {
    pub recovery_code: RecoveryCode,
    pub recipient: String,
}

/// An unlocked vault. Dropping it locks the vault.
pub struct Vault {
    conn: Connection,
    key: DatabaseKey,
    files: VaultFiles,
    info: VaultInfo,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("dir", &self.files.dir()).finish_non_exhaustive()
    }
}

impl Vault {
    /// Creates a new vault in `location` (which must hold no vault files) and opens it.
    pub fn init(location: &VaultLocation, passphrase: &Passphrase, actor: &str) -> Result<(Vault, InitReceipt)> {
        passphrase.check_strength()?;
        Vault::check_can_init(location)?;
        let files = VaultFiles::new(location.dir());
        std::fs::create_dir_all(files.keys_dir())
            .map_err(|e| Error::io("create the vault folder", location.dir(), e))?;
        restrict_permissions(location.dir());
        restrict_permissions(&files.keys_dir());

        let key = DatabaseKey::generate();
        let recovery_code = RecoveryCode::generate();
        slots::write_passphrase_slot(&files.passphrase_slot(), &key, passphrase)?;
        slots::write_recovery_slot(&files.recovery_slot(), &key, &recovery_code)?;

        let mut conn = database::open(&files.database(), &key, Create::New)?;
        schema::migrate(&mut conn)?;
        let identity = age::x25519::Identity::generate();
        let recipient = identity.to_public().to_string();
        let signing = crate::bundle::SigningKey::generate()?;
        let now = Timestamp::now();
        let info = VaultInfo::new(now.rfc3339(), recipient.clone());
        let mut vault = Vault { conn, key, files, info };
        let change = Change::new(actor, "vault.init", "vault", serde_json::json!({ "recipient": recipient }));
        vault.write(change, |tx| {
            use age::secrecy::ExposeSecret;
            let created = now.rfc3339();
            tx.execute(
                "INSERT INTO own_keys (purpose, public, secret, created) VALUES ('age_identity', ?1, ?2, ?3), ('signing', ?4, ?5, ?3)",
                rusqlite::params![
                    recipient,
                    identity.to_string().expose_secret(),
                    created,
                    signing.public_key().to_base64(),
                    signing.to_secret_text()?.as_str(),
                ],
            )
            .map_err(failed("store the vault's own keys"))?;
            tx.execute(
                "INSERT INTO datasets (id, origin, title, classification, created, imported) VALUES (?1, 'local', 'Entered in this vault', 'UNCLASSIFIED', ?2, ?2)",
                rusqlite::params![LOCAL_DATASET, created],
            )
            .map_err(failed("create the local dataset"))?;
            settings::store(tx, &Settings::default())
        })?;
        // vault.json is written last: its presence marks a finished vault.
        vault.info.write(&vault.files.metadata())?;
        atomic_file::sync_dir(location.dir())?;
        let receipt = InitReceipt { recovery_code, recipient: vault.info.recipient.clone() };
        Ok((vault, receipt))
    }

    /// Refuses a folder that already holds a vault or the files of an unfinished one.
    pub fn check_can_init(location: &VaultLocation) -> Result<()> {
        let files = VaultFiles::new(location.dir());
        if files.metadata().exists() {
            return Err(Error::new(
                ErrorKind::AlreadyExists,
                format!(
                    "{} already holds a vault; unlock it, or choose another folder with --vault DIR",
                    location.dir().display()
                ),
            ));
        }
        if files.any_exist() {
            return Err(Error::new(
                ErrorKind::AlreadyExists,
                format!("{} holds the files of an unfinished vault (an earlier init was interrupted); Packplan will not overwrite them. Move them away or choose another folder", location.dir().display()),
            ));
        }
        Ok(())
    }

    /// Opens the vault in `location` with the passphrase or the recovery code.
    /// A wrong secret changes no byte of any vault file.
    pub fn unlock(location: &VaultLocation, unlock: &Unlock<'_>) -> Result<Vault> {
        let files = VaultFiles::new(location.dir());
        if !files.metadata().exists() {
            return Err(status::missing_vault(location));
        }
        let info = VaultInfo::read(&files.metadata())?;
        let key = slots::read_slot(&files.passphrase_slot(), &files.recovery_slot(), unlock)?;
        let mut conn = database::open(&files.database(), &key, Create::Existing)?;
        schema::migrate(&mut conn)?;
        // A passphrase change killed before its rename leaves the key wrapped to a passphrase
        // that never took effect; it has no use, so it does not stay on disk.
        atomic_file::remove_leftover(&files.passphrase_slot())?;
        Ok(Vault { conn, key, files, info })
    }

    /// Locks the vault: closes the database (checkpointing the WAL) and wipes the key.
    pub fn lock(self) -> Result<()> {
        let Vault { conn, .. } = self;
        conn.close().map_err(|(_, e)| failed("close the vault")(e))
    }

    pub fn info(&self) -> &VaultInfo {
        &self.info
    }

    pub fn files(&self) -> &VaultFiles {
        &self.files
    }

    /// Read-only access to the database.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&self.conn)
    }

    /// Runs `f` in one immediate transaction and records `change` in the audit log
    /// in the same transaction. Any error rolls everything back.
    pub fn write<T>(&mut self, change: Change, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed("start a change to the vault"))?;
        let value = f(&tx)?;
        audit::append(&tx, &change, Timestamp::now())?;
        tx.commit().map_err(failed("save the change to the vault"))?;
        Ok(value)
    }

    /// Re-wraps the database key for a new passphrase; the data is not rewritten.
    /// The old passphrase stops working; the recovery code keeps working.
    pub fn change_passphrase(&mut self, new: &Passphrase, actor: &str) -> Result<()> {
        new.check_strength()?;
        let slot = self.files.passphrase_slot();
        let key = self.key.clone_secret();
        // Record first, then swap the slot atomically: if the swap fails the log says it
        // was attempted and the old passphrase still works.
        self.write(Change::new(actor, "vault.passwd", "passphrase slot", serde_json::json!({})), |_| Ok(()))?;
        slots::write_passphrase_slot(&slot, &key, new)
    }

    /// The window size, screen and scenario remembered from the last session.
    pub fn workspace(&self) -> Result<Workspace> {
        workspace::load(&self.conn)
    }

    /// Remembers the workspace (not audited: it is not data).
    pub fn remember(&mut self, remembered: &Workspace) -> Result<()> {
        workspace::store(&self.conn, remembered)
    }

    pub fn settings(&self) -> Result<Settings> {
        settings::load(&self.conn)
    }

    pub fn update_settings(&mut self, new: &Settings, actor: &str) -> Result<()> {
        new.validate()?;
        let detail = serde_json::to_value(new).map_err(|e| Error::internal(e.to_string()))?;
        self.write(Change::new(actor, "settings.update", "settings", detail), |tx| settings::store(tx, new))
    }

    /// Runs every integrity check (see [`check`]).
    pub fn check(&self) -> Result<CheckReport> {
        check::run(&self.conn)
    }

    /// SHA-256 over all the vault's data (see [`digest`]).
    pub fn digest(&self) -> Result<String> {
        digest::logical_digest(&self.conn)
    }

    pub fn audit_list(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        audit::list(&self.conn, limit)
    }

    pub fn audit_verify(&self) -> Result<AuditVerdict> {
        audit::verify(&self.conn)
    }

    /// Writes an encrypted, verified copy of the vault into the new folder `out`.
    pub fn backup(&mut self, out: &std::path::Path, actor: &str) -> Result<BackupReceipt> {
        let receipt = backup::write(&self.conn, &self.key, &self.files, out)?;
        self.write(
            Change::new(actor, "vault.backup", &receipt.folder, serde_json::json!({ "bytes": receipt.bytes })),
            |_| Ok(()),
        )?;
        Ok(receipt)
    }
}

/// Keeps other users on the machine out of the vault folder (best effort).
fn restrict_permissions(dir: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
}
