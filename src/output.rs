//! Writing output files so that a reader never sees a half-written one.

use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
///
/// If anything fails, or the process is killed, `path` keeps its old content (or stays absent)
/// and the temporary file is removed where the process lives to do so.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "det står en mapp där filen ska skrivas",
        ));
    }
    let mut temp = temp_file_in(folder)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The SHA-256 of a file's bytes in hexadecimal, as the manifest records a PDF and the browser
/// form tells one version of a case file from another.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The start and end of every temporary file's name, so that a later run finds a killed run's.
const TEMP_PREFIX: &str = ".lexsarah-";
const TEMP_SUFFIX: &str = ".tmp";

/// A temporary file in `folder`, to be renamed into place once whole.
///
/// It is an ordinary file, readable as the user's umask allows (unlike a private temporary
/// file), since it becomes a PDF or an archive that others read.
pub fn temp_file_in(folder: &Path) -> io::Result<tempfile::NamedTempFile> {
    temp_file_named(folder, "")
}

/// A temporary file in `folder` whose name also carries `label`, so that the run that owns such
/// files can find the ones a killed run left (`.lexsarah-<label>…tmp`).
pub fn temp_file_named(folder: &Path, label: &str) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    let prefix = format!("{TEMP_PREFIX}{label}");
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(folder)
}

/// Whether a file name is one of lexsarah's temporary files (with `label`, if not empty).
pub fn is_temp_name(name: &str, label: &str) -> bool {
    name.strip_prefix(TEMP_PREFIX)
        .is_some_and(|rest| rest.starts_with(label))
        && name.ends_with(TEMP_SUFFIX)
}

/// Whether the PDF at `path` carries a digital signature; `false` when there is no such file.
///
/// Only a regular file is read (a FIFO in its place is no PDF and never blocks), up to
/// [`MAX_PDF_BYTES`]; a larger one counts as signed, since it cannot be looked at.
pub fn is_signed_pdf(path: &Path) -> bool {
    match crate::files::read(path, MAX_PDF_BYTES, None) {
        Ok(bytes) => is_signed(&bytes),
        Err(crate::files::ReadError::TooLarge(_)) => true,
        Err(_) => false,
    }
}

/// The largest PDF lexsarah reads back (to look for a signature, or to compare with a new one).
pub const MAX_PDF_BYTES: u64 = 256 * 1024 * 1024;

/// Whether PDF bytes carry a digital signature: a dictionary with `/ByteRange` and `/Contents`.
///
/// The PDF is parsed, so that a name written with escapes (`/Byte#52ange` is `/ByteRange`) is
/// found as its reader and a validator see it. Bytes that cannot be read as a PDF count as
/// signed when they mention a signature in any spelling: when in doubt, a signature is not
/// overwritten.
pub fn is_signed(bytes: &[u8]) -> bool {
    match lopdf::Document::load_mem(bytes) {
        Ok(document) => document.objects.values().any(|object| {
            object
                .as_dict()
                .is_ok_and(|dict| dict.has(b"ByteRange") && dict.has(b"Contents"))
        }),
        Err(_) => [&b"/Byte"[..], b"/Sig", b"/Type#"]
            .iter()
            .any(|needle| bytes.windows(needle.len()).any(|w| w == *needle)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_file_has_the_bytes_and_no_temporary_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pdf");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_folder_where_the_file_should_go_is_an_error_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pdf");
        std::fs::create_dir(&path).unwrap();
        assert!(write_atomic(&path, b"x").is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
