//! How the command line prints: human text or `--json`, and errors.

use std::io::Write;

use packplan_core::{Error, Result};

/// Prints results as text or JSON on stdout, and errors on stderr.
pub(crate) struct Output {
    json: bool,
}

impl Output {
    pub(crate) fn new(json: bool) -> Self {
        Output { json }
    }

    /// Prints `value` as JSON, or as the text `human` makes of it.
    pub(crate) fn value<T: serde::Serialize>(&self, value: &T, human: impl FnOnce(&T) -> String) -> Result<()> {
        let text = if self.json {
            serde_json::to_string_pretty(value)
                .map_err(|e| Error::internal(format!("could not write JSON output: {e}")))?
        } else {
            human(value)
        };
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`packplan ... | head`) is not an error worth reporting.
        let _ = writeln!(stdout, "{text}");
        Ok(())
    }

    /// Like [`Output::value`], for output that shows a secret once (a recovery code):
    /// the text is built in a buffer that wipes itself.
    pub(crate) fn secret<T: serde::Serialize>(&self, value: &T, human: impl FnOnce(&T) -> String) -> Result<()> {
        let text = zeroize::Zeroizing::new(if self.json {
            serde_json::to_string_pretty(value)
                .map_err(|e| Error::internal(format!("could not write JSON output: {e}")))?
        } else {
            human(value)
        });
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{}", text.as_str());
        Ok(())
    }

    /// A line for the person at the terminal (stderr), never part of `--json` output.
    pub(crate) fn note(&self, line: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }

    /// Reports a failure: one sentence on stderr, and with `--json` a JSON object on stdout.
    pub(crate) fn error(&self, error: &Error) {
        let _ = writeln!(std::io::stderr().lock(), "packplan: {error}");
        if self.json {
            let body = serde_json::json!({ "error": { "kind": error.kind(), "message": error.message() } });
            let _ = writeln!(std::io::stdout().lock(), "{body}");
        }
    }
}
