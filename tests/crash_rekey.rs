//! Crash safety of a re-key: `packplan vault rekey` stopped dead at each of its
//! named steps (a debug build aborts where `PACKPLAN_CRASH_AT` says, as a power cut
//! would stop it) and killed with SIGKILL at moments stepped through a whole run.
//! After each, exactly one of the old and the new passphrase opens the vault, the
//! matching recovery code does too (the old one never opens a re-keyed vault), the
//! data is unchanged, `vault check` passes, and no file of the re-key is left.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use packplan_core::vault::{Passphrase, RecoveryCode, Unlock, Vault};
use packplan_core::ErrorKind;
use support::{audit, copy_dir, data, location, packplan, run_ok, secret_file};

const OLD: &str = "orbit lantern quietly harbour";
const NEW: &str = "violet compass mountain drizzle";

/// The named steps, in the order a re-key passes them, and whether the new key is in force after each.
const STEPS: &[(&str, bool)] = &[
    ("rekey.exported", false),
    ("rekey.audited", false),
    ("rekey.slots-written", false),
    ("rekey.committed", true),
    ("rekey.wal-removed", true),
    ("rekey.database-renamed", true),
    ("rekey.passphrase-renamed", true),
    ("rekey.recovery-renamed", true),
    ("rekey.anchor-renamed", true),
];

