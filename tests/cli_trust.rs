//! The trust holes, attacked through the command line as a user or an intruder
//! would: a bundle signed with the published DEMO ONLY key, an unsigned bundle
//! claiming a trusted issuer, a recipient planted in vault.json, a named pipe or a
//! link to /dev/zero offered as a bundle, and an older vault.db put back. Each is
//! refused (or shown for what it is) with one message that says what to do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use packplan_core::bundle::archive;
use packplan_core::bundle::envelope::{self, Sealing};
use packplan_core::bundle::manifest::{FileEntry, Manifest, FORMAT, FORMAT_VERSION};
use support::{copy_dir, packplan, run_ok, secret_file};

const PASS: &str = "orbit lantern quietly harbour";

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo")
}

struct Site {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    vault: PathBuf,
    pass: PathBuf,
}

impl Site {
    fn new() -> Site {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let pass = secret_file(&dir, "pass.txt", PASS);
        let vault = dir.join("vault");
        run_ok(packplan(&vault).args(["vault", "init", "--passphrase-file"]).arg(&pass), "vault init");
        Site { _tmp: tmp, dir, vault, pass }
    }

    /// Runs `args`; those that unlock the vault get the passphrase file (`vault status`
    /// and `bundle create` do not unlock it).
    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = packplan(&self.vault);
        cmd.args(args).current_dir(&self.dir);
        if !(args.contains(&"status") || args.contains(&"create")) {
            cmd.arg("--passphrase-file").arg(&self.pass);
        }
        cmd.output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn refused(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} was accepted: {}", String::from_utf8_lossy(&out.stdout));
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    fn recipient(&self) -> String {
        let keys: serde_json::Value = serde_json::from_str(&self.ok(&["--json", "keys", "show"])).unwrap();
        keys["recipient"].as_str().unwrap().to_owned()
    }

    fn datasets(&self) -> String {
        self.ok(&["--json", "dataset", "list"])
    }
}

#[test]
fn a_bundle_signed_with_the_demo_key_from_the_repository_is_refused() {
    let site = Site::new();
    site.ok(&["demo"]);
    let before = site.datasets();
    let recipient = site.recipient();
    let key = demo_dir().join("keys/demo-issuer.key");
    // The intruder's figures, from the demo's own folder, signed with the published key.
    let demo = demo_dir();
    site.ok(&[
        "bundle",
        "create",
        demo.to_str().unwrap(),
        "--out",
        "forged.ppb",
        "--recipient",
        &recipient,
        "--signing-key",
        key.to_str().unwrap(),
    ]);
    for extra in [&[][..], &["--allow-unknown-signer"][..]] {
        let mut args = vec!["bundle", "import", "forged.ppb"];
        args.extend_from_slice(extra);
        let e = site.refused(&args);
        assert!(e.contains("DEMO ONLY key, whose secret is published"), "{e}");
        assert_eq!(e.lines().count(), 1, "one message: {e}");
    }
    assert_eq!(site.datasets(), before);
    let issuers = site.ok(&["issuers", "list"]);
    assert!(!issuers.contains("DEMO ONLY"), "{issuers}");
}

#[test]
fn an_unsigned_bundle_claiming_an_issuer_is_refused_even_when_unsigned_ones_are_allowed() {
    let site = Site::new();
    let recipient: age::x25519::Recipient = site.recipient().parse().unwrap();
    let files: Vec<(String, Vec<u8>)> = ["suppliers.csv", "facilities.csv"]
        .iter()
        .map(|n| (n.to_string(), std::fs::read(demo_dir().join(n)).unwrap()))
        .collect();
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema_version: 1,
        bundle_id: "claim".into(),
        producer_key_id: "0123456789ABCDEF".into(),
        producer_seq: 9,
        created: "2026-11-30T00:00:00Z".into(),
        title: "Acme capacity".into(),
        classification: "CONFIDENTIAL".into(),
        recipients: None,
        files: files.iter().map(|(n, b)| FileEntry::of(n, b)).collect(),
    }
    .to_bytes()
    .unwrap();
    let mut entries: Vec<(&str, &[u8])> = vec![("manifest.json", &manifest)];
    entries.extend(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
    let sealed =
        envelope::seal(&archive::write(&entries).unwrap(), &Sealing::Recipients(vec![recipient]), false).unwrap();
    std::fs::write(site.dir.join("claim.ppb"), sealed).unwrap();
    let e = site.refused(&["bundle", "import", "claim.ppb", "--allow-unsigned"]);
    assert!(e.contains("names the producer key 0123456789ABCDEF but it carries no signature"), "{e}");
}

