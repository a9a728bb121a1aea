//! `lexsarah summary`: the nämnd's half-year summary, counted from a generated folder whose
//! figures are known, read back from the PDF's text, its structure tree and the CSV.

use std::path::Path;

use crate::common::*;

/// A case with a rapport only: its diarienummer, area, typ and rapport date, and `extra` lines
/// added under the rapport (an `ej_utredning`, for one).
fn rapport(dnr: &str, area: &str, typ: &str, datum: &str, extra: &str) -> String {
    format!(
        "version: 1\nprofil: stockholm\narende:\n  diarienummer: \"{dnr}\"\n  rubrik: Läkemedel gavs vid fel tid\n  lag: SoL\nrapport:\n  typ: {typ}\n  rapportor:\n    namn: Otto Testsson\n    titel: Undersköterska\n    arbetsplats: Boendet\n  avser:\n    enhet: Boendet\n    verksamhetsomrade: {area}\n  uppmarksammat:\n    datum: {datum}\n  beskrivning: Något hände.\n  konsekvenser: Inga kända.\n  atgarder: Rutinen ses över.\n  datum: {datum}\n{extra}"
    )
}

/// The 2026 example (decided 2026-10-22, reported to IVO the day after), changed by `edit`.
fn decided(edit: impl Fn(String) -> String) -> String {
    let yaml = std::fs::read_to_string(example("stockholm-skyddad-adress.yaml")).unwrap();
    edit(without(without(yaml, "notis"), "tjansteskrivelse"))
}

/// The example's serious case turned into one found not to be a missförhållande, in
/// äldreomsorgen, decided 2026-11-01 and not reported to IVO.
fn not_one(yaml: String) -> String {
    let mut y = yaml.replace("AMN 2026-0412-1.3", "AMN 2026-0200");
    for line in [
        "\n  ivo_anmalan: 2026-10-23",
        "\n    ivo_anmalan: 2026-10-23",
        "\n    kopia_utredning: 2026-10-23",
        "\n    kopia_avslutad: 2026-10-23",
        "\n    - Missförhållandet anmäls till Inspektionen för vård och omsorg (IVO).",
    ] {
        assert!(y.contains(line), "{line}");
        y = y.replacen(line, "", 1);
    }
    // Nor is the blankett to IVO.
    assert!(y.contains("\nanmalan:"));
    without(y, "anmalan")
        .replace("forslag: allvarligt", "forslag: inget")
        .replace("utfall: allvarligt", "utfall: inget")
        .replace(
            "verksamhetsomrade: jobbtorg",
            "verksamhetsomrade: aldreomsorg",
        )
        .replace(
            "beslut:\n  datum: 2026-10-22",
            "beslut:\n  datum: 2026-11-01",
        )
}

/// A folder whose 2026H2 figures are known: four rapporter (one serious and reported to IVO,
/// one not a missförhållande, one open, one closed without utredning), two in 2026H1 (one closed
/// without utredning, one still open), one after the period, and one file that is refused.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("arenden");
    std::fs::create_dir(&cases).unwrap();
    let ej = |date: &str| format!("  ej_utredning:\n    datum: {date}\n    namn: Helena Strand\n");
    write_case(&cases, "allvarligt.yaml", &decided(|y| y));
    write_case(&cases, "inget.yaml", &decided(not_one));
    write_case(
        &cases,
        "oppet.yaml",
        &rapport(
            "AMN 2026-0300",
            "funktionsnedsattning",
            "risk",
            "2026-08-10",
            "",
        ),
    );
    write_case(
        &cases,
        "ej-utredning.yaml",
        &rapport(
            "AMN 2026-0400",
            "barn_och_ungdom",
            "missforhallande",
            "2026-10-01",
            &ej("2026-10-03"),
        ),
    );
    write_case(
        &cases,
        "varen.yaml",
        &rapport(
            "AMN 2026-0050",
            "jobbtorg",
            "missforhallande",
            "2026-03-02",
            &ej("2026-03-04"),
        ),
    );
    write_case(
        &cases,
        "varen-oppet.yaml",
        &rapport("AMN 2026-0060", "socialpsykiatri", "risk", "2026-05-05", ""),
    );
    write_case(
        &cases,
        "nasta-ar.yaml",
        &rapport("AMN 2027-0001", "jobbtorg", "risk", "2027-01-10", ""),
    );
    write_case(
        &cases,
        "trasig.yaml",
        "version: 1\nprofil: stockholm\narende: [\n",
    );
    dir
}

