//! The Packplan application: the desktop shell and the command line over
//! `packplan-core`.
//!
//! - [`cli`]: argument parsing and the subcommands; with no subcommand it hands
//!   over to the desktop shell.
//! - [`hardening`]: no core dumps, not dumpable (done first thing in `main`).
//! - [`desktop`]: the only module that knows Tauri. Its commands take state, call
//!   the domain, and map the error to the `{kind, message}` object the UI expects.
//!
//! The domain itself (vault, bundles, model, charts) is the `packplan-core`
//! crate, which never depends on Tauri.

pub mod cli;
pub mod desktop;
pub mod hardening;
