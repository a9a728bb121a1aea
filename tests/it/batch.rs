//! `lexsarah batch`: a folder of cases into an archive with a manifest, safely and repeatably.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::common::*;

/// A folder of cases: the examples (with Lindbacka's profile in a subfolder), a broken one, and a
/// second case with the diarienummer of an earlier one.
fn cases() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("arenden");
    std::fs::create_dir_all(cases.join("2024/lindbacka")).unwrap();
    for name in [
        "stockholm-stockholmsjobb.yaml",
        "stockholm-funktionsbrevlada.yaml",
        "mjolby-borttappade-handlingar.yaml",
    ] {
        std::fs::copy(example(name), cases.join(name)).unwrap();
    }
    for name in ["arende.yaml", "profil.yaml", "logga.svg"] {
        std::fs::copy(
            example("lindbacka").join(name),
            cases.join("2024/lindbacka").join(name),
        )
        .unwrap();
    }
    std::fs::write(
        cases.join("trasig.yml"),
        "version: 1\nprofil: stockholm\narende: [\n",
    )
    .unwrap();
    std::fs::copy(
        example("stockholm-funktionsbrevlada.yaml"),
        cases.join("zz-kopia.yaml"),
    )
    .unwrap();
    std::fs::write(cases.join("anteckning.txt"), "inte ett ärende").unwrap();
    dir
}

fn batch(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["batch"];
    all.extend_from_slice(args);
    lexsarah(dir, &all)
}

/// Every file under a folder with its bytes, by path relative to it.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, into);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                into.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(root, root, &mut files);
    files
}

