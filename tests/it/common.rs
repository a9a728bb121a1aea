//! Helpers shared by the integration tests: running the binary and reading PDFs back.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root, where `examples/` lies.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// An example case by file name.
pub fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

/// The Stockholm example that has a beslut.
pub fn stockholm_example() -> PathBuf {
    example("stockholm-stockholmsjobb.yaml")
}

/// Runs the `lexsarah` binary with a cleared environment in `dir`.
pub fn lexsarah(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lexsarah"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// The process's standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The process's standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A parsed PDF.
pub fn parse_pdf(bytes: &[u8]) -> lopdf::Document {
    lopdf::Document::load_mem(bytes).expect("the PDF parses")
}

/// The text of every page, with runs of white space folded to one space.
pub fn pdf_text(bytes: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(bytes).expect("text can be extracted");
    fold(&text)
}

/// Folds runs of white space to one space.
pub fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How many pages the PDF has.
pub fn page_count(bytes: &[u8]) -> usize {
    parse_pdf(bytes).get_pages().len()
}

/// The XMP metadata packet of the PDF, as text.
pub fn xmp(bytes: &[u8]) -> String {
    let doc = parse_pdf(bytes);
    let catalog = doc.catalog().expect("a catalog");
    let id = catalog
        .get(b"Metadata")
        .and_then(lopdf::Object::as_reference)
        .expect("the catalog has /Metadata");
    let stream = doc
        .get_object(id)
        .and_then(lopdf::Object::as_stream)
        .expect("metadata is a stream");
    let content = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    String::from_utf8(content).expect("XMP is UTF-8")
}

/// A value of the PDF's document information dictionary, decoded from PDF text.
pub fn info(bytes: &[u8], key: &str) -> Option<String> {
    let doc = parse_pdf(bytes);
    let id = doc.trailer.get(b"Info").ok()?.as_reference().ok()?;
    let dict = doc.get_object(id).ok()?.as_dict().ok()?;
    let value = dict.get(key.as_bytes()).ok()?;
    let raw = value.as_str().ok()?;
    Some(decode_pdf_text(raw))
}

/// Decodes a PDF text string: UTF-16BE with a byte-order mark, or PDFDocEncoding (ASCII part).
fn decode_pdf_text(raw: &[u8]) -> String {
    if raw.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = raw[2..]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        raw.iter().map(|&b| b as char).collect()
    }
}

/// Writes a case file into `dir` and returns its path.
pub fn write_case(dir: &Path, name: &str, yaml: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, yaml).expect("the case is written");
    path
}

