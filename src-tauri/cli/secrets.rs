//! Reading secrets for the command line: passphrases and age identities from files.
//! A passphrase file's first line is the passphrase; nothing else is read.

use std::path::Path;

use packplan_core::bundle::envelope;
use packplan_core::bundle::secrecy::SecretString;
use packplan_core::vault::{Passphrase, RecoveryCode};
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

/// Where a vault passphrase comes from, most safe first: a file named on the command
/// line, a no-echo prompt on the terminal, or (least safe, for scripts) a variable.
pub struct PassphraseSource<'a> {
    /// `--passphrase-file FILE` (or `--new-passphrase-file` for `vault passwd`).
    pub file: Option<&'a Path>,
    /// The variable scripts may set: `PACKPLAN_PASSPHRASE` or `PACKPLAN_NEW_PASSPHRASE`.
    pub variable: &'static str,
    /// The prompt shown on the terminal.
    pub prompt: &'static str,
    /// Ask twice on a terminal (a new passphrase).
    pub confirm: bool,
}

impl PassphraseSource<'_> {
    pub fn read(&self) -> Result<Passphrase> {
        use packplan_core::bundle::secrecy::ExposeSecret;
        if let Some(file) = self.file {
            return Ok(Passphrase::new(from_file(file)?.expose_secret().to_owned()));
        }
        if let Ok(value) = std::env::var(self.variable) {
            if !value.is_empty() {
                return Ok(Passphrase::new(value));
            }
        }
        let no_terminal = |_| {
            Error::invalid(format!(
                "no passphrase given and no terminal to ask on; use --passphrase-file FILE, or set {} (least safe)",
                self.variable
            ))
        };
        let first = Zeroizing::new(rpassword::prompt_password(self.prompt).map_err(no_terminal)?);
        if self.confirm {
            let again = Zeroizing::new(rpassword::prompt_password("Type it again: ").map_err(no_terminal)?);
            if *again != *first {
                return Err(Error::invalid("the two passphrases differ; nothing was changed. Run the command again"));
            }
        }
        Ok(Passphrase::new(first.to_string()))
    }
}

/// A recovery code read from the first line of `path`.
pub fn recovery_code_from_file(path: &Path) -> Result<RecoveryCode> {
    use packplan_core::bundle::secrecy::ExposeSecret;
    RecoveryCode::parse(from_file(path)?.expose_secret())
}
