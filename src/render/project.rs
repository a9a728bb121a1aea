//! Templates as a plain Typst project: written out with a case's data, or read from a folder.

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::world::{DATA_PATH, Templates};
use super::{Prepared, RenderError};
use crate::output::{Access, write_file};

/// A templates folder with more files than this is refused.
const MAX_TEMPLATE_FILES: usize = 200;
/// A template or data file larger than this is refused.
const MAX_PROJECT_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Why a project folder could not be written or read.
#[derive(Debug, Error)]
pub enum ProjectError {
    /// A file or folder could not be read or written.
    #[error("{path}: {reason}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The folder lacks a file the project needs, or holds something it must not.
    #[error("{0}")]
    Invalid(String),
}

fn io_error(path: &Path, e: &std::io::Error) -> ProjectError {
    ProjectError::Io {
        path: path.to_path_buf(),
        reason: crate::source::io_reason(e),
    }
}

/// Writes a Typst project for one document: `main.typ`, the templates, `data.json` and the logo.
///
/// `typst compile --ignore-system-fonts --font-path fonts --root DIR DIR/main.typ`, run from
/// the repository root, gives the same pages as lexsarah does.
pub fn emit(dir: &Path, templates: &Templates, prepared: &Prepared) -> Result<(), ProjectError> {
    let files = templates
        .files()
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_bytes()))
        .chain(std::iter::once((DATA_PATH, prepared.data.as_slice())))
        .chain(
            prepared
                .files
                .iter()
                .map(|(path, bytes)| (path.as_str(), bytes.as_slice())),
        );
    for (path, bytes) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, &e))?;
        }
        // The data is the case's: its owner's alone, as a confidential PDF is.
        let access = if path == "data.json" {
            Access::Private
        } else {
            Access::Shared
        };
        write_file(&target, bytes, access).map_err(|e| io_error(&target, &e))?;
    }
    Ok(())
}

/// Reads every `.typ` file under `dir` as a set of templates; `main.typ` must be among them.
pub fn read_templates(dir: &Path) -> Result<Templates, ProjectError> {
    let mut files = Vec::new();
    collect_typ(dir, dir, &mut files)?;
    if !files.iter().any(|(path, _)| path == "main.typ") {
        return Err(ProjectError::Invalid(format!(
            "mallmappen {} saknar main.typ; utgå från en mapp som --emit-typst har skrivit",
            dir.display()
        )));
    }
    files.sort();
    let main = files
        .iter()
        .find(|(path, _)| path == "main.typ")
        .map_or("", |(_, text)| text.as_str());
    check_data_format(dir, main)?;
    Ok(Templates::from_files(files).read_from(dir))
}

/// The line of `main.typ` that says which `data.json` format the templates read.
const FORMAT_MARK: &str = "// lexsarah-dataformat:";

/// The data format a `main.typ` declares, if it declares one.
pub fn declared_data_format(main: &str) -> Option<u32> {
    main.lines()
        .find_map(|line| line.trim().strip_prefix(FORMAT_MARK))
        .and_then(|n| n.trim().parse().ok())
}

/// Refuses templates written for another data format than this lexsarah gives.
fn check_data_format(dir: &Path, main: &str) -> Result<(), ProjectError> {
    let given = super::data::DATA_FORMAT;
    let start_over = "skriv ut mallarna på nytt med --emit-typst och för över dina ändringar";
    match declared_data_format(main) {
        Some(n) if n == given => Ok(()),
        Some(n) => Err(ProjectError::Invalid(format!(
            "mallarna i {} är skrivna för dataformat {n}, men den här versionen av lexsarah ger dataformat {given}; {start_over}",
            dir.display()
        ))),
        None => Err(ProjectError::Invalid(format!(
            "mallarna i {} säger inte vilket dataformat de är skrivna för (raden `{FORMAT_MARK} {given}` i main.typ), och den här versionen av lexsarah ger dataformat {given}; {start_over}",
            dir.display()
        ))),
    }
}

fn collect_typ(
    root: &Path,
    dir: &Path,
    files: &mut Vec<(String, String)>,
) -> Result<(), ProjectError> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_error(dir, &e))?;
        let path = entry.path();
        // Links are not followed: the templates folder shows Typst nothing outside itself.
        let kind = entry.file_type().map_err(|e| io_error(&path, &e))?;
        if kind.is_dir() {
            collect_typ(root, &path, files)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "typ") {
            if files.len() >= MAX_TEMPLATE_FILES {
                return Err(ProjectError::Invalid(format!(
                    "mallmappen {} har fler än {MAX_TEMPLATE_FILES} .typ-filer",
                    root.display()
                )));
            }
            let text = read_inside(root, &path)?;
            let text = String::from_utf8(text).map_err(|_| {
                ProjectError::Invalid(format!("{} är inte text i UTF-8", path.display()))
            })?;
            let relative = path
                .strip_prefix(root)
                .expect("walked from the root")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push((relative, text));
        }
    }
    Ok(())
}

/// Reads a file of a project folder, following no link out of it and at most 10 MB.
fn read_inside(root: &Path, path: &Path) -> Result<Vec<u8>, ProjectError> {
    let real_root = root.canonicalize().map_err(|e| io_error(root, &e))?;
    crate::files::read(
        path,
        MAX_PROJECT_FILE_BYTES,
        Some(std::slice::from_ref(&real_root)),
    )
    .map_err(|e| ProjectError::Io {
        path: path.to_path_buf(),
        reason: e.reason(),
    })
}

/// Reads a project folder written by [`emit`] back, ready to compile.
pub fn read_project(dir: &Path) -> Result<(Templates, Prepared), ProjectError> {
    let templates = read_templates(dir)?;
    let read = |name: &str| read_inside(dir, &dir.join(name));
    let data = read(DATA_PATH)?;
    let mut files = Vec::new();
    for logo in ["logo.svg", "logo.png"] {
        if dir.join(logo).is_file() {
            files.push((logo.to_string(), read(logo)?));
        }
    }
    let doc = serde_json::from_slice::<serde_json::Value>(&data)
        .ok()
        .and_then(|v| {
            v.get("doc")?
                .as_str()
                .and_then(crate::document::DocKind::from_token)
        })
        .ok_or_else(|| ProjectError::Invalid("data.json saknar ett giltigt `doc`".into()))?;
    let ident = format!(
        "lexsarah/{}",
        dir.file_name().unwrap_or_default().to_string_lossy()
    );
    Ok((
        templates,
        Prepared {
            doc,
            data,
            files,
            ident,
        },
    ))
}

/// Converts a project error into a render error for reporting with a case.
impl From<ProjectError> for RenderError {
    fn from(e: ProjectError) -> Self {
        RenderError::Project(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_templates_declare_the_data_format_this_lexsarah_gives() {
        let main = include_str!("../../templates/main.typ");
        assert_eq!(
            declared_data_format(main),
            Some(super::super::data::DATA_FORMAT)
        );
    }

    #[test]
    fn templates_for_another_data_format_are_refused_naming_both() {
        let dir = Path::new("mallar");
        let old = check_data_format(dir, "// lexsarah-dataformat: 0\n").unwrap_err();
        assert!(old.to_string().contains("dataformat 0"), "{old}");
        assert!(old.to_string().contains("ger dataformat 1"), "{old}");
        let none = check_data_format(dir, "#import \"lexsarah.typ\"\n").unwrap_err();
        assert!(
            none.to_string().contains("säger inte vilket dataformat"),
            "{none}"
        );
    }
}
