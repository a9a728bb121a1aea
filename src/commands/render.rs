//! `lexsarah render`: check each case, render its documents, and write them atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{report_case, settings};
use crate::ExitStatus;
use crate::check;
use crate::cli::RenderArgs;
use crate::diagnostics::Diagnostic;
use crate::render::checked::{self, RenderSettings};

/// The validated settings of one `render` run.
#[derive(Debug, Clone)]
pub struct RenderConfig {
    /// The case files, in the order given.
    pub cases: Vec<PathBuf>,
    /// The output folder; `None` writes beside each case.
    pub out: Option<PathBuf>,
    /// How each case is checked, rendered and written.
    pub settings: RenderSettings,
}

/// Validates the command-line arguments and renders every case.
pub fn run(args: RenderArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    match settings(&args.options, Some(&args.typst)) {
        Ok(settings) => render(
            &RenderConfig {
                cases: args.cases,
                out: args.out,
                settings,
            },
            out,
            err,
        ),
        Err(problem) => super::cannot_run(err, &problem),
    }
}

/// Renders every case, reporting each one's problems and going on with the next.
pub fn render(config: &RenderConfig, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let folders = [&config.out, &config.settings.emit_typst];
    for dir in folders.into_iter().flatten() {
        if let Err(e) = std::fs::create_dir_all(dir) {
            return super::cannot_run(
                err,
                &super::folder_problem(dir, "mappen", "kan inte skapas", &e),
            );
        }
    }
    config
        .cases
        .iter()
        .map(|path| render_one(config, path, out, err))
        .max()
        .unwrap_or(ExitStatus::Success)
}

/// Checks and renders one case; writes nothing for it unless every document rendered.
fn render_one(
    config: &RenderConfig,
    path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitStatus {
    let checked = match check::check_case(path, &config.settings.check) {
        Ok(checked) => checked,
        Err(problems) => return report_case(err, path, &problems),
    };
    report_case(err, path, &checked.warnings);
    super::check::report_lagrum(err, path, &checked.loaded.case);
    let folder = match &config.out {
        Some(dir) => dir.clone(),
        None => path.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let written = checked::render_case(&config.settings, &checked).and_then(|rendered| {
        checked::write_case(
            &folder,
            path,
            &checked.loaded.case,
            rendered,
            config.settings.force,
        )
    });
    match written {
        Ok(files) => {
            for (target, pages) in files {
                let _ = writeln!(out, "{}", target.display());
                let sidor = if pages == 1 { "sida" } else { "sidor" };
                let _ = writeln!(err, "skrev {} ({pages} {sidor})", target.display());
            }
            ExitStatus::Success
        }
        Err(problems) => report_case(err, path, &problems as &[Diagnostic]),
    }
}
