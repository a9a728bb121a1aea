//! `lexsarah deadlines`: one screen for the lex Sarah-ansvarig, as of a date.

use std::io::Write;

use super::batch::discover;
use super::{cannot_run, date_argument, report_case};
use crate::ExitStatus;
use crate::check::{self, CheckSettings};
use crate::cli::{DeadlinesArgs, FormatArg};
use crate::deadlines;
use crate::profile::AllowedPaths;

/// Lists what every case under the folders waits for; exit 0 when nothing is late, 3 when
/// something is, 1 when a case was refused (it is named), 2 when the command cannot run.
pub fn run(args: &DeadlinesArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let today = match date_argument("--date", args.date.as_deref()) {
        Ok(date) => date,
        Err(problem) => return cannot_run(err, &problem),
    };
    let allowed = match AllowedPaths::new(&args.profile.allow_paths) {
        Ok(allowed) => allowed,
        Err(message) => {
            let problem = crate::diagnostics::Diagnostic::error(
                std::path::Path::new("--allow-path"),
                crate::diagnostics::Pos::UNKNOWN,
                crate::diagnostics::Code::KanInteKoras,
                message,
            );
            return cannot_run(err, &problem);
        }
    };
    let found = match discover::discover(&args.dirs) {
        Ok(found) => found,
        Err(problem) => return cannot_run(err, &problem),
    };
    let settings = CheckSettings {
        profile: args.profile.profile.clone(),
        today,
        allowed,
        ..CheckSettings::new()
    };
    let mut items = Vec::new();
    let mut refused = false;
    for f in &found {
        if let Some(problem) = &f.refused {
            refused = true;
            report_case(err, &f.path, std::slice::from_ref(problem));
            continue;
        }
        match check::check_case(&f.path, &settings) {
            Ok(checked) => items.extend(deadlines::of_case(&checked.loaded.case, &f.kalla, today)),
            Err(problems) => {
                refused = true;
                report_case(err, &f.path, &problems);
            }
        }
    }
    match args.format {
        FormatArg::Human => {
            let _ = write!(out, "{}", deadlines::table(&items, today));
        }
        FormatArg::Json => {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
            );
        }
    }
    if refused {
        ExitStatus::Failure
    } else if items.iter().any(|d| d.forsenat) {
        ExitStatus::Overdue
    } else {
        ExitStatus::Success
    }
}
