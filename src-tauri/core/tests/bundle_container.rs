//! Bundle files as they arrive on removable media: round trips, interoperability
//! with the standard `age` tool, and a corpus of bad inputs, generated here, each
//! refused with its own message.
//!
//! The import into the vault (replays, re-imports, CSV validation, the vault left
//! unchanged) is tested with the import itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};

use age::secrecy::SecretString;
use packplan_core::bundle::archive;
use packplan_core::bundle::manifest::{sha256_hex, FileEntry, Manifest, FORMAT, FORMAT_VERSION};
use packplan_core::bundle::*;
use packplan_core::progress::{CancelToken, CollectProgress, NoProgress};
use packplan_core::ErrorKind;

struct World {
    me: age::x25519::Identity,
    stranger: age::x25519::Identity,
    issuer: SigningKey,
    trust: Vec<(String, IssuerKey)>,
}

fn world() -> World {
    let issuer = SigningKey::generate().unwrap();
    let trust = vec![("Acme Supply Analytics".to_owned(), issuer.public_key())];
    World { me: age::x25519::Identity::generate(), stranger: age::x25519::Identity::generate(), issuer, trust }
}

/// A data file big enough to span several 64 KiB age chunks.
fn big_csv() -> Vec<u8> {
    let mut s = String::from("facility_id,technology_id,month,base\n");
    for i in 0..6000 {
        s.push_str(&format!("tsmc-ap{},cowos-l,2026-{:02},{}\n", i % 9, i % 12 + 1, 1000 + i));
    }
    s.into_bytes()
}

fn new_bundle(files: Vec<(&str, Vec<u8>)>) -> NewBundle {
    NewBundle {
        bundle_id: "b-0001".into(),
        producer_seq: 1,
        created: "2026-11-25T10:00:00Z".into(),
        title: "CoWoS capacity update".into(),
        classification: "CONFIDENTIAL - SUPPLIER NDA".into(),
        schema_version: 1,
        intended_recipients: None,
        files: files.into_iter().map(|(n, b)| (n.to_owned(), b)).collect(),
    }
}

fn default_files() -> Vec<(&'static str, Vec<u8>)> {
    vec![("capacity_observations.csv", big_csv()), ("products.csv", b"id,name\nh100,H100 SXM\n".to_vec())]
}

fn to_me(w: &World) -> Sealing {
    Sealing::Recipients(vec![w.me.to_public()])
}

fn open_as_me(w: &World, file: &[u8]) -> packplan_core::Result<OpenedBundle> {
    let ids = [w.me.clone()];
    open(
        file,
        &Opening::Identities(&ids),
        &w.trust,
        SignaturePolicy::default(),
        &Limits::default(),
        &NoProgress,
        &CancelToken::new(),
    )
}

fn age_available() -> bool {
    let ok = Command::new("age").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        eprintln!("the standard age tool is not installed (Debian package `age`); scripts/setup.sh installs it");
    }
    ok
}

// ---------------------------------------------------------------- round trips

