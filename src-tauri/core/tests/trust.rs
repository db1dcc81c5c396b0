//! Who may change the vault's data, and what a copied or tampered vault reveals:
//! each test performs an attack on the vault or the import, and shows it now does
//! no harm (docs/security.md lists them). The attacks: a bundle signed with the
//! published DEMO ONLY key; an unsigned or unverified bundle claiming a trusted
//! issuer's dataset; a recipient planted in vault.json; a bundle scenario taking
//! over the user's; an older database (or older pages) put back; rows and audit
//! entries edited with the key in hand; a preview applied after the vault changed;
//! a label the site's marking scheme cannot mark, or a mapping pulled from under data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use packplan_core::bundle::archive;
use packplan_core::bundle::envelope::{self, Sealing};
use packplan_core::bundle::manifest::{FileEntry, Manifest, FORMAT, FORMAT_VERSION};
use packplan_core::bundle::{seal, Limits, NewBundle, SignaturePolicy, SigningKey};
use packplan_core::classification::{Policy, Preset, Scheme};
use packplan_core::dataset::{self, import, import::BundleKey, model_input, verify};
use packplan_core::demo;
use packplan_core::location::VaultLocation;
use packplan_core::model::scenario::{Override, Scenario};
use packplan_core::progress::{CancelToken, NoProgress};
use packplan_core::vault::{audit, keys, Change, Passphrase, Session, Unlock, UnlockOptions, Vault};
use packplan_core::ErrorKind;

const PASS: &str = "orbit lantern quietly harbour";

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo")
}

