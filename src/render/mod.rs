//! Rendering a case's documents to PDF with the embedded Typst engine.

pub mod checked;
pub mod data;
pub mod pdf;
pub mod project;
pub mod signature;
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
    #[error("mallen kunde inte sättas: {0}")]
    Typst(String),
}

/// A rendered document: its PDF bytes and page count.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// How many pages it has.
    pub pages: usize,
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
    let data = serde_json::to_vec_pretty(&data).map_err(|e| RenderError::Typst(e.to_string()))?;
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

/// Compiles prepared data with the given templates and exports it as PDF.
pub fn compile(
    prepared: &Prepared,
    templates: &Templates,
    settings: &PdfSettings,
) -> Result<Rendered, RenderError> {
    let world = LexWorld::new(
        templates.clone(),
        prepared.data.clone(),
        prepared.files.clone(),
    );
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| RenderError::Typst(describe(&world, &errors)))?;
    let pdf = typst_pdf::pdf(&document, &settings.options(prepared.ident.clone()))
        .map_err(|errors| RenderError::Typst(describe(&world, &errors)))?;
    let pdf = if settings.signature_fields {
        signature::add(pdf, &signature::find(&document)).map_err(|e| {
            RenderError::Typst(format!("underskriftsfälten kunde inte läggas till: {e}"))
        })?
    } else {
        pdf
    };
    Ok(Rendered {
        pdf,
        pages: document.pages().len(),
    })
}

/// Describes Typst's errors with their place in the template, for a defect report.
fn describe(world: &LexWorld, errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| {
            let place = e
                .span
                .id()
                .and_then(|id| {
                    let source = world.source_text(id)?;
                    let range = world.range(e.span)?;
                    let (line, column) = source.lines().byte_to_line_column(range.start)?;
                    Some(format!(
                        "{}:{}:{}: ",
                        id.get().vpath().get_without_slash(),
                        line + 1,
                        column + 1
                    ))
                })
                .unwrap_or_default();
            let hints: String = e
                .hints
                .iter()
                .map(|h| format!(" (hint: {})", h.v))
                .collect();
            format!("{place}{}{hints}", e.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}
