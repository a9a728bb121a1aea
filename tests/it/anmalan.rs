//! The anmälan to IVO: the blankett's every label in order, filled from the case, the same in the
//! text for IVO's e-tjänst, IVO's own frame in every layout, and the rules that hold it to the
//! process.

use std::path::Path;

use crate::common::*;

/// The 2026 example, changed by `edit`.
fn current(edit: impl Fn(String) -> String) -> String {
    edit(std::fs::read_to_string(stockholm_example_2026()).unwrap())
}

fn stockholm_example_2026() -> std::path::PathBuf {
    example("stockholm-skyddad-adress.yaml")
}

/// The blankett's labels (ivo-anmalan in the case-format reference), in the order they stand,
/// with the references of the law in force on the anmälan's day in place of 14 kap.
fn labels(anmala: &str, utreda: &str) -> Vec<String> {
    let mut labels: Vec<String> = vec![
        "ANMÄLAN – lex Sarah".into(),
        format!("enligt {anmala} eller 24 f § LSS"),
        "ett allvarligt missförhållande".into(),
        "en påtaglig risk för ett allvarligt missförhållande".into(),
        "Avsändarens diarienummer".into(),
        "Inspektionen för vård och omsorg".into(),
        "Anmälan görs av".into(),
        "Nämnd".into(),
        "i".into(),
        "kommun/landsting".into(),
        "Enskild verksamhet".into(),
        "(namnet på t.ex. bolaget, stiftelsen)".into(),
        "Statens institutionsstyrelse".into(),
    ];
    for label in [
        "Kontaktperson",
        "Titel/funktion",
        "Arbetsplats",
        "Utdelningsadress",
        "Postnr",
        "Postort",
        "Telefon (inkl. riktnr)",
        "E-postadress",
        "Var och när har det allvarliga missförhållandet inträffat eller risken för ett allvarligt missförhållande förelegat",
        "Enhet/avdelning",
        "Typ av verksamhet",
        "Gatuadress",
        "Postnr",
        "Postort",
        "Telefon (inkl. riktnr)",
        "Datum, veckodag samt klockslag för det inträffade",
        "Kortfattad beskrivning av det allvarliga missförhållandet eller risken för ett allvarligt missförhållande och konsekvenserna för den enskilde",
        "Berörda enskilda har underrättats om anmälan om det allvarliga missförhållandet eller risken för ett allvarligt missförhållande",
        "Bifogade handlingar",
    ] {
        labels.push(label.into());
    }
    labels.push(format!("Slutförd utredning enligt {utreda}"));
    for label in [
        "Slutförd utredning enligt 24 e § LSS",
        "Gällande rutiner i verksamheten som är av betydelse för det aktuella missförhållandet",
        "Övrigt",
        "Beskrivning av verksamhetens organisation och bemanning",
        "Uppgifter om personalens utbildning, tjänstgöringstid och anställningsform (på den berörda enheten)",
        "Åtgärder som har vidtagits eller planeras i verksamheten för att förhindra att liknande missförhållanden inträffar igen",
        "Datum",
        "Den anmälningsansvariges underskrift/protokollsutdrag",
        "Namnförtydligande",
    ] {
        labels.push(label.into());
    }
    labels
}

/// Asserts that every label stands in `text` in order, each after the one before it.
fn in_order(text: &str, labels: &[String], what: &str) {
    let mut from = 0;
    for label in labels {
        let label = fold(label);
        let at = text[from..]
            .find(&label)
            .unwrap_or_else(|| panic!("{what}: {label:?} is missing after byte {from}: {text}"));
        from += at + label.len();
    }
}

/// Renders `yaml` as `fall.yaml` in `dir` with `--doc anmalan`; the command's output.
fn render(dir: &Path, yaml: &str) -> std::process::Output {
    write_case(dir, "fall.yaml", yaml);
    lexsarah(
        dir,
        &["render", "fall.yaml", "--doc", "anmalan", "--out", "ut"],
    )
}

