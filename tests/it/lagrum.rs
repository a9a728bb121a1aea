//! Today's law: each document cites the law in force on its own date, from the dated table.

use std::path::Path;

use crate::common::*;

/// The example from 2026, which cites socialtjänstlagen (2025:400).
fn current_example() -> std::path::PathBuf {
    example("stockholm-skyddad-adress.yaml")
}

/// Renders a case into `out` and returns each document's text, by `--doc` token.
fn render_texts(case: &Path, out: &Path) -> (Vec<(String, String)>, String) {
    let output = lexsarah(
        out,
        &[
            "render",
            case.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let texts = stdout(&output)
        .lines()
        .filter(|line| line.ends_with(".pdf"))
        .map(|line| {
            let token = line.rsplit('-').next().unwrap().trim_end_matches(".pdf");
            (token.to_string(), pdf_text(&std::fs::read(line).unwrap()))
        })
        .collect();
    (texts, stderr(&output))
}

fn text_of<'a>(texts: &'a [(String, String)], doc: &str) -> &'a str {
    &texts
        .iter()
        .find(|(d, _)| d == doc)
        .unwrap_or_else(|| panic!("no {doc} among {texts:?}"))
        .1
}

/// The 2026 example with every date moved: the rapport in June 2025, the rest after 2025-07-01.
fn spanning_case() -> String {
    let mut yaml = std::fs::read_to_string(current_example()).unwrap();
    for (from, to) in [
        ("2026-09-14", "2025-06-10"),
        ("2026-09-15", "2025-06-12"),
        ("2026-09-16", "2025-06-16"),
        ("2026-09-17", "2025-06-17"),
        ("2026-09-18", "2025-06-18"),
        ("2026-09-24", "2025-06-24"),
        ("2026-10-20", "2025-08-20"),
        ("2026-10-22", "2025-08-22"),
        ("2026-10-23", "2025-08-25"),
        ("2026-11-12", "2025-09-10"),
        ("2026-10-28", "2025-08-28"),
    ] {
        yaml = yaml.replace(from, to);
    }
    yaml
}

#[test]
fn a_current_case_cites_chapter_27_of_the_new_socialtjanstlag_in_every_document() {
    let dir = tempfile::tempdir().unwrap();
    let (texts, err) = render_texts(&current_example(), dir.path());
    assert_eq!(texts.len(), 6, "{texts:?}");
    for (doc, text) in &texts {
        assert!(
            !text.contains("14 kap"),
            "{doc} cites the repealed law: {text}"
        );
        assert!(!text.contains("2001:453"), "{doc} names the repealed law");
    }
    let anmalan = text_of(&texts, "anmalan");
    for wanted in [
        "enligt 27 kap. 6 § SoL eller 24 f § LSS",
        "Slutförd utredning enligt 27 kap. 5 § SoL",
        "Slutförd utredning enligt 24 e § LSS",
    ] {
        assert!(anmalan.contains(wanted), "missing {wanted:?} in {anmalan}");
    }

    assert!(
        text_of(&texts, "rapport").contains("(27 kap. 2 § SoL och 24 b § LSS)"),
        "{}",
        text_of(&texts, "rapport")
    );
    let t = text_of(&texts, "tjansteskrivelse");
    for wanted in [
        "Enligt bestämmelserna om lex Sarah i socialtjänstlagen (2025:400), SoL,",
        "till den som bedriver verksamheten (27 kap. 2 § SoL och 24 b § LSS)",
        "det rapporterade missförhållandet genast (27 kap. 5 § SoL och 24 e § LSS)",
        "till Inspektionen för vård och omsorg (IVO) (27 kap. 6 § SoL och 24 f § LSS).",
    ] {
        assert!(t.contains(wanted), "missing {wanted:?} in {t}");
    }
    assert!(!t.contains("utan dröjsmål"), "{t}");
    let notice = text_of(&texts, "notis");
    for wanted in [
        "bestämmelser i socialtjänstlagen (2025:400), SoL,",
        "(27 kap. 2 § SoL och 24 b § LSS)",
        "(27 kap. 6 § SoL och 24 f § LSS)",
    ] {
        assert!(notice.contains(wanted), "missing {wanted:?} in {notice}");
    }
    assert!(
        err.contains("stockholm-skyddad-adress.yaml: lagrum: socialtjänstlagen (2025:400)\n"),
        "{err}"
    );
}

