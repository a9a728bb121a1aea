//! Reading a YAML file into serde types, turning every parser complaint into a located diagnostic.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::Error as YamlError;

use super::values::INVALID_DATE_MARK;
use crate::diagnostics::{Code, Diagnostic, Pos};

/// Case and profile files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

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
    let unreadable = |e: std::io::Error| {
        Diagnostic::error(
            path,
            Pos::UNKNOWN,
            Code::YamlSyntax,
            format!("filen kan inte läsas: {}", io_reason(&e)),
        )
        .with_hint("kontrollera att sökvägen stämmer och att du har rätt att läsa filen")
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.is_dir() {
        return Err(Diagnostic::error(
            path,
            Pos::UNKNOWN,
            Code::YamlSyntax,
            "det här är en mapp, inte en fil",
        )
        .with_hint("ange en ärendefil (.yaml)"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(path, meta.len()));
    }
    let bytes = read_bounded(path).map_err(unreadable)?;
    decode(path, bytes)
}

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
        .with_hint("spara filen som UTF-8 (i de flesta redigerare: Spara som → Kodning: UTF-8)"));
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
        .with_hint("spara filen som UTF-8 (i de flesta redigerare: Spara som → Kodning: UTF-8)")
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

/// Reads at most one byte past the limit, so that a file that grows while read is still bounded.
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn too_large(path: &Path, len: u64) -> Diagnostic {
    Diagnostic::error(
        path,
        Pos::UNKNOWN,
        Code::ForStorFil,
        format!(
            "filen är {} MB, större än gränsen {} MB",
            len.div_ceil(1024 * 1024),
            MAX_FILE_BYTES / 1024 / 1024
        ),
    )
    .with_hint("en ärendefil är text på några sidor; kontrollera att det är rätt fil")
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

/// Parses YAML text into `T`, with the parser's budgets bounding aliases, depth and size.
pub fn parse_yaml<T: DeserializeOwned>(source: &SourceFile) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! {
        with_snippet: false,
        strict_booleans: true,
    };
    serde_saphyr::from_str_with_options(&source.text, options)
        .map_err(|e| to_diagnostic(&source.path, &e))
}

/// Parses YAML text into `T`, reporting every structural problem the schema finds, not just one.
///
/// The file is read into a tree of located nodes and checked against `schema` (generated from
/// `T`); only a file without problems is deserialized, and what serde alone finds then is the
/// rare case the schema cannot express.
pub fn parse_checked<T: DeserializeOwned>(
    source: &SourceFile,
    schema: &serde_json::Value,
) -> Result<T, Vec<Diagnostic>> {
    let tree: super::structure::Node = parse_yaml(source).map_err(|d| vec![d])?;
    let mut problems = super::structure::check_tree(&tree, schema, &source.path, &source.text);
    if !problems.is_empty() {
        problems.sort_by_key(|d| (d.line, d.column));
        return Err(problems);
    }
    parse_yaml(source).map_err(|d| vec![d])
}

