//! The encryption layer of a bundle: a standard age v1 file (binary or armored),
//! so the standard `age` tool opens it too.
//!
//! Decryption releases nothing until the age stream has ended with its
//! authenticated final chunk: age hands out plaintext before it can detect a
//! truncated or altered file, so the whole plaintext is read into memory (within
//! the limits) and only then returned. Plaintext never touches the disk.

use std::io::{Read, Write};

use age::armor::{ArmoredReader, ArmoredWriter, Format};
use age::secrecy::SecretString;
use age::DecryptError;
use zeroize::Zeroizing;

use super::limits::{bytes, too_large, Limits, MAX_HEADER_BYTES};
use crate::progress::{CancelToken, Progress, ProgressReport};
use crate::{Error, ErrorKind, Result};

/// An age X25519 identity (`AGE-SECRET-KEY-1...`): what opens bundles sent to its recipient.
pub type Identity = age::x25519::Identity;
/// An age X25519 recipient (`age1...`).
pub type Recipient = age::x25519::Recipient;

/// Parses one `age1...` recipient.
pub fn parse_recipient(text: &str) -> Result<Recipient> {
    text.trim().parse::<Recipient>().map_err(|_| {
        Error::invalid(format!("{:?} is not a valid age recipient (age1 followed by 58 letters and digits); ask the recipient for the string `packplan keys show` prints", text.trim()))
    })
}

/// Parses the identities of an age identity file (comment lines start with `#`).
pub fn parse_identities(text: &str) -> Result<Vec<Identity>> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        out.push(
            line.parse::<Identity>()
                .map_err(|_| Error::invalid("it holds a line that is not an age identity (AGE-SECRET-KEY-1...)"))?,
        );
    }
    if out.is_empty() {
        return Err(Error::invalid("it holds no age identity (AGE-SECRET-KEY-1...)"));
    }
    Ok(out)
}

/// The scrypt work factor Packplan encrypts passphrase bundles with (about 1 s, 256 MiB).
pub const PASSPHRASE_WORK_FACTOR: u8 = 18;

/// Who can open a bundle being made.
pub enum Sealing {
    /// Each contact's age recipient (`age1...`).
    Recipients(Vec<age::x25519::Recipient>),
    /// A passphrase shared with the recipients another way.
    Passphrase(SecretString),
}

/// What opens a bundle being read.
pub enum Opening<'a> {
    /// The vault's own identity, or identities from an `--identity` file.
    Identities(&'a [age::x25519::Identity]),
    Passphrase(&'a SecretString),
}

/// Encrypts `plaintext` as an age file, armored (`-----BEGIN AGE ENCRYPTED FILE-----`) if asked.
pub fn seal(plaintext: &[u8], to: &Sealing, armor: bool) -> Result<Vec<u8>> {
    let fail = |e: &dyn std::fmt::Display| Error::internal(format!("could not encrypt the bundle: {e}"));
    let encryptor = match to {
        Sealing::Recipients(recipients) => {
            if recipients.is_empty() {
                return Err(Error::invalid("choose at least one recipient to encrypt the bundle to"));
            }
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|e| fail(&e))?
        }
        Sealing::Passphrase(passphrase) => {
            let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
            recipient.set_work_factor(PASSPHRASE_WORK_FACTOR);
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient)).map_err(|e| fail(&e))?
        }
    };
    let format = if armor { Format::AsciiArmor } else { Format::Binary };
    let mut out = Vec::with_capacity(plaintext.len() + 1024);
    let armored = ArmoredWriter::wrap_output(&mut out, format).map_err(|e| fail(&e))?;
    let mut writer = encryptor.wrap_output(armored).map_err(|e| fail(&e))?;
    writer.write_all(plaintext).map_err(|e| fail(&e))?;
    writer.finish().and_then(ArmoredWriter::finish).map_err(|e| fail(&e))?;
    Ok(out)
}

const BINARY_HEADER: &[u8] = b"age-encryption.org/v1\n";
const ARMOR_HEADER: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// True when `file` starts like an age file (binary or armored).
pub fn looks_like_age(file: &[u8]) -> bool {
    let start = file.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(file.len());
    file.starts_with(BINARY_HEADER) || file[start..].starts_with(ARMOR_HEADER)
}

