//! Helpers shared by the integration tests: [`demo`] reads and plans the demo data;
//! [`picture`] compares pictures and [`pdf`] reads PDFs as poppler does;
//! the rest serve the crash tests: copying a vault folder for each round, and
//! running the child half of a test (this test binary again, filtered to one test)
//! that a test point stops at a named step (`PACKPLAN_CRASH_AT`, debug builds).
#![allow(dead_code)] // each test file uses the helpers it needs

pub mod demo;
pub mod pdf;
pub mod picture;

use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};

/// Copies the folder `from` into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let p = entry.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// The child half `test` of a crash test, told where its folder is by `variable`.
pub fn child(test: &str, variable: &str, dir: &Path) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(variable, dir)
        .env_remove("PACKPLAN_CRASH_AT")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Runs `cmd` until it stops at `point` (`NAME` or `NAME@N`, see `packplan_core::testpoint::crash`)
/// and checks that it did stop there: aborted, as a power cut would stop it, not finished.
pub fn stop_at(cmd: &mut Command, point: &str) {
    let status = cmd.env("PACKPLAN_CRASH_AT", point).status().unwrap();
    assert_aborted(status, point);
}

fn assert_aborted(status: ExitStatus, point: &str) {
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(6), "the child did not stop at {point} (a debug build aborts there): {status}");
}

/// Kills `child` with SIGKILL (a no-op if it has just ended) and waits for it.
pub fn kill(mut child: Child) {
    let _ = child.kill();
    child.wait().unwrap();
}
