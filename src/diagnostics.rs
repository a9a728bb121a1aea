//! Diagnostics: problems found in a case or profile file, and the one printer for them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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
    /// The stable code from the Diagnostics table of case-format.md.
    pub code: &'static str,
    /// What is wrong, in plain Swedish.
    pub message: String,
    /// What to do about it, where there is something to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// Makes an error with the given code and message at a position in a file.
    pub fn error(file: &Path, pos: Pos, code: &'static str, message: impl Into<String>) -> Self {
        Self::new(file, pos, Severity::Error, code, message)
    }

    /// Makes a warning with the given code and message at a position in a file.
    pub fn warning(file: &Path, pos: Pos, code: &'static str, message: impl Into<String>) -> Self {
        Self::new(file, pos, Severity::Warning, code, message)
    }

    fn new(
        file: &Path,
        pos: Pos,
        severity: Severity,
        code: &'static str,
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
        }
    }

    /// Adds a hint saying what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this diagnostic refuses the case.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiagnosticFormat {
    /// For people: `error[code]: message`, the place, the line with a marker under the value.
    #[default]
    Human,
    /// One JSON array of diagnostic objects, for editors and scripts.
    Json,
}

/// Formats diagnostics for people, showing the offending line of each file where known.
///
/// `source_of` gives the text of a file a diagnostic names, where it can be had.
pub fn format_human(
    diagnostics: &[Diagnostic],
    source_of: &dyn Fn(&Path) -> Option<String>,
) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let source = diagnostic.line.and_then(|_| source_of(&diagnostic.file));
        format_one(&mut out, diagnostic, source.as_deref());
    }
    out
}

/// Reads a file's text for showing it under a diagnostic, if it is small enough and text.
pub fn read_for_display(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > crate::case::load::MAX_FILE_BYTES {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

fn format_one(out: &mut String, d: &Diagnostic, source: Option<&str>) {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(out, "{severity}[{}]: {}", d.code, d.message);
    let place = match (d.line, d.column) {
        (Some(line), Some(column)) => format!("{}:{line}:{column}", d.file.display()),
        (Some(line), None) => format!("{}:{line}", d.file.display()),
        _ => d.file.display().to_string(),
    };
    let _ = writeln!(out, "  --> {place}");
    if let (Some(line), Some(text)) = (d.line, source.and_then(|s| nth_line(s, d.line))) {
        let number = line.to_string();
        let pad = " ".repeat(number.len());
        let column = d.column.unwrap_or(1).max(1) as usize;
        let (shown, column) = window(text, column);
        let lead: String = shown
            .chars()
            .take(column - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let width = marker_width(&shown, column);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{number} | {}", printable(&shown));
        let _ = writeln!(out, "{pad} | {lead}{}", "^".repeat(width));
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "  = hint: {hint}");
    }
    out.push('\n');
}

/// The part of a long line around `column` worth showing, and the column within that part.
fn window(text: &str, column: usize) -> (String, usize) {
    const BEFORE: usize = 40;
    const WIDTH: usize = 120;
    let length = text.chars().count();
    if length <= WIDTH {
        return (text.to_string(), column);
    }
    let start = column.saturating_sub(1).saturating_sub(BEFORE);
    let mut shown: String = text.chars().skip(start).take(WIDTH).collect();
    let mut column = column - start;
    if start > 0 {
        shown.insert(0, '…');
        column += 1;
    }
    if start + WIDTH < length {
        shown.push('…');
    }
    (shown, column)
}

/// The line a diagnostic points at, if the source has it.
fn nth_line(source: &str, line: Option<u32>) -> Option<&str> {
    let index = line?.checked_sub(1)? as usize;
    source.lines().nth(index)
}

/// How many characters at `column` the marker should underline: a key, or a value.
fn marker_width(text: &str, column: usize) -> usize {
    let rest: String = text.chars().skip(column - 1).collect();
    let key_len = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .count();
    if key_len > 0 && rest.chars().nth(key_len) == Some(':') {
        return key_len;
    }
    let value = rest.split(" #").next().unwrap_or("").trim_end();
    value.chars().count().clamp(1, 60)
}

/// Replaces control characters so that a hostile line cannot move the terminal's cursor.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
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
            "okand-nyckel",
            "okänd nyckel `rubik`",
        )
        .with_hint("menade du `rubrik`?");
        let text = format_human(&[d], &|_| Some("arende:\n  rubik: Test\n".into()));
        assert!(
            text.contains("error[okand-nyckel]: okänd nyckel `rubik`"),
            "{text}"
        );
        assert!(text.contains("--> fall.yaml:2:3"), "{text}");
        assert!(text.contains("2 |   rubik: Test"), "{text}");
        assert!(
            text.contains("  |   ^^^^^\n"),
            "only the key is marked: {text}"
        );
        assert!(text.contains("= hint: menade du `rubrik`?"), "{text}");
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
            "fel-typ",
            "m",
        );
        let text = format_human(&[d], &|_| Some(line.clone()));
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
            "yaml-syntax",
            "inte text",
        );
        let json = format_json(&[d]);
        assert!(!json.contains("\"line\""), "{json}");
        assert!(json.contains("\"code\": \"yaml-syntax\""), "{json}");
    }
}