#[test]
fn a_recipient_planted_in_vault_json_is_not_shown_and_is_reported() {
    let site = Site::new();
    let own = site.recipient();
    let planted = age::x25519::Identity::generate().to_public().to_string();
    let metadata = site.vault.join("vault.json");
    std::fs::write(&metadata, std::fs::read_to_string(&metadata).unwrap().replace(&own, &planted)).unwrap();

    let status = site.ok(&["vault", "status"]);
    assert!(!status.contains(&planted) && !status.contains(&own), "{status}");
    let show = site.run(&["keys", "show"]);
    let (stdout, stderr) = (String::from_utf8_lossy(&show.stdout), String::from_utf8_lossy(&show.stderr));
    assert!(stdout.contains(&own) && !stdout.contains(&planted), "{stdout}");
    assert!(stderr.contains("WARNING:") && stderr.contains("vault.json was altered"), "{stderr}");
    let check = site.run(&["vault", "check"]);
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(!check.status.success());
    assert!(report.contains("metadata          FAILED"), "{report}");
}

/// Runs `args` and requires it to end (with a refusal) within 30 seconds.
fn refused_promptly(site: &Site, args: &[&str]) -> String {
    let mut cmd = packplan(&site.vault);
    cmd.args(args)
        .arg("--passphrase-file")
        .arg(&site.pass)
        .current_dir(&site.dir)
        .stderr(Stdio::piped())
        .stdout(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("{args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_pipe_or_a_link_to_dev_zero_on_the_media_is_refused_without_hanging() {
    let site = Site::new();
    std::os::unix::fs::symlink("/dev/zero", site.dir.join("zero.ppb")).unwrap();
    let status = std::process::Command::new("mkfifo").arg(site.dir.join("pipe.ppb")).status().unwrap();
    assert!(status.success());
    for name in ["zero.ppb", "pipe.ppb"] {
        let e = refused_promptly(&site, &["bundle", "import", name, "--dry-run"]);
        assert!(e.contains("is a device, pipe or socket, not a bundle file"), "{name}: {e}");
    }
}

#[test]
fn an_older_database_put_back_is_refused_until_the_user_accepts_it() {
    let site = Site::new();
    let saved = site.dir.join("saved");
    copy_dir(&site.vault, &saved);
    site.ok(&["contacts", "add", "Bo", &age::x25519::Identity::generate().to_public().to_string()]);
    // The intruder puts back the database from before (the keys folder stays).
    for name in ["vault.db", "vault.db-wal", "vault.db-shm"] {
        let _ = std::fs::remove_file(site.vault.join(name));
        if saved.join(name).exists() {
            std::fs::copy(saved.join(name), site.vault.join(name)).unwrap();
        }
    }
    let e = site.refused(&["vault", "check"]);
    assert!(e.contains("the vault was not opened") && e.contains("an older copy of vault.db was put in place"), "{e}");
    assert!(e.contains("`packplan vault check --accept-older-database`"), "{e}");
    let out = site.ok(&["vault", "check", "--accept-older-database"]);
    assert!(out.ends_with("The vault is sound.\n"), "{out}");
    let audit = site.ok(&["audit", "list", "--limit", "1"]);
    assert!(audit.contains("vault.accept_older_database"), "{audit}");
}
