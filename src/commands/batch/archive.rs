//! The archive folder: made ready, each case's PDFs written into it, and packed as a zip.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::Outcome;
use super::discover::{Found, slashed};
use super::listings::ManifestRow;
use super::{BatchConfig, failure};
use crate::check::CheckedCase;
use crate::diagnostics::{Code, Diagnostic};
use crate::document::{DocKind, file_stem};
use crate::output::{self, write_atomic};
use crate::render::Rendered;
use crate::source::io_reason;

/// Creates the archive folder, checks it can be written, and removes temporary files a killed
/// run left behind.
pub(super) fn prepare(archive: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(archive)?;
    output::temp_file_in(archive)?;
    for entry in walkdir::WalkDir::new(archive)
        .max_depth(2)
        .into_iter()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && output::is_temp_name(&name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Writes a case's PDFs into `ARCHIVE/<stem>/`: a file with the same bytes is left alone.
pub(super) fn write_case(
    config: &BatchConfig,
    found: &Found,
    checked: &CheckedCase,
    rendered: Vec<(DocKind, Rendered)>,
) -> Result<Outcome, Vec<Diagnostic>> {
    let case = &checked.loaded.case;
    let profile = &checked.profile.profile;
    let diarienummer = &case.arende.diarienummer.value.0;
    let stem = file_stem(diarienummer);
    let folder = config.archive.join(&stem);
    let io_failure = |target: &Path, e: &std::io::Error| {
        vec![failure(
            &found.path,
            Code::Skrivfel,
            format!("{} kan inte skrivas: {}", target.display(), io_reason(e)),
            "kontrollera att arkivmappen finns och att du får skriva i den",
        )]
    };
    std::fs::create_dir_all(&folder).map_err(|e| io_failure(&folder, &e))?;
    // Every document is compared first, so that a refused case changes nothing in the archive.
    let mut unchanged = Vec::new();
    for (doc, r) in &rendered {
        let target = folder.join(doc.file_name(diarienummer));
        let existing = std::fs::read(&target).ok();
        if let Some(existing) = existing.as_deref().filter(|e| *e != r.pdf)
            && !config.render.force
        {
            if output::is_signed(existing) {
                return Err(vec![failure(
                    &found.path,
                    Code::SigneradPdf,
                    format!(
                        "{} har signerats sedan den gjordes och skrivs inte över",
                        target.display()
                    ),
                    "en ny PDF skulle ta bort underskriften; lägg det ändrade ärendet i ett nytt arkiv, eller ange --force om den signerade ska ersättas",
                )]);
            }
            return Err(vec![failure(
                &found.path,
                Code::ArkivetAndrat,
                format!(
                    "{} finns redan i arkivet med annat innehåll; arkivet skrivs inte över",
                    target.display()
                ),
                "ändrades ärendet efter arkiveringen? Lägg det ändrade ärendet i ett nytt arkiv, eller ange --force för att ersätta filen",
            )]);
        }
        unchanged.push(existing.is_some_and(|e| e == r.pdf));
    }
    let mut rows = Vec::new();
    let mut written = 0;
    for ((doc, r), unchanged) in rendered.into_iter().zip(unchanged) {
        let name = doc.file_name(diarienummer);
        let target = folder.join(&name);
        if !unchanged {
            write_atomic(&target, &r.pdf).map_err(|e| io_failure(&target, &e))?;
            written += 1;
        }
        let date = doc.date(case).map(|d| d.iso()).unwrap_or_default();
        rows.push(ManifestRow {
            diarienummer: diarienummer.clone(),
            handlingstyp: profile.document_name(doc).to_string(),
            datum: date,
            rubrik: case.arende.rubrik.value.clone(),
            profil: profile.id.clone(),
            sidor: r.pages,
            sekretess: if doc.is_confidential(case) {
                "ja"
            } else {
                "nej"
            }
            .into(),
            fil: format!("{stem}/{name}"),
            sha256: hex(&Sha256::digest(&r.pdf)),
            kalla: found.kalla.clone(),
        });
    }
    Ok(Outcome::Done { rows, written })
}

/// Packs the archive folder into `ARCHIVE.zip`: sorted entries, fixed times, so the same
/// archive gives the same zip.
pub(super) fn pack(archive: &Path) -> Result<(), Diagnostic> {
    let name = archive
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "arkiv".into());
    let target = archive.with_file_name(format!("{name}.zip"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let fail = |e: &dyn std::fmt::Display| {
        Diagnostic::error(
            &target,
            crate::diagnostics::Pos::UNKNOWN,
            Code::Skrivfel,
            format!("{} kan inte packas: {e}", target.display()),
        )
        .with_hint("kontrollera att mappen bredvid arkivet finns och att du får skriva i den")
    };
    // Written straight to a temporary file beside the target, not held in memory: a year's
    // archive is hundreds of megabytes.
    let folder = archive.parent().filter(|p| !p.as_os_str().is_empty());
    let temp =
        output::temp_file_in(folder.unwrap_or(Path::new("."))).map_err(|e| fail(&io_reason(&e)))?;
    let mut writer = zip::ZipWriter::new(std::io::BufWriter::new(temp));
    for entry in walkdir::WalkDir::new(archive)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(archive) else {
            continue;
        };
        let path = format!("{name}/{}", slashed(relative));
        let mut file = std::fs::File::open(entry.path()).map_err(|e| fail(&io_reason(&e)))?;
        writer.start_file(path, options).map_err(|e| fail(&e))?;
        std::io::copy(&mut file, &mut writer).map_err(|e| fail(&io_reason(&e)))?;
    }
    let temp = writer
        .finish()
        .map_err(|e| fail(&e))?
        .into_inner()
        .map_err(|e| fail(&io_reason(e.error())))?;
    temp.as_file()
        .sync_all()
        .map_err(|e| fail(&io_reason(&e)))?;
    temp.persist(&target)
        .map_err(|e| fail(&io_reason(&e.error)))?;
    Ok(())
}

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
