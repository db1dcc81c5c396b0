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

pub mod anchor;
pub mod audit;
pub mod backup;
pub mod check;
pub mod database;
pub mod digest;
pub mod files;
pub mod in_use;
pub mod key;
pub mod keys;
pub mod metadata;
pub mod passphrase;
pub mod rekey;
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
pub use passphrase::{require_strong, strength, Passphrase, StrengthHint};
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

/// How to unlock, beyond the secret.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnlockOptions {
    /// Open a database older than the vault's anchor says (an older copy of vault.db put
    /// in place, for instance restored on purpose), recording that in the audit log.
    pub accept_older_database: bool,
}

/// An unlocked vault. Dropping it locks the vault.
pub struct Vault {
    conn: Connection,
    key: DatabaseKey,
    files: VaultFiles,
    info: VaultInfo,
    /// A random number for this unlock: what was staged under one unlock is not applied under another.
    instance: u64,
    /// What the user must know about this vault (an altered vault.json, ...), one sentence each.
    warnings: Vec<String>,
    /// The shared hold on the vault that tells a re-key elsewhere to wait.
    in_use: in_use::InUse,
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
        let in_use = in_use::InUse::none();
        let mut vault = Vault { conn, key, files, info, instance: rand::random(), warnings: Vec::new(), in_use };
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
        crate::write_file::sync_dir(location.dir())?;
        vault.in_use = in_use::InUse::shared(&vault.files.metadata())?;
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
        Vault::unlock_with(location, unlock, UnlockOptions::default())
    }

    /// [`Vault::unlock`], with options. Before the secret is tried, a re-key that was
    /// interrupted after it took effect is finished, and one interrupted before is undone.
    /// After it, the database is checked against its anchor (refused when older, unless
    /// `options` accept it), published keys lose their trust (audited), and vault.json is
    /// compared with the encrypted keys.
    pub fn unlock_with(location: &VaultLocation, unlock: &Unlock<'_>, options: UnlockOptions) -> Result<Vault> {
        let files = VaultFiles::new(location.dir());
        if !files.metadata().exists() {
            return Err(status::missing_vault(location));
        }
        let info = VaultInfo::read(&files.metadata())?;
        // Held before anything is touched: a re-key running elsewhere holds it exclusively.
        let in_use = in_use::InUse::shared(&files.metadata())?;
        let rekeyed = rekey::finish_interrupted(&files)?;
        let key = slots::read_slot(&files.passphrase_slot(), &files.recovery_slot(), unlock).map_err(|e| {
            if rekeyed && e.kind() == ErrorKind::WrongKey {
                Error::new(ErrorKind::WrongKey, format!("{} (A re-key of this vault had been interrupted after it took effect and is now finished: use the new passphrase or the new recovery code.)", e.message()))
            } else {
                e
            }
        })?;
        let mut conn = database::open(&files.database(), &key, Create::Existing)?;
        let before = schema::stored_version(&conn)?;
        schema::migrate(&mut conn)?;
        // A passphrase change killed before its rename leaves the key wrapped to a passphrase
        // that never took effect; it has no use, so it does not stay on disk.
        crate::write_file::remove_leftover(&files.passphrase_slot())?;
        let mut vault = Vault { conn, key, files, info, instance: rand::random(), warnings: Vec::new(), in_use };
        if rekeyed {
            vault.warnings.push("a re-key of this vault was interrupted after it took effect and has now been finished: the new passphrase is in force, but the new recovery code was never shown. Re-key again now (`packplan vault rekey`, or Settings) to get a recovery code you hold".into());
        }
        vault.hold_to_anchor(before, options)?;
        // The checks below read the database; a damaged page must not keep the vault shut,
        // or `vault check` could never name it: a failure becomes a warning.
        let dropped = keys::drop_published_issuers(&mut vault).map(drop);
        vault.warn_unless("published keys could not be removed from the trusted issuers", dropped);
        match vault.metadata_mismatch() {
            Ok(Some(warning)) => vault.warnings.push(warning),
            Ok(None) => {}
            Err(e) => vault.warn_unless("vault.json could not be compared with the vault's keys", Err(e)),
        }
        // Moved on since the anchor (a crash after a commit, an older vault): record it now.
        // A vault on read-only media still opens.
        let current = anchor::of(&vault.conn, &vault.key).map(Some);
        let stored = anchor::read(&vault.files.anchor(), &vault.key).ok().flatten();
        if current.as_ref().is_ok_and(|c| *c != stored) {
            let written = vault.anchor();
            vault.warn_unless(
                "the vault's anchor could not be updated; changes will fail until the folder is writable",
                written,
            );
        }
        Ok(vault)
    }

    /// Adds a warning when `result` failed (a step of unlocking that must not keep the vault shut).
    fn warn_unless(&mut self, what: &str, result: Result<()>) {
        if let Err(e) = result {
            self.warnings.push(format!("{what} ({e}); run `packplan vault check`"));
        }
    }

    /// Refuses a database older than the anchor says, unless accepted (then audited).
    fn hold_to_anchor(&mut self, schema_before: i64, options: UnlockOptions) -> Result<()> {
        let why = match anchor::read(&self.files.anchor(), &self.key) {
            // Vaults made before anchors had none; from schema 3 on, a missing one was removed.
            Ok(None) if schema_before < 3 => None,
            Ok(None) => Some(format!("its anchor {} is missing", self.files.anchor().display())),
            Ok(Some(a)) => match anchor::standing(&self.conn, &a) {
                Ok(anchor::Standing::Current) => None,
                Ok(anchor::Standing::Older(why)) => Some(why),
                Err(e) => {
                    self.warn_unless("the database could not be compared with its anchor, it may be damaged", Err(e));
                    return Ok(());
                }
            },
            Err(e) if e.kind() == ErrorKind::Damaged => Some(e.message().to_owned()),
            Err(e) => return Err(e),
        };
        let Some(why) = why else { return Ok(()) };
        if !options.accept_older_database {
            return Err(Error::new(
                ErrorKind::Damaged,
                format!(
                    "the vault was not opened: {why}. That can re-trust a removed issuer or undo imports. Restore the whole vault folder from your latest backup;                      or, if you put this database back on purpose, open it once with `packplan vault check --accept-older-database` (recorded in the audit log)"
                ),
            ));
        }
        let detail = serde_json::json!({ "why": why });
        self.write(Change::new(audit::SYSTEM_ACTOR, "vault.accept_older_database", "vault.db", detail), |_| Ok(()))
    }

    /// A sentence when vault.json names another recipient than the vault's own key.
    fn metadata_mismatch(&self) -> Result<Option<String>> {
        let own = self.read(keys::own_keys)?.recipient;
        if own == self.info.recipient {
            return Ok(None);
        }
        Ok(Some(format!(
            "{} was altered: it names the recipient {} but this vault's key is {own}. Someone who could write the vault's folder may have planted their own recipient to receive bundles meant for you.              Give senders only the recipient shown here once unlocked (Settings, or `packplan keys show`), and tell anyone who encrypted to the other one",
            self.files.metadata().display(),
            crate::printable::printable(&self.info.recipient)
        )))
    }

    /// Records the database as it is now in the anchor (after each change, and at unlock).
    fn anchor(&mut self) -> Result<()> {
        anchor::write(&self.files.anchor(), &self.conn, &self.key)
    }

    /// What the user must know about this vault, found at unlock (an altered vault.json, ...).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// A number that differs for every unlock of a vault.
    pub fn instance(&self) -> u64 {
        self.instance
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
        crate::testpoint::crash("vault.write.changed");
        audit::append(&tx, &change, Timestamp::now())?;
        crate::testpoint::crash("vault.write.audited");
        tx.commit().map_err(failed("save the change to the vault"))?;
        crate::testpoint::crash("vault.write.committed");
        // The change is saved; a failure to move the anchor only leaves the database
        // ahead of it, which the next unlock accepts and records again.
        if let Err(e) = self.anchor() {
            self.warnings.push(format!("the vault's anchor could not be updated ({e}); it will be at the next unlock"));
        }
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
        crate::testpoint::crash("passwd.recorded");
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
        let new = &Settings { marking_policy: new.marking_policy.clone().normalized(), ..new.clone() };
        new.validate()?;
        let detail = serde_json::to_value(new).map_err(|e| Error::internal(e.to_string()))?;
        self.write(Change::new(actor, "settings.update", "settings", detail), |tx| settings::store(tx, new))
    }

    /// Runs every integrity check of the vault itself (see [`check`]): the database,
    /// its anchor, and vault.json against the encrypted keys.
    pub fn check(&self) -> Result<CheckReport> {
        let mut report = check::run(&self.conn)?;
        let anchored = match anchor::read(&self.files.anchor(), &self.key) {
            Ok(Some(a)) => match anchor::standing(&self.conn, &a) {
                Ok(anchor::Standing::Current) => Ok("the database is not older than its anchor".to_owned()),
                Ok(anchor::Standing::Older(why)) => Err(why),
                Err(e) => Err(format!("the database could not be compared with its anchor: {e}")),
            },
            Ok(None) => Err(format!("the anchor {} is missing", self.files.anchor().display())),
            Err(e) => Err(e.message().to_owned()),
        };
        report.push(check::CheckResult::from_outcome("anchor", anchored));
        let metadata = match self.metadata_mismatch() {
            Ok(None) => Ok("vault.json names this vault's own recipient".to_owned()),
            Ok(Some(warning)) => Err(warning),
            Err(e) => Err(format!("vault.json could not be compared with the vault's keys: {e}")),
        };
        report.push(check::CheckResult::from_outcome("metadata", metadata));
        Ok(report)
    }

    /// Replaces the database key, the passphrase and the recovery code (see [`rekey`]).
    pub fn rekey(
        &mut self,
        new: &Passphrase,
        actor: &str,
        progress: &dyn crate::progress::Progress,
        cancel: &crate::progress::CancelToken,
    ) -> Result<RecoveryCode> {
        rekey::run(self, new, actor, progress, cancel)
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
