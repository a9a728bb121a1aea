//! How soon a change in the form shows in the preview, for a 4-page utredning (Mjölby's example).
//!
//! Each round changes a text of the utredning, then does what the server does for the form: the
//! YAML written, `check` on it, the utredning laid out and drawn as SVG pages, the answer encoded
//! as JSON. The baseline, in the same run, is the same document made into a PDF as `render`
//! makes it. Run with `cargo bench -p lexsarah-serve --bench preview`.

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
        let checked = lexsarah_serve::edit::check(&example, &case, Some(DocKind::Utredning), today);
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
}

fn median_max(times: &mut [Duration]) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}