/// The demo's CSV files: a consistent, valid set of every table.
fn demo_files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(demo_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| (p.file_name().unwrap().to_str().unwrap().to_owned(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

fn bundle(id: &str, seq: u64, title: &str, files: Vec<(String, Vec<u8>)>) -> NewBundle {
    NewBundle {
        bundle_id: id.into(),
        producer_seq: seq,
        created: "2026-11-25T10:00:00Z".into(),
        title: title.into(),
        classification: "CONFIDENTIAL - SUPPLIER NDA".into(),
        schema_version: 1,
        intended_recipients: None,
        files,
    }
}

struct World {
    dir: tempfile::TempDir,
    vault: Vault,
    issuer: SigningKey,
    recipient: age::x25519::Recipient,
}

fn location(dir: &Path) -> VaultLocation {
    VaultLocation::resolve(Some(dir)).unwrap()
}

/// A vault that trusts the issuer "Acme".
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, receipt) = Vault::init(&location(dir.path()), &Passphrase::new(PASS.into()), "test").unwrap();
    let issuer = SigningKey::generate().unwrap();
    keys::trust_issuer(&mut vault, "Acme", &issuer.public_key().to_base64(), "test").unwrap();
    World { dir, vault, issuer, recipient: receipt.recipient.parse().unwrap() }
}

impl World {
    fn sealed(&self, b: &NewBundle, signer: Option<&SigningKey>) -> Vec<u8> {
        seal(b, signer, &Sealing::Recipients(vec![self.recipient.clone()]), false).unwrap()
    }

    fn stage(&self, file: &[u8], policy: SignaturePolicy) -> packplan_core::Result<import::Staged> {
        import::stage(
            &self.vault,
            file,
            &BundleKey::Vault,
            policy,
            &Limits::default(),
            &NoProgress,
            &CancelToken::new(),
        )
    }

    fn import(&mut self, file: &[u8], policy: SignaturePolicy) -> packplan_core::Result<import::ImportReceipt> {
        let staged = self.stage(file, policy)?;
        assert!(staged.preview.problems.is_empty(), "{:?}", staged.preview.problems);
        import::apply(&mut self.vault, staged, "test", &NoProgress, &CancelToken::new())
    }

    fn relock(&mut self, options: UnlockOptions) -> packplan_core::Result<()> {
        let placeholder = Vault::init(&location(&self.dir.path().join("spare")), &Passphrase::new(PASS.into()), "t")?.0;
        std::mem::replace(&mut self.vault, placeholder).lock()?;
        self.vault = Vault::unlock_with(
            &location(self.dir.path()),
            &Unlock::Passphrase(&Passphrase::new(PASS.into())),
            options,
        )?;
        Ok(())
    }

    fn digest(&self) -> String {
        self.vault.digest().unwrap()
    }
}

const ANY_SIGNER: SignaturePolicy = SignaturePolicy { allow_unsigned: true, allow_unknown_signer: true };

fn demo_signing_key() -> SigningKey {
    SigningKey::from_secret_text(&std::fs::read_to_string(demo_dir().join("keys/demo-issuer.key")).unwrap()).unwrap()
}

// --- 1. the published demo key ----------------------------------------------------------

#[test]
fn a_bundle_signed_with_the_published_demo_key_is_refused_even_with_the_demo_loaded() {
    let mut w = world();
    demo::load(&mut w.vault, "test", &NoProgress, &CancelToken::new()).unwrap();
    assert!(
        w.vault.read(keys::list_issuers).unwrap().iter().all(|i| i.name != demo::ISSUER_NAME),
        "loading the demo stores no trust in its key"
    );
    let before = w.digest();
    // The attacker's figures, signed with the key anyone can read in the repository.
    let forged = w.sealed(&bundle("forged", 99, "Acme capacity", demo_files()), Some(&demo_signing_key()));
    for policy in [SignaturePolicy::default(), ANY_SIGNER] {
        let e = w.stage(&forged, policy).err().expect("refused");
        assert_eq!(e.kind(), ErrorKind::Invalid);
        assert!(e.message().contains("DEMO ONLY key, whose secret is published"), "{e}");
    }
    assert_eq!(w.digest(), before);
    // Nor can it be made a trusted issuer by hand.
    let e = keys::trust_issuer(&mut w.vault, "Demo", demo::ISSUER_KEY, "test").unwrap_err();
    assert!(e.message().contains("never trusted"), "{e}");
}

#[test]
fn a_vault_that_trusted_the_demo_key_loses_that_trust_at_the_next_unlock_audited() {
    let mut w = world();
    // As a vault made by an older Packplan after `packplan demo`: the key among the issuers.
    let key = packplan_core::bundle::IssuerKey::parse(demo::ISSUER_KEY).unwrap();
    w.vault
        .write(Change::new("old packplan", "issuer.add", demo::ISSUER_NAME, serde_json::json!({})), |tx| {
            tx.execute(
                "INSERT INTO issuers (name, public_key, key_id, added, last_seq) VALUES (?1, ?2, ?3, '2026-11-01T00:00:00Z', 1)",
                rusqlite::params![demo::ISSUER_NAME, key.to_base64(), key.key_id().to_string()],
            )
            .unwrap();
            Ok(())
        })
        .unwrap();
    w.relock(UnlockOptions::default()).unwrap();
    let issuers = w.vault.read(keys::list_issuers).unwrap();
    assert_eq!(issuers.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), ["Acme"]);
    let last = &w.vault.audit_list(1).unwrap()[0];
    assert_eq!((last.action.as_str(), last.subject.as_str()), ("issuer.remove", demo::ISSUER_NAME));
    assert_eq!(last.actor, audit::SYSTEM_ACTOR);
    assert!(last.detail["reason"].as_str().unwrap().contains("published"));
}

#[test]
fn the_demo_bundle_is_recognised_by_its_digest_and_imported_without_stored_trust() {
    assert_eq!(packplan_core::bundle::manifest::sha256_hex(demo::BUNDLE), demo::SHA256);
    let mut w = world();
    let receipt = demo::load(&mut w.vault, "test", &NoProgress, &CancelToken::new()).unwrap();
    assert_eq!(receipt.dataset.issuer.as_deref(), Some(demo::ISSUER_NAME));
    let issuers: Vec<String> = w.vault.read(keys::list_issuers).unwrap().into_iter().map(|i| i.name).collect();
    assert_eq!(issuers, ["Acme"]);
    // Its rows can be checked against the demo key's signature like any signed dataset.
    let report = verify::full_check(&w.vault).unwrap();
    let signed = report.checks.iter().find(|c| c.check == "signed_data").unwrap();
    assert!(signed.ok && signed.findings[0].starts_with("1 dataset matches"), "{:?}", signed.findings);
}

// --- 2. unsigned and unverified bundles claiming a trusted issuer -------------------------

