//! `lexsarah bench`: batch throughput and memory against the engine floor, on generated cases.
//!
//! Every figure is measured in the same run as its baseline and reported as a ratio.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::ExitStatus;
use crate::check::{self, CheckSettings};
use crate::cli::BenchArgs;
use crate::document::DocKind;
use crate::render::{self, LexWorld, PdfSettings, Templates};

/// The cases the generated ones are made from: (file name, text, diarienummer in it).
const SOURCES: &[(&str, &str, &str)] = &[
    (
        "stockholm",
        include_str!("../../examples/stockholm-stockholmsjobb.yaml"),
        "AMN 2019-0746-1.3",
    ),
    (
        "mjolby",
        include_str!("../../examples/mjolby-borttappade-handlingar.yaml"),
        "2021/ASN 0026",
    ),
];

/// Settings of one benchmark run.
#[derive(Debug, Clone)]
pub struct BenchConfig {
    /// The case counts whose peak memory is measured; the first is also the throughput set.
    pub sizes: Vec<usize>,
    /// A Typst CLI to compare with, if any.
    pub typst: Option<PathBuf>,
    /// Templates whose engine floor is measured beside the built-in ones', if any.
    pub templates: Option<PathBuf>,
    /// Whether only the engine floor is measured.
    pub floor_only: bool,
}

/// Validates the command-line arguments and runs the benchmark.
pub fn run(args: &BenchArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let config = BenchConfig {
        sizes: args.sizes.clone(),
        typst: args.typst.clone(),
        templates: args.templates.clone(),
        floor_only: args.floor_only,
    };
    bench(&config, out, err)
}

/// Runs the benchmark and prints its report on `out`.
pub fn bench(config: &BenchConfig, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    match measure(config, out) {
        Ok(()) => ExitStatus::Success,
        Err(message) => {
            let _ = writeln!(err, "fel: {message}");
            ExitStatus::Error
        }
    }
}

