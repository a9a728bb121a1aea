//! The hostile corpus: every file under `tests/hostile/`, and generated ones too large or too
//! regular to keep there, is refused clearly or rendered correctly, within bounded time and
//! memory, and never panics.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use lexsarah::case::mutate::{Edit, mutate};
use lexsarah::check::{CheckSettings, check_case};
use proptest::prelude::*;

use crate::common::*;

/// Longer than this and a run is a failure, whatever it printed.
const TIME_LIMIT: Duration = Duration::from_secs(90);
/// More resident memory than this and a run is a failure.
const MEMORY_LIMIT_KB: u64 = 768 * 1024;

/// What a corpus file must give.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Exit 1, an error with this rule code at the file, and no PDF.
    Refused(&'static str),
    /// Exit 0 and whole PDFs.
    Rendered,
}

/// The files kept in `tests/hostile/`, with what each must give (its README says why).
const CORPUS: &[(&str, Expect)] = &[
    ("tom.yaml", Expect::Refused("saknat-falt")),
    ("bara-kommentarer.yaml", Expect::Refused("saknat-falt")),
    ("binar.yaml", Expect::Refused("yaml-syntax")),
    ("pdf-i-stallet.yaml", Expect::Refused("yaml-syntax")),
    ("utf16.yaml", Expect::Refused("yaml-syntax")),
    ("alias-bomb.yaml", Expect::Refused("yaml-syntax")),
    ("djup-nastling.yaml", Expect::Refused("yaml-syntax")),
    ("djupa-mappningar.yaml", Expect::Refused("yaml-syntax")),
    ("nul-tecken.yaml", Expect::Refused("otillatet-tecken")),
    ("klocka.yaml", Expect::Refused("otillatet-tecken")),
    ("terminalkoder.yaml", Expect::Refused("otillatet-tecken")),
    (
        "riktningsstyrning.yaml",
        Expect::Refused("otillatet-tecken"),
    ),
    ("nollbredd.yaml", Expect::Rendered),
];

/// A finished run of the binary with its peak resident memory.
struct Bounded {
    output: Output,
    peak_kb: u64,
    time: Duration,
}

/// Runs `lexsarah` with a deadline, watching its peak resident memory where Linux shows it.
fn run_bounded(dir: &Path, args: &[&str]) -> Bounded {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lexsarah"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lexsarah starts");
    let status = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    loop {
        if let Some(kb) = std::fs::read_to_string(&status).ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        }) {
            peak_kb = peak_kb.max(kb);
        }
        if child
            .try_wait()
            .expect("the child can be waited for")
            .is_some()
        {
            break;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            panic!("lexsarah {args:?} ran longer than {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Bounded {
        output: child.wait_with_output().expect("the output is read"),
        peak_kb,
        time: started.elapsed(),
    }
}

/// Renders one file into a fresh folder and checks it gave what it must; returns the PDFs.
fn render_and_expect(case: &Path, expect: Expect) -> Vec<Vec<u8>> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let out = tempfile::tempdir().unwrap();
    let run = run_bounded(
        out.path(),
        &["render", case.to_str().unwrap(), "--out", "ut"],
    );
    let err = stderr(&run.output);
    assert!(!err.contains("panicked"), "{name} panicked: {err}");
    assert!(
        run.peak_kb < MEMORY_LIMIT_KB,
        "{name} used {} kB",
        run.peak_kb
    );
    let pdfs: Vec<Vec<u8>> = std::fs::read_dir(out.path().join("ut"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| std::fs::read(e.path()).unwrap())
        .collect();
    match expect {
        Expect::Refused(code) => {
            assert_eq!(run.output.status.code(), Some(1), "{name}: {err}");
            assert!(err.contains(&format!("fel[{code}]")), "{name}: {err}");
            assert!(err.contains(&name), "{name} is not named: {err}");
            assert!(err.contains("tips: "), "{name} says not what to do: {err}");
            assert!(pdfs.is_empty(), "{name} was refused but wrote a PDF");
            assert!(run.time < Duration::from_secs(10), "{name}: {:?}", run.time);
        }
        Expect::Rendered => {
            assert_eq!(run.output.status.code(), Some(0), "{name}: {err}");
            assert!(!pdfs.is_empty(), "{name} wrote no PDF");
            for pdf in &pdfs {
                assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
                assert!(page_count(pdf) >= 1);
            }
        }
    }
    pdfs
}

fn corpus_dir() -> PathBuf {
    root().join("tests/hostile")
}

#[test]
fn every_file_in_the_hostile_corpus_is_refused_clearly_or_rendered() {
    let mut kept: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    kept.sort();
    let mut listed: Vec<String> = CORPUS.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(kept, listed, "every corpus file has an expectation here");
    for (name, expect) in CORPUS {
        render_and_expect(&corpus_dir().join(name), *expect);
    }
}

