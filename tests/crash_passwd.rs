//! Crash safety of a passphrase change: `packplan vault passwd` stopped at each of its
//! named steps (after the audit entry, with the new slot in its temporary file, after
//! the rename: a debug build aborts where `PACKPLAN_CRASH_AT` says) and killed with
//! SIGKILL at moments stepped through a whole run, leaves a vault that opens with
//! exactly one of the old and the new passphrase, never neither and never both; that
//! always opens with the recovery code and passes `vault check`; and whose data is
//! unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use packplan_core::vault::{status, Passphrase, Unlock, Vault};
use packplan_core::ErrorKind;
use support::{audit, copy_dir, data, location, packplan, run_ok};

const OLD: &str = "orbit lantern quietly harbour";
const NEW: &str = "violet compass mountain drizzle";
const THIRD: &str = "copper meadow silent anchor";

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

fn try_unlock(dir: &Path, passphrase: &str) -> Option<Vault> {
    match Vault::unlock(&location(dir), &Unlock::Passphrase(&Passphrase::new(passphrase.into()))) {
        Ok(vault) => Some(vault),
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::WrongKey, "a passphrase failed for another reason than a wrong key: {e}");
            None
        }
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

    // One undisturbed run.
    let probe = d.join("probe");
    copy_dir(&base, &probe);
    let start = Instant::now();
    assert!(passwd(&probe, &secrets.old, &secrets.new).status().unwrap().success());
    let total = start.elapsed();
    assert!(try_unlock(&probe, NEW).is_some() && try_unlock(&probe, OLD).is_none());

    let mut tally = Tally::default();
    // Stopped at each named step (a debug build aborts there, as a power cut would stop it):
    // after the audit entry, with the new slot written to its temporary file, after the rename.
    for (i, step) in ["passwd.recorded", "passphrase.age.temp-written", "passphrase.age.renamed"].iter().enumerate() {
        let round = format!("stopped at {step}");
        let vault = d.join(format!("step-{i}"));
        copy_dir(&base, &vault);
        let exit = passwd(&vault, &secrets.old, &secrets.new).env("PACKPLAN_CRASH_AT", step).status().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(exit.signal(), Some(6), "{round}: passwd did not stop there: {exit}");
        tally.killed += 1;
        verify(&round, &vault, &secrets, &base_data, &base_audit, &mut tally);
        std::fs::remove_dir_all(&vault).unwrap();
    }
    // Killed with SIGKILL at moments stepped through a whole run.
    for k in 0..12u32 {
        let round = format!("SIGKILL at {k}/11 of {total:?}");
        let vault = d.join(format!("round-{k}"));
        copy_dir(&base, &vault);
        let mut child = passwd(&vault, &secrets.old, &secrets.new).spawn().unwrap();
        std::thread::sleep(total * k / 11);
        let _ = child.kill(); // SIGKILL; a no-op if it has just ended
        if child.wait().unwrap().success() {
            tally.finished += 1;
        } else {
            tally.killed += 1;
        }
        verify(&round, &vault, &secrets, &base_data, &base_audit, &mut tally);
        std::fs::remove_dir_all(&vault).unwrap();
    }
    eprintln!("{tally:?}");
    // The stops landed on both sides of the swap, inside the window where the change is recorded
    // in the audit log but the old slot is still in place, and where the temporary slot was left.
    assert!(tally.old > 0 && tally.new > 0, "{tally:?}");
    assert!(tally.recorded_not_swapped >= 2, "{tally:?}");
    assert!(tally.temp_left >= 1, "{tally:?}");
}