fn measure(config: &BenchConfig, out: &mut dyn Write) -> Result<(), String> {
    if config.sizes.is_empty() || config.sizes.contains(&0) {
        return Err("--sizes ska vara ett eller flera antal ärenden större än noll".into());
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let small = *config.sizes.first().unwrap_or(&100);
    let cases = generate(&work.path().join(format!("cases-{small}")), small)?;

    // The engine floor: compile and export the same documents, nothing of ours around.
    let templates = Templates::embedded();
    let mut prepared = Vec::new();
    for path in &cases {
        let checked = check::check_case(path, &CheckSettings::new())
            .map_err(|_| format!("{} is not a valid case", path.display()))?;
        for doc in DocKind::all_in(&checked.loaded.case) {
            let p = render::prepare(&checked.loaded.case, &checked.profile, doc)
                .map_err(|e| e.to_string())?;
            prepared.push((p, PdfSettings::default_for(doc)));
        }
    }
    // One thread: Typst lays pages out in parallel on whatever rayon pool it runs in.
    let single = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .map_err(|e| e.to_string())?;
    let other = match &config.templates {
        Some(dir) => Some(
            render::project::read_templates(dir)
                .map_err(|e| format!("mallarna i {} kan inte läsas: {e}", dir.display()))?,
        ),
        None => None,
    };
    let dir = cases[0].parent().unwrap_or(Path::new("."));
    let mut runs = Runs::default();
    let mut round = 0;
    let mut batch = |jobs: Option<usize>| {
        round += 1;
        // Each run writes a new archive, and none is removed before the bench ends: on ext4
        // without a journal, files created just after thousands were removed cost more to
        // create (a profile put 7% of a batch's time in finding a free inode), which no user's
        // batch pays.
        let archive = work.path().join(format!("run-{round}"));
        run_batch(&exe, dir, &archive, jobs).map(|r| r.rate)
    };
    // Every measurement takes its turn in each of three rounds, so that a machine that slows
    // down or speeds up during the run weighs on all of them alike.
    for _ in 0..3 {
        runs.floor
            .push(single.install(|| floor(&prepared, &templates))?);
        if let Some(other) = &other {
            runs.theirs
                .push(single.install(|| floor(&prepared, other))?);
        }
        if !config.floor_only && other.is_none() {
            runs.floor_all
                .push(floor_all_cores(&prepared, &templates, cores)?);
            runs.one.push(batch(Some(1))?);
            runs.all.push(batch(None)?);
        }
    }
    let floor = best(runs.floor);

    if config.floor_only || other.is_some() {
        let _ = writeln!(
            out,
            "lexsarah bench: engine floor (compile + export, 1 thread) on {small} generated cases; \
             best of three runs, with how far the three spread\n"
        );
        let _ = writeln!(
            out,
            "{:<44} {:>10} {:>10} {:>8}",
            "", "docs/s", "pages/s", "spread"
        );
        floor.print(out, "engine floor, built-in templates");
        for (doc, rate) in &floor.rate.by_doc {
            let _ = writeln!(
                out,
                "  {:<42} {:>10.1} {:>10.1}   ({:.1} ms a page)",
                doc.token(),
                rate.docs as f64 / rate.time.as_secs_f64(),
                rate.pages_per_s(),
                1000.0 / rate.pages_per_s()
            );
        }
        if let Some(dir) = &config.templates {
            let theirs = best(runs.theirs);
            theirs.print(
                out,
                &format!("engine floor, templates in {}", dir.display()),
            );
            let _ = writeln!(
                out,
                "built-in / those templates:               {:.2}",
                floor.rate.pages_per_s() / theirs.rate.pages_per_s()
            );
        }
        return Ok(());
    }
    let (floor_all, one, all) = (best(runs.floor_all), best(runs.one), best(runs.all));

    let _ = writeln!(
        out,
        "lexsarah bench: {small} generated cases, {cores} cores; each rate the best of three runs, \
         taken in turns with the others, with how far the three spread\n"
    );
    let _ = writeln!(
        out,
        "{:<44} {:>10} {:>10} {:>8}",
        "", "docs/s", "pages/s", "spread"
    );
    floor.print(out, "engine floor (compile + export, 1 thread)");
    floor_all.print(out, &format!("engine floor, all cores ({cores})"));
    one.print(out, "batch --jobs 1");
    all.print(out, &format!("batch, all cores ({cores})"));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "batch --jobs 1 / engine floor:           {:.2}",
        one.rate.pages_per_s() / floor.rate.pages_per_s()
    );
    let _ = writeln!(
        out,
        "batch all cores / (cores x engine floor): {:.2}   (target >= 0.85)",
        all.rate.pages_per_s() / (cores as f64 * floor.rate.pages_per_s())
    );

    let _ = writeln!(
        out,
        "engine floor all cores / (cores x floor): {:.2}",
        floor_all.rate.pages_per_s() / (cores as f64 * floor.rate.pages_per_s())
    );
    let _ = writeln!(
        out,
        "batch all cores / engine floor all cores: {:.2}",
        all.rate.pages_per_s() / floor_all.rate.pages_per_s()
    );

    let mut peaks = Vec::new();
    let mut sip_peaks = Vec::new();
    for &size in &config.sizes {
        let dir = work.path().join(format!("cases-{size}"));
        if size != small {
            generate(&dir, size)?;
        }
        let archive = work.path().join(format!("rss-{size}"));
        let run = run_batch(&exe, &dir, &archive, None)?;
        let _ = writeln!(
            out,
            "peak RSS, batch of {size:>5} cases:         {:>6.1} MB",
            run.peak_kb as f64 / 1024.0
        );
        peaks.push(run.peak_kb);
        // The packages for the e-arkiv of the same archive, beside the batch that made it.
        let packages = work.path().join(format!("sip-{size}"));
        let (sip_time, sip_peak, status) = watch(
            Command::new(&exe)
                .arg("sip")
                .arg(&archive)
                .arg("--out")
                .arg(&packages),
        )?;
        if !status.success() {
            return Err(format!("sip over {} failed", archive.display()));
        }
        let _ = writeln!(
            out,
            "sip / batch, {size:>5} cases:             {:.3}   (target <= 0.25; sip {:.2} s, batch {:.2} s)",
            sip_time.as_secs_f64() / run.rate.time.as_secs_f64(),
            sip_time.as_secs_f64(),
            run.rate.time.as_secs_f64()
        );
        let _ = writeln!(
            out,
            "peak RSS, sip of {size:>5} cases:           {:>6.1} MB",
            sip_peak as f64 / 1024.0
        );
        sip_peaks.push(sip_peak);
    }
    if let [first, .., last] = peaks[..] {
        let _ = writeln!(
            out,
            "peak RSS ratio, largest / smallest:       {:.2}   (target <= 1.20)",
            last as f64 / first as f64
        );
    }
    if let [first, .., last] = sip_peaks[..] {
        let _ = writeln!(
            out,
            "peak RSS ratio sip, largest / smallest:   {:.2}   (target <= 1.20)",
            last as f64 / first as f64
        );
    }

    if let Some(typst) = &config.typst {
        compare_with_typst(
            &exe,
            typst,
            &cases,
            &mut || batch(None),
            cores,
            work.path(),
            out,
        )?;
    }
    Ok(())
}

