//! The running binary cannot dump core: its core-file limit is zero from the first
//! instruction of `main` (src-tauri/hardening.rs). Checked on a real CLI process held
//! open on a FIFO while it waits for its passphrase.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_os = "linux")]

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn the_running_binary_has_a_core_limit_of_zero() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    let pass = dir.path().join("pass.txt");
    std::fs::write(&pass, "hardening test passphrase 7\n").unwrap();
    let bin = env!("CARGO_BIN_EXE_packplan");
    let init = Command::new(bin)
        .args(["--vault"])
        .arg(&vault)
        .args(["vault", "init", "--passphrase-file"])
        .arg(&pass)
        .output()
        .unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let fifo = dir.path().join("fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let mut child = Command::new(bin)
        .args(["--vault"])
        .arg(&vault)
        .args(["keys", "show", "--passphrase-file"])
        .arg(&fifo)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // the child blocks opening the FIFO; its limits are readable meanwhile
    let started = Instant::now();
    let limits = loop {
        let text = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap_or_default();
        let zero = |l: &str| l.split_whitespace().skip(4).take(2).eq(["0", "0"]);
        if text.lines().any(|l| l.starts_with("Max core file size") && zero(l)) {
            break text;
        }
        if started.elapsed() > Duration::from_secs(10) {
            break text;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let line = limits.lines().find(|l| l.starts_with("Max core file size")).unwrap_or_default().to_owned();
    // let the child go
    std::fs::OpenOptions::new().write(true).open(&fifo).unwrap().write_all(b"hardening test passphrase 7\n").unwrap();
    assert!(child.wait().unwrap().success());
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(&fields[4..6], ["0", "0"], "core dumps are possible: {line}");
}
