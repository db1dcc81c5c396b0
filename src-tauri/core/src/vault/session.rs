//! A vault session for an interactive front end: at most one unlocked vault,
//! locking on request or after an idle period, a gentle back-off after wrong
//! passphrases, and a cancel token that locking trips so running work stops.
//!
//! The desktop shell holds one `Session` behind a mutex and calls
//! [`Session::lock_if_idle`] from a timer; nothing here knows about windows.

use std::time::{Duration, Instant};

use super::{settings::Settings, status, Passphrase, RecoveryCode, Unlock, Vault, VaultStatus};
use crate::location::VaultLocation;
use crate::progress::CancelToken;
use crate::{Error, ErrorKind, Result};

/// Wrong attempts allowed before the back-off starts.
pub const FREE_ATTEMPTS: u32 = 3;
/// The longest wait the back-off imposes.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Why the vault was locked, for the lock screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum LockReason {
    User,
    Idle,
}

/// What the UI needs to choose its screen.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct SessionStatus {
    pub vault: VaultStatus,
    pub unlocked: bool,
    /// The auto-lock setting while unlocked.
    pub auto_lock_minutes: Option<u32>,
    /// The shortest passphrase accepted, for the first-run screen's hint.
    pub min_passphrase_length: usize,
    /// While unlocked: the vault's own age recipient, from its encrypted keys (what to
    /// give people who send bundles).
    pub recipient: Option<String>,
    /// While unlocked: what the user must know about this vault, found at unlock.
    pub warnings: Vec<String>,
}

pub struct Session {
    location: VaultLocation,
    vault: Option<Vault>,
    settings: Settings,
    last_activity: Instant,
    failures: u32,
    retry_at: Option<Instant>,
    work: CancelToken,
}

impl Session {
    pub fn new(location: VaultLocation) -> Session {
        Session {
            location,
            vault: None,
            settings: Settings::default(),
            last_activity: Instant::now(),
            failures: 0,
            retry_at: None,
            work: CancelToken::new(),
        }
    }

    pub fn location(&self) -> &VaultLocation {
        &self.location
    }

    pub fn status(&self) -> Result<SessionStatus> {
        let recipient = match &self.vault {
            Some(v) => Some(v.read(super::keys::own_keys)?.recipient),
            None => None,
        };
        Ok(SessionStatus {
            vault: status::of(&self.location)?,
            unlocked: self.vault.is_some(),
            auto_lock_minutes: self.vault.as_ref().map(|_| self.settings.auto_lock_minutes),
            min_passphrase_length: super::passphrase::MIN_LENGTH,
            recipient,
            warnings: self.vault.as_ref().map(|v| v.warnings().to_vec()).unwrap_or_default(),
        })
    }

    /// Creates the vault and leaves it unlocked; returns the recovery code (to show once) and the recipient.
    pub fn create(&mut self, passphrase: &Passphrase, actor: &str) -> Result<(RecoveryCode, String)> {
        let (vault, receipt) = Vault::init(&self.location, passphrase, actor)?;
        self.opened(vault)?;
        Ok((receipt.recovery_code, receipt.recipient))
    }

    /// Unlocks with the passphrase or the recovery code. After [`FREE_ATTEMPTS`] wrong
    /// attempts each further one must wait 2, 4, 8 ... up to 30 seconds.
    pub fn unlock(&mut self, unlock: &Unlock<'_>) -> Result<()> {
        self.unlock_at(unlock, Instant::now())
    }

    fn unlock_at(&mut self, unlock: &Unlock<'_>, now: Instant) -> Result<()> {
        if self.vault.is_some() {
            return Ok(());
        }
        if let Some(at) = self.retry_at.filter(|at| *at > now) {
            let secs = (at - now).as_secs() + 1;
            return Err(Error::new(
                ErrorKind::WrongKey,
                format!("too many wrong attempts; wait {secs} seconds, then try again"),
            ));
        }
        match Vault::unlock(&self.location, unlock) {
            Ok(vault) => self.opened(vault),
            Err(e) if e.kind() == ErrorKind::WrongKey => {
                self.failures += 1;
                if self.failures >= FREE_ATTEMPTS {
                    let wait = Duration::from_secs(1 << (self.failures - FREE_ATTEMPTS + 1).min(5)).min(MAX_BACKOFF);
                    self.retry_at = Some(now + wait);
                    Err(Error::new(
                        ErrorKind::WrongKey,
                        format!("{} You can try again in {} seconds.", capitalised(e.message()), wait.as_secs()),
                    ))
                } else {
                    Err(Error::new(ErrorKind::WrongKey, capitalised(e.message())))
                }
            }
            Err(e) => Err(e),
        }
    }

    fn opened(&mut self, vault: Vault) -> Result<()> {
        self.settings = vault.settings()?;
        self.vault = Some(vault);
        self.failures = 0;
        self.retry_at = None;
        self.work = CancelToken::new();
        self.last_activity = Instant::now();
        Ok(())
    }

    /// Locks: cancels running work, closes the database and wipes the key.
    pub fn lock(&mut self) -> Result<()> {
        self.work.cancel();
        match self.vault.take() {
            Some(vault) => vault.lock(),
            None => Ok(()),
        }
    }

