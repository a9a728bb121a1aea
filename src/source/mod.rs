//! Reading the files a user names (cases and profiles): size limits, text encoding, positions,
//! and parsing their YAML into serde types with every problem as a located diagnostic.

pub mod pattern;
pub mod structure;
pub mod values;
mod yaml;

pub use yaml::{nearest, parse_checked, parse_yaml};

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::files::ReadError;

/// Case and profile files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// What a file is meant to be, so that messages name it and say where to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A case file.
    Case,
    /// A profile file.
    Profile,
}

impl FileKind {
    /// The file in Swedish, definite form ("ärendefilen").
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Case => "ärendefilen",
            FileKind::Profile => "profilfilen",
        }
    }

    /// How to get a file of this kind to start from.
    pub fn start_hint(self) -> &'static str {
        match self {
            FileKind::Case => {
                "skriv ut ett nytt ärende att fylla i med `lexsarah new > arende.yaml`"
            }
            FileKind::Profile => {
                "skriv ut en profil att utgå från med `lexsarah profiles show stockholm > profil.yaml`"
            }
        }
    }
}

impl FileKind {
    /// What a YAML text is taken for by its top-level keys: a case has `version`, a profile has
    /// `layout` and no `version` (case-format.md, "Profiles"); `None` for any other YAML, or
    /// text that is not a YAML mapping.
    pub fn of_text(text: &str) -> Option<FileKind> {
        let keys = serde_saphyr::from_str::<
            std::collections::BTreeMap<String, serde::de::IgnoredAny>,
        >(text)
        .ok()?;
        if keys.contains_key("version") {
            Some(FileKind::Case)
        } else if keys.contains_key("layout") {
            Some(FileKind::Profile)
        } else {
            None
        }
    }
}

/// A file read into memory, kept for showing the offending line of a diagnostic.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user named it.
    pub path: std::path::PathBuf,
    /// The text of the file.
    pub text: String,
}

/// Reads a YAML file as UTF-8 text, refusing files that are too large or not text.
pub fn read_source(path: &Path) -> Result<SourceFile, Diagnostic> {
    let bytes =
        crate::files::read(path, MAX_FILE_BYTES, None).map_err(|e| read_problem(path, e))?;
    decode(path, bytes)
}

/// Reads a YAML file beneath a folder's handle as [`read_source`] does, never following a link;
/// its path in messages is the folder's joined with `relative`.
pub fn read_source_beneath(
    folder: &crate::files::Folder,
    relative: &Path,
) -> Result<SourceFile, Diagnostic> {
    let path = folder.path().join(relative);
    let bytes = folder
        .read(relative, MAX_FILE_BYTES)
        .map_err(|e| read_problem(&path, e))?;
    decode(&path, bytes)
}

/// Why a case or profile file could not be read, with what to do.
fn read_problem(path: &Path, e: ReadError) -> Diagnostic {
    match e {
        ReadError::TooLarge(len) => too_large(path, len),
        ReadError::Link => Diagnostic::error(
            path,
            Pos::UNKNOWN,
            Code::SymboliskLank,
            format!(
                "{} är, eller ligger under, en symbolisk länk, och den följs inte",
                crate::diagnostics::shown(path)
            ),
        )
        .with_hint("lägg ärendefilen (eller mappen) själv bland ärendena i stället för en länk till den"),
        ReadError::NotAFile if path.is_dir() => Diagnostic::error(
            path,
            Pos::UNKNOWN,
            Code::YamlSyntax,
            "det här är en mapp, inte en fil",
        )
        .with_hint("ange en ärendefil (.yaml)"),
        other => Diagnostic::error(
            path,
            Pos::UNKNOWN,
            Code::YamlSyntax,
            format!("filen kan inte läsas: {}", other.reason()),
        )
        .with_hint("kontrollera att sökvägen stämmer, att det är en vanlig fil och att du har rätt att läsa den"),
    }
}

