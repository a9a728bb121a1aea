//! The one way lexsarah reads a file: opened once, without blocking, checked through that handle
//! as a regular file, confined beneath its folder, and read from the same handle with a cap.
//!
//! Checking a path and then opening it again by name lets a link be swapped in between; a FIFO
//! or a device blocks or never ends; a size taken from `stat` says nothing of what a read
//! returns. Here nothing is looked up twice, and every read stops at its limit.
//!
//! A folder of cases is opened once as a [`Folder`], a handle; every file under it is then
//! reached from that handle component by component, and a symbolic link anywhere on the way is
//! refused (`openat2` with `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS` on Linux, `O_NOFOLLOW` on
//! every component elsewhere), so that a folder swapped for a link after the run began leads
//! nowhere. A single file the user named (a case, or a profile under `--allow-path`) is opened
//! by [`read`]: its links are followed once, the real path of the open file is checked, and
//! the bytes come from that handle.

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
    /// It, or a folder on the way to it, is a symbolic link, which is not followed here.
    Link,
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
            ReadError::Link => {
                "den, eller en mapp på vägen till den, är en symbolisk länk, och länkar följs inte"
                    .into()
            }
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
    read_open(file, meta.len(), max)
}

/// Reads at most `max` bytes from an open regular file whose size `stat` gave as `len`.
fn read_open(file: File, len: u64, max: u64) -> Result<Vec<u8>, ReadError> {
    if len > max {
        return Err(ReadError::TooLarge(len));
    }
    // The file may grow while it is read: the limit holds for what is read, not what stat said.
    let mut bytes = Vec::with_capacity(len as usize);
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

/// A reading error as an I/O error, for a listing.
fn into_io(e: ReadError) -> io::Error {
    match e {
        ReadError::Io(e) => e,
        other => io::Error::other(other.reason()),
    }
}

/// A folder opened once as a handle: every file beneath it is reached from the handle without
/// following any symbolic link.
#[derive(Debug)]
pub struct Folder {
    /// The folder's handle.
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
    /// The folder as the user named it, for messages and for the paths of what is found.
    path: PathBuf,
}

/// What an entry of a folder is, as the folder itself says (a link is not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A folder.
    Folder,
    /// A symbolic link.
    Link,
    /// A FIFO, a device or a socket.
    Other,
}

/// A file or folder found beneath a [`Folder`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its path relative to the folder.
    pub relative: PathBuf,
    /// What it is.
    pub kind: EntryKind,
}