#[test]
fn a_signed_bundle_round_trips_to_a_recipient_binary_and_armored() {
    let w = world();
    for armor in [false, true] {
        let file = seal(&new_bundle(default_files()), Some(&w.issuer), &to_me(&w), armor).unwrap();
        assert_eq!(file.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"), armor);
        let progress = CollectProgress::default();
        let ids = [w.me.clone()];
        let opened = open(
            &file,
            &Opening::Identities(&ids),
            &w.trust,
            SignaturePolicy::default(),
            &Limits::default(),
            &progress,
            &CancelToken::new(),
        )
        .unwrap();
        assert_eq!(
            opened.signer,
            Signer::Trusted { issuer: "Acme Supply Analytics".into(), key_id: w.issuer.key_id() }
        );
        assert_eq!(opened.manifest.title, "CoWoS capacity update");
        assert_eq!(&opened.files["capacity_observations.csv"].bytes[..], &big_csv()[..]);
        let reports = progress.reports();
        assert!(reports.len() >= 2, "progress is reported while decrypting: {reports:?}");
        assert_eq!(reports.last().unwrap().done, file.len() as u64);
        assert_eq!(reports.last().unwrap().unit, "bytes");
    }
}

#[test]
fn a_passphrase_bundle_round_trips() {
    let w = world();
    let pass = SecretString::from("orbit lantern quietly".to_owned());
    let file = seal(&new_bundle(default_files()), Some(&w.issuer), &Sealing::Passphrase(pass.clone()), false).unwrap();
    let header = String::from_utf8_lossy(&file[..120]).into_owned();
    assert!(header.contains("-> scrypt ") && header.contains(" 18\n"), "work factor pinned to 18: {header}");
    let opened = open(
        &file,
        &Opening::Passphrase(&pass),
        &w.trust,
        SignaturePolicy::default(),
        &Limits::default(),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    assert_eq!(opened.files.len(), 2);
}

#[test]
fn cancelling_stops_the_open() {
    let w = world();
    let file = seal(&new_bundle(default_files()), Some(&w.issuer), &to_me(&w), false).unwrap();
    let cancel = CancelToken::new();
    cancel.cancel();
    let ids = [w.me.clone()];
    let e = open(
        &file,
        &Opening::Identities(&ids),
        &w.trust,
        SignaturePolicy::default(),
        &Limits::default(),
        &NoProgress,
        &cancel,
    )
    .err()
    .unwrap();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
}

// ---------------------------------------------------------------- interoperability with age 1.1.1

#[test]
fn bundles_decrypt_with_the_standard_age_tool_and_list_with_tar() {
    if !age_available() {
        return;
    }
    let w = world();
    let dir = tempfile::tempdir().unwrap();
    let id_file = dir.path().join("me.key");
    std::fs::write(&id_file, age::secrecy::ExposeSecret::expose_secret(&w.me.to_string())).unwrap();
    let bundle = dir.path().join("b.ppb");
    std::fs::write(&bundle, seal(&new_bundle(default_files()), Some(&w.issuer), &to_me(&w), false).unwrap()).unwrap();
    let tar_path = dir.path().join("b.tar");
    let out =
        Command::new("age").arg("-d").arg("-i").arg(&id_file).arg("-o").arg(&tar_path).arg(&bundle).output().unwrap();
    assert!(out.status.success(), "age -d: {}", String::from_utf8_lossy(&out.stderr));
    let list = Command::new("tar").arg("-tf").arg(&tar_path).output().unwrap();
    let names = String::from_utf8(list.stdout).unwrap();
    assert_eq!(names, "manifest.json\nmanifest.json.minisig\ncapacity_observations.csv\nproducts.csv\n");
}

#[test]
fn bundles_the_age_tool_encrypts_open_to_a_recipient_and_with_a_passphrase() {
    if !age_available() {
        return;
    }
    let w = world();
    let dir = tempfile::tempdir().unwrap();
    // A producer without Packplan: the same tar, encrypted by the standard tool.
    let plain = plaintext_tar(&w, &new_bundle(default_files()));
    let tar_path = dir.path().join("b.tar");
    std::fs::write(&tar_path, &plain).unwrap();

    let to_recipient = dir.path().join("r.age");
    let out = Command::new("age")
        .arg("-r")
        .arg(w.me.to_public().to_string())
        .arg("-o")
        .arg(&to_recipient)
        .arg(&tar_path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let opened = open_as_me(&w, &std::fs::read(&to_recipient).unwrap()).unwrap();
    assert!(matches!(opened.signer, Signer::Trusted { .. }));

    let armored = dir.path().join("a.age");
    let out = Command::new("age")
        .args(["-a", "-r"])
        .arg(w.me.to_public().to_string())
        .arg("-o")
        .arg(&armored)
        .arg(&tar_path)
        .output()
        .unwrap();
    assert!(out.status.success());
    open_as_me(&w, &std::fs::read(&armored).unwrap()).unwrap();

    // age reads a passphrase only from a terminal: give it one with `script`.
    let with_pass = dir.path().join("p.age");
    let mut child = Command::new("script")
        .arg("-qec")
        .arg(format!("age -p -o {} {}", with_pass.display(), tar_path.display()))
        .arg("/dev/null")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"correct horse battery\ncorrect horse battery\n").unwrap();
    assert!(child.wait().unwrap().success());
    let pass = SecretString::from("correct horse battery".to_owned());
    let file = std::fs::read(&with_pass).unwrap();
    open(
        &file,
        &Opening::Passphrase(&pass),
        &w.trust,
        SignaturePolicy::default(),
        &Limits::default(),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
}

// ---------------------------------------------------------------- the bad-input corpus

/// The plaintext tar `seal` would encrypt, for tests that alter it.
fn plaintext_tar(w: &World, new: &NewBundle) -> Vec<u8> {
    let (manifest, sig) = signed_manifest(w, new, |_| {});
    let mut entries: Vec<(&str, &[u8])> = vec![("manifest.json", &manifest), ("manifest.json.minisig", sig.as_bytes())];
    entries.extend(new.files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
    archive::write(&entries).unwrap()
}

fn signed_manifest(w: &World, new: &NewBundle, edit: impl FnOnce(&mut Manifest)) -> (Vec<u8>, String) {
    let mut m = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema_version: 1,
        bundle_id: new.bundle_id.clone(),
        producer_key_id: w.issuer.key_id().to_string(),
        producer_seq: 1,
        created: new.created.clone(),
        title: new.title.clone(),
        classification: new.classification.clone(),
        recipients: None,
        files: new.files.iter().map(|(n, b)| FileEntry::of(n, b)).collect(),
    };
    edit(&mut m);
    let bytes = m.to_bytes().unwrap();
    let sig = w.issuer.sign(&bytes, "test").unwrap();
    (bytes, sig)
}

/// A raw tar entry, with any name and type (the tar crate's own checks bypassed).
fn raw_entry(out: &mut Vec<u8>, name: &str, kind: tar::EntryType, data: &[u8], link: &str) {
    let mut h = tar::Header::new_ustar();
    {
        let bytes = h.as_mut_bytes();
        bytes[..100].fill(0);
        bytes[..name.len()].copy_from_slice(name.as_bytes());
        bytes[157..257].fill(0);
        bytes[157..157 + link.len()].copy_from_slice(link.as_bytes());
    }
    h.set_entry_type(kind);
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_mtime(0);
    h.set_cksum();
    out.extend_from_slice(h.as_bytes());
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
}

fn finish_tar(mut out: Vec<u8>) -> Vec<u8> {
    out.extend_from_slice(&[0u8; 1024]);
    out
}

/// A valid signed manifest + signature followed by `extra` raw entries.
fn tar_with(w: &World, files: &[(&str, &[u8])], extra: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let new = new_bundle(files.iter().map(|(n, b)| (*n, b.to_vec())).collect());
    let (m, s) = signed_manifest(w, &new, |_| {});
    let mut out = Vec::new();
    raw_entry(&mut out, "manifest.json", tar::EntryType::Regular, &m, "");
    raw_entry(&mut out, "manifest.json.minisig", tar::EntryType::Regular, s.as_bytes(), "");
    for (n, b) in files {
        raw_entry(&mut out, n, tar::EntryType::Regular, b, "");
    }
    extra(&mut out);
    finish_tar(out)
}

fn encrypt_tar(w: &World, tar: &[u8]) -> Vec<u8> {
    envelope::seal(tar, &to_me(w), false).unwrap()
}

struct Case {
    name: &'static str,
    file: Vec<u8>,
    kind: ErrorKind,
    says: &'static str,
    opening: Option<Opening<'static>>,
    limits: Limits,
}

fn case(name: &'static str, file: Vec<u8>, kind: ErrorKind, says: &'static str) -> Case {
    Case { name, file, kind, says, opening: None, limits: Limits::default() }
}

/// Where the age payload's chunks start: after the header line `--- mac\n` and the 16-byte nonce.
fn payload_start(file: &[u8]) -> usize {
    let marker = b"\n--- ";
    let at = file.windows(marker.len()).position(|w| w == marker).unwrap() + 1;
    let end = file[at..].iter().position(|&b| b == b'\n').unwrap() + at + 1;
    end + 16
}

#[test]
fn every_bad_input_is_refused_with_its_own_message() {
    let w = world();
    let good = seal(&new_bundle(default_files()), Some(&w.issuer), &to_me(&w), false).unwrap();
    let start = payload_start(&good);
    let chunk = 64 * 1024 + 16;
    let data: &[u8] = b"id,name\nh100,H100\n";
    let mut cases = vec![
        case("empty file", Vec::new(), ErrorKind::Invalid, "the file is empty"),
        case("not an age file", b"\x89PNG\r\n\x1a\nnot a bundle".to_vec(), ErrorKind::Invalid, "not age-encrypted"),
        case("plain text", b"facility,month\nx,2026-01\n".to_vec(), ErrorKind::Invalid, "not age-encrypted"),
        case("cut inside the header", good[..30].to_vec(), ErrorKind::Damaged, "header"),
        case("cut at the first chunk boundary", good[..start + chunk].to_vec(), ErrorKind::Damaged, "truncated"),
        case(
            "cut one byte before a chunk boundary",
            good[..start + chunk - 1].to_vec(),
            ErrorKind::Damaged,
            "bundle is damaged",
        ),
        case(
            "cut one byte after a chunk boundary",
            good[..start + chunk + 1].to_vec(),
            ErrorKind::Damaged,
            "bundle is damaged",
        ),
        case("cut at the second chunk boundary", good[..start + 2 * chunk].to_vec(), ErrorKind::Damaged, "truncated"),
        case("cut before the last byte", good[..good.len() - 1].to_vec(), ErrorKind::Damaged, "bundle is damaged"),
        case("cut right after the header", good[..start].to_vec(), ErrorKind::Damaged, "bundle is damaged"),
        case("a trailing byte", [good.clone(), vec![0]].concat(), ErrorKind::Damaged, "altered or corrupted"),
    ];
    let flip = |at: usize| {
        let mut f = good.clone();
        f[at] ^= 0x04;
        f
    };
    let mac_at = good.windows(5).position(|x| x == b"\n--- ").unwrap() + 8;
    cases.push(case("flipped bit in the header MAC", flip(mac_at), ErrorKind::Damaged, "header"));
    let mut other_mac = good.clone();
    other_mac[mac_at] = if good[mac_at] == b'A' { b'B' } else { b'A' };
    cases.push(case("another valid MAC character", other_mac, ErrorKind::Damaged, "header was altered"));
    // Another valid base64 letter inside the ephemeral share (a flipped bit could make
    // an invalid character, which is the malformed-header case above).
    let stanza_at = good.windows(3).position(|x| x == b"-> ").unwrap() + 20;
    let mut other_share = good.clone();
    other_share[stanza_at] = if good[stanza_at] == b'A' { b'B' } else { b'A' };
    cases.push(case("altered recipient stanza", other_share, ErrorKind::WrongKey, "or its header is damaged"));
    cases.push(case("flipped bit in the version line", flip(3), ErrorKind::Invalid, "not age-encrypted"));
    cases.push(case("flipped bit in the first chunk", flip(start + 100), ErrorKind::Damaged, "altered or corrupted"));
    cases.push(case("flipped bit in the last chunk", flip(good.len() - 5), ErrorKind::Damaged, "altered or corrupted"));
    cases.push(case("flipped bit in the payload nonce", flip(start - 3), ErrorKind::Damaged, "altered or corrupted"));

    let stranger_file =
        seal(&new_bundle(default_files()), Some(&w.issuer), &Sealing::Recipients(vec![w.stranger.to_public()]), false)
            .unwrap();
    cases.push(case("encrypted to another key", stranger_file, ErrorKind::WrongKey, "not encrypted to your key"));
    // A header with thousands of recipient stanzas (about 300 kB): age re-parses its header as it
    // grows, so it is refused before it is parsed.
    let crowd: Vec<age::x25519::Recipient> = (0..3000)
        .map(|i| if i == 2999 { w.me.to_public() } else { age::x25519::Identity::generate().to_public() })
        .collect();
    let crowded = seal(&new_bundle(default_files()), Some(&w.issuer), &Sealing::Recipients(crowd), false).unwrap();
    cases.push(case("an age header over 64 KiB", crowded, ErrorKind::Damaged, "age header is larger than 64 KiB"));

    let pass = SecretString::from("the right one".to_owned());
    let pass_file = seal(&new_bundle(default_files()), Some(&w.issuer), &Sealing::Passphrase(pass), false).unwrap();
    static WRONG: std::sync::LazyLock<SecretString> =
        std::sync::LazyLock::new(|| SecretString::from("the wrong one".to_owned()));
    cases.push(Case {
        opening: Some(Opening::Passphrase(&WRONG)),
        ..case("wrong passphrase", pass_file.clone(), ErrorKind::WrongKey, "passphrase does not open")
    });
    cases.push(case(
        "passphrase bundle opened with a key",
        pass_file.clone(),
        ErrorKind::WrongKey,
        "protected by a passphrase",
    ));
    let wf22 = String::from_utf8_lossy(&pass_file).replacen(" 18\n", " 22\n", 1).into_bytes();
    assert_ne!(wf22, pass_file);
    let mut wf22 = wf22;
    wf22.truncate(pass_file.len());
    let mut wf22_full = pass_file.clone();
    wf22_full[..wf22.len()].copy_from_slice(&wf22);
    cases.push(Case {
        opening: Some(Opening::Passphrase(&WRONG)),
        ..case("scrypt work factor 22", wf22_full, ErrorKind::Invalid, "work factor 22")
    });

    type Extra = Box<dyn FnOnce(&mut Vec<u8>)>;
    let tar = |extra: Extra| encrypt_tar(&w, &tar_with(&w, &[("products.csv", data)], extra));
    cases.push(case(
        "path traversal",
        tar(Box::new(|o| raw_entry(o, "../evil.csv", tar::EntryType::Regular, b"x", ""))),
        ErrorKind::Damaged,
        "leaves the bundle",
    ));
    cases.push(case(
        "absolute path",
        tar(Box::new(|o| raw_entry(o, "/etc/cron.d/x", tar::EntryType::Regular, b"x", ""))),
        ErrorKind::Damaged,
        "absolute path",
    ));
    cases.push(case(
        "symbolic link",
        tar(Box::new(|o| raw_entry(o, "link.csv", tar::EntryType::Symlink, b"", "/etc/passwd"))),
        ErrorKind::Damaged,
        "symbolic link",
    ));
    cases.push(case(
        "hard link",
        tar(Box::new(|o| raw_entry(o, "hard.csv", tar::EntryType::Link, b"", "products.csv"))),
        ErrorKind::Damaged,
        "hard link",
    ));
    cases.push(case(
        "folder",
        tar(Box::new(|o| raw_entry(o, "data/", tar::EntryType::Directory, b"", ""))),
        ErrorKind::Damaged,
        "a folder",
    ));
    cases.push(case(
        "device",
        tar(Box::new(|o| raw_entry(o, "dev.csv", tar::EntryType::Char, b"", ""))),
        ErrorKind::Damaged,
        "a device",
    ));
    cases.push(case(
        "pax header",
        tar(Box::new(|o| raw_entry(o, "pax", tar::EntryType::XHeader, b"30 path=../../../etc/passwd\n", ""))),
        ErrorKind::Damaged,
        "PAX",
    ));
    cases.push(case(
        "duplicate entry",
        tar(Box::new(|o| raw_entry(o, "products.csv", tar::EntryType::Regular, b"id\nevil\n", ""))),
        ErrorKind::Damaged,
        "the same file twice",
    ));
    cases.push(case(
        "extra file",
        tar(Box::new(|o| raw_entry(o, "orders.csv", tar::EntryType::Regular, b"id\n", ""))),
        ErrorKind::Damaged,
        "not in its manifest",
    ));
    cases.push(case(
        "disallowed name",
        tar(Box::new(|o| raw_entry(o, "run.sh", tar::EntryType::Regular, b"#!/bin/sh\n", ""))),
        ErrorKind::Damaged,
        "name bundles may not use",
    ));

    // Manifest-level problems: altered files, missing files, signatures.
    let altered = {
        let mut o = Vec::new();
        let new = new_bundle(vec![("products.csv", data.to_vec())]);
        let (m, s) = signed_manifest(&w, &new, |_| {});
        raw_entry(&mut o, "manifest.json", tar::EntryType::Regular, &m, "");
        raw_entry(&mut o, "manifest.json.minisig", tar::EntryType::Regular, s.as_bytes(), "");
        raw_entry(&mut o, "products.csv", tar::EntryType::Regular, b"id,name\nh100,H900\n", "");
        encrypt_tar(&w, &finish_tar(o))
    };
    cases.push(case("hash mismatch", altered, ErrorKind::Damaged, "does not match the SHA-256"));
    let sized = {
        let mut o = Vec::new();
        let new = new_bundle(vec![("products.csv", data.to_vec())]);
        let (m, s) = signed_manifest(&w, &new, |_| {});
        raw_entry(&mut o, "manifest.json", tar::EntryType::Regular, &m, "");
        raw_entry(&mut o, "manifest.json.minisig", tar::EntryType::Regular, s.as_bytes(), "");
        raw_entry(&mut o, "products.csv", tar::EntryType::Regular, b"id,name\n", "");
        encrypt_tar(&w, &finish_tar(o))
    };
    cases.push(case("size mismatch", sized, ErrorKind::Damaged, "not the 18 its manifest lists"));
    type Edit = Box<dyn FnOnce(&mut Manifest)>;
    let with_manifest = |edit: Edit, sig_override: Option<String>| {
        let new = new_bundle(vec![("products.csv", data.to_vec())]);
        let (m, s) = signed_manifest(&w, &new, edit);
        let mut o = Vec::new();
        raw_entry(&mut o, "manifest.json", tar::EntryType::Regular, &m, "");
        raw_entry(&mut o, "manifest.json.minisig", tar::EntryType::Regular, sig_override.unwrap_or(s).as_bytes(), "");
        raw_entry(&mut o, "products.csv", tar::EntryType::Regular, data, "");
        encrypt_tar(&w, &finish_tar(o))
    };
    cases.push(case(
        "missing file",
        with_manifest(
            Box::new(|m| m.files.push(FileEntry { path: "orders.csv".into(), size: 3, sha256: sha256_hex(b"abc") })),
            None,
        ),
        ErrorKind::Damaged,
        "listed in its manifest but missing",
    ));
    cases.push(case(
        "unknown format version",
        with_manifest(Box::new(|m| m.format_version = 2), None),
        ErrorKind::Invalid,
        "format version 2, newer",
    ));
    cases.push(case(
        "not a packplan manifest",
        with_manifest(Box::new(|m| m.format = "other-bundle".into()), None),
        ErrorKind::Damaged,
        "not a Packplan bundle",
    ));
    // a signed bundle that claims to be the user's own file, to be listed as "your file"
    cases.push(case(
        "claims to be the user's own file",
        with_manifest(Box::new(|m| m.format = packplan_core::dataset::own_files::FORMAT.into()), None),
        ErrorKind::Damaged,
        "not a Packplan bundle",
    ));
    let other_sig = w.issuer.sign(b"some other manifest", "x").unwrap();
    cases.push(case(
        "bad signature",
        with_manifest(Box::new(|_| {}), Some(other_sig)),
        ErrorKind::Damaged,
        "signature is not valid",
    ));
    let untrusted = SigningKey::generate().unwrap();
    let untrusted_file =
        seal(&new_bundle(vec![("products.csv", data.to_vec())]), Some(&untrusted), &to_me(&w), false).unwrap();
    cases.push(case("untrusted signer", untrusted_file, ErrorKind::Invalid, "not a trusted issuer"));
    let unsigned = seal(&new_bundle(vec![("products.csv", data.to_vec())]), None, &to_me(&w), false).unwrap();
    cases.push(case("unsigned", unsigned, ErrorKind::Invalid, "not signed"));
    let mut forwarded = new_bundle(vec![("products.csv", data.to_vec())]);
    forwarded.intended_recipients = Some(vec![w.stranger.to_public().to_string()]);
    let forwarded = seal(&forwarded, Some(&w.issuer), &to_me(&w), false).unwrap();
    cases.push(case("addressed to someone else", forwarded, ErrorKind::Invalid, "addressed to someone else"));
    let no_manifest = {
        let mut o = Vec::new();
        raw_entry(&mut o, "products.csv", tar::EntryType::Regular, data, "");
        encrypt_tar(&w, &finish_tar(o))
    };
    cases.push(case("no manifest", no_manifest, ErrorKind::Damaged, "no manifest.json"));
    let junk_manifest = {
        let mut o = Vec::new();
        raw_entry(&mut o, "manifest.json", tar::EntryType::Regular, b"{ not json", "");
        encrypt_tar(&w, &finish_tar(o))
    };
    cases.push(case("manifest not JSON", junk_manifest, ErrorKind::Damaged, "not valid JSON"));
    cases.push(case(
        "not a tar inside",
        envelope::seal(b"just some bytes, not an archive at all", &to_me(&w), false).unwrap(),
        ErrorKind::Damaged,
        "archive",
    ));

    // Limits, checked before the work.
    let small = |l: Limits| Limits { ..l };
    cases.push(Case {
        limits: small(Limits { max_entry_bytes: 1000, ..Limits::default() }),
        ..case("oversized entry", good.clone(), ErrorKind::Invalid, "above the limit of 1000 bytes for one file")
    });
    cases.push(Case {
        limits: small(Limits { max_entries: 2, ..Limits::default() }),
        ..case("too many entries", good.clone(), ErrorKind::Invalid, "more than 2 files")
    });
    cases.push(Case {
        limits: small(Limits { max_file_bytes: 4096, ..Limits::default() }),
        ..case("file too large", good.clone(), ErrorKind::Invalid, "larger than the limit")
    });
    cases.push(Case {
        limits: small(Limits { max_total_bytes: 100_000, ..Limits::default() }),
        ..case("too much data", good.clone(), ErrorKind::Invalid, "the limit")
    });

    assert!(cases.len() >= 30, "the corpus has {} cases", cases.len());
    let ids = [w.me.clone()];
    let mut failures = Vec::new();
    // The same files offered to a vault's import: each refused, the vault's digest unchanged.
    let vault_dir = tempfile::tempdir().unwrap();
    let location = packplan_core::location::VaultLocation::resolve(Some(vault_dir.path())).unwrap();
    let passphrase = packplan_core::vault::Passphrase::new("orbit lantern quietly harbour".into());
    let (mut vault, _) = packplan_core::vault::Vault::init(&location, &passphrase, "test").unwrap();
    let issuer_key = w.issuer.public_key().to_base64();
    vault
        .write(packplan_core::vault::Change::new("test", "issuer.add", "Acme", serde_json::json!({})), |tx| {
            packplan_core::vault::keys::add_issuer(tx, "Acme Supply Analytics", &issuer_key)
        })
        .unwrap();
    let digest = vault.digest().unwrap();
    for c in &cases {
        let opening = c.opening.as_ref().map_or(Opening::Identities(&ids), |o| match o {
            Opening::Passphrase(p) => Opening::Passphrase(p),
            Opening::Identities(i) => Opening::Identities(i),
        });
        let key = match &opening {
            Opening::Passphrase(p) => packplan_core::dataset::import::BundleKey::Passphrase(p),
            Opening::Identities(i) => packplan_core::dataset::import::BundleKey::Identities(i),
        };
        let staged = packplan_core::dataset::import::stage(
            &vault,
            &c.file,
            &key,
            SignaturePolicy::default(),
            &c.limits,
            &NoProgress,
            &CancelToken::new(),
        );
        match staged {
            Ok(staged) => {
                if let Ok(r) =
                    packplan_core::dataset::import::apply(&mut vault, staged, "test", &NoProgress, &CancelToken::new())
                {
                    failures.push(format!("{}: was imported into the vault as {}", c.name, r.dataset.id));
                }
            }
            Err(e) if e.kind() != c.kind => {
                failures.push(format!("{}: the import said {:?} \"{e}\"", c.name, e.kind()))
            }
            Err(_) => {}
        }
        if vault.digest().unwrap() != digest {
            failures.push(format!("{}: changed the vault", c.name));
        }
        match open(&c.file, &opening, &w.trust, SignaturePolicy::default(), &c.limits, &NoProgress, &CancelToken::new())
        {
            Ok(_) => failures.push(format!("{}: was accepted", c.name)),
            Err(e) if e.kind() != c.kind || !e.message().contains(c.says) => failures.push(format!(
                "{}: got {:?} \"{}\", expected {:?} saying \"{}\"",
                c.name,
                e.kind(),
                e,
                c.kind,
                c.says
            )),
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{} of {} cases wrong:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn overrides_let_an_unsigned_or_unknown_bundle_through_and_say_so() {
    let w = world();
    let ids = [w.me.clone()];
    let unsigned = seal(&new_bundle(default_files()), None, &to_me(&w), false).unwrap();
    let policy = SignaturePolicy { allow_unsigned: true, allow_unknown_signer: false };
    let opened = open(
        &unsigned,
        &Opening::Identities(&ids),
        &w.trust,
        policy,
        &Limits::default(),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    assert_eq!(opened.signer, Signer::Unsigned);

    let stranger_key = SigningKey::generate().unwrap();
    let unknown = seal(&new_bundle(default_files()), Some(&stranger_key), &to_me(&w), false).unwrap();
    let policy = SignaturePolicy { allow_unsigned: false, allow_unknown_signer: true };
    let opened = open(
        &unknown,
        &Opening::Identities(&ids),
        &w.trust,
        policy,
        &Limits::default(),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    assert_eq!(opened.signer, Signer::Unknown { claimed_key_id: stranger_key.key_id() });
}

// ---------------------------------------------------------------- tar as the standard tools write it

/// A supplier's bundle folder: the signed manifest, its signature and the data files, on disk.
fn supplier_folder(w: &World) -> (tempfile::TempDir, NewBundle) {
    let new = new_bundle(default_files());
    let (manifest, sig) = signed_manifest(w, &new, |_| {});
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("manifest.json"), manifest).unwrap();
    std::fs::write(dir.path().join("manifest.json.minisig"), sig).unwrap();
    for (name, bytes) in &new.files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    (dir, new)
}

fn tool(dir: &std::path::Path, program: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(program).args(args).current_dir(dir).output().unwrap_or_else(|e| {
        panic!("{program} is not installed ({e}); scripts/setup.sh installs tar, libarchive-tools and python3")
    });
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    std::fs::read(dir.join("out.tar")).unwrap()
}

/// Python's tarfile, with `pax_headers` for the file `odd` (a hostile producer's PAX records).
fn python_tar(dir: &std::path::Path, format: &str, odd: &str, pax: &str) -> Vec<u8> {
    let script = format!(
        "import tarfile\n\
         names = ['manifest.json', 'manifest.json.minisig'] + sorted(n for n in __import__('os').listdir('.') if n.endswith('.csv'))\n\
         with tarfile.open('out.tar', 'w', format=tarfile.{format}) as t:\n\
         \x20   for n in names:\n\
         \x20       info = t.gettarinfo(n)\n\
         \x20       if n == '{odd}':\n\
         \x20           info.pax_headers = {pax}\n\
         \x20       with open(n, 'rb') as f:\n\
         \x20           t.addfile(info, f)\n"
    );
    tool(dir, "python3", &["-c", &script])
}

#[test]
fn bundles_tarred_by_gnu_tar_bsdtar_and_python_open() {
    let w = world();
    let (dir, new) = supplier_folder(&w);
    let files: Vec<&str> = new.files.iter().map(|(n, _)| n.as_str()).collect();
    let list = |prefix: &str| -> Vec<String> {
        ["manifest.json", "manifest.json.minisig"].iter().chain(files.iter()).map(|n| format!("{prefix}{n}")).collect()
    };
    let with = |args: &[&str], names: &[String]| -> Vec<String> {
        args.iter().map(|a| a.to_string()).chain(names.iter().cloned()).collect()
    };
    let dialects: Vec<(&str, Vec<u8>)> = vec![
        ("GNU tar (default: gnu)", {
            let args = with(&["-cf", "out.tar"], &list(""));
            tool(dir.path(), "tar", &args.iter().map(String::as_str).collect::<Vec<_>>())
        }),
        ("GNU tar --format=pax", {
            let args = with(&["--format=pax", "-cf", "out.tar"], &list(""));
            tool(dir.path(), "tar", &args.iter().map(String::as_str).collect::<Vec<_>>())
        }),
        ("GNU tar of the folder (./ entries)", tool(dir.path(), "tar", &["-cf", "out.tar", "--exclude=out.tar", "."])),
        ("bsdtar (default: restricted pax)", {
            let args = with(&["-cf", "out.tar"], &list(""));
            tool(dir.path(), "bsdtar", &args.iter().map(String::as_str).collect::<Vec<_>>())
        }),
        ("bsdtar --format=pax", {
            let args = with(&["--format=pax", "-cf", "out.tar"], &list(""));
            tool(dir.path(), "bsdtar", &args.iter().map(String::as_str).collect::<Vec<_>>())
        }),
        ("Python tarfile (default: PAX)", python_tar(dir.path(), "PAX_FORMAT", "", "{}")),
        ("Python tarfile GNU_FORMAT", python_tar(dir.path(), "GNU_FORMAT", "", "{}")),
        ("Python tarfile USTAR_FORMAT", python_tar(dir.path(), "USTAR_FORMAT", "", "{}")),
    ];
    for (name, tar) in dialects {
        let opened = open_as_me(&w, &encrypt_tar(&w, &tar)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(opened.files.len(), new.files.len(), "{name}");
        assert!(matches!(opened.signer, Signer::Trusted { .. }), "{name}");
    }
    // Python really writes PAX headers by default: the case is not vacuous.
    let py = python_tar(dir.path(), "PAX_FORMAT", "", "{}");
    assert!(py.windows(13).any(|w| w == b"@PaxHeader\0\0\0"), "Python wrote no PAX header");
}

#[test]
fn pax_records_that_would_change_what_is_read_are_refused() {
    let w = world();
    let (dir, new) = supplier_folder(&w);
    let data = new.files[0].0.clone();
    for (pax, says) in [
        ("{'path': 'evil.csv'}".to_owned(), "a PAX record path=\"evil.csv\" that disagrees"),
        ("{'size': '1'}".to_owned(), "a PAX record size=\"1\" that disagrees"),
        ("{'linkpath': 'manifest.json'}".to_owned(), "a PAX record \"linkpath\""),
        ("{'SCHILY.xattr.user.x': 'y'}".to_owned(), "a PAX record \"SCHILY.xattr.user.x\""),
    ] {
        let tar = python_tar(dir.path(), "PAX_FORMAT", &data, &pax);
        let e = open_as_me(&w, &encrypt_tar(&w, &tar)).err().unwrap_or_else(|| panic!("{pax} was accepted"));
        assert!(e.message().contains(says), "{pax}: {e}");
        assert_eq!(e.kind(), ErrorKind::Damaged, "{pax}");
    }
}