/// What to do with a file that is not UTF-8.
const SAVE_AS_UTF8: &str =
    "spara filen som UTF-8 (i de flesta redigerare: Spara som → Kodning: UTF-8)";

/// Turns the bytes of a file into its text: UTF-8, with or without a byte order mark.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(path, bytes.len() as u64));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(
            path,
            Pos::UNKNOWN,
            Code::YamlSyntax,
            "filen är sparad som UTF-16, inte som UTF-8",
        )
        .with_hint(SAVE_AS_UTF8));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let prefix = &e.as_bytes()[..offset];
        let prefix = std::str::from_utf8(prefix).unwrap_or_default();
        Diagnostic::error(
            path,
            pos_at_end(prefix),
            Code::YamlSyntax,
            "filen är inte text i UTF-8",
        )
        .with_hint(SAVE_AS_UTF8)
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    Ok(SourceFile {
        path: path.to_path_buf(),
        text,
    })
}

fn too_large(path: &Path, len: u64) -> Diagnostic {
    Diagnostic::error(
        path,
        Pos::UNKNOWN,
        Code::ForStorFil,
        format!(
            "filen är {}, större än gränsen {}",
            megabytes(len),
            megabytes(MAX_FILE_BYTES)
        ),
    )
    .with_hint("en ärendefil är text på några sidor; kontrollera att det är rätt fil")
}

/// A size for people: "10 MB" when whole, else with the bytes ("10 MB och 1 byte"), so that a
/// file just over a limit is never shown as the limit rounded up.
pub fn megabytes(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    match (bytes / MB, bytes % MB) {
        (0, rest) => format!("{rest} byte"),
        (whole, 0) => format!("{whole} MB"),
        (whole, rest) => format!("{whole} MB och {rest} byte"),
    }
}

/// The reason of an I/O error in Swedish, for the common cases.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "den finns inte".into(),
        PermissionDenied => "behörighet saknas".into(),
        _ => e.to_string(),
    }
}

/// Where the end of `prefix` lies, as a 1-based line and column.
fn pos_at_end(prefix: &str) -> Pos {
    let line = prefix.matches('\n').count() + 1;
    let column = prefix.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Pos {
        line: line as u32,
        column: column as u32,
    }
}

/// The kinds of value a YAML file holds, as messages name them in Swedish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A section with keys.
    Map,
    /// A list.
    List,
    /// Text.
    Text,
    /// true or false.
    Bool,
    /// A whole number.
    Integer,
    /// A number with a fraction.
    Number,
    /// Nothing written after the colon.
    Nothing,
}

impl ValueKind {
    /// What was found, as "här står …" goes on: "en lista", "texten", "talet".
    pub fn found(self) -> &'static str {
        match self {
            ValueKind::Map => "ett avsnitt med nycklar",
            ValueKind::List => "en lista",
            ValueKind::Text => "texten",
            ValueKind::Bool => "sant/falskt",
            ValueKind::Integer | ValueKind::Number => "talet",
            ValueKind::Nothing => "inget värde",
        }
    }

    /// What a field expects, as "här ska stå …" goes on.
    pub fn expected(self) -> &'static str {
        match self {
            ValueKind::Map => "ett avsnitt med nycklar på raderna under",
            ValueKind::List => "en lista (rader som börjar med `- `)",
            ValueKind::Bool => "true eller false",
            ValueKind::Integer => "ett heltal",
            ValueKind::Number => "ett tal",
            ValueKind::Text | ValueKind::Nothing => "text",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_size_just_over_a_limit_is_not_rounded_to_the_next_megabyte() {
        assert_eq!(megabytes(10 * 1024 * 1024), "10 MB");
        assert_eq!(megabytes(10 * 1024 * 1024 + 1), "10 MB och 1 byte");
        assert_eq!(megabytes(512), "512 byte");
    }

    #[test]
    fn the_position_of_a_bad_byte_counts_lines_and_characters() {
        assert_eq!(pos_at_end("a\nåb"), Pos { line: 2, column: 3 });
    }
}
