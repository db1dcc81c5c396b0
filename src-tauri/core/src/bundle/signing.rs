//! Bundle signatures: minisign (Ed25519, prehashed) over the manifest's bytes.
//! Sign, then encrypt: the signature travels inside the encrypted archive, so the
//! signer's identity is hidden from anyone without the key.
//!
//! A [`SigningKey`] is secret: it cannot be printed and is exported only as the
//! standard minisign secret-key text, for the vault to keep encrypted.

use std::fmt;
use std::io::Cursor;

use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKey, SecretKeyBox, SignatureBox};
use zeroize::Zeroizing;

use crate::{Error, ErrorKind, Result};

/// The 8-byte minisign key id, shown as 16 hex digits as `minisign` shows it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId([u8; 8]);

impl KeyId {
    fn from_slice(bytes: &[u8]) -> Option<KeyId> {
        bytes.try_into().ok().map(KeyId)
    }

    /// Parses the 16 hex digits of [`Display`](fmt::Display).
    pub fn parse(text: &str) -> Option<KeyId> {
        let value = u64::from_str_radix(text, 16).ok().filter(|_| text.len() == 16)?;
        Some(KeyId(value.to_le_bytes()))
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016X}", u64::from_le_bytes(self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// A public key that verifies bundles: a trusted issuer's, or the user's own.
#[derive(Clone)]
pub struct IssuerKey(PublicKey);

impl IssuerKey {
    /// Parses minisign's public key: the base64 line (`RW...`), or the whole
    /// `.pub` file with its `untrusted comment:` line.
    pub fn parse(text: &str) -> Result<IssuerKey> {
        let line = text
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
            .unwrap_or_default();
        PublicKey::from_base64(line).map(IssuerKey).map_err(|_| {
            Error::invalid(
                "that is not a minisign public key; paste the line that starts with RW from the issuer's .pub file",
            )
        })
    }

    /// Parses an issuer's `.pub` file as picked from removable media (at most 4 KiB):
    /// refuses a secret key picked by mistake, saying so, without keeping any of it.
    pub fn from_public_key_file(bytes: &[u8]) -> Result<IssuerKey> {
        if bytes.len() > 4096 {
            return Err(Error::invalid(
                "that file is too large for a minisign public key (a .pub file is two short lines); choose the issuer's .pub file",
            ));
        }
        let text = std::str::from_utf8(bytes).map_err(|_| {
            Error::invalid("that file is not a minisign public key (it is not text); choose the issuer's .pub file")
        })?;
        // a public key's line is 56 characters of base64, a secret key's about 212
        let key_line = text.lines().map(str::trim).rfind(|l| !l.is_empty() && !l.starts_with("untrusted comment:"));
        if text.to_ascii_lowercase().contains("secret key") || key_line.is_some_and(|l| l.len() > 100) {
            return Err(Error::invalid(
                "that is a minisign SECRET key, which must never leave its owner; choose the .pub file beside it (and tell the owner that the secret key was copied)",
            ));
        }
        IssuerKey::parse(text)
    }

    /// The base64 line, as `minisign -G` writes it.
    pub fn to_base64(&self) -> String {
        self.0.to_base64()
    }

    pub fn key_id(&self) -> KeyId {
        KeyId::from_slice(self.0.keynum()).unwrap_or(KeyId([0; 8]))
    }

    /// Checks `signature` (the text of a `.minisig` file) over `data`.
    pub fn verify(&self, data: &[u8], signature: &str) -> Result<()> {
        let sig = parse_signature(signature)?;
        if signature_key_id(signature)? != self.key_id() {
            return Err(bad_signature("it was made with another key"));
        }
        minisign::verify(&self.0, &sig, Cursor::new(data), true, false, false)
            .map_err(|_| bad_signature("the manifest or its signature was changed after signing"))
    }
}

impl fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IssuerKey({})", self.key_id())
    }
}

fn parse_signature(text: &str) -> Result<SignatureBox> {
    SignatureBox::from_string(text).map_err(|_| bad_signature("the signature file is malformed"))
}

/// The key id a `.minisig` text claims to be signed with.
pub fn signature_key_id(text: &str) -> Result<KeyId> {
    let sig = parse_signature(text)?;
    KeyId::from_slice(sig.keynum()).ok_or_else(|| bad_signature("the signature file is malformed"))
}

fn bad_signature(why: &str) -> Error {
    Error::new(
        ErrorKind::Damaged,
        format!("the bundle's signature is not valid: {why}; do not trust this file, ask the sender for a new copy"),
    )
}

