//! Where the files a case or profile names may lie: beside the file that names them, or in a
//! folder the user allowed with `--allow-path`.

use std::path::{Path, PathBuf};

use crate::files::ReadError;
use crate::source::io_reason;

/// The folders the user allowed besides each naming file's own, resolved to real paths.
#[derive(Debug, Clone, Default)]
pub struct AllowedPaths(Vec<PathBuf>);

impl AllowedPaths {
    /// Resolves the folders given with `--allow-path`; each must exist.
    pub fn new(dirs: &[PathBuf]) -> Result<Self, String> {
        dirs.iter()
            .map(|dir| {
                dir.canonicalize()
                    .map_err(|e| format!("--allow-path {}: {}", dir.display(), io_reason(&e)))
                    .and_then(|real| {
                        if real.is_dir() {
                            Ok(real)
                        } else {
                            Err(format!("--allow-path {}: det är ingen mapp", dir.display()))
                        }
                    })
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    /// The allowed folders, as real paths.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.0
    }

    /// The real folders a file named in a file in `folder` may lie beneath: that folder and
    /// the allowed ones.
    pub fn roots(&self, folder: &Path) -> Result<Vec<PathBuf>, String> {
        let own = folder.canonicalize().map_err(|e| io_reason(&e))?;
        Ok(std::iter::once(own).chain(self.0.iter().cloned()).collect())
    }

    /// Reads at most `max` bytes of `path` if the file opened lies beneath `folder` or an
    /// allowed folder (links followed, judged by the open file itself); otherwise why not, in
    /// words for the user.
    pub fn read_confined(&self, path: &Path, folder: &Path, max: u64) -> Result<Vec<u8>, String> {
        let roots = self.roots(folder)?;
        crate::files::read(path, max, Some(&roots)).map_err(|e| match e {
            ReadError::Outside(_) => self.outside(&roots[0]),
            other => other.reason(),
        })
    }

    /// Says that a file lies outside `own` and the allowed folders.
    pub fn outside(&self, own: &Path) -> String {
        format!(
            "den ligger utanför {}{}",
            own.display(),
            if self.0.is_empty() {
                ""
            } else {
                " och utanför mapparna i --allow-path"
            }
        )
    }
}

/// The folder a file lies in: its parent, or `.` for a bare file name.
pub fn folder_of(file: &Path) -> &Path {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_allowed_in_its_folder_or_an_allowed_one_and_nowhere_else() {
        let root = tempfile::tempdir().unwrap();
        let (case, shared, other) = (
            root.path().join("case"),
            root.path().join("shared"),
            root.path().join("other"),
        );
        for dir in [&case, &shared, &other] {
            std::fs::create_dir(dir).unwrap();
            std::fs::write(dir.join("p.yaml"), "").unwrap();
        }
        let none = AllowedPaths::default();
        assert!(none.read_confined(&case.join("p.yaml"), &case, 10).is_ok());
        assert!(
            none.read_confined(&case.join("../shared/p.yaml"), &case, 10)
                .is_err()
        );
        let some = AllowedPaths::new(std::slice::from_ref(&shared)).unwrap();
        assert!(
            some.read_confined(&case.join("../shared/p.yaml"), &case, 10)
                .is_ok()
        );
        let outside = some
            .read_confined(&other.join("p.yaml"), &case, 10)
            .unwrap_err();
        assert!(outside.contains("--allow-path"), "{outside}");
        assert!(AllowedPaths::new(&[root.path().join("none")]).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_out_of_the_folder_is_outside() {
        let root = tempfile::tempdir().unwrap();
        let case = root.path().join("case");
        std::fs::create_dir(&case).unwrap();
        std::fs::write(root.path().join("secret.yaml"), "").unwrap();
        std::os::unix::fs::symlink(root.path().join("secret.yaml"), case.join("p.yaml")).unwrap();
        assert!(
            AllowedPaths::default()
                .read_confined(&case.join("p.yaml"), &case, 10)
                .is_err()
        );
    }
}
