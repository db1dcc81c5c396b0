//! Packplan's domain, free of any user-interface framework.
//!
//! Every capability of Packplan lives here as plain Rust: where the vault is
//! ([`location`]), the one error type that every layer reports ([`error`]), the
//! encrypted vault, data bundles, the capacity model, the charts and the reports,
//! in the layers ARCHITECTURE.md lists (`tests/layers.rs` holds them). The desktop
//! shell (`src-tauri/desktop`) and the command line (`src-tauri/cli`) are thin
//! layers that call into this crate; neither the compiler nor a reviewer should
//! ever find `tauri` in here. Nor `unsafe`: the domain
//! is safe Rust throughout (Packplan's only unsafe code, the process hardening, is in
//! the app crate).
#![forbid(unsafe_code)]

pub mod about;
pub mod bundle;
pub mod carrier;
pub mod chart;
pub mod classification;
pub mod clock;
pub mod dataset;
pub mod demo;
pub mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod grade;
pub mod horizon;
pub mod location;
pub mod model;
pub mod month;
pub mod printable;
pub mod progress;
pub mod release;
pub mod report;
pub mod stage;
pub mod testpoint;
pub mod vault;
pub mod write_file;

pub use error::{Error, ErrorKind, Result};