/// Each measurement's runs, one a round.
#[derive(Default)]
struct Runs {
    /// The engine floor with the built-in templates, in one thread.
    floor: Vec<Rate>,
    /// The engine floor with the templates of `--templates`.
    theirs: Vec<Rate>,
    /// The engine floor on every core.
    floor_all: Vec<Rate>,
    /// `batch --jobs 1`.
    one: Vec<Rate>,
    /// `batch` on every core.
    all: Vec<Rate>,
}

/// Compiles and exports every prepared document once in this thread, nothing of ours around.
fn floor(
    prepared: &[(render::Prepared, PdfSettings)],
    templates: &Templates,
) -> Result<Rate, String> {
    let mut total = Rate::new(0, 0, Duration::ZERO);
    for (p, settings) in prepared {
        let started = Instant::now();
        let pages = engine(p, settings, templates)?;
        comemo::evict(2);
        total.add(p.doc, pages, started.elapsed());
    }
    Ok(total)
}

/// Compiles and exports one prepared document with nothing of ours around it; its pages.
fn engine(
    p: &render::Prepared,
    settings: &PdfSettings,
    templates: &Templates,
) -> Result<usize, String> {
    let world = LexWorld::new(templates.clone(), p.data.clone(), p.files.clone());
    let document: typst_layout::PagedDocument = typst::compile(&world)
        .output
        .map_err(|_| "Typst refused a template".to_string())?;
    typst_pdf::pdf(&document, &settings.options(p.ident.clone()))
        .map_err(|_| "Typst refused to export".to_string())?;
    Ok(document.pages().len())
}

/// Compiles and exports every prepared document once on `cores` threads, each taking the next
/// document in turn as batch's workers take cases; the time is the wall-clock time of all.
fn floor_all_cores(
    prepared: &[(render::Prepared, PdfSettings)],
    templates: &Templates,
    cores: usize,
) -> Result<Rate, String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cores)
        .stack_size(super::batch::WORKER_STACK)
        .build()
        .map_err(|e| e.to_string())?;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let pages = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::OnceLock::new();
    let started = Instant::now();
    pool.broadcast(|_| {
        use std::sync::atomic::Ordering::Relaxed;
        while let Some((p, settings)) = prepared.get(next.fetch_add(1, Relaxed)) {
            match engine(p, settings, templates) {
                Ok(made) => {
                    pages.fetch_add(made, Relaxed);
                }
                Err(e) => {
                    let _ = failed.set(e);
                }
            }
            comemo::evict(cores + 1);
        }
    });
    if let Some(e) = failed.into_inner() {
        return Err(e);
    }
    Ok(Rate::new(
        prepared.len(),
        pages.into_inner(),
        started.elapsed(),
    ))
}

/// Documents and pages made in a time, in all and by document.
struct Rate {
    docs: usize,
    pages: usize,
    time: Duration,
    by_doc: Vec<(DocKind, Rate)>,
}

impl Rate {
    fn new(docs: usize, pages: usize, time: Duration) -> Self {
        Self {
            docs,
            pages,
            time,
            by_doc: Vec::new(),
        }
    }