/// A producer's secret signing key.
pub struct SigningKey {
    secret: SecretKey,
    public: PublicKey,
}

impl SigningKey {
    /// A new random key.
    pub fn generate() -> Result<SigningKey> {
        let pair = KeyPair::generate_unencrypted_keypair()
            .map_err(|e| Error::internal(format!("could not make a signing key: {e}")))?;
        Ok(SigningKey { secret: pair.sk, public: pair.pk })
    }

    /// Reads the unencrypted minisign secret-key text made by [`to_secret_text`](Self::to_secret_text).
    pub fn from_secret_text(text: &str) -> Result<SigningKey> {
        let invalid = || Error::invalid("that is not an unencrypted minisign secret key");
        let secret = SecretKeyBox::from_string(text)
            .and_then(SecretKeyBox::into_unencrypted_secret_key)
            .map_err(|_| invalid())?;
        let public = PublicKey::from_secret_key(&secret).map_err(|_| invalid())?;
        Ok(SigningKey { secret, public })
    }

    /// The standard minisign secret-key text (unencrypted: keep it only in the vault).
    pub fn to_secret_text(&self) -> Result<Zeroizing<String>> {
        self.secret
            .to_box(Some("packplan signing key"))
            .map(|b| Zeroizing::new(b.into_string()))
            .map_err(|e| Error::internal(format!("could not export the signing key: {e}")))
    }

    pub fn public_key(&self) -> IssuerKey {
        IssuerKey(self.public.clone())
    }

    /// The public key as a `.pub` file, for `minisign -V -p`.
    pub fn public_key_file(&self) -> Result<String> {
        self.public
            .to_box()
            .map(PublicKeyBox::into_string)
            .map_err(|e| Error::internal(format!("could not export the public key: {e}")))
    }

    pub fn key_id(&self) -> KeyId {
        self.public_key().key_id()
    }

    /// Signs `data`; the text of a `.minisig` file. The trusted comment is signed too.
    pub fn sign(&self, data: &[u8], trusted_comment: &str) -> Result<String> {
        minisign::sign(
            Some(&self.public),
            &self.secret,
            Cursor::new(data),
            Some(trusted_comment),
            Some("packplan bundle manifest"),
        )
        .map(SignatureBox::into_string)
        .map_err(|e| Error::internal(format!("could not sign the manifest: {e}")))
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({}, secret redacted)", self.key_id())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_pub_file_is_read_and_a_secret_key_picked_by_mistake_is_refused_by_name() {
        let key = super::SigningKey::generate().unwrap();
        let file = key.public_key_file().unwrap();
        let read = super::IssuerKey::from_public_key_file(file.as_bytes()).unwrap();
        assert_eq!(read.key_id(), key.public_key().key_id());
        let secret = key.to_secret_text().unwrap();
        let e = super::IssuerKey::from_public_key_file(secret.as_bytes()).err().unwrap();
        assert!(e.message().starts_with("that is a minisign SECRET key"), "{e}");
        let e = super::IssuerKey::from_public_key_file(&[0xff, 0xfe, 0]).err().unwrap();
        assert!(e.message().contains("not text"), "{e}");
    }

    use super::*;

    #[test]
    fn sign_and_verify_round_trip_and_detect_changes() {
        let key = SigningKey::generate().unwrap();
        let sig = key.sign(b"manifest bytes", "bundle b1 seq 1").unwrap();
        key.public_key().verify(b"manifest bytes", &sig).unwrap();
        let e = key.public_key().verify(b"manifest bytez", &sig).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Damaged);
        let other = SigningKey::generate().unwrap();
        assert!(other.public_key().verify(b"manifest bytes", &sig).unwrap_err().to_string().contains("another key"));
    }

    #[test]
    fn keys_survive_their_text_forms_and_never_print_secrets() {
        let key = SigningKey::generate().unwrap();
        let text = key.to_secret_text().unwrap();
        let again = SigningKey::from_secret_text(&text).unwrap();
        assert_eq!(again.key_id(), key.key_id());
        let public = IssuerKey::parse(&key.public_key_file().unwrap()).unwrap();
        assert_eq!(public.key_id(), key.key_id());
        assert_eq!(KeyId::parse(&key.key_id().to_string()), Some(key.key_id()));
        assert!(format!("{key:?}").contains("redacted"));
        assert!(!format!("{key:?}").contains(text.lines().last().unwrap()));
    }
}