fn rekey(vault: &Path, secrets: &Path) -> Command {
    let mut cmd = packplan(vault);
    cmd.args(["vault", "rekey", "--passphrase-file"])
        .arg(secrets.join("old.txt"))
        .arg("--new-passphrase-file")
        .arg(secrets.join("new.txt"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
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

struct Base {
    data: BTreeMap<String, Vec<String>>,
    audit: Vec<(String, String)>,
    old_code: RecoveryCode,
}

/// After a stop: exactly one passphrase opens it, with the recovery code that goes with
/// it; the data is the base data; the log is the base log with at most `vault.rekey`
/// added; `vault check` passes; no re-key file is left. True when the new key is in force.
fn verify(round: &str, vault: &Path, secrets: &Path, base: &Base) -> bool {
    let (v, new_works) = match (try_unlock(vault, OLD), try_unlock(vault, NEW)) {
        (Some(v), None) => (v, false),
        (None, Some(v)) => (v, true),
        (None, None) => panic!("{round}: neither the old nor the new passphrase opens the vault"),
        (Some(_), Some(_)) => panic!("{round}: both passphrases open the vault"),
    };
    assert_eq!(data(&v), base.data, "{round}: the data changed");
    let log = audit(&v);
    assert_eq!(&log[..base.audit.len()], base.audit, "{round}: the audit log's history changed");
    let added: Vec<&str> = log[base.audit.len()..].iter().map(|(a, _)| a.as_str()).collect();
    let expected: &[&str] = if new_works { &["vault.rekey"] } else { &[] };
    assert_eq!(added, expected, "{round}: the log added {added:?} (new key in force: {new_works})");
    v.lock().unwrap();
    let by_old_code = Vault::unlock(&location(vault), &Unlock::RecoveryCode(&base.old_code));
    match (new_works, by_old_code) {
        (false, Ok(v)) => v.lock().unwrap(),
        (true, Err(e)) => assert_eq!(e.kind(), ErrorKind::WrongKey, "{round}: {e}"),
        (false, Err(e)) => panic!("{round}: the old recovery code no longer opens the old vault: {e}"),
        (true, Ok(_)) => panic!("{round}: the old recovery code opens the re-keyed vault"),
    }
    let pass = if new_works { "new.txt" } else { "old.txt" };
    let out = run_ok(
        packplan(vault).args(["vault", "check", "--passphrase-file"]).arg(secrets.join(pass)),
        &format!("{round}: vault check"),
    );
    assert!(out.ends_with("The vault is sound.\n"), "{round}: {out}");
    let mut left: Vec<String> = Vec::new();
    for dir in [vault.to_path_buf(), vault.join("keys")] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.contains("rekey") {
                left.push(name);
            }
        }
    }
    assert!(left.is_empty(), "{round}: re-key files outlived an unlock: {left:?}");
    new_works
}

#[test]
fn a_rekey_stopped_at_any_step_leaves_exactly_one_key_in_force() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    secret_file(d, "old.txt", OLD);
    secret_file(d, "new.txt", NEW);
    let base_dir = d.join("base");
    let mut init = packplan(&base_dir);
    init.args(["--json", "vault", "init", "--passphrase-file"]).arg(d.join("old.txt"));
    let receipt: serde_json::Value = serde_json::from_str(&run_ok(&mut init, "vault init")).unwrap();
    let old_code = RecoveryCode::parse(receipt["recovery_code"].as_str().unwrap()).unwrap();
    run_ok(packplan(&base_dir).args(["demo", "--passphrase-file"]).arg(d.join("old.txt")), "demo");
    let base = {
        let v = try_unlock(&base_dir, OLD).unwrap();
        let out = Base { data: data(&v), audit: audit(&v), old_code };
        v.lock().unwrap();
        out
    };
    assert!(base.data["capacity_observations"].len() > 10, "the demo was loaded");

    // An undisturbed run: the new recovery code it prints opens the vault.
    let probe = d.join("probe");
    copy_dir(&base_dir, &probe);
    let start = Instant::now();
    let out = run_ok(&mut rekey(&probe, d), "rekey");
    let took = start.elapsed();
    let code = out.lines().map(str::trim).find(|l| l.starts_with("AGE-SECRET-KEY-1")).expect("the new recovery code");
    assert!(verify("undisturbed", &probe, d, &base));
    Vault::unlock(&location(&probe), &Unlock::RecoveryCode(&RecoveryCode::parse(code).unwrap())).unwrap();

    // Stopped at each named step.
    for (i, (step, in_force)) in STEPS.iter().enumerate() {
        let round = format!("stopped at {step}");
        let vault = d.join(format!("step-{i}"));
        copy_dir(&base_dir, &vault);
        let out = rekey(&vault, d).env("PACKPLAN_CRASH_AT", step).output().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(out.status.signal(), Some(6), "{round}: the re-key did not stop there: {out:?}");
        assert_eq!(verify(&round, &vault, d, &base), *in_force, "{round}");
        std::fs::remove_dir_all(&vault).unwrap();
    }

    // Killed with SIGKILL at moments stepped through the whole run.
    let (mut old, mut new) = (0, 0);
    for k in 0..12u32 {
        let round = format!("SIGKILL at {k}/11 of {took:?}");
        let vault = d.join(format!("kill-{k}"));
        copy_dir(&base_dir, &vault);
        let mut child = rekey(&vault, d).spawn().unwrap();
        std::thread::sleep(took * k / 11);
        let _ = child.kill();
        child.wait().unwrap();
        if verify(&round, &vault, d, &base) {
            new += 1;
        } else {
            old += 1;
        }
        std::fs::remove_dir_all(&vault).unwrap();
    }
    // Where timed kills land depends on the machine's load; the named steps above already
    // stop it on both sides of the commit. These add moments no step names.
    eprintln!("SIGKILL rounds: old key in force {old}, new key {new}; undisturbed run {took:?}");
}

#[test]
fn a_rekey_interrupted_after_it_took_effect_says_so_at_the_next_unlock() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    secret_file(d, "old.txt", OLD);
    secret_file(d, "new.txt", NEW);
    let vault = d.join("vault");
    run_ok(packplan(&vault).args(["vault", "init", "--passphrase-file"]).arg(d.join("old.txt")), "init");
    let out = rekey(&vault, d).env("PACKPLAN_CRASH_AT", "rekey.committed").output().unwrap();
    assert!(!out.status.success());
    let check = packplan(&vault).args(["vault", "check", "--passphrase-file"]).arg(d.join("new.txt")).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let warning = String::from_utf8_lossy(&check.stderr);
    assert!(warning.contains("WARNING: a re-key of this vault was interrupted after it took effect"), "{warning}");
    assert!(warning.contains("Re-key again now"), "{warning}");
}