/// An unsigned bundle whose manifest names `claimed` as its producer: what an attacker
/// makes by hand (Packplan itself writes the all-zero key id).
fn unsigned_claiming(w: &World, claimed: &str, id: &str, title: &str) -> Vec<u8> {
    let files = demo_files();
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema_version: 1,
        bundle_id: id.into(),
        producer_key_id: claimed.into(),
        producer_seq: 1000,
        created: "2026-11-30T00:00:00Z".into(),
        title: title.into(),
        classification: "CONFIDENTIAL - SUPPLIER NDA".into(),
        recipients: None,
        files: files.iter().map(|(n, b)| FileEntry::of(n, b)).collect(),
    };
    let manifest = manifest.to_bytes().unwrap();
    let mut entries: Vec<(&str, &[u8])> = vec![("manifest.json", &manifest)];
    entries.extend(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
    envelope::seal(&archive::write(&entries).unwrap(), &Sealing::Recipients(vec![w.recipient.clone()]), false).unwrap()
}

#[test]
fn an_unsigned_bundle_claiming_a_trusted_issuer_is_refused_and_its_dataset_stays() {
    let mut w = world();
    let signed = w
        .import(
            &w.sealed(&bundle("acme-1", 1, "Acme capacity", demo_files()), Some(&w.issuer)),
            SignaturePolicy::default(),
        )
        .unwrap();
    let before = w.digest();
    let forged = unsigned_claiming(&w, &w.issuer.key_id().to_string(), "forged", "Acme capacity");
    let e = w.stage(&forged, ANY_SIGNER).err().expect("refused");
    assert_eq!(e.kind(), ErrorKind::Damaged);
    assert!(e.message().contains("carries no signature (an unsigned bundle must name 0000000000000000)"), "{e}");
    assert_eq!(w.digest(), before);
    assert!(w.vault.read(|c| dataset::get(c, &signed.dataset.id)).is_ok());
}

#[test]
fn an_unverified_signer_never_replaces_a_dataset_nor_is_stored_as_the_signer() {
    let mut w = world();
    let first = w
        .import(
            &w.sealed(&bundle("acme-1", 1, "Acme capacity", demo_files()), Some(&w.issuer)),
            SignaturePolicy::default(),
        )
        .unwrap();
    // Acme is no longer trusted: a bundle signed with its key id is now only a claim.
    keys::distrust_issuer(&mut w.vault, "Acme", "test").unwrap();
    let claim = w.sealed(&bundle("acme-2", 2, "Acme capacity", demo_files()), Some(&w.issuer));
    let staged = w.stage(&claim, ANY_SIGNER).unwrap();
    assert!(staged.preview.replaces.is_none(), "an unverified signature replaces nothing");
    assert!(staged.preview.overrides[0].contains("not verified"), "{:?}", staged.preview.overrides);
    let second = import::apply(&mut w.vault, staged, "test", &NoProgress, &CancelToken::new()).unwrap();
    assert!(second.replaced.is_none());
    let datasets = w.vault.read(dataset::list).unwrap();
    assert!(datasets.iter().any(|d| d.id == first.dataset.id), "the signed dataset stays");
    let new = datasets.iter().find(|d| d.id == second.dataset.id).unwrap();
    assert_eq!(new.signer_key_id, None);
    assert_eq!(new.claimed_key_id.as_deref(), Some(w.issuer.key_id().to_string().as_str()));
    assert_eq!(new.issuer, None);
}

// --- 3. a recipient planted in vault.json -------------------------------------------------

#[test]
fn a_recipient_planted_in_vault_json_is_never_shown_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = Session::new(location(dir.path()));
    let (_, own) = session.create(&Passphrase::new(PASS.into()), "test").unwrap();
    session.lock().unwrap();
    let planted = age::x25519::Identity::generate().to_public().to_string();
    let metadata = dir.path().join("vault.json");
    let text = std::fs::read_to_string(&metadata).unwrap().replace(&own, &planted);
    std::fs::write(&metadata, text).unwrap();

    // Locked: nothing shows a recipient at all.
    let locked = serde_json::to_string(&session.status().unwrap()).unwrap();
    assert!(!locked.contains(&planted) && !locked.contains(&own), "{locked}");
    // Unlocked: the recipient comes from the encrypted keys, with a warning.
    session.unlock(&Unlock::Passphrase(&Passphrase::new(PASS.into()))).unwrap();
    let status = session.status().unwrap();
    assert_eq!(status.recipient.as_deref(), Some(own.as_str()));
    assert!(status.warnings.iter().any(|w| w.contains("was altered") && w.contains(&planted)), "{:?}", status.warnings);
    let report = session.with_vault(|v| v.check()).unwrap();
    let metadata_check = report.checks.iter().find(|c| c.check == "metadata").unwrap();
    assert!(!report.ok && !metadata_check.ok);
    // The altered file is left as found: evidence, not silently repaired.
    assert!(std::fs::read_to_string(&metadata).unwrap().contains(&planted));
}