/// The Stockholm example with one line replaced.
fn example_with(old: &str, new: &str) -> String {
    let text = std::fs::read_to_string(stockholm_example()).unwrap();
    assert!(text.contains(old), "the example has no {old:?}");
    text.replacen(old, new, 1)
}

const BESLUT_LINE: &str = "  beslut: Det inträffade utgjorde ett missförhållande enligt bestämmelserna om lex Sarah i socialtjänstlagen.";

#[test]
fn a_word_of_ten_thousand_letters_breaks_over_pages_and_is_all_printed() {
    let dir = tempfile::tempdir().unwrap();
    let word = "A".repeat(10_000);
    let case = write_case(
        dir.path(),
        "langt-ord.yaml",
        &example_with(BESLUT_LINE, &format!("  beslut: {word}")),
    );
    let pdfs = render_and_expect(&case, Expect::Rendered);
    let beslut = pdfs
        .iter()
        .find(|p| pdf_text(p).contains("Beslut enligt delegation"))
        .unwrap();
    let text = pdf_text(beslut);
    assert!(
        text.chars().filter(|c| *c == 'A').count() >= 10_000,
        "letters went missing off the page"
    );
    assert!(page_count(beslut) > 1);
}

#[test]
fn five_thousand_bullet_items_render_on_many_pages() {
    let dir = tempfile::tempdir().unwrap();
    let items: String = (0..5_000).map(|i| format!("    - punkt {i}\n")).collect();
    let case = write_case(
        dir.path(),
        "punkter.yaml",
        &example_with("  bedomning: |\n", &format!("  bedomning: |\n{items}")),
    );
    let pdfs = render_and_expect(&case, Expect::Rendered);
    let beslut = pdfs
        .iter()
        .find(|p| pdf_text(p).contains("punkt 4999"))
        .expect("the last item is printed");
    assert!(page_count(beslut) > 50);
}

#[test]
fn a_sixty_megabyte_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = std::fs::read_to_string(stockholm_example()).unwrap();
    let line = format!("# {}\n", "x".repeat(98));
    while text.len() < 60 * 1024 * 1024 {
        text.push_str(&line);
    }
    let case = write_case(dir.path(), "stor.yaml", &text);
    render_and_expect(&case, Expect::Refused("for-stor-fil"));
}

/// Typst markup and code that must print as typed, never run.
const TYPST: &str =
    r#"#read("/etc/passwd") #{panic()} *fet* _kursiv_ $x^2$ <etikett> @ref ] \ // = rubrik"#;

/// The JSON pointer of every string in a value.
fn string_pointers(value: &serde_json::Value, at: &str, into: &mut Vec<String>) {
    match value {
        serde_json::Value::String(_) => into.push(at.to_string()),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                string_pointers(item, &format!("{at}/{i}"), into);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                string_pointers(item, &format!("{at}/{key}"), into);
            }
        }
        _ => {}
    }
}

#[test]
fn typst_code_in_every_text_field_prints_as_typed_and_reads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(stockholm_example()).unwrap();
    let mut case: serde_json::Value = serde_saphyr::from_str(&example).unwrap();
    let mut pointers = Vec::new();
    string_pointers(&case, "", &mut pointers);
    // JSON is YAML: each trial is written as JSON and checked as a case file. A field the
    // checks refuse Typst in (a date, a code, the profile) keeps its value.
    let path = dir.path().join("typst-kod.yaml");
    let mut changed = 0;
    for pointer in &pointers {
        let mut trial = case.clone();
        *trial.pointer_mut(pointer).unwrap() = serde_json::Value::String(TYPST.into());
        std::fs::write(&path, serde_json::to_string_pretty(&trial).unwrap()).unwrap();
        if check_case(&path, &CheckSettings::new()).is_ok() {
            case = trial;
            changed += 1;
        }
    }
    assert!(
        changed >= 30,
        "only {changed} of {} strings took the text",
        pointers.len()
    );
    std::fs::write(&path, serde_json::to_string_pretty(&case).unwrap()).unwrap();

    let pdfs = render_and_expect(&path, Expect::Rendered);
    assert_eq!(pdfs.len(), 3);
    for pdf in &pdfs {
        let text = fold(&pdf_text(pdf));
        assert!(text.contains(&fold(TYPST)), "not printed as typed: {text}");
        assert!(!text.contains("root:"), "a file was read");
        assert!(!String::from_utf8_lossy(pdf).contains("root:x:0"));
    }
}

/// The bytes of a PDF and of each of its streams decompressed, where a path could hide.
fn every_byte(pdf: &[u8]) -> Vec<u8> {
    let mut all = pdf.to_vec();
    for object in parse_pdf(pdf).objects.values() {
        if let Ok(stream) = object.as_stream() {
            all.extend(
                stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone()),
            );
        }
    }
    all
}

