//! The user's settings, kept in the vault (so they are encrypted and audited too).

use rusqlite::{params, Connection, Transaction};

use super::database::failed;
use crate::{Error, Result};

/// Minutes without activity before the vault locks itself, by default.
pub const DEFAULT_AUTO_LOCK_MINUTES: u32 = 10;
/// The longest idle time a user may choose; 0 turns auto-lock off.
pub const MAX_AUTO_LOCK_MINUTES: u32 = 480;

/// Every setting, with its default.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    /// Lock after this many idle minutes; 0 = never.
    pub auto_lock_minutes: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { auto_lock_minutes: DEFAULT_AUTO_LOCK_MINUTES }
    }
}

impl Settings {
    pub fn validate(&self) -> Result<()> {
        if self.auto_lock_minutes > MAX_AUTO_LOCK_MINUTES {
            return Err(Error::invalid(format!(
                "auto-lock after {} minutes is too long; choose 0 (never) to {MAX_AUTO_LOCK_MINUTES} minutes",
                self.auto_lock_minutes
            )));
        }
        Ok(())
    }
}

/// Reads the settings, defaults filling any that were never stored.
pub fn load(conn: &Connection) -> Result<Settings> {
    let stored: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = 'auto_lock_minutes'", [], |r| r.get(0))
        .map(Some)
        .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })
        .map_err(failed("read the settings"))?;
    let mut settings = Settings::default();
    if let Some(minutes) = stored.and_then(|v| v.parse::<u32>().ok()) {
        settings.auto_lock_minutes = minutes;
    }
    Ok(settings)
}

/// Stores the settings inside the caller's transaction.
pub fn store(tx: &Transaction<'_>, settings: &Settings) -> Result<()> {
    settings.validate()?;
    tx.execute(
        "INSERT INTO settings (key, value) VALUES ('auto_lock_minutes', ?1) ON CONFLICT (key) DO UPDATE SET value = ?1",
        params![settings.auto_lock_minutes.to_string()],
    )
    .map_err(failed("store the settings"))?;
    Ok(())
}
