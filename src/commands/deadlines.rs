//! `lexsarah deadlines`: one screen for the lex Sarah-ansvarig, as of a date.

use std::io::Write;

use super::{cannot_run, check_folders};
use crate::ExitStatus;
use crate::cli::{DeadlinesArgs, FormatArg};
use crate::deadlines;

/// Lists what every case under the folders waits for; exit 0 when nothing is late, 3 when
/// something is, 1 when a case was refused (it is named), 2 when the command cannot run.
pub fn run(args: &DeadlinesArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let (today, folders) = match check_folders(&args.dirs, &args.profile, args.date.as_deref(), err)
    {
        Ok((settings, folders)) => (settings.today, folders),
        Err(problem) => return cannot_run(err, &problem),
    };
    let items: Vec<_> = folders
        .cases
        .iter()
        .flat_map(|(kalla, checked)| deadlines::of_case(&checked.loaded.case, kalla, today))
        .collect();
    let refused = !folders.refused.is_empty();
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