fn manifest(archive: &Path) -> Vec<serde_json::Value> {
    serde_json::from_slice(&std::fs::read(archive.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn a_batch_renders_exactly_the_valid_cases_and_reports_each_broken_one() {
    let dir = cases();
    let output = batch(dir.path(), &["arenden", "--out", "arkiv"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    let archive = dir.path().join("arkiv");

    let folders: Vec<String> = std::fs::read_dir(&archive)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        folders,
        [
            "2020-0428_Lex-Sara_200324",
            "2021-ASN-0026",
            "AMN-2019-0746-1.3",
            "VON-2024-0117"
        ]
    );
    let rows = manifest(&archive);
    // Mjölby's six documents, the notice also as a web page and the anmälan as a text.
    assert_eq!(rows.len(), 3 + 3 + 8 + 2, "{rows:#?}");

    let fel: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(archive.join("fel.json")).unwrap()).unwrap();
    // The same objects as `check --diagnostic-format json` prints.
    let refused: Vec<(&str, &str)> = fel
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            (
                file.rsplit('/').next().unwrap(),
                f["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        refused,
        [
            ("trasig.yml", "yaml-syntax"),
            ("zz-kopia.yaml", "diarienummer-dubblett")
        ]
    );
    assert_eq!(fel[0]["line"], 3);
    assert_eq!(fel[0]["severity"], "error");
    let check = lexsarah(
        &dir.path().join("arenden"),
        &["check", "--diagnostic-format", "json", "trasig.yml"],
    );
    let from_check: Vec<serde_json::Value> = serde_json::from_str(&stdout(&check)).unwrap();
    assert_eq!(
        (
            &from_check[0]["code"],
            &from_check[0]["line"],
            &from_check[0]["message"]
        ),
        (&fel[0]["code"], &fel[0]["line"], &fel[0]["message"])
    );
    assert!(err.contains("trasig.yml:3:"), "{err}");
    assert!(err.contains("fel[diarienummer-dubblett]"), "{err}");
    assert!(err.contains("stockholm-funktionsbrevlada.yaml"), "{err}");
    assert!(
        !err.contains("profil.yaml"),
        "the profile is not a case: {err}"
    );
    assert!(err.contains("klart: 6 ärenden, 16 handlingar"), "{err}");
    assert!(err.contains("2 avvisade"), "{err}");
}

#[test]
fn the_manifest_describes_every_pdf_with_its_checksum_in_both_forms() {
    let dir = cases();
    batch(dir.path(), &["arenden", "--out", "arkiv"]);
    let archive = dir.path().join("arkiv");
    let rows = manifest(&archive);
    let mut documents = 0;
    for (path, bytes) in tree(&archive) {
        if path
            .extension()
            .is_some_and(|e| e == "pdf" || e == "html" || e == "txt")
        {
            documents += 1;
            let fil = path.to_string_lossy().replace('\\', "/");
            let row = rows
                .iter()
                .find(|r| r["fil"] == fil.as_str())
                .unwrap_or_else(|| panic!("{fil} is not in the manifest"));
            let sum: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(row["sha256"], sum.as_str());
            if !fil.ends_with(".pdf") {
                assert!(row["sidor"].is_null(), "a web page or a text has no pages");
            } else {
                assert_eq!(row["sidor"].as_u64().unwrap() as usize, page_count(&bytes));
            }
        }
    }
    assert_eq!(documents, rows.len());

    let beslut = rows
        .iter()
        .find(|r| r["fil"] == "AMN-2019-0746-1.3/AMN-2019-0746-1.3-beslut.pdf")
        .unwrap();
    assert_eq!(beslut["diarienummer"], "AMN 2019-0746-1.3");
    assert_eq!(beslut["handlingstyp"], "Beslut enligt delegation");
    assert_eq!(beslut["profil"], "stockholm");
    assert_eq!(beslut["sekretess"], "ja");
    assert_eq!(beslut["kalla"], "stockholm-stockholmsjobb.yaml");
    let lindbacka = rows.iter().find(|r| r["profil"] == "lindbacka").unwrap();
    assert_eq!(lindbacka["kalla"], "2024/lindbacka/arende.yaml");
    let tjansteskrivelse = rows
        .iter()
        .find(|r| r["fil"] == "2021-ASN-0026/2021-ASN-0026-tjansteskrivelse.pdf")
        .unwrap();
    assert_eq!(tjansteskrivelse["sekretess"], "nej");
    assert_eq!(tjansteskrivelse["datum"], "2021-02-11");

    // For Swedish Excel: a byte order mark, semicolons, the rows of a case in the order of the
    // process, and the paragraph of each sekretess.
    let csv = std::fs::read_to_string(archive.join("manifest.csv")).unwrap();
    let csv = csv.strip_prefix('\u{feff}').expect("a byte order mark");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Diarienummer;Handlingstyp;Datum;Riktning;Avsändare;Mottagare;Rubrik;Profil;Sidor;Sekretess;Sekretessgrund;Fil;Kontrollsumma SHA-256;Källfil;Signerad fil;Signaturer"
    );
    assert_eq!(lines.clone().count(), rows.len());
    let mjolby: Vec<&str> = lines
        .filter(|l| l.starts_with("2021/ASN 0026;"))
        .map(|l| l.split(';').nth(11).unwrap())
        .collect();
    assert_eq!(
        mjolby,
        [
            "2021-ASN-0026/2021-ASN-0026-rapport.pdf",
            "2021-ASN-0026/2021-ASN-0026-utredning.pdf",
            "2021-ASN-0026/2021-ASN-0026-beslut.pdf",
            "2021-ASN-0026/2021-ASN-0026-anmalan.pdf",
            "2021-ASN-0026/2021-ASN-0026-anmalan.txt",
            "2021-ASN-0026/2021-ASN-0026-tjansteskrivelse.pdf",
            "2021-ASN-0026/2021-ASN-0026-notis.pdf",
            "2021-ASN-0026/2021-ASN-0026-notis.html",
        ]
    );
    let beslut_row = csv
        .lines()
        .find(|l| l.contains("2021-ASN-0026-beslut.pdf"))
        .unwrap();
    assert!(beslut_row.contains(";26 kap. 1 § OSL;"), "{beslut_row}");
    // As the diarium registers it: the beslut drawn up by its beslutsfattare.
    assert!(
        beslut_row.contains(";upprättad;Eva Lindgren;;"),
        "{beslut_row}"
    );
    let rapport_row = csv
        .lines()
        .find(|l| l.contains("2021-ASN-0026-rapport.pdf"))
        .unwrap();
    assert!(
        rapport_row.contains(";inkommande;Petra Nyström;Karl Sjöberg;"),
        "{rapport_row}"
    );
    // Each document's row of case-format.md's table of the diarium.
    for (file, parties) in [
        ("utredning.pdf", ";upprättad;Karl Sjöberg;;"),
        (
            "anmalan.pdf",
            ";utgående;Omsorgs- och socialnämnden;Inspektionen för vård och omsorg;",
        ),
        (
            "tjansteskrivelse.pdf",
            ";utgående;Omsorgs- och socialförvaltningen;Omsorgs- och socialnämnden;",
        ),
        (
            "notis.pdf",
            ";utgående;Omsorgs- och socialförvaltningen;Allmänheten (kommunens webbplats);",
        ),
    ] {
        let row = csv
            .lines()
            .find(|l| l.contains(&format!("2021-ASN-0026-{file}")))
            .unwrap();
        assert!(row.contains(parties), "{row}");
    }
    assert!(csv.contains(&format!(";{};", beslut["sha256"].as_str().unwrap())));
}

#[test]
fn a_rerun_writes_nothing_new_and_the_number_of_jobs_changes_nothing() {
    let dir = cases();
    let one = batch(
        dir.path(),
        &["arenden", "--out", "a/arkiv", "--jobs", "1", "--zip"],
    );
    let two = batch(
        dir.path(),
        &["arenden", "--out", "b/arkiv", "--jobs", "2", "--zip"],
    );
    assert!(
        stderr(&one).contains("(16 nya eller ändrade)"),
        "{}",
        stderr(&one)
    );
    assert!(stderr(&two).contains("(16 nya eller ändrade)"));
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert_eq!(
        tree(&a),
        tree(&b),
        "--jobs 1 and --jobs 2 give the same archive and zip"
    );
    assert!(a.join("arkiv.zip").is_file());

    let before: Vec<_> = walk_times(&a.join("arkiv"));
    let again = batch(dir.path(), &["arenden", "--out", "a/arkiv", "--jobs", "2"]);
    assert!(
        stderr(&again).contains("(0 nya eller ändrade)"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        walk_times(&a.join("arkiv"))[..],
        before[..],
        "no PDF was rewritten"
    );
    assert_eq!(tree(&a.join("arkiv")), tree(&b.join("arkiv")));
}

/// The modification time of every PDF under a folder.
fn walk_times(root: &Path) -> Vec<(PathBuf, std::time::SystemTime)> {
    tree(root)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .map(|p| {
            let time = std::fs::metadata(root.join(&p))
                .unwrap()
                .modified()
                .unwrap();
            (p, time)
        })
        .collect()
}

#[test]
fn a_pdf_in_the_archive_with_other_bytes_is_kept_unless_forced() {
    let dir = cases();
    batch(dir.path(), &["arenden", "--out", "arkiv"]);
    let pdf = dir
        .path()
        .join("arkiv/AMN-2019-0746-1.3/AMN-2019-0746-1.3-beslut.pdf");
    let archived: String = Sha256::digest(std::fs::read(&pdf).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    std::fs::write(&pdf, b"%PDF-1.7 signerad").unwrap();
    let output = batch(dir.path(), &["arenden", "--out", "arkiv"]);
    assert!(
        stderr(&output).contains("arkivet-andrat"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(&pdf).unwrap(), b"%PDF-1.7 signerad");
    let fel = std::fs::read_to_string(dir.path().join("arkiv/fel.json")).unwrap();
    assert!(fel.contains("stockholm-stockholmsjobb.yaml"), "{fel}");
    // The manifest keeps the row as the PDF was archived, and the change is named.
    let rows = manifest(&dir.path().join("arkiv"));
    let row = rows
        .iter()
        .find(|r| r["fil"] == "AMN-2019-0746-1.3/AMN-2019-0746-1.3-beslut.pdf")
        .expect("kept in the manifest");
    assert_eq!(row["sha256"], archived.as_str());
    assert!(
        stderr(&output).contains("AMN-2019-0746-1.3-beslut.pdf har ändrats sedan den arkiverades"),
        "{}",
        stderr(&output)
    );

    let forced = batch(dir.path(), &["arenden", "--out", "arkiv", "--force"]);
    assert!(!stderr(&forced).contains("arkivet-andrat"));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-1.7\n"));
}

#[test]
fn a_batch_that_cannot_run_exits_2() {
    let dir = cases();
    let missing = batch(dir.path(), &["finns-inte", "--out", "arkiv"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("finns-inte är ingen mapp"));
    std::fs::write(dir.path().join("fil"), "").unwrap();
    let blocked = batch(dir.path(), &["arenden", "--out", "fil/arkiv"]);
    assert_eq!(blocked.status.code(), Some(2), "{}", stderr(&blocked));
    assert!(stderr(&blocked).contains("arkivmappen"));
}

#[test]
fn a_batch_of_valid_cases_exits_0_and_lists_its_pdfs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::copy(stockholm_example(), dir.path().join("in/a.yaml")).unwrap();
    let output = batch(dir.path(), &["in", "--out", "arkiv", "--doc", "beslut"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).trim(),
        Path::new("arkiv/AMN-2019-0746-1.3/AMN-2019-0746-1.3-beslut.pdf")
            .display()
            .to_string()
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("arkiv/fel.json")).unwrap(),
        "[]\n"
    );
}

#[test]
fn a_case_holding_an_earlier_refused_cases_diarienummer_is_refused_too() {
    // Which of two files with one diarienummer is archived must not depend on whether the
    // other one passes its check today: both are refused until one of them is corrected.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    let valid = std::fs::read_to_string(example("mjolby-borttappade-handlingar.yaml")).unwrap();
    let broken = valid.replacen("datum: 2021-01-14", "datum: 2021-13-45", 1);
    assert_ne!(broken, valid);
    std::fs::write(dir.path().join("in/a.yaml"), broken).unwrap();
    std::fs::write(dir.path().join("in/b.yaml"), valid).unwrap();
    let output = batch(dir.path(), &["in", "--out", "arkiv", "--jobs", "2"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let fel: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.path().join("arkiv/fel.json")).unwrap()).unwrap();
    let codes = |file: &str| -> Vec<String> {
        fel.iter()
            .filter(|f| f["file"].as_str().is_some_and(|p| p.ends_with(file)))
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(codes("a.yaml"), ["ogiltigt-datum"], "{fel:?}");
    assert_eq!(codes("b.yaml"), ["diarienummer-dubblett"], "{fel:?}");
    let archive = tree(&dir.path().join("arkiv"));
    assert!(
        archive
            .keys()
            .all(|p| p.extension().is_none_or(|e| e != "pdf")),
        "{:?}",
        archive.keys().collect::<Vec<_>>()
    );
}

#[test]
fn the_benchmark_measures_batch_against_the_engine_and_reports_ratios() {
    let dir = tempfile::tempdir().unwrap();
    let output = lexsarah(dir.path(), &["bench", "--sizes", "2,4"]);
    let report = stdout(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    for line in [
        "engine floor (compile + export, 1 thread)",
        "engine floor, all cores",
        "engine floor all cores / (cores x floor)",
        "batch all cores / engine floor all cores",
        "batch --jobs 1",
        "best of three runs",
        "spread",
        "batch, all cores",
        "peak RSS, batch of     2 cases",
        "peak RSS, batch of     4 cases",
        "sip / batch,     4 cases",
        "peak RSS, sip of     4 cases",
    ] {
        assert!(report.contains(line), "no {line:?} in:\n{report}");
    }
    // Every ratio is a measured, positive number.
    let ratios: Vec<f64> = report
        .lines()
        .filter(|l| l.contains("target"))
        .filter_map(|l| l.split(':').nth(1)?.split_whitespace().next()?.parse().ok())
        .collect();
    // Batch against the engine, batch's and sip's memory, and sip against batch for each size.
    assert_eq!(ratios.len(), 5, "{report}");
    assert!(ratios.iter().all(|r| *r > 0.0 && r.is_finite()), "{report}");

    let refused = lexsarah(dir.path(), &["bench", "--sizes", "0"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--sizes"));
}

#[test]
fn a_batch_killed_midway_leaves_no_partial_pdf_and_a_rerun_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("in");
    std::fs::create_dir(&cases).unwrap();
    let text = std::fs::read_to_string(stockholm_example()).unwrap();
    for i in 0..12 {
        let own = text.replace("\"AMN 2019-0746-1.3\"", &format!("\"AMN 2019-0746-1.{i}\""));
        std::fs::write(cases.join(format!("{i:02}.yaml")), own).unwrap();
    }
    let archive = dir.path().join("arkiv");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lexsarah"))
        .args(["batch", "in", "--out", "arkiv", "--jobs", "1"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The PDFs under the archive; files may come and go while it is read.
    let pdfs = |archive: &Path| -> Vec<PathBuf> {
        let mut found = Vec::new();
        for folder in std::fs::read_dir(archive).into_iter().flatten().flatten() {
            for file in std::fs::read_dir(folder.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if file.path().extension().is_some_and(|e| e == "pdf") {
                    found.push(file.path());
                }
            }
        }
        found
    };
    let started = std::time::Instant::now();
    while pdfs(&archive).len() < 2 {
        assert!(started.elapsed().as_secs() < 120, "the batch wrote nothing");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let first = pdfs(&archive);
    assert!(first.len() < 36, "the batch finished before it was killed");
    assert!(!archive.join("manifest.json").exists());
    for pdf in &first {
        let bytes = std::fs::read(pdf).unwrap();
        assert!(
            bytes.trim_ascii_end().ends_with(b"%%EOF"),
            "{} is cut short",
            pdf.display()
        );
        parse_pdf(&bytes);
    }

    let rerun = batch(dir.path(), &["in", "--out", "arkiv"]);
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    let after = tree(&archive);
    assert_eq!(pdfs(&archive).len(), 36);
    assert!(
        after
            .keys()
            .all(|p| !p.to_string_lossy().contains(".lexsarah-") || p.ends_with(".lexsarah-las")),
        "a temporary file was left: {:?}",
        after.keys().collect::<Vec<_>>()
    );
    let manifest: Vec<serde_json::Value> =
        serde_json::from_slice(&after[Path::new("manifest.json")]).unwrap();
    assert_eq!(manifest.len(), 36);
}

#[test]
fn the_zip_dates_each_document_with_its_own_date_and_fel_json_names_the_diarienummer() {
    let dir = cases();
    batch(dir.path(), &["arenden", "--out", "arkiv", "--zip"]);
    let file = std::fs::File::open(dir.path().join("arkiv.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut dated = BTreeMap::new();
    for i in 0..zip.len() {
        let entry = zip.by_index(i).unwrap();
        let t = entry.last_modified().unwrap();
        dated.insert(
            entry.name().unwrap().to_string(),
            format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day()),
        );
    }
    assert_eq!(
        dated["arkiv/2021-ASN-0026/2021-ASN-0026-beslut.pdf"],
        "2021-01-14"
    );
    assert_eq!(
        dated["arkiv/2021-ASN-0026/2021-ASN-0026-tjansteskrivelse.pdf"],
        "2021-02-11"
    );
    // The listings carry the newest document's date.
    assert_eq!(dated["arkiv/manifest.json"], "2024-04-18");

    let fel: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.path().join("arkiv/fel.json")).unwrap()).unwrap();
    let duplicate = fel
        .iter()
        .find(|f| f["code"] == "diarienummer-dubblett")
        .unwrap();
    assert_eq!(duplicate["diarienummer"], "2020-0428_Lex Sara_200324");
    let broken = fel.iter().find(|f| f["code"] == "yaml-syntax").unwrap();
    assert!(broken.get("diarienummer").is_none(), "unreadable: {broken}");
}

#[test]
fn a_draft_of_the_browser_form_is_read_by_no_command() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("arenden");
    std::fs::create_dir(&cases).unwrap();
    std::fs::copy(
        example("stockholm-skyddad-adress.yaml"),
        cases.join("fall.yaml"),
    )
    .unwrap();
    // What lexsarah-serve keeps beside a case while it is written: JSON, never a case file.
    std::fs::write(
        cases.join("fall.yaml.utkast"),
        r#"{"grundad_pa":null,"arende":{"version":1,"arende":{"diarienummer":"UTKAST 1"}}}"#,
    )
    .unwrap();
    std::fs::write(cases.join("nytt.yaml.utkast"), "{ trasig").unwrap();
    for args in [
        vec!["batch", "arenden", "--out", "arkiv"],
        vec!["deadlines", "arenden", "--date", "2026-12-07"],
        vec![
            "summary",
            "arenden",
            "--from",
            "2026-07-01",
            "--to",
            "2026-12-31",
            "--out",
            "ut",
        ],
    ] {
        let output = lexsarah(dir.path(), &args);
        let said = format!("{}{}", stdout(&output), stderr(&output));
        assert!(
            output.status.code().is_some_and(|c| c < 2),
            "{args:?}: {said}"
        );
        assert!(
            !said.contains("utkast") && !said.contains("UTKAST"),
            "{args:?}: {said}"
        );
    }
    let manifest = std::fs::read_to_string(dir.path().join("arkiv/manifest.csv")).unwrap();
    assert!(!manifest.contains("UTKAST"), "{manifest}");
}