    /// Counts one document of `pages` pages made in `time`.
    fn add(&mut self, doc: DocKind, pages: usize, time: Duration) {
        self.docs += 1;
        self.pages += pages;
        self.time += time;
        let index = match self.by_doc.iter().position(|(d, _)| *d == doc) {
            Some(index) => index,
            None => {
                self.by_doc.push((doc, Rate::new(0, 0, Duration::ZERO)));
                self.by_doc.len() - 1
            }
        };
        let own = &mut self.by_doc[index].1;
        own.docs += 1;
        own.pages += pages;
        own.time += time;
    }

    fn pages_per_s(&self) -> f64 {
        self.pages as f64 / self.time.as_secs_f64()
    }
}

/// The best of three runs of a measurement, and how far the three spread.
struct Best {
    rate: Rate,
    /// (slowest − fastest) / fastest, in pages per second.
    spread: f64,
}

impl Best {
    fn print(&self, out: &mut dyn Write, label: &str) {
        let _ = writeln!(
            out,
            "{label:<44} {:>10.1} {:>10.1} {:>7.1}%",
            self.rate.docs as f64 / self.rate.time.as_secs_f64(),
            self.rate.pages_per_s(),
            self.spread * 100.0
        );
    }
}

/// The fastest of some runs, and how far they spread.
fn best(runs: Vec<Rate>) -> Best {
    let rates = runs.iter().map(Rate::pages_per_s);
    let (slow, fast) = rates.fold((f64::MAX, 0.0_f64), |(s, f), r| (s.min(r), f.max(r)));
    let best = runs
        .into_iter()
        .max_by(|a, b| a.pages_per_s().total_cmp(&b.pages_per_s()))
        .expect("at least one run");
    Best {
        rate: best,
        spread: (fast - slow) / fast,
    }
}

/// Writes `count` cases, alternating the sources, each with its own diarienummer.
fn generate(dir: &Path, count: usize) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    (0..count)
        .map(|i| {
            let (name, text, diarienummer) = SOURCES[i % SOURCES.len()];
            let own = format!("{diarienummer} B{i:05}");
            let path = dir.join(format!("{i:05}-{name}.yaml"));
            let text = text.replace(&format!("\"{diarienummer}\""), &format!("\"{own}\""));
            std::fs::write(&path, text).map_err(|e| e.to_string())?;
            Ok(path)
        })
        .collect()
}

/// Runs a child process to its end, watching its peak resident memory: (its wall-clock time,
/// its peak in kB, its exit status).
fn watch(command: &mut Command) -> Result<(Duration, u64, std::process::ExitStatus), String> {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let status_path = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak_kb = 0;
    let status = loop {
        if let Some(kb) = std::fs::read_to_string(&status_path)
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmHWM:").map(str::to_owned))
            })
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Ok((started.elapsed(), peak_kb, status))
}

/// A finished batch: its rate and its peak resident memory.
struct BatchRun {
    rate: Rate,
    peak_kb: u64,
}

