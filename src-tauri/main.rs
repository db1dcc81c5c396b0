//! Packplan's entry point. With no subcommand it opens the desktop window;
//! with one it is the command-line tool. See `packplan --help` and docs/cli.md.

// A release build on Windows must not open a console window behind the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    packplan_app::hardening::harden();
    packplan_app::cli::run(std::env::args_os())
}
