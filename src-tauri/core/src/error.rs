//! The one error type of Packplan.
//!
//! Every failure the user can meet is an [`Error`]: a [`ErrorKind`] that code can
//! match on (and that crosses to the UI as `{kind, message}`), and a message that
//! is one or two plain sentences saying what is wrong and what to do next. The
//! message never contains secrets or supplier data.

use std::fmt;

/// What went wrong, as a small closed set that callers can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input (an argument, a file, an edit) is not acceptable.
    Invalid,
    /// Something named does not exist.
    NotFound,
    /// The thing already exists and would be overwritten.
    AlreadyExists,
    /// The passphrase or key does not open what it was given for.
    WrongKey,
    /// The vault is locked; unlock it first.
    Locked,
    /// Stored or supplied data is damaged or has been tampered with.
    Damaged,
    /// The user or a lock cancelled the work.
    Cancelled,
    /// Reading or writing the disk failed.
    Io,
    /// A bug: something that should never happen did.
    Internal,
}

impl ErrorKind {
    /// The stable name used on the wire and in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Invalid => "invalid",
            ErrorKind::NotFound => "not_found",
            ErrorKind::AlreadyExists => "already_exists",
            ErrorKind::WrongKey => "wrong_key",
            ErrorKind::Locked => "locked",
            ErrorKind::Damaged => "damaged",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Io => "io",
            ErrorKind::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure with a message written for the person using Packplan.
///
/// ```
/// use packplan_core::{Error, ErrorKind};
/// let e = Error::new(ErrorKind::Invalid, "the month 2026-13 does not exist; use YYYY-MM with a month from 01 to 12");
/// assert_eq!(e.kind(), ErrorKind::Invalid);
/// assert!(e.to_string().starts_with("the month"));
/// ```
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// The result type of every fallible domain operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error of `kind` with a user-facing `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), source: None }
    }

    /// Keeps the underlying cause for diagnostics (never shown as the message).
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// An input that is not acceptable.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Invalid, message)
    }

    /// A disk operation on `path` failed; `doing` says what we were trying to do.
    pub fn io(doing: &str, path: &std::path::Path, source: std::io::Error) -> Self {
        let hint = match source.kind() {
            std::io::ErrorKind::PermissionDenied => "; check that you may write there or choose another folder",
            std::io::ErrorKind::NotFound => "; check the path",
            _ => "",
        };
        Error::new(ErrorKind::Io, format!("could not {doing} {}: {source}{hint}", path.display())).with_source(source)
    }

    /// A bug: reports it plainly instead of panicking.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Internal, format!("{}; this is a bug in Packplan, please report it", message.into()))
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_name_the_path_and_suggest_a_fix() {
        let e = Error::io(
            "create the vault folder",
            std::path::Path::new("/root/x"),
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert_eq!(e.kind(), ErrorKind::Io);
        assert!(e.message().contains("/root/x"), "{e}");
        assert!(e.message().contains("choose another folder"), "{e}");
    }

    #[test]
    fn kinds_have_stable_wire_names() {
        assert_eq!(serde_json::to_string(&ErrorKind::WrongKey).unwrap(), "\"wrong_key\"");
        assert_eq!(ErrorKind::NotFound.as_str(), "not_found");
    }
}
