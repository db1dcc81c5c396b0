//! The user's passphrase: a secret that wipes itself and cannot be printed, and
//! a plain-words hint of its strength for the first-run screen.

use std::fmt;

use age::secrecy::{ExposeSecret, SecretString};

use crate::{Error, Result};

/// The shortest passphrase accepted.
pub const MIN_LENGTH: usize = 10;

/// A passphrase typed by the user.
pub struct Passphrase(SecretString);

impl Passphrase {
    pub fn new(text: String) -> Passphrase {
        Passphrase(SecretString::from(text))
    }

    pub(crate) fn secret(&self) -> &SecretString {
        &self.0
    }

    /// Refuses a passphrase too weak to protect NDA data.
    pub fn check_strength(&self) -> Result<()> {
        require_strong(&self.0, "the passphrase")
    }
}

/// Refuses `secret` when it is too weak to protect NDA data; `what` names it in the
/// message ("the passphrase", "the bundle's passphrase"). The vault's passphrase and a
/// bundle's share one rule.
pub fn require_strong(secret: &SecretString, what: &str) -> Result<()> {
    let hint = strength(secret.expose_secret());
    if hint.acceptable {
        Ok(())
    } else {
        Err(Error::invalid(format!("{what} is too weak: {}", hint.advice)))
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(redacted)")
    }
}

/// How strong a passphrase looks, in words the user can act on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StrengthHint {
    /// 0 (very weak) to 4 (strong).
    pub score: u8,
    pub acceptable: bool,
    pub advice: String,
}

/// Estimates strength from length and variety (a rough entropy estimate, not a
/// dictionary check: the advice favours several random words).
pub fn strength(text: &str) -> StrengthHint {
    let chars: Vec<char> = text.chars().collect();
    // The alphabet an attacker must try: the sum of the classes used.
    let pool: f64 = [
        (chars.iter().any(|c| c.is_lowercase()), 26.0),
        (chars.iter().any(|c| c.is_uppercase()), 26.0),
        (chars.iter().any(|c| c.is_ascii_digit()), 10.0),
        (chars.iter().any(|c| !c.is_alphanumeric()), 20.0),
    ]
    .iter()
    .filter(|(used, _)| *used)
    .map(|(_, size)| size)
    .sum::<f64>()
    .max(2.0);
    // Repetition earns little: full credit needs at least 12 distinct characters.
    let distinct = {
        let mut d = chars.clone();
        d.sort_unstable();
        d.dedup();
        d.len()
    };
    let variety = (distinct as f64 / chars.len().clamp(1, 12) as f64).min(1.0);
    let bits = chars.len() as f64 * pool.log2() * variety;
    let score = match bits as u32 {
        0..=39 => 0,
        40..=54 => 1,
        55..=69 => 2,
        70..=89 => 3,
        _ => 4,
    };
    let acceptable = chars.len() >= MIN_LENGTH && score >= 2;
    let advice = if chars.len() < MIN_LENGTH {
        format!("use at least {MIN_LENGTH} characters; four or five random words are easy to type and hard to guess")
    } else if score < 2 {
        "add more words or characters; four or five random words are easy to type and hard to guess".into()
    } else if score < 4 {
        "acceptable; a longer passphrase would be stronger".into()
    } else {
        "strong".into()
    };
    StrengthHint { score, acceptable, advice }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_rank_passphrases() {
        assert!(!strength("short").acceptable);
        assert!(!strength("aaaaaaaaaaaa").acceptable);
        assert!(strength("orbit lantern quietly harbour").acceptable);
        assert_eq!(strength("orbit lantern quietly harbour").score, 4);
        assert!(Passphrase::new("abc".into()).check_strength().unwrap_err().to_string().contains("at least 10"));
        assert_eq!(format!("{:?}", Passphrase::new("secret words".into())), "Passphrase(redacted)");
    }
}
