//! The limits checked before any work is done on a bundle, so a hostile file
//! cannot exhaust memory, disk or time. Defaults are documented in
//! docs/bundle-format.md; every one can be lowered, and raised only deliberately.

use serde::{Deserialize, Serialize};

/// Bounds on what a bundle may cost to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// The largest bundle file accepted, in bytes.
    pub max_file_bytes: u64,
    /// The largest scrypt work factor (log2 N) a passphrase bundle may ask for.
    /// 20 means about 1 GiB of memory and a few seconds.
    pub max_work_factor: u8,
    /// The most files the archive may hold.
    pub max_entries: usize,
    /// The largest single file in the archive, in bytes.
    pub max_entry_bytes: u64,
    /// The largest total of all files in the archive (the plaintext), in bytes.
    pub max_total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1 << 30,
            max_work_factor: 20,
            max_entries: 64,
            max_entry_bytes: 512 << 20,
            max_total_bytes: 1 << 30,
        }
    }
}

/// A byte count in words ("512 MiB").
pub(crate) fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} bytes")
    } else if value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_read_well() {
        assert_eq!(bytes(512 << 20), "512 MiB");
        assert_eq!(bytes(1 << 30), "1 GiB");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(12), "12 bytes");
    }
}