// --- 4. bundle scenarios never take over the user's ---------------------------------------

#[test]
fn a_bundle_scenario_with_a_colliding_name_is_renamed_and_the_users_survives_removal() {
    let mut w = world();
    let mine = Scenario {
        name: "my plan".into(),
        description: "mine".into(),
        overrides: vec![Override::ShiftRamp { technology: "hbm4".into(), months: 3 }],
    };
    w.vault
        .write(Change::new("test", "scenario.save", "my plan", serde_json::json!({})), |tx| {
            model_input::save_scenario(tx, &mine)
        })
        .unwrap();
    let theirs = |name: &str| Scenario { name: name.into(), description: "theirs".into(), overrides: vec![] };
    let mut files = demo_files();
    files.push(("scenarios.json".into(), serde_json::to_vec(&[theirs("MY PLAN"), theirs("My-Plan")]).unwrap()));
    let file = w.sealed(&bundle("acme-s", 1, "Acme plans", files), Some(&w.issuer));
    let staged = w.stage(&file, SignaturePolicy::default()).unwrap();
    let named: Vec<(&str, &str, bool)> = staged
        .preview
        .scenarios
        .iter()
        .map(|s| (s.name.as_str(), s.imported_as.as_str(), s.conflict.is_some()))
        .collect();
    assert_eq!(named, [("MY PLAN", "MY PLAN (from Acme plans)", true), ("My-Plan", "My-Plan", false)]);
    assert!(staged.preview.scenarios[0].conflict.as_deref().unwrap().contains("one of yours"));
    let receipt = import::apply(&mut w.vault, staged, "test", &NoProgress, &CancelToken::new()).unwrap();
    let kept = w.vault.read(|c| model_input::scenario(c, "my plan")).unwrap();
    assert_eq!((kept.name.as_str(), kept.description.as_str(), kept.overrides.len()), ("my plan", "mine", 1));
    dataset::remove_audited(&mut w.vault, &receipt.dataset.id, "test").unwrap();
    let names: Vec<String> = w.vault.read(model_input::scenarios).unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["Baseline", "my plan"], "removing the dataset removes its scenarios, never the user's");
}

// --- 6 and 7. an older database, older pages, edits with the key in hand ----------------

fn copy_database(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for name in ["vault.db", "vault.db-wal", "vault.db-shm"] {
        if from.join(name).exists() {
            std::fs::copy(from.join(name), to.join(name)).unwrap();
        }
    }
}

fn put_back(saved: &Path, vault_dir: &Path) {
    for name in ["vault.db", "vault.db-wal", "vault.db-shm"] {
        let _ = std::fs::remove_file(vault_dir.join(name));
        if saved.join(name).exists() {
            std::fs::copy(saved.join(name), vault_dir.join(name)).unwrap();
        }
    }
}

#[test]
fn an_older_database_put_back_is_refused_at_unlock_until_accepted_and_audited() {
    let mut w = world();
    let saved = tempfile::tempdir().unwrap();
    // Checkpointed copy of the vault while Acme is trusted (what a copied laptop holds).
    w.relock(UnlockOptions::default()).unwrap();
    let dir = w.dir.path().to_path_buf();
    let placeholder = Vault::init(&location(&dir.join("p")), &Passphrase::new(PASS.into()), "t").unwrap().0;
    std::mem::replace(&mut w.vault, placeholder).lock().unwrap();
    copy_database(&dir, saved.path());
    w.vault = Vault::unlock(&location(&dir), &Unlock::Passphrase(&Passphrase::new(PASS.into()))).unwrap();
    keys::distrust_issuer(&mut w.vault, "Acme", "test").unwrap();
    let placeholder = Vault::init(&location(&dir.join("q")), &Passphrase::new(PASS.into()), "t").unwrap().0;
    std::mem::replace(&mut w.vault, placeholder).lock().unwrap();

    // The attack: the older database, in which Acme is still trusted.
    put_back(saved.path(), &dir);
    let e = Vault::unlock(&location(&dir), &Unlock::Passphrase(&Passphrase::new(PASS.into()))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Damaged);
    assert!(e.message().contains("an older copy of vault.db was put in place"), "{e}");
    assert!(e.message().contains("--accept-older-database"), "{e}");
    // Accepted on purpose: it opens, and says so in the audit log.
    let vault = Vault::unlock_with(
        &location(&dir),
        &Unlock::Passphrase(&Passphrase::new(PASS.into())),
        UnlockOptions { accept_older_database: true },
    )
    .unwrap();
    assert_eq!(vault.audit_list(1).unwrap()[0].action, "vault.accept_older_database");
    assert!(vault.check().unwrap().ok);
    vault.lock().unwrap();
    Vault::unlock(&location(&dir), &Unlock::Passphrase(&Passphrase::new(PASS.into()))).unwrap();
}

