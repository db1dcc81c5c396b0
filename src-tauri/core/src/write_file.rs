//! Writing a file so that a crash, a full disk or a pulled USB stick never leaves
//! half of it: the bytes go to a temporary file in the same folder (readable by its
//! owner only), are synced, and only then take the file's name, with the folder
//! synced after. Every file Packplan writes goes through [`write_file`]: exports the
//! user asked for (bundles, charts, model inputs, keys) and the vault's own small
//! files (key slots, the anchor, vault.json).
//!
//! The crash tests stop a write at `<file name>.temp-written` and `<file name>.renamed`
//! (`crate::testpoint`).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{Error, ErrorKind, Result};

/// What to do when the file already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse, and leave it as it is (an export named on the command line).
    Refuse,
    /// Replace it (a file the user chose in a save dialog that asked; the vault's own files).
    Replace,
}

/// Writes `bytes` to `path` atomically; see the module documentation.
pub fn write_file(path: &Path, bytes: &[u8], existing: Existing) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if existing == Existing::Refuse && path.exists() {
        return Err(already_exists(path));
    }
    let tmp = temporary(path);
    let written = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp).map_err(|e| Error::io("write", &tmp, e))?;
        file.write_all(bytes).and_then(|_| file.sync_all()).map_err(|e| Error::io("write", &tmp, e))
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    crate::testpoint::crash(&format!("{name}.temp-written"));
    let placed = match existing {
        Existing::Replace => std::fs::rename(&tmp, path).map_err(|e| Error::io("replace", path, e)),
        Existing::Refuse => place_new(&tmp, path),
    };
    if placed.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    placed?;
    crate::testpoint::crash(&format!("{name}.renamed"));
    sync_dir(dir)
}

/// Writes several new files into `dir`, all or none: refused (nothing written) when
/// any of the names is taken; if one write fails (a full or read-only disk), the files
/// already written are removed, so the folder is left as it was.
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let taken: Vec<&str> = files.iter().filter(|(name, _)| dir.join(name).exists()).map(|(n, _)| n.as_str()).collect();
    if let Some(first) = taken.first() {
        return Err(Error::new(
            ErrorKind::AlreadyExists,
            format!(
                "{} already holds {first}{}; nothing was written. Choose an empty folder, or move those files first",
                dir.display(),
                match taken.len() {
                    1 => String::new(),
                    n => format!(" and {} more files of the same names", n - 1),
                }
            ),
        ));
    }
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Err(e) = write_file(&path, bytes, Existing::Refuse) {
            for done in &written {
                let _ = std::fs::remove_file(done);
            }
            return Err(Error::new(e.kind(), format!("{}; nothing was written", e.message())));
        }
        written.push(path);
    }
    Ok(())
}

/// Gives `tmp` the name `path` only if no file has it: a hard link fails if the name
/// was taken meanwhile. File systems without links (FAT on removable media) fall back
/// to a check and a rename.
fn place_new(tmp: &Path, path: &Path) -> Result<()> {
    match std::fs::hard_link(tmp, path) {
        Ok(()) => std::fs::remove_file(tmp).map_err(|e| Error::io("tidy up after writing", tmp, e)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(already_exists(path)),
        Err(_) if !path.exists() => std::fs::rename(tmp, path).map_err(|e| Error::io("write", path, e)),
        Err(_) => Err(already_exists(path)),
    }
}

fn already_exists(path: &Path) -> Error {
    Error::new(
        ErrorKind::AlreadyExists,
        format!("{} already exists; choose another name, or remove it first", path.display()),
    )
}

/// The temporary file [`write_file`] writes before it takes `path`'s name.
pub fn temporary(path: &Path) -> PathBuf {
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
    fn replaces_or_refuses_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("slot.age");
        write_file(&path, b"one", Existing::Replace).unwrap();
        write_file(&path, b"two", Existing::Replace).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let e = write_file(&path, b"three", Existing::Refuse).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        write_file(&dir.path().join("new.ppb"), b"bundle", Existing::Refuse).unwrap();
        let names: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }

    #[test]
    fn several_files_are_written_all_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![("a.png".to_string(), b"a".to_vec()), ("b.svg".to_string(), b"b".to_vec())];
        std::fs::write(dir.path().join("b.svg"), b"mine").unwrap();
        let e = write_all(dir.path(), &files).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::AlreadyExists);
        assert!(e.message().contains("b.svg"), "{e}");
        assert!(!dir.path().join("a.png").exists(), "nothing written");
        assert_eq!(std::fs::read(dir.path().join("b.svg")).unwrap(), b"mine");
        std::fs::remove_file(dir.path().join("b.svg")).unwrap();
        write_all(dir.path(), &files).unwrap();
        assert_eq!(std::fs::read(dir.path().join("b.svg")).unwrap(), b"b");
    }

    #[test]
    fn a_write_that_fails_midway_takes_back_the_files_before_it() {
        // the second file cannot be written (as on a full or read-only disk)
        let dir = tempfile::tempdir().unwrap();
        let files = vec![("a.png".to_string(), b"a".to_vec()), ("gone/b.svg".to_string(), b"b".to_vec())];
        let e = write_all(dir.path(), &files).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Io, "{e}");
        assert!(e.message().ends_with("nothing was written"), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "the first file was taken back");
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_file(&dir.path().join("missing/folder/x.csv"), b"data", Existing::Replace).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Io, "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
