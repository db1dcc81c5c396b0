//! Reading secrets for the command line: passphrases and age identities from files.
//! A passphrase file's first line is the passphrase; nothing else is read.

use std::path::Path;

use packplan_core::bundle::envelope;
use packplan_core::bundle::secrecy::SecretString;
use packplan_core::{Error, Result};
use zeroize::Zeroizing;

/// The first line of `path`, as a secret.
pub fn from_file(path: &Path) -> Result<SecretString> {
    let text =
        Zeroizing::new(std::fs::read_to_string(path).map_err(|e| Error::io("read the passphrase file", path, e))?);
    let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if line.is_empty() {
        return Err(Error::invalid(format!("{} is empty; put the passphrase on its first line", path.display())));
    }
    Ok(SecretString::from(line.to_owned()))
}

/// The age identities (AGE-SECRET-KEY-1...) in `path`.
pub fn identities_from_file(path: &Path) -> Result<Vec<envelope::Identity>> {
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| Error::io("read the identity file", path, e))?);
    envelope::parse_identities(&text).map_err(|e| Error::invalid(format!("{}: {e}", path.display())))
}