#[test]
fn edits_made_with_the_key_but_around_packplan_are_noticed() {
    // A ratchet lowered (as an older page of the issuers table would), with no audit entry.
    let mut w = world();
    w.import(
        &w.sealed(&bundle("acme-1", 7, "Acme capacity", demo_files()), Some(&w.issuer)),
        SignaturePolicy::default(),
    )
    .unwrap();
    w.vault.read(|c| Ok(c.execute("UPDATE issuers SET last_seq = 0", []).unwrap())).unwrap();
    let e = w.relock(UnlockOptions::default()).unwrap_err();
    assert!(e.message().contains("differ from what the vault last recorded, with no audit entry"), "{e}");

    // The audit log cut short and its head rewritten to match.
    let mut w = world();
    keys::befriend(&mut w.vault, "Bo", &age::x25519::Identity::generate().to_public().to_string(), "test").unwrap();
    w.vault
        .read(|c| {
            let (seq, _) = audit::head(c)?;
            let prev: String =
                c.query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq - 1], |r| r.get(0)).unwrap();
            c.execute("DELETE FROM audit_log WHERE seq = ?1", [seq]).unwrap();
            c.execute("UPDATE audit_head SET seq = ?1, hash = ?2", rusqlite::params![seq - 1, prev]).unwrap();
            Ok(())
        })
        .unwrap();
    assert!(w.vault.audit_verify().unwrap().intact(), "the chain alone cannot tell");
    let e = w.relock(UnlockOptions::default()).unwrap_err();
    assert!(e.message().contains("older copy of vault.db"), "{e}");
}

#[test]
fn vault_check_finds_rows_the_issuer_did_not_sign() {
    let mut w = world();
    let receipt = w
        .import(
            &w.sealed(&bundle("acme-1", 1, "Acme capacity", demo_files()), Some(&w.issuer)),
            SignaturePolicy::default(),
        )
        .unwrap();
    let report = verify::full_check(&w.vault).unwrap();
    let signed = report.checks.iter().find(|c| c.check == "signed_data").unwrap();
    assert!(report.ok && signed.ok, "{:?}", report.checks);
    assert!(signed.findings[0].starts_with("1 dataset matches their issuer's signature"), "{:?}", signed.findings);

    // With the key in hand, a figure is raised and a row added, around Packplan.
    let id = receipt.dataset.id.clone();
    w.vault
        .read(|c| {
            c.execute("UPDATE capacity_observations SET base = base * 2 WHERE dataset_id = ?1 AND rowid = (SELECT min(rowid) FROM capacity_observations WHERE dataset_id = ?1)", [&id]).unwrap();
            Ok(())
        })
        .unwrap();
    let report = verify::full_check(&w.vault).unwrap();
    let signed = report.checks.iter().find(|c| c.check == "signed_data").unwrap();
    assert!(!report.ok && !signed.ok);
    assert_eq!(signed.findings.len(), 1, "{:?}", signed.findings);
    assert!(
        signed.findings[0].contains("\"Acme capacity\"")
            && signed.findings[0].contains("capacity_observations: 1 row is not as signed"),
        "{:?}",
        signed.findings
    );
}

