//! Diagnostics: problems found in a case or profile file, and the one printer for them.

mod code;

pub use code::Code;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The case is refused and nothing is written.
    Error,
    /// Printed; `--strict` turns it into an error.
    Warning,
}

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// The line, counted from 1; 0 means unknown.
    pub line: u32,
    /// The column in characters, counted from 1; 0 means unknown.
    pub column: u32,
}

impl Pos {
    /// A position that is not known.
    pub const UNKNOWN: Pos = Pos { line: 0, column: 0 };

    /// Where `needle` first stands in `source` on this position's line or after it, else here.
    ///
    /// A value's position is where the value starts; this finds a part of it, such as one
    /// character or one number inside a block of text.
    pub fn find_from(self, source: &str, needle: &str) -> Pos {
        let skip = self.line.saturating_sub(1) as usize;
        for (index, line) in source.lines().enumerate().skip(skip) {
            if let Some(byte) = line.find(needle) {
                return Pos {
                    line: index as u32 + 1,
                    column: line[..byte].chars().count() as u32 + 1,
                };
            }
        }
        self
    }

    /// Whether the position points somewhere.
    pub fn is_known(self) -> bool {
        self.line > 0
    }
}

/// One problem with a file, in the shape case-format.md gives for `--diagnostic-format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file the problem is in, as the user named it.
    pub file: PathBuf,
    /// The 1-based line, absent where no position exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The 1-based column, absent where no position exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Error or warning.
    pub severity: Severity,
    /// The stable code from the Diagnostics table of the case-format reference.
    pub code: Code,
    /// What is wrong, in plain Swedish.
    pub message: String,
    /// What to do about it, where there is something to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The text of the file as lexsarah read it, for showing the offending line: the printer
    /// never reads a file again, so it cannot show a line of a file swapped in since.
    #[serde(skip)]
    pub source: Option<Arc<str>>,
    /// Where exactly the problem is, beyond its line and column; kept apart so that a
    /// diagnostic stays small to pass around.
    #[serde(skip)]
    pub mark: Option<Box<Mark>>,
}

/// Where a problem is, more exactly than a line and column say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mark {
    /// How many characters from the column the marker underlines, where the problem is a part
    /// of a value (a word in a text) rather than a key or a whole value.
    pub length: Option<u32>,
    /// The dotted path of a field the problem is about where no line shows it (a field that is
    /// missing), for a form that shows each problem at its field.
    pub field: Option<String>,
}

impl Diagnostic {
    /// Makes an error with the given code and message at a position in a file.
    pub fn error(file: &Path, pos: Pos, code: Code, message: impl Into<String>) -> Self {
        Self::new(file, pos, Severity::Error, code, message)
    }

    /// Makes a warning with the given code and message at a position in a file.
    pub fn warning(file: &Path, pos: Pos, code: Code, message: impl Into<String>) -> Self {
        Self::new(file, pos, Severity::Warning, code, message)
    }

    fn new(
        file: &Path,
        pos: Pos,
        severity: Severity,
        code: Code,
        message: impl Into<String>,
    ) -> Self {
        let known = pos.is_known();
        Self {
            file: file.to_path_buf(),
            line: known.then_some(pos.line),
            column: (known && pos.column > 0).then_some(pos.column),
            severity,
            code,
            message: message.into(),
            hint: None,
            source: None,
            mark: None,
        }
    }

    /// Adds a hint saying what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Names the field the problem is about, as a dotted path ("beslut.datum").
    pub fn at_field(mut self, field: &str) -> Self {
        self.mark.get_or_insert_default().field = Some(field.into());
        self
    }

    /// Marks only the `text` found at the diagnostic's column, not the rest of the line.
    pub fn marking(mut self, text: &str) -> Self {
        self.mark.get_or_insert_default().length = Some(text.chars().count() as u32);
        self
    }

    /// Whether this diagnostic refuses the case.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Gives every diagnostic about `file` the text lexsarah read of it, to show its lines by.
pub fn attach_source(diagnostics: &mut [Diagnostic], file: &Path, text: &str) {
    let shared: Arc<str> = Arc::from(text);
    for d in diagnostics.iter_mut().filter(|d| d.file == file) {
        d.source = Some(shared.clone());
    }
}

/// Formats diagnostics for people, showing the offending line of each where its text is known.
pub fn format_human(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        format_one(&mut out, diagnostic, diagnostic.source.as_deref());
    }
    out
}

