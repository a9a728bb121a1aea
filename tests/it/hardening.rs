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
fn a_personnummer_anywhere_in_the_tjansteskrivelse_in_any_writing_refuses_it_under_strict() {
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
        &[
            "check",
            "--strict",
            "--diagnostic-format",
            "json",
            "pnr.yaml",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let found: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).unwrap();
    let lines: Vec<(&str, u64)> = found
        .iter()
        .filter(|d| d["code"] == "personnummer")
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
        err.matches("error[diarienummer-dubblett]").count(),
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