#[test]
fn a_kept_file_planted_packed_or_claiming_a_false_length_is_reported_not_trusted() {
    let mut w = world();
    w.import(
        &w.sealed(&bundle("acme-1", 1, "Acme capacity", demo_files()), Some(&w.issuer)),
        SignaturePolicy::default(),
    )
    .unwrap();
    let findings = |w: &World| {
        let report = verify::full_check(&w.vault).unwrap();
        let signed = report.checks.iter().find(|c| c.check == "signed_data").unwrap().clone();
        assert_eq!(report.ok, signed.ok);
        (signed.ok, signed.findings.join(" | "))
    };
    let plant = |w: &World, bytes: &[u8], packing: Option<&str>| {
        w.vault
            .read(|c| {
                c.execute(
                    "UPDATE dataset_files SET bytes = ?1, packing = ?2 WHERE name = 'suppliers.csv'",
                    rusqlite::params![bytes, packing],
                )
                .unwrap();
                Ok(())
            })
            .unwrap();
    };
    // kept packed: a third or less of the CSV's size, and the check reads it back
    let kept: i64 = w
        .vault
        .read(|c| {
            Ok(c.query_row(
                "SELECT length(bytes) FROM dataset_files WHERE name = 'capacity_observations.csv'",
                [],
                |r| r.get(0),
            )
            .unwrap())
        })
        .unwrap();
    let original = demo_files().into_iter().find(|(n, _)| n == "capacity_observations.csv").unwrap().1.len() as i64;
    assert!(kept * 2 < original, "kept {kept} bytes of {original}");
    assert!(findings(&w).0);

    // another supplier list, packed as Packplan packs: read, and found not to be the signed one
    let other = lz4_flex::block::compress_prepend_size(b"id,name\nacme,Acme\n");
    plant(&w, &other, Some("lz4"));
    let (ok, text) = findings(&w);
    assert!(!ok && text.contains("the kept file suppliers.csv differs from the one the issuer signed"), "{text}");

    // a packed file that claims to unpack to 4 GiB: refused before anything is allocated
    let mut claims = vec![0xff, 0xff, 0xff, 0xff];
    claims.extend_from_slice(&other[4..]);
    plant(&w, &claims, Some("lz4"));
    let (ok, text) = findings(&w);
    assert!(
        !ok && text.contains("the kept file suppliers.csv cannot be read (its stated length is out of bounds)"),
        "{text}"
    );

    // truncated
    plant(&w, &other[..other.len() - 3], Some("lz4"));
    let (ok, text) = findings(&w);
    assert!(!ok && text.contains("the kept file suppliers.csv cannot be read"), "{text}");
    assert!(text.contains("remove the dataset and import its bundle again"), "says what to do: {text}");
}

// --- 9. a preview applied after the vault changed -----------------------------------------

#[test]
fn apply_checks_trust_the_ratchet_and_references_again() {
    // The issuer is removed between preview and apply.
    let mut w = world();
    let staged =
        w.stage(&w.sealed(&bundle("a", 1, "Acme", demo_files()), Some(&w.issuer)), SignaturePolicy::default()).unwrap();
    keys::distrust_issuer(&mut w.vault, "Acme", "test").unwrap();
    let before = w.digest();
    let e = import::apply(&mut w.vault, staged, "test", &NoProgress, &CancelToken::new()).unwrap_err();
    assert!(e.message().contains("no longer a trusted issuer"), "{e}");
    assert_eq!(w.digest(), before);

    // A newer bundle from the same issuer lands between preview and apply: the older is a replay now.
    let mut w = world();
    let older = w
        .stage(&w.sealed(&bundle("a5", 5, "Acme", demo_files()), Some(&w.issuer)), SignaturePolicy::default())
        .unwrap();
    w.import(&w.sealed(&bundle("a6", 6, "Acme other", demo_files()), Some(&w.issuer)), SignaturePolicy::default())
        .unwrap();
    let before = w.digest();
    let e = import::apply(&mut w.vault, older, "test", &NoProgress, &CancelToken::new()).unwrap_err();
    assert!(e.message().contains("not above 6"), "{e}");
    assert_eq!(w.digest(), before);

    // The rows a bundle's references point to are removed between preview and apply.
    let mut w = world();
    let base = w
        .import(&w.sealed(&bundle("base", 1, "Acme base", demo_files()), Some(&w.issuer)), SignaturePolicy::default())
        .unwrap();
    let orders: Vec<(String, Vec<u8>)> = demo_files().into_iter().filter(|(n, _)| n == "orders.csv").collect();
    let staged =
        w.stage(&w.sealed(&bundle("ord", 2, "Orders", orders), Some(&w.issuer)), SignaturePolicy::default()).unwrap();
    assert!(staged.preview.problems.is_empty());
    dataset::remove_audited(&mut w.vault, &base.dataset.id, "test").unwrap();
    let before = w.digest();
    let e = import::apply(&mut w.vault, staged, "test", &NoProgress, &CancelToken::new()).unwrap_err();
    assert!(e.message().contains("the vault changed since this bundle was previewed"), "{e}");
    assert_eq!(w.digest(), before);
}

