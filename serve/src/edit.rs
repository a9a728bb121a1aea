//! A case as the form holds it: opened from YAML, checked by lexsarah's own `check`, and drawn
//! as preview pages by the same engine that makes the PDFs.

use std::path::Path;

use axum::http::StatusCode;
use lexsarah::case::write::{Written, case_yaml};
use lexsarah::check::{CheckSettings, check_source};
use lexsarah::diagnostics::{Diagnostic, Severity};
use lexsarah::document::DocKind;
use lexsarah::render::{Templates, layout, prepare};
use lexsarah::source::SourceFile;
use lexsarah::source::structure::Node;
use serde::Serialize;
use serde_json::Value;

use crate::folder::Refusal;

/// A case file opened for the form.
#[derive(Debug, Serialize)]
pub struct Opened {
    /// The case as JSON, every key the file has, known or not.
    pub case: Value,
    /// Whether the file has comments, which saving from the form does not keep.
    pub comments: bool,
}

/// Reads a case file's text into the JSON the form edits.
pub fn open(path: &Path, bytes: Vec<u8>) -> Result<Opened, Refusal> {
    let source = lexsarah::source::decode(path, bytes).map_err(unreadable)?;
    let tree: Node = lexsarah::source::parse_yaml(&source).map_err(unreadable)?;
    if tree.expanded_bytes() as u64 > lexsarah::source::MAX_FILE_BYTES {
        return Err(Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Filen står för mer än 10 MB när dess YAML-alias räknas ut; kör `lexsarah check` på den.",
        ));
    }
    let case = lexsarah::case::write::as_written(&tree, &source.text);
    if !case.is_object() {
        return Err(Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Filen är inget ärende: den ska bestå av nycklar som version, profil och arende.",
        ));
    }
    let comments = has_comments(&source.text);
    Ok(Opened { case, comments })
}

/// Whether YAML text has a comment: a line of its own, or after a value, but not a `#` inside
/// quotes or inside a block of text.
fn has_comments(text: &str) -> bool {
    let mut block: Option<usize> = None;
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if let Some(opened_at) = block {
            if trimmed.is_empty() || indent > opened_at {
                continue;
            }
            block = None;
        }
        let (mut single, mut double, mut after_space) = (false, false, true);
        for c in trimmed.chars() {
            match c {
                '#' if !single && !double && after_space => return true,
                '\'' if !double => single = !single,
                '"' if !single => double = !double,
                _ => {}
            }
            after_space = c.is_whitespace();
        }
        let header = trimmed.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
        if header.ends_with(": |") || header.ends_with(": >") || header == "- |" || header == "- >"
        {
            block = Some(indent);
        }
    }
    false
}

fn unreadable(d: Diagnostic) -> Refusal {
    let at = d.line.map(|l| format!(" (rad {l})")).unwrap_or_default();
    let hint = d
        .hint
        .map(|h| format!(" Gör så här: {h}."))
        .unwrap_or_default();
    Refusal::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!(
            "Filen kan inte öppnas i formuläret{at}: {}.{hint} Rätta den i en textredigerare, eller kör `lexsarah check` på den.",
            d.message
        ),
    )
}

/// One problem, placed at the field of the form it is about.
#[derive(Debug, Serialize)]
pub struct Problem {
    /// The dotted path of the field ("beslut.datum"); empty for the case as a whole.
    pub field: String,
    /// "error" or "warning".
    pub severity: Severity,
    /// The stable code, as `check` prints it.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
}

/// What a check of the form's case found, and the preview if it could be drawn.
#[derive(Debug, Serialize)]
pub struct Checked {
    /// Every problem, errors first.
    pub problems: Vec<Problem>,
    /// The documents the case has a section for, by token.
    pub documents: Vec<&'static str>,
    /// The document drawn, and its pages as SVG; none while the case has errors.
    pub preview: Option<Preview>,
}

/// A document drawn as pages.
#[derive(Debug, Serialize)]
pub struct Preview {
    /// The document's token.
    pub document: &'static str,
    /// Its first pages as SVG images, at most [`PREVIEW_PAGES`].
    pub pages: Vec<String>,
    /// How many pages the document has in all.
    pub total: usize,
}

/// How many pages a preview draws: a document of hundreds of pages (5,000 list items, a text
/// of megabytes) is previewed by its beginning, so that the answer stays small enough to take
/// in between two keys.
pub const PREVIEW_PAGES: usize = 12;

/// How many previews back Typst's cache keeps what a layout used: as many as may run at once,
/// and one more.
fn cache_age() -> usize {
    crate::busy_limit() + 1
}

/// A document laid out by the same engine and templates as the PDF, its first `max` pages drawn
/// as SVG: (those pages, how many it has). The layout stays in Typst's cache only while later
/// previews use it: a day of previews must not grow without bound (issue 23).
pub fn pages(
    case: &lexsarah::case::Case,
    profile: &lexsarah::profile::ResolvedProfile,
    doc: DocKind,
    max: usize,
) -> Option<(Vec<String>, usize)> {
    let prepared = prepare(case, profile, doc).ok()?;
    let document = layout(&prepared, &Templates::embedded());
    lexsarah::render::trim_cache(cache_age());
    let document = document.ok()?;
    let options = typst_svg::SvgOptions::default();
    let drawn = document
        .pages()
        .iter()
        .take(max)
        .map(|page| typst_svg::svg(page, &options))
        .collect();
    Some((drawn, document.pages().len()))
}

