//! How soon a change in the form shows in the preview, for a 4-page utredning (Mjölby's example).
//!
//! Each round changes a text of the utredning, then does what the server does for the form: the
//! YAML written, `check` on it, the utredning laid out and drawn as SVG pages, the answer encoded
//! as JSON. The baseline, in the same run, is the same document made into a PDF as `render`
//! makes it. Then a long day: 1,000 previews one after the other, each after a change, with the
//! process's resident memory after the 100th and the 1,000th (it must stay flat: at most 1.2
//! times the first). Run with `cargo bench -p lexsarah-serve --bench preview`.

use std::path::Path;
use std::time::{Duration, Instant};

use lexsarah::check::{CheckSettings, check_source};
use lexsarah::document::DocKind;
use lexsarah::render::{PdfSettings, Templates, compile, prepare};
use lexsarah::source::SourceFile;
use serde_json::Value;

const ROUNDS: usize = 15;
/// What the issue allows from a change to the preview.
const BUDGET: Duration = Duration::from_secs(1);
/// How long the form waits after the last key before it asks (in assets/app.js).
const FORM_WAIT: Duration = Duration::from_millis(300);

fn main() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/mjolby-borttappade-handlingar.yaml");
    let text = std::fs::read_to_string(&example).expect("the example");
    let mut case: Value = serde_saphyr::from_str(&text).expect("the example parses");
    let original = case["utredning"]["bestod_i"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date");

    let mut first = None;
    let mut preview = Vec::new();
    for round in 0..=ROUNDS {
        case["utredning"]["bestod_i"] = format!("{original} Ändring {round}.").into();
        let start = Instant::now();
        let checked = lexsarah_serve::edit::check(
            &example,
            &case,
            Some(DocKind::Utredning),
            today,
            &Default::default(),
        );
        let answer = serde_json::to_vec(&checked).expect("JSON");
        let took = start.elapsed();
        let pages = checked.preview.as_ref().map_or(0, |p| p.pages.len());
        assert_eq!(pages, 4, "the utredning previews as 4 pages");
        assert!(answer.len() > 10_000);
        if round == 0 {
            first = Some(took);
        } else {
            preview.push(took);
        }
    }

    let mut pdf = Vec::new();
    let mut settings = CheckSettings::new();
    settings.today = today;
    for round in 0..ROUNDS {
        case["utredning"]["bestod_i"] = format!("{original} PDF {round}.").into();
        let yaml = lexsarah::case::write::case_yaml(&case).text;
        let start = Instant::now();
        let checked = check_source(
            SourceFile {
                path: example.clone(),
                text: yaml,
            },
            &settings,
        )
        .expect("passes");
        let prepared =
            prepare(&checked.loaded.case, &checked.profile, DocKind::Utredning).expect("data");
        let rendered = compile(
            &prepared,
            &Templates::embedded(),
            &PdfSettings::default_for(DocKind::Utredning),
        )
        .expect("PDF");
        pdf.push(start.elapsed());
        assert_eq!(rendered.pages, 4);
    }

    let (preview_median, preview_max) = median_max(&mut preview);
    let (pdf_median, _) = median_max(&mut pdf);
    let shown = FORM_WAIT + preview_median;
    println!(
        "preview of a 4-page utredning after a change ({ROUNDS} rounds, after a first of {})",
        ms(first.unwrap_or_default())
    );
    println!(
        "  server: median {}, longest {}",
        ms(preview_median),
        ms(preview_max)
    );
    println!(
        "  baseline, the same utredning as a PDF (check and render): median {}",
        ms(pdf_median)
    );
    println!(
        "  ratio preview / PDF: {:.2}",
        preview_median.as_secs_f64() / pdf_median.as_secs_f64()
    );
    println!(
        "  shown after the last key: {} (the form's wait {} + the server) = {:.2} of the {} budget",
        ms(shown),
        ms(FORM_WAIT),
        shown.as_secs_f64() / BUDGET.as_secs_f64(),
        ms(BUDGET)
    );
    long_day(&example, &mut case, &original, today);
}

/// A day of previews: the resident memory after 100 and after 1,000, one change each.
fn long_day(example: &Path, case: &mut Value, original: &str, today: chrono::NaiveDate) {
    let start = Instant::now();
    let mut at_100 = 0;
    for round in 1..=LONG_DAY {
        case["utredning"]["bestod_i"] = format!("{original} Dagens ändring {round}.").into();
        let checked = lexsarah_serve::edit::check(
            example,
            case,
            Some(DocKind::Utredning),
            today,
            &Default::default(),
        );
        assert!(checked.preview.is_some());
        if round == 100 {
            at_100 = resident_kb();
        }
    }
    let at_end = resident_kb();
    println!(
        "{LONG_DAY} previews one after the other in {:.1} s: resident memory {} MB after 100, {} MB after {LONG_DAY}",
        start.elapsed().as_secs_f64(),
        at_100 / 1024,
        at_end / 1024
    );
    println!(
        "  ratio after {LONG_DAY} / after 100: {:.2} (at most 1.20)",
        at_end as f64 / at_100.max(1) as f64
    );
}

/// How many previews the long day has.
const LONG_DAY: usize = 1000;

/// The process's resident memory in kB (Linux), or 0 where it cannot be read.
fn resident_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn median_max(times: &mut [Duration]) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}