/// Runs `lexsarah batch` as a child process and watches its peak resident memory.
fn run_batch(
    exe: &Path,
    dir: &Path,
    archive: &Path,
    jobs: Option<usize>,
) -> Result<BatchRun, String> {
    let mut command = Command::new(exe);
    command.arg("batch").arg(dir).arg("--out").arg(archive);
    if let Some(jobs) = jobs {
        command.arg("--jobs").arg(jobs.to_string());
    }
    let (time, peak_kb, status) = watch(&mut command)?;
    if !status.success() {
        return Err(format!("the batch over {} failed", dir.display()));
    }
    let manifest: Vec<serde_json::Value> = serde_json::from_slice(
        &std::fs::read(archive.join("manifest.json")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let pages = manifest
        .iter()
        .filter_map(|r| r["sidor"].as_u64())
        .sum::<u64>() as usize;
    Ok(BatchRun {
        rate: Rate::new(manifest.len(), pages, time),
        peak_kb,
    })
}

/// Compares with the Typst CLI on the emitted projects of the same documents.
fn compare_with_typst(
    exe: &Path,
    typst: &Path,
    cases: &[PathBuf],
    batch_all: &mut dyn FnMut() -> Result<Rate, String>,
    cores: usize,
    work: &Path,
    out: &mut dyn Write,
) -> Result<(), String> {
    let projects = work.join("projects");
    let pdfs = work.join("emitted-pdfs");
    let status = Command::new(exe)
        .arg("render")
        .args(cases)
        .arg("--out")
        .arg(&pdfs)
        .arg("--emit-typst")
        .arg(&projects)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("rendering the projects failed".into());
    }
    let mut names: Vec<PathBuf> = std::fs::read_dir(&projects)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    let fonts = work.join("fonts");
    std::fs::create_dir_all(&fonts).map_err(|e| e.to_string())?;
    for (i, font) in crate::fonts::FONT_FILES.iter().enumerate() {
        std::fs::write(fonts.join(format!("font-{i}.ttf")), font).map_err(|e| e.to_string())?;
    }
    let compile = |project: &Path| {
        // The same standards as lexsarah gives the document (the project is named after it).
        let doc = project
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.rsplit_once('-'))
            .and_then(|(_, token)| DocKind::from_token(token));
        let standards = doc.map_or("a-2b", |d| d.spec().standards);
        Command::new(typst)
            .arg("compile")
            .arg("--ignore-system-fonts")
            .arg("--font-path")
            .arg(&fonts)
            .arg("--pdf-standard")
            .arg(standards)
            .arg("--root")
            .arg(project)
            .arg(project.join("main.typ"))
            .arg(project.join("out.pdf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
    };
    // A pool of one process per core, each starting the next project as soon as its own is
    // done, as `xargs -P` would run them.
    let pool = || -> Result<Rate, String> {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let started = Instant::now();
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..cores)
                .map(|_| {
                    scope.spawn(|| -> Result<(), String> {
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(project) = names.get(i) else {
                                return Ok(());
                            };
                            let status = compile(project)
                                .and_then(|mut c| c.wait())
                                .map_err(|e| e.to_string())?;
                            if !status.success() {
                                return Err(format!(
                                    "typst compile failed on {}",
                                    project.display()
                                ));
                            }
                        }
                    })
                })
                .collect();
            workers
                .into_iter()
                .try_for_each(|w| w.join().map_err(|_| "a worker panicked".to_string())?)
        })?;
        let time = started.elapsed();
        let pages: usize = names
            .iter()
            .filter_map(|p| std::fs::read(p.join("out.pdf")).ok())
            .map(|pdf| count_pages(&pdf))
            .sum();
        Ok(Rate::new(names.len(), pages, time))
    };
    // The pool and batch take turns, as the measurements above do.
    let (mut theirs, mut ours) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        theirs.push(pool()?);
        ours.push(batch_all()?);
    }
    let (typst_rate, batch_rate) = (best(theirs), best(ours));
    let _ = writeln!(out);
    typst_rate.print(out, &format!("typst compile, {cores} processes busy"));
    batch_rate.print(out, &format!("batch, all cores ({cores}), in turn with it"));
    let _ = writeln!(
        out,
        "batch all cores / typst compile pool:     {:.2}   (target >= 2.5)",
        batch_rate.rate.pages_per_s() / typst_rate.rate.pages_per_s()
    );

    // One beslut, process start to PDF, median of 15 runs each.
    let beslut = names
        .iter()
        .find(|p| p.to_string_lossy().ends_with("-beslut"))
        .ok_or("no beslut project")?;
    let ours = median(15, || {
        Command::new(exe)
            .arg("render")
            .arg(&cases[0])
            .args(["--doc", "beslut", "--out"])
            .arg(work.join("single"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|_| ())
    })?;
    let theirs = median(15, || {
        compile(beslut).and_then(|mut c| c.wait()).map(|_| ())
    })?;
    let _ = writeln!(
        out,
        "one beslut, process start to PDF: lexsarah render {:.1} ms, typst compile {:.1} ms, ratio {:.2}   (target < 1)",
        ours.as_secs_f64() * 1000.0,
        theirs.as_secs_f64() * 1000.0,
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
    Ok(())
}

/// The median time of `runs` runs of `f`.
fn median(runs: usize, mut f: impl FnMut() -> std::io::Result<()>) -> Result<Duration, String> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        f().map_err(|e| e.to_string())?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times[runs / 2])
}

/// The page count of a PDF.
fn count_pages(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf).map_or(0, |d| d.get_pages().len())
}