fn summary(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["summary", "arenden", "--out", "ut", "--date", "2026-11-30"];
    args.extend_from_slice(extra);
    lexsarah(dir, &args)
}

/// The CSV's rows as (avsnitt, uppgift, now, before).
fn csv_rows(bytes: &[u8]) -> Vec<[String; 4]> {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte order mark for Excel");
    text.lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<String> = line.split(';').map(str::to_string).collect();
            assert_eq!(cells.len(), 4, "{line}");
            [
                cells[0].clone(),
                cells[1].clone(),
                cells[2].clone(),
                cells[3].clone(),
            ]
        })
        .collect()
}

fn row(rows: &[[String; 4]], section: &str, label: &str) -> (String, String) {
    let found = rows
        .iter()
        .find(|r| r[0] == section && r[1] == label)
        .unwrap_or_else(|| panic!("no row {section};{label} in {rows:?}"));
    (found[2].clone(), found[3].clone())
}

/// The alternative texts of the figures in the PDF's structure tree.
fn figure_alts(bytes: &[u8]) -> Vec<String> {
    let doc = parse_pdf(bytes);
    doc.objects
        .values()
        .filter_map(|object| object.as_dict().ok())
        .filter(|dict| {
            dict.get(b"S")
                .and_then(|s| s.as_name())
                .is_ok_and(|s| s == b"Figure")
        })
        .filter_map(|dict| dict.get(b"Alt").ok())
        .filter_map(|alt| lopdf::decode_text_string(alt).ok())
        .collect()
}

#[test]
fn the_half_year_is_counted_and_compared_with_the_one_before() {
    let dir = folder();
    let output = summary(dir.path(), &["--half", "2026H2"]);
    let err = stderr(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "a refused case makes exit 1: {err}"
    );
    assert!(
        err.contains("trasig.yaml"),
        "the refused case is named: {err}"
    );
    assert!(err.contains("kunde inte räknas"), "{err}");
    let out = dir.path().join("ut");
    let csv = std::fs::read(out.join("sammanstallning-2026-07-01-2026-12-31.csv")).unwrap();
    let rows = csv_rows(&csv);
    for (section, label, now, before) in [
        ("Totalt", "Rapporter", "4", "2"),
        ("IVO", "Anmälda till IVO", "1", "0"),
        ("Verksamhetsområde", "Jobbtorg", "1", "1"),
        ("Verksamhetsområde", "Äldreomsorg", "1", "0"),
        ("Verksamhetsområde", "Funktionsnedsättning", "1", "0"),
        ("Verksamhetsområde", "Barn och ungdom", "1", "0"),
        ("Verksamhetsområde", "Socialpsykiatri", "0", "1"),
        ("Typ", "Missförhållande", "3", "1"),
        ("Typ", "Påtaglig risk för missförhållande", "1", "1"),
        ("Utfall", "Allvarligt missförhållande", "1", "0"),
        ("Utfall", "Inte ett missförhållande", "1", "0"),
        ("Utfall", "Ej utredning", "1", "1"),
        ("Utfall", "Inte avgjort", "1", "1"),
        ("Utfall", "Missförhållande", "0", "0"),
    ] {
        let expected = (now.to_string(), before.to_string());
        assert_eq!(row(&rows, section, label), expected, "{section}: {label}");
    }
    // Rapport 2026-09-15 to beslut 2026-10-22 is 37 days; 2026-09-15 to 2026-11-01 is 47.
    assert_eq!(
        row(&rows, "Tider", "Dagar från rapport till beslut, median").0,
        "37"
    );
    assert_eq!(
        row(&rows, "Tider", "Dagar från rapport till beslut, längst").0,
        "47"
    );
    assert_eq!(
        row(
            &rows,
            "Tider",
            "Dagar från beslut till anmälan till IVO, längst"
        )
        .0,
        "1"
    );
    // Made on 2026-11-30, inside the half-year: open on that day, and said to be unfinished
    // (issue 25): this half's open case and the spring's.
    assert_eq!(
        row(
            &rows,
            "Öppna",
            "Öppna ärenden 2026-11-30 (perioden är inte slut)"
        )
        .0,
        "2"
    );

    let pdf = std::fs::read(out.join("sammanstallning-2026-07-01-2026-12-31.pdf")).unwrap();
    let text = pdf_text(&pdf);
    for expected in [
        "Sammanställning av lex Sarah-rapporter 2026-07-01 – 2026-12-31",
        "Informationen noteras.",
        "Perioden 2026-07-01 – 2026-12-31 är inte slut. Till och med 2026-11-30 kom 4 lex Sarah-rapporter in (perioden före: 2)",
        "Den 2026-11-30 var 2 ärenden öppna",
        "AMN 2026-0412-1.3",
        "AMN 2026-0300",
        "Ärenden som inte kunde räknas",
        "1 ärendefil klarade inte kontrollen",
        "Så räknas det",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} is missing from {text}"
        );
    }
    for absent in [
        "AMN 2026-0050",
        "AMN 2027-0001",
        "Helena Strand",
        "Jonas Ekdahl",
        // A refused file is counted, never named: its name is unchecked text (issue 23).
        "trasig",
    ] {
        assert!(
            !text.contains(absent),
            "{absent:?} does not belong in the summary"
        );
    }
    let alts = figure_alts(&pdf);
    assert!(
        alts.iter().any(|alt| alt.starts_with("Stapeldiagram")
            && alt.contains("Jobbtorg 1")
            && alt.contains("Äldreomsorg 1")),
        "the chart is tagged with its figures: {alts:?}"
    );
    assert!(xmp(&pdf).contains("pdfaid"), "the summary is PDF/A");
    assert_eq!(
        info(&pdf, "Title").as_deref(),
        Some("Sammanställning av lex Sarah-rapporter 2026-07-01 – 2026-12-31")
    );
    let written = out.join("sammanstallning-2026-07-01-2026-12-31.pdf");
    for profile in ["2a", "ua1"] {
        if let Some(failures) = page_validator(&written, profile) {
            assert!(failures.is_empty(), "{profile}: {failures:?}");
        }
    }

    // The same inputs and date give the same bytes.
    let again = tempfile::tempdir().unwrap();
    std::fs::rename(dir.path().join("arenden"), again.path().join("arenden")).unwrap();
    summary(again.path(), &["--half", "2026H2"]);
    let second = std::fs::read(
        again
            .path()
            .join("ut/sammanstallning-2026-07-01-2026-12-31.pdf"),
    );
    assert!(second.unwrap() == pdf, "the summary is reproducible");
}

