//! The Typst World: embedded templates and fonts, the case data, and nothing else.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::fonts::FONTS;

/// The templates compiled into the binary: (path inside the project, Typst source).
pub const TEMPLATE_FILES: &[(&str, &str)] = &[
    ("main.typ", include_str!("../../templates/main.typ")),
    ("lexsarah.typ", include_str!("../../templates/lexsarah.typ")),
    ("common.typ", include_str!("../../templates/common.typ")),
    (
        "layout/stockholm.typ",
        include_str!("../../templates/layout/stockholm.typ"),
    ),
    (
        "layout/mjolby.typ",
        include_str!("../../templates/layout/mjolby.typ"),
    ),
    (
        "docs/rapport.typ",
        include_str!("../../templates/docs/rapport.typ"),
    ),
    (
        "docs/utredning.typ",
        include_str!("../../templates/docs/utredning.typ"),
    ),
    (
        "docs/beslut.typ",
        include_str!("../../templates/docs/beslut.typ"),
    ),
    (
        "docs/anmalan.typ",
        include_str!("../../templates/docs/anmalan.typ"),
    ),
    (
        "docs/tjansteskrivelse.typ",
        include_str!("../../templates/docs/tjansteskrivelse.typ"),
    ),
    (
        "docs/notis.typ",
        include_str!("../../templates/docs/notis.typ"),
    ),
    (
        "docs/sammanstallning.typ",
        include_str!("../../templates/docs/sammanstallning.typ"),
    ),
];

/// The path the case data is served at; main.typ reads it with `json`.
pub const DATA_PATH: &str = "data.json";

/// The standard library and the font book, built once per process and shared by every World.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| Shared {
    library: LazyHash::new(Library::default()),
    book: LazyHash::new(FontBook::from_fonts(FONTS.iter())),
});

/// A set of Typst templates: the embedded ones, or a user's copy.
#[derive(Debug, Clone)]
pub struct Templates {
    sources: Arc<HashMap<FileId, Source>>,
    files: Arc<Vec<(String, String)>>,
    main: FileId,
    origin: PathBuf,
}

impl Templates {
    /// The templates compiled into the binary, parsed once per process.
    pub fn embedded() -> Self {
        static EMBEDDED: LazyLock<Templates> = LazyLock::new(|| {
            Templates::from_files(
                TEMPLATE_FILES
                    .iter()
                    .map(|(path, text)| (path.to_string(), text.to_string())),
            )
        });
        EMBEDDED.clone()
    }

    /// Templates from (path, source) pairs; `main.typ` is the entry point.
    pub fn from_files(files: impl IntoIterator<Item = (String, String)>) -> Self {
        let files: Vec<(String, String)> = files.into_iter().collect();
        let sources = files
            .iter()
            .filter_map(|(path, text)| {
                let id = file_id(path)?;
                Some((id, Source::new(id, text.clone())))
            })
            .collect();
        Self {
            sources: Arc::new(sources),
            files: Arc::new(files),
            main: file_id("main.typ").expect("main.typ is a valid path"),
            origin: PathBuf::from("templates"),
        }
    }

    /// The same templates, read from `dir`: a problem in one is reported at its file there.
    pub fn read_from(mut self, dir: &Path) -> Self {
        self.origin = dir.to_path_buf();
        self
    }

    /// Where a template file lives for people: the user's folder, or `templates/` in the
    /// repository for the embedded ones.
    pub fn origin_of(&self, path: &str) -> PathBuf {
        self.origin.join(path)
    }

    /// The template files as (path inside the project, Typst source), for writing them out.
    pub fn files(&self) -> &[(String, String)] {
        &self.files
    }
}

/// The FileId of a path inside the project.
pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(format!("/{path}")).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// A World that shows Typst the templates, one data file and an optional logo, and nothing else.
pub struct LexWorld {
    templates: Templates,
    files: HashMap<FileId, Bytes>,
}

impl LexWorld {
    /// Makes a World over the given templates with the case data and any extra files (a logo).
    pub fn new(templates: Templates, data: Vec<u8>, extra: Vec<(String, Vec<u8>)>) -> Self {
        let mut files = HashMap::new();
        if let Some(id) = file_id(DATA_PATH) {
            files.insert(id, Bytes::new(data));
        }
        for (path, bytes) in extra {
            if let Some(id) = file_id(&path) {
                files.insert(id, Bytes::new(bytes));
            }
        }
        Self { templates, files }
    }

    /// The source text of a file, for reporting template errors.
    pub fn source_text(&self, id: FileId) -> Option<Source> {
        self.templates.sources.get(&id).cloned()
    }
}

impl World for LexWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.templates.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.templates.sources.get(&id) {
            Some(source) => Ok(source.clone()),
            None if self.files.contains_key(&id) => Err(FileError::NotSource),
            None => Err(not_found(id)),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.files.get(&id) {
            return Ok(bytes.clone());
        }
        match self.templates.sources.get(&id) {
            Some(source) => Ok(Bytes::from_string(source.clone())),
            None => Err(not_found(id)),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Today's date would make output differ from day to day; documents carry their own date.
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.get().vpath().get_without_slash().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiles a one-file project whose main file is `main`, with `{}` as the case data.
    fn compile_main(main: &str) -> Result<usize, String> {
        let templates = Templates::from_files([("main.typ".to_string(), main.to_string())]);
        let world = LexWorld::new(templates, b"{}".to_vec(), Vec::new());
        typst::compile::<typst_layout::PagedDocument>(&world)
            .output
            .map(|document| document.pages().len())
            .map_err(|errors| format!("{errors:?}"))
    }

    #[test]
    fn typst_sees_no_file_system_no_package_and_no_clock() {
        for main in [
            r#"#read("/etc/passwd")"#,
            r#"#read("../Cargo.toml")"#,
            r#"#read("../../../../../../etc/hostname")"#,
            r#"#image("/etc/hostname")"#,
            r#"#import "@preview/example:0.1.0": *"#,
            r#"#import "@local/example:0.1.0": *"#,
            r#"#datetime.today().display()"#,
        ] {
            assert!(compile_main(main).is_err(), "{main} compiled");
        }
        assert_eq!(compile_main(r#"#read("data.json")"#), Ok(1));
    }
}
