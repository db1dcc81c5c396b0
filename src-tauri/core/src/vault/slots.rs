//! Key slots: the database key, wrapped so that either the passphrase or the
//! recovery code unwraps it (the LUKS idea, with age as the wrapping).
//!
//! The passphrase slot is an age file encrypted to an scrypt recipient with the
//! work factor pinned to 18 (about a second, 256 MiB) and decryption capped at
//! 20, so every target laptop opens it and a doctored slot cannot demand hours
//! of work. The recovery slot is an age file encrypted to an X25519 recipient
//! whose identity is the recovery code, shown once at init. Changing the
//! passphrase rewrites one slot; the database is not touched.

use std::fmt;
use std::path::Path;

use age::secrecy::ExposeSecret;
use zeroize::Zeroizing;

use super::key::DatabaseKey;
use super::passphrase::Passphrase;
use crate::write_file::{write_file, Existing};
use crate::{Error, ErrorKind, Result};

/// The scrypt work factor a passphrase slot is written with.
pub const SLOT_WORK_FACTOR: u8 = 18;
/// The largest scrypt work factor a passphrase slot may demand when opened.
pub const SLOT_MAX_WORK_FACTOR: u8 = 20;

/// The recovery code: an age X25519 identity (`AGE-SECRET-KEY-1...`) that opens the
/// recovery slot. It cannot be printed by accident; [`RecoveryCode::reveal`] is the
/// one place that shows it, to print once for the user.
pub struct RecoveryCode(age::x25519::Identity);

impl RecoveryCode {
    pub(crate) fn generate() -> RecoveryCode {
        RecoveryCode(age::x25519::Identity::generate())
    }

    /// Reads a recovery code as typed by the user (spaces and case are forgiven).
    pub fn parse(text: &str) -> Result<RecoveryCode> {
        // One buffer, large enough never to grow, so no copy of the code is left behind.
        let mut cleaned = Zeroizing::new(String::with_capacity(text.len() * 3 + 8));
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            cleaned.extend(c.to_uppercase());
        }
        cleaned.parse::<age::x25519::Identity>().map(RecoveryCode).map_err(|_| {
            Error::new(
                ErrorKind::WrongKey,
                "that is not a recovery code; it starts with AGE-SECRET-KEY-1 and has 74 characters. Check for a missing or mistyped character",
            )
        })
    }

    /// The code itself, to show the user once.
    pub fn reveal(&self) -> Zeroizing<String> {
        Zeroizing::new(self.0.to_string().expose_secret().to_string())
    }

    fn recipient(&self) -> age::x25519::Recipient {
        self.0.to_public()
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(redacted)")
    }
}

/// What the user offers to unlock the vault.
pub enum Unlock<'a> {
    Passphrase(&'a Passphrase),
    RecoveryCode(&'a RecoveryCode),
}

/// Writes the passphrase slot for `key`.
pub fn write_passphrase_slot(path: &Path, key: &DatabaseKey, passphrase: &Passphrase) -> Result<()> {
    let mut recipient = age::scrypt::Recipient::new(passphrase.secret().clone());
    recipient.set_work_factor(SLOT_WORK_FACTOR);
    write_slot(path, key, &recipient)
}

/// Writes the recovery slot for `key`.
pub fn write_recovery_slot(path: &Path, key: &DatabaseKey, code: &RecoveryCode) -> Result<()> {
    write_slot(path, key, &code.recipient())
}

fn write_slot(path: &Path, key: &DatabaseKey, recipient: &impl age::Recipient) -> Result<()> {
    let sealed = age::encrypt(recipient, key.to_hex().as_bytes())
        .map_err(|e| Error::internal(format!("could not wrap the vault key: {e}")))?;
    write_file(path, &sealed, Existing::Replace)
}

/// Unwraps the database key from the slot that matches `unlock`.
pub fn read_slot(passphrase_slot: &Path, recovery_slot: &Path, unlock: &Unlock<'_>) -> Result<DatabaseKey> {
    let (path, plaintext) = match unlock {
        Unlock::Passphrase(passphrase) => {
            let mut identity = age::scrypt::Identity::new(passphrase.secret().clone());
            identity.set_max_work_factor(SLOT_MAX_WORK_FACTOR);
            let sealed = read_file(passphrase_slot)?;
            (passphrase_slot, age::decrypt(&identity, &sealed).map_err(|e| slot_error(&e, "passphrase")))
        }
        Unlock::RecoveryCode(code) => {
            let sealed = read_file(recovery_slot)?;
            (recovery_slot, age::decrypt(&code.0, &sealed).map_err(|e| slot_error(&e, "recovery code")))
        }
    };
    let plaintext = Zeroizing::new(plaintext?);
    let text = std::str::from_utf8(&plaintext).map_err(|_| damaged_slot(path))?;
    DatabaseKey::from_hex(text).map_err(|_| damaged_slot(path))
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::new(
                ErrorKind::Damaged,
                format!("the key slot {} is missing, so the vault cannot be opened with it; restore the keys folder from a backup", path.display()),
            )
        } else {
            Error::io("read the key slot", path, e)
        }
    })
}

