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
