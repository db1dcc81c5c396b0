//! `packplan verify-release DIR [--key FILE]`: checks a release folder (its signed
//! `SHA256SUMS` and every file) before anything from it is installed. The checks are
//! `packplan_core::release`; this only reads the arguments and prints the result.

use std::path::PathBuf;

use clap::Args;
use packplan_core::release::{self, ReleaseKey};
use packplan_core::Result;

use super::output::Output;

#[derive(Debug, Args)]
pub struct VerifyReleaseArgs {
    /// The release folder: the packages, SHA256SUMS and SHA256SUMS.minisig
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Check the signature with this minisign public key (.pub) instead of the Packplan release key
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
}

pub fn verify(args: VerifyReleaseArgs, out: &Output) -> Result<()> {
    let key = ReleaseKey::from_file_or_built_in(args.key.as_deref())?;
    let verified = release::verify(&args.dir, &key)?;
    out.value(&verified, |v| {
        let signer = if v.release_key { "the Packplan release key" } else { "the key given with --key" };
        let width = v.files.iter().map(|f| f.name.len()).max().unwrap_or(0);
        let mut text = format!(
            "{} is a complete release: {} is signed by {signer} ({}), and every file matches it:",
            v.dir.display(),
            release::SUMS_NAME,
            v.key_id
        );
        for f in &v.files {
            text.push_str(&format!("\n  ok  {:width$}  {:>12} bytes  sha256 {}", f.name, f.bytes, f.sha256));
        }
        text.push_str("\nInstall from it as docs/install.md describes.");
        text
    })
}