/// Turns a YAML or serde error into a diagnostic with a code from case-format.md.
fn to_diagnostic(path: &Path, error: &YamlError) -> Diagnostic {
    let error = innermost(error);
    let pos = error
        .location()
        .map(|l| Pos {
            line: u32::try_from(l.line()).unwrap_or(0),
            column: u32::try_from(l.column()).unwrap_or(0),
        })
        .unwrap_or(Pos::UNKNOWN);
    let diag = |code, message: String| Diagnostic::error(path, pos, code, message);
    match error {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => {
            let d = diag(Code::OkandNyckel, format!("okänd nyckel `{field}`"));
            match nearest(field, expected) {
                Some(near) => d.with_hint(format!("menade du `{near}`?")),
                None if expected.is_empty() => {
                    d.with_hint("här finns inga nycklar; ta bort raden".to_string())
                }
                None => d.with_hint(format!("kända nycklar här: {}", list(expected))),
            }
        }
        YamlError::SerdeMissingField { field, .. } => diag(
            Code::SaknatFalt,
            format!("fältet `{field}` saknas i avsnittet som börjar här"),
        )
        .with_hint(format!(
            "lägg till `{field}:` med ett värde; se case-format.md för vad som ska stå där"
        )),
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => diag(
            Code::OgiltigtVarde,
            format!("`{variant}` är inte ett tillåtet värde"),
        )
        .with_hint(format!("tillåtna värden: {}", list(expected))),
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => diag(
            Code::FelTyp,
            format!(
                "här står {}, men här ska stå {}",
                describe_found(unexpected),
                describe_expected(expected)
            ),
        ),
        YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => diag(
            Code::FelTyp,
            format!(
                "värdet {} går inte att använda här; här ska stå {}",
                describe_found(unexpected),
                describe_expected(expected)
            ),
        ),
        YamlError::NullIntoString { .. } => diag(Code::SaknatFalt, "värdet saknas här".into())
            .with_hint("skriv ett värde efter kolonet"),
        YamlError::InvalidBooleanStrict { .. } => diag(
            Code::FelTyp,
            "här ska stå true eller false (ja/nej skrivs true/false)".into(),
        ),
        YamlError::DuplicateMappingKey { key, .. } => diag(
            Code::YamlSyntax,
            match key {
                Some(k) => format!("nyckeln `{k}` står två gånger"),
                None => "en nyckel står två gånger".into(),
            },
        )
        .with_hint("ta bort den ena"),
        YamlError::Message { msg, .. } => match msg.split_once(INVALID_DATE_MARK) {
            Some((_, rest)) => diag(Code::OgiltigtDatum, rest.to_string())
                .with_hint("skriv datum som ÅÅÅÅ-MM-DD och klockslag som TT:MM"),
            None => diag(Code::FelTyp, msg.clone()),
        },
        YamlError::Budget { .. }
        | YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. } => diag(
            Code::YamlSyntax,
            "filen är för djupt nästlad eller upprepar sig för mycket (alias) för att läsas".into(),
        )
        .with_hint("en ärendefil behöver inga ankare eller alias; skriv ut värdena"),
        YamlError::Eof { .. } => diag(Code::YamlSyntax, "filen är tom".into())
            .with_hint("börja från ett av exemplen i examples/"),
        other if english_reason(other).contains("recursion limit") => diag(
            Code::YamlSyntax,
            "filen är för djupt nästlad för att läsas".into(),
        )
        .with_hint(
            "en ärendefil har högst några nivåers indrag; kontrollera hakparenteser och indrag",
        ),
        other => diag(
            Code::YamlSyntax,
            format!("filen är inte giltig YAML: {}", english_reason(other)),
        )
        .with_hint("kontrollera indrag, kolon och citattecken på raden"),
    }
}

/// Peels the wrappers that add snippets or alias locations.
fn innermost(mut error: &YamlError) -> &YamlError {
    loop {
        match error {
            YamlError::WithSnippet { error: inner, .. }
            | YamlError::AliasError { error: inner, .. } => error = inner,
            other => return other,
        }
    }
}

/// The parser's own explanation, without the location it repeats.
fn english_reason(error: &YamlError) -> String {
    let text = error.to_string();
    match text.split_once(" at line ") {
        Some((reason, _)) => reason.to_string(),
        None => text,
    }
}

/// The known key closest to a misspelled one, if one is close enough to be a likely typo.
pub(crate) fn nearest<'a>(field: &str, expected: &[&'a str]) -> Option<&'a str> {
    expected
        .iter()
        .map(|k| (strsim::damerau_levenshtein(field, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

fn list(values: &[&str]) -> String {
    values.join(", ")
}

/// Says in Swedish what kind of YAML value was found.
fn describe_found(unexpected: &str) -> String {
    let (kind, rest) = unexpected.split_once(' ').unwrap_or((unexpected, ""));
    let kind = match kind {
        "sequence" => "en lista",
        "map" => "ett avsnitt med nycklar",
        "string" => "texten",
        "boolean" => "sant/falskt",
        "integer" | "floating" => "talet",
        "unit" | "null" => "inget värde",
        _ => return unexpected.to_string(),
    };
    let rest = rest.trim_start_matches("point ").trim();
    if rest.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} {rest}")
    }
}

/// Says in Swedish what kind of value a field expects.
fn describe_expected(expected: &str) -> String {
    let e = expected.to_lowercase();
    if e.contains("sequence") || e.starts_with("a vec") {
        "en lista (rader som börjar med `- `)".into()
    } else if e.contains("struct") || e.contains("map") {
        "ett avsnitt med nycklar på raderna under".into()
    } else if e.contains("bool") {
        "true eller false".into()
    } else if e.contains("u32") || e.contains("integer") {
        "ett heltal".into()
    } else if e.contains("string") || e.contains("str") {
        "text".into()
    } else {
        expected.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_near_miss_suggests_the_known_key() {
        assert_eq!(nearest("rubik", &["rubrik", "namnd"]), Some("rubrik"));
        assert_eq!(nearest("zzzzzzzz", &["rubrik", "namnd"]), None);
    }

    #[test]
    fn the_position_of_a_bad_byte_counts_lines_and_characters() {
        assert_eq!(pos_at_end("a\nåb"), Pos { line: 2, column: 3 });
    }
}
