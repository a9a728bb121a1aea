//! `lexsarah batch`: every case under some folders, rendered on all cores into an archive.

use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::SyncSender;
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::render::{RenderConfig, render_checked};
use crate::ExitStatus;
use crate::case::load::io_reason;
use crate::check::{self, CheckedCase};
use crate::diagnostics::{self, Diagnostic, Pos, Severity};
use crate::document::{DocKind, file_stem};
use crate::output::{self, write_atomic};
use crate::render::Rendered;

/// The settings of one `batch` run.
#[derive(Debug, Clone)]
pub struct BatchConfig {
    /// The folders searched for case files.
    pub dirs: Vec<PathBuf>,
    /// The archive folder.
    pub archive: PathBuf,
    /// How many cases are rendered at once; `None` uses every core.
    pub jobs: Option<usize>,
    /// Also pack the archive into `ARCHIVE.zip`.
    pub zip: bool,
    /// Draw a progress bar (standard error is a terminal).
    pub progress_bar: bool,
    /// How each case is checked and rendered (its `cases`, `out` and `emit_typst` are unused);
    /// its `force` also replaces a PDF in the archive whose bytes differ from the new one.
    pub render: RenderConfig,
}

/// One row of the manifest: one PDF, as a registrator registers it in the diarium.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestRow {
    /// The case's diarienummer.
    pub diarienummer: String,
    /// The document's name as the profile prints it.
    pub handlingstyp: String,
    /// The document's date (ISO 8601).
    pub datum: String,
    /// The case's rubrik.
    pub rubrik: String,
    /// The profile's id.
    pub profil: String,
    /// The number of pages.
    pub sidor: usize,
    /// Whether the document carries the sekretess marking: `ja` or `nej`.
    pub sekretess: String,
    /// The PDF's path relative to the archive, with `/` between folders.
    pub fil: String,
    /// The SHA-256 of the PDF's bytes, in lowercase hex.
    pub sha256: String,
    /// The case file, relative to the folder it was found under.
    pub kalla: String,
}

/// One problem of a refused or failed case, as `fel.json` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    /// The case file, relative to the folder it was found under.
    pub kalla: String,
    /// The 1-based line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rad: Option<u32>,
    /// The 1-based column, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kolumn: Option<u32>,
    /// The rule's code.
    pub regel: &'static str,
    /// What is wrong.
    pub meddelande: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tips: Option<String>,
}

/// A case file found under one of the folders.
#[derive(Debug, Clone)]
struct Found {
    path: PathBuf,
    kalla: String,
}

/// What the first pass learns of a case: its diarienummer, file stem and where it is written,
/// or why it is refused.
type Key = Result<(String, String, Pos), Vec<Diagnostic>>;

/// What became of one case.
enum Outcome {
    /// Rendered: its manifest rows, and how many PDFs were new or replaced.
    Done {
        rows: Vec<ManifestRow>,
        written: usize,
    },
    /// Refused or failed, with its problems.
    Failed(Vec<Diagnostic>),
}

/// The stack of each worker: Typst's layout recurses deeply, and the main thread has 8 MiB.
const WORKER_STACK: usize = 16 << 20;

