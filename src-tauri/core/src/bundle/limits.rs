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

/// Reads the bundle file at `path`, refusing anything but a regular file and never
/// reading more than `limits.max_file_bytes` (plus one byte, to tell it is larger).
///
/// The file is opened once, without blocking (a named pipe on the media would
/// otherwise hang the open), and checked on the open handle, so a symbolic link to
/// `/dev/zero`, a device or a pipe is refused before a byte is read, and a file that
/// grows while it is read stops at the limit.
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let not_regular = |what: &str| {
        Error::invalid(format!("{} is {what}, not a bundle file; choose the .ppb or .age file itself", path.display()))
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(|e| Error::io("open the bundle", path, e))?;
    let meta = file.metadata().map_err(|e| Error::io("read the bundle", path, e))?;
    if meta.is_dir() {
        return Err(not_regular("a folder"));
    }
    if !meta.is_file() {
        return Err(not_regular("a device, pipe or socket"));
    }
    if meta.len() > limits.max_file_bytes {
        return Err(too_large(meta.len(), limits));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limits.max_file_bytes + 1).read_to_end(&mut bytes).map_err(|e| Error::io("read the bundle", path, e))?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(too_large(bytes.len() as u64, limits));
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
