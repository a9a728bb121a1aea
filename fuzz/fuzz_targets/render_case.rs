//! Rendering mutated valid cases never panics: a case that passes its checks renders to PDFs
//! Typst accepts, with their signature fields, or fails with an error.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use arbitrary::Arbitrary;
use lexsarah::case::mutate::{Edit, mutate};
use lexsarah::check::{CheckSettings, check_source};
use lexsarah::source::SourceFile;
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

/// One change to one line of a seed case, as fuzz input; applied by the library's helper.
#[derive(Debug, Arbitrary)]
enum FuzzEdit {
    Value(u16, String),
    Quoted(u16, String),
    Append(u16, String),
    Insert(u16, String),
    Remove(u16),
    Repeat(u16, u8),
}

impl From<FuzzEdit> for Edit {
    fn from(edit: FuzzEdit) -> Self {
        match edit {
            FuzzEdit::Value(i, text) => Edit::Value(i.into(), text),
            FuzzEdit::Quoted(i, text) => Edit::Quoted(i.into(), text),
            FuzzEdit::Append(i, text) => Edit::Append(i.into(), text),
            FuzzEdit::Insert(i, text) => Edit::Insert(i.into(), text),
            FuzzEdit::Remove(i) => Edit::Remove(i.into()),
            FuzzEdit::Repeat(i, n) => Edit::Repeat(i.into(), n),
        }
    }
}

#[derive(Debug, Arbitrary)]
struct Input {
    seed: u8,
    /// Which of the case's documents to render: one per run keeps runs short.
    doc: u8,
    edits: Vec<FuzzEdit>,
}

fuzz_target!(|input: Input| {
    let edits: Vec<Edit> = input.edits.into_iter().take(16).map(Edit::from).collect();
    let text = mutate(SEEDS[input.seed as usize % SEEDS.len()], &edits);
    let source = SourceFile {
        path: Path::new("fuzz.yaml").to_path_buf(),
        text,
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