/// Runs a batch and returns 0 when every case rendered, 1 when any did not, 2 when it could not run.
pub fn run(config: &BatchConfig, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let started = Instant::now();
    let found = match discover(&config.dirs) {
        Ok(found) => found,
        Err(message) => return fatal(err, &message),
    };
    if let Err(e) = prepare_archive(&config.archive) {
        return fatal(
            err,
            &format!(
                "arkivmappen {} kan inte skrivas: {}",
                config.archive.display(),
                io_reason(&e)
            ),
        );
    }
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs.unwrap_or(0))
        .stack_size(WORKER_STACK)
        .build()
    {
        Ok(pool) => pool,
        Err(e) => return fatal(err, &format!("arbetstrådarna kunde inte startas: {e}")),
    };

    let mut progress = Progress::new(found.len(), config.progress_bar);
    let mut outcomes: Vec<Option<Outcome>> = Vec::new();
    outcomes.resize_with(found.len(), || None);
    // A few cases may wait to be written, not the whole batch.
    let (send, receive) = std::sync::mpsc::sync_channel(2 * pool.current_num_threads());
    let cases = &found;
    std::thread::scope(|scope| {
        scope.spawn(|| pool.install(move || work(config, cases, send)));
        // The PDFs are written here while the workers render the next cases, so that waiting
        // for the disk costs no worker time; progress is reported here too, in finishing order.
        for (i, made) in receive {
            if let (Some(f), Some(slot)) = (found.get(i), outcomes.get_mut(i)) {
                let outcome = store_case(config, f, made);
                progress.step(&f.kalla, &outcome);
                *slot = Some(outcome);
            }
        }
    });
    progress.finish();

    let mut rows = Vec::new();
    let mut refusals = Vec::new();
    let (mut documents, mut pages, mut written, mut failed) = (0, 0, 0, 0);
    for (f, outcome) in found.iter().zip(outcomes) {
        let outcome = outcome.unwrap_or_else(|| {
            Outcome::Failed(vec![failure(
                &f.path,
                "internt-fel",
                "lexsarah gjorde aldrig färdigt ärendet".into(),
                "det här är ett fel i lexsarah; rapportera det gärna",
            )])
        });
        match outcome {
            Outcome::Done {
                rows: r,
                written: w,
            } => {
                documents += r.len();
                pages += r.iter().map(|row| row.sidor).sum::<usize>();
                written += w;
                for row in &r {
                    let _ = writeln!(out, "{}", config.archive.join(&row.fil).display());
                }
                rows.extend(r);
            }
            Outcome::Failed(problems) => {
                failed += 1;
                report(err, &problems, &f.path);
                refusals.extend(problems.iter().filter(|d| d.is_error()).map(|d| Refusal {
                    kalla: f.kalla.clone(),
                    rad: d.line,
                    kolumn: d.column,
                    regel: d.code,
                    meddelande: d.message.clone(),
                    tips: d.hint.clone(),
                }));
            }
        }
    }

    let rows = merge_with_archive(&config.archive, rows, err);
    if let Err(message) = write_listings(&config.archive, &rows, &refusals) {
        return fatal(err, &message);
    }
    if config.zip
        && let Err(message) = pack(&config.archive)
    {
        return fatal(err, &message);
    }

    let seconds = started.elapsed().as_secs_f64();
    let _ = writeln!(
        err,
        "klart: {} ärenden, {documents} handlingar ({written} nya eller ändrade), {pages} sidor, {failed} avvisade, {seconds:.1} s, {:.1} handlingar/s",
        found.len(),
        documents as f64 / seconds.max(1e-9),
    );
    if failed > 0 {
        let _ = writeln!(
            err,
            "error: {failed} ärenden avvisades eller misslyckades; se ovan eller {}",
            config.archive.join("fel.json").display()
        );
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// Checks every case, then renders them on the current pool, sending each by its index.
fn work(config: &BatchConfig, found: &[Found], send: SyncSender<(usize, Made)>) {
    // First every case is checked, so that a repeated diarienummer is found in sorted order
    // whatever order the workers finish in; only the keys are kept, to keep memory flat.
    let keys: Vec<Key> = found
        .par_iter()
        .map(|f| {
            catch_unwind(AssertUnwindSafe(|| {
                check::check_case(&f.path, &config.render.check).map(|c| {
                    let d = &c.loaded.case.arende.diarienummer;
                    (d.value.0.clone(), file_stem(&d.value.0), d.pos)
                })
            }))
            .unwrap_or_else(|panic| Err(vec![crashed(&f.path, panic.as_ref())]))
        })
        .collect();
    let duplicates = duplicates(found, &keys);
    // One long-lived job per worker takes the next case in turn. Typst parallelises inside a
    // case on the same pool; with no case jobs left in the queues, a worker that waits there
    // can only help with that small work, never start a second case on top of its stack.
    let next = AtomicUsize::new(0);
    let age = rayon::current_num_threads() + 1;
    rayon::broadcast(|_| {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let (Some(f), Some(key)) = (found.get(i), keys.get(i)) else {
                break;
            };
            let made = match (key, duplicates.get(&i)) {
                (Err(problems), _) => Made::Failed(problems.clone()),
                (Ok(_), Some(problem)) => Made::Failed(vec![problem.clone()]),
                (Ok(_), None) => make_case(config, f),
            };
            // Keep Typst's cache to what the cases being rendered now use.
            comemo::evict(age);
            if send.send((i, made)).is_err() {
                break;
            }
        }
    });
}

