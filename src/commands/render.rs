//! `lexsarah render`: check each case, render its documents, and write them atomically.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{report_case, settings};
use crate::ExitStatus;
use crate::check;
use crate::cli::RenderArgs;
use crate::diagnostics::{Code, Diagnostic};
use crate::document::stem_key;
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
    // The file stems this run has written, so that two cases never write one file.
    let mut stems = HashMap::new();
    config
        .cases
        .iter()
        .map(|path| render_one(config, path, &mut stems, out, err))
        .max()
        .unwrap_or(ExitStatus::Success)
}

/// Checks and renders one case; writes nothing for it unless every document rendered.
fn render_one(
    config: &RenderConfig,
    path: &Path,
    stems: &mut HashMap<String, PathBuf>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitStatus {
    match crate::source::read_source(path) {
        Ok(source) => render_source(config, source, stems, out, err),
        Err(problem) => report_case(err, path, &[problem]),
    }
}

/// Checks and renders one case already read (by [`render_one`], or beneath a folder's handle by
/// the browser form), writing into `--out` or beside the case's path; writes nothing for it
/// unless every document rendered.
pub fn render_source(
    config: &RenderConfig,
    source: crate::source::SourceFile,
    stems: &mut HashMap<String, PathBuf>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitStatus {
    let path = &source.path.clone();
    let checked = match check::check_source(source, &config.settings.check) {
        Ok(checked) => checked,
        Err(problems) => return report_case(err, path, &problems),
    };
    let number = &checked.loaded.case.arende.diarienummer;
    if let Some(earlier) = stems.get(&stem_key(&number.value.0)) {
        let mut duplicate = Diagnostic::error(
            path,
            number.pos,
            Code::DiarienummerDubblett,
            format!(
                "diarienumret \"{}\" ger samma filnamn som ärendet {} i samma körning",
                number.value.0,
                earlier.display()
            ),
        )
        .with_hint("rätta diarienumret eller gör ärendena i var sin mapp med --out");
        crate::lagrum::add_ground(&mut duplicate, None);
        return report_case(err, path, &[duplicate]);
    }
    stems.insert(stem_key(&number.value.0), path.to_path_buf());
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
            config.settings.field_places,
        )
    });
    match written {
        Ok(files) => {
            for (target, written) in files {
                let _ = writeln!(out, "{}", target.display());
                let what = match written {
                    checked::Written::Pages(pages) => super::counted(pages, "sida", "sidor"),
                    checked::Written::Other(what) => what.to_string(),
                };
                let _ = writeln!(err, "skrev {} ({what})", crate::diagnostics::shown(&target));
            }
            ExitStatus::Success
        }
        Err(problems) => report_case(err, path, &problems as &[Diagnostic]),
    }
}
