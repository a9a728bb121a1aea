//! `lexsarah batch`: every case under some folders, rendered on all cores into an archive.

pub(crate) mod archive;
pub(crate) mod discover;
pub(crate) mod listings;
mod progress;

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::SyncSender;
use std::time::Instant;

use rayon::prelude::*;

use super::{cannot_run, counted, folder_problem, report_case, settings};
use crate::ExitStatus;
use crate::check::CheckedCase;
use crate::cli::BatchArgs;
use crate::diagnostics::{self, Code, Diagnostic, Pos};
use crate::document::{DocKind, stem_key};
use crate::render::Rendered;
use crate::render::checked::{RenderSettings, render_case};
use discover::Found;
pub use listings::ManifestRow;
use progress::Progress;
pub use progress::stderr_is_terminal;

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
    /// How each case is checked and rendered; its `force` also replaces a PDF in the archive
    /// whose bytes differ from the new one.
    pub render: RenderSettings,
}

/// Validates the command-line arguments and runs the batch.
pub fn run(args: BatchArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    match settings(&args.options, None) {
        Ok(render) => batch(
            &BatchConfig {
                dirs: args.dirs,
                archive: args.out,
                jobs: args.jobs.map(usize::from),
                zip: args.zip,
                progress_bar: stderr_is_terminal(),
                render,
            },
            out,
            err,
        ),
        Err(problem) => cannot_run(err, &problem),
    }
}

/// What the first pass learns of a case: its diarienummer, file stem and where it is written
/// (`None` when the file cannot be read that far: its check then says why), or why it is
/// refused before it is read.
pub(super) type Key = Result<Option<(String, String, Pos)>, Vec<Diagnostic>>;

/// What became of one case.
pub(super) enum Outcome {
    /// Rendered: its manifest rows, and how many PDFs were new or replaced.
    Done {
        rows: Vec<ManifestRow>,
        written: usize,
    },
    /// Refused or failed, with its problems.
    Failed(Vec<Diagnostic>),
}

/// The stack of each worker: Typst's layout recurses deeply, and the main thread has 8 MiB.
pub(crate) const WORKER_STACK: usize = 16 << 20;

