//! `lexsarah render`: the beslut enligt delegation end to end, read back from the PDF.

use std::path::Path;

use lexsarah::document::DocKind;

use crate::common::*;

/// Renders the beslut of a case file with the library, as `render` would.
fn render_beslut(case_path: &Path, standards: &str) -> Vec<u8> {
    render_checked(case_path, None, DocKind::Beslut, Some(standards))
}

#[test]
fn the_stockholm_example_renders_its_beslut_beside_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("arende.yaml");
    std::fs::copy(stockholm_example(), &case).unwrap();
    let output = lexsarah(dir.path(), &["render", "arende.yaml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = dir.path().join("AMN-2019-0746-1.3-beslut.pdf");
    assert!(pdf.is_file(), "no PDF at {}", pdf.display());
    assert!(stdout(&output).contains("AMN-2019-0746-1.3-beslut.pdf"));
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "AMN-2019-0746-1.3-beslut.pdf",
            "AMN-2019-0746-1.3-rapport.pdf",
            "AMN-2019-0746-1.3-utredning.pdf",
            "arende.yaml"
        ],
        "every document the case has a section for, and nothing else"
    );
}

#[test]
fn every_example_renders() {
    let dir = tempfile::tempdir().unwrap();
    let examples = all_examples();
    assert!(examples.len() >= 5, "{examples:?}");
    let mut args = vec!["render".to_string()];
    args.extend(examples.iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), dir.path().display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = lexsarah(dir.path(), &args);
    assert!(output.status.success(), "{}", stderr(&output));
    // Three Stockholm cases with rapport, utredning and beslut; Stockholm 2026 and Mjölby with
    // all six, the notice's web page and the anmälan's text; Lindbacka two.
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        3 * 3 + 2 * 8 + 2
    );
}

#[test]
fn the_beslut_holds_the_form_labels_and_the_case_values() {
    let text = pdf_text(&render_beslut(&stockholm_example(), "a-2b"));
    for label in [
        "Stockholms stad",
        "Arbetsmarknadsförvaltningen",
        "Beslut enligt delegation",
        "Sida 1 (",
        "Ärende och diarienummer",
        "Stockholmsjobb, AMN 2019-0746-1.3",
        "Bakgrund, förslag till beslut och beslut",
        "Bakgrund",
        "Bedömning och förslag till beslut",
        "Beslut enligt ärendegrupp 3.2 i delegationsordningen:",
        "Datum",
        "Underskrift",
        "Namnförtydligande",
        "Befattning",
        "2020-01-23",
        "Karin Almgren",
        "Arbetsmarknadsdirektör",
        "Beslutet i original skickas till registrator:",
        "Registrator",
        "121 26 Stockholm-Globen",
        "Livdjursgatan 5",
        "Telefon 08-508 35 500",
        "Växel 08-508 35 500",
        "info.amf@stockholm.se",
        "www.stockholm.se",
        "Sekretess enligt 26 kap. 1 § OSL",
        "utgjorde ett missförhållande enligt bestämmelserna om lex Sarah",
    ] {
        assert!(text.contains(label), "missing {label:?} in {text}");
    }
}

#[test]
fn the_page_count_matches_the_total_printed_on_the_page() {
    let pdf = render_beslut(&stockholm_example(), "a-2b");
    let pages = page_count(&pdf);
    let text = pdf_text(&pdf);
    assert!(
        text.contains(&format!("Sida 1 ({pages})")),
        "{pages} pages: {text}"
    );
    assert!(!text.contains(&format!("({})", pages + 1)));
}

#[test]
fn the_pdf_is_pdfa_2b_with_the_documents_metadata() {
    let pdf = render_beslut(&stockholm_example(), "a-2b");
    let xmp = xmp(&pdf);
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
    assert!(
        xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{xmp}"
    );
    assert!(xmp.contains("AMN 2019-0746-1.3"), "{xmp}");
    assert_eq!(
        info(&pdf, "Title").as_deref(),
        Some("Beslut enligt delegation AMN 2019-0746-1.3")
    );
    assert_eq!(
        info(&pdf, "Author").as_deref(),
        Some("Arbetsmarknadsförvaltningen")
    );
    assert!(
        info(&pdf, "Keywords")
            .unwrap()
            .contains("AMN 2019-0746-1.3")
    );
    let created = info(&pdf, "CreationDate").unwrap();
    assert!(created.starts_with("D:20200123"), "{created}");
    assert!(xmp.contains("<rdf:li>sv"), "language sv: {xmp}");
}

#[test]
fn pdfa_1b_as_tam_arkiv_recommends_works() {
    let pdf = render_beslut(&stockholm_example(), "a-1b");
    let xmp = xmp(&pdf);
    assert!(xmp.contains("<pdfaid:part>1</pdfaid:part>"), "{xmp}");
    assert!(
        xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{xmp}"
    );
    assert!(pdf_text(&pdf).contains("Beslut enligt delegation"));
}

