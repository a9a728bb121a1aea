//! `lexsarah profiles`: list the built-in profiles, or print one as a starting point.

use std::io::Write;
use std::path::Path;

use crate::ExitStatus;
use crate::cli::{ProfilesAction, ProfilesArgs};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::profile::{self, Layout};

/// Lists the built-in profiles, or prints the one named by `show NAME`.
pub fn run(args: &ProfilesArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    match &args.action {
        None => list(out, err),
        Some(ProfilesAction::Show { name }) => match profile::built_in_text(name) {
            Some(text) => {
                let _ = write!(out, "{text}");
                ExitStatus::Success
            }
            None => {
                let names: Vec<_> = profile::built_in_names().collect();
                let problem = Diagnostic::error(
                    Path::new(name),
                    Pos::UNKNOWN,
                    Code::OkandProfil,
                    format!("det finns ingen inbyggd profil som heter `{name}`"),
                )
                .with_hint(format!("inbyggda profiler: {}", names.join(", ")));
                super::cannot_run(err, &problem)
            }
        },
    }
}

/// Prints one line per built-in profile (name, layout, kommun, förvaltning), and how to go on.
fn list(out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    for name in profile::built_in_names() {
        let Ok(resolved) = profile::resolve(
            name,
            Path::new("."),
            Path::new(name),
            Pos::UNKNOWN,
            &profile::AllowedPaths::default(),
            false,
        ) else {
            continue;
        };
        let p = resolved.profile;
        let layout = match p.layout {
            Layout::Stockholm => "stockholm",
            Layout::Mjolby => "mjolby",
        };
        let _ = writeln!(
            out,
            "{name:<12} layout {layout:<10} {}, {}",
            p.kommun, p.forvaltning
        );
    }
    let _ = writeln!(
        err,
        "hint: skriv ut en med `lexsarah profiles show NAMN > min-profil.yaml`, ändra den och ange filen i ärendet (`profil: min-profil.yaml`)."
    );
    ExitStatus::Success
}
