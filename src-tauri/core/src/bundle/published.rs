//! Signing keys whose secret half is public, and so prove nothing.
//!
//! The DEMO ONLY issuer key signs the demo bundle that ships with Packplan; its
//! secret key is in the repository (`assets/demo/keys`) so anyone can rebuild the
//! demo. A bundle signed with it could come from anyone, so no vault ever trusts
//! it: the trusted issuers never hold it (a vault that does loses it at unlock,
//! audited), `issuers add` refuses it, and an import refuses a bundle signed with
//! it, even as an unknown signer. The demo itself is recognised by its digest,
//! compiled into the binary, and imported with a trust that is never stored
//! (`crate::demo`).

use super::signing::{IssuerKey, KeyId};
use crate::{Error, ErrorKind, Result};

/// The DEMO ONLY issuer's public key (minisign `.pub` file).
pub const DEMO_ISSUER_KEY: &str = include_str!("../../../../assets/demo/keys/demo-issuer.key.pub");

/// The key ids of every published key.
pub fn key_ids() -> Vec<KeyId> {
    IssuerKey::parse(DEMO_ISSUER_KEY).map(|k| vec![k.key_id()]).unwrap_or_default()
}

/// True when `key_id` belongs to a key whose secret is public.
pub fn is_published(key_id: &KeyId) -> bool {
    key_ids().contains(key_id)
}

/// The refusal for anything signed with, or asking to trust, a published key.
pub fn refusal(key_id: &KeyId) -> Error {
    Error::new(
        ErrorKind::Invalid,
        format!(
            "the key {key_id} is Packplan's DEMO ONLY key, whose secret is published with Packplan, so anyone can sign with it; \
             it proves nothing and is never trusted. Nothing was changed. Ask the sender to sign with their own key (`packplan bundle keygen`)"
        ),
    )
}

/// Refuses a published key.
pub fn refuse(key_id: &KeyId) -> Result<()> {
    if is_published(key_id) {
        return Err(refusal(key_id));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_key_is_published_and_others_are_not() {
        let demo = IssuerKey::parse(DEMO_ISSUER_KEY).unwrap().key_id();
        assert!(is_published(&demo));
        assert!(refuse(&demo).unwrap_err().message().contains("DEMO ONLY"));
        let other = super::super::SigningKey::generate().unwrap().key_id();
        assert!(!is_published(&other));
        refuse(&other).unwrap();
    }
}