#[test]
fn a_pdf_holds_no_path_user_or_host_name() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("mapp-q7zx-hemlig/arenden-q7zx");
    std::fs::create_dir_all(&folder).unwrap();
    let case = folder.join("filnamn-q7zx.yaml");
    std::fs::copy(stockholm_example(), &case).unwrap();
    let lindbacka = folder.join("lindbacka-q7zx");
    std::fs::create_dir(&lindbacka).unwrap();
    for name in ["arende.yaml", "profil.yaml", "logga.svg"] {
        std::fs::copy(example(&format!("lindbacka/{name}")), lindbacka.join(name)).unwrap();
    }
    let output = Command::new(env!("CARGO_BIN_EXE_lexsarah"))
        .args(["render", "filnamn-q7zx.yaml", "lindbacka-q7zx/arende.yaml"])
        .current_dir(&folder)
        .env("USER", "anvandare-q7zx")
        .env("LOGNAME", "anvandare-q7zx")
        .env("HOME", dir.path().join("hem-q7zx"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));

    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let mut secrets = vec![
        "q7zx".to_string(),
        dir.path().to_string_lossy().into_owned(),
        folder.to_string_lossy().into_owned(),
    ];
    if host.trim().len() >= 6 {
        secrets.push(host.trim().to_string());
    }
    let mut checked = 0;
    for pdf in [&folder, &lindbacka]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap().flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
    {
        let bytes = every_byte(&std::fs::read(&pdf).unwrap());
        for secret in &secrets {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} holds {secret:?}",
                pdf.display()
            );
        }
        checked += 1;
    }
    assert_eq!(
        checked,
        stdout(&output).lines().count(),
        "every PDF written was searched"
    );
    assert!(checked >= 4);
}

/// Applies line edits to a valid case: (line, kind, text). Most set a line's value to the text,
/// quoted, so that many mutated cases still pass their checks and reach the templates.
/// The edits proptest draws, as the library's one helper for mutated cases takes them.
fn edits(drawn: &[(prop::sample::Index, u8, String)]) -> Vec<Edit> {
    drawn
        .iter()
        .map(|(at, kind, text)| {
            let i = at.index(usize::MAX);
            match kind {
                0..=6 => Edit::Quoted(i, text.clone()),
                7 => Edit::Append(i, text.clone()),
                8 => Edit::Insert(i, text.clone()),
                _ => Edit::Remove(i),
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, .. ProptestConfig::default() })]

    /// A mutated case either fails its checks or renders every document it has.
    #[test]
    fn a_mutated_case_that_passes_its_checks_renders(
        seed in 0usize..3,
        drawn in prop::collection::vec(
            (any::<prop::sample::Index>(), 0u8..10, "[a-zA-ZåäöÅÄÖ0-9 :\\-\\[\\]\"#*_$<>@\\\\|{}\n]{0,24}"),
            1..4,
        ),
    ) {
        let seeds = [
            "stockholm-stockholmsjobb.yaml",
            "stockholm-funktionsbrevlada.yaml",
            "mjolby-borttappade-handlingar.yaml",
        ];
        let text = mutate(&std::fs::read_to_string(example(seeds[seed])).unwrap(), &edits(&drawn));
        let source = lexsarah::source::SourceFile { path: PathBuf::from("prop.yaml"), text };
        if let Ok(checked) = lexsarah::check::check_source(source, &CheckSettings::new()) {
            let settings = lexsarah::render::checked::RenderSettings::defaults(CheckSettings::new());
            let rendered = lexsarah::render::checked::render_case(&settings, &checked);
            prop_assert!(rendered.is_ok(), "{:?}", rendered.err());
            for (_, r) in rendered.unwrap() {
                prop_assert!(r.pdf.trim_ascii_end().ends_with(b"%%EOF"));
            }
        }
    }
}

/// The packages `root` depends on in `Cargo.lock`, itself included, through every version of
/// each (which over-counts, never under-counts).
fn dependency_closure(lock: &str, root: &str) -> std::collections::BTreeSet<String> {
    let mut edges: std::collections::HashMap<String, Vec<String>> = Default::default();
    for block in lock.split("[[package]]").skip(1) {
        let Some(name) = block
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .map(|n| n.trim_end_matches('"').to_string())
        else {
            continue;
        };
        let listed = block
            .split_once("dependencies = [")
            .map(|(_, rest)| rest.split(']').next().unwrap_or_default())
            .unwrap_or_default();
        let deps = listed
            .split(',')
            .map(|d| d.trim().trim_matches('"'))
            .filter_map(|d| d.split(' ').next())
            .filter(|d| !d.is_empty())
            .map(str::to_string);
        edges.entry(name).or_default().extend(deps);
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut todo = vec![root.to_string()];
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            todo.extend(edges.get(&name).into_iter().flatten().cloned());
        }
    }
    seen
}

