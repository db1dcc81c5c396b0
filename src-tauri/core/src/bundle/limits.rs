//! The limits checked before any work is done on a bundle, so a hostile file
//! cannot exhaust memory, disk or time, and reading a bundle file within them.
//! Defaults are documented in docs/bundle-format.md; every one can be lowered,
//! and raised only deliberately.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

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

/// The largest age header accepted (recipient stanzas and MAC), checked before it is parsed.
pub const MAX_HEADER_BYTES: u64 = 64 << 10;

/// What a picked file is meant to be, for the messages that refuse it.
pub struct Expected {
    /// "bundle", "workbook", "public key".
    pub what: &'static str,
    /// What to choose instead: "the .ppb or .age file itself".
    pub choose: &'static str,
    /// What to do with a file above the limit.
    pub when_too_large: &'static str,
}

pub const BUNDLE_FILE: Expected =
    Expected { what: "bundle", choose: "the .ppb or .age file itself", when_too_large: "ask the sender to split it" };
pub const WORKBOOK_FILE: Expected = Expected {
    what: "workbook",
    choose: "the .xlsx, .xlsm, .xls or .ods file itself",
    when_too_large: "split it into several workbooks, or import a folder of CSV files",
};
pub const PUBLIC_KEY_FILE: Expected = Expected {
    what: "public key",
    choose: "the issuer's .pub file",
    when_too_large: "a .pub file is two short lines: choose the issuer's .pub file",
};

/// Reads a bundle file within `limits`: see [`read_expected`].
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_file() && meta.len() > limits.max_file_bytes {
            return Err(too_large(meta.len(), limits));
        }
    }
    read_expected(path, limits.max_file_bytes, &BUNDLE_FILE)
}

/// Reads a file the user picked: opened once without blocking, it must be a regular
/// file (not a folder, device, pipe or socket), and is read through `max_bytes`, so
/// a link to `/dev/zero` or a growing file cannot exhaust memory.
pub fn read_expected(path: &Path, max_bytes: u64, expected: &Expected) -> Result<Vec<u8>> {
    let what = expected.what;
    let not_regular = |kind: &str| {
        Error::invalid(format!("{} is {kind}, not a {what} file; choose {}", path.display(), expected.choose))
    };
    let doing = |verb: &str| format!("{verb} the {what}");
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(|e| Error::io(&doing("open"), path, e))?;
    let meta = file.metadata().map_err(|e| Error::io(&doing("read"), path, e))?;
    if meta.is_dir() {
        return Err(not_regular("a folder"));
    }
    if !meta.is_file() {
        return Err(not_regular("a device, pipe or socket"));
    }
    let too_big = |size: u64| {
        Error::invalid(format!(
            "the file is {}, larger than the limit of {} for a {what}; {}",
            bytes(size),
            bytes(max_bytes),
            expected.when_too_large
        ))
    };
    if meta.len() > max_bytes {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes + 1).read_to_end(&mut bytes).map_err(|e| Error::io(&doing("read"), path, e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The refusal of a file above the size limit.
pub(crate) fn too_large(size: u64, limits: &Limits) -> Error {
    Error::invalid(format!(
        "the file is {}, larger than the limit of {} for a bundle; ask the sender to split it",
        bytes(size),
        bytes(limits.max_file_bytes)
    ))
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
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("b.ppb");
        std::fs::write(&ok, vec![7u8; 100]).unwrap();
        assert_eq!(read_file(&ok, &Limits::default()).unwrap().len(), 100);
        let small = Limits { max_file_bytes: 99, ..Limits::default() };
        assert!(read_file(&ok, &small).unwrap_err().message().contains("larger than the limit of 99 bytes"));
        assert!(read_file(dir.path(), &Limits::default()).unwrap_err().message().contains("a folder"));
        #[cfg(unix)]
        {
            let zero = dir.path().join("zero.ppb");
            std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
            assert!(read_file(&zero, &Limits::default()).unwrap_err().message().contains("a device, pipe or socket"));
        }
    }

    #[test]
    fn byte_counts_read_well() {
        assert_eq!(bytes(512 << 20), "512 MiB");
        assert_eq!(bytes(1 << 30), "1 GiB");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(12), "12 bytes");
    }
}
