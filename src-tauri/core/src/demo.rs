//! The public demo data, shipped inside Packplan: `assets/demo/demo.ppb`, built
//! from the CSV sources in `assets/demo` by `scripts/build-demo.sh`, signed by the
//! DEMO ONLY issuer key and encrypted to the DEMO ONLY identity (both published in
//! `assets/demo/keys`).
//!
//! Loading it takes the normal import path, with one difference: the DEMO ONLY
//! key's secret is public, so no vault ever trusts it (`bundle::published`). The
//! demo bundle is recognised by its SHA-256, compiled into the binary
//! ([`SHA256`]), and only that file is imported with a one-off trust in the demo
//! key that is never stored. Any other file signed with that key is refused.

use crate::bundle::container::SignaturePolicy;
use crate::bundle::envelope::parse_identities;
use crate::bundle::limits::Limits;
use crate::bundle::manifest::sha256_hex;
use crate::bundle::published::DEMO_ISSUER_KEY;
use crate::bundle::IssuerKey;
use crate::dataset::import::{self, BundleKey, ImportReceipt};
use crate::progress::{CancelToken, Progress};
use crate::vault::Vault;
use crate::{Error, ErrorKind, Result};

/// The demo bundle.
pub const BUNDLE: &[u8] = include_bytes!("../../../assets/demo/demo.ppb");
/// The SHA-256 of the one demo bundle this build imports with the demo key's one-off
/// trust. `scripts/build-demo.sh` prints the new value when the demo is rebuilt; the
/// test `the_shipped_demo_is_the_one_this_build_trusts` fails until it is updated.
pub const SHA256: &str = "0cf89476c2bd4a1a6b1e4ce580b67f08137d47e6bd4ecf8699468dec0f05c302";
/// The DEMO ONLY identity the bundle is encrypted to.
const IDENTITY: &str = include_str!("../../../assets/demo/keys/demo-identity.txt");
/// The DEMO ONLY issuer's public key.
pub const ISSUER_KEY: &str = DEMO_ISSUER_KEY;
/// The name the demo's dataset records as its issuer.
pub const ISSUER_NAME: &str = "Packplan demo (DEMO ONLY)";
/// The marking every chart of demo data carries.
pub const MARKING: &str = "ILLUSTRATIVE: PUBLIC ESTIMATES";

/// Imports the demo data into `vault` through the normal pipeline.
pub fn load(vault: &mut Vault, actor: &str, progress: &dyn Progress, cancel: &CancelToken) -> Result<ImportReceipt> {
    if sha256_hex(BUNDLE) != SHA256 {
        return Err(Error::internal(
            "the demo bundle built into this Packplan is not the one it was made with; reinstall Packplan",
        ));
    }
    let issuer = IssuerKey::parse(ISSUER_KEY)?;
    let key_id = issuer.key_id().to_string();
    let demo_present =
        vault.read(crate::dataset::list)?.iter().any(|d| d.signer_key_id.as_deref() == Some(key_id.as_str()));
    if demo_present {
        return Err(Error::new(
            ErrorKind::AlreadyExists,
            "the demo data is already in this vault; remove its dataset first (`packplan dataset list`) to load it again",
        ));
    }
    let identities = parse_identities(IDENTITY)?;
    let key = BundleKey::Identities(&identities);
    let keys = import::demo_keys(vault, ISSUER_NAME, issuer);
    let policy = SignaturePolicy { allow_unsigned: false, allow_unknown_signer: false };
    let opened = import::open(BUNDLE, &keys, &key, policy, &Limits::default(), progress, cancel)?;
    let staged = import::stage_opened(vault, opened, progress, cancel)?;
    import::apply(vault, staged, actor, progress, cancel)
}
