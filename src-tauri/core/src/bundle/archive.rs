//! The archive inside a bundle: a tar of regular files only, as the standard tools
//! write it: POSIX ustar (what Packplan writes), GNU tar's default format, and PAX
//! (Python's `tarfile`, bsdtar, `tar --format=pax`).
//!
//! Reading is strict and happens in memory: every entry must be a regular file with
//! an allowed name (a leading `./` is dropped, and a bare `./` folder entry, the
//! archive's root, is skipped). Links, devices, folders with content, absolute
//! paths, `..`, GNU long names and duplicates are refused, not skipped. PAX
//! records are read, never trusted: only times, owners and the `path` and `size`
//! of the next file are allowed, and `path` and `size` must say what the file's own
//! header says, so no record can make this reader see another archive than other
//! tools do. The limits on count and size are checked before each entry is read.

use std::collections::BTreeSet;

use tar::{Archive, Builder, EntryType, Header};
use zeroize::Zeroizing;

use super::limits::{bytes, Limits};
use super::manifest::{MANIFEST_NAME, SIGNATURE_NAME};
use crate::{Error, ErrorKind, Result};

/// One file taken out of the archive; its bytes are wiped when dropped.
pub struct ArchiveFile {
    pub name: String,
    pub bytes: Zeroizing<Vec<u8>>,
}

