//! `lexsarah render`: check each case, render its documents, and write them atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::ExitStatus;
use crate::case::{self, Case};
use crate::check::{self, CheckSettings, CheckedCase};
use crate::cli::{BatchArgs, DocArg, PdfArgs, ProfileArgs, RenderArgs, RuleArgs, TypstArgs};
use crate::diagnostics::{self, Diagnostic};
use crate::document::{DocKind, file_stem};
use crate::output::{self, write_atomic};
use crate::profile::AllowedPaths;
use crate::render::{self, PdfSettings, RenderError, Rendered, Templates, project};

/// The validated settings of one `render` run.
#[derive(Debug, Clone)]
pub struct RenderConfig {
    /// The case files, in the order given.
    pub cases: Vec<PathBuf>,
    /// The documents asked for with `--doc`; `None` means every document the case has.
    pub docs: Option<Vec<DocKind>>,
    /// The output folder; `None` writes beside each case.
    pub out: Option<PathBuf>,
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
    /// Overwrite a PDF that has been signed since it was rendered (in a batch, any PDF whose
    /// bytes differ from the new one).
    pub force: bool,
}

impl RenderConfig {
    /// Validates the command-line arguments of `batch`: how each case is rendered.
    pub fn for_batch(args: &BatchArgs) -> Result<Self, String> {
        Self::from_args(RenderArgs {
            cases: Vec::new(),
            docs: args.docs.clone(),
            out: None,
            profile: ProfileArgs {
                profile: args.profile.profile.clone(),
                allow_paths: args.profile.allow_paths.clone(),
            },
            rules: RuleArgs {
                strict: args.rules.strict,
            },
            pdf: PdfArgs {
                pdf_standard: args.pdf.pdf_standard.clone(),
                no_signature_fields: args.pdf.no_signature_fields,
            },
            typst: TypstArgs {
                emit_typst: None,
                templates: None,
            },
            force: args.force,
        })
    }

    /// Validates the command-line arguments.
    pub fn from_args(args: RenderArgs) -> Result<Self, String> {
        let pdf = args
            .pdf
            .pdf_standard
            .as_deref()
            .map(PdfSettings::parse)
            .transpose()?;
        let templates = match &args.typst.templates {
            Some(dir) => project::read_templates(dir).map_err(|e| e.to_string())?,
            None => Templates::embedded(),
        };
        let docs = (!args.docs.is_empty()).then(|| {
            let mut docs: Vec<DocKind> = args.docs.iter().map(|d| doc_kind(*d)).collect();
            docs.sort();
            docs.dedup();
            docs
        });
        Ok(Self {
            cases: args.cases,
            docs,
            out: args.out,
            check: CheckSettings {
                allowed: AllowedPaths::new(&args.profile.allow_paths)?,
                profile: args.profile.profile,
                strict: args.rules.strict,
                ..CheckSettings::new()
            },
            pdf,
            signature_fields: !args.pdf.no_signature_fields,
            templates,
            emit_typst: args.typst.emit_typst,
            force: args.force,
        })
    }
}

/// The document a `--doc` argument names.
pub fn doc_kind(arg: DocArg) -> DocKind {
    match arg {
        DocArg::Rapport => DocKind::Rapport,
        DocArg::Utredning => DocKind::Utredning,
        DocArg::Beslut => DocKind::Beslut,
        DocArg::Tjansteskrivelse => DocKind::Tjansteskrivelse,
    }
}

/// Renders every case, reporting each one's problems and going on with the next.
pub fn run(config: &RenderConfig, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    for dir in [&config.out, &config.emit_typst].into_iter().flatten() {
        if let Err(e) = std::fs::create_dir_all(dir) {
            let _ = writeln!(
                err,
                "error: mappen {} kan inte skapas: {}",
                dir.display(),
                case::load::io_reason(&e)
            );
            return ExitStatus::Error;
        }
    }
    config
        .cases
        .iter()
        .map(|path| render_case(config, path, out, err))
        .max()
        .unwrap_or(ExitStatus::Success)
}

