//! The user's settings, kept in the vault (so they are encrypted and audited too).

use rusqlite::{params, Connection, Transaction};

use super::database::failed;
use crate::classification::Policy;
use crate::horizon::{Horizon, WindowRequest, WindowSettings};
use crate::month::Month;
use crate::{Error, Result};

/// Minutes without activity before the vault locks itself, by default.
pub const DEFAULT_AUTO_LOCK_MINUTES: u32 = 10;
/// The longest idle time a user may choose; 0 turns auto-lock off.
pub const MAX_AUTO_LOCK_MINUTES: u32 = 480;

/// Every setting, with its default.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Settings {
    /// Lock after this many idle minutes; 0 = never.
    pub auto_lock_minutes: u32,
    /// A classification label every chart and export carries at least (the datasets'
    /// own labels still win when stricter). `None`: the datasets' labels only.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub classification_label: Option<String>,
    /// The first month planned; `None`: the default (docs/model.md, "Horizon").
    #[serde(default)]
    #[ts(optional = nullable)]
    pub horizon_start: Option<Month>,
    /// How many months are planned; `None`: the default.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub horizon_months: Option<u32>,
    /// The planning date ("today"); `None`: the current month, read when a plan is made.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub planning_date: Option<Month>,
    /// The site's marking scheme and the labels the user mapped to its levels.
    #[serde(default)]
    pub marking_policy: Policy,
    /// The locale the screens write numbers and dates in, one of [`LOCALES`]; `None`:
    /// English (US), as the charts and files the backend writes.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub locale: Option<String>,
}

/// A locale the screens can write numbers and dates in: its BCP 47 tag and its name
/// as its speakers write it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct LocaleChoice {
    pub tag: &'static str,
    pub name: &'static str,
}

/// The locales a vault may choose (the screens' Intl writes each of them).
pub const LOCALES: [LocaleChoice; 8] = [
    LocaleChoice { tag: "en-US", name: "English (United States)" },
    LocaleChoice { tag: "en-GB", name: "English (United Kingdom)" },
    LocaleChoice { tag: "de-DE", name: "Deutsch (Deutschland)" },
    LocaleChoice { tag: "fr-FR", name: "Français (France)" },
    LocaleChoice { tag: "nl-NL", name: "Nederlands (Nederland)" },
    LocaleChoice { tag: "ja-JP", name: "日本語 (日本)" },
    LocaleChoice { tag: "ko-KR", name: "한국어 (대한민국)" },
    LocaleChoice { tag: "zh-TW", name: "中文 (台灣)" },
];

impl Default for Settings {
    fn default() -> Self {
        Settings {
            auto_lock_minutes: DEFAULT_AUTO_LOCK_MINUTES,
            classification_label: None,
            horizon_start: None,
            horizon_months: None,
            planning_date: None,
            marking_policy: Policy::default(),
            locale: None,
        }
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
        self.marking_policy.validate()?;
        if let Some(locale) = self.locale.as_deref() {
            if !LOCALES.iter().any(|l| l.tag == locale) {
                let tags: Vec<&str> = LOCALES.iter().map(|l| l.tag).collect();
                return Err(Error::invalid(format!(
                    "the locale {:?} is not one Packplan writes; choose one of {} (with none chosen, the screens write English (US))",
                    crate::printable::printable(locale),
                    tags.join(", ")
                )));
            }
        }
        if let Some(label) = self.classification_label.as_deref().filter(|l| !l.trim().is_empty()) {
            self.marking_policy.level_of(label)?;
        }
        if let Some(months) = self.horizon_months {
            if !(HORIZON_MONTHS.0..=HORIZON_MONTHS.1).contains(&months) {
                return Err(Error::invalid(format!(
                    "a horizon of {months} months is outside what the model plans; choose {} to {} months",
                    HORIZON_MONTHS.0, HORIZON_MONTHS.1
                )));
            }
        }
        if let Some(start) = self.horizon_start {
            if !(2020..=2040).contains(&start.year()) {
                return Err(Error::invalid(format!(
                    "a horizon starting {start} is implausible; choose a month from 2020 to 2040"
                )));
            }
        }
        if let Some(today) = self.planning_date {
            if !(2020..=2040).contains(&today.year()) {
                return Err(Error::invalid(format!(
                    "a planning date of {today} is implausible; choose a month from 2020 to 2040, or none to follow the calendar"
                )));
            }
        }
        Ok(())
    }