#[test]
fn a_case_from_2019_still_cites_chapter_14_of_the_old_socialtjanstlag() {
    let dir = tempfile::tempdir().unwrap();
    let (texts, err) = render_texts(&stockholm_example(), dir.path());
    assert!(
        text_of(&texts, "rapport").contains("(14 kap. 3 § SoL och 24 b § LSS)"),
        "{}",
        text_of(&texts, "rapport")
    );
    for (doc, text) in &texts {
        assert!(
            !text.contains("27 kap"),
            "{doc} cites a law not yet in force"
        );
    }
    assert!(
        err.contains("lagrum: socialtjänstlagen (2001:453)\n"),
        "{err}"
    );

    let (texts, _) = render_texts(&example("mjolby-borttappade-handlingar.yaml"), dir.path());
    let anmalan = text_of(&texts, "anmalan");
    for wanted in [
        "enligt 14 kap. 7 § SoL eller 24 f § LSS",
        "Slutförd utredning enligt 14 kap. 6 § SoL",
    ] {
        assert!(anmalan.contains(wanted), "missing {wanted:?} in {anmalan}");
    }
    let t = text_of(&texts, "tjansteskrivelse");
    for wanted in [
        "i socialtjänstlagen (2001:453), SoL,",
        "(14 kap. 3 § SoL och 24 b § LSS)",
        "missförhållandet utan dröjsmål (14 kap. 6 § SoL och 24 e § LSS)",
        "(14 kap. 7 § SoL och 24 f § LSS).",
    ] {
        assert!(t.contains(wanted), "missing {wanted:?} in {t}");
    }
}

#[test]
fn a_case_that_spans_the_change_cites_each_document_by_its_own_date() {
    let dir = tempfile::tempdir().unwrap();
    let case = write_case(dir.path(), "over-skiftet.yaml", &spanning_case());
    let (texts, err) = render_texts(&case, dir.path());
    let rapport = text_of(&texts, "rapport");
    assert!(
        rapport.contains("(14 kap. 3 § SoL och 24 b § LSS)"),
        "{rapport}"
    );
    let t = text_of(&texts, "tjansteskrivelse");
    assert!(t.contains("(27 kap. 6 § SoL och 24 f § LSS)"), "{t}");
    assert!(!t.contains("14 kap"), "{t}");
    assert!(
        err.contains(
            "lagrum: rapport: socialtjänstlagen (2001:453); utredning, beslut, anmalan, tjansteskrivelse, notis: socialtjänstlagen (2025:400)\n"
        ),
        "{err}"
    );
}

#[test]
fn a_pinned_law_is_cited_and_a_pin_that_disagrees_with_a_date_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(current_example())
        .unwrap()
        .replacen(
            "  ivo_anmalan: 2026-10-23\n",
            "  ivo_anmalan: 2026-10-23\n  lagrum: \"2001:453\"\n",
            1,
        );
    let case = write_case(dir.path(), "last.yaml", &yaml);
    let (texts, err) = render_texts(&case, dir.path());
    assert!(
        text_of(&texts, "rapport").contains("(14 kap. 3 § SoL och 24 b § LSS)"),
        "the pin decides"
    );
    assert!(err.contains("varning[lagrum-skiljer]"), "{err}");
    assert!(
        err.contains("ärendet hänvisar till socialtjänstlagen (2001:453), men rapporten (2026-09-15), utredningen (2026-10-20), beslutet (2026-10-22), anmälan (2026-10-23), tjänsteskrivelsen (2026-11-12) och nyheten (2026-10-28) är daterade när socialtjänstlagen (2025:400) gällde"),
        "{err}"
    );
    assert_eq!(
        err.matches("varning[lagrum-skiljer]").count(),
        1,
        "one warning: {err}"
    );
    assert!(err.contains("last.yaml:13:11"), "the pin's place: {err}");

    let strict = lexsarah(dir.path(), &["check", "--strict", "last.yaml"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));

    let unknown = write_case(
        dir.path(),
        "okand.yaml",
        &yaml.replace("2001:453", "1980:620"),
    );
    let (code, json) = check_json(dir.path(), &unknown);
    assert_eq!(code, Some(1));
    let d = &json[0];
    assert_eq!(d["code"], "ogiltigt-varde", "{json:?}");
    assert_eq!(d["line"], 13, "{json:?}");
    assert!(
        d["hint"].as_str().unwrap().contains("`2025:400`"),
        "{json:?}"
    );
}

#[test]
fn a_document_dated_before_lex_sarah_in_its_present_form_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let case = write_case(
        dir.path(),
        "gammalt.yaml",
        &beslut_case("Text").replace("datum: 2024-03-05", "datum: 2010-03-05"),
    );
    let (code, json) = check_json(dir.path(), &case);
    assert_eq!(code, Some(1));
    assert_eq!(json[0]["code"], "lagrum-saknas", "{json:?}");
    assert_eq!(json[0]["line"], 8, "{json:?}");
}

