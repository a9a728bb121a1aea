//! One module per subcommand; each turns its arguments into a config and runs it.

pub mod batch;
pub mod bench;
pub mod check;
pub mod deadlines;
pub mod profiles;
pub mod render;
pub mod serve;
pub mod sign;
pub mod sip;
pub mod summary;
pub mod verify;

use std::io::Write;
use std::path::Path;

use crate::ExitStatus;
use crate::check::CheckSettings;
use crate::cli::{ProfileArgs, RenderOptions, TypstArgs};
use crate::diagnostics::{self, Code, Diagnostic, Pos};
use crate::document::DocKind;
use crate::profile::AllowedPaths;
use crate::render::checked::RenderSettings;
use crate::render::{PdfSettings, Templates, project};
use crate::source::io_reason;

/// Validates what `render` and `batch` share; `typst` is `render`'s own Typst options.
pub fn settings(
    options: &RenderOptions,
    typst: Option<&TypstArgs>,
) -> Result<RenderSettings, Diagnostic> {
    let pdf = options
        .pdf
        .pdf_standard
        .as_deref()
        .map(PdfSettings::parse)
        .transpose()
        .map_err(|m| argument_problem("--pdf-standard", m))?;
    let templates = match typst.and_then(|t| t.templates.as_deref()) {
        Some(dir) => project::read_templates(dir)
            .map_err(|e| argument_problem("--templates", e.to_string()))?,
        None => Templates::embedded(),
    };
    let docs = (!options.docs.is_empty()).then(|| {
        let mut docs: Vec<DocKind> = options.docs.clone();
        docs.sort();
        docs.dedup();
        docs
    });
    Ok(RenderSettings {
        docs,
        check: CheckSettings {
            strict: options.rules.strict,
            ..check_settings(&options.profile)?
        },
        pdf,
        signature_fields: !options.pdf.no_signature_fields,
        templates,
        emit_typst: typst.and_then(|t| t.emit_typst.clone()),
        field_places: typst.is_some_and(|t| t.underskriftsfalt),
        force: options.force,
    })
}

/// Prints a case's diagnostics with the offending lines; says so when the case was refused.
///
/// Returns 1 when any of them refuses the case, else 0.
pub fn report_case(err: &mut dyn Write, path: &Path, problems: &[Diagnostic]) -> ExitStatus {
    let text = diagnostics::format_human(problems);
    let _ = write!(err, "{text}");
    if problems.iter().any(Diagnostic::is_error) {
        let _ = writeln!(
            err,
            "fel: {}: ärendet avvisades; inget skrevs för det",
            diagnostics::shown(path)
        );
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// A command-line argument that cannot be used, as a diagnostic naming it.
pub fn argument_problem(name: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Path::new(name), Pos::UNKNOWN, Code::KanInteKoras, message)
}

/// How cases are checked with the profile and folders `--profile` and `--allow-path` give.
pub fn check_settings(profile: &ProfileArgs) -> Result<CheckSettings, Diagnostic> {
    Ok(CheckSettings {
        profile: profile.profile.clone(),
        allowed: AllowedPaths::new(&profile.allow_paths)
            .map_err(|m| argument_problem("--allow-path", m))?,
        ..CheckSettings::new()
    })
}

/// A date given on the command line (`--date`), or why it is none.
pub fn date_argument(name: &str, text: Option<&str>) -> Result<chrono::NaiveDate, Diagnostic> {
    match text {
        None => Ok(chrono::Local::now().date_naive()),
        Some(text) => crate::source::values::Date::parse(text)
            .map(|d| d.0)
            .map_err(|message| {
                argument_problem(name, message).with_hint("skriv datumet som ÅÅÅÅ-MM-DD")
            }),
    }
}

/// Prints why the command could not run at all, and returns exit status 2.
pub fn cannot_run(err: &mut dyn Write, problem: &Diagnostic) -> ExitStatus {
    let text = diagnostics::format_human(std::slice::from_ref(problem));
    let _ = write!(err, "{text}");
    ExitStatus::Error
}

/// A folder the command needs that cannot be used, as a diagnostic naming it: "`noun` DIR
/// `failure`: the reason".
pub fn folder_problem(dir: &Path, noun: &str, failure: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        dir,
        Pos::UNKNOWN,
        Code::KanInteKoras,
        format!("{noun} {} {failure}: {}", dir.display(), io_reason(e)),
    )
    .with_hint("kontrollera att mappen finns och att du får skriva i den, eller välj en annan")
}

/// A number with its noun in the singular or the plural: "1 ärende", "2 ärenden".
pub(crate) fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The cases under folders checked as of a day: those that pass, with where each was found,
/// and how many were refused (each named on standard error as it is found).
pub(crate) struct CheckedFolders {
    /// The cases that pass, each with its path relative to the folder it was found under.
    pub cases: Vec<(String, crate::check::CheckedCase)>,
    /// The refused case files, relative to their folders.
    pub refused: Vec<String>,
}

/// Finds the case files under `dirs` and checks each as of `--date` (today without it) with
/// the profile arguments, for `deadlines` and `summary`; returns the settings used, too.
pub(crate) fn check_folders(
    dirs: &[std::path::PathBuf],
    profile: &ProfileArgs,
    date: Option<&str>,
    err: &mut dyn Write,
) -> Result<(CheckSettings, CheckedFolders), Diagnostic> {
    let today = date_argument("--date", date)?;
    let settings = CheckSettings {
        today,
        ..check_settings(profile)?
    };
    let found = batch::discover::discover(dirs)?;
    let mut folders = CheckedFolders {
        cases: Vec::new(),
        refused: Vec::new(),
    };
    for f in found {
        let checked = match f.refused {
            Some(problem) => Err(vec![problem]),
            None => f.check(&settings),
        };
        match checked {
            Ok(checked) => folders.cases.push((f.kalla, checked)),
            Err(problems) => {
                report_case(err, &f.path, &problems);
                folders.refused.push(f.kalla);
            }
        }
    }
    Ok((settings, folders))
}