/// Checks the case as `check` would check the YAML that saving it writes, and draws `wanted`.
pub fn check(
    path: &Path,
    case: &Value,
    wanted: Option<DocKind>,
    today: chrono::NaiveDate,
    allowed: &lexsarah::profile::AllowedPaths,
) -> Checked {
    let written = case_yaml(case);
    if written.text.len() as u64 > lexsarah::source::MAX_FILE_BYTES {
        return Checked {
            problems: vec![Problem {
                field: String::new(),
                severity: Severity::Error,
                code: lexsarah::diagnostics::Code::ForStorFil.as_str(),
                message: format!(
                    "ärendet blir {} som YAML, mer än gränsen {} för en ärendefil",
                    lexsarah::source::megabytes(written.text.len() as u64),
                    lexsarah::source::megabytes(lexsarah::source::MAX_FILE_BYTES)
                ),
                hint: Some("korta de längsta texterna; ärendet kontrolleras och sparas inte förrän det ryms".into()),
            }],
            documents: sections_in(case).iter().map(|d| d.token()).collect(),
            preview: None,
        };
    }
    let source = SourceFile {
        path: path.to_path_buf(),
        text: written.text.clone(),
    };
    let mut settings = CheckSettings::new();
    settings.today = today;
    settings.allowed = allowed.clone();
    let (diagnostics, preview, documents) = match check_source(source, &settings) {
        Ok(checked) => {
            let case = &checked.loaded.case;
            let documents = DocKind::all_in(case);
            let draw = wanted
                .filter(|doc| documents.contains(doc))
                .or(documents.first().copied());
            let preview = draw.and_then(|doc| {
                let (pages, total) = pages(case, &checked.profile, doc, PREVIEW_PAGES)?;
                Some(Preview {
                    document: doc.token(),
                    pages,
                    total,
                })
            });
            (checked.warnings, preview, documents)
        }
        Err(problems) => (problems, None, sections_in(case)),
    };
    let mut problems: Vec<Problem> = diagnostics
        .into_iter()
        .map(|d| placed(d, path, &written))
        .collect();
    problems.sort_by_key(|p| p.severity != Severity::Error);
    Checked {
        problems,
        documents: documents.iter().map(|d| d.token()).collect(),
        preview,
    }
}

/// The documents whose sections the JSON has, for a case that does not pass yet.
fn sections_in(case: &Value) -> Vec<DocKind> {
    DocKind::ALL
        .into_iter()
        .filter(|doc| case.get(doc.token()).is_some_and(Value::is_object))
        .collect()
}

/// A diagnostic at its field: the field it names, else the field written on its line.
pub fn placed(d: Diagnostic, path: &Path, written: &Written) -> Problem {
    if let Some(named) = d.mark.as_ref().and_then(|m| m.field.as_deref()) {
        // Shown at the empty field itself, the file's words ("add `datum:`") would be the
        // wrong advice: in the form, the field is there to fill in.
        return Problem {
            field: named.to_string(),
            severity: d.severity,
            code: d.code.as_str(),
            message: "fältet måste fyllas i".into(),
            hint: None,
        };
    }
    let own_file = d.file == path;
    let on_line = d
        .line
        .filter(|_| own_file)
        .and_then(|line| written.field_at(line))
        .unwrap_or("");
    let message = if own_file {
        d.message
    } else {
        format!("{}: {}", d.file.display(), d.message)
    };
    Problem {
        field: on_line.to_string(),
        severity: d.severity,
        code: d.code.as_str(),
        message,
        hint: d.hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_opened_as_written() {
        let yaml = "version: 1\narende:\n  diarienummer: 0123\n  lagrum: 2025.400\nbeslut:\n  delegation: 3.10 # kommentar\n  rader: [3.10, 2, 1.5]\n  x: &a 4.50\n  y: *a\n";
        let opened = open(Path::new("a.yaml"), yaml.as_bytes().to_vec()).unwrap();
        let case = opened.case;
        assert_eq!(case["version"], serde_json::json!(1));
        assert_eq!(case["arende"]["diarienummer"], "0123");
        assert_eq!(case["arende"]["lagrum"], "2025.400");
        assert_eq!(case["beslut"]["delegation"], "3.10");
        assert_eq!(case["beslut"]["rader"], serde_json::json!(["3.10", 2, 1.5]));
        assert_eq!(case["beslut"]["x"], "4.50");
        assert!(opened.comments);
    }

    #[test]
    fn comments_are_found_but_not_a_hash_in_text() {
        assert!(has_comments("# överst\nversion: 1\n"));
        assert!(has_comments("version: 1 # efter\n"));
        assert!(has_comments("a: |\n  text\n# efter blocket\n"));
        assert!(!has_comments("a: \"Rum #4\"\nb: 'nr #5'\nc: nr#6\n"));
        assert!(!has_comments(
            "a: |-\n  Rum #4\n\n  # inte en kommentar\nb: 1\n"
        ));
    }

    #[test]
    fn a_missing_field_in_a_row_takes_the_rows_position() {
        let yaml = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../examples/mjolby-borttappade-handlingar.yaml"),
        )
        .unwrap();
        let path = Path::new("a.yaml");
        let mut case = open(path, yaml.into_bytes()).unwrap().case;
        let signers = case["tjansteskrivelse"]["undertecknare"]
            .as_array_mut()
            .unwrap();
        signers.push(serde_json::json!({ "namn": "Nils Exempel" }));
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let checked = check(path, &case, None, today, &Default::default());
        let fields: Vec<&str> = checked.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["tjansteskrivelse.undertecknare.1.befattning"],
            "{:?}",
            checked.problems
        );
        assert_eq!(checked.problems[0].message, "fältet måste fyllas i");
    }
}
