//! Whether typing stalls while a check or preview runs: the time from a key to its letter on
//! the screen, in Debian's Chromium over WebDriver, for a small case (the baseline, measured in
//! the same run), the 2026 example with 5,000 rows of dokumentation, and one with a text of
//! about 9 MB (the hostile tests' sizes, within the 10 MB limit).
//!
//! Each case is typed into in bursts of 12 keys, 60 ms apart; the next burst starts as soon as
//! the form has asked for a check, so that it is typed while the check and its preview are on
//! their way and come back (the column "during a check" counts the keys typed while one was). For every key: the time from the key event to
//! the first frame after its input event (the letter painted). Run with
//! `cargo bench -p lexsarah-serve --bench typing` (`LEXSARAH_BENCH_ONLY=9 MB` measures the
//! baseline and that case only); it needs `chromium` and `chromium-driver`.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

#[path = "../tests/it/chromium.rs"]
mod chromium;

use chromium::Driver;

const BURSTS: usize = 6;
const KEYS: usize = 12;
const GAP: Duration = Duration::from_millis(60);
/// Longer than the form's longest wait after the last key (2 s for a case of 10 MB), for the
/// last check to come back.
const PAUSE: Duration = Duration::from_millis(2300);

fn main() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let small = std::fs::read_to_string(root.join("stockholm-mailutskick.yaml")).unwrap();
    let example = std::fs::read_to_string(root.join("stockholm-skyddad-adress.yaml")).unwrap();
    let rows: String = (0..5_000)
        .map(|i| format!("    - datum: 2026-09-24\n      anteckning: Anteckning {i}\n"))
        .collect();
    let many = example.replacen(
        "  dokumentation:\n",
        &format!("  dokumentation:\n{rows}"),
        1,
    );
    let sentence = "Förvaltningen har gått igenom rutinen för utskick med alla medarbetare. ";
    let text: String = std::iter::repeat_n(sentence, 9 * 1024 * 1024 / sentence.len())
        .collect::<Vec<_>>()
        .join("");
    let large = example.replacen(
        "  uppfoljning: Rutinen",
        &format!("  ovrigt: \"{text}\"\n  uppfoljning: Rutinen"),
        1,
    );
    println!(
        "typing while checks and previews run: {BURSTS} bursts of {KEYS} keys, {} ms apart",
        GAP.as_millis()
    );
    println!(
        "{:<42} {:>6} {:>9} {:>9} {:>9} {:>11} {:>10}",
        "case", "keys", "p50 ms", "p95 ms", "max ms", "during a", "p95 / base"
    );
    println!(
        "{:<42} {:>6} {:>9} {:>9} {:>9} {:>11}",
        "", "", "", "", "", "check"
    );
    let mut base = None;
    let only = std::env::var("LEXSARAH_BENCH_ONLY").unwrap_or_default();
    for (label, yaml, field) in [
        (
            "baseline: a small case (3 documents)",
            small,
            "f-beslut-bakgrund",
        ),
        ("5,000 rows of dokumentation", many, "f-beslut-bakgrund"),
        (
            "a text of 9 MB (utredning.ovrigt)",
            large,
            "f-beslut-bakgrund",
        ),
    ] {
        if !label.contains(&only) && !label.starts_with("baseline") {
            continue;
        }
        let (mut latencies, busy) = measure(&driver, &yaml, field);
        latencies.sort_by(f64::total_cmp);
        let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
        let p95 = at(0.95);
        let base_p95 = *base.get_or_insert(p95);
        println!(
            "{label:<42} {:>6} {:>9.1} {:>9.1} {:>9.1} {:>11} {:>10.2}",
            latencies.len(),
            at(0.5),
            p95,
            at(1.0),
            busy,
            p95 / base_p95
        );
    }
}

/// Types into `field` of the case in bursts; the key-to-letter times in ms, and how many keys
/// were typed while a check was on its way.
fn measure(driver: &Driver, yaml: &str, field: &str) -> (Vec<f64>, usize) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fall.yaml"), yaml).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime
        .block_on(lexsarah_serve::bind(dir.path(), 0))
        .unwrap();
    let url = server.url.clone();
    runtime.spawn(server.run(std::future::pending()));
    let profile = tempfile::tempdir().unwrap();
    runtime.block_on(async {
        let client = driver.browser_at(profile.path(), 1280, 1000).await;
        client.goto(&url).await.unwrap();
        wait(&client, "return document.body.dataset.ready === 'true'").await;
        client
            .execute("document.getElementById('open-name').value = 'fall.yaml'; document.getElementById('open').click();", vec![])
            .await
            .unwrap();
        wait(&client, &format!("return !!document.getElementById('{field}')")).await;
        // The first check and preview after opening have come back.
        wait(&client, "return document.getElementById('summary').textContent !== ''").await;
        client
            .execute(
                "window.__lat = []; window.__busy = 0; const f = document.getElementById(arguments[0]); \
                 f.addEventListener('keydown', (e) => { window.__down = e.timeStamp; if (state.inFlight) window.__busy += 1; }); \
                 f.addEventListener('input', () => { const t0 = window.__down; \
                   requestAnimationFrame(() => setTimeout(() => window.__lat.push(performance.now() - t0), 0)); });",
                vec![json!(field)],
            )
            .await
            .unwrap();
        client
            .execute(
                "const f = document.getElementById(arguments[0]); f.scrollIntoView({ block: 'center' }); f.focus();",
                vec![json!(field)],
            )
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let input = client.find(Locator::Id(field)).await.unwrap();
        for burst in 0..BURSTS {
            for key in 0..KEYS {
                let letter = char::from(b'a' + ((burst * KEYS + key) % 26) as u8);
                input.send_keys(&letter.to_string()).await.unwrap();
                tokio::time::sleep(GAP).await;
            }
            // The next burst starts as soon as the form has asked for a check (after its own
            // wait), so that its keys are typed while the server works and its answer comes back.
            let asked = client.execute("return state.seq;", vec![]).await.unwrap();
            let deadline = Instant::now() + PAUSE + Duration::from_secs(1);
            while client.execute("return state.seq;", vec![]).await.unwrap() == asked {
                assert!(Instant::now() < deadline, "the form asked for no check");
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
        // The last check's answer, too.
        tokio::time::sleep(PAUSE).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let found = client
            .execute("return [window.__lat, window.__busy];", vec![])
            .await
            .unwrap();
        client.close().await.unwrap();
        let latencies: Vec<f64> = found[0]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        assert_eq!(latencies.len(), BURSTS * KEYS, "every key echoed");
        (latencies, found[1].as_u64().unwrap_or(0) as usize)
    })
}

/// Waits up to 120 s for a script to return true.
async fn wait(client: &Client, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while client.execute(script, vec![]).await.unwrap() != json!(true) {
        assert!(Instant::now() < deadline, "waited 120 s for {script}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