fn format_one(out: &mut String, d: &Diagnostic, source: Option<&str>) {
    // In Swedish, as every word a person reads: "fel[kod]", "varning[kod]", "tips".
    let level = match d.severity {
        Severity::Error => Level::ERROR.with_name("fel"),
        Severity::Warning => Level::WARNING.with_name("varning"),
    };
    let message = printable(&d.message);
    let title = level.primary_title(message.as_str()).id(d.code.as_str());
    let path = shown(&d.file);
    let line_text = source.and_then(|s| nth_line(s, d.line)).map(printable);
    let mut group = match (d.line, &line_text) {
        (Some(line), Some(text)) => {
            let column = d.column.unwrap_or(1).max(1) as usize;
            title.element(
                Snippet::source(text.as_str())
                    .line_start(line as usize)
                    .path(path)
                    .annotation(AnnotationKind::Primary.span(marker_span(
                        text,
                        column,
                        d.mark.as_ref().and_then(|m| m.length),
                    ))),
            )
        }
        (Some(line), None) => {
            let origin = Origin::path(path).line(line as usize);
            title.element(match d.column {
                Some(column) => origin.char_column(column as usize),
                None => origin,
            })
        }
        _ => title.element(Origin::path(path)),
    };
    let hint = d.hint.as_deref().map(printable);
    if let Some(hint) = &hint {
        group = group.element(Level::HELP.with_name("tips").message(hint.as_str()));
    }
    out.push_str(&Renderer::plain().render(&[group]));
    out.push_str("\n\n");
}

/// The line a diagnostic points at, if the source has it.
fn nth_line(source: &str, line: Option<u32>) -> Option<&str> {
    let index = line?.checked_sub(1)? as usize;
    source.lines().nth(index)
}

/// The bytes of `text` to underline at `column`: a key up to its colon, or a value.
fn marker_span(text: &str, column: usize, length: Option<u32>) -> std::ops::Range<usize> {
    let start = text
        .char_indices()
        .nth(column - 1)
        .map(|(b, _)| b)
        .unwrap_or(text.len());
    let rest = &text[start..];
    if let Some(chars) = length {
        let len: usize = rest.chars().take(chars as usize).map(char::len_utf8).sum();
        return start..start + len.max(1).min(rest.len());
    }
    let key_len: usize = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .map(char::len_utf8)
        .sum();
    let len = if key_len > 0 && rest[key_len..].starts_with(':') {
        key_len
    } else {
        rest.split(" #").next().unwrap_or("").trim_end().len()
    };
    start..(start + len.max(1)).min(text.len())
}

/// Replaces control characters and invisible formatting characters (zero-width ones and the
/// direction marks) by U+FFFD, so that a hostile line or file name can neither move the
/// terminal's cursor nor show its text in another order than it is.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if (c.is_control() && c != '\t') || crate::fonts::is_invisible_format(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// A path as messages print it: [`printable`].
pub fn shown(path: &Path) -> String {
    printable(&path.display().to_string())
}

/// Formats diagnostics as one JSON array.
pub fn format_json(diagnostics: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_human_diagnostic_shows_the_line_and_a_marker_under_the_value() {
        let d = Diagnostic::error(
            Path::new("fall.yaml"),
            Pos { line: 2, column: 3 },
            Code::OkandNyckel,
            "okänd nyckel `rubik`",
        )
        .with_hint("menade du `rubrik`?");
        let mut found = [d];
        attach_source(
            &mut found,
            Path::new("fall.yaml"),
            "arende:\n  rubik: Test\n",
        );
        let text = format_human(&found);
        assert!(
            text.contains("fel[okand-nyckel]: okänd nyckel `rubik`"),
            "{text}"
        );
        assert!(text.contains("--> fall.yaml:2:3"), "{text}");
        assert!(text.contains("2 |   rubik: Test"), "{text}");
        assert!(
            text.contains("  |   ^^^^^\n"),
            "only the key is marked: {text}"
        );
        assert!(text.contains("= tips: menade du `rubrik`?"), "{text}");
    }

    #[test]
    fn a_long_line_is_shown_around_the_column() {
        let line = format!("{}fel{}", "x".repeat(500), "y".repeat(500));
        let d = Diagnostic::error(
            Path::new("f.yaml"),
            Pos {
                line: 1,
                column: 501,
            },
            Code::FelTyp,
            "m",
        );
        let mut found = [d];
        attach_source(&mut found, Path::new("f.yaml"), &line);
        let text = format_human(&found);
        let shown = text.lines().find(|l| l.starts_with("1 | ")).unwrap();
        assert!(shown.chars().count() < 130, "{shown}");
        assert!(shown.contains("xfely"), "{shown}");
        let marker = text.lines().find(|l| l.contains('^')).unwrap();
        let under = marker.chars().position(|c| c == '^');
        assert_eq!(under, shown.chars().position(|c| c == 'f'), "{text}");
    }

    #[test]
    fn json_diagnostics_leave_out_an_unknown_position() {
        let d = Diagnostic::error(
            Path::new("x.yaml"),
            Pos::UNKNOWN,
            Code::YamlSyntax,
            "inte text",
        );
        let json = format_json(&[d]);
        assert!(!json.contains("\"line\""), "{json}");
        assert!(json.contains("\"code\": \"yaml-syntax\""), "{json}");
    }
}
