//! The archive folder: made ready, each case's PDFs written into it, and packed as a zip.

use std::path::Path;

use super::Outcome;
use super::discover::{Found, slashed};
use super::listings::ManifestRow;
use super::{BatchConfig, failure};
use crate::check::CheckedCase;
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::document::{DocKind, file_stem};
use crate::files::ReadError;
use crate::output::{self, Access, write_file};
use crate::render::Rendered;
use crate::render::signature::FieldPlace;
use crate::source::io_reason;

/// The name of the lock file a running batch holds in its archive.
pub(super) const LOCK_NAME: &str = ".lexsarah-las";

/// The lock a batch holds on its archive for as long as it runs: a second batch into the same
/// archive is refused at once instead of writing beside it.
///
/// The lock is an advisory lock on the archive folder's own handle, which no one can delete
/// from under a run without deleting the archive; the lock file beside it only names who holds
/// the lock.
pub(crate) struct ArchiveLock {
    /// The archive folder, locked.
    _folder: std::fs::File,
    /// The file that names the holder.
    file: std::fs::File,
}

impl Drop for ArchiveLock {
    /// Leaves the lock file empty, so that a finished archive is the same whoever made it.
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
    }
}

/// Takes the archive's lock, naming in it who holds it; refused while another run holds it.
pub(crate) fn lock(archive: &Path, who: &str) -> Result<ArchiveLock, Diagnostic> {
    let path = archive.join(LOCK_NAME);
    let problem = |message: String, hint: &str| {
        Diagnostic::error(archive, Pos::UNKNOWN, Code::KanInteKoras, message).with_hint(hint)
    };
    let cannot = |e: std::io::Error| {
        problem(
            format!(
                "arkivmappen {} kan inte låsas: {}",
                archive.display(),
                io_reason(&e)
            ),
            "kontrollera att du får skriva i arkivmappen",
        )
    };
    std::fs::create_dir_all(archive).map_err(cannot)?;
    let folder = std::fs::File::open(archive).map_err(cannot)?;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(cannot)?;
    match folder.try_lock() {
        Ok(()) => {
            use std::io::Write;
            let holder = format!(
                "{who}, process {}, startad {}\n",
                std::process::id(),
                chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
            );
            file.set_len(0).map_err(cannot)?;
            file.write_all(holder.as_bytes()).map_err(cannot)?;
            Ok(ArchiveLock {
                _folder: folder,
                file,
            })
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let holder = crate::files::read(&path, 4096, None)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).trim().to_string())
                .unwrap_or_default();
            Err(problem(
                format!(
                    "arkivet {} används av en annan körning ({holder})",
                    archive.display()
                ),
                "vänta tills den är klar, eller skriv till ett annat arkiv med --out",
            ))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(cannot(e)),
    }
}

/// The label of the temporary zip of an archive, beside it: found and removed by its next run.
fn zip_label(archive: &Path) -> String {
    let name = archive
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("zip-{name}-")
}