#[test]
fn a_period_by_dates_is_compared_with_the_days_before_it() {
    let dir = folder();
    std::fs::remove_file(dir.path().join("arenden/trasig.yaml")).unwrap();
    let output = summary(
        dir.path(),
        &[
            "--from",
            "2026-09-01",
            "--to",
            "2026-10-31",
            "--forslag",
            "Nämnden tackar för informationen.",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = dir.path().join("ut");
    let csv = std::fs::read(out.join("sammanstallning-2026-09-01-2026-10-31.csv")).unwrap();
    let rows = csv_rows(&csv);
    // 61 days: the period before is 2026-07-02 – 2026-08-31, where the open case lies.
    let header = String::from_utf8(csv).unwrap();
    assert!(
        header
            .lines()
            .next()
            .unwrap()
            .contains("2026-07-02 – 2026-08-31"),
        "{header}"
    );
    assert_eq!(row(&rows, "Totalt", "Rapporter"), ("3".into(), "1".into()));
    let pdf = std::fs::read(out.join("sammanstallning-2026-09-01-2026-10-31.pdf")).unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains("Nämnden tackar för informationen."), "{text}");
    assert!(!text.contains("Informationen noteras."), "{text}");
}

#[test]
fn a_name_in_a_published_rubrik_stops_the_summary() {
    let dir = folder();
    std::fs::remove_file(dir.path().join("arenden/trasig.yaml")).unwrap();
    // The reporter's name from another case file, in a rubrik the summary would publish.
    let named = rapport("AMN 2026-0500", "jobbtorg", "risk", "2026-09-01", "")
        .replace("Läkemedel gavs vid fel tid", "Otto Testsson glömde rutinen");
    write_case(&dir.path().join("arenden"), "namn.yaml", &named);
    let output = summary(dir.path(), &["--half", "2026H2"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("publicerat-namn") && err.contains("Otto Testsson"),
        "{err}"
    );
    assert!(
        err.contains("arenden/namn.yaml:5:11"),
        "the rubrik's file and line: {err}"
    );
    assert!(!dir.path().join("ut").exists(), "nothing is written");
}

#[test]
fn a_summary_without_a_period_or_with_mixed_organisations_is_refused() {
    let dir = folder();
    let output = summary(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--half 2026H1"),
        "{}",
        stderr(&output)
    );
    for bad in [
        &["--half", "2026H3"][..],
        &["--from", "2026-12-01", "--to", "2026-11-01"],
    ] {
        let output = summary(dir.path(), bad);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{bad:?}: {}",
            stderr(&output)
        );
    }
    let mjolby = std::fs::read_to_string(example("mjolby-borttappade-handlingar.yaml")).unwrap();
    write_case(&dir.path().join("arenden"), "mjolby.yaml", &mjolby);
    let output = summary(dir.path(), &["--half", "2026H2"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("olika organisationer"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("ut").exists(), "nothing is written");
}

#[test]
fn an_empty_folder_needs_a_profile_and_then_says_there_were_no_rapporter() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("arenden")).unwrap();
    let output = summary(dir.path(), &["--half", "2026H1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--profile"), "{}", stderr(&output));
    let output = summary(dir.path(), &["--half", "2026H1", "--profile", "mjolby"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let pdf = std::fs::read(
        dir.path()
            .join("ut/sammanstallning-2026-01-01-2026-06-30.pdf"),
    )
    .unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains("Inga rapporter under perioden."), "{text}");
    assert!(text.contains("Mjölby"), "in the profile's layout: {text}");
}

/// Every breakdown of the summary adds up to its total, with "Uppgift saknas" wherever a case
/// lacks the value, over a generated folder of cases with missing values (issue 25): cases
/// begun from their beslut (no rapport, so no area and no typ), with and without outcomes.
#[test]
fn every_breakdown_adds_up_to_the_total_and_a_finished_period_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("arenden");
    std::fs::create_dir(&cases).unwrap();
    let areas = ["aldreomsorg", "jobbtorg", "socialpsykiatri"];
    for i in 0..9 {
        let dnr = format!("AMN 2026-{:04}", 500 + i);
        let yaml = if i % 3 == 0 {
            // Begun from its beslut: the 2026 example without its rapport.
            decided(|y| without(y, "rapport")).replace("AMN 2026-0412-1.3", &dnr)
        } else {
            let typ = if i % 2 == 0 {
                "risk"
            } else {
                "missforhallande"
            };
            let day = format!("2026-{:02}-1{}", 7 + i % 5, i % 9);
            rapport(&dnr, areas[i % 3], typ, &day, "")
        };
        write_case(&cases, &format!("fall-{i}.yaml"), &yaml);
    }
    let output = lexsarah(
        dir.path(),
        &[
            "summary",
            "arenden",
            "--half",
            "2026H2",
            "--out",
            "ut",
            "--date",
            "2027-01-15",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        !stderr(&output).contains("inte slut"),
        "{}",
        stderr(&output)
    );
    let rows = csv_rows(
        &std::fs::read(
            dir.path()
                .join("ut/sammanstallning-2026-07-01-2026-12-31.csv"),
        )
        .unwrap(),
    );
    let total = row(&rows, "Totalt", "Rapporter");
    assert_eq!(total.0, "9");
    for section in ["Verksamhetsområde", "Typ", "Utfall"] {
        let (now, before): (usize, usize) = rows
            .iter()
            .filter(|r| r[0] == section)
            .map(|r| {
                (
                    r[2].parse::<usize>().unwrap(),
                    r[3].parse::<usize>().unwrap(),
                )
            })
            .fold((0, 0), |(a, b), (x, y)| (a + x, b + y));
        assert_eq!(
            (now.to_string(), before.to_string()),
            total,
            "{section} adds up to the total: {rows:?}"
        );
    }
    assert_eq!(row(&rows, "Typ", "Uppgift saknas").0, "3");
    assert_eq!(row(&rows, "Verksamhetsområde", "Uppgift saknas").0, "3");
    let text = pdf_text(
        &std::fs::read(
            dir.path()
                .join("ut/sammanstallning-2026-07-01-2026-12-31.pdf"),
        )
        .unwrap(),
    );
    assert!(text.contains("Vid periodens slut var"), "{text}");
    assert!(!text.contains("inte slut"), "{text}");
}
