//! Rendering a case's documents to PDF with the embedded Typst engine.

pub mod anmalan;
pub mod checked;
pub mod data;
pub mod notice;
pub mod pdf;
pub mod project;
pub mod signature;
pub mod words;
pub mod world;

use thiserror::Error;
use typst::WorldExt;
use typst::diag::SourceDiagnostic;
use typst_layout::PagedDocument;

use crate::case::Case;
use crate::document::{DocKind, file_stem};
use crate::profile::ResolvedProfile;
pub use pdf::PdfSettings;
pub use world::{LexWorld, Templates};

/// Why a document could not be rendered.
#[derive(Debug, Error)]
pub enum RenderError {
    /// The case has no section for the document.
    #[error("ärendet har inget avsnitt `{0}`, så dokumentet kan inte göras")]
    NoSection(DocKind),
    /// A Typst project could not be written or read.
    #[error("Typst-projektet kunde inte skrivas: {0}")]
    Project(String),
    /// Typst refused the template or the data; a defect in the tool or a user's templates.
    #[error("mallen kunde inte sättas: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Typst(Vec<TemplateError>),
}

/// One of Typst's errors, at its place in a template where it has one.
#[derive(Debug, Clone)]
pub struct TemplateError {
    /// The template file inside the project (`docs/beslut.typ`), where known.
    pub file: Option<String>,
    /// The 1-based line and column in that file.
    pub pos: crate::diagnostics::Pos,
    /// What Typst said, with its hints.
    pub message: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.file {
            Some(file) => write!(
                f,
                "{file}:{}:{}: {}",
                self.pos.line, self.pos.column, self.message
            ),
            None => f.write_str(&self.message),
        }
    }
}

impl TemplateError {
    /// An error with no place in a template.
    fn unplaced(message: String) -> Self {
        Self {
            file: None,
            pos: crate::diagnostics::Pos::UNKNOWN,
            message,
        }
    }
}

/// A rendered document: its PDF bytes and page count.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// How many pages it has.
    pub pages: usize,
    /// The same content in another file beside the PDF: the notice's web page, the anmälan's
    /// text for IVO's e-tjänst.
    pub companion: Option<Companion>,
    /// Where its signature lines are (whether or not empty fields were put over them).
    pub fields: Vec<signature::FieldPlace>,
}

/// A file written beside a document's PDF with the same content in another form.
#[derive(Debug, Clone)]
pub struct Companion {
    /// What it is, as `render` reports it ("webbsida").
    pub what: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A document ready for Typst: its data file and the extra files (a logo) it reads.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The document.
    pub doc: DocKind,
    /// `data.json`: everything the template prints.
    pub data: Vec<u8>,
    /// Files beside the data, such as `logo.svg`: (path in the project, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    /// A stable identifier for the PDF, from the diarienummer and the document.
    pub ident: String,
}

/// Builds the data one document of a case is rendered from.
pub fn prepare(
    case: &Case,
    profile: &ResolvedProfile,
    doc: DocKind,
) -> Result<Prepared, RenderError> {
    let date = doc.date(case).ok_or(RenderError::NoSection(doc))?;
    let logo_path = profile.logo.as_ref().map(|logo| logo.name.clone());
    let data = data::document_data(case, &profile.profile, doc, date, logo_path);
    let unplaced =
        |e: serde_json::Error| RenderError::Typst(vec![TemplateError::unplaced(e.to_string())]);
    let mut data = serde_json::to_value(&data).map_err(unplaced)?;
    words::break_long_words(&mut data, words::NOT_PRINTED);
    let data = serde_json::to_vec_pretty(&data).map_err(unplaced)?;
    // The same name as the document's project folder, so an emitted project gives the same bytes.
    let ident = format!(
        "lexsarah/{}-{}",
        file_stem(&case.arende.diarienummer.value.0),
        doc.token()
    );
    Ok(Prepared {
        doc,
        data,
        files: profile
            .logo
            .iter()
            .map(|logo| (logo.name.clone(), logo.bytes.clone()))
            .collect(),
        ident,
    })
}

/// Keeps Typst's memoization cache to what the documents of the last `age` layouts used, so that
/// a long-running process (the browser form's previews) stays flat in memory, as batch does.
pub fn trim_cache(age: usize) {
    comemo::evict(age);
}

/// Lays out prepared data with the given templates into pages, as every PDF is made from; a
/// preview draws the same pages.
pub fn layout(prepared: &Prepared, templates: &Templates) -> Result<PagedDocument, RenderError> {
    lay_out(prepared, templates).map(|(_, document)| document)
}

/// [`layout`], keeping the world that places Typst's errors.
fn lay_out(
    prepared: &Prepared,
    templates: &Templates,
) -> Result<(LexWorld, PagedDocument), RenderError> {
    let world = LexWorld::new(
        templates.clone(),
        prepared.data.clone(),
        prepared.files.clone(),
    );
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| RenderError::Typst(describe(&world, &errors)))?;
    Ok((world, document))
}

/// Compiles prepared data with the given templates and exports it as PDF.
pub fn compile(
    prepared: &Prepared,
    templates: &Templates,
    settings: &PdfSettings,
) -> Result<Rendered, RenderError> {
    let (world, document) = lay_out(prepared, templates)?;
    let pdf = typst_pdf::pdf(&document, &settings.options(prepared.ident.clone()))
        .map_err(|errors| RenderError::Typst(describe(&world, &errors)))?;
    let fields = signature::find(&document);
    let pdf = if settings.signature_fields {
        signature::add(pdf, &fields).map_err(|e| {
            RenderError::Typst(vec![TemplateError::unplaced(format!(
                "underskriftsfälten kunde inte läggas till: {e}"
            ))])
        })?
    } else {
        pdf
    };
    Ok(Rendered {
        pdf,
        pages: document.pages().len(),
        companion: None,
        fields: fields.iter().map(signature::FieldPlace::from).collect(),
    })
}

/// Typst's errors, each with its place in the template, for a defect report.
fn describe(world: &LexWorld, errors: &[SourceDiagnostic]) -> Vec<TemplateError> {
    errors
        .iter()
        .map(|e| {
            let place = e.span.id().and_then(|id| {
                let source = world.source_text(id)?;
                let range = world.range(e.span)?;
                let (line, column) = source.lines().byte_to_line_column(range.start)?;
                Some((
                    id.get().vpath().get_without_slash().to_string(),
                    crate::diagnostics::Pos {
                        line: line as u32 + 1,
                        column: column as u32 + 1,
                    },
                ))
            });
            let hints: String = e
                .hints
                .iter()
                .map(|h| format!(" (tips: {})", h.v))
                .collect();
            let (file, pos) = match place {
                Some((file, pos)) => (Some(file), pos),
                None => (None, crate::diagnostics::Pos::UNKNOWN),
            };
            TemplateError {
                file,
                pos,
                message: format!("{}{hints}", e.message),
            }
        })
        .collect()
}