/// The folder the archive (and its zip) lie in.
fn parent_of(archive: &Path) -> &Path {
    archive
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Checks the locked archive can be written, and removes the temporary files a killed run of
/// it left behind, its half-written zip beside it included.
pub(super) fn prepare(archive: &Path) -> std::io::Result<()> {
    output::temp_file_in(archive)?;
    for entry in walkdir::WalkDir::new(archive)
        .max_depth(2)
        .into_iter()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && output::is_temp_name(&name, "") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let label = zip_label(archive);
    for entry in std::fs::read_dir(parent_of(archive))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if output::is_temp_name(&name, &label) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Reads a file inside the archive, following no link out of it; `None` when there is none.
pub(super) fn read_inside(archive: &Path, path: &Path) -> Result<Option<Vec<u8>>, String> {
    let root = archive.canonicalize().map_err(|e| io_reason(&e))?;
    match crate::files::read(
        path,
        output::MAX_PDF_BYTES,
        Some(std::slice::from_ref(&root)),
    ) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(ReadError::Outside(real)) => Err(format!(
            "den är en länk ut ur arkivet (till {}); arkivet följer inga länkar",
            real.display()
        )),
        Err(e) => Err(e.reason()),
    }
}

/// One file of a case in the archive: a document's PDF, or its companion (a notice's web page,
/// an anmälan's text for IVO's e-tjänst).
struct CaseFile {
    doc: DocKind,
    name: String,
    bytes: Vec<u8>,
    /// Its pages; none for a companion.
    pages: Option<usize>,
    /// Where its signature lines are.
    fields: Vec<FieldPlace>,
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
    let refuse = |message: String| {
        vec![failure(
            &found.path,
            Code::Skrivfel,
            message,
            "ta bort länken ur arkivet eller gör arkivet på nytt i en annan mapp",
        )]
    };
    if std::fs::symlink_metadata(&folder).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(refuse(format!(
            "{} är en symbolisk länk; arkivet följer inga länkar",
            folder.display()
        )));
    }
    std::fs::create_dir_all(&folder).map_err(|e| io_failure(&folder, &e))?;
    // Each file of the case, a PDF and its companion where it has one.
    let files: Vec<CaseFile> = rendered
        .into_iter()
        .flat_map(|(doc, r)| {
            let page = r
                .companion
                .zip(doc.companion_name(diarienummer))
                .map(|(c, name)| CaseFile {
                    doc,
                    name,
                    bytes: c.bytes,
                    pages: None,
                    fields: Vec::new(),
                });
            std::iter::once(CaseFile {
                doc,
                name: doc.file_name(diarienummer),
                bytes: r.pdf,
                pages: Some(r.pages),
                fields: r.fields,
            })
            .chain(page)
        })
        .collect();
    // The checked case data the documents were made from, for the package to the e-arkiv
    // (`lexsarah sip`), which reads only the archive: confidential like the PDFs.
    let data_name = case_data_name(diarienummer);
    let data = case_data(checked);
    // A signed copy in the case's folder, recognised by its content: its first revision is,
    // byte for byte, the PDF made now.
    let signed = signed_copies(&config.archive, &folder, &files);
    // Every file is compared first, so that a refused case changes nothing in the archive.
    let mut unchanged = Vec::new();
    for CaseFile { name, bytes, .. } in &files {
        let target = folder.join(name);
        let existing = read_inside(&config.archive, &target)
            .map_err(|reason| refuse(format!("{} kan inte läsas: {reason}", target.display())))?;
        // Signed in place since it was archived: it stays, and its signatures are recorded.
        if existing
            .as_deref()
            .is_some_and(|e| e.len() > bytes.len() && e.starts_with(bytes) && output::is_signed(e))
        {
            unchanged.push(true);
            continue;
        }
        if let Some(existing) = existing.as_deref().filter(|e| e != bytes)
            && !config.render.force
        {
            if name.ends_with(".pdf") && output::is_signed(existing) {
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
        unchanged.push(existing.is_some_and(|e| e == *bytes));
    }
    let data_target = folder.join(&data_name);
    let data_existing = read_inside(&config.archive, &data_target).map_err(|reason| {
        refuse(format!(
            "{} kan inte läsas: {reason}",
            data_target.display()
        ))
    })?;
    if data_existing.as_deref().is_some_and(|e| e != data) && !config.render.force {
        return Err(vec![failure(
            &found.path,
            Code::ArkivetAndrat,
            format!(
                "{} finns redan i arkivet med annat innehåll; arkivet skrivs inte över",
                data_target.display()
            ),
            "ändrades ärendet efter arkiveringen? Lägg det ändrade ärendet i ett nytt arkiv, eller ange --force för att ersätta filen",
        )]);
    }
    let mut rows = Vec::new();
    let mut written = 0;
    if data_existing.as_deref() != Some(data.as_slice()) {
        // Not counted among the documents written: it is their data, not one of them.
        write_file(&data_target, &data, Access::Private)
            .map_err(|e| io_failure(&data_target, &e))?;
    }
    for (file, unchanged) in files.into_iter().zip(unchanged) {
        let CaseFile {
            doc,
            name,
            bytes,
            pages,
            fields,
        } = file;
        let target = folder.join(&name);
        let confidential = doc.is_confidential(case);
        if !unchanged {
            let access = if confidential {
                Access::Private
            } else {
                Access::Shared
            };
            write_file(&target, &bytes, access).map_err(|e| io_failure(&target, &e))?;
            written += 1;
        }
        let date = doc.date(case).map(|d| d.iso()).unwrap_or_default();
        let (signerad_fil, signaturer) = match signed.get(&name) {
            Some((file, signatures)) => (Some(format!("{stem}/{file}")), signatures.clone()),
            None => (None, Vec::new()),
        };
        let diarium = doc.diarium(case, profile);
        rows.push(ManifestRow {
            diarienummer: diarienummer.clone(),
            handlingstyp: profile.document_name(doc).to_string(),
            datum: date,
            riktning: diarium.riktning.to_string(),
            avsandare: diarium.avsandare,
            mottagare: diarium.mottagare,
            rubrik: case.arende.rubrik.value.clone(),
            profil: profile.id.clone(),
            sidor: pages,
            sekretess: if confidential { "ja" } else { "nej" }.into(),
            fil: format!("{stem}/{name}"),
            sha256: output::sha256_hex(&bytes),
            kalla: found.kalla.clone(),
            underskriftsfalt: fields,
            signerad_fil,
            signaturer,
            sekretess_grund: if confidential {
                sekretess_grund(case, doc)
            } else {
                String::new()
            },
        });
    }
    Ok(Outcome::Done { rows, written })
}

/// The name of the case data file in a case's folder of the archive: `<stem>-arende.json`.
pub fn case_data_name(diarienummer: &str) -> String {
    format!("{}-arende.json", file_stem(diarienummer))
}

/// The checked case data as the archive keeps it: the case and the profile it was checked
/// with (its logo left out), as JSON, the same bytes for the same case.
fn case_data(checked: &CheckedCase) -> Vec<u8> {
    let mut profile =
        serde_json::to_value(&checked.profile.profile).unwrap_or(serde_json::Value::Null);
    if let Some(map) = profile.as_object_mut() {
        map.remove("logotyp");
    }
    // The case as it is written (text as typed, codes such as "3.10" as written), not as the
    // templates read it, so that it reads back as the same case.
    let source = &checked.loaded.source;
    let arende = crate::source::parse_yaml::<crate::source::structure::Node>(source)
        .map(|tree| crate::case::write::as_written(&tree, &source.text))
        .unwrap_or_default();
    let data = serde_json::json!({
        "format": CASE_DATA_FORMAT,
        "arende": arende,
        "profil": profile,
    });
    let mut bytes = serde_json::to_vec_pretty(&data).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The version of the case data file's format, so that a later lexsarah knows what it reads.
pub const CASE_DATA_FORMAT: u32 = 1;

/// The signed copies among the PDFs of a case's folder, by the name of the PDF each is a
/// signed copy of: (the copy's file name, its signatures). A copy holds every byte of the PDF
/// made now, followed by its signatures (incremental updates); where there are several, the
/// one with the most signatures.
fn signed_copies(
    archive: &Path,
    folder: &Path,
    files: &[CaseFile],
) -> std::collections::HashMap<String, (String, Vec<super::listings::Signering>)> {
    let mut copies: std::collections::HashMap<String, (String, Vec<super::listings::Signering>)> =
        std::collections::HashMap::new();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return copies;
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".pdf") && !n.starts_with('.'))
        .collect();
    names.sort();
    for name in names {
        let Ok(Some(bytes)) = read_inside(archive, &folder.join(&name)) else {
            continue;
        };
        // The byte comparison first: the PDFs a rerun finds unchanged are never parsed to look
        // for a signature.
        let copy_of = files
            .iter()
            .filter(|f| f.name.ends_with(".pdf"))
            .find(|f| bytes.len() > f.bytes.len() && bytes.starts_with(&f.bytes));
        let Some(file) = copy_of.filter(|_| output::is_signed(&bytes)) else {
            continue;
        };
        let signatures = super::listings::Signering::all_in(&bytes);
        let better = copies
            .get(&file.name)
            .is_none_or(|(_, known)| signatures.len() > known.len());
        if better {
            copies.insert(file.name.clone(), (name.clone(), signatures));
        }
    }
    copies
}

/// Packs the archive folder into `ARCHIVE.zip`: sorted entries, fixed times, so the same
/// archive gives the same zip.
pub(super) fn pack(archive: &Path, rows: &[ManifestRow]) -> Result<(), Diagnostic> {
    let name = archive
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "arkiv".into());
    let target = archive.with_file_name(format!("{name}.zip"));
    // Each document is dated with its own date, the listings with the newest document's: the
    // same archive still gives the same zip.
    let date_of = |datum: &str| {
        let d = crate::source::values::Date::parse(datum).ok()?;
        use chrono::Datelike;
        zip::DateTime::from_date_and_time(
            u16::try_from(d.0.year()).ok()?,
            d.0.month() as u8,
            d.0.day() as u8,
            0,
            0,
            0,
        )
        .ok()
    };
    let newest = rows
        .iter()
        .filter_map(|r| date_of(&r.datum).map(|d| (r.datum.as_str(), d)))
        .max_by_key(|(datum, _)| *datum)
        .map_or_else(zip::DateTime::default, |(_, d)| d);
    let options = |relative: &str| {
        let dated = rows
            .iter()
            .find(|r| r.fil == relative)
            .and_then(|r| date_of(&r.datum))
            .unwrap_or(newest);
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(dated)
            .unix_permissions(0o644)
    };
    let fail = |e: &dyn std::fmt::Display| {
        Diagnostic::error(
            &target,
            Pos::UNKNOWN,
            Code::Skrivfel,
            format!("{} kan inte packas: {e}", target.display()),
        )
        .with_hint("kontrollera att mappen bredvid arkivet finns och att du får skriva i den")
    };
    // Written straight to a temporary file beside the target, not held in memory: a year's
    // archive is hundreds of megabytes. A killed run's is removed by the next run.
    // The zip holds the confidential documents: its owner's alone, as they are.
    let temp = output::temp_file_for(parent_of(archive), &zip_label(archive), Access::Private)
        .map_err(|e| fail(&io_reason(&e)))?;
    let mut writer = zip::ZipWriter::new(std::io::BufWriter::new(temp));
    for entry in walkdir::WalkDir::new(archive)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let own = entry.file_name().to_string_lossy();
        // Every file of the archive, hidden ones too, but for the lock and temporary files.
        if !entry.file_type().is_file() || own == LOCK_NAME || output::is_temp_name(&own, "") {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(archive) else {
            continue;
        };
        let relative = slashed(relative);
        let path = format!("{name}/{relative}");
        let bytes = read_inside(archive, entry.path())
            .map_err(|reason| fail(&reason))?
            .unwrap_or_default();
        writer
            .start_file(path, options(&relative))
            .map_err(|e| fail(&e))?;
        std::io::Write::write_all(&mut writer, &bytes).map_err(|e| fail(&io_reason(&e)))?;
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

/// The paragraph a confidential document's sekretess rests on, from the lagrum table at its date.
fn sekretess_grund(case: &crate::case::Case, doc: DocKind) -> String {
    let table = crate::lagrum::table();
    doc.date(case)
        .and_then(|date| table.at(date))
        .and_then(|refs| refs.get("sekretess").map(|s| s.to_string()))
        .unwrap_or_default()
}
