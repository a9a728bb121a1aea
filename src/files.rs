//! The one way lexsarah reads a file: opened once, without blocking, checked through that handle
//! as a regular file, confined by the handle's real path beneath the allowed folders, and read
//! from the same handle with a cap.
//!
//! Checking a path and then opening it again by name lets a link be swapped in between; a FIFO
//! or a device blocks or never ends; a size taken from `stat` says nothing of what a read
//! returns. Here nothing is looked up twice, and every read stops at its limit.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused (no such file, no permission, …).
    Io(io::Error),
    /// It is no regular file: a folder, a FIFO, a device or a socket.
    NotAFile,
    /// It holds more bytes than the limit (at least this many).
    TooLarge(u64),
    /// Its real path (links followed) lies outside the folders allowed: this one.
    Outside(PathBuf),
}

impl ReadError {
    /// The reason in Swedish, for a diagnostic.
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io(e) => crate::source::io_reason(e),
            ReadError::NotAFile => {
                "det är ingen vanlig fil (utan en mapp, en FIFO eller en enhet)".into()
            }
            ReadError::TooLarge(len) => format!(
                "den är {}, mer än vad som får läsas",
                crate::source::megabytes(*len)
            ),
            ReadError::Outside(real) => {
                format!(
                    "den ligger utanför de tillåtna mapparna ({})",
                    real.display()
                )
            }
        }
    }
}

/// Reads at most `max` bytes of the file at `path`; with `within`, only if the file opened
/// lies beneath one of those folders (real paths, links followed).
pub fn read(path: &Path, max: u64, within: Option<&[PathBuf]>) -> Result<Vec<u8>, ReadError> {
    let file = open(path)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if let Some(roots) = within {
        let real = real_path(&file, path).map_err(ReadError::Io)?;
        if !roots.iter().any(|root| real.starts_with(root)) {
            return Err(ReadError::Outside(real));
        }
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge(meta.len()));
    }
    // The file may grow while it is read: the limit holds for what is read, not what stat said.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Opens a file for reading without waiting for a writer (a FIFO) or becoming the terminal's
/// controller (a device).
fn open(path: &Path) -> Result<File, ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path).map_err(ReadError::Io)
}

/// The real path of the file a handle has open.
///
/// On Linux it is read from the handle itself (`/proc/self/fd`), so no link swapped in after
/// the open can change the answer. Elsewhere the path is resolved and must name the same file
/// (device and inode) as the handle.
fn real_path(file: &File, path: &Path) -> io::Result<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        if let Ok(real) = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) {
            return Ok(real);
        }
    }
    let real = path.canonicalize()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (opened, named) = (file.metadata()?, std::fs::metadata(&real)?);
        if (opened.dev(), opened.ino()) != (named.dev(), named.ino()) {
            return Err(io::Error::other(
                "filen byttes ut medan den öppnades; försök igen",
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_whole_within_its_limit_and_refused_past_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read(&path, 5, None).unwrap(), b"12345");
        assert!(matches!(read(&path, 4, None), Err(ReadError::TooLarge(5))));
    }

    #[test]
    fn a_folder_is_no_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read(dir.path(), 10, None),
            Err(ReadError::NotAFile)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_allowed_folder_is_refused_by_where_it_leads() {
        let inside = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("hemlig.yaml"), b"x").unwrap();
        let link = inside.path().join("p.yaml");
        std::os::unix::fs::symlink(outside.path().join("hemlig.yaml"), &link).unwrap();
        let roots = [inside.path().canonicalize().unwrap()];
        assert!(matches!(
            read(&link, 10, Some(&roots)),
            Err(ReadError::Outside(_))
        ));
        std::fs::write(inside.path().join("egen.yaml"), b"y").unwrap();
        assert_eq!(
            read(&inside.path().join("egen.yaml"), 10, Some(&roots)).unwrap(),
            b"y"
        );
    }
}