/// Every case file (`*.yaml`, `*.yml`) under the folders, in sorted order; profile files are skipped.
fn discover(dirs: &[PathBuf]) -> Result<Vec<Found>, String> {
    let mut found = Vec::new();
    for dir in dirs {
        if !dir.is_dir() {
            return Err(format!(
                "{} är ingen mapp; ange mappar med ärendefiler",
                dir.display()
            ));
        }
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(|e| format!("{} kan inte läsas: {e}", dir.display()))?;
            let path = entry.path();
            let is_yaml = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
            if !entry.file_type().is_file() || !is_yaml || is_profile(path) {
                continue;
            }
            let relative = path.strip_prefix(dir).unwrap_or(path);
            found.push(Found {
                path: path.to_path_buf(),
                kalla: slashed(relative),
            });
        }
    }
    Ok(found)
}

/// Whether a YAML file is a profile (it has `layout` and no `version`) rather than a case.
fn is_profile(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    // Discovery runs before the workers start: a case, with no `layout` in it, is not parsed.
    if !text.contains("layout") {
        return false;
    }
    match serde_saphyr::from_str::<BTreeMap<String, serde::de::IgnoredAny>>(&text) {
        Ok(keys) => keys.contains_key("layout") && !keys.contains_key("version"),
        Err(_) => false,
    }
}

/// For each later case whose diarienummer (or file name) an earlier case has, its refusal.
fn duplicates(found: &[Found], keys: &[Key]) -> HashMap<usize, Diagnostic> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut refused = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        let Ok((diarienummer, stem, pos)) = key else {
            continue;
        };
        match first.get(stem.as_str()) {
            Some(&j) => {
                let earlier = &found[j].kalla;
                let message = match &keys[j] {
                    Ok((other, ..)) if other != diarienummer => format!(
                        "diarienumret \"{diarienummer}\" ger samma filnamn ({stem}) som \"{other}\" i {earlier}"
                    ),
                    _ => format!("diarienumret \"{diarienummer}\" har redan ärendet {earlier}"),
                };
                let mut duplicate =
                    Diagnostic::error(&found[i].path, *pos, "diarienummer-dubblett", message)
                        .with_hint("rätta diarienumret eller ta bort den ena filen");
                crate::lagrum::add_ground(&mut duplicate, None);
                refused.insert(i, duplicate);
            }
            None => {
                first.insert(stem, i);
            }
        }
    }
    refused
}

/// A case checked and rendered in memory, or why it was not.
enum Made {
    /// Its PDFs, ready to be written into the archive.
    Ready(Box<CheckedCase>, Vec<(DocKind, Rendered)>),
    /// Refused or failed, with its problems.
    Failed(Vec<Diagnostic>),
}

/// Checks and renders one case in memory; a panic becomes a failure.
///
/// Warnings are printed as they are found, on the process's standard error.
fn make_case(config: &BatchConfig, found: &Found) -> Made {
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<Made, Vec<Diagnostic>> {
        let checked = check::check_case(&found.path, &config.render.check)?;
        if !checked.warnings.is_empty() {
            let text = diagnostics::format_human(&checked.warnings, &diagnostics::read_for_display);
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
        }
        let rendered = render_checked(&config.render, &checked).map_err(|e| {
            vec![failure(&found.path, "renderingsfel", e.to_string(), "det här är ett fel i lexsarah eller i mallarna; rapportera det gärna med ärendefilen avidentifierad")]
        })?;
        Ok(Made::Ready(Box::new(checked), rendered))
    }));
    match result {
        Ok(Ok(made)) => made,
        Ok(Err(problems)) => Made::Failed(problems),
        Err(panic) => Made::Failed(vec![crashed(&found.path, panic.as_ref())]),
    }
}

