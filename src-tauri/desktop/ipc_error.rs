//! The error object that crosses IPC: `{"kind": "...", "message": "..."}`.
//!
//! `ui/src/lib/ipc.ts` declares the same shape; the kinds are those of
//! `packplan_core::ErrorKind`.

use packplan_core::{Error, ErrorKind};

/// A domain error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IpcError {
    pub kind: ErrorKind,
    pub message: String,
}

impl From<Error> for IpcError {
    fn from(error: Error) -> Self {
        IpcError { kind: error.kind(), message: error.message().to_owned() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_kind_and_message() {
        let e = IpcError::from(Error::invalid("the share must be between 0 and 100 %"));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "invalid", "message": "the share must be between 0 and 100 %"}));
    }
}
