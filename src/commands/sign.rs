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
use crate::sign::key::{Pkcs12Key, Signer};
use crate::sign::token::{TokenChoice, TokenKey};
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
    let passphrase = match passphrase(args) {
        Ok(p) => p,
        Err(problem) => return cannot_run(err, &problem),
    };
    let signer = match open_signer(args, &passphrase) {
        Ok(Ok(signer)) => signer,
        Ok(Err(e)) => return refused(args, &e, err),
        Err(problem) => return cannot_run(err, &problem),
    };
    drop(passphrase);
    let signer_name = signer.certificate().common_name();
    let signed = sign::sign(SignRequest {
        pdf,
        field: &args.field,
        signer: signer.as_ref(),
        now: chrono::Local::now().fixed_offset(),
        allow_personnummer: args.allow_personnummer,
    });
    let bytes = match signed {
        Ok(bytes) => bytes,
        Err(e) => return refused(args, &e, err),
    };
    // Signed documents are as confidential as what they sign: a replaced file keeps its mode,
    // a new one is created for its owner (or under the folder's default ACL).
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

/// Reports why the PDF was not signed: exit 1, nothing written.
fn refused(args: &SignArgs, e: &SignError, err: &mut dyn Write) -> ExitStatus {
    let problem = Diagnostic::error(
        &args.pdf,
        Pos::UNKNOWN,
        Code::SigneringAvbruten,
        e.to_string(),
    )
    .with_hint(hint(e));
    let _ = write!(err, "{}", crate::diagnostics::format_human(&[problem]));
    let _ = writeln!(err, "fel: ingenting skrevs");
    ExitStatus::Failure
}

/// The signer's key: from the PKCS#12 file or the PKCS#11 token named. The outer `Err` is a
/// usage problem (exit 2), the inner one a refusal of the key (exit 1).
fn open_signer(
    args: &SignArgs,
    passphrase: &Zeroizing<String>,
) -> Result<Result<Box<dyn Signer>, SignError>, Diagnostic> {
    if let Some(p12) = &args.p12 {
        let bytes = crate::files::read(p12, MAX_P12_BYTES, None).map_err(|e| {
            argument_problem(
                "--p12",
                format!("{} kan inte läsas: {}", p12.display(), e.reason()),
            )
            .with_hint("ange PKCS#12-filen (.p12 eller .pfx) med din nyckel och ditt certifikat")
        })?;
        let bytes = Zeroizing::new(bytes);
        return Ok(Pkcs12Key::open(&bytes, passphrase).map(|k| Box::new(k) as Box<dyn Signer>));
    }
    let (Some(module), Some(token), Some(key)) = (&args.pkcs11, &args.token, &args.key) else {
        return Err(argument_problem(
            "--p12",
            "ange nyckeln: --p12 FIL, eller --pkcs11 MODUL --token NAMN --key NAMN",
        )
        .with_hint("se README, Signing"));
    };
    let choice = TokenChoice { module, token, key };
    Ok(TokenKey::open(&choice, passphrase).map(|k| Box::new(k) as Box<dyn Signer>))
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
    let what = match (&args.p12, &args.token) {
        (Some(p12), _) => format!("Lösenord för {}: ", display(p12)),
        (None, Some(token)) => format!("PIN-kod för {token}: "),
        _ => "Lösenord: ".to_string(),
    };
    rpassword::prompt_password(what)
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
