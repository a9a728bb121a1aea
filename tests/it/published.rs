//! Published text is checked as a reader sees it (issue 23): each writing that once slipped
//! through a check of the notice, the tjänsteskrivelse or the summary is refused, and nothing
//! is written.

use std::path::Path;

use crate::common::*;

/// The Mjölby example (which has a notice), with Jonas Ekdahl as its rapportör.
fn notice_case() -> String {
    std::fs::read_to_string(example("mjolby-borttappade-handlingar.yaml"))
        .unwrap()
        .replace("namn: Petra Nyström", "namn: Jonas Ekdahl")
}

/// The notice case with `handelse` replaced by `text` (a quoted YAML string).
fn with_handelse(text: &str) -> String {
    let yaml = notice_case();
    let start = yaml.find("  handelse: |\n").unwrap();
    let end = yaml[start..].find("  bedomning:").unwrap() + start;
    format!(
        "{}  handelse: {}\n{}",
        &yaml[..start],
        serde_json::to_string(text).unwrap(),
        &yaml[end..]
    )
}

/// Renders `yaml` as `doc` into `ut`; asserts it is refused with `code` (exit 1) and that
/// nothing at all was written, and returns what `check` said as JSON.
fn refused(yaml: &str, doc: &str, code: &str) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let case = write_case(dir.path(), "fall.yaml", yaml);
    let (_, found) = check_json(dir.path(), &case);
    assert!(
        found
            .iter()
            .any(|d| d["code"] == code && d["severity"] == "error"),
        "{code} expected: {found:#?}"
    );
    let output = lexsarah(
        dir.path(),
        &["render", "fall.yaml", "--doc", doc, "--out", "ut"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains(code), "{}", stderr(&output));
    let written: Vec<_> = std::fs::read_dir(dir.path().join("ut"))
        .map(|entries| entries.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "nothing is written: {written:?}");
    found
}

#[test]
fn a_personnummer_in_the_notice_is_refused_in_every_writing() {
    for written in [
        "121212\u{2013}1212",
        "121212\u{a0}1212",
        "121212\u{2212}1212",
        "121212\u{2010}1212",
        "12 12 12-1212",
        "12.12.12-1212",
        "pnr121212-1212",
        "121212-1212a",
        "1212\u{200b}12-1212",
    ] {
        let text = format!("En medarbetare glömde en väska. Den gällde {written}.");
        refused(&with_handelse(&text), "notis", "publicerat-personnummer");
    }
}

#[test]
fn a_surname_of_the_case_in_the_notice_is_refused_through_marks_and_look_alike_letters() {
    for written in [
        "Ek\u{200d}dahl",
        "Ek\u{200c}dahl",
        "Ek\u{200b}dahl",
        "Ek\u{2060}dahl",
        "\u{feff}Ekdahl",
        "Ek\u{200e}dahl",
        "Ek\u{ad}dahl",
        "Ekd\u{0430}hl",
        "\u{0415}kdahl",
    ] {
        let text = format!("Enligt {written} glömdes en väska.");
        let found = refused(&with_handelse(&text), "notis", "publicerat-namn");
        let invisible = written.chars().any(|c| !c.is_alphabetic());
        assert_eq!(
            found
                .iter()
                .any(|d| d["code"] == "publicerat-osynligt-tecken"),
            invisible,
            "{written:?}: {found:#?}"
        );
    }
}

#[test]
fn the_notices_contact_names_only_its_own_person_with_a_title_that_holds_no_other() {
    let yaml = notice_case();
    for (from, to, code) in [
        (
            "titel: kvalitetsutvecklare",
            "titel: handläggare för 121212-1212",
            "publicerat-personnummer",
        ),
        (
            "titel: kvalitetsutvecklare",
            "titel: ersättare för Jonas Ekdahl",
            "publicerat-namn",
        ),
        (
            "titel: kvalitetsutvecklare",
            "titel: ersättare för Lisa Holm",
            "publicerat-kontakt",
        ),
        (
            "    namn: Karl Sjöberg\n    titel",
            "    namn: Karl Sjöberg, ersättare för Jonas Ekdahl\n    titel",
            "publicerat-kontakt",
        ),
        (
            "    namn: Karl Sjöberg\n    titel",
            "    namn: handläggare för 121212-1212\n    titel",
            "publicerat-personnummer",
        ),
    ] {
        assert!(yaml.contains(from), "{from}");
        refused(&yaml.replace(from, to), "notis", code);
    }
}

