//! Rendering mutated valid cases never panics: a case that passes its checks renders to PDFs
//! Typst accepts, with their signature fields, or fails with an error.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use arbitrary::Arbitrary;
use lexsarah::source::SourceFile;
use lexsarah::check::{CheckSettings, check_source};
use lexsarah::document::DocKind;
use lexsarah::render::{self, PdfSettings, Templates};
use libfuzzer_sys::fuzz_target;

/// The valid cases the mutations start from.
const SEEDS: &[&str] = &[
    include_str!("../../examples/stockholm-stockholmsjobb.yaml"),
    include_str!("../../examples/stockholm-funktionsbrevlada.yaml"),
    include_str!("../../examples/mjolby-borttappade-handlingar.yaml"),
];

static SETTINGS: LazyLock<CheckSettings> = LazyLock::new(CheckSettings::new);
static TEMPLATES: LazyLock<Templates> = LazyLock::new(Templates::embedded);

/// One change to one line of a seed case.
#[derive(Debug, Arbitrary)]
enum Edit {
    /// Replace the value after the line's first colon.
    Value(u16, String),
    /// Replace the value after the line's first colon with the text, quoted.
    Quoted(u16, String),
    /// Add text at the end of the line.
    Append(u16, String),
    /// Insert a new line.
    Insert(u16, String),
    /// Remove the line.
    Remove(u16),
    /// Repeat the line.
    Repeat(u16, u8),
}

#[derive(Debug, Arbitrary)]
struct Input {
    seed: u8,
    /// Which of the case's documents to render: one per run keeps runs short.
    doc: u8,
    edits: Vec<Edit>,
}

fuzz_target!(|input: Input| {
    let mut lines: Vec<String> = SEEDS[input.seed as usize % SEEDS.len()]
        .lines()
        .map(str::to_owned)
        .collect();
    for edit in input.edits.into_iter().take(16) {
        if lines.is_empty() {
            break;
        }
        let at = |i: u16| i as usize % lines.len();
        match edit {
            Edit::Value(i, text) => {
                let i = at(i);
                if let Some(colon) = lines[i].find(':') {
                    lines[i].truncate(colon + 1);
                    lines[i].push(' ');
                    lines[i].push_str(&text);
                }
            }
            Edit::Quoted(i, text) => {
                let i = at(i);
                if let Some(colon) = lines[i].find(": ") {
                    lines[i].truncate(colon + 2);
                    lines[i].push_str(&serde_json::to_string(&text).unwrap_or_default());
                }
            }
            Edit::Append(i, text) => {
                let i = at(i);
                lines[i].push_str(&text);
            }
            Edit::Insert(i, text) => {
                let i = at(i);
                lines.insert(i, text);
            }
            Edit::Remove(i) => {
                let i = at(i);
                lines.remove(i);
            }
            Edit::Repeat(i, n) => {
                let i = at(i);
                let line = lines[i].clone();
                for _ in 0..n % 8 {
                    lines.insert(i, line.clone());
                }
            }
        }
    }
    let source = SourceFile {
        path: Path::new("fuzz.yaml").to_path_buf(),
        text: lines.join("\n"),
    };
    let Ok(checked) = check_source(source, &SETTINGS) else {
        return;
    };
    let docs = DocKind::all_in(&checked.loaded.case);
    let Some(&doc) = docs.get(input.doc as usize % docs.len().max(1)) else {
        return;
    };
    let prepared = render::prepare(&checked.loaded.case, &checked.profile, doc)
        .expect("a checked case prepares every document it has");
    let settings = PdfSettings::default_for(doc);
    // A checked case that Typst cannot render is a defect: its templates must take any value
    // the checks let through.
    if let Err(e) = render::compile(&prepared, &TEMPLATES, &settings) {
        panic!("a checked case failed to render its {doc}: {e}");
    }
    comemo::evict(2);
});
