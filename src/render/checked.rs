//! Rendering a checked case: which documents, their PDFs in memory, and writing them to a folder.
//!
//! `render` and `batch` both render through [`render_case`]; `render` writes with [`write_case`],
//! `batch` into its archive.

use std::path::{Path, PathBuf};

use super::{PdfSettings, RenderError, Rendered, Templates, prepare, project};
use crate::case::Case;
use crate::check::{CheckSettings, CheckedCase};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::document::{DocKind, file_stem};
use crate::output::{self, Access, write_file};
use crate::source::io_reason;

/// How cases are checked, rendered and written, validated from the command line.
#[derive(Debug, Clone)]
pub struct RenderSettings {
    /// The documents asked for with `--doc`; `None` means every document the case has.
    pub docs: Option<Vec<DocKind>>,
    /// How cases are checked before rendering.
    pub check: CheckSettings,
    /// The PDF standards the user chose; `None` uses each document's default.
    pub pdf: Option<PdfSettings>,
    /// Whether empty signature fields are put over the signature lines.
    pub signature_fields: bool,
    /// The templates to render with.
    pub templates: Templates,
    /// A folder to write each document's Typst project into.
    pub emit_typst: Option<PathBuf>,
    /// Also write where each PDF's signature lines are, as `<stem>-<doc>.underskriftsfalt.json`.
    pub field_places: bool,
    /// Overwrite a PDF that has been signed since it was rendered (in a batch, any PDF whose
    /// bytes differ from the new one).
    pub force: bool,
}

impl RenderSettings {
    /// What `lexsarah render` does without options: every document, each with its own PDF
    /// standards and empty signature fields, the built-in templates, nothing else written.
    pub fn defaults(check: CheckSettings) -> Self {
        Self {
            docs: None,
            check,
            pdf: None,
            signature_fields: true,
            templates: Templates::embedded(),
            emit_typst: None,
            field_places: false,
            force: false,
        }
    }

    /// The documents to render for a case: those asked for, or every one it has a section for.
    pub fn wanted(&self, case: &Case) -> Vec<DocKind> {
        match &self.docs {
            Some(docs) => docs.clone(),
            None => DocKind::all_in(case),
        }
    }
}

/// Renders the wanted documents of a checked case into memory; stops at the first document
/// that fails, with its problems.
pub fn render_case(
    settings: &RenderSettings,
    checked: &CheckedCase,
) -> Result<Vec<(DocKind, Rendered)>, Vec<Diagnostic>> {
    let (case, profile) = (&checked.loaded.case, &checked.profile);
    let path = &checked.loaded.source.path;
    settings
        .wanted(case)
        .into_iter()
        .map(|doc| {
            let mut pdf = settings
                .pdf
                .clone()
                .unwrap_or_else(|| PdfSettings::default_for(doc));
            // The profile may switch the empty fields off for a signing service that refuses
            // an unsigned PDF with a form.
            pdf.signature_fields =
                settings.signature_fields && profile.profile.underskriftsfalt != Some(false);
            let failed = |e: RenderError| failed(path, &settings.templates, e);
            let prepared = prepare(case, profile, doc).map_err(failed)?;
            if let Some(dir) = &settings.emit_typst {
                let name = format!("{}-{doc}", file_stem(&case.arende.diarienummer.value.0));
                project::emit(&dir.join(name), &settings.templates, &prepared)
                    .map_err(|e| failed(e.into()))?;
            }
            let mut rendered =
                super::compile(&prepared, &settings.templates, &pdf).map_err(failed)?;
            rendered.companion = match doc {
                DocKind::Notis => {
                    super::notice::notice(case, &profile.profile).map(|n| super::Companion {
                        what: "webbsida",
                        bytes: super::notice::html(&n).into_bytes(),
                    })
                }
                DocKind::Anmalan => {
                    super::anmalan::blankett(case, &profile.profile).map(|b| super::Companion {
                        what: "text för IVO:s e-tjänst",
                        bytes: super::anmalan::text(&b).into_bytes(),
                    })
                }
                _ => None,
            };
            Ok((doc, rendered))
        })
        .collect()
}