#[test]
fn a_diarienummer_that_names_a_person_is_refused_before_it_becomes_a_title_or_a_file_name() {
    let yaml = notice_case().replace(
        "diarienummer: \"2021/ASN 0026\"",
        "diarienummer: \"AMN 2026 Ekdahl 121212-1212\"",
    );
    assert!(
        yaml.contains("AMN 2026 Ekdahl"),
        "the example's diarienummer"
    );
    let found = refused(&yaml, "notis", "publicerat-personnummer");
    assert!(found.iter().any(|d| d["code"] == "publicerat-namn"));
    refused(&yaml, "tjansteskrivelse", "publicerat-personnummer");
}

#[test]
fn dates_and_telephone_numbers_in_the_notice_are_refused_in_every_writing() {
    for (written, code) in [
        ("20260914", "publicerat-datum"),
        ("26-09-14", "publicerat-datum"),
        ("den fjortonde september", "publicerat-datum"),
        ("14.9.2026", "publicerat-datum"),
        ("08.000.000.11", "publicerat-kontaktuppgift"),
        ("070/123 45 67", "publicerat-kontaktuppgift"),
    ] {
        let text = format!("Det hände {written}, sades det.");
        refused(&with_handelse(&text), "notis", code);
    }
}

#[test]
fn an_invisible_or_bidirectional_character_in_the_tjansteskrivelse_is_refused() {
    let yaml = std::fs::read_to_string(example("mjolby-borttappade-handlingar.yaml")).unwrap();
    let from = "rubrik: Information om lex Sarah-anmälan socialpsykiatri";
    assert!(yaml.contains(from));
    for mark in ['\u{200b}', '\u{ad}', '\u{2066}'] {
        let to = format!("rubrik: \"Information om lex Sarah-an{mark}mälan\"");
        refused(
            &yaml.replace(from, &to),
            "tjansteskrivelse",
            if mark == '\u{2066}' {
                "otillatet-tecken"
            } else {
                "publicerat-osynligt-tecken"
            },
        );
    }
}

#[test]
fn a_personnummer_or_a_name_in_the_tjansteskrivelse_is_found_in_any_writing() {
    let yaml = std::fs::read_to_string(example("mjolby-borttappade-handlingar.yaml")).unwrap();
    let from = "rubrik: Information om lex Sarah-anmälan socialpsykiatri";
    for (to, code) in [
        (
            "rubrik: Information om 12.12.12-1212",
            "publicerat-personnummer",
        ),
        (
            "rubrik: \"Information om Ny\u{200b}ström\"",
            "tjansteskrivelse-namn",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let case = write_case(dir.path(), "fall.yaml", &yaml.replace(from, to));
        let (_, found) = check_json(dir.path(), &case);
        assert!(found.iter().any(|d| d["code"] == code), "{to}: {found:#?}");
    }
    // Its own handläggare and undertecknare may stand there.
    let dir = tempfile::tempdir().unwrap();
    let own = yaml.replace(
        from,
        "rubrik: Information från Lena Forsberg och Eva Lindgren",
    );
    let case = write_case(dir.path(), "fall.yaml", &own);
    let (_, found) = check_json(dir.path(), &case);
    assert!(
        !found.iter().any(|d| d["code"] == "tjansteskrivelse-namn"),
        "{found:#?}"
    );
}

/// A folder with one case of the second half of 2026 whose rubrik is `rubrik`, and whatever
/// other files are given.
fn summary_folder(rubrik: &str, others: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("arenden");
    std::fs::create_dir_all(&cases).unwrap();
    let yaml = std::fs::read_to_string(example("stockholm-skyddad-adress.yaml")).unwrap();
    let rubrik_line = yaml
        .lines()
        .find(|l| l.starts_with("  rubrik:"))
        .unwrap()
        .to_string();
    std::fs::write(
        cases.join("fall.yaml"),
        yaml.replace(
            &rubrik_line,
            &format!("  rubrik: {}", serde_json::to_string(rubrik).unwrap()),
        ),
    )
    .unwrap();
    for (name, text) in others {
        std::fs::write(cases.join(name), text).unwrap();
    }
    dir
}

/// The summary of the half-year the Stockholm example falls in.
fn summary_of(dir: &Path) -> std::process::Output {
    let yaml = std::fs::read_to_string(example("stockholm-skyddad-adress.yaml")).unwrap();
    let year: i32 = yaml
        .lines()
        .find_map(|l| l.trim().strip_prefix("datum: "))
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse().ok())
        .unwrap();
    let month: u32 = yaml
        .lines()
        .find_map(|l| l.trim().strip_prefix("datum: "))
        .and_then(|d| d.get(5..7))
        .and_then(|m| m.parse().ok())
        .unwrap();
    let half = format!("{year}H{}", if month <= 6 { 1 } else { 2 });
    lexsarah(
        dir,
        &[
            "summary",
            "arenden",
            "--half",
            &half,
            "--out",
            "ut",
            "--date",
            "2030-01-01",
            "--profile",
            "stockholm",
        ],
    )
}

