//! The public demo data, shipped inside Packplan: `assets/demo/demo.ppb`, built
//! from the CSV sources in `assets/demo` by `scripts/build-demo.sh`, signed by the
//! DEMO ONLY issuer key and encrypted to the DEMO ONLY identity (both published in
//! `assets/demo/keys`).
//!
//! Loading it takes the normal import path, with no back door: the demo issuer is
//! added to the vault's trusted issuers (visibly, audited, named as demo), then
//! the bundle is staged and applied like any other.

use crate::bundle::container::SignaturePolicy;
use crate::bundle::envelope::parse_identities;
use crate::bundle::limits::Limits;
use crate::dataset::import::{self, BundleKey, ImportReceipt};
use crate::progress::{CancelToken, Progress};
use crate::vault::keys;
use crate::vault::{Change, Vault};
use crate::{Error, ErrorKind, Result};

/// The demo bundle.
pub const BUNDLE: &[u8] = include_bytes!("../../../assets/demo/demo.ppb");
/// The DEMO ONLY identity the bundle is encrypted to.
const IDENTITY: &str = include_str!("../../../assets/demo/keys/demo-identity.txt");
/// The DEMO ONLY issuer's public key.
pub const ISSUER_KEY: &str = include_str!("../../../assets/demo/keys/demo-issuer.key.pub");
/// The name the demo issuer gets among the trusted issuers.
pub const ISSUER_NAME: &str = "Packplan demo (DEMO ONLY)";
/// The marking every chart of demo data carries.
pub const MARKING: &str = "ILLUSTRATIVE: PUBLIC ESTIMATES";

/// Imports the demo data into `vault` through the normal pipeline.
pub fn load(vault: &mut Vault, actor: &str, progress: &dyn Progress, cancel: &CancelToken) -> Result<ImportReceipt> {
    let key = crate::bundle::signing::IssuerKey::parse(ISSUER_KEY)?;
    let key_id = key.key_id().to_string();
    let issuers = vault.read(keys::list_issuers)?;
    let known = issuers.iter().find(|i| i.key_id == key_id);
    let demo_present =
        vault.read(crate::dataset::list)?.iter().any(|d| d.signer_key_id.as_deref() == Some(key_id.as_str()));
    if demo_present {
        return Err(Error::new(
            ErrorKind::AlreadyExists,
            "the demo data is already in this vault; remove its dataset first (`packplan dataset list`) to load it again",
        ));
    }
    if let Some(issuer) = known {
        if issuer.last_seq > 0 {
            // the demo was loaded and removed before: trusting the key afresh resets its ratchet
            let name = issuer.name.clone();
            vault.write(
                Change::new(actor, "issuer.remove", &name, serde_json::json!({ "reason": "reloading the demo" })),
                |tx| keys::remove_issuer(tx, &name),
            )?;
        }
    }
    if vault.read(keys::list_issuers)?.iter().all(|i| i.key_id != key_id) {
        vault.write(Change::new(actor, "issuer.add", ISSUER_NAME, serde_json::json!({ "demo": true })), |tx| {
            keys::add_issuer(tx, ISSUER_NAME, ISSUER_KEY)
        })?;
    }
    let identities = parse_identities(IDENTITY)?;
    let policy = SignaturePolicy { allow_unsigned: false, allow_unknown_signer: false };
    let staged = import::stage(
        vault,
        BUNDLE,
        &BundleKey::Identities(&identities),
        policy,
        &Limits::default(),
        progress,
        cancel,
    )?;
    import::apply(vault, staged, actor, progress, cancel)
}
