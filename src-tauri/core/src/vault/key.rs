//! The database key: 256 random bits, handed to SQLCipher as a raw key (no
//! PBKDF2: the key slots already stretch the passphrase). It lives only in
//! memory while the vault is unlocked, wipes itself when dropped, and cannot
//! be printed.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

use crate::{Error, ErrorKind, Result};

/// The random key that encrypts the vault's database.
pub struct DatabaseKey(Zeroizing<[u8; 32]>);

impl DatabaseKey {
    /// A new random key from the operating system's generator.
    pub fn generate() -> DatabaseKey {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, bytes.as_mut());
        DatabaseKey(bytes)
    }

    /// The key as 64 lowercase hex digits: what a key slot stores.
    pub fn to_hex(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(64));
        for b in self.0.iter() {
            s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
        }
        s
    }

    /// Reads the 64 hex digits of a key slot.
    pub fn from_hex(text: &str) -> Result<DatabaseKey> {
        let text = text.trim();
        let bad = || Error::new(ErrorKind::Damaged, "a key slot holds no valid key; restore the vault from a backup");
        if text.len() != 64 {
            return Err(bad());
        }
        let mut bytes = Zeroizing::new([0u8; 32]);
        for (i, pair) in text.as_bytes().chunks(2).enumerate() {
            let digit = |c: u8| (c as char).to_digit(16).ok_or_else(bad);
            bytes[i] = (digit(pair[0])? << 4 | digit(pair[1])?) as u8;
        }
        Ok(DatabaseKey(bytes))
    }

    /// `PRAGMA key` text for SQLCipher: `x'<hex>'`, a raw key.
    pub(crate) fn pragma_value(&self) -> Zeroizing<String> {
        let hex = self.to_hex();
        let mut s = Zeroizing::new(String::with_capacity(67));
        s.push_str("x'");
        s.push_str(&hex);
        s.push('\'');
        s
    }

    /// HMAC-SHA-256 of `message` under a key derived from this one for `domain`, so
    /// files kept beside the database can be authenticated by whoever holds the key.
    pub(crate) fn mac(&self, domain: &str, message: &[u8]) -> Result<[u8; 32]> {
        use hmac::{Mac, SimpleHmac};
        use sha2::{Digest, Sha256};
        let mut derive = Sha256::new();
        derive.update(domain.as_bytes());
        derive.update([0u8]);
        derive.update(self.0.as_ref());
        let derived = Zeroizing::new(<[u8; 32]>::from(derive.finalize()));
        let mut mac = <SimpleHmac<Sha256> as Mac>::new_from_slice(derived.as_ref())
            .map_err(|e| Error::internal(format!("could not key the MAC: {e}")))?;
        mac.update(message);
        Ok(mac.finalize().into_bytes().into())
    }

    pub(crate) fn clone_secret(&self) -> DatabaseKey {
        DatabaseKey(Zeroizing::new(*self.0))
    }
}

impl fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DatabaseKey(redacted)")
    }
}

impl Zeroize for DatabaseKey {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_round_trip_through_hex_and_never_print() {
        let a = DatabaseKey::generate();
        let b = DatabaseKey::generate();
        assert_ne!(*a.to_hex(), *b.to_hex());
        let again = DatabaseKey::from_hex(&a.to_hex()).unwrap();
        assert_eq!(*again.to_hex(), *a.to_hex());
        assert_eq!(format!("{a:?}"), "DatabaseKey(redacted)");
        assert!(DatabaseKey::from_hex("zz").is_err());
        assert!(a.pragma_value().starts_with("x'") && a.pragma_value().len() == 67);
    }
}
