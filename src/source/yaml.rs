//! Parsing YAML text into serde types, turning every parser complaint into a located diagnostic.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::Error as YamlError;

use super::values::INVALID_DATE_MARK;
use super::{FileKind, SourceFile, ValueKind};
use crate::diagnostics::{Code, Diagnostic, Pos};

/// Parses YAML text into `T`, with the parser's budgets bounding aliases, depth and size.
pub fn parse_yaml<T: DeserializeOwned>(source: &SourceFile) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! {
        with_snippet: false,
        strict_booleans: true,
    };
    serde_saphyr::from_str_with_options(&source.text, options)
        .map_err(|e| to_diagnostic(&source.path, &source.text, &e))
}

/// Parses YAML text into `T`, reporting every structural problem the schema finds, not just one.
///
/// The file is read into a tree of located nodes and checked against `schema` (generated from
/// `T`); only a file without problems is deserialized, and what serde alone finds then is the
/// rare case the schema cannot express.
pub fn parse_checked<T: DeserializeOwned>(
    source: &SourceFile,
    schema: &serde_json::Value,
    kind: FileKind,
) -> Result<T, Vec<Diagnostic>> {
    parse_checked_bare(source, schema, kind).map_err(|mut problems| {
        crate::diagnostics::attach_source(&mut problems, &source.path, &source.text);
        problems
    })
}

/// [`parse_checked`] without the source attached to its diagnostics.
fn parse_checked_bare<T: DeserializeOwned>(
    source: &SourceFile,
    schema: &serde_json::Value,
    kind: FileKind,
) -> Result<T, Vec<Diagnostic>> {
    let only_comments = source
        .text
        .lines()
        .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'));
    if only_comments {
        return Err(vec![
            Diagnostic::error(
                &source.path,
                Pos { line: 1, column: 1 },
                Code::SaknatFalt,
                format!("{} är tom", kind.name()),
            )
            .with_hint(kind.start_hint()),
        ]);
    }
    let tree: super::structure::Node = parse_yaml(source).map_err(|d| vec![d])?;
    // Aliases repeat what their anchor holds: a small file can stand for a huge one, which
    // would then be deserialized and rendered. The limit is on what the file stands for.
    let expanded = tree.expanded_bytes() as u64;
    if expanded > super::MAX_FILE_BYTES {
        return Err(vec![
            Diagnostic::error(
                &source.path,
                Pos::UNKNOWN,
                Code::ForStorFil,
                format!(
                    "{} blir {} när dess alias (`*namn`) har ersatts av det de pekar på, mer än gränsen {}",
                    kind.name(),
                    super::megabytes(expanded),
                    super::megabytes(super::MAX_FILE_BYTES)
                ),
            )
            .with_hint("skriv ut värdena i stället för att upprepa dem med ankare (`&namn`) och alias (`*namn`)"),
        ]);
    }
    let mut problems =
        super::structure::check_tree(&tree, schema, &source.path, &source.text, kind);
    if !problems.is_empty() {
        problems.sort_by_key(|d| (d.line, d.column));
        return Err(problems);
    }
    parse_yaml(source).map_err(|d| vec![d])
}

/// Turns a YAML or serde error into a diagnostic with a code from case-format.md.
fn to_diagnostic(path: &Path, text: &str, error: &YamlError) -> Diagnostic {
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
        other
            if english_reason(other).contains("tabs disallowed")
                || english_reason(other).contains("found a tab")
                || english_reason(other)
                    .contains("found character that cannot start any token")
                    && tab_in_indentation(text, pos) != pos =>
        {
            // The parser may name the line before the tab ("while scanning a plain scalar,
            // found a tab"): point at the tab itself.
            let tab = tab_in_indentation(text, pos);
            Diagnostic::error(
                path,
                tab,
                Code::YamlSyntax,
                "raden är indragen med ett tabbtecken, men YAML tillåter bara mellanslag i indrag",
            )
            .marking("\t")
            .with_hint(
                "ersätt tabben med mellanslag, två för varje nivå, som på raderna runt omkring",
            )
        }
        other if english_reason(other).contains("mapping values are not allowed") => {
            let line = pos
                .line
                .checked_sub(1)
                .and_then(|i| text.lines().nth(i as usize))
                .unwrap_or("");
            let hint = match line.trim_start().split_once(": ") {
                Some((key, value)) if !value.starts_with(['"', '\'']) => format!(
                    "sätt texten inom citattecken: `{key}: \"{}\"`",
                    value.trim_end().replace('"', "\\\"")
                ),
                _ => "sätt texten inom citattecken".to_string(),
            };
            diag(
                Code::YamlSyntax,
                "ett kolon följt av mellanslag inne i en text får YAML att läsa resten som en ny nyckel".into(),
            )
            .with_hint(hint)
        }
        other => diag(
            Code::YamlSyntax,
            format!(
                "filen är inte giltig YAML (parsern säger: {})",
                english_reason(other)
            ),
        )
        .with_hint("kontrollera indrag, kolon och citattecken på raden"),
    }
}

/// The first tab in the indentation of a line near `pos` (the line before, it, or the one
/// after), else `pos`.
fn tab_in_indentation(text: &str, pos: Pos) -> Pos {
    let from = pos.line.saturating_sub(2) as usize;
    text.lines()
        .enumerate()
        .skip(from)
        .take(3)
        .find_map(|(i, line)| {
            let indentation = &line[..line.len() - line.trim_start().len()];
            indentation.find('\t').map(|byte| Pos {
                line: i as u32 + 1,
                column: indentation[..byte].chars().count() as u32 + 1,
            })
        })
        .unwrap_or(pos)
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
pub fn nearest<'a>(field: &str, expected: &[&'a str]) -> Option<&'a str> {
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

/// Says in Swedish what kind of YAML value serde found ("sequence", "string \"x\"", …).
fn describe_found(unexpected: &str) -> String {
    let (kind, rest) = unexpected.split_once(' ').unwrap_or((unexpected, ""));
    let kind = match kind {
        "sequence" => ValueKind::List,
        "map" => ValueKind::Map,
        "string" => ValueKind::Text,
        "boolean" => ValueKind::Bool,
        "integer" | "floating" => ValueKind::Integer,
        "unit" | "null" => ValueKind::Nothing,
        _ => return unexpected.to_string(),
    };
    let rest = rest.trim_start_matches("point ").trim();
    if rest.is_empty() {
        kind.found().to_string()
    } else {
        format!("{} {rest}", kind.found())
    }
}

/// Says in Swedish what kind of value serde expected ("a sequence", "struct Rapport", …).
fn describe_expected(expected: &str) -> String {
    let e = expected.to_lowercase();
    let kind = if e.contains("sequence") || e.starts_with("a vec") {
        ValueKind::List
    } else if e.contains("struct") || e.contains("map") {
        ValueKind::Map
    } else if e.contains("bool") {
        ValueKind::Bool
    } else if e.contains("u32") || e.contains("integer") {
        ValueKind::Integer
    } else if e.contains("string") || e.contains("str") {
        ValueKind::Text
    } else {
        return expected.to_string();
    };
    kind.expected().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_near_miss_suggests_the_known_key() {
        assert_eq!(nearest("rubik", &["rubrik", "namnd"]), Some("rubrik"));
        assert_eq!(nearest("zzzzzzzz", &["rubrik", "namnd"]), None);
    }
}