#[test]
fn a_rubrik_in_the_summary_is_read_as_a_reader_sees_it() {
    let people = std::fs::read_to_string(example("stockholm-skyddad-adress.yaml")).unwrap();
    let surname = people
        .lines()
        .find_map(|l| l.trim().strip_prefix("namn: "))
        .and_then(|n| n.split_whitespace().last())
        .unwrap()
        .to_string();
    // A Cyrillic а for the Latin a: the case's own check only warns of it, so the summary's
    // own check is what stops it.
    let hidden = surname.replacen('a', "\u{0430}", 1);
    assert_ne!(hidden, surname);
    for (rubrik, code) in [
        (
            "Händelse 121212\u{2013}1212".to_string(),
            "publicerat-personnummer",
        ),
        (
            "Händelse 12 12 12-1212".to_string(),
            "publicerat-personnummer",
        ),
        (format!("Händelse hos {hidden}"), "publicerat-namn"),
        ("Hän\u{200b}delse".to_string(), "publicerat-osynligt-tecken"),
    ] {
        let dir = summary_folder(&rubrik, &[]);
        let output = summary_of(dir.path());
        assert_eq!(
            output.status.code(),
            Some(1),
            "{rubrik}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(code),
            "{rubrik}: {}",
            stderr(&output)
        );
        // Either the case's own check refuses it (it is counted as refused) or the summary's
        // check stops the summary: the rubrik is never printed.
        let pdfs: Vec<_> = std::fs::read_dir(dir.path().join("ut"))
            .map(|e| e.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        for pdf in pdfs
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        {
            let text = pdf_text(&std::fs::read(pdf).unwrap());
            assert!(!text.contains("Händelse"), "{rubrik} is printed: {text}");
        }
    }
}

#[test]
fn a_refused_files_name_is_never_printed_in_the_summary_only_counted() {
    let dir = summary_folder(
        "Händelse inom verksamheten",
        &[(
            "121212-1212 Anna Svensson.yaml",
            "version: 1\nprofil: stockholm\n",
        )],
    );
    let output = summary_of(dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("121212-1212 Anna Svensson.yaml"),
        "the refused file is named on standard error: {}",
        stderr(&output)
    );
    let pdf = std::fs::read_dir(dir.path().join("ut"))
        .unwrap()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .unwrap()
        .path();
    let bytes = std::fs::read(&pdf).unwrap();
    let text = fold(&pdf_text(&bytes));
    assert!(
        text.contains("1 ärendefil klarade inte kontrollen"),
        "{text}"
    );
    for absent in ["121212", "Anna Svensson", "Svensson"] {
        assert!(!text.contains(absent), "{absent} is printed: {text}");
    }
}

#[test]
fn a_profile_value_that_a_published_document_prints_is_checked_too() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["arende.yaml", "profil.yaml", "logga.svg"] {
        std::fs::copy(example(&format!("lindbacka/{file}")), dir.path().join(file)).unwrap();
    }
    let profile = std::fs::read_to_string(dir.path().join("profil.yaml")).unwrap();
    std::fs::write(
        dir.path().join("profil.yaml"),
        profile.replace(
            "besoksadress: Storgatan 12",
            "besoksadress: \"Storgatan 12\u{200b}\"",
        ),
    )
    .unwrap();
    let output = lexsarah(
        dir.path(),
        &[
            "render",
            "arende.yaml",
            "--doc",
            "tjansteskrivelse",
            "--out",
            "ut",
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("publicerat-osynligt-tecken") && err.contains("profil.yaml"),
        "{err}"
    );
    assert!(
        !dir.path().join("ut").exists()
            || std::fs::read_dir(dir.path().join("ut")).unwrap().count() == 0
    );
}
