//! What the root tests that drive the `packplan` binary share: running it on a
//! vault without a terminal (so a missing secret is an error, never a prompt that
//! hangs), reading a vault's data and audit log for before-and-after comparisons,
//! and copying vault folders for each round of a crash test.
#![allow(dead_code)] // each test crate uses its own part of this

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use packplan_core::location::VaultLocation;
use packplan_core::vault::Vault;

/// The binary, on the vault in `vault`, with no secret from the environment and no terminal.
pub fn packplan(vault: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_packplan"));
    cmd.arg("--vault")
        .arg(vault)
        .env_remove("PACKPLAN_VAULT")
        .env_remove("PACKPLAN_PASSPHRASE")
        .env_remove("PACKPLAN_NEW_PASSPHRASE")
        .env_remove("PACKPLAN_CRASH_AT")
        .stdin(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: setsid is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                if setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    cmd
}

#[cfg(unix)]
fn setsid() -> i32 {
    extern "C" {
        fn setsid() -> i32;
    }
    // SAFETY: a plain system call with no arguments.
    unsafe { setsid() }
}

/// Runs `cmd`, which must succeed; its stdout.
pub fn run_ok(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn location(dir: &Path) -> VaultLocation {
    VaultLocation::resolve(Some(dir)).unwrap()
}

/// Writes `text` as the first line of the file `name` in `dir` (a secret handed to the CLI).
pub fn secret_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("{text}\n")).unwrap();
    p
}

/// Every row of every table but the audit log (and its head, which follows the log), as text, by table.
pub fn data(vault: &Vault) -> BTreeMap<String, Vec<String>> {
    vault
        .read(|c| {
            let mut tables = c
                .prepare(
                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('audit_log', 'audit_head')",
                )
                .unwrap();
            let names: Vec<String> = tables.query_map([], |r| r.get::<usize, String>(0)).unwrap().map(Result::unwrap).collect();
            let mut out = BTreeMap::new();
            for name in names {
                let mut info = c.prepare(&format!("SELECT name FROM pragma_table_info('{name}')")).unwrap();
                let columns: Vec<String> =
                    info.query_map([], |r| r.get::<usize, String>(0)).unwrap().map(Result::unwrap).collect();
                let row = columns.iter().map(|col| format!("quote(\"{col}\")")).collect::<Vec<_>>().join(" || ',' || ");
                let mut select = c.prepare(&format!("SELECT {row} FROM \"{name}\"")).unwrap();
                let mut rows: Vec<String> =
                    select.query_map([], |r| r.get::<usize, String>(0)).unwrap().map(Result::unwrap).collect();
                rows.sort();
                out.insert(name, rows);
            }
            Ok(out)
        })
        .unwrap()
}

/// The audit log, oldest first, as (action, hash).
pub fn audit(vault: &Vault) -> Vec<(String, String)> {
    let mut entries: Vec<_> = vault.audit_list(10_000).unwrap().into_iter().map(|e| (e.action, e.hash)).collect();
    entries.reverse();
    entries
}

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
