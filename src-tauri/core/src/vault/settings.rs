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
    /// A classification label every chart and export carries at least (the datasets'
    /// own labels still win when stricter). `None`: the datasets' labels only.
    #[serde(default)]
    pub classification_label: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { auto_lock_minutes: DEFAULT_AUTO_LOCK_MINUTES, classification_label: None }
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
        if let Some(label) = &self.classification_label {
            if label.chars().count() > 80 || label.contains(['\n', '\r']) {
                return Err(Error::invalid("the classification label must be one line of at most 80 characters"));
            }
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
    settings.classification_label = conn
        .query_row("SELECT value FROM settings WHERE key = 'classification_label'", [], |r| r.get::<_, String>(0))
        .map(Some)
        .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })
        .map_err(failed("read the settings"))?
        .and_then(|json| serde_json::from_str::<Option<String>>(&json).ok().flatten())
        .filter(|l| !l.trim().is_empty());
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
    // values are JSON (the table checks it): a string, or null for none
    let label = settings.classification_label.as_deref().map(str::trim).filter(|l| !l.is_empty());
    let label = serde_json::to_string(&label).map_err(|e| Error::internal(e.to_string()))?;
    tx.execute(
        "INSERT INTO settings (key, value) VALUES ('classification_label', ?1) ON CONFLICT (key) DO UPDATE SET value = ?1",
        params![label],
    )
    .map_err(failed("store the settings"))?;
    Ok(())
}