/// A document that could not be made, as diagnostics that say what to do: Typst's errors each
/// at its line in the template, the others at the case file.
fn failed(path: &Path, templates: &Templates, e: RenderError) -> Vec<Diagnostic> {
    let at_case = |code, hint: String| {
        vec![Diagnostic::error(path, Pos::UNKNOWN, code, e.to_string()).with_hint(hint)]
    };
    match &e {
        RenderError::NoSection(doc) => at_case(
            Code::Renderingsfel,
            format!("lägg till avsnittet `{doc}:` i ärendefilen, eller utelämna --doc {doc}"),
        ),
        RenderError::Project(_) => at_case(
            Code::Skrivfel,
            "kontrollera mappen som --emit-typst pekar på".into(),
        ),
        RenderError::Typst(errors) => errors
            .iter()
            .map(|t| {
                let file = t
                    .file
                    .as_deref()
                    .map_or_else(|| path.to_path_buf(), |f| templates.origin_of(f));
                let mut problem = Diagnostic::error(
                    &file,
                    t.pos,
                    Code::Renderingsfel,
                    format!("{} kunde inte göras av {}: {}", path.display(), file.display(), t.message),
                )
                .with_hint("det här är ett fel i lexsarah eller i mallarna; rapportera det gärna med ärendefilen avidentifierad");
                // The template's text as Typst read it, not as the folder holds it now.
                problem.source = templates
                    .files()
                    .iter()
                    .find(|(name, _)| Some(name.as_str()) == t.file.as_deref())
                    .map(|(_, text)| text.as_str().into());
                problem
            })
            .collect(),
    }
}

/// What a file written for a document is: a PDF of some pages, or another file, said in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// A PDF of this many pages.
    Pages(usize),
    /// Another file, such as "webbsida".
    Other(&'static str),
}

/// Writes rendered documents atomically into `folder`; returns the files written.
///
/// Everything that would stop a document is found before any is written: a PDF signed since
/// it was made (unless `force`), or a folder where a PDF should go. Then nothing is written.
pub fn write_case(
    folder: &Path,
    path: &Path,
    case: &Case,
    rendered: Vec<(DocKind, Rendered)>,
    force: bool,
    field_places: bool,
) -> Result<Vec<(PathBuf, Written)>, Vec<Diagnostic>> {
    let diarienummer = &case.arende.diarienummer.value.0;
    // Each file to write: (where, bytes, pages or what it is); a notice is also a web page, an
    // anmälan also a text for IVO's e-tjänst, and with
    // `field_places` each PDF has its signature lines beside it.
    let files: Vec<(PathBuf, Vec<u8>, Written, Access)> = rendered
        .into_iter()
        .flat_map(|(doc, r)| {
            // Every file of a confidential document is its owner's alone (or the folder's
            // default ACL's); a public document's as the umask allows.
            let access = if doc.is_confidential(case) {
                Access::Private
            } else {
                Access::Shared
            };
            let page = r
                .companion
                .zip(doc.companion_name(diarienummer))
                .map(|(c, name)| (folder.join(name), c.bytes, Written::Other(c.what), access));
            let places = field_places.then(|| {
                let mut json = serde_json::to_vec_pretty(&r.fields).unwrap_or_default();
                json.push(b'\n');
                (
                    folder.join(doc.places_name(diarienummer)),
                    json,
                    Written::Other("underskriftsfältens platser"),
                    access,
                )
            });
            std::iter::once((
                folder.join(doc.file_name(diarienummer)),
                r.pdf,
                Written::Pages(r.pages),
                access,
            ))
            .chain(page)
            .chain(places)
        })
        .collect();
    let targets: Vec<&PathBuf> = files.iter().map(|(target, ..)| target).collect();
    let at = |code, message: String, hint: &str| {
        Diagnostic::error(path, Pos::UNKNOWN, code, message).with_hint(hint)
    };
    let signed: Vec<Diagnostic> = targets
        .iter()
        .filter(|target| target.extension().is_some_and(|e| e == "pdf"))
        .filter(|target| !force && output::is_signed_pdf(target))
        .map(|target| {
            at(
                Code::SigneradPdf,
                format!(
                    "{} har signerats sedan den gjordes och skrivs inte över",
                    target.display()
                ),
                "en ny PDF skulle ta bort underskriften; gör bara de andra handlingarna med --doc, skriv den nya i en annan mapp med --out, eller ange --force om den signerade ska ersättas",
            )
        })
        .collect();
    if !signed.is_empty() {
        return Err(signed);
    }
    let blocked: Vec<Diagnostic> = targets
        .iter()
        .filter(|target| target.is_dir())
        .map(|target| {
            at(
                Code::Skrivfel,
                format!(
                    "{} kan inte skrivas: det står en mapp där filen ska skrivas",
                    target.display()
                ),
                "flytta eller byt namn på mappen, eller välj en annan med --out",
            )
        })
        .collect();
    if !blocked.is_empty() {
        return Err(blocked);
    }
    let mut written = Vec::new();
    for (target, bytes, pages, access) in files {
        if let Err(e) = write_file(&target, &bytes, access) {
            return Err(vec![at(
                Code::Skrivfel,
                format!("{} kan inte skrivas: {}", target.display(), io_reason(&e)),
                "kontrollera att mappen finns och att du får skriva i den, eller välj en annan med --out",
            )]);
        }
        written.push((target, pages));
    }
    Ok(written)
}
