//! What the app remembers between sessions: the window's size, the last screen and
//! the active scenario. It is kept in the vault (the settings table), never in the
//! webview's storage, and it is not audited: it changes as the user works, and it
//! is not data.

use rusqlite::{params, Connection, OptionalExtension};

use super::database::failed;
use crate::{Error, Result};

/// The window's inner size, in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct WindowSize {
    pub width: u32,
    pub height: u32,
    #[serde(default)]
    pub maximized: bool,
}

/// The remembered workspace; every part is optional (a new vault remembers nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Workspace {
    #[serde(default)]
    pub window: Option<WindowSize>,
    #[serde(default)]
    pub screen: Option<String>,
    #[serde(default)]
    pub scenario: Option<String>,
}

/// Sizes outside these bounds are not restored (a window larger than any screen, or too small to use).
const MIN: (u32, u32) = (640, 480);
const MAX: u32 = 16_384;

impl Workspace {
    /// Keeps what is plausible: a window size within bounds, short names.
    pub fn sanitized(mut self) -> Workspace {
        self.window = self.window.filter(|w| (MIN.0..=MAX).contains(&w.width) && (MIN.1..=MAX).contains(&w.height));
        let short = |s: &Option<String>| s.clone().filter(|s| s.chars().count() <= 80 && !s.contains(['\n', '\r']));
        self.screen = short(&self.screen);
        self.scenario = short(&self.scenario);
        self
    }
}

pub fn load(conn: &Connection) -> Result<Workspace> {
    let stored: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = 'workspace'", [], |r| r.get(0))
        .optional()
        .map_err(failed("read the remembered workspace"))?;
    // Something unreadable is forgotten, not an error: it is only a convenience.
    Ok(stored.and_then(|json| serde_json::from_str::<Workspace>(&json).ok()).unwrap_or_default().sanitized())
}

pub fn store(conn: &Connection, workspace: &Workspace) -> Result<()> {
    let json = serde_json::to_string(&workspace.clone().sanitized()).map_err(|e| Error::internal(e.to_string()))?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('workspace', ?1) ON CONFLICT (key) DO UPDATE SET value = ?1",
        params![json],
    )
    .map_err(failed("remember the workspace"))?;
    Ok(())
}