/// The codes `check` gives a case, with their severities.
fn codes(yaml: &str) -> Vec<(String, String, u64)> {
    let dir = tempfile::tempdir().unwrap();
    let case = write_case(dir.path(), "fall.yaml", yaml);
    let (_, found) = check_json(dir.path(), &case);
    found
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The 1-based line of the first line of `yaml` that contains `needle`.
fn line_of(yaml: &str, needle: &str) -> u64 {
    yaml.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} is not in the case")) as u64
        + 1
}

#[test]
fn the_blankett_prints_every_label_in_order_with_the_law_of_its_day_and_the_same_as_text() {
    let dir = tempfile::tempdir().unwrap();
    render_example(
        dir.path(),
        "stockholm-skyddad-adress.yaml",
        &["--doc", "anmalan"],
    );
    let out = dir.path().join("ut");
    let pdf = std::fs::read(out.join("AMN-2026-0412-1.3-anmalan.pdf")).unwrap();
    assert_eq!(page_count(&pdf), 2, "the blankett's two A4 pages");
    let text = pdf_text(&pdf);
    let labels = labels("27 kap. 6 § SoL", "27 kap. 5 § SoL");
    in_order(&text, &labels, "the PDF");
    assert!(!text.contains("14 kap"), "{text}");
    // Each page numbered as the blankett is.
    assert!(text.contains("1 (2)") && text.contains("2 (2)"), "{text}");

    // The values, taken from the case's other sections; only the unit's address and the
    // anmälan's own answers are written in its section.
    for value in [
        "AMN 2026-0412-1.3",
        "Arbetsmarknadsnämnden",
        "Stockholms stad",
        "Helena Strand",
        "Lex Sarah-ansvarig",
        "Arbetsmarknadsförvaltningen",
        "Box 10014",
        "Stockholm-Globen",
        "08-000 000 12",
        "helena.strand@example.se",
        "Jobbtorg Söderort",
        "Exempelvägen 2",
        "Brevet skickades i början av september 2026.",
        "Markeringen om skyddade personuppgifter syns i verksamhetssystemet men inte i mallen.",
        "Den enskildes skyddade adress har blivit känd för en utomstående.",
        "infört en rutin där två medarbetare kontrollerar varje utskick",
        "klar senast 2026-12-15",
        "Enheten har 28 medarbetare",
        "Alla är tillsvidareanställda",
        "Beslut enligt delegation 2026-10-22",
        "2026-10-23",
        "Ingrid Halvarsson",
    ] {
        assert!(text.contains(value), "missing {value:?} in {text}");
    }
    // Confidential, as the other working documents.
    assert!(text.contains("Sekretess enligt 26 kap. 1 § OSL"), "{text}");
    assert!(xmp(&pdf).contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    assert_eq!(
        info(&pdf, "Title").as_deref(),
        Some("Anmälan – lex Sarah AMN 2026-0412-1.3")
    );

    // The text for IVO's e-tjänst: the same labels in the same order, each value under its label.
    let txt = std::fs::read_to_string(out.join("AMN-2026-0412-1.3-anmalan.txt")).unwrap();
    in_order(&fold(&txt), &labels, "the text");
    for (label, value) in [
        ("Avsändarens diarienummer", "AMN 2026-0412-1.3"),
        ("Kontaktperson", "Helena Strand"),
        ("Gatuadress", "Exempelvägen 2"),
        ("Namnförtydligande", "Ingrid Halvarsson"),
    ] {
        assert!(
            txt.contains(&format!("{label}\n  {value}\n")),
            "{label}: {txt}"
        );
    }
    for ticked in [
        "[X] ett allvarligt missförhållande",
        "[ ] en påtaglig risk för ett allvarligt missförhållande",
        "[X] Nämnd Arbetsmarknadsnämnden i Stockholms stad kommun/landsting",
        "[ ] Enskild verksamhet",
        "[X] Berörda enskilda har underrättats",
        "[X] Slutförd utredning enligt 27 kap. 5 § SoL",
        "[ ] Slutförd utredning enligt 24 e § LSS",
        "[X] Gällande rutiner",
        "[X] Övrigt Beslut enligt delegation 2026-10-22",
    ] {
        assert!(txt.contains(ticked), "{ticked}: {txt}");
    }
    // Plain lines for pasting, each ending in a newline.
    assert!(!txt.contains('\r') && txt.ends_with('\n'));
}

#[test]
fn a_case_before_the_new_law_cites_chapter_14_and_the_blankett_is_pdfa_2b() {
    let dir = tempfile::tempdir().unwrap();
    render_example(
        dir.path(),
        "mjolby-borttappade-handlingar.yaml",
        &["--doc", "anmalan"],
    );
    let path = dir.path().join("ut/2021-ASN-0026-anmalan.pdf");
    let pdf = std::fs::read(&path).unwrap();
    in_order(
        &pdf_text(&pdf),
        &labels("14 kap. 7 § SoL", "14 kap. 6 § SoL"),
        "Mjölby 2021",
    );
    assert_eq!(page_count(&pdf), 2);
    if let Some(failures) = page_validator(&path, "2b") {
        // The one known false finding on Typst's output (a stream ending in CR).
        let real: Vec<&String> = failures
            .iter()
            .filter(|id| !id.ends_with("STREAM-LENGTH-001"))
            .collect();
        assert!(real.is_empty(), "{real:?}");
    }
}

#[test]
fn it_is_ivos_form_in_every_layout_without_the_organisations_letterhead() {
    let dir = tempfile::tempdir().unwrap();
    // Lindbacka's own profile, with a logo, a besöksadress and an IVO department.
    let lindbacka = example("lindbacka");
    for name in ["profil.yaml", "logga.svg"] {
        std::fs::copy(lindbacka.join(name), dir.path().join(name)).unwrap();
    }
    let yaml = current(|y| {
        y.replace("profil: stockholm", "profil: profil.yaml")
            .replace("AMN 2026-0412-1.3", "VON 2026-0412")
            .replace(
                "verksamhetsomrade: jobbtorg",
                "verksamhetsomrade: aldreomsorg",
            )
    });
    let output = render(dir.path(), &yaml);
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = std::fs::read(dir.path().join("ut/VON-2026-0412-anmalan.pdf")).unwrap();
    let text = pdf_text(&pdf);
    for letterhead in [
        "Storgatan 12",
        "www.lindbacka.example",
        "VÅRD- OCH OMSORGSNÄMNDEN",
        "Sida 1",
    ] {
        assert!(!text.contains(letterhead), "{letterhead}: {text}");
    }
    // No logo: the blankett draws no image.
    let doc = parse_pdf(&pdf);
    assert!(
        !doc.objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .any(is_image),
        "the blankett has no logo"
    );
    // The addressee and the kontakt come from this profile.
    for value in [
        "IVO avdelning",
        "Box 400",
        "999 99",
        "Lindbacka",
        "Äldreomsorg",
        "Vård- och omsorgsnämnden i Lindbacka kommun",
    ] {
        assert!(text.contains(value), "missing {value:?} in {text}");
    }
    // Mjölby's layout has no header grid on it either.
    let mjolby = current(|y| y.replace("profil: stockholm", "profil: mjolby"));
    let output = render(dir.path(), &mjolby);
    assert!(output.status.success(), "{}", stderr(&output));
    let text =
        pdf_text(&std::fs::read(dir.path().join("ut/AMN-2026-0412-1.3-anmalan.pdf")).unwrap());
    for grid in ["Handläggare", "Handlingstyp", "Mottagare"] {
        assert!(!text.contains(grid), "{grid}: {text}");
    }
    assert!(
        text.contains("Omsorgs- och socialnämnden i Mjölby kommun"),
        "{text}"
    );
}

/// Whether a stream is an image XObject.
fn is_image(s: &lopdf::Stream) -> bool {
    s.dict
        .get(b"Subtype")
        .and_then(|t| t.as_name())
        .is_ok_and(|n| n == b"Image")
}

#[test]
fn every_rule_of_the_anmalan_is_found_at_its_line() {
    let base = current(|y| y);
    assert!(
        codes(&base).iter().all(|(c, ..)| !c.starts_with("anmalan")),
        "{:?}",
        codes(&base)
    );

    // Not serious: an anmälan is refused.
    let yaml = base
        .replace("  utfall: allvarligt", "  utfall: missforhallande")
        .replace("  forslag: allvarligt", "  forslag: missforhallande");
    let found = codes(&yaml);
    assert!(
        found.contains(&(
            "anmalan-utfall".into(),
            "error".into(),
            line_of(&yaml, "utfall: missforhallande")
        )),
        "{found:?}"
    );

    // The box disagrees with the outcome; and a case without an outcome must say which box.
    let yaml = base.replace("anmalan:\n", "anmalan:\n  avser: risk\n");
    assert!(codes(&yaml).contains(&(
        "anmalan-avser".into(),
        "error".into(),
        line_of(&yaml, "avser: risk")
    )));
    let undecided = without(
        without(without(base.clone(), "beslut"), "utredning"),
        "notis",
    )
    .replace("  ivo_anmalan: 2026-10-23\n", "  ivo_anmalan: 2026-09-20\n");
    let undecided = without(undecided, "tjansteskrivelse");
    let found = codes(&undecided);
    assert!(
        found
            .iter()
            .any(|(c, s, _)| c == "anmalan-avser" && s == "error"),
        "{found:?}"
    );
    let told = undecided.replace("anmalan:\n", "anmalan:\n  avser: allvarligt\n");
    assert!(
        !codes(&told).iter().any(|(c, ..)| c == "anmalan-avser"),
        "{:?}",
        codes(&told)
    );

    // Its date agrees with arende.ivo_anmalan, and it has one.
    let yaml = base.replace("anmalan:\n", "anmalan:\n  datum: 2026-10-24\n");
    assert!(codes(&yaml).contains(&(
        "anmalan-datum".into(),
        "error".into(),
        line_of(&yaml, "datum: 2026-10-24")
    )));
    let yaml = base.replace("anmalan:\n", "anmalan:\n  datum: 2026-10-23\n");
    assert!(!codes(&yaml).iter().any(|(c, ..)| c == "anmalan-datum"));
    let yaml = base
        .replace("\n    ivo_anmalan: 2026-10-23\n", "\n")
        .replace("\n  ivo_anmalan: 2026-10-23\n", "\n");
    assert!(
        codes(&yaml).iter().any(|(c, ..)| c == "anmalan-datum"),
        "{:?}",
        codes(&yaml)
    );
    // The anmälan's own date stands for arende.ivo_anmalan.
    let own = yaml.replace("anmalan:\n", "anmalan:\n  datum: 2026-10-23\n");
    let found = codes(&own);
    assert!(
        !found
            .iter()
            .any(|(c, s, _)| s == "error" || c == "ivo-anmalan-saknas"),
        "{found:?}"
    );

    // "Slutförd utredning" ticked for an utredning not finished by the anmälan.
    let yaml = base
        .replace("  avslutad: 2026-10-20", "  avslutad: 2026-10-21")
        .replace("  ivo_anmalan: 2026-10-23", "  ivo_anmalan: 2026-10-20")
        .replace("    ivo_anmalan: 2026-10-23", "    ivo_anmalan: 2026-10-20")
        .replace("  bifogat:\n", "  bifogat:\n    utredning: true\n");
    let dir = tempfile::tempdir().unwrap();
    let case = write_case(dir.path(), "fall.yaml", &yaml);
    let (_, found) = check_json(dir.path(), &case);
    let bifogat = found
        .iter()
        .find(|d| d["code"] == "anmalan-bifogat")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(bifogat["line"], line_of(&yaml, "utredning: true"));
    assert!(
        bifogat["hint"]
            .as_str()
            .unwrap()
            .contains("senast 2026-12-20"),
        "the two-month date: {bifogat:#?}"
    );
    // Sent to IVO before the anmälan.
    let yaml = base.replace("anmalan:\n", "anmalan:\n  utredning_skickad: 2026-10-01\n");
    assert!(codes(&yaml).iter().any(|(c, ..)| c == "anmalan-bifogat"));

    // One sender, with what its box needs.
    let yaml = base.replace("anmalan:\n", "anmalan:\n  enskild_verksamhet: Omsorg AB\n");
    assert!(codes(&yaml).contains(&(
        "anmalan-gors-av".into(),
        "error".into(),
        line_of(&yaml, "enskild_verksamhet")
    )));
    let yaml = base.replace("anmalan:\n", "anmalan:\n  gors_av: enskild_verksamhet\n");
    assert!(codes(&yaml).contains(&(
        "anmalan-gors-av".into(),
        "error".into(),
        line_of(&yaml, "gors_av")
    )));
    let yaml = base.replace(
        "anmalan:\n",
        "anmalan:\n  gors_av: enskild_verksamhet\n  enskild_verksamhet: Omsorg AB\n",
    );
    assert!(!codes(&yaml).iter().any(|(c, ..)| c == "anmalan-gors-av"));
    let yaml = base.replace("anmalan:\n", "anmalan:\n  gors_av: kommunen\n");
    assert!(
        codes(&yaml).iter().any(|(c, ..)| c == "ogiltigt-varde"),
        "{:?}",
        codes(&yaml)
    );

    // The blankett's own questions, a warning each.
    let yaml = base.replace("  underrattade: ja\n", "");
    assert!(
        codes(&yaml)
            .iter()
            .any(|(c, s, _)| c == "anmalan-innehall" && s == "warning")
    );
}

#[test]
fn a_refused_anmalan_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = current(|y| y.replace("anmalan:\n", "anmalan:\n  datum: 2026-10-30\n"));
    let output = render(dir.path(), &yaml);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("fel[anmalan-datum]"),
        "{}",
        stderr(&output)
    );
    assert!(
        !dir.path().join("ut").exists()
            || std::fs::read_dir(dir.path().join("ut")).unwrap().count() == 0
    );
}