#[test]
fn no_network_client_is_among_the_dependencies() {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let ours = dependency_closure(&lock, "lexsarah");
    assert!(
        ours.contains("typst") && ours.contains("serde-saphyr"),
        "{ours:?}"
    );
    let clients = [
        "reqwest",
        "ureq",
        "hyper",
        "axum",
        "curl",
        "curl-sys",
        "isahc",
        "attohttpc",
        "native-tls",
        "rustls",
        "openssl",
        "tokio",
    ];
    for client in clients {
        assert!(
            !ours.contains(client),
            "{client} is among lexsarah's dependencies: SECURITY.md promises no network"
        );
    }
    // The browser form's server is another crate of the workspace, and the walk finds its web
    // stack: the check above looks where it should.
    let form = dependency_closure(&lock, "lexsarah-serve");
    assert!(form.contains("axum") && form.contains("tokio") && form.contains("lexsarah"));
    assert!(!form.contains("rustls") && !form.contains("native-tls") && !form.contains("openssl"));
}

#[test]
fn an_output_folder_that_cannot_be_made_or_a_folder_in_a_pdfs_place_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("a.yaml");
    std::fs::copy(stockholm_example(), &case).unwrap();
    std::fs::write(dir.path().join("fil"), "").unwrap();

    let blocked = lexsarah(dir.path(), &["render", "a.yaml", "--out", "fil/ut"]);
    assert_eq!(blocked.status.code(), Some(2));
    assert!(
        stderr(&blocked).contains("mappen fil/ut kan inte skapas"),
        "{}",
        stderr(&blocked)
    );

    // A folder where the beslut should go: that case fails before any of its PDFs is written.
    std::fs::create_dir_all(dir.path().join("ut/AMN-2019-0746-1.3-beslut.pdf")).unwrap();
    let output = lexsarah(dir.path(), &["render", "a.yaml", "--out", "ut"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("AMN-2019-0746-1.3-beslut.pdf kan inte skrivas"),
        "{err}"
    );
    assert!(err.contains("tips: "), "{err}");
    let left: Vec<String> = std::fs::read_dir(dir.path().join("ut"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        ["AMN-2019-0746-1.3-beslut.pdf"],
        "something was written"
    );
}

#[test]
fn one_anchored_megabyte_aliased_fifty_times_is_refused_by_what_it_stands_for() {
    let dir = tempfile::tempdir().unwrap();
    // A valid case: fifty entries of the dokumentation table, each the same megabyte.
    let big = "ord ".repeat(256 * 1024);
    let mut entries =
        format!("  dokumentation:\n    - datum: 2019-12-17\n      anteckning: &stor \"{big}\"\n");
    for _ in 1..50 {
        entries.push_str("    - datum: 2019-12-17\n      anteckning: *stor\n");
    }
    let yaml = example_with("  dokumentation:\n", &entries);
    assert!(yaml.len() < 2 * 1024 * 1024, "a small file");
    let case = write_case(dir.path(), "alias-stor.yaml", &yaml);
    render_and_expect(&case, Expect::Refused("for-stor-fil"));
}

#[test]
fn a_logo_of_nine_hundred_megapixels_is_refused_from_its_header() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        corpus_dir().join("enorm-logga.png"),
        dir.path().join("logga.png"),
    )
    .unwrap();
    let profile = std::fs::read_to_string(example("lindbacka/profil.yaml"))
        .unwrap()
        .replace("logotyp: logga.svg", "logotyp: logga.png");
    assert!(profile.contains("logotyp: logga.png"));
    std::fs::write(dir.path().join("profil.yaml"), profile).unwrap();
    let case = write_case(
        dir.path(),
        "arende.yaml",
        &std::fs::read_to_string(example("lindbacka/arende.yaml")).unwrap(),
    );
    render_and_expect(&case, Expect::Refused("okand-profil"));
}

#[test]
fn a_field_printed_in_headers_and_pdf_properties_is_bounded_in_check() {
    let dir = tempfile::tempdir().unwrap();
    let long = "Förvaltningen ".repeat(3_000);
    let case = write_case(
        dir.path(),
        "lang-forvaltning.yaml",
        &example_with(
            "  lag: SoL\n",
            &format!("  lag: SoL\n  forvaltning: {long}\n"),
        ),
    );
    render_and_expect(&case, Expect::Refused("for-langt-varde"));
    let number = format!("AMN {}", "1".repeat(236));
    let case = write_case(
        dir.path(),
        "langt-diarienummer.yaml",
        &example_with(
            "  diarienummer: \"AMN 2019-0746-1.3\"\n",
            &format!("  diarienummer: \"{number}\"\n"),
        ),
    );
    render_and_expect(&case, Expect::Refused("for-langt-varde"));
}