#[test]
fn a_preview_does_not_survive_a_lock() {
    let mut w = world();
    let staged =
        w.stage(&w.sealed(&bundle("a", 1, "Acme", demo_files()), Some(&w.issuer)), SignaturePolicy::default()).unwrap();
    w.relock(UnlockOptions::default()).unwrap();
    let before = w.digest();
    let e = import::apply(&mut w.vault, staged, "test", &NoProgress, &CancelToken::new()).unwrap_err();
    assert!(e.message().contains("the vault was locked after this bundle was previewed"), "{e}");
    assert_eq!(w.digest(), before);
}

// --- 11. smaller holes -------------------------------------------------------------------

#[test]
fn control_characters_in_a_title_never_reach_the_preview_or_the_vault() {
    let mut w = world();
    let b = NewBundle {
        classification: "CONFIDENTIAL\u{1b}[2J\u{1b}[H".into(),
        ..bundle("ctl", 1, "Acme\u{1b}]0;owned\u{7} capacity\u{202e}", demo_files())
    };
    let staged = w.stage(&w.sealed(&b, Some(&w.issuer)), SignaturePolicy::default()).unwrap();
    assert_eq!(staged.preview.manifest.title, "Acme]0;owned capacity");
    assert_eq!(staged.preview.manifest.classification, "CONFIDENTIAL[2J[H");
    let receipt = import::apply(&mut w.vault, staged, "test", &NoProgress, &CancelToken::new()).unwrap();
    assert!(!receipt.dataset.title.chars().any(char::is_control));
}

#[test]
fn a_sequence_number_beyond_what_the_vault_stores_is_refused_not_wrapped() {
    let w = world();
    let file = w.sealed(&bundle("big", u64::MAX, "Acme", demo_files()), Some(&w.issuer));
    let e = w.stage(&file, SignaturePolicy::default()).err().expect("refused");
    assert!(e.message().contains("beyond the largest sequence number"), "{e}");
}

#[test]
fn an_export_to_a_weak_passphrase_is_refused() {
    let mut w = world();
    let r = w
        .import(&w.sealed(&bundle("a", 1, "Acme", demo_files()), Some(&w.issuer)), SignaturePolicy::default())
        .unwrap();
    let weak = Sealing::Passphrase("hunter2".to_owned().into());
    let e = dataset::export::export(&mut w.vault, &[r.dataset.id], &[], "For Bo", &weak, false, "test").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.message().starts_with("the bundle's passphrase is too weak"), "{e}");
}

#[test]
fn a_backup_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mut w = world();
    let out = w.dir.path().join("backups/monday");
    w.vault.backup(&out, "test").unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&out), 0o700);
    assert_eq!(mode(&out.join("keys")), 0o700);
    let files = walk(&out);
    assert!(files.len() >= 3, "the backup holds the database and its keys: {files:?}");
    for entry in files {
        assert_eq!(mode(&entry), 0o600, "{}", entry.display());
    }
    // The copy opens, and holds itself to its own anchor.
    let copy = Vault::unlock(&location(&out), &Unlock::Passphrase(&Passphrase::new(PASS.into()))).unwrap();
    assert!(copy.check().unwrap().ok);
}

// --- 12. markings ------------------------------------------------------------------------

fn with_scheme(w: &mut World, preset: Preset, mapped: &[(&str, &str)]) -> packplan_core::Result<()> {
    let mut settings = w.vault.settings().unwrap();
    settings.marking_policy = Policy {
        scheme: Scheme::preset(preset),
        mapped: mapped.iter().map(|(l, v)| (l.to_string(), v.to_string())).collect(),
    };
    w.vault.update_settings(&settings, "test")
}