    /// Records user activity (postpones auto-lock).
    pub fn touch(&mut self) {
        self.last_activity = Instant::now();
    }

    /// Locks when the vault has been idle longer than the setting; true if it locked.
    pub fn lock_if_idle(&mut self) -> Result<bool> {
        self.lock_if_idle_at(Instant::now())
    }

    fn lock_if_idle_at(&mut self, now: Instant) -> Result<bool> {
        if self.idle_at(now) {
            self.lock()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Whether the vault is unlocked and has been idle for the auto-lock period
    /// (so [`Session::lock_if_idle`] would lock it now).
    pub fn idle(&self) -> bool {
        self.idle_at(Instant::now())
    }

    fn idle_at(&self, now: Instant) -> bool {
        let minutes = self.settings.auto_lock_minutes;
        self.vault.is_some()
            && minutes != 0
            && now.duration_since(self.last_activity) >= Duration::from_secs(u64::from(minutes) * 60)
    }

    /// The token that locking cancels; long work checks it.
    pub fn work_token(&self) -> CancelToken {
        self.work.clone()
    }

    /// Runs `f` on the unlocked vault (and counts as activity), or says it is locked.
    pub fn with_vault<T>(&mut self, f: impl FnOnce(&mut Vault) -> Result<T>) -> Result<T> {
        self.touch();
        match self.vault.as_mut() {
            Some(vault) => f(vault),
            None => Err(Error::new(ErrorKind::Locked, "the vault is locked; unlock it with your passphrase first")),
        }
    }

    pub fn update_settings(&mut self, settings: &Settings, actor: &str) -> Result<()> {
        self.with_vault(|v| v.update_settings(settings, actor))?;
        self.settings = settings.clone();
        Ok(())
    }

    /// Changes the passphrase after proving the current one.
    pub fn change_passphrase(&mut self, current: &Passphrase, new: &Passphrase, actor: &str) -> Result<()> {
        self.prove(current)?;
        self.with_vault(|v| v.change_passphrase(new, actor))
    }

    /// Re-keys the vault after proving the current passphrase; returns the new recovery code.
    pub fn rekey(
        &mut self,
        current: &Passphrase,
        new: &Passphrase,
        actor: &str,
        progress: &dyn crate::progress::Progress,
        cancel: &CancelToken,
    ) -> Result<RecoveryCode> {
        self.prove(current)?;
        self.with_vault(|v| v.rekey(new, actor, progress, cancel))
    }

    /// Proves `current` is the vault's passphrase (a changing command asks for it again).
    fn prove(&self, current: &Passphrase) -> Result<()> {
        let files = super::VaultFiles::new(self.location.dir());
        super::slots::read_slot(&files.passphrase_slot(), &files.recovery_slot(), &Unlock::Passphrase(current))
            .map(drop)
            .map_err(|e| {
                if e.kind() == ErrorKind::WrongKey {
                    Error::new(ErrorKind::WrongKey, "the current passphrase is wrong; nothing was changed")
                } else {
                    e
                }
            })
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            first.to_uppercase().chain(chars).collect::<String>() + if text.ends_with('.') { "" } else { "." }
        }
        None => String::new(),
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.lock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASS: &str = "orbit lantern quietly harbour";

    fn session() -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Session::new(VaultLocation::resolve(Some(dir.path())).unwrap());
        s.create(&Passphrase::new(PASS.into()), "test").unwrap();
        (dir, s)
    }

    #[test]
    fn locks_after_the_idle_period_and_not_before() {
        let (_dir, mut s) = session();
        let token = s.work_token();
        let start = s.last_activity;
        assert!(!s.lock_if_idle_at(start + Duration::from_secs(599)).unwrap());
        assert!(s.status().unwrap().unlocked);
        assert!(s.lock_if_idle_at(start + Duration::from_secs(600)).unwrap());
        assert!(!s.status().unwrap().unlocked);
        assert!(token.is_cancelled(), "locking cancels running work");
        assert_eq!(s.with_vault(|_| Ok(())).unwrap_err().kind(), ErrorKind::Locked);
    }

    #[test]
    fn wrong_passphrases_back_off_gently() {
        let (_dir, mut s) = session();
        s.lock().unwrap();
        let wrong = Passphrase::new("not the passphrase at all".into());
        let now = Instant::now();
        for _ in 0..2 {
            let e = s.unlock_at(&Unlock::Passphrase(&wrong), now).unwrap_err();
            assert_eq!(e.message(), "Wrong passphrase: it does not open this vault. Check the keyboard layout and Caps Lock, and try again.");
        }
        let third = s.unlock_at(&Unlock::Passphrase(&wrong), now).unwrap_err();
        assert!(third.message().ends_with("You can try again in 2 seconds."), "{third}");
        let right = Passphrase::new(PASS.into());
        let waiting = s.unlock_at(&Unlock::Passphrase(&right), now + Duration::from_secs(1)).unwrap_err();
        assert!(waiting.message().starts_with("too many wrong attempts; wait 2 seconds"), "{waiting}");
        s.unlock_at(&Unlock::Passphrase(&right), now + Duration::from_secs(3)).unwrap();
        assert!(s.status().unwrap().unlocked);
    }
}
