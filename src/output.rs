//! Writing output files so that a reader never sees a half-written one, and no one reads a
//! confidential one who should not.

use std::io::{self, Write};
use std::path::Path;

/// Who may read a file lexsarah creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// As the user's umask allows (a public document, a web page, the nämnd's summary).
    Shared,
    /// Only its owner (mode 0600), or, in a folder with a default ACL, those that ACL names
    /// (created 0666 for the ACL to filter: 0600 would set the ACL's mask to nothing and cancel
    /// the group entries it hands down). For a confidential document and a case file.
    Private,
}

/// Writes `bytes` to `path` as a shared file: [`write_file`] with [`Access::Shared`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_file(path, bytes, Access::Shared)
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
///
/// A file that replaces another keeps the mode, the group (where the user may set it) and the
/// ACL of the one it replaces; a new file is created with `access`. If anything fails, or the
/// process is killed, `path` keeps its old content (or stays absent) and the temporary file is
/// removed where the process lives to do so.
pub fn write_file(path: &Path, bytes: &[u8], access: Access) -> io::Result<()> {
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
    let mut temp = temp_file_for(folder, "", access)?;
    keep_access_of(path, temp.as_file())?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Creates a new file at `path` (which must not exist) with `access` and writes `bytes`, without
/// waiting for the disk: for the files of a folder that is built under a temporary name and made
/// durable at once with [`make_durable`] before it is renamed into place.
pub fn create_new(path: &Path, bytes: &[u8], access: Access) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let folder = path.parent().unwrap_or(Path::new("."));
        options.mode(creation_mode(folder, access));
    }
    #[cfg(not(unix))]
    let _ = access;
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    #[cfg(not(unix))]
    file.sync_all()?;
    Ok(())
}

/// Makes everything written under `folder` durable: on Linux one `syncfs` of its file system
/// (instead of one flush per file), then the folder itself.
pub fn make_durable(folder: &Path) -> io::Result<()> {
    let handle = std::fs::File::open(folder)?;
    #[cfg(any(target_os = "linux", target_os = "android"))]
    rustix::fs::syncfs(&handle)?;
    handle.sync_all()
}

/// Gives `new` the mode, group and ACL of the regular file at `old`, if there is one.
#[cfg(unix)]
fn keep_access_of(old: &Path, new: &std::fs::File) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::symlink_metadata(old) else {
        return Ok(());
    };
    if !meta.is_file() {
        return Ok(());
    }
    rustix::fs::fchmod(new, rustix::fs::Mode::from_raw_mode(meta.mode() & 0o7777))?;
    // Only the group: a file changes owner only by root's hand. Not allowed to set it (the
    // user is not in that group): the folder's group stays, and nothing else changes.
    let _ = rustix::fs::fchown(new, None, Some(rustix::fs::Gid::from_raw(meta.gid())));
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let mut acl = vec![0u8; 4096];
        if let Ok(len) = rustix::fs::getxattr(old, ACCESS_ACL, &mut acl) {
            let _ = rustix::fs::fsetxattr(
                new,
                ACCESS_ACL,
                &acl[..len],
                rustix::fs::XattrFlags::empty(),
            );
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn keep_access_of(_old: &Path, _new: &std::fs::File) -> io::Result<()> {
    Ok(())
}

/// The extended attributes that hold a POSIX ACL: a file's own, and a folder's default for
/// what is created in it.
#[cfg(any(target_os = "linux", target_os = "android"))]
const ACCESS_ACL: &str = "system.posix_acl_access";
#[cfg(any(target_os = "linux", target_os = "android"))]
const DEFAULT_ACL: &str = "system.posix_acl_default";

/// The mode a new file is created with for `access` in `folder`.
#[cfg(unix)]
fn creation_mode(folder: &Path, access: Access) -> u32 {
    match access {
        Access::Shared => 0o666,
        Access::Private if has_default_acl(folder) => 0o666,
        Access::Private => 0o600,
    }
}

/// Whether a folder hands a default ACL down to the files created in it.
fn has_default_acl(folder: &Path) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let mut buffer = [0u8; 1];
        match rustix::fs::getxattr(folder, DEFAULT_ACL, &mut buffer) {
            Ok(len) => len > 0,
            // The buffer is too small for it: there is one.
            Err(rustix::io::Errno::RANGE) => true,
            Err(_) => false,
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let _ = folder;
        false
    }
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

/// Whether a signed PDF's first revision (its bytes up to one of its `%%EOF` markers, with or
/// without the line end after it) has this SHA-256: the PDF lexsarah made, signed since by
/// incremental updates that left every byte of it as it was.
pub fn first_revision_is(bytes: &[u8], sha256: &str) -> bool {
    is_signed(bytes)
        && bytes
            .windows(5)
            .enumerate()
            .filter(|(_, w)| *w == b"%%EOF")
            .flat_map(|(at, _)| {
                let end = at + 5;
                [end, end + 1, end + 2]
            })
            .filter(|&end| end < bytes.len())
            .any(|end| sha256_hex(&bytes[..end]) == sha256)
}

/// The start and end of every temporary file's name, so that a later run finds a killed run's.
const TEMP_PREFIX: &str = ".lexsarah-";
const TEMP_SUFFIX: &str = ".tmp";

/// A temporary file in `folder`, to be renamed into place once whole, shared as the user's
/// umask allows (it becomes a public document or an archive's listing).
pub fn temp_file_in(folder: &Path) -> io::Result<tempfile::NamedTempFile> {
    temp_file_for(folder, "", Access::Shared)
}

/// A temporary file in `folder` whose name also carries `label`, so that the run that owns such
/// files can find the ones a killed run left (`.lexsarah-<label>…tmp`), created with `access`.
pub fn temp_file_for(
    folder: &Path,
    label: &str,
    access: Access,
) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    let prefix = format!("{TEMP_PREFIX}{label}");
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(creation_mode(
            folder, access,
        )));
    }
    #[cfg(not(unix))]
    let _ = access;
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

    #[cfg(unix)]
    #[test]
    fn a_private_file_is_the_owners_alone_and_a_replaced_file_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let private = dir.path().join("beslut.pdf");
        write_file(&private, b"x", Access::Private).unwrap();
        assert_eq!(mode(&private), 0o600);
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_file(&private, b"y", Access::Private).unwrap();
        assert_eq!(mode(&private), 0o640, "a replaced file keeps its mode");
        assert_eq!(std::fs::read(&private).unwrap(), b"y");
    }
}