fn labelled(w: &World, id: &str, seq: u64, title: &str, label: &str) -> Vec<u8> {
    w.sealed(&NewBundle { classification: label.into(), ..bundle(id, seq, title, demo_files()) }, Some(&w.issuer))
}

#[test]
fn a_label_the_sites_scheme_cannot_mark_is_refused_until_mapped_and_stays_mapped() {
    let mut w = world();
    with_scheme(&mut w, Preset::Us, &[]).unwrap();
    let file = labelled(&w, "acme-1", 1, "Acme capacity", "ACME PROPRIETARY");
    let before = w.digest();
    let e = w.stage(&file, SignaturePolicy::default()).err().expect("refused");
    assert!(
        e.message().starts_with("nothing was imported: the classification \"ACME PROPRIETARY\" names no level"),
        "{e}"
    );
    assert!(e.message().contains("(us: UNCLASSIFIED, CUI, CONFIDENTIAL, SECRET, TOP SECRET)"), "{e}");
    assert!(e.message().contains("--map-label \"ACME PROPRIETARY=LEVEL\""), "{e}");
    assert_eq!(w.digest(), before, "nothing changed");

    // mapped once (audited), it previews; the mapping pulled before apply: refused again
    with_scheme(&mut w, Preset::Us, &[("acme proprietary", "CUI")]).unwrap();
    let staged = w.stage(&file, SignaturePolicy::default()).unwrap();
    with_scheme(&mut w, Preset::Us, &[]).unwrap();
    let before = w.digest();
    let e = import::apply(&mut w.vault, staged, "test", &NoProgress, &CancelToken::new()).unwrap_err();
    assert!(e.message().contains("names no level"), "{e}");
    assert_eq!(w.digest(), before);

    with_scheme(&mut w, Preset::Us, &[("ACME PROPRIETARY", "cui")]).unwrap();
    w.import(&file, SignaturePolicy::default()).unwrap();
    let marking = w.vault.read(model_input::marking).unwrap().expect("data on screen");
    assert_eq!(marking.banner_text(), "CUI // ACME PROPRIETARY");
    assert_eq!(marking.background, "#502B85", "CUI is purple");
    let stored = w.vault.settings().unwrap().marking_policy.mapped;
    assert_eq!(stored.get("ACME PROPRIETARY").map(String::as_str), Some("CUI"), "stored as the level's name");
    let log = w.vault.audit_list(20).unwrap();
    assert!(log.iter().any(|e| e.action == "settings.update" && e.detail.to_string().contains("ACME PROPRIETARY")));

    // the data is in the vault now: neither unmapping it nor a scheme that cannot mark it is accepted
    let before = w.digest();
    for (preset, mapped) in [(Preset::Us, vec![]), (Preset::Nato, vec![])] {
        let e = with_scheme(&mut w, preset, &mapped).unwrap_err();
        assert!(e.message().starts_with("the settings were not changed: the dataset \"Acme capacity\""), "{e}");
    }
    assert_eq!(w.digest(), before);
    assert_eq!(w.vault.settings().unwrap().marking_policy.scheme.preset, Preset::Us);
}

#[test]
fn the_window_and_every_chart_carry_the_strictest_level_never_a_joined_string() {
    let mut w = world();
    with_scheme(&mut w, Preset::Us, &[]).unwrap();
    w.import(&labelled(&w, "a-1", 1, "Supplier A", "SECRET - SUPPLIER NDA"), SignaturePolicy::default()).unwrap();
    w.import(&labelled(&w, "b-1", 2, "Supplier B", "TOP SECRET"), SignaturePolicy::default()).unwrap();
    let marking = w.vault.read(model_input::marking).unwrap().unwrap();
    assert_eq!(marking.banner_text(), "TOP SECRET // SUPPLIER NDA");
    assert_eq!((marking.background.as_str(), marking.foreground.as_str()), ("#FF8C00", "#000000"));
    // the plan's charts are marked the same
    let input = w
        .vault
        .read(|c| model_input::named_input(c, "Baseline", &Default::default(), "2026-06".parse().unwrap()))
        .unwrap();
    assert_eq!(input.marking_policy.scheme.preset, Preset::Us);
    // the commercial scheme cannot mark either label: the site must map them first
    let e = with_scheme(&mut w, Preset::Commercial, &[]).unwrap_err();
    assert!(e.message().contains("names no level of the site's marking scheme (commercial"), "{e}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
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