/// Runs a batch and returns 0 when every case rendered, 1 when any did not, 2 when it could not run.
pub fn batch(config: &BatchConfig, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let started = Instant::now();
    let found = match discover::discover(&config.dirs) {
        Ok(found) => found,
        Err(problem) => return cannot_run(err, &problem),
    };
    // Held until the batch returns: one run at a time writes an archive.
    let _lock = match archive::lock(&config.archive, "lexsarah batch") {
        Ok(lock) => lock,
        Err(problem) => return cannot_run(err, &problem),
    };
    if let Err(e) = archive::prepare(&config.archive) {
        let problem = folder_problem(&config.archive, "arkivmappen", "kan inte skrivas", &e);
        return cannot_run(err, &problem);
    }
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs.unwrap_or(0))
        .stack_size(WORKER_STACK)
        .build()
    {
        Ok(pool) => pool,
        Err(e) => {
            let problem = Diagnostic::error(
                &config.archive,
                Pos::UNKNOWN,
                Code::KanInteKoras,
                format!("arbetstrådarna kunde inte startas: {e}"),
            )
            .with_hint("försök igen med färre samtidiga ärenden, till exempel --jobs 1");
            return cannot_run(err, &problem);
        }
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
    let mut refusals: Vec<listings::Refusal> = Vec::new();
    let (mut documents, mut pages, mut written, mut failed) = (0, 0, 0, 0);
    for (f, outcome) in found.iter().zip(outcomes) {
        let outcome = outcome.unwrap_or_else(|| {
            Outcome::Failed(vec![failure(
                &f.path,
                Code::InterntFel,
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
                pages += r.iter().filter_map(|row| row.sidor).sum::<usize>();
                written += w;
                for row in &r {
                    let _ = writeln!(out, "{}", config.archive.join(&row.fil).display());
                }
                rows.extend(r);
            }
            Outcome::Failed(problems) => {
                failed += 1;
                report_case(err, &f.path, &problems);
                let diarienummer = discover::diarienummer_of(f);
                refusals.extend(problems.into_iter().filter(Diagnostic::is_error).map(
                    |diagnostic| listings::Refusal {
                        diagnostic,
                        diarienummer: diarienummer.clone(),
                    },
                ));
            }
        }
    }

    let (rows, archive_changed) = listings::merge_with_archive(&config.archive, rows, err);
    if let Err(problem) = listings::write(&config.archive, &rows, &refusals) {
        return cannot_run(err, &problem);
    }
    if config.zip
        && let Err(problem) = archive::pack(&config.archive, &rows)
    {
        return cannot_run(err, &problem);
    }

    let seconds = started.elapsed().as_secs_f64();
    let _ = writeln!(
        err,
        "klart: {}, {} ({written} nya eller ändrade), {}, {failed} avvisade, {seconds:.1} s, {:.1} handlingar/s",
        counted(found.len(), "ärende", "ärenden"),
        counted(documents, "handling", "handlingar"),
        counted(pages, "sida", "sidor"),
        documents as f64 / seconds.max(1e-9),
    );
    if archive_changed {
        let _ = writeln!(
            err,
            "fel: PDF:er som arkivet redan hade har ändrats eller tagits bort; se varningarna ovan"
        );
    }
    if failed > 0 {
        let _ = writeln!(
            err,
            "fel: {} avvisades eller misslyckades; se ovan eller {}",
            counted(failed, "ärende", "ärenden"),
            crate::diagnostics::shown(&config.archive.join("fel.json"))
        );
        ExitStatus::Failure
    } else if archive_changed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// Checks every case, then renders them on the current pool, sending each by its index.
fn work(config: &BatchConfig, found: &[Found], send: SyncSender<(usize, Made)>) {
    // First every case's diarienummer is read, so that a repeated one is found in sorted order
    // whatever order the workers finish in. Only the number is read: each case is checked in
    // full once, by the worker that renders it.
    let keys: Vec<Key> = found
        .par_iter()
        .map(|f| {
            if let Some(refused) = &f.refused {
                return Err(vec![refused.clone()]);
            }
            catch_unwind(AssertUnwindSafe(|| {
                discover::diarienummer_at(f)
                    .map(|d| (d.value.0.clone(), stem_key(&d.value.0), d.pos))
            }))
            .map_err(|panic| vec![crashed(&f.path, panic.as_ref())])
        })
        .collect();
    let duplicates = discover::duplicates(found, &keys);
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
                (Ok(read), None) => make_case(config, f, read.as_ref().map(|k| k.0.as_str())),
            };
            // Keep Typst's cache to what the cases being rendered now use.
            comemo::evict(age);
            if send.send((i, made)).is_err() {
                break;
            }
        }
    });
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
/// `read` is the diarienummer the first pass read in the file; a case that now has another
/// was changed during the run, and is refused rather than written under a number the check
/// for repeated ones did not see. Warnings are printed as they are found, on the process's
/// standard error.
fn make_case(config: &BatchConfig, found: &Found, read: Option<&str>) -> Made {
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<Made, Vec<Diagnostic>> {
        let checked = found.check(&config.render.check)?;
        let diarienummer = &checked.loaded.case.arende.diarienummer;
        if read != Some(diarienummer.value.0.as_str()) {
            return Err(vec![
                Diagnostic::error(
                    &found.path,
                    diarienummer.pos,
                    Code::AndradUnderKorning,
                    "ärendefilen ändrades medan batch körde".to_string(),
                )
                .with_hint("kör batch igen när ingen längre ändrar i ärendena"),
            ]);
        }
        if !checked.warnings.is_empty() {
            let text = diagnostics::format_human(&checked.warnings);
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
        }
        let rendered = render_case(&config.render, &checked)?;
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
        archive::write_case(config, found, &checked, rendered)
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
        Code::InterntFel,
        format!(
            "lexsarah kraschade när ärendet gjordes ({what}); de andra ärendena påverkades inte"
        ),
        "det här är ett fel i lexsarah; rapportera det gärna, med ärendefilen avidentifierad",
    )
}

/// An error without a position in the case file.
pub(super) fn failure(path: &Path, code: Code, message: String, hint: &str) -> Diagnostic {
    Diagnostic::error(path, Pos::UNKNOWN, code, message).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckSettings;

    #[test]
    fn a_case_whose_diarienummer_changed_since_the_first_pass_is_refused_not_written() {
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let found = Found {
            path: examples.join("mjolby-borttappade-handlingar.yaml"),
            kalla: "mjolby-borttappade-handlingar.yaml".into(),
            refused: None,
            folder: std::sync::Arc::new(crate::files::Folder::open(&examples).unwrap()),
            relative: PathBuf::from("mjolby-borttappade-handlingar.yaml"),
        };
        let config = BatchConfig {
            dirs: Vec::new(),
            archive: PathBuf::from("arkiv"),
            jobs: Some(1),
            zip: false,
            progress_bar: false,
            render: crate::render::checked::RenderSettings::defaults(CheckSettings::new()),
        };
        let read = discover::diarienummer_of(&found).unwrap();
        assert!(matches!(
            make_case(&config, &found, Some(&read)),
            Made::Ready(..)
        ));
        for other in [Some("2021/ASN 0099"), None] {
            let Made::Failed(problems) = make_case(&config, &found, other) else {
                panic!("a changed case was rendered");
            };
            assert_eq!(problems.len(), 1);
            assert_eq!(problems[0].code, Code::AndradUnderKorning);
            assert!(problems[0].message.contains("ändrades medan batch körde"));
            assert!(problems[0].line.is_some_and(|l| l > 0), "{:?}", problems[0]);
        }
    }
}