fn slot_error(e: &age::DecryptError, what: &str) -> Error {
    match e {
        age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => Error::new(
            ErrorKind::WrongKey,
            format!("wrong {what}: it does not open this vault. Check the keyboard layout and Caps Lock, and try again"),
        ),
        age::DecryptError::ExcessiveWork { required, .. } => Error::new(
            ErrorKind::Damaged,
            format!("the passphrase slot demands scrypt work factor {required}, above the limit {SLOT_MAX_WORK_FACTOR}; it was not written by Packplan. Restore the keys folder from a backup"),
        ),
        other => Error::new(
            ErrorKind::Damaged,
            format!("the key slot is damaged ({other}); unlock with the other slot (passphrase or recovery code) or restore the keys folder from a backup"),
        ),
    }
}

fn damaged_slot(path: &Path) -> Error {
    Error::new(
        ErrorKind::Damaged,
        format!("the key slot {} opened but holds no valid key; restore the keys folder from a backup", path.display()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_slot_unwraps_the_same_key_and_a_wrong_secret_is_wrong_key() {
        let dir = tempfile::tempdir().unwrap();
        let (p, r) = (dir.path().join("p.age"), dir.path().join("r.age"));
        let key = DatabaseKey::generate();
        let code = RecoveryCode::generate();
        write_passphrase_slot(&p, &key, &Passphrase::new("correct horse battery".into())).unwrap();
        write_recovery_slot(&r, &key, &code).unwrap();
        let by_pass = read_slot(&p, &r, &Unlock::Passphrase(&Passphrase::new("correct horse battery".into()))).unwrap();
        let retyped = RecoveryCode::parse(&code.reveal().to_lowercase().replace('1', "1 ")).unwrap();
        let by_code = read_slot(&p, &r, &Unlock::RecoveryCode(&retyped)).unwrap();
        assert_eq!(*by_pass.to_hex(), *key.to_hex());
        assert_eq!(*by_code.to_hex(), *key.to_hex());
        let wrong = read_slot(&p, &r, &Unlock::Passphrase(&Passphrase::new("wrong horse battery".into()))).unwrap_err();
        assert_eq!(wrong.kind(), ErrorKind::WrongKey);
        assert!(wrong.message().starts_with("wrong passphrase"));
        let other = RecoveryCode::generate();
        assert_eq!(read_slot(&p, &r, &Unlock::RecoveryCode(&other)).unwrap_err().kind(), ErrorKind::WrongKey);
        assert_eq!(format!("{code:?}"), "RecoveryCode(redacted)");
        // The slot file is a standard age file with the pinned work factor.
        let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).to_string();
        assert!(text.starts_with("age-encryption.org/v1\n-> scrypt "));
        assert!(text.lines().nth(1).unwrap().ends_with(" 18"));
    }
}