/// Writes a made case into the archive; a panic becomes a failure.
fn store_case(config: &BatchConfig, found: &Found, made: Made) -> Outcome {
    let (checked, rendered) = match made {
        Made::Ready(checked, rendered) => (checked, rendered),
        Made::Failed(problems) => return Outcome::Failed(problems),
    };
    match catch_unwind(AssertUnwindSafe(|| {
        write_case(config, found, &checked, rendered)
    })) {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(problems)) => Outcome::Failed(problems),
        Err(panic) => Outcome::Failed(vec![crashed(&found.path, panic.as_ref())]),
    }
}

/// The failure of a case during which lexsarah panicked.
fn crashed(path: &Path, panic: &(dyn std::any::Any + Send)) -> Diagnostic {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    failure(
        path,
        "internt-fel",
        format!(
            "lexsarah kraschade när ärendet gjordes ({what}); de andra ärendena påverkades inte"
        ),
        "det här är ett fel i lexsarah; rapportera det gärna, med ärendefilen avidentifierad",
    )
}

/// An error without a position in the case file.
fn failure(path: &Path, code: &'static str, message: String, hint: &str) -> Diagnostic {
    Diagnostic::error(path, Pos::UNKNOWN, code, message).with_hint(hint)
}

/// Writes a case's PDFs into `ARCHIVE/<stem>/`: a file with the same bytes is left alone.
fn write_case(
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
            "skrivfel",
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
                    "signerad-pdf",
                    format!(
                        "{} har signerats sedan den gjordes och skrivs inte över",
                        target.display()
                    ),
                    "en ny PDF skulle ta bort underskriften; lägg det ändrade ärendet i ett nytt arkiv, eller ange --force om den signerade ska ersättas",
                )]);
            }
            return Err(vec![failure(
                &found.path,
                "arkivet-andrat",
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

/// A relative path with `/` between its parts, as the manifest and the zip name files.
fn slashed(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates the archive folder, checks it can be written, and removes temporary files a killed
/// run left behind.
fn prepare_archive(archive: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(archive)?;
    tempfile::Builder::new()
        .prefix(".lexsarah-")
        .suffix(".tmp")
        .tempfile_in(archive)?;
    for entry in walkdir::WalkDir::new(archive)
        .max_depth(2)
        .into_iter()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && name.starts_with(".lexsarah-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// This run's rows, and the rows of the previous manifest for PDFs still in the archive that
/// this run did not render; warns of any PDF the manifest cannot describe.
fn merge_with_archive(
    archive: &Path,
    rows: Vec<ManifestRow>,
    err: &mut dyn Write,
) -> Vec<ManifestRow> {
    let mut by_file: BTreeMap<String, ManifestRow> =
        rows.into_iter().map(|row| (row.fil.clone(), row)).collect();
    let earlier = std::fs::read(archive.join("manifest.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Vec<ManifestRow>>(&bytes).ok())
        .unwrap_or_default();
    // An earlier row stands for a PDF this run did not make, if that PDF is still there; its
    // checksum is taken from the file as it is now.
    for mut row in earlier {
        if by_file.contains_key(&row.fil) {
            continue;
        }
        if let Ok(bytes) = std::fs::read(archive.join(&row.fil)) {
            row.sha256 = hex(&Sha256::digest(&bytes));
            by_file.insert(row.fil.clone(), row);
        }
    }
    for entry in walkdir::WalkDir::new(archive)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let Ok(relative) = entry.path().strip_prefix(archive) else {
            continue;
        };
        let relative = slashed(relative);
        if relative.ends_with(".pdf") && !by_file.contains_key(&relative) {
            let _ = writeln!(
                err,
                "warning: {} ligger i arkivet men inget ärende gav den; den står inte i manifestet",
                entry.path().display()
            );
        }
    }
    by_file.into_values().collect()
}

/// Writes `manifest.csv`, `manifest.json` and `fel.json`, each atomically, manifest last.
fn write_listings(
    archive: &Path,
    rows: &[ManifestRow],
    refusals: &[Refusal],
) -> Result<(), String> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    for row in rows {
        csv.serialize(row).map_err(|e| e.to_string())?;
    }
    if rows.is_empty() {
        csv.write_record([
            "diarienummer",
            "handlingstyp",
            "datum",
            "rubrik",
            "profil",
            "sidor",
            "sekretess",
            "fil",
            "sha256",
            "kalla",
        ])
        .map_err(|e| e.to_string())?;
    }
    let csv = csv.into_inner().map_err(|e| e.to_string())?;
    for (name, bytes) in [
        ("fel.json", pretty(&refusals)),
        ("manifest.csv", csv),
        ("manifest.json", pretty(&rows)),
    ] {
        let path = archive.join(name);
        write_atomic(&path, &bytes)
            .map_err(|e| format!("{} kan inte skrivas: {}", path.display(), io_reason(&e)))?;
    }
    Ok(())
}

/// A value as pretty JSON with a final newline.
fn pretty<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Packs the archive folder into `ARCHIVE.zip`: sorted entries, fixed times, so the same
/// archive gives the same zip.
fn pack(archive: &Path) -> Result<(), String> {
    let name = archive
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "arkiv".into());
    let target = archive.with_file_name(format!("{name}.zip"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let fail = |e: &dyn std::fmt::Display| format!("{} kan inte packas: {e}", target.display());
    // Written straight to a temporary file beside the target, not held in memory: a year's
    // archive is hundreds of megabytes.
    let folder = archive.parent().filter(|p| !p.as_os_str().is_empty());
    let mut builder = tempfile::Builder::new();
    builder.prefix(".lexsarah-").suffix(".tmp");
    // An ordinary file, as readable as the user's umask allows, like the PDFs in it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let temp = builder
        .tempfile_in(folder.unwrap_or(Path::new(".")))
        .map_err(|e| fail(&io_reason(&e)))?;
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

/// Prints a case's problems with the offending lines.
fn report(err: &mut dyn Write, problems: &[Diagnostic], path: &Path) {
    let text = diagnostics::format_human(problems, &diagnostics::read_for_display);
    let _ = write!(err, "{text}");
    if problems.iter().any(|d| d.severity == Severity::Error) {
        let _ = writeln!(
            err,
            "error: {}: ärendet avvisades; inget skrevs för det",
            path.display()
        );
    }
}

fn fatal(err: &mut dyn Write, message: &str) -> ExitStatus {
    let _ = writeln!(err, "error: {message}");
    ExitStatus::Error
}

/// Progress: a bar on a terminal, otherwise one plain line per case.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    done: usize,
    total: usize,
}

impl Progress {
    fn new(total: usize, bar: bool) -> Self {
        let bar = bar.then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} ärenden  {per_sec}  {msg}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Self {
            bar,
            done: 0,
            total,
        }
    }

    /// Counts a finished case; without a bar, prints a line for it on standard error.
    fn step(&mut self, kalla: &str, outcome: &Outcome) {
        self.done += 1;
        let n = self.done;
        let status = match outcome {
            Outcome::Done { rows, .. } => format!("{} handlingar", rows.len()),
            Outcome::Failed(_) => "avvisat".into(),
        };
        match &self.bar {
            Some(bar) => {
                bar.set_message(kalla.to_string());
                bar.inc(1);
            }
            None => {
                eprintln!("[{n}/{}] {kalla}: {status}", self.total);
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Whether standard error is a terminal, where a progress bar can be drawn.
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}