#[test]
fn every_rule_names_its_ground_in_its_hint() {
    let dir = tempfile::tempdir().unwrap();
    // A 2026 case with a weekday that disagrees, an outcome that departs from the förslag, and
    // an utredning finished more than two months after the IVO anmälan.
    let yaml = std::fs::read_to_string(current_example())
        .unwrap()
        .replace(
            "    klockslag: \"09:40\"\n",
            "    klockslag: \"09:40\"\n    veckodag: fredag\n",
        )
        .replace("  utfall: allvarligt\n", "  utfall: allvarlig_risk\n")
        .replacen(
            "  ivo_anmalan: 2026-10-23\n",
            "  ivo_anmalan: 2026-09-16\n",
            1,
        )
        .replace("  avslutad: 2026-10-20\n", "  avslutad: 2026-11-20\n")
        .replace("  datum: 2026-10-22\n", "  datum: 2026-11-21\n");
    let case = write_case(dir.path(), "regler.yaml", &yaml);
    let (_, json) = check_json(dir.path(), &case);
    let found: Vec<(&str, &str)> = json
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["hint"].as_str().unwrap()))
        .collect();
    let hint = |code: &str| {
        found
            .iter()
            .find(|(c, _)| *c == code)
            .unwrap_or_else(|| panic!("no {code} in {found:?}"))
            .1
    };
    assert!(
        hint("fel-veckodag").contains("grund: ärendets egna uppgifter: "),
        "{found:?}"
    );
    assert!(
        hint("utfall-skiljer").contains("grund: ärendets egna uppgifter: "),
        "{found:?}"
    );
    assert!(
        hint("utredning-sen")
            .contains("grund: föreskrift, SOSFS 2011:5: enligt Socialstyrelsens vägledning"),
        "{found:?}"
    );
    assert!(hint("utredning-sen").contains("senast två månader efter det att anmälan har gjorts"));

    // The same rule cites the law of the case's own time.
    let missing = |yaml: &str| {
        let case = write_case(
            dir.path(),
            "ivo.yaml",
            &yaml
                .replacen("\n  ivo_anmalan: 2026-10-23\n", "\n", 1)
                .replacen("\n  ivo_anmalan: 2021-01-15\n", "\n", 1),
        );
        let (_, json) = check_json(dir.path(), &case);
        json.iter()
            .find(|d| d["code"] == "ivo-anmalan-saknas")
            .map(|d| d["hint"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{json:?}"))
    };
    let now = missing(&std::fs::read_to_string(current_example()).unwrap());
    assert!(
        now.contains("grund: lag, 27 kap. 6 § SoL och 24 f § LSS: "),
        "{now}"
    );
    let then =
        missing(&std::fs::read_to_string(example("mjolby-borttappade-handlingar.yaml")).unwrap());
    assert!(
        then.contains("grund: lag, 14 kap. 7 § SoL och 24 f § LSS: "),
        "{then}"
    );
}

#[test]
fn every_rule_has_a_ground_in_the_table_and_in_the_documentation() {
    let table = lexsarah::lagrum::table();
    let docs = std::fs::read_to_string(root().join("docs/case-format.md")).unwrap();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let rules = [
        "datum-ordning",
        "fel-veckodag",
        "ivo-anmalan-saknas",
        "ivo-anmalan-fore-rapport",
        "imy-anmalan",
        "okant-verksamhetsomrade",
        "diarienummer-format",
        "diarienummer-dubblett",
        "lagrum-saknas",
        "utfall-skiljer",
        "framtida-datum",
        "utredning-sen",
        "sosfs-innehall",
        "lagrum-skiljer",
        "notis-ivo",
        "anmalan-utfall",
        "anmalan-avser",
        "anmalan-datum",
        "anmalan-bifogat",
        "anmalan-gors-av",
        "anmalan-innehall",
        "publicerat-namn",
        "publicerat-personnummer",
        "publicerat-osynligt-tecken",
        "publicerat-kontaktuppgift",
        "publicerat-datum",
        "publicerat-kontakt",
        "tjansteskrivelse-namn",
        "namnliknande-ord",
    ];
    for code in rules {
        assert!(
            table.regler.iter().any(|r| r.kod == code),
            "{code} has no ground in lagrum.yaml"
        );
        let row = format!("| `{code}` |");
        assert!(
            docs.lines().any(|l| l.contains(&row)
                && l.matches('|').count() == 4
                && !l.contains("| error |")
                && !l.contains("| warning |")),
            "{code} has no row with its ground in docs/case-format.md"
        );
        assert!(
            readme.contains(&format!("`{code}` |")),
            "{code} is not in the README's table of rules"
        );
    }
    for r in &table.regler {
        assert!(
            rules.contains(&r.kod.as_str()),
            "{} in lagrum.yaml is no rule of check",
            r.kod
        );
    }
}

#[test]
fn the_readme_shows_the_lagrum_table_as_the_repository_holds_it() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let table = lexsarah::lagrum::table().markdown();
    assert!(
        readme.contains(&table),
        "the README's lagrum table differs from lagrum/lagrum.yaml; put this in the README:\n{table}"
    );
}

#[test]
fn no_template_names_a_paragraph() {
    for entry in walkdir::WalkDir::new(root().join("templates")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for needle in ["§", "kap.", "kap ", "2001:453", "2025:400", "SOSFS"] {
                assert!(
                    !text.contains(needle),
                    "{} names the law ({needle}); take it from data.lagrum",
                    entry.path().display()
                );
            }
        }
    }
}