/// True for names a bundle may hold: the manifest, its signature, and data files
/// named `lowercase_words.csv` or `.json`.
pub fn allowed_name(name: &str) -> bool {
    if name == MANIFEST_NAME || name == SIGNATURE_NAME {
        return true;
    }
    let Some((stem, ext)) = name.rsplit_once('.') else { return false };
    matches!(ext, "csv" | "json")
        && (1..=64).contains(&stem.len())
        && stem.starts_with(|c: char| c.is_ascii_lowercase())
        && stem.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Writes `files` (name, bytes) as a ustar archive with fixed metadata
/// (mode 0644, owner 0, time 0), so the same content gives the same bytes.
pub fn write(files: &[(&str, &[u8])]) -> Result<Vec<u8>> {
    let fail = |e: std::io::Error| Error::internal(format!("could not write the bundle archive: {e}"));
    let mut builder = Builder::new(Vec::new());
    for (name, data) in files {
        if !allowed_name(name) {
            return Err(Error::invalid(format!(
                "{name} is not an allowed bundle file name; use lowercase letters, digits and _ with .csv or .json"
            )));
        }
        let mut header = Header::new_ustar();
        header.set_entry_type(EntryType::Regular);
        header.set_path(name).map_err(fail)?;
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(0);
        header.set_cksum();
        builder.append(&header, *data).map_err(fail)?;
    }
    builder.into_inner().map_err(fail)
}

/// Reads every file of the archive, refusing anything but allowed regular files. The
/// largest file keeps the archive's buffer rather than being copied out of it, so a
/// bundle's plaintext is not held twice.
pub fn read(mut archive: Zeroizing<Vec<u8>>, limits: &Limits) -> Result<Vec<ArchiveFile>> {
    let found = scan(&archive, limits)?;
    let largest = found.iter().enumerate().max_by_key(|(_, f)| f.data.len()).map(|(i, _)| i);
    let mut files: Vec<ArchiveFile> = Vec::with_capacity(found.len());
    let mut kept = None;
    for (i, f) in found.into_iter().enumerate() {
        if Some(i) == largest {
            kept = Some((files.len(), f));
            files.push(ArchiveFile { name: String::new(), bytes: Zeroizing::new(Vec::new()) });
        } else {
            files.push(ArchiveFile { name: f.name, bytes: Zeroizing::new(archive[f.data].to_vec()) });
        }
    }
    if let Some((at, f)) = kept {
        // the rest of the buffer is zeroed when the file is dropped (Zeroizing clears its capacity)
        archive.truncate(f.data.end);
        archive.drain(..f.data.start);
        files[at] = ArchiveFile { name: f.name, bytes: archive };
    }
    Ok(files)
}

/// A file found in the archive: its name and where its bytes lie.
struct Found {
    name: String,
    data: std::ops::Range<usize>,
}

/// Checks every entry of the archive and finds its files, refusing anything but allowed regular files.
fn scan(archive: &[u8], limits: &Limits) -> Result<Vec<Found>> {
    let mut tar = Archive::new(archive);
    let entries = tar.entries().map_err(|e| damaged(&format!("its archive cannot be read ({e})")))?;
    let mut files = Vec::new();
    let mut seen = BTreeSet::new();
    let mut total = 0u64;
    // The PAX records that describe the next entry, if any.
    let mut pax: Option<Vec<(String, String)>> = None;
    for entry in entries.raw(true) {
        let mut entry = entry.map_err(|e| damaged(&format!("its archive is corrupt ({e})")))?;
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let kind = entry.header().entry_type();
        if matches!(kind, EntryType::XHeader | EntryType::XGlobalHeader) {
            let records = pax_records(&mut entry)?;
            if kind == EntryType::XGlobalHeader {
                if let Some((key, _)) = records.iter().find(|(k, _)| k == "path" || k == "size") {
                    return Err(refused(&format!("a PAX global header that sets {key} for every file")));
                }
            } else if pax.replace(records).is_some() {
                return Err(refused("two PAX headers for one file"));
            }
            continue;
        }
        let name = raw_name.strip_prefix("./").unwrap_or(&raw_name).trim_end_matches('/').to_owned();
        if kind == EntryType::Directory && name.is_empty() {
            // `./`: the archive's root, as `tar -C folder -cf bundle.tar .` writes it
            if pax.take().is_some_and(|r| r.iter().any(|(k, _)| k == "path" || k == "size")) {
                return Err(refused("a PAX header that renames the archive's root"));
            }
            continue;
        }
        let what = match kind {
            EntryType::Regular | EntryType::Continuous => None,
            EntryType::Symlink => Some("a symbolic link"),
            EntryType::Link => Some("a hard link"),
            EntryType::Directory => Some("a folder"),
            EntryType::Char | EntryType::Block => Some("a device"),
            EntryType::Fifo => Some("a named pipe"),
            EntryType::GNULongName | EntryType::GNULongLink => Some("a GNU long-name header"),
            _ => Some("an unknown kind of entry"),
        };
        if let Some(what) = what {
            return Err(refused(&format!("{what} ({name})")));
        }
        if let Some(records) = pax.take() {
            let size = entry.header().size().map_err(|e| damaged(&format!("an entry's size is unreadable ({e})")))?;
            for (key, value) in &records {
                let agrees = match key.as_str() {
                    "path" => value.strip_prefix("./").unwrap_or(value).trim_end_matches('/') == name,
                    "size" => value.parse::<u64>().is_ok_and(|v| v == size),
                    _ => true,
                };
                if !agrees {
                    return Err(refused(&format!(
                        "a PAX record {key}={value:?} that disagrees with the file's own header ({name}, {size} bytes)"
                    )));
                }
            }
        }
        if name.starts_with('/') {
            return Err(refused(&format!("an absolute path ({name})")));
        }
        if name.split('/').any(|part| part == "..") {
            return Err(refused(&format!("a path that leaves the bundle ({name})")));
        }
        if !allowed_name(&name) {
            return Err(refused(&format!("a file with a name bundles may not use ({name})")));
        }
        if !seen.insert(name.clone()) {
            return Err(refused(&format!("the same file twice ({name})")));
        }
        if files.len() >= limits.max_entries {
            return Err(Error::invalid(format!(
                "the bundle holds more than {} files, the limit; ask the sender to split it",
                limits.max_entries
            )));
        }
        let size = entry.header().size().map_err(|e| damaged(&format!("an entry's size is unreadable ({e})")))?;
        if size > limits.max_entry_bytes {
            return Err(Error::invalid(format!(
                "{name} in the bundle is {}, above the limit of {} for one file; ask the sender to split it",
                bytes(size),
                bytes(limits.max_entry_bytes)
            )));
        }
        total += size;
        if total > limits.max_total_bytes {
            return Err(Error::invalid(format!(
                "the bundle's files add up to more than {}, the limit; ask the sender to split it",
                bytes(limits.max_total_bytes)
            )));
        }
        let start = entry.raw_file_position();
        let data = usize::try_from(start)
            .ok()
            .zip(usize::try_from(size).ok())
            .and_then(|(start, size)| Some(start..start.checked_add(size)?))
            .filter(|data| data.end <= archive.len())
            .ok_or_else(|| damaged(&format!("{name} is shorter than its archive header says")))?;
        files.push(Found { name, data });
    }
    if pax.is_some() {
        return Err(refused("a PAX header with no file after it"));
    }
    Ok(files)
}

/// The PAX keys a bundle's archive may carry: times and owners (ignored), and the
/// next file's `path` and `size` (checked against its header).
const PAX_KEYS: &[&str] = &["path", "size", "mtime", "atime", "ctime", "uid", "gid", "uname", "gname"];

/// The records of a PAX header, each key allowed and each value plain text.
fn pax_records(entry: &mut tar::Entry<'_, &[u8]>) -> Result<Vec<(String, String)>> {
    let size = entry.header().size().map_err(|e| damaged(&format!("a PAX header's size is unreadable ({e})")))?;
    if size > 64 << 10 {
        return Err(refused(&format!("a PAX header of {}", bytes(size))));
    }
    let extensions = entry
        .pax_extensions()
        .map_err(|e| damaged(&format!("a PAX header cannot be read ({e})")))?
        .ok_or_else(|| damaged("a PAX header cannot be read"))?;
    let mut out = Vec::new();
    for record in extensions {
        let record = record.map_err(|e| damaged(&format!("a PAX record is malformed ({e})")))?;
        let (Ok(key), Ok(value)) = (record.key(), record.value()) else {
            return Err(refused("a PAX record that is not text"));
        };
        if !PAX_KEYS.contains(&key) {
            return Err(refused(&format!("a PAX record {key:?}, which bundles do not use")));
        }
        if value.chars().any(char::is_control) {
            return Err(refused(&format!("a PAX record {key} with control characters")));
        }
        out.push((key.to_owned(), value.to_owned()));
    }
    Ok(out)
}

fn refused(what: &str) -> Error {
    Error::new(
        ErrorKind::Damaged,
        format!("the bundle was refused: its archive holds {what}, which bundles may not contain; nothing was imported. Ask the sender to rebuild it with Packplan"),
    )
}

fn damaged(what: &str) -> Error {
    Error::new(ErrorKind::Damaged, format!("the bundle is damaged: {what}; ask the sender for a new copy"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        for ok in ["manifest.json", "manifest.json.minisig", "capacity_observations.csv", "scenarios.json", "t2.csv"] {
            assert!(allowed_name(ok), "{ok}");
        }
        for bad in ["../x.csv", "/etc/passwd", "Data.csv", "a b.csv", "x.exe", "x", ".csv", "dir/x.csv"] {
            assert!(!allowed_name(bad), "{bad}");
        }
    }

    #[test]
    fn round_trip_is_deterministic() {
        let files: &[(&str, &[u8])] = &[("manifest.json", b"{}"), ("products.csv", b"id\nh100\n")];
        let a = write(files).unwrap();
        assert_eq!(a, write(files).unwrap());
        let back = read(Zeroizing::new(a), &Limits::default()).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].name, "products.csv");
        assert_eq!(&back[1].bytes[..], b"id\nh100\n");
        assert_eq!(&back[0].bytes[..], b"{}");
    }

    #[test]
    fn every_file_reads_back_whichever_keeps_the_buffer() {
        let big = vec![b'x'; 5000];
        for files in [
            vec![("a.csv", &big[..]), ("b.csv", &b"small"[..]), ("c.csv", &b""[..])],
            vec![("a.csv", &b"small"[..]), ("b.csv", &b""[..]), ("c.csv", &big[..])],
            vec![("a.csv", &b"one"[..])],
        ] {
            let back = read(Zeroizing::new(write(&files).unwrap()), &Limits::default()).unwrap();
            let names: Vec<&str> = back.iter().map(|f| f.name.as_str()).collect();
            assert_eq!(names, files.iter().map(|(n, _)| *n).collect::<Vec<_>>(), "in the archive's order");
            for (f, (_, bytes)) in back.iter().zip(&files) {
                assert_eq!(&f.bytes[..], *bytes, "{}", f.name);
            }
        }
    }
}
