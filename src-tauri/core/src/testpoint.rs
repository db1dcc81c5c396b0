//! Named test points, for tests that must reach a precise moment of real work
//! without racing a timer. Only debug builds look at them: in a release build
//! both functions do nothing.
//!
//! - [`crash`]: a test that must prove a multi-step write survives being killed
//!   at each step runs the real command with `PACKPLAN_CRASH_AT=<name>`; the step
//!   named there aborts the process on the spot, exactly as a SIGKILL or a power
//!   cut would stop it. `<name>@<n>` aborts the n-th time work reaches the step
//!   (a writer stopped in its fifth change).
//! - [`hold`]: a test that must act while work is at a given step (press Lock
//!   while a bundle is being decrypted, cancel a running Monte Carlo) sets
//!   `PACKPLAN_HOLD_AT=<name>` and `PACKPLAN_HOLD_DIR=<folder>`; the step writes
//!   `<folder>/<name>.held` and waits until the test creates `<folder>/<name>.release`
//!   (or two minutes pass), then removes both: each pass through the point is held.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How many times work has reached the point `PACKPLAN_CRASH_AT` names.
static PASSES: AtomicUsize = AtomicUsize::new(0);

/// Aborts the process here when `PACKPLAN_CRASH_AT` names this point, the first
/// time or (`<name>@<n>`) the n-th time work reaches it (debug builds only).
pub fn crash(name: &str) {
    if !cfg!(debug_assertions) {
        return;
    }
    let Ok(at) = std::env::var("PACKPLAN_CRASH_AT") else { return };
    let (point, nth) = match at.split_once('@') {
        Some((point, n)) => (point, n.parse().unwrap_or(1)),
        None => (at.as_str(), 1),
    };
    if point == name && PASSES.fetch_add(1, Ordering::SeqCst) + 1 >= nth {
        std::process::abort();
    }
}

/// Waits here while a test holds this point (debug builds only).
pub fn hold(name: &str) {
    if !cfg!(debug_assertions) || std::env::var("PACKPLAN_HOLD_AT").map_or(true, |at| at != name) {
        return;
    }
    let Some(dir) = std::env::var_os("PACKPLAN_HOLD_DIR").map(PathBuf::from) else { return };
    let held = dir.join(format!("{name}.held"));
    let release = dir.join(format!("{name}.release"));
    let _ = std::fs::write(&held, b"");
    let start = Instant::now();
    while !release.exists() && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(20));
    }
    // Both go, so the next time work reaches this point it is held again.
    let _ = std::fs::remove_file(&release);
    let _ = std::fs::remove_file(&held);
}
