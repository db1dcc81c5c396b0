//! The vault from the command line, as a user at a terminal or a script uses it:
//! init with its recovery code, status, check, a wrong passphrase, passwd, the
//! recovery code, backup, settings and the audit log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

const PASS: &str = "orbit lantern quietly harbour";

fn packplan(args: &[&str], dir: &Path, envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_packplan"));
    cmd.args(["--vault", dir.join("vault").to_str().unwrap()])
        .args(args)
        .current_dir(dir)
        .env_remove("PACKPLAN_VAULT")
        .env_remove("PACKPLAN_PASSPHRASE")
        .env_remove("PACKPLAN_NEW_PASSPHRASE")
        .stdin(std::process::Stdio::null());
    // No terminal: the prompt must not be reachable, so the tests never hang on it.
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: the closure runs in the forked child before exec and only calls setsid,
        // which is async-signal-safe, and reads errno.
        unsafe {
            cmd.pre_exec(|| {
                // A new session has no controlling terminal, so /dev/tty cannot be opened.
                if libc_setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[cfg(unix)]
fn libc_setsid() -> i32 {
    extern "C" {
        fn setsid() -> i32;
    }
    // SAFETY: setsid takes no arguments and only changes this process's session.
    unsafe { setsid() }
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    std::fs::write(dir.join(name), format!("{text}\n")).unwrap();
    name.to_string()
}

#[test]
fn a_vault_is_created_checked_rekeyed_recovered_and_backed_up() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let pf = write(d, "pass.txt", PASS);

    let status = packplan(&["vault", "status"], d, &[]);
    assert!(out(&status).contains("no vault yet; create one with `packplan vault init`"), "{}", out(&status));
    let locked_cmd = packplan(&["vault", "check", "--passphrase-file", &pf], d, &[]);
    assert!(err(&locked_cmd).contains("there is no vault in"), "{}", err(&locked_cmd));

    // A weak passphrase is refused with advice; nothing is created.
    let weak = packplan(&["vault", "init", "--passphrase-file", &write(d, "weak.txt", "password")], d, &[]);
    assert_eq!(weak.status.code(), Some(1));
    assert!(err(&weak).contains("too weak") && err(&weak).contains("at least 10"), "{}", err(&weak));
    assert!(!d.join("vault/vault.json").exists());

    let init = packplan(&["--json", "vault", "init", "--passphrase-file", &pf], d, &[]);
    assert!(init.status.success(), "{}", err(&init));
    let receipt: serde_json::Value = serde_json::from_str(&out(&init)).unwrap();
    let code = receipt["recovery_code"].as_str().unwrap().to_string();
    let recipient = receipt["recipient"].as_str().unwrap().to_string();
    assert!(code.starts_with("AGE-SECRET-KEY-1") && code.len() == 74, "{code}");
    assert!(recipient.starts_with("age1"), "{recipient}");
    // The recovery code is shown once: it is in no file of the vault.
    let files = walk(&d.join("vault"));
    assert!(files.len() >= 3, "the vault's files: {files:?}");
    for entry in files {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(!bytes.windows(code.len()).any(|w| w == code.as_bytes()), "{}", entry.display());
    }

    let again = packplan(&["vault", "init", "--passphrase-file", &pf], d, &[]);
    assert!(err(&again).contains("already holds a vault"), "{}", err(&again));

    let status = packplan(&["vault", "status"], d, &[]);
    // The recipient is not shown from the plain vault.json, which anyone who can write the folder could change.
    assert!(out(&status).contains("state: ready") && !out(&status).contains(&recipient), "{}", out(&status));
    assert!(out(&status).contains("recipient: shown once unlocked (`packplan keys show`)"), "{}", out(&status));

    let check = packplan(&["vault", "check", "--passphrase-file", &pf], d, &[]);
    assert!(check.status.success(), "{}", err(&check));
    assert!(
        out(&check).contains("cipher_integrity  ok") && out(&check).ends_with("The vault is sound.\n"),
        "{}",
        out(&check)
    );

    // The passphrase from the variable, for scripts.
    let via_env = packplan(&["--json", "vault", "check"], d, &[("PACKPLAN_PASSPHRASE", PASS)]);
    assert!(via_env.status.success(), "{}", err(&via_env));
    // No passphrase and no terminal: told what to do, not a hang.
    let none = packplan(&["vault", "check"], d, &[]);
    assert!(err(&none).contains("use --passphrase-file FILE, or set PACKPLAN_PASSPHRASE"), "{}", err(&none));

    let wrong = packplan(
        &["--json", "vault", "check", "--passphrase-file", &write(d, "wrong.txt", "orbit lantern quietly harbor")],
        d,
        &[],
    );
    assert_eq!(wrong.status.code(), Some(1));
    let body: serde_json::Value = serde_json::from_str(&out(&wrong)).unwrap();
    assert_eq!(body["error"]["kind"], "wrong_key");

    let nf = write(d, "new.txt", "violet compass mountain drizzle");
    let passwd = packplan(&["vault", "passwd", "--passphrase-file", &pf, "--new-passphrase-file", &nf], d, &[]);
    assert!(passwd.status.success(), "{}", err(&passwd));
    assert!(!packplan(&["vault", "check", "--passphrase-file", &pf], d, &[]).status.success());
    assert!(packplan(&["vault", "check", "--passphrase-file", &nf], d, &[]).status.success());

    // Lost passphrase: the recovery code sets a new one.
    let cf = write(d, "code.txt", &code.to_lowercase());
    let recover = packplan(&["vault", "passwd", "--recovery-code-file", &cf, "--new-passphrase-file", &pf], d, &[]);
    assert!(recover.status.success(), "{}", err(&recover));
    assert!(packplan(&["vault", "check", "--passphrase-file", &pf], d, &[]).status.success());

    let settings = packplan(
        &["vault", "settings", "--passphrase-file", &pf, "--auto-lock-minutes", "5", "--planning-date", "2026-12"],
        d,
        &[],
    );
    assert_eq!(
        out(&settings).trim(),
        "auto-lock: after 5 idle minutes\nclassification label: none (the datasets' own labels)\nplanning date: 2026-12\nplan window: 72 months from 2024-12 (today 2026-12)\nscreens' locale: default (en-US)\nmarking scheme: commercial (PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED, least sensitive first)"
    );
    let horizon = packplan(
        &["vault", "settings", "--passphrase-file", &pf, "--horizon-start", "2026-07", "--horizon-months", "36"],
        d,
        &[],
    );
    assert!(out(&horizon).contains("plan window: 36 months from 2026-07 (today 2026-12)"), "{}", err(&horizon));
    let calendar = packplan(&["vault", "settings", "--passphrase-file", &pf, "--planning-date", "calendar"], d, &[]);
    assert!(out(&calendar).contains("planning date: the current month"), "{}", err(&calendar));
    let typo = packplan(&["vault", "settings", "--passphrase-file", &pf, "--planning-date", "2026/12"], d, &[]);
    assert!(err(&typo).contains("not a value this setting takes"), "{}", err(&typo));
    let too_long = packplan(&["vault", "settings", "--passphrase-file", &pf, "--horizon-months", "400"], d, &[]);
    assert!(!too_long.status.success());
    assert!(err(&too_long).contains("choose 12 to 120 months"), "{}", err(&too_long));
    let labelled = packplan(
        &["vault", "settings", "--passphrase-file", &pf, "--classification-label", "CONFIDENTIAL - PROGRAMME X"],
        d,
        &[],
    );
    assert!(out(&labelled).contains("classification label: CONFIDENTIAL - PROGRAMME X"), "{}", out(&labelled));
    assert!(out(&labelled).contains("after 5 idle minutes"), "the other setting is kept");
    // the screens' locale: one of the list, or refused with the list; "default" clears it
    let german = packplan(&["vault", "settings", "--passphrase-file", &pf, "--locale", "de-DE"], d, &[]);
    assert!(out(&german).contains("screens' locale: de-DE"), "{}", err(&german));
    let klingon = packplan(&["vault", "settings", "--passphrase-file", &pf, "--locale", "tlh"], d, &[]);
    assert!(!klingon.status.success());
    assert!(err(&klingon).contains("choose one of en-US, en-GB, de-DE"), "{}", err(&klingon));
    let kept = packplan(&["vault", "settings", "--passphrase-file", &pf], d, &[]);
    assert!(out(&kept).contains("screens' locale: de-DE"), "a refused change keeps the choice: {}", out(&kept));
    let cleared = packplan(&["vault", "settings", "--passphrase-file", &pf, "--locale", "default"], d, &[]);
    assert!(out(&cleared).contains("screens' locale: default (en-US)"), "{}", err(&cleared));

    // The site's marking scheme, a label mapped by hand, and what the vault refuses.
    let settings = |args: &[&str]| {
        let mut all = vec!["vault", "settings", "--passphrase-file", &pf];
        all.extend_from_slice(args);
        packplan(&all, d, &[])
    };
    let us = settings(&["--marking-scheme", "us", "--map-label", "ACME NDA=cui"]);
    assert!(
        out(&us).contains(
            "marking scheme: us (UNCLASSIFIED, CUI, CONFIDENTIAL, SECRET, TOP SECRET, least sensitive first)"
        ),
        "{}",
        err(&us)
    );
    assert!(out(&us).contains("label \"ACME NDA\" is marked CUI"), "{}", out(&us));
    // NATO has no level the classification label names: refused, the US scheme kept
    let nato = settings(&["--marking-scheme", "nato", "--unmap-label", "acme nda"]);
    assert!(!nato.status.success());
    assert!(
        err(&nato).contains("\"CONFIDENTIAL - PROGRAMME X\" names no level of the site's marking scheme (nato:"),
        "{}",
        err(&nato)
    );
    let twice = write(
        d,
        "levels.json",
        r##"[{"name": "OPEN", "background": "#007A33", "foreground": "#FFFFFF"}, {"name": "open", "background": "#C8102E", "foreground": "#FFFFFF"}]"##,
    );
    let custom = settings(&["--marking-levels", &twice]);
    assert!(
        err(&custom).contains("\"open\" names two levels of the marking scheme (OPEN and open)"),
        "{}",
        err(&custom)
    );
    let kept = settings(&[]);
    assert!(out(&kept).contains("marking scheme: us ("), "{}", out(&kept));
    assert!(out(&kept).contains("label \"ACME NDA\" is marked CUI"), "{}", out(&kept));

    let backup = packplan(&["vault", "backup", "copy", "--passphrase-file", &pf], d, &[]);
    assert!(backup.status.success(), "{}", err(&backup));
    let copy_check = Command::new(env!("CARGO_BIN_EXE_packplan"))
        .args(["--vault", d.join("copy").to_str().unwrap(), "vault", "check", "--passphrase-file"])
        .arg(d.join(&pf))
        .output()
        .unwrap();
    assert!(copy_check.status.success(), "{}", err(&copy_check));

    let list = packplan(&["--json", "audit", "list", "--passphrase-file", &pf], d, &[]);
    let entries: Vec<serde_json::Value> = serde_json::from_str(&out(&list)).unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "vault.backup",
            // the US scheme and its mapping; the locale chosen and cleared; the refused
            // changes left no entry
            "settings.update",
            "settings.update",
            "settings.update",
            "settings.update",
            "settings.update",
            "settings.update",
            "settings.update",
            "vault.passwd",
            "vault.passwd",
            "vault.init"
        ]
    );
    assert!(entries[0]["actor"].as_str().unwrap().ends_with(" via cli"));
    let verify = packplan(&["audit", "verify", "--passphrase-file", &pf], d, &[]);
    assert_eq!(out(&verify).trim(), "The audit chain of 11 entries is intact.");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