    /// What these settings fix of the plan window.
    pub fn window(&self) -> WindowSettings {
        WindowSettings { planning_date: self.planning_date, start: self.horizon_start, months: self.horizon_months }
    }

    /// The window a command plans: `request` over these settings, over the default
    /// around `clock` (the current month, read by the front end).
    pub fn resolve(&self, request: &WindowRequest, clock: Month) -> Result<Horizon> {
        Horizon::resolve(request, &self.window(), clock)
    }
}

/// The shortest and longest horizon, in months.
pub const HORIZON_MONTHS: (u32, u32) = (12, 120);

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
    let stored = |key: &str| -> Result<Option<String>> {
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get::<_, String>(0))
            .map(Some)
            .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })
            .map_err(failed("read the settings"))
    };
    settings.horizon_start =
        stored("horizon_start")?.and_then(|m| serde_json::from_str::<String>(&m).ok()).and_then(|m| m.parse().ok());
    settings.horizon_months = stored("horizon_months")?.and_then(|m| m.parse().ok());
    settings.planning_date =
        stored("planning_date")?.and_then(|m| serde_json::from_str::<String>(&m).ok()).and_then(|m| m.parse().ok());
    // a locale no longer offered falls back to the default rather than locking the user out
    settings.locale = stored("locale")?
        .and_then(|l| serde_json::from_str::<String>(&l).ok())
        .filter(|l| LOCALES.iter().any(|c| c.tag == l));
    if let Some(json) = stored("marking_policy")? {
        let policy: Policy = serde_json::from_str(&json).map_err(|e| {
            Error::new(
                crate::ErrorKind::Damaged,
                format!(
                    "the vault's marking scheme cannot be read ({e}); choose the scheme again in Settings (Marking)"
                ),
            )
        })?;
        settings.marking_policy = policy.normalized();
    }
    Ok(settings)
}

/// Stores the settings inside the caller's transaction, after checking that every
/// dataset's label finds a level of the marking scheme (the message names the first
/// that does not, and nothing is changed).
pub fn store(tx: &Transaction<'_>, settings: &Settings) -> Result<()> {
    settings.validate()?;
    let mut datasets =
        tx.prepare("SELECT title, classification FROM datasets ORDER BY title").map_err(failed("read the datasets"))?;
    let labels = datasets
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(failed("read the datasets"))?;
    for (title, label) in labels {
        settings.marking_policy.level_of(&label).map_err(|e| {
            Error::invalid(format!(
                "the settings were not changed: the dataset {:?} would lose its marking: {}",
                crate::printable::printable(&title),
                e.message()
            ))
        })?;
    }
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
    let policy = serde_json::to_string(&settings.marking_policy).map_err(|e| Error::internal(e.to_string()))?;
    for (key, value) in [
        // values are JSON (the table checks it): a quoted month, a number
        ("horizon_start", settings.horizon_start.map(|m| format!("\"{m}\""))),
        ("horizon_months", settings.horizon_months.map(|m| m.to_string())),
        ("planning_date", settings.planning_date.map(|m| format!("\"{m}\""))),
        ("marking_policy", (!settings.marking_policy.is_default()).then_some(policy)),
        ("locale", settings.locale.as_deref().map(|l| serde_json::Value::from(l).to_string())),
    ] {
        match value {
            Some(v) => tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
                params![key, v],
            ),
            None => tx.execute("DELETE FROM settings WHERE key = ?1", params![key]),
        }
        .map_err(failed("store the settings"))?;
    }
    Ok(())
}
