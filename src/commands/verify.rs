//! `lexsarah verify`: what each signature of signed PDFs says, for the registrator before
//! archiving.

use std::io::Write;

use super::{argument_problem, cannot_run};
use crate::ExitStatus;
use crate::cli::{FormatArg, VerifyArgs};
use crate::sign::cert::Cert;
use crate::sign::verify::{self, Report};

/// The largest trust anchor read.
const MAX_CERT_BYTES: u64 = 256 * 1024;

/// What every human report ends with: what was not checked.
const CAVEAT: &str = "/M är undertecknarens egen uppgift om när; spärrstatus (om certifikatet har återkallats) har inte kontrollerats.";

/// Verifies every PDF: 0 when each has a signature and every one holds, 1 otherwise, 2 for a
/// usage error or an unreadable file.
pub fn run(args: &VerifyArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let mut trust = Vec::new();
    for path in &args.trust {
        match read_cert(path) {
            Ok(cert) => trust.push(cert),
            Err(message) => {
                return cannot_run(
                    err,
                    &argument_problem("--trust", message)
                        .with_hint("ange ett certifikat i PEM- eller DER-form"),
                );
            }
        }
    }
    let mut status = ExitStatus::Success;
    let mut reports = Vec::new();
    for path in &args.pdfs {
        let report = crate::files::read(path, crate::output::MAX_PDF_BYTES, None)
            .map_err(|e| e.reason())
            .and_then(|bytes| {
                verify::verify(&bytes, &trust)
                    .map_err(|e| crate::sign::SignError::Pdf(e).to_string())
            });
        match report {
            Ok(report) => {
                if !report.holds() {
                    status = status.max(ExitStatus::Failure);
                }
                reports.push((path, Some(report), None));
            }
            Err(why) => {
                status = ExitStatus::Error;
                reports.push((path, None, Some(why)));
            }
        }
    }
    match args.format {
        FormatArg::Json => {
            let json: Vec<serde_json::Value> = reports
                .iter()
                .map(|(path, report, why)| {
                    serde_json::json!({
                        "file": path.display().to_string(),
                        "holds": report.as_ref().is_some_and(Report::holds),
                        "standard": report.as_ref().and_then(|r| r.standard.clone()),
                        "signatures": report.as_ref().map(|r| r.signatures.clone()).unwrap_or_default(),
                        "trust_checked": !trust.is_empty(),
                        "error": why,
                    })
                })
                .collect();
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        FormatArg::Human => {
            for (path, report, why) in &reports {
                let shown = crate::diagnostics::shown(path);
                match (report, why) {
                    (Some(report), _) => human(out, &shown, report, !trust.is_empty()),
                    (None, Some(why)) => {
                        let _ = writeln!(err, "fel: {shown} kan inte läsas: {why}");
                    }
                    _ => {}
                }
            }
            let _ = writeln!(out, "{CAVEAT}");
        }
    }
    status
}

/// One PDF's report for people.
fn human(out: &mut dyn Write, shown: &str, report: &Report, trust_checked: bool) {
    let standard = report
        .standard
        .as_deref()
        .unwrap_or("ingen PDF/A-standard angiven");
    let _ = writeln!(out, "{shown}: {standard}");
    if report.signatures.is_empty() {
        let _ = writeln!(out, "  ingen signatur");
        return;
    }
    let yes = |ok: bool, good: &str, bad: &str| {
        if ok {
            good.to_string()
        } else {
            bad.to_string()
        }
    };
    for s in &report.signatures {
        let printable = crate::diagnostics::printable;
        let _ = writeln!(
            out,
            "  {}: {} av {}",
            s.field,
            yes(s.holds, "giltig", "GILTIG INTE"),
            printable(&s.signer)
        );
        // Common names only: a personal certificate's subject may carry a personnummer.
        let _ = writeln!(out, "    utfärdare: {}", printable(&s.issuer_name));
        let when = crate::sign::parse_pdf_date(&s.signed_at)
            .map(|t| t.format("%Y-%m-%d %H:%M:%S %:z").to_string())
            .unwrap_or_else(|| s.signed_at.clone());
        let _ = writeln!(out, "    tid (/M): {}", printable(&when));
        let _ = writeln!(
            out,
            "    innehållet: {}",
            yes(
                s.digest_holds && s.covers_revision,
                "oförändrat sedan signeringen (SHA-256 över /ByteRange stämmer)",
                "ÄNDRAT eller inte täckt av signaturen"
            )
        );
        let _ = writeln!(
            out,
            "    signaturen: {}",
            yes(
                s.signature_holds,
                "håller med certifikatets nyckel",
                "HÅLLER INTE"
            )
        );
        let _ = writeln!(
            out,
            "    certifikatet: {}",
            yes(s.certificate_valid, "gällde vid /M", "GÄLLDE INTE vid /M")
        );
        match s.trusted {
            Some(true) => {
                let _ = writeln!(
                    out,
                    "    förtroende: leder till ett angivet förtroendeankare"
                );
            }
            Some(false) => {
                let _ = writeln!(
                    out,
                    "    förtroende: LEDER INTE till något angivet förtroendeankare"
                );
            }
            None => {}
        }
        if s.pades_b_b {
            let _ = writeln!(out, "    form: PAdES B-B");
        }
        let after: Vec<String> = s
            .changes_after
            .iter()
            .map(|c| {
                if c.allowed {
                    c.what.clone()
                } else {
                    format!("{} (INTE TILLÅTET efter en signatur)", c.what)
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "    ändrat efter signaturen: {}",
            if after.is_empty() {
                "inget".to_string()
            } else {
                after.join(", ")
            }
        );
    }
    if !trust_checked {
        let _ = writeln!(
            out,
            "  certifikaten är inte kontrollerade mot något förtroendeankare (ange --trust CERT)"
        );
    }
}

/// A certificate from a PEM or DER file.
fn read_cert(path: &std::path::Path) -> Result<Cert, String> {
    let bytes = crate::files::read(path, MAX_CERT_BYTES, None)
        .map_err(|e| format!("{} kan inte läsas: {}", path.display(), e.reason()))?;
    let der = if bytes.starts_with(b"-----BEGIN") {
        let text = String::from_utf8_lossy(&bytes);
        let (_, der) = der::pem::decode_vec(text.as_bytes())
            .map_err(|e| format!("{} är inget PEM-certifikat: {e}", path.display()))?;
        der
    } else {
        bytes
    };
    Cert::from_der(&der).map_err(|e| format!("{}: {e}", path.display()))
}
