//! What hostile probes broke (issue 13), each held by a test: leaks, amplification, races,
//! unbounded reads, the archive, names, signatures.

use crate::common::*;

#[test]
fn an_emitted_tjansteskrivelse_carries_no_text_of_the_confidential_documents() {
    let dir = tempfile::tempdir().unwrap();
    let case = example("mjolby-borttappade-handlingar.yaml");
    let output = lexsarah(
        dir.path(),
        &[
            "render",
            case.to_str().unwrap(),
            "--out",
            "ut",
            "--emit-typst",
            "typst",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let data = |doc: &str| {
        std::fs::read_to_string(
            dir.path()
                .join(format!("typst/2021-ASN-0026-{doc}/data.json")),
        )
        .unwrap()
    };
    let published = data("tjansteskrivelse");
    // The rapport's and utredning's own words, and the people only they name.
    for secret in [
        "glömde en väska med en bärbar dator",
        "Den bärbara datorn var skyddad med inloggningsuppgifter",
        "Petra Nyström",
        "petra.nystrom@example.se",
        "Samtal med medarbetaren",
    ] {
        assert!(
            !published.contains(secret),
            "{secret:?} is in the tjänsteskrivelse's data"
        );
    }
    assert!(
        published.contains("Lena Forsberg"),
        "its own handläggare stays"
    );
    let json: serde_json::Value = serde_json::from_str(&published).unwrap();
    for section in ["rapport", "utredning", "beslut"] {
        assert!(json["case"].get(section).is_none(), "{section} in {json}");
    }
    // Each confidential document still has its own section, and only that.
    let rapport: serde_json::Value = serde_json::from_str(&data("rapport")).unwrap();
    assert!(rapport["case"].get("rapport").is_some());
    assert!(rapport["case"].get("utredning").is_none());
}

#[test]
fn a_personnummer_anywhere_in_the_tjansteskrivelse_in_any_writing_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(example("mjolby-borttappade-handlingar.yaml"))
        .unwrap()
        .replace(
            "  handlaggare: Lena Forsberg\n",
            "  handlaggare: Lena Forsberg 1212121212\n",
        )
        .replace(
            "Den enskilde har fått en ursäkt av kommunen",
            "Den enskilde (19121212-1212) har fått en ursäkt av kommunen",
        );
    let case = write_case(dir.path(), "pnr.yaml", &yaml);
    let output = lexsarah(
        dir.path(),
        &["check", "--diagnostic-format", "json", "pnr.yaml"],
    );
    assert_eq!(output.status.code(), Some(1));
    let found: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).unwrap();
    let lines: Vec<(&str, u64)> = found
        .iter()
        .filter(|d| d["code"] == "publicerat-personnummer" && d["severity"] == "error")
        .map(|d| (d["message"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    let source = std::fs::read_to_string(&case).unwrap();
    let line_of =
        |needle: &str| source.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    assert_eq!(lines.len(), 2, "{found:?}");
    assert!(lines.contains(&(
        "`1212121212` ser ut som ett personnummer i text som går till nämnden och kan bli offentlig",
        line_of("Lena Forsberg 1212121212")
    )), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|(m, l)| m.contains("`19121212-1212`") && *l == line_of("(19121212-1212)")),
        "{lines:?}"
    );
}

#[test]
fn a_rubrik_a_spreadsheet_would_run_is_plain_text_in_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("arenden")).unwrap();
    write_case(
        &dir.path().join("arenden"),
        "formel.yaml",
        &beslut_case("Text").replace(
            "  rubrik: \"Text\"\n",
            "  rubrik: \"=HYPERLINK(\\\"http://example.invalid\\\",\\\"Öppna\\\")\"\n",
        ),
    );
    let output = lexsarah(dir.path(), &["batch", "arenden", "--out", "arkiv"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let csv = std::fs::read_to_string(dir.path().join("arkiv/manifest.csv")).unwrap();
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"),
        "{csv}"
    );
    // The JSON manifest keeps the rubrik as written.
    let json = std::fs::read_to_string(dir.path().join("arkiv/manifest.json")).unwrap();
    assert!(json.contains("\"rubrik\": \"=HYPERLINK("), "{json}");
}

/// Appends an incremental update holding one signature dictionary written as given.
fn with_signature_dictionary(pdf: &[u8], dictionary: &str) -> Vec<u8> {
    let parsed = parse_pdf(pdf);
    let id = parsed.max_id + 1;
    let root = parsed.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let text = String::from_utf8_lossy(pdf);
    let prev = text[text.rfind("startxref").unwrap() + 9..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let mut out = pdf.to_vec();
    out.push(b'\n');
    let offset = out.len();
    out.extend_from_slice(format!("{id} 0 obj\n{dictionary}\nendobj\n").as_bytes());
    let xref = out.len();
    out.extend_from_slice(
        format!(
            "xref\n{id} 1\n{offset:010} 00000 n \ntrailer\n<< /Size {} /Root {} {} R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n",
            id + 1,
            root.0,
            root.1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn a_signature_whose_byte_range_key_is_escaped_is_still_a_signature() {
    let dir = tempfile::tempdir().unwrap();
    let case = stockholm_example();
    let render = |extra: &[&str]| {
        let mut args = vec![
            "render",
            case.to_str().unwrap(),
            "--doc",
            "beslut",
            "--out",
            "ut",
        ];
        args.extend(extra);
        lexsarah(dir.path(), &args)
    };
    assert!(render(&[]).status.success());
    let target = dir.path().join("ut/AMN-2019-0746-1.3-beslut.pdf");
    let unsigned = std::fs::read(&target).unwrap();
    let signed = with_signature_dictionary(
        &unsigned,
        "<< /Type /Sig /Filter /Adobe.PPKLite /Byte#52ange [0 10 20 30] /Contents <00> >>",
    );
    assert!(!signed.windows(10).any(|w| w == b"/ByteRange"), "escaped");
    assert!(lexsarah::output::is_signed(&signed));
    assert!(!lexsarah::output::is_signed(&unsigned));
    std::fs::write(&target, &signed).unwrap();

    let refused = render(&[]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("har signerats"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        std::fs::read(&target).unwrap(),
        signed,
        "the signed PDF is kept"
    );
    assert!(render(&["--force"]).status.success());
}

#[test]
fn render_never_writes_two_cases_to_one_file_name_whatever_the_case_of_letters() {
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for (name, number) in [
        ("a.yaml", "AMN 1"),
        ("b.yaml", "AMN/1"),
        ("c.yaml", "amn:1"),
    ] {
        write_case(
            dir.path(),
            name,
            &beslut_case("Text").replace("AMN 2024-0001-1.3", number),
        );
        names.push(name);
    }
    let mut args = vec!["render"];
    args.extend(&names);
    args.extend(["--out", "ut"]);
    let output = lexsarah(dir.path(), &args);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert_eq!(
        err.matches("fel[diarienummer-dubblett]").count(),
        2,
        "{err}"
    );
    assert_eq!(
        stdout(&output).lines().count(),
        1,
        "only the first is written"
    );
    assert_eq!(std::fs::read_dir(dir.path().join("ut")).unwrap().count(), 1);
}

/// Swaps a symbolic link between two targets as fast as it can until told to stop.
#[cfg(unix)]
fn keep_swapping(
    link: std::path::PathBuf,
    a: std::path::PathBuf,
    b: std::path::PathBuf,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let mut swaps = 0;
        let staging = link.with_extension("ny");
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            let target = if swaps % 2 == 0 { &a } else { &b };
            let _ = std::fs::remove_file(&staging);
            std::os::unix::fs::symlink(target, &staging).unwrap();
            // rename replaces the link atomically, as an attacker would.
            std::fs::rename(&staging, &link).unwrap();
            swaps += 1;
        }
        swaps
    })
}

#[cfg(unix)]
#[test]
fn a_profile_link_swapped_while_cases_are_checked_never_brings_in_the_outside_file() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let root = tempfile::tempdir().unwrap();
    let (cases, outside) = (root.path().join("arenden"), root.path().join("utanfor"));
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    let profile = std::fs::read_to_string(example("lindbacka/profil.yaml"))
        .unwrap()
        .replace("logotyp: logga.svg\n", "")
        // A typo, so that checking shows a line of the profile.
        .replace("vaxel:", "vaxxel:");
    std::fs::write(cases.join("inne.yaml"), &profile).unwrap();
    std::fs::write(
        outside.join("hemlig.yaml"),
        profile
            .replace("Lindbacka kommun", "HEMLIG KOMMUN")
            .replace("vaxxel:", "hemlighet: HEMLIGT-INNEHALL\nvaxxel:"),
    )
    .unwrap();
    let case = write_case(
        &cases,
        "arende.yaml",
        &std::fs::read_to_string(example("lindbacka/arende.yaml"))
            .unwrap()
            .replace("profil: profil.yaml", "profil: p.yaml"),
    );
    assert!(
        std::fs::read_to_string(&case)
            .unwrap()
            .contains("profil: p.yaml")
    );
    let stop = Arc::new(AtomicBool::new(false));
    let swapper = keep_swapping(
        cases.join("p.yaml"),
        cases.join("inne.yaml"),
        outside.join("hemlig.yaml"),
        stop.clone(),
    );
    let settings = lexsarah::check::CheckSettings::new();
    let (mut inside, mut refused) = (0, 0);
    for _ in 0..300 {
        match lexsarah::check::check_case(&case, &settings) {
            Ok(_) => panic!("the inside profile has a typo and is never accepted"),
            Err(problems) => {
                let text = lexsarah::diagnostics::format_human(&problems);
                assert!(
                    !text.contains("HEMLIG"),
                    "the outside file was read: {text}"
                );
                if text.contains("vaxxel") {
                    inside += 1;
                } else {
                    refused += 1;
                }
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    let swaps = swapper.join().unwrap();
    assert!(swaps > 300, "the link was swapped {swaps} times");
    assert!(
        inside > 0 && refused > 0,
        "both sides were met: {inside} inside, {refused} refused"
    );
}

#[cfg(unix)]
#[test]
fn a_logo_folder_swapped_for_a_link_never_puts_the_outside_logo_in() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let root = tempfile::tempdir().unwrap();
    let (cases, outside) = (root.path().join("arenden"), root.path().join("utanfor"));
    std::fs::create_dir_all(cases.join("bilder-inne")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    let svg = std::fs::read(example("lindbacka/logga.svg")).unwrap();
    std::fs::write(cases.join("bilder-inne/logga.svg"), &svg).unwrap();
    let secret = String::from_utf8(svg.clone())
        .unwrap()
        .replace("<svg", "<svg data-hemlig=\"ja\"");
    std::fs::write(outside.join("logga.svg"), &secret).unwrap();
    std::fs::write(
        cases.join("profil.yaml"),
        std::fs::read_to_string(example("lindbacka/profil.yaml"))
            .unwrap()
            .replace("logotyp: logga.svg", "logotyp: bilder/logga.svg"),
    )
    .unwrap();
    let case = write_case(
        &cases,
        "arende.yaml",
        &std::fs::read_to_string(example("lindbacka/arende.yaml")).unwrap(),
    );
    // The logo's folder is a real folder one moment and a link out the next: a path resolved
    // while it is real names a file that is outside by the time it is read again.
    let stop = Arc::new(AtomicBool::new(false));
    let swapper = {
        let (stop, folder, kept) = (
            stop.clone(),
            cases.join("bilder"),
            cases.join("bilder-inne"),
        );
        std::thread::spawn(move || {
            let mut swaps = 0;
            while !stop.load(Ordering::Relaxed) {
                std::fs::rename(&kept, &folder).unwrap();
                std::fs::rename(&folder, &kept).unwrap();
                std::os::unix::fs::symlink(&outside, &folder).unwrap();
                std::fs::remove_file(&folder).unwrap();
                swaps += 1;
            }
            swaps
        })
    };
    let settings = lexsarah::check::CheckSettings::new();
    let (mut used, mut refused) = (0, 0);
    for _ in 0..300 {
        match lexsarah::check::check_case(&case, &settings) {
            Ok(checked) => {
                let logo = checked.profile.logo.expect("a logo");
                assert_eq!(logo.bytes, svg, "the outside logo was read");
                used += 1;
            }
            Err(problems) => {
                assert!(
                    problems.iter().all(|d| d.code.as_str() == "okand-profil"),
                    "{problems:?}"
                );
                refused += 1;
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    swapper.join().unwrap();
    assert!(used > 0 && refused > 0, "{used} used, {refused} refused");
}

/// A folder `arenden/` with two valid cases (Stockholm examples), for the archive's tests.
fn two_cases() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("arenden");
    std::fs::create_dir_all(&cases).unwrap();
    for name in [
        "stockholm-stockholmsjobb.yaml",
        "stockholm-funktionsbrevlada.yaml",
    ] {
        std::fs::copy(example(name), cases.join(name)).unwrap();
    }
    dir
}

fn batch_in(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["batch", "arenden", "--out", "arkiv"];
    args.extend(extra);
    lexsarah(dir, &args)
}

#[test]
fn a_second_batch_into_a_locked_archive_is_refused_at_once_naming_the_holder() {
    let dir = two_cases();
    let archive = dir.path().join("arkiv");
    std::fs::create_dir_all(&archive).unwrap();
    // Another run holds the lock on the archive folder and has named itself in the lock file.
    let held = std::fs::File::open(&archive).unwrap();
    held.try_lock().unwrap();
    std::fs::write(
        archive.join(".lexsarah-las"),
        b"lexsarah batch, process 4711, startad i dag",
    )
    .unwrap();
    let output = batch_in(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("används av en annan körning (lexsarah batch, process 4711"),
        "{}",
        stderr(&output)
    );
    assert!(
        std::fs::read_dir(&archive).unwrap().count() == 1,
        "nothing was written"
    );
    // Deleting the lock file does not take the lock away from the run that holds it.
    std::fs::remove_file(archive.join(".lexsarah-las")).unwrap();
    let output = batch_in(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        std::fs::read_dir(&archive).unwrap().count() <= 1,
        "nothing was written"
    );
    drop(held);
    let output = batch_in(dir.path(), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn a_case_folder_in_the_archive_that_is_a_link_is_not_written_through() {
    let dir = two_cases();
    let elsewhere = dir.path().join("annanstans");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(dir.path().join("arkiv")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("arkiv/AMN-2019-0746-1.3")).unwrap();
    let output = batch_in(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("är en symbolisk länk; arkivet följer inga länkar"));
    assert_eq!(
        std::fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "written through the link"
    );
}

#[test]
fn a_manifest_row_naming_a_file_outside_the_archive_is_dropped_unread() {
    let dir = two_cases();
    assert!(batch_in(dir.path(), &[]).status.success());
    let path = dir.path().join("arkiv/manifest.json");
    let mut rows: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let template = rows[0].clone();
    for fil in ["/etc/hostname", "../../etc/passwd", "../utanfor.pdf"] {
        let mut row = template.clone();
        row["fil"] = fil.into();
        rows.push(row);
    }
    std::fs::write(&path, serde_json::to_vec(&rows).unwrap()).unwrap();
    let output = batch_in(dir.path(), &[]);
    let err = stderr(&output);
    for fil in ["/etc/hostname", "../../etc/passwd"] {
        assert!(err.contains(&format!("manifestet nämner `{fil}`")), "{err}");
    }
    let manifest = std::fs::read_to_string(&path).unwrap();
    assert!(
        !manifest.contains("etc/") && !manifest.contains("utanfor"),
        "{manifest}"
    );
}

#[test]
fn an_archived_pdf_changed_or_removed_since_keeps_its_row_and_the_run_says_so() {
    let dir = two_cases();
    assert!(batch_in(dir.path(), &[]).status.success());
    let manifest = |dir: &std::path::Path| -> Vec<serde_json::Value> {
        serde_json::from_slice(&std::fs::read(dir.join("arkiv/manifest.json")).unwrap()).unwrap()
    };
    let before = manifest(dir.path());
    // The Funktionsbrevlåda case leaves the folder; its PDFs stay in the archive.
    std::fs::remove_file(dir.path().join("arenden/stockholm-funktionsbrevlada.yaml")).unwrap();
    let gone = before
        .iter()
        .find(|r| r["kalla"] == "stockholm-funktionsbrevlada.yaml")
        .unwrap()["fil"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::remove_file(dir.path().join("arkiv").join(&gone)).unwrap();
    let output = batch_in(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("finns inte längre i arkivet"),
        "{}",
        stderr(&output)
    );
    let after = manifest(dir.path());
    assert_eq!(after, before, "every row kept as it was archived");
}

#[test]
fn a_diarienummer_that_starts_with_a_dot_gives_a_visible_folder_that_the_zip_holds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("arenden")).unwrap();
    write_case(
        &dir.path().join("arenden"),
        "dold.yaml",
        &beslut_case("Text").replace("AMN 2024-0001-1.3", ".hidden"),
    );
    let output = batch_in(dir.path(), &["--zip"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        dir.path()
            .join("arkiv/arende.hidden/arende.hidden-beslut.pdf")
            .exists()
    );
    let zip = std::fs::read(dir.path().join("arkiv.zip")).unwrap();
    let names = String::from_utf8_lossy(&zip);
    assert!(names.contains("arkiv/arende.hidden/arende.hidden-beslut.pdf"));
    assert!(
        !names.contains(".lexsarah-las"),
        "the lock is no part of the zip"
    );
}

#[test]
fn a_killed_runs_half_written_zip_is_removed_by_the_next_run() {
    let dir = two_cases();
    let left = dir.path().join(".lexsarah-zip-arkiv-abc123.tmp");
    std::fs::write(&left, b"PK half a zip of confidential PDFs").unwrap();
    let other = dir.path().join(".lexsarah-zip-annat-arkiv-abc123.tmp");
    std::fs::write(&other, b"another archive's").unwrap();
    assert!(batch_in(dir.path(), &["--zip"]).status.success());
    assert!(!left.exists(), "the killed run's zip is gone");
    assert!(
        other.exists(),
        "another archive's temporary file is left alone"
    );
}

#[cfg(unix)]
#[test]
fn a_case_or_folder_among_the_cases_that_is_a_link_is_refused_and_listed() {
    let dir = two_cases();
    let outside = dir.path().join("utanfor");
    std::fs::create_dir_all(outside.join("mapp")).unwrap();
    std::fs::copy(
        example("mjolby-borttappade-handlingar.yaml"),
        outside.join("fall.yaml"),
    )
    .unwrap();
    std::fs::copy(
        example("stockholm-mailutskick.yaml"),
        outside.join("mapp/fall.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.join("fall.yaml"),
        dir.path().join("arenden/lank.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.join("mapp"), dir.path().join("arenden/lankmapp")).unwrap();
    let output = batch_in(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let fel: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.path().join("arkiv/fel.json")).unwrap()).unwrap();
    let refused: Vec<(&str, &str)> = fel
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().rsplit('/').next().unwrap(),
                f["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        refused,
        [
            ("lank.yaml", "symbolisk-lank"),
            ("lankmapp", "symbolisk-lank")
        ]
    );
    assert!(
        !dir.path().join("arkiv/2021-ASN-0026").exists(),
        "the link was followed"
    );
}

/// A case folder swapped for a link to an outside folder while batch runs is never read through
/// (issue 23): each case is read beneath the handle of the folder batch opened, and a link on
/// the way is refused.
#[cfg(target_os = "linux")]
#[test]
fn a_case_folder_swapped_for_a_link_while_batch_runs_is_never_archived() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("arenden");
    let (inside, outside) = (cases.join("mapp"), dir.path().join("utanfor"));
    std::fs::create_dir_all(&inside).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::copy(
        example("stockholm-stockholmsjobb.yaml"),
        cases.join("jobb.yaml"),
    )
    .unwrap();
    std::fs::copy(
        example("stockholm-funktionsbrevlada.yaml"),
        inside.join("fall.yaml"),
    )
    .unwrap();
    let secret = std::fs::read_to_string(example("stockholm-mailutskick.yaml"))
        .unwrap()
        .replace("rubrik: Mailutskick", "rubrik: HEMLIG RUBRIK UTANFOR");
    std::fs::write(outside.join("fall.yaml"), secret).unwrap();
    // Beside the cases, a link to the outside folder: swapping it with the case folder turns
    // `arenden/mapp` into that link, and back, atomically (renameat2 with RENAME_EXCHANGE).
    let link = dir.path().join("lank");
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let swapper = {
        let (stop, inside, link) = (stop.clone(), inside.clone(), link.clone());
        std::thread::spawn(move || {
            let exchange = || {
                rustix::fs::renameat_with(
                    rustix::fs::CWD,
                    &inside,
                    rustix::fs::CWD,
                    &link,
                    rustix::fs::RenameFlags::EXCHANGE,
                )
                .unwrap()
            };
            let mut swaps = 0usize;
            while !stop.load(Ordering::Relaxed) {
                exchange();
                swaps += 1;
            }
            // Leave the case folder a folder.
            if swaps % 2 == 1 {
                exchange();
            }
            swaps
        })
    };
    let mut codes = Vec::new();
    for run in 0..12 {
        let archive = format!("arkiv{run}");
        let output = lexsarah(dir.path(), &["batch", "arenden", "--out", &archive]);
        codes.push(output.status.code());
        let everything = format!(
            "{}{}{}",
            stdout(&output),
            stderr(&output),
            std::fs::read_to_string(dir.path().join(&archive).join("manifest.csv"))
                .unwrap_or_default()
        );
        assert!(
            !everything.contains("HEMLIG") && !everything.contains("2019-0289"),
            "run {run} read the outside case: {everything}"
        );
        assert!(
            !dir.path().join(&archive).join("AMN-2019-0289-1.3").exists(),
            "run {run} archived the outside case"
        );
    }
    stop.store(true, Ordering::Relaxed);
    assert!(
        swapper.join().unwrap() > 12,
        "the folder was swapped while batch ran"
    );
    // Each run either read the case folder while it was one, or refused it as a link.
    assert!(
        codes.iter().all(|c| matches!(c, Some(0) | Some(1))),
        "{codes:?}"
    );
}

/// Makes a FIFO (a named pipe) at `path`, which blocks whoever opens it to read.
#[cfg(unix)]
fn fifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}

/// Runs lexsarah, failing the test if it has not finished within ten seconds.
#[cfg(unix)]
fn within_ten_seconds(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lexsarah"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(10) {
            let _ = child.kill();
            panic!("lexsarah {args:?} hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
#[test]
fn a_fifo_where_a_profile_a_logo_or_a_pdf_should_be_never_hangs_a_command() {
    let dir = tempfile::tempdir().unwrap();
    let lindbacka = |name: &str| std::fs::read_to_string(example("lindbacka").join(name)).unwrap();
    // A profile that is a FIFO.
    std::fs::create_dir(dir.path().join("a")).unwrap();
    fifo(&dir.path().join("a/profil.yaml"));
    std::fs::write(dir.path().join("a/arende.yaml"), lindbacka("arende.yaml")).unwrap();
    let output = within_ten_seconds(dir.path(), &["check", "a/arende.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("ingen vanlig fil"),
        "{}",
        stderr(&output)
    );
    // A logo that is a FIFO.
    std::fs::create_dir(dir.path().join("b")).unwrap();
    fifo(&dir.path().join("b/logga.svg"));
    std::fs::write(dir.path().join("b/profil.yaml"), lindbacka("profil.yaml")).unwrap();
    std::fs::write(dir.path().join("b/arende.yaml"), lindbacka("arende.yaml")).unwrap();
    let output = within_ten_seconds(dir.path(), &["render", "b/arende.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("ingen vanlig fil"),
        "{}",
        stderr(&output)
    );
    let output = within_ten_seconds(dir.path(), &["batch", "b", "--out", "arkiv"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(dir.path().join("arkiv/fel.json").exists());
    // A FIFO where a PDF will be written: looked at, never read, and replaced.
    std::fs::create_dir(dir.path().join("ut")).unwrap();
    fifo(&dir.path().join("ut/AMN-2019-0746-1.3-beslut.pdf"));
    let case = stockholm_example();
    let output = within_ten_seconds(
        dir.path(),
        &[
            "render",
            case.to_str().unwrap(),
            "--doc",
            "beslut",
            "--out",
            "ut",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        std::fs::read(dir.path().join("ut/AMN-2019-0746-1.3-beslut.pdf"))
            .unwrap()
            .starts_with(b"%PDF")
    );
}

#[cfg(unix)]
#[test]
fn a_sparse_gigabyte_among_the_cases_is_refused_without_being_read() {
    let dir = two_cases();
    let file = std::fs::File::create(dir.path().join("arenden/gles.yaml")).unwrap();
    file.set_len(1024 * 1024 * 1024).unwrap();
    let output = within_ten_seconds(dir.path(), &["batch", "arenden", "--out", "arkiv"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("fel[for-stor-fil]"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("filen är 1024 MB, större än gränsen 10 MB"),
        "{}",
        stderr(&output)
    );
}

#[cfg(unix)]
#[test]
fn a_file_name_with_terminal_escapes_is_printed_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let name = "fall\u{1b}[2J\u{1b}[31m.yaml";
    write_case(
        dir.path(),
        name,
        "version: 1\nprofil: stockholm\narende: [\n",
    );
    let output = lexsarah(dir.path(), &["check", name]);
    let err = stderr(&output);
    assert!(
        !err.contains('\u{1b}'),
        "an escape reached the terminal: {err:?}"
    );
    assert!(err.contains("fall\u{fffd}[2J\u{fffd}[31m.yaml"), "{err}");
}

#[test]
fn an_invisible_mark_inside_a_date_or_a_code_is_refused_where_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(stockholm_example())
        .unwrap()
        .replace("  delegation: 3.2\n", "  delegation: 3.\u{200f}2\n");
    assert!(yaml.contains('\u{200f}'));
    let case = write_case(dir.path(), "rlm.yaml", &yaml);
    let (code, found) = check_json(dir.path(), &case);
    assert_eq!(code, Some(1));
    assert_eq!(found[0]["code"], "otillatet-tecken", "{found:?}");
    assert!(found[0]["message"].as_str().unwrap().contains("U+200F"));
}

#[test]
fn every_test_security_md_names_exists() {
    let security = std::fs::read_to_string(root().join("SECURITY.md")).unwrap();
    let mut sources = String::new();
    for entry in walkdir::WalkDir::new(root().join("src"))
        .into_iter()
        .chain(walkdir::WalkDir::new(root().join("tests/it")))
        .chain(walkdir::WalkDir::new(root().join("serve/src")))
        .chain(walkdir::WalkDir::new(root().join("serve/tests")))
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
    {
        sources.push_str(&std::fs::read_to_string(entry.path()).unwrap());
    }
    let mut named = 0;
    for part in security.split('`').skip(1).step_by(2) {
        let Some((_, name)) = part.rsplit_once("::") else {
            continue;
        };
        // A module (`files::tests`) or a glob (`hostile::*`) names no single test.
        if name.is_empty()
            || name == "tests"
            || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        {
            continue;
        }
        named += 1;
        assert!(
            sources.contains(&format!("fn {name}(")),
            "SECURITY.md names `{part}`, which is no test"
        );
    }
    assert!(named > 20, "{named}");
}