/// A top-level section taken out of a case: its key and every line under it.
pub fn without(yaml: String, section: &str) -> String {
    let mut inside = false;
    let mut kept = String::new();
    for line in yaml.lines() {
        let top = !line.is_empty() && !line.starts_with([' ', '#']);
        if top {
            inside = line == format!("{section}:");
        }
        if !inside {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}

/// A minimal valid Stockholm case with a beslut; `{text}` placeholders are replaced by `text`.
pub fn beslut_case(text: &str) -> String {
    let quoted = lexsarah::case::write::quoted(text);
    format!(
        r#"version: 1
profil: stockholm
arende:
  diarienummer: "AMN 2024-0001-1.3"
  rubrik: {quoted}
  lag: SoL
beslut:
  datum: 2024-03-05
  arende: {quoted}
  bakgrund: {quoted}
  bedomning: {quoted}
  beslut: {quoted}
  utfall: missforhallande
  delegation: {quoted}
  beslutsfattare:
    namn: {quoted}
    befattning: {quoted}
"#
    )
}

/// Renders one document of a case file as `render` does: checked by every rule first, with the
/// profile the case names or `profile`, and the document's own PDF standards unless given.
pub fn render_checked(
    case_path: &Path,
    profile: Option<&str>,
    doc: lexsarah::document::DocKind,
    standards: Option<&str>,
) -> Vec<u8> {
    let check = lexsarah::check::CheckSettings {
        profile: profile.map(str::to_string),
        ..lexsarah::check::CheckSettings::new()
    };
    let checked =
        lexsarah::check::check_case(case_path, &check).unwrap_or_else(|d| panic!("{d:#?}"));
    let settings = lexsarah::render::checked::RenderSettings {
        docs: Some(vec![doc]),
        pdf: standards.map(|s| lexsarah::render::PdfSettings::parse(s).unwrap()),
        ..lexsarah::render::checked::RenderSettings::defaults(check)
    };
    let mut rendered = lexsarah::render::checked::render_case(&settings, &checked)
        .unwrap_or_else(|d| panic!("{d:#?}"));
    rendered.remove(0).1.pdf
}

/// Every example case: the files in `examples/`, sorted, then the Lindbacka case.
pub fn all_examples() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    cases.push(example("lindbacka/arende.yaml"));
    cases
}

/// Runs `lexsarah check --diagnostic-format json` on one case and returns its exit code and
/// the diagnostics it printed.
pub fn check_json(dir: &Path, case: &Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let output = lexsarah(
        dir,
        &[
            "check",
            "--diagnostic-format",
            "json",
            case.to_str().unwrap(),
        ],
    );
    let found = serde_json::from_str(&stdout(&output)).expect("check prints JSON");
    (output.status.code(), found)
}

/// Where Poppler finds each word on a page: (word, x min, y min from the top, page height).
pub fn word_boxes(pdf: &Path, page: u32) -> Option<Vec<(String, f32, f32, f32)>> {
    let output = Command::new("pdftotext")
        .args(["-bbox", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    let html = String::from_utf8(output.stdout).ok()?;
    let attr = |line: &str, name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    let height = html
        .lines()
        .find(|l| l.contains("<page "))
        .map(|l| attr(l, "height"))?;
    Some(
        html.lines()
            .filter(|l| l.contains("<word "))
            .map(|l| {
                let word = l.split('>').nth(1).unwrap().split('<').next().unwrap();
                (word.to_string(), attr(l, "xMin"), attr(l, "yMin"), height)
            })
            .collect(),
    )
}

/// Whether CI said the outside tools (Poppler, qpdf, pyHanko, OpenSSL) must be there.
pub fn tools_required() -> bool {
    std::env::var_os("LEXSARAH_REQUIRE_TOOLS").is_some()
}

/// Whether a command can be run; when it cannot and CI requires it, the test fails.
pub fn have(tool: &str) -> bool {
    let found = Command::new(tool).arg("--version").output().is_ok();
    assert!(
        found || !tools_required(),
        "{tool} is required (LEXSARAH_REQUIRE_TOOLS)"
    );
    if !found {
        eprintln!("skipped: {tool} is not installed");
    }
    found
}

/// What the `page` validator (PyPI `page-validation`) finds in a PDF for a profile, as rule ids;
/// `None` when it is not installed (and not required).
pub fn page_validator(pdf: &Path, profile: &str) -> Option<Vec<String>> {
    let script = "import sys, page\n\
                  r = page.validate_pdf(sys.argv[1], profile=sys.argv[2])\n\
                  print('\\n'.join(f.rule_id for f in r.failures))";
    let output = std::process::Command::new("python3")
        .args(["-c", script, pdf.to_str().unwrap(), profile])
        .output()
        .ok()?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        let missing = err.contains("No module named 'page'");
        assert!(
            missing && std::env::var_os("LEXSARAH_REQUIRE_TOOLS").is_none(),
            "the page validator failed: {err}"
        );
        eprintln!("skipped: page-validation is not installed");
        return None;
    }
    Some(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_string)
            .filter(|id| !id.is_empty())
            .collect(),
    )
}

/// Renders the example `name` into `dir/ut` with the extra arguments, asserting it succeeds.
pub fn render_example(dir: &Path, name: &str, extra: &[&str]) {
    let case = example(name);
    let mut args = vec!["render", case.to_str().unwrap(), "--out", "ut"];
    args.extend_from_slice(extra);
    let output = lexsarah(dir, &args);
    assert!(output.status.success(), "{}", stderr(&output));
}

/// Runs an outside tool in `dir`, asserting it succeeds; its standard output.
pub fn run_tool(dir: &Path, program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{program} {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
