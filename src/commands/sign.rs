//! `lexsarah sign`: fill a signature field of a PDF lexsarah made, with a key from a PKCS#12
//! file, into a new file; the PDF keeps its PDF/A standard.

use std::io::Write;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::{argument_problem, cannot_run};
use crate::ExitStatus;
use crate::cli::SignArgs;
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::output::{Access, write_file};
use crate::sign::key::Pkcs12Key;
use crate::sign::{self, SignError, SignRequest};

/// The largest PKCS#12 file read.
const MAX_P12_BYTES: u64 = 1024 * 1024;

/// Signs the field and writes the signed PDF; exit 1 when it cannot be signed (nothing is
/// written), 2 for a usage error or an unreadable file.
pub fn run(args: &SignArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let target = match target(args) {
        Ok(target) => target,
        Err(problem) => return cannot_run(err, &problem),
    };
    let pdf = match crate::files::read(&args.pdf, crate::output::MAX_PDF_BYTES, None) {
        Ok(bytes) => bytes,
        Err(e) => {
            return cannot_run(
                err,
                &argument_problem(
                    "PDF",
                    format!("{} kan inte läsas: {}", args.pdf.display(), e.reason()),
                )
                .with_hint("ange en PDF som lexsarah har gjort"),
            );
        }
    };
    let p12 = match crate::files::read(&args.p12, MAX_P12_BYTES, None) {
        Ok(bytes) => Zeroizing::new(bytes),
        Err(e) => {
            return cannot_run(
                err,
                &argument_problem(
                    "--p12",
                    format!("{} kan inte läsas: {}", args.p12.display(), e.reason()),
                )
                .with_hint(
                    "ange PKCS#12-filen (.p12 eller .pfx) med din nyckel och ditt certifikat",
                ),
            );
        }
    };
    let passphrase = match passphrase(args) {
        Ok(p) => p,
        Err(problem) => return cannot_run(err, &problem),
    };
    let signed = Pkcs12Key::open(&p12, &passphrase).and_then(|key| {
        let now = chrono::Local::now().fixed_offset();
        let signer_name = crate::sign::key::Signer::certificate(&key).common_name();
        sign::sign(SignRequest {
            pdf,
            field: &args.field,
            signer: &key,
            now,
            allow_personnummer: args.allow_personnummer,
        })
        .map(|bytes| (bytes, signer_name))
    });
    drop(passphrase);
    match signed {
        Ok((bytes, signer_name)) => {
            // Signed documents are as confidential as what they sign: a replaced file keeps its
            // mode, a new one is created for its owner (or under the folder's default ACL).
            if let Err(e) = write_file(&target, &bytes, Access::Private) {
                return cannot_run(
                    err,
                    &Diagnostic::error(
                        &target,
                        Pos::UNKNOWN,
                        Code::Skrivfel,
                        format!(
                            "{} kan inte skrivas: {}",
                            target.display(),
                            crate::source::io_reason(&e)
                        ),
                    )
                    .with_hint("välj en annan fil med --out"),
                );
            }
            let _ = writeln!(out, "{}", target.display());
            let _ = writeln!(
                err,
                "signerade {} i {} som {}",
                args.field,
                crate::diagnostics::shown(&target),
                crate::diagnostics::printable(&signer_name)
            );
            ExitStatus::Success
        }
        Err(e) => {
            let problem = Diagnostic::error(
                &args.pdf,
                Pos::UNKNOWN,
                Code::SigneringAvbruten,
                e.to_string(),
            )
            .with_hint(hint(&e));
            let _ = write!(err, "{}", crate::diagnostics::format_human(&[problem]));
            let _ = writeln!(err, "error: ingenting skrevs");
            ExitStatus::Failure
        }
    }
}

/// What to do about a refusal.
fn hint(e: &SignError) -> String {
    match e {
        SignError::WrongPassphrase => "försök igen med rätt lösenord; programmet försöker bara en gång, så att ett kort inte låses".into(),
        SignError::Key(_) => "kontrollera att filen är din PKCS#12-fil med en RSA- eller ECDSA P-256-nyckel".into(),
        SignError::KeyMismatch => "PKCS#12-filen är felaktig; be den som gav ut certifikatet om en ny".into(),
        SignError::NotValidNow { .. } => "signera med ett certifikat som gäller i dag".into(),
        SignError::PersonnummerInPublished => "signera med ett certifikat utan personnummer (till exempel organisationens), eller ange --allow-personnummer om personnumret får följa med".into(),
        SignError::Pdf(crate::render::signature::fill::FillError::NoSuchField(_)) => "ange ett av fälten med --field".into(),
        SignError::Pdf(crate::render::signature::fill::FillError::AlreadySigned) => "välj ett annat fält; ett fält signeras en gång".into(),
        SignError::Pdf(_) => "signera en PDF som lexsarah har gjort, okrypterad".into(),
        SignError::Internal(_) => "det här är ett fel i lexsarah; rapportera det gärna".into(),
    }
}

/// Where the signed PDF goes: `--out`, or `<name>-signerad.pdf` beside the input; a PDF already
/// signed (`…-signerad.pdf`) gets its next signature in place, since the new file holds every
/// byte of it. An existing other file is not written over.
fn target(args: &SignArgs) -> Result<PathBuf, Diagnostic> {
    if let Some(out) = &args.out {
        if out == &args.pdf {
            return Ok(out.clone());
        }
        return refuse_existing(out.clone());
    }
    let stem = args
        .pdf
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem.ends_with("-signerad") {
        return Ok(args.pdf.clone());
    }
    let name = format!("{stem}-signerad.pdf");
    refuse_existing(args.pdf.with_file_name(name))
}

fn refuse_existing(target: PathBuf) -> Result<PathBuf, Diagnostic> {
    if target.exists() {
        return Err(argument_problem(
            "--out",
            format!("{} finns redan och skrivs inte över", target.display()),
        )
        .with_hint("ange en annan fil med --out, eller signera vidare i den signerade filen"));
    }
    Ok(target)
}

/// The passphrase: from the environment variable named, else asked for without echo.
fn passphrase(args: &SignArgs) -> Result<Zeroizing<String>, Diagnostic> {
    if let Some(name) = &args.pin_env {
        return std::env::var(name).map(Zeroizing::new).map_err(|_| {
            argument_problem("--pin-env", format!("miljövariabeln {name} finns inte"))
                .with_hint("sätt variabeln, eller utelämna --pin-env så frågar programmet")
        });
    }
    rpassword::prompt_password(format!("Lösenord för {}: ", display(&args.p12)))
        .map(Zeroizing::new)
        .map_err(|e| {
            argument_problem(
                "--pin-env",
                format!("lösenordet kan inte frågas efter: {e}"),
            )
            .with_hint("kör i ett terminalfönster, eller ange --pin-env VARIABEL")
        })
}

fn display(path: &Path) -> String {
    crate::diagnostics::shown(path)
}
