//! `lexsarah sip`: an information package for the e-arkiv of each closed case in a batch archive.

use std::io::Write;

use super::{argument_problem, cannot_run, counted, folder_problem};
use crate::ExitStatus;
use crate::cli::SipArgs;
use crate::sip::source::{Archive, Refused};
use crate::sip::{SipSettings, WriteError, Written};
use crate::source::values::Date;

/// Packages every closed case of the archive; 0 when every case became a package, 1 when a
/// case was refused or could not be written, 2 when the command could not run at all.
pub fn run(args: &SipArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let date = match args.date.as_deref().map(Date::parse).transpose() {
        Ok(date) => date.map(|d| d.0),
        Err(message) => return cannot_run(err, &argument_problem("--date", message)),
    };
    if !args.archive.is_dir() {
        return cannot_run(
            err,
            &argument_problem("ARKIV", format!("{} är ingen mapp", args.archive.display()))
                .with_hint("ange arkivmappen som `lexsarah batch --out ARKIV` skrev"),
        );
    }
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        return cannot_run(
            err,
            &folder_problem(&args.out, "mappen", "kan inte skapas", &e),
        );
    }
    // The archive is not changed by a batch while it is read, and two runs never write one
    // package folder at once.
    let _archive_lock = match crate::commands::batch::archive::lock(&args.archive, "lexsarah sip") {
        Ok(lock) => lock,
        Err(problem) => return cannot_run(err, &problem),
    };
    let _out_lock = match crate::commands::batch::archive::lock(&args.out, "lexsarah sip") {
        Ok(lock) => lock,
        Err(problem) => return cannot_run(err, &problem),
    };
    crate::sip::clean(&args.out);
    let archive = match Archive::open(&args.archive) {
        Ok(archive) => archive,
        Err(message) => {
            return cannot_run(
                err,
                &argument_problem("ARKIV", message)
                    .with_hint("gör arkivet med `lexsarah batch MAPP --out ARKIV` först"),
            );
        }
    };
    let settings = SipSettings {
        date,
        today: chrono::Local::now().date_naive(),
    };
    let (mut made, mut unchanged, mut refused) = (0, 0, 0);
    for stem in archive.stems() {
        // One case at a time: its PDFs are read, packaged, written and let go.
        let written = archive.case(&stem, settings.today).and_then(|archived| {
            let package = crate::sip::package(archived, &settings);
            crate::sip::write(&package, &args.out, args.zip, args.force)
                .map_err(|e| not_written(&stem, e))
        });
        match written {
            Ok(Written::New(path)) => {
                made += 1;
                let _ = writeln!(out, "{}", path.display());
                let _ = writeln!(err, "skrev {} ({stem})", crate::diagnostics::shown(&path));
            }
            Ok(Written::Unchanged(path)) => {
                unchanged += 1;
                let _ = writeln!(out, "{}", path.display());
            }
            Err(r) => {
                refused += 1;
                let _ = writeln!(
                    err,
                    "fel: {} paketeras inte: {}\n  = tips: {}",
                    r.stem, r.reason, r.hint
                );
            }
        }
    }
    let _ = writeln!(
        err,
        "klart: {} ({} nya, {} oförändrade), {} avvisade",
        counted(made + unchanged, "paket", "paket"),
        made,
        unchanged,
        refused
    );
    if refused > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// Why a case's package could not be written, in words for the registrator.
fn not_written(stem: &str, e: WriteError) -> Refused {
    let (reason, hint) = match e {
        WriteError::Differs(path) => (
            format!(
                "{} finns redan med annat innehåll och skrivs inte över",
                path.display()
            ),
            "ändrades ärendet efter att paketet gjordes? Skriv till en annan mapp med --out, eller ange --force för att ersätta paketet",
        ),
        WriteError::Link(path) => (
            format!(
                "{} är en symbolisk länk; paketen skrivs inte genom länkar",
                path.display()
            ),
            "ta bort länken, eller välj en annan mapp med --out",
        ),
        WriteError::Io(path, e) => (
            format!(
                "{} kan inte skrivas: {}",
                path.display(),
                crate::source::io_reason(&e)
            ),
            "kontrollera att mappen finns och att du får skriva i den",
        ),
    };
    Refused {
        stem: stem.to_string(),
        reason,
        hint: hint.to_string(),
    }
}
