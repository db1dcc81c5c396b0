//! Crash safety of a passphrase change: `packplan vault passwd` killed with SIGKILL at
//! many points (stepped through the whole run, and aimed at the audit commit, the
//! temporary slot file and the rename) leaves a vault that opens with exactly one of
//! the old and the new passphrase, never neither and never both; that always opens
//! with the recovery code and passes `vault check`; and whose data is unchanged.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use packplan_core::location::VaultLocation;
use packplan_core::vault::{status, Passphrase, Unlock, Vault};
use packplan_core::ErrorKind;

const OLD: &str = "orbit lantern quietly harbour";
const NEW: &str = "violet compass mountain drizzle";
const THIRD: &str = "copper meadow silent anchor";

fn packplan(vault: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_packplan"));
    cmd.arg("--vault")
        .arg(vault)
        .env_remove("PACKPLAN_VAULT")
        .env_remove("PACKPLAN_PASSPHRASE")
        .env_remove("PACKPLAN_NEW_PASSPHRASE")
        .stdin(Stdio::null());
    // No controlling terminal, so a missing secret is an error, never a prompt that hangs.
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        unsafe {
            cmd.pre_exec(|| {
                if libc_setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    cmd
}

#[cfg(unix)]
fn libc_setsid() -> i32 {
    extern "C" {
        fn setsid() -> i32;
    }
    unsafe { setsid() }
}

fn run_ok(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The files the test hands to the CLI.
struct Secrets {
    old: PathBuf,
    new: PathBuf,
    third: PathBuf,
    code: PathBuf,
}

fn passwd(vault: &Path, from: &Path, to: &Path) -> Command {
    let mut cmd = packplan(vault);
    cmd.args(["vault", "passwd", "--passphrase-file"])
        .arg(from)
        .arg("--new-passphrase-file")
        .arg(to)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn location(dir: &Path) -> VaultLocation {
    VaultLocation::resolve(Some(dir)).unwrap()
}

fn try_unlock(dir: &Path, passphrase: &str) -> Option<Vault> {
    match Vault::unlock(&location(dir), &Unlock::Passphrase(&Passphrase::new(passphrase.into()))) {
        Ok(vault) => Some(vault),
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::WrongKey, "a passphrase failed for another reason than a wrong key: {e}");
            None
        }
    }
}

/// Every row of every table but the audit log (and its head, which follows the log), as text, by table.
fn data(vault: &Vault) -> BTreeMap<String, Vec<String>> {
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
fn audit(vault: &Vault) -> Vec<(String, String)> {
    let mut entries: Vec<_> = vault.audit_list(10_000).unwrap().into_iter().map(|e| (e.action, e.hash)).collect();
    entries.reverse();
    entries
}

fn copy_dir(from: &Path, to: &Path) {
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

/// The moments of a passphrase change that can be seen from outside, as files change.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    /// The process was started.
    Spawn,
    /// The WAL grew: the audit entry of the change is being (or was) committed.
    AuditCommit,
    /// The new slot's temporary file exists.
    TempSlot,
    /// The passphrase slot was replaced (its inode changed).
    Renamed,
}

fn slot_inode(vault: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(vault.join("keys/passphrase.age")).unwrap().ino()
}

fn reached(vault: &Path, mark: Mark, inode: u64) -> bool {
    match mark {
        Mark::Spawn => true,
        Mark::AuditCommit => std::fs::metadata(vault.join("vault.db-wal")).map(|m| m.len() > 0).unwrap_or(false),
        // The temporary file lives only while it is written and synced; seeing the
        // rename instead means the window was shorter than one look.
        Mark::TempSlot => vault.join("keys/.passphrase.age.tmp").exists() || reached(vault, Mark::Renamed, inode),
        Mark::Renamed => {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(vault.join("keys/passphrase.age")).map(|m| m.ino() != inode).unwrap_or(false)
        }
    }
}

/// Waits (spinning, so a short window is not missed) until `mark`; false if the child ended first.
fn wait_for(child: &mut Child, vault: &Path, mark: Mark, inode: u64) -> bool {
    loop {
        if reached(vault, mark, inode) {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::hint::spin_loop();
    }
}

/// Waits `d`: sleeps the bulk of it and spins the last 2 ms, so short delays are precise.
fn pause(d: Duration) {
    let t = Instant::now();
    if let Some(bulk) = d.checked_sub(Duration::from_millis(2)) {
        std::thread::sleep(bulk);
    }
    while t.elapsed() < d {
        std::hint::spin_loop();
    }
}

#[derive(Debug, Default)]
struct Tally {
    old: u32,
    new: u32,
    recorded_not_swapped: u32,
    killed: u32,
    finished: u32,
    temp_left: u32,
}

/// After a kill: exactly one passphrase opens it, the recovery code opens it and
/// `vault check` passes, the data is the base data, and the audit log is the base
/// log with at most the change's own entry added.
fn verify(
    round: &str,
    vault: &Path,
    secrets: &Secrets,
    base_data: &BTreeMap<String, Vec<String>>,
    base_audit: &[(String, String)],
    tally: &mut Tally,
) {
    assert_eq!(status::of(&location(vault)).unwrap().state, "ready", "{round}: the vault is not ready");
    let temp_after_kill = vault.join("keys/.passphrase.age.tmp").exists();
    let by_old = try_unlock(vault, OLD);
    let by_new = try_unlock(vault, NEW);
    let opened = match (by_old, by_new) {
        (Some(v), None) => {
            tally.old += 1;
            (v, false)
        }
        (None, Some(v)) => {
            tally.new += 1;
            (v, true)
        }
        (None, None) => panic!("{round}: neither the old nor the new passphrase opens the vault"),
        (Some(_), Some(_)) => panic!("{round}: both passphrases open the vault"),
    };
    let (v, new_works) = opened;
    let now = data(&v);
    assert_eq!(now.keys().collect::<Vec<_>>(), base_data.keys().collect::<Vec<_>>(), "{round}: the tables changed");
    for (table, rows) in &now {
        assert!(rows == &base_data[table], "{round}: the rows of {table} changed");
    }
    let log = audit(&v);
    assert_eq!(&log[..base_audit.len()], base_audit, "{round}: the audit log's history changed");
    let added: Vec<&str> = log[base_audit.len()..].iter().map(|(a, _)| a.as_str()).collect();
    // The change is recorded before the slot is swapped: a working new passphrase always has its entry.
    match (new_works, added.as_slice()) {
        (true, ["vault.passwd"]) | (false, []) => {}
        (false, ["vault.passwd"]) => tally.recorded_not_swapped += 1,
        _ => panic!("{round}: after the kill the audit log added {added:?} (new passphrase works: {new_works})"),
    }
    assert!(v.audit_verify().unwrap().intact(), "{round}: the audit chain is broken");
    v.lock().unwrap();
    // The recovery code still opens it, through the command line, and the vault is sound.
    let mut check = packplan(vault);
    check.args(["vault", "check", "--recovery-code-file"]).arg(&secrets.code);
    let out = run_ok(&mut check, &format!("{round}: vault check with the recovery code"));
    assert!(out.ends_with("The vault is sound.\n"), "{round}: {out}");
    // A temporary slot file left by the kill (the key wrapped to a passphrase that never took
    // effect) is removed by the next unlock, and the next change goes through.
    if temp_after_kill {
        tally.temp_left += 1;
        assert!(
            !vault.join("keys/.passphrase.age.tmp").exists(),
            "{round}: the temporary slot file outlived an unlock"
        );
        let from = if new_works { &secrets.new } else { &secrets.old };
        run_ok(passwd(vault, from, &secrets.third).stderr(Stdio::piped()), &format!("{round}: passwd after the kill"));
        let v = try_unlock(vault, THIRD).unwrap_or_else(|| panic!("{round}: the third passphrase does not open it"));
        v.lock().unwrap();
    }
}

#[test]
fn a_passphrase_change_killed_at_any_point_leaves_exactly_one_passphrase_working() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let write = |name: &str, text: &str| {
        let p = d.join(name);
        std::fs::write(&p, format!("{text}\n")).unwrap();
        p
    };
    let mut secrets = Secrets {
        old: write("old.txt", OLD),
        new: write("new.txt", NEW),
        third: write("third.txt", THIRD),
        code: PathBuf::new(),
    };

    // The base vault: the demo data, and a settings change, through the CLI.
    let base = d.join("base");
    let mut init = packplan(&base);
    init.args(["--json", "vault", "init", "--passphrase-file"]).arg(&secrets.old);
    let receipt: serde_json::Value = serde_json::from_str(&run_ok(&mut init, "vault init")).unwrap();
    secrets.code = write("code.txt", receipt["recovery_code"].as_str().unwrap());
    run_ok(packplan(&base).args(["demo", "--passphrase-file"]).arg(&secrets.old), "demo");
    run_ok(
        packplan(&base).args(["vault", "settings", "--auto-lock-minutes", "7", "--passphrase-file"]).arg(&secrets.old),
        "vault settings",
    );
    let (base_data, base_audit) = {
        let v = try_unlock(&base, OLD).unwrap();
        let out = (data(&v), audit(&v));
        v.lock().unwrap();
        out
    };
    assert!(base_data["capacity_observations"].len() > 10, "the demo was loaded");
    assert!(!base.join("vault.db-wal").exists(), "a locked vault leaves no WAL, so its growth marks the audit commit");

    // One undisturbed run: when each mark is reached, from the start of the process.
    let probe = d.join("probe");
    copy_dir(&base, &probe);
    let inode = slot_inode(&probe);
    let start = Instant::now();
    let mut child = passwd(&probe, &secrets.old, &secrets.new).spawn().unwrap();
    let mut at = BTreeMap::new();
    for mark in [Mark::AuditCommit, Mark::TempSlot, Mark::Renamed] {
        assert!(wait_for(&mut child, &probe, mark, inode), "the probe run ended before {mark:?}");
        at.insert(format!("{mark:?}"), start.elapsed());
    }
    assert!(child.wait().unwrap().success());
    let total = start.elapsed();
    eprintln!("undisturbed passwd: {at:?}, exit after {total:?}");
    assert!(try_unlock(&probe, NEW).is_some() && try_unlock(&probe, OLD).is_none());

    // Where to kill: stepped through the whole run, then aimed at each mark.
    let mut points: Vec<(Mark, Duration)> = (0..12).map(|k| (Mark::Spawn, total * k / 11)).collect();
    let swap = at["Renamed"].saturating_sub(at["AuditCommit"]);
    for (mark, after) in [
        (Mark::AuditCommit, Duration::ZERO),
        (Mark::AuditCommit, Duration::from_millis(2)),
        (Mark::AuditCommit, swap / 2),
        (Mark::TempSlot, Duration::ZERO),
        (Mark::TempSlot, Duration::from_micros(300)),
        (Mark::Renamed, Duration::ZERO),
        (Mark::Renamed, Duration::from_millis(1)),
        (Mark::Renamed, Duration::from_millis(5)),
    ] {
        points.push((mark, after));
    }

    let rounds = points.len() as u32;
    let mut tally = Tally::default();
    for (i, (mark, after)) in points.into_iter().enumerate() {
        let round = format!("round {i} ({mark:?} + {after:?})");
        let vault = d.join(format!("round-{i}"));
        copy_dir(&base, &vault);
        let inode = slot_inode(&vault);
        let mut child = passwd(&vault, &secrets.old, &secrets.new).spawn().unwrap();
        if wait_for(&mut child, &vault, mark, inode) {
            pause(after);
        }
        let _ = child.kill(); // SIGKILL; a no-op if it has just ended
        let exit = child.wait().unwrap();
        if exit.success() {
            tally.finished += 1;
        } else {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(exit.signal(), Some(9), "{round}: passwd failed on its own: {exit}");
            tally.killed += 1;
        }
        verify(&round, &vault, &secrets, &base_data, &base_audit, &mut tally);
        std::fs::remove_dir_all(&vault).unwrap();
    }
    eprintln!("{tally:?}");
    // The kills landed on both sides of the swap, and inside the window where the change is
    // recorded in the audit log but the old slot is still in place.
    assert!(tally.old > 0 && tally.new > 0, "{tally:?}");
    assert!(tally.recorded_not_swapped > 0, "{tally:?}");
    assert!(tally.killed + 3 >= rounds, "most rounds must kill a running passwd: {tally:?}");
}