impl Folder {
    /// Opens the folder at `path` (a link the user named is followed, once, here).
    pub fn open(path: &Path) -> io::Result<Self> {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags, open};
            let fd = open(
                path,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            Ok(Self {
                fd,
                path: path.to_path_buf(),
            })
        }
        #[cfg(not(unix))]
        {
            if !path.is_dir() {
                return Err(io::Error::new(io::ErrorKind::NotADirectory, "ingen mapp"));
            }
            Ok(Self {
                path: path.to_path_buf(),
            })
        }
    }

    /// The folder as the user named it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads at most `max` bytes of the regular file at `relative` beneath the folder; a link
    /// on the way, a `..` or an absolute path is refused.
    pub fn read(&self, relative: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
        #[cfg(unix)]
        {
            let file = File::from(self.open_beneath(relative, false)?);
            let meta = file.metadata().map_err(ReadError::Io)?;
            if !meta.is_file() {
                return Err(ReadError::NotAFile);
            }
            read_open(file, meta.len(), max)
        }
        #[cfg(not(unix))]
        {
            read(
                &self.path.join(relative),
                max,
                Some(&[self.path.canonicalize().map_err(ReadError::Io)?]),
            )
        }
    }

    /// Every file and folder beneath the folder, depth first in sorted order; links are listed
    /// as links and never entered.
    pub fn walk(&self) -> io::Result<Vec<Entry>> {
        let mut found = Vec::new();
        self.walk_into(Path::new(""), &mut found)?;
        Ok(found)
    }

    /// The entries directly in the folder (not beneath its subfolders), in sorted order.
    pub fn entries(&self) -> io::Result<Vec<Entry>> {
        self.list(Path::new("")).map_err(into_io)
    }

    fn walk_into(&self, relative: &Path, found: &mut Vec<Entry>) -> io::Result<()> {
        let entries = match self.list(relative) {
            Ok(entries) => entries,
            // A folder swapped for a link since it was listed is listed as the link it is now.
            Err(ReadError::Link) => {
                if let Some(last) = found.last_mut().filter(|e| e.relative == relative) {
                    last.kind = EntryKind::Link;
                }
                return Ok(());
            }
            Err(e) => return Err(into_io(e)),
        };
        for entry in entries {
            let folder = entry.kind == EntryKind::Folder;
            let inner = entry.relative.clone();
            found.push(entry);
            if folder {
                self.walk_into(&inner, found)?;
            }
        }
        Ok(())
    }

    /// The entries of the subfolder `relative` (the folder itself when empty), sorted by name.
    fn list(&self, relative: &Path) -> Result<Vec<Entry>, ReadError> {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let fd = if relative.as_os_str().is_empty() {
                rustix::fs::openat(
                    &self.fd,
                    ".",
                    rustix::fs::OFlags::RDONLY
                        | rustix::fs::OFlags::DIRECTORY
                        | rustix::fs::OFlags::CLOEXEC,
                    rustix::fs::Mode::empty(),
                )
                .map_err(|e| ReadError::Io(e.into()))?
            } else {
                self.open_beneath(relative, true)?
            };
            let io = |e: rustix::io::Errno| ReadError::Io(e.into());
            let mut entries = Vec::new();
            for entry in rustix::fs::Dir::read_from(&fd).map_err(io)? {
                let entry = entry.map_err(io)?;
                let name = std::ffi::OsStr::from_bytes(entry.file_name().to_bytes());
                if name == "." || name == ".." {
                    continue;
                }
                use rustix::fs::FileType;
                let kind = match entry.file_type() {
                    FileType::Unknown => {
                        let stat = rustix::fs::statat(
                            &fd,
                            entry.file_name(),
                            rustix::fs::AtFlags::SYMLINK_NOFOLLOW,
                        )
                        .map_err(io)?;
                        FileType::from_raw_mode(stat.st_mode as _)
                    }
                    known => known,
                };
                let kind = match kind {
                    FileType::RegularFile => EntryKind::File,
                    FileType::Directory => EntryKind::Folder,
                    FileType::Symlink => EntryKind::Link,
                    _ => EntryKind::Other,
                };
                entries.push(Entry {
                    relative: relative.join(name),
                    kind,
                });
            }
            entries.sort_by(|a, b| a.relative.cmp(&b.relative));
            Ok(entries)
        }
        #[cfg(not(unix))]
        {
            let mut entries = Vec::new();
            for entry in std::fs::read_dir(self.path.join(relative)).map_err(ReadError::Io)? {
                let entry = entry.map_err(ReadError::Io)?;
                let t = entry.file_type().map_err(ReadError::Io)?;
                let kind = if t.is_symlink() {
                    EntryKind::Link
                } else if t.is_dir() {
                    EntryKind::Folder
                } else if t.is_file() {
                    EntryKind::File
                } else {
                    EntryKind::Other
                };
                entries.push(Entry {
                    relative: relative.join(entry.file_name()),
                    kind,
                });
            }
            entries.sort_by(|a, b| a.relative.cmp(&b.relative));
            Ok(entries)
        }
    }

    /// Opens `relative` beneath the folder's handle, never following a link: with `openat2`
    /// where the kernel has it, else one component at a time with `O_NOFOLLOW`.
    #[cfg(unix)]
    fn open_beneath(
        &self,
        relative: &Path,
        folder: bool,
    ) -> Result<std::os::fd::OwnedFd, ReadError> {
        use rustix::fs::{Mode, OFlags};
        use std::path::Component;
        let parts: Vec<&std::ffi::OsStr> = relative
            .components()
            .map(|c| match c {
                Component::Normal(part) => Ok(part),
                _ => Err(ReadError::Outside(self.path.join(relative))),
            })
            .collect::<Result<_, _>>()?;
        if parts.is_empty() {
            return Err(ReadError::NotAFile);
        }
        let last = if folder {
            OFlags::RDONLY | OFlags::DIRECTORY
        } else {
            OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY
        } | OFlags::CLOEXEC
            | OFlags::NOFOLLOW;
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            use rustix::fs::ResolveFlags;
            let resolve =
                ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
            match rustix::fs::openat2(&self.fd, relative, last, Mode::empty(), resolve) {
                Ok(fd) => return Ok(fd),
                // No openat2 (an old kernel, a sandbox), or a link where a folder should be
                // (reported as "not a folder"): the walk below tells what is there.
                Err(rustix::io::Errno::NOSYS)
                | Err(rustix::io::Errno::PERM)
                | Err(rustix::io::Errno::NOTDIR) => {}
                Err(rustix::io::Errno::LOOP) | Err(rustix::io::Errno::XDEV) => {
                    return Err(ReadError::Link);
                }
                Err(e) => return Err(ReadError::Io(e.into())),
            }
        }
        // Component by component: O_NOFOLLOW on each, so that a link anywhere stops the walk.
        let mut current: Option<std::os::fd::OwnedFd> = None;
        for (i, part) in parts.iter().enumerate() {
            let flags = if i + 1 == parts.len() {
                last
            } else {
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC
            };
            let opened = match &current {
                Some(dir) => rustix::fs::openat(dir, *part, flags, Mode::empty()),
                None => rustix::fs::openat(&self.fd, *part, flags, Mode::empty()),
            };
            let fd = opened.map_err(|e| {
                let parent = current.as_ref().map_or(&self.fd, |d| d);
                let now = rustix::fs::statat(parent, *part, rustix::fs::AtFlags::SYMLINK_NOFOLLOW)
                    .map(|st| rustix::fs::FileType::from_raw_mode(st.st_mode as _));
                // O_NOFOLLOW met a link ("too many levels"), or "not a folder" met what is a
                // link or, swapped back since, a folder: either way a link stood there.
                let link = match e {
                    rustix::io::Errno::LOOP => true,
                    rustix::io::Errno::NOTDIR => matches!(
                        now,
                        Ok(rustix::fs::FileType::Symlink | rustix::fs::FileType::Directory)
                    ),
                    _ => matches!(now, Ok(rustix::fs::FileType::Symlink)),
                };
                if link {
                    ReadError::Link
                } else {
                    ReadError::Io(e.into())
                }
            })?;
            current = Some(fd);
        }
        current.ok_or(ReadError::NotAFile)
    }
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

    #[cfg(unix)]
    #[test]
    fn a_folder_reads_beneath_itself_and_refuses_every_link_on_the_way() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("hemlig.yaml"), b"hemligt").unwrap();
        std::fs::create_dir(root.path().join("a")).unwrap();
        std::fs::write(root.path().join("a/fall.yaml"), b"fall").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("lank")).unwrap();
        std::os::unix::fs::symlink(root.path().join("a"), root.path().join("inne")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("hemlig.yaml"),
            root.path().join("a/fil.yaml"),
        )
        .unwrap();
        let folder = Folder::open(root.path()).unwrap();
        assert_eq!(folder.read(Path::new("a/fall.yaml"), 10).unwrap(), b"fall");
        for refused in ["lank/hemlig.yaml", "inne/fall.yaml", "a/fil.yaml"] {
            assert!(
                matches!(folder.read(Path::new(refused), 10), Err(ReadError::Link)),
                "{refused}"
            );
        }
        assert!(matches!(
            folder.read(Path::new("../x"), 10),
            Err(ReadError::Outside(_))
        ));
        let walked: Vec<(String, EntryKind)> = folder
            .walk()
            .unwrap()
            .into_iter()
            .map(|e| (e.relative.display().to_string(), e.kind))
            .collect();
        assert_eq!(
            walked,
            [
                ("a".to_string(), EntryKind::Folder),
                ("a/fall.yaml".to_string(), EntryKind::File),
                ("a/fil.yaml".to_string(), EntryKind::Link),
                ("inne".to_string(), EntryKind::Link),
                ("lank".to_string(), EntryKind::Link),
            ]
        );
    }
}
