//! Writing small files so that a crash leaves either the old or the new content,
//! never a mix: a temporary file in the same folder, fsync, rename, fsync the folder.
//! The crash tests stop a write at `<file name>.temp-written` and `<file name>.renamed`
//! (`crate::testpoint`).

use std::io::Write;
use std::path::Path;

use crate::{Error, Result};

/// Replaces (or creates) `path` with `bytes`, atomically; the file is readable by its owner only.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().ok_or_else(|| Error::internal(format!("{} has no folder", path.display())))?;
    let tmp = temporary(path);
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp).map_err(|e| Error::io("write", &tmp, e))?;
        file.write_all(bytes).and_then(|_| file.sync_all()).map_err(|e| Error::io("write", &tmp, e))?;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    crate::testpoint::crash(&format!("{name}.temp-written"));
    std::fs::rename(&tmp, path).map_err(|e| Error::io("replace", path, e))?;
    crate::testpoint::crash(&format!("{name}.renamed"));
    sync_dir(dir)
}

/// The temporary file [`write_atomically`] writes before renaming it over `path`.
fn temporary(path: &Path) -> std::path::PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    path.with_file_name(format!(".{name}.tmp"))
}

/// Removes what a write of `path` interrupted by a crash left behind (the temporary file).
pub fn remove_leftover(path: &Path) -> Result<()> {
    let tmp = temporary(path);
    match std::fs::remove_file(&tmp) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("remove the left-over", &tmp, e)),
    }
}

/// Makes a rename or a new file in `dir` durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io("sync the folder", dir, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("slot.age");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