#[test]
fn the_utredning_is_due_at_ivo_until_it_went_with_the_anmalan_or_was_sent() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("arenden");
    std::fs::create_dir(&cases).unwrap();
    let due = |yaml: &str| -> Vec<String> {
        write_case(&cases, "fall.yaml", yaml);
        let output = lexsarah(
            dir.path(),
            &[
                "deadlines",
                "arenden",
                "--date",
                "2026-11-20",
                "--format",
                "json",
            ],
        );
        let items: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", stdout(&output)));
        items
            .iter()
            .map(|i| {
                format!(
                    "{} {}",
                    i["kod"].as_str().unwrap(),
                    i["datum"].as_str().unwrap()
                )
            })
            .collect()
    };
    // Attached: nothing is due at IVO, and the anmälan counts as made.
    let attached = due(&current(|y| y));
    assert!(
        !attached
            .iter()
            .any(|d| d.starts_with("utredning-till-ivo") || d.starts_with("ivo-saknas")),
        "{attached:?}"
    );
    // Made before the utredning was finished: due two months after the anmälan, until sent.
    let early = current(|y| {
        y.replace("  ivo_anmalan: 2026-10-23", "  ivo_anmalan: 2026-10-19")
            .replace("    ivo_anmalan: 2026-10-23", "    ivo_anmalan: 2026-10-19")
    });
    assert!(
        due(&early).contains(&"utredning-till-ivo 2026-12-19".to_string()),
        "{:?}",
        due(&early)
    );
    let sent = early.replace("anmalan:\n", "anmalan:\n  utredning_skickad: 2026-10-26\n");
    assert!(
        !due(&sent)
            .iter()
            .any(|d| d.starts_with("utredning-till-ivo")),
        "{:?}",
        due(&sent)
    );
}

#[test]
fn the_summary_counts_an_anmalan_dated_only_in_its_own_section() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("arenden");
    std::fs::create_dir(&cases).unwrap();
    let yaml = current(|y| {
        y.replace("\n  ivo_anmalan: 2026-10-23\n", "\n")
            .replace("anmalan:\n", "anmalan:\n  datum: 2026-10-23\n")
    });
    write_case(&cases, "fall.yaml", &yaml);
    let output = lexsarah(
        dir.path(),
        &[
            "summary",
            "arenden",
            "--from",
            "2026-07-01",
            "--to",
            "2026-12-31",
            "--out",
            "ut",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let csv = std::fs::read_to_string(
        dir.path()
            .join("ut/sammanstallning-2026-07-01-2026-12-31.csv"),
    )
    .unwrap();
    let line = csv
        .lines()
        .find(|l| l.contains("Anmälda till IVO"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(line.contains(";1;"), "{line}");
}
