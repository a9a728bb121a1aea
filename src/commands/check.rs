//! `lexsarah check`: validate cases without rendering, for people or for editors.

use std::io::Write;
use std::path::Path;

use crate::ExitStatus;
use crate::case::Case;
use crate::check::{self, CheckSettings};
use crate::cli::{CheckArgs, FormatArg};
use crate::diagnostics::{self, Diagnostic};

/// Checks every case and prints what it found; exit 1 when any case would be refused.
pub fn run(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let settings = match super::check_settings(&args.profile) {
        Ok(settings) => CheckSettings {
            strict: args.rules.strict,
            ..settings
        },
        Err(problem) => return super::cannot_run(err, &problem),
    };
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut status = ExitStatus::Success;
    for path in &args.cases {
        let (found, refused) = match check::check_case(path, &settings) {
            Ok(checked) => {
                report_lagrum(err, path, &checked.loaded.case);
                (checked.warnings, false)
            }
            Err(problems) => (problems, true),
        };
        if refused {
            status = ExitStatus::Failure;
        }
        if args.diagnostic_format == FormatArg::Human {
            let text = diagnostics::format_human(&found);
            let _ = write!(err, "{text}");
            let verdict = match (refused, found.len()) {
                (true, _) => "avvisas".to_string(),
                (false, 0) => "inga fel".to_string(),
                (false, 1) => "godkänt, 1 varning".to_string(),
                (false, n) => format!("godkänt, {n} varningar"),
            };
            let _ = writeln!(err, "{}: {verdict}", crate::diagnostics::shown(path));
        }
        all.extend(found);
    }
    if args.diagnostic_format == FormatArg::Json {
        let _ = writeln!(out, "{}", diagnostics::format_json(&all));
    }
    status
}

/// Says on standard error which law the case's documents cite, one line for the case.
pub fn report_lagrum(err: &mut dyn Write, path: &Path, case: &Case) {
    if let Some(summary) = crate::lagrum::summary(case) {
        let _ = writeln!(
            err,
            "{}: lagrum: {summary}",
            crate::diagnostics::shown(path)
        );
    }
}