#[test]
fn the_cli_takes_typst_standard_names_and_refuses_unknown_ones() {
    let dir = tempfile::tempdir().unwrap();
    let case = stockholm_example().display().to_string();
    let out = dir.path().display().to_string();
    let ok = lexsarah(
        dir.path(),
        &[
            "render",
            &case,
            "--out",
            &out,
            "--pdf-standard",
            "a-2a,ua-1",
        ],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    let pdf = std::fs::read(dir.path().join("AMN-2019-0746-1.3-beslut.pdf")).unwrap();
    assert!(xmp(&pdf).contains("<pdfaid:conformance>A</pdfaid:conformance>"));
    let bad = lexsarah(
        dir.path(),
        &["render", &case, "--out", &out, "--pdf-standard", "a-9z"],
    );
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("okänd PDF-standard `a-9z`"));
}

#[test]
fn two_renders_are_byte_identical() {
    let first = render_beslut(&stockholm_example(), "a-2b");
    let second = render_beslut(&stockholm_example(), "a-2b");
    assert!(first == second, "the two PDFs differ");
    // And through the binary, in another process, another folder.
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("x.yaml");
    std::fs::copy(stockholm_example(), &case).unwrap();
    let output = lexsarah(dir.path(), &["render", "x.yaml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let third = std::fs::read(dir.path().join("AMN-2019-0746-1.3-beslut.pdf")).unwrap();
    assert!(
        first == third,
        "the binary's PDF differs from the library's"
    );
}

#[test]
fn case_text_that_looks_like_typst_prints_as_typed() {
    let hostile = [
        "#read(\"/etc/passwd\")",
        "#pagebreak()",
        "*fet*",
        "$x$",
        "]",
        "\\",
        "<label>",
        "@ref",
        "_kursiv_",
        "#{ panic() }",
        "// ingen kommentar",
        "= ingen rubrik",
    ];
    let dir = tempfile::tempdir().unwrap();
    for value in hostile {
        let path = write_case(dir.path(), "fientlig.yaml", &beslut_case(value));
        let pdf = render_beslut(&path, "a-2b");
        let text = pdf_text(&pdf);
        assert!(
            text.contains(&fold(value)),
            "{value:?} did not print as typed: {text}"
        );
        assert_eq!(page_count(&pdf), 1, "{value:?} changed the layout");
        assert!(!text.contains("root:"), "{value:?} read a file");
    }
}

#[test]
fn an_unknown_key_is_refused_with_its_line_and_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = beslut_case("text").replace("  rubrik:", "  rubik:");
    write_case(dir.path(), "fel.yaml", &yaml);
    let output = lexsarah(dir.path(), &["render", "fel.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("fel[okand-nyckel]: okänd nyckel `rubik`"),
        "{err}"
    );
    assert!(err.contains("fel.yaml:5:3"), "{err}");
    assert!(err.contains("menade du `rubrik`?"), "{err}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing written"
    );
}

#[test]
fn doc_picks_the_documents_to_render() {
    let dir = tempfile::tempdir().unwrap();
    let case = stockholm_example().display().to_string();
    let out = dir.path().display().to_string();
    let output = lexsarah(
        dir.path(),
        &["render", &case, "--doc", "rapport", "--out", &out],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["AMN-2019-0746-1.3-rapport.pdf"]);
}

#[test]
fn doc_for_a_section_the_case_lacks_fails_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let case = stockholm_example().display().to_string();
    let out = dir.path().display().to_string();
    let output = lexsarah(
        dir.path(),
        &[
            "render",
            &case,
            "--doc",
            "tjansteskrivelse",
            "--doc",
            "beslut",
            "--out",
            &out,
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("ärendet har inget avsnitt `tjansteskrivelse`"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing of a failed case is written"
    );
}

#[test]
fn an_impossible_date_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = beslut_case("text").replace("2024-03-05", "2024-13-45");
    write_case(dir.path(), "datum.yaml", &yaml);
    let output = lexsarah(dir.path(), &["render", "datum.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("fel[ogiltigt-datum]"), "{err}");
    assert!(err.contains("datum.yaml:8:"), "{err}");
}

#[test]
fn a_missing_case_file_fails_that_case_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = lexsarah(dir.path(), &["render", "finns-inte.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("finns-inte.yaml"), "{err}");
    assert!(err.contains("den finns inte"), "{err}");
}

#[test]
fn codes_written_unquoted_are_taken_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = beslut_case("text").replace("  delegation: \"text\"", "  delegation: 3.10");
    let path = write_case(dir.path(), "kod.yaml", &yaml);
    let text = pdf_text(&render_beslut(&path, "a-2b"));
    assert!(
        text.contains("Beslut enligt ärendegrupp 3.10 i delegationsordningen:"),
        "{text}"
    );
}