/// Checks and renders one case; writes nothing for it unless every document rendered.
fn render_case(
    config: &RenderConfig,
    path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitStatus {
    let checked = match check::check_case(path, &config.check) {
        Ok(checked) => checked,
        Err(problems) => return report(err, &problems, path),
    };
    if !checked.warnings.is_empty() {
        report(err, &checked.warnings, path);
    }
    super::check::report_lagrum(err, path, &checked.loaded.case);
    match render_checked(config, &checked) {
        Ok(rendered) => write_documents(config, path, &checked.loaded.case, rendered, out, err),
        Err(e) => report_render_error(err, path, &e),
    }
}

/// The documents to render for a case: those asked for, or every one it has a section for.
pub fn wanted(config: &RenderConfig, case: &Case) -> Vec<DocKind> {
    match &config.docs {
        Some(docs) => docs.clone(),
        None => DocKind::all_in(case),
    }
}

/// Renders the wanted documents of a checked case into memory; stops at the first failure.
pub fn render_checked(
    config: &RenderConfig,
    checked: &CheckedCase,
) -> Result<Vec<(DocKind, Rendered)>, RenderError> {
    let (case, profile) = (&checked.loaded.case, &checked.profile);
    wanted(config, case)
        .into_iter()
        .map(|doc| {
            let mut settings = config
                .pdf
                .clone()
                .unwrap_or_else(|| PdfSettings::default_for(doc));
            settings.signature_fields = config.signature_fields;
            let prepared = render::prepare(case, profile, doc)?;
            if let Some(dir) = &config.emit_typst {
                let name = format!("{}-{doc}", file_stem(&case.arende.diarienummer.value.0));
                project::emit(&dir.join(name), &config.templates, &prepared)?;
            }
            Ok((
                doc,
                render::compile(&prepared, &config.templates, &settings)?,
            ))
        })
        .collect()
}

/// Writes rendered documents atomically into `--out`, or beside the case.
fn write_documents(
    config: &RenderConfig,
    path: &Path,
    case: &Case,
    rendered: Vec<(DocKind, Rendered)>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitStatus {
    let folder = match &config.out {
        Some(dir) => dir.clone(),
        None => path.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let diarienummer = &case.arende.diarienummer.value.0;
    let targets: Vec<PathBuf> = rendered
        .iter()
        .map(|(doc, _)| folder.join(doc.file_name(diarienummer)))
        .collect();
    // Everything that would stop a document is found before any document is written: a
    // signature is the one thing a re-render must not destroy, and a folder may stand where a
    // PDF should go.
    let signed: Vec<&PathBuf> = targets
        .iter()
        .filter(|target| !config.force && output::is_signed_pdf(target))
        .collect();
    if !signed.is_empty() {
        return write_nothing(
            err,
            path,
            &signed,
            "har signerats sedan den gjordes och skrivs inte över",
            "en ny PDF skulle ta bort underskriften; skriv den nya i en annan mapp med --out, eller ange --force om den signerade ska ersättas",
        );
    }
    let blocked: Vec<&PathBuf> = targets.iter().filter(|target| target.is_dir()).collect();
    if !blocked.is_empty() {
        return write_nothing(
            err,
            path,
            &blocked,
            "kan inte skrivas: det står en mapp där filen ska skrivas",
            "flytta eller byt namn på mappen, eller välj en annan med --out",
        );
    }
    for ((_, r), target) in rendered.into_iter().zip(targets) {
        if let Err(e) = write_atomic(&target, &r.pdf) {
            let _ = writeln!(
                err,
                "error: {}: {} kan inte skrivas: {}",
                path.display(),
                target.display(),
                case::load::io_reason(&e)
            );
            let _ = writeln!(
                err,
                "hint: kontrollera att mappen finns och att du får skriva i den, eller välj en annan med --out"
            );
            return ExitStatus::Failure;
        }
        let _ = writeln!(out, "{}", target.display());
        let sidor = if r.pages == 1 { "sida" } else { "sidor" };
        let _ = writeln!(err, "skrev {} ({} {sidor})", target.display(), r.pages);
    }
    ExitStatus::Success
}

/// Says why none of a case's documents is written, naming each target in the way.
fn write_nothing(
    err: &mut dyn Write,
    path: &Path,
    targets: &[&PathBuf],
    reason: &str,
    hint: &str,
) -> ExitStatus {
    for target in targets {
        let _ = writeln!(
            err,
            "error: {}: {} {reason}",
            path.display(),
            target.display()
        );
    }
    let _ = writeln!(err, "hint: {hint}");
    let _ = writeln!(err, "error: {}: inget skrevs för ärendet", path.display());
    ExitStatus::Failure
}

/// Prints a case's diagnostics with the offending lines, and says whether the case was refused.
fn report(err: &mut dyn Write, problems: &[Diagnostic], path: &Path) -> ExitStatus {
    let text = diagnostics::format_human(problems, &diagnostics::read_for_display);
    let _ = write!(err, "{text}");
    if problems.iter().any(Diagnostic::is_error) {
        let _ = writeln!(
            err,
            "error: {}: ärendet avvisades; inget skrevs för det",
            path.display()
        );
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// Prints why a document could not be rendered, with what to do about it.
fn report_render_error(err: &mut dyn Write, path: &Path, e: &RenderError) -> ExitStatus {
    let _ = writeln!(err, "error: {}: {e}", path.display());
    match e {
        RenderError::NoSection(doc) => {
            let _ = writeln!(
                err,
                "hint: lägg till avsnittet `{doc}:` i ärendefilen, eller utelämna --doc {doc}"
            );
            ExitStatus::Failure
        }
        RenderError::Project(_) => {
            let _ = writeln!(err, "hint: kontrollera mappen som --emit-typst pekar på");
            ExitStatus::Failure
        }
        RenderError::Typst(_) => {
            let _ = writeln!(
                err,
                "hint: det här är ett fel i lexsarah eller i mallarna; rapportera det gärna med ärendefilen avidentifierad"
            );
            ExitStatus::Failure
        }
    }
}