/// Decrypts a whole bundle file into memory, after checking the limits.
pub fn open(
    file: &[u8],
    key: &Opening<'_>,
    limits: &Limits,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<Zeroizing<Vec<u8>>> {
    if file.is_empty() {
        return Err(Error::invalid("the file is empty; it is not a bundle. Copy it again from the source media"));
    }
    if file.len() as u64 > limits.max_file_bytes {
        return Err(too_large(file.len() as u64, limits));
    }
    if !looks_like_age(file) {
        return Err(Error::invalid(
            "this file is not a Packplan bundle: it is not age-encrypted (no age header). Choose the .ppb or .age file the sender gave you",
        ));
    }
    let consumed = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let counted = Counted { inner: file, consumed: consumed.clone() };
    // age parses its header again each time it reads more of it: cap it before parsing.
    let header_budget = std::rc::Rc::new(std::cell::Cell::new(Some(MAX_HEADER_BYTES)));
    let capped = HeaderCap { inner: ArmoredReader::new(counted), budget: header_budget.clone() };
    let decryptor = age::Decryptor::new(capped).map_err(|e| match e {
        _ if header_budget.get() == Some(0) => damaged(&format!(
            "its age header is larger than {}, which no bundle needs (it lists too many recipients or was altered)",
            bytes(MAX_HEADER_BYTES)
        )),
        // The first line said age v1, so a header age cannot parse is a damaged one.
        DecryptError::UnknownFormat if file.starts_with(BINARY_HEADER) => {
            damaged("its age header is malformed (it was altered or corrupted)")
        }
        e => header_error(&e),
    })?;
    header_budget.set(None);
    let stream = match key {
        Opening::Passphrase(passphrase) => {
            if !decryptor.is_scrypt() {
                return Err(Error::new(
                    ErrorKind::WrongKey,
                    "this bundle is encrypted to recipients' keys, not to a passphrase; open it with your identity instead",
                ));
            }
            let mut identity = age::scrypt::Identity::new((*passphrase).clone());
            identity.set_max_work_factor(limits.max_work_factor);
            decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity))
        }
        Opening::Identities(identities) => {
            if decryptor.is_scrypt() {
                return Err(Error::new(
                    ErrorKind::WrongKey,
                    "this bundle is protected by a passphrase; choose \"passphrase\" and type the one the sender gave you",
                ));
            }
            decryptor.decrypt(identities.iter().map(|i| i as &dyn age::Identity))
        }
    };
    let mut stream = stream.map_err(|e| key_error(&e, limits))?;

    // Read to the authenticated end before anything looks at the plaintext.
    let total = file.len() as u64;
    let mut plaintext = Zeroizing::new(Vec::with_capacity(file.len()));
    let mut chunk = Zeroizing::new(vec![0u8; 64 * 1024]);
    loop {
        cancel.check()?;
        let n = stream.read(&mut chunk).map_err(|e| stream_error(&e))?;
        if n == 0 {
            break;
        }
        if (plaintext.len() + n) as u64 > limits.max_total_bytes {
            return Err(Error::invalid(format!(
                "the bundle holds more than {} of data, the limit; ask the sender to split it",
                bytes(limits.max_total_bytes)
            )));
        }
        plaintext.extend_from_slice(&chunk[..n]);
        progress.report(ProgressReport {
            stage: "decrypting".into(),
            done: consumed.get(),
            total: Some(total),
            unit: "bytes",
        });
    }
    progress.report(ProgressReport { stage: "decrypting".into(), done: total, total: Some(total), unit: "bytes" });
    Ok(plaintext)
}

/// Refuses to read more than the header budget while age parses its header
/// (`budget` is `None` once the header is read).
struct HeaderCap<R> {
    inner: R,
    budget: std::rc::Rc<std::cell::Cell<Option<u64>>>,
}

impl<R: Read> Read for HeaderCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let Some(left) = self.budget.get() else { return self.inner.read(buf) };
        if left == 0 {
            return Err(std::io::Error::other("the age header is too large"));
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.budget.set(Some(left - n as u64));
        Ok(n)
    }
}

/// Counts the bytes of the file read so far, for progress in file bytes.
struct Counted<'a> {
    inner: &'a [u8],
    consumed: std::rc::Rc<std::cell::Cell<u64>>,
}

impl Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.set(self.consumed.get() + n as u64);
        Ok(n)
    }
}

fn header_error(e: &DecryptError) -> Error {
    match e {
        DecryptError::UnknownFormat => Error::invalid(
            "the bundle uses an age format this Packplan does not know (probably newer); update Packplan or ask the sender to use standard age v1",
        ),
        DecryptError::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => damaged("the file ends inside its header"),
        _ => damaged("its age header is malformed"),
    }
}

fn key_error(e: &DecryptError, limits: &Limits) -> Error {
    match e {
        DecryptError::ExcessiveWork { required, .. } => Error::invalid(format!(
            "the bundle's passphrase protection asks for scrypt work factor {required}, above the limit of {} (it could take minutes and gigabytes of memory); ask the sender to encrypt it with the standard setting (18)",
            limits.max_work_factor
        )),
        DecryptError::NoMatchingKeys => Error::new(
            ErrorKind::WrongKey,
            "this bundle was not encrypted to your key (or its header is damaged); ask the sender to encrypt it to the recipient shown in Settings (packplan keys show)",
        ),
        DecryptError::DecryptionFailed | DecryptError::KeyDecryptionFailed => Error::new(
            ErrorKind::WrongKey,
            "the passphrase does not open this bundle; check it with the sender and try again",
        ),
        DecryptError::InvalidMac => damaged("its header was altered (the header MAC does not match)"),
        DecryptError::InvalidHeader => damaged("its age header is malformed"),
        DecryptError::Io(_) => damaged("the file could not be read to the end of its header"),
        DecryptError::UnknownFormat => header_error(e),
    }
}

fn stream_error(e: &std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            damaged("it is truncated: the encrypted stream ends before its final chunk")
        }
        _ => damaged("its encrypted contents were altered or corrupted (a chunk failed authentication)"),
    }
}

fn damaged(what: &str) -> Error {
    Error::new(ErrorKind::Damaged, format!("the bundle is damaged: {what}; nothing was imported. Copy it again from the source media or ask the sender for a new copy"))
}
