//! `lexsarah check`: one broken case per rule, each with its code and line.

use std::path::Path;

use crate::common::*;

/// The Mjölby example, which has every section and passes every rule.
fn valid_case() -> String {
    std::fs::read_to_string(example("mjolby-borttappade-handlingar.yaml")).unwrap()
}

/// The 1-based line of the first line of `yaml` that contains `needle`.
fn line_of(yaml: &str, needle: &str) -> u32 {
    yaml.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} is not in the case")) as u32
        + 1
}

/// Runs `lexsarah check --diagnostic-format json` on a case and returns exit code and diagnostics.
fn check_json(dir: &Path, yaml: &str, extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    write_case(dir, "fall.yaml", yaml);
    let mut args = vec!["check", "fall.yaml", "--diagnostic-format", "json"];
    args.extend_from_slice(extra);
    let output = lexsarah(dir, &args);
    let diagnostics: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", stdout(&output)));
    (output.status.code().unwrap(), diagnostics)
}

/// Asserts that the case gives exactly one diagnostic with this code, at this line.
fn assert_one(yaml: &str, code: &str, severity: &str, line: u32) {
    let dir = tempfile::tempdir().unwrap();
    let (exit, found) = check_json(dir.path(), yaml, &[]);
    let matching: Vec<_> = found.iter().filter(|d| d["code"] == code).collect();
    assert_eq!(matching.len(), 1, "{code}: {found:#?}");
    let d = matching[0];
    assert_eq!(d["severity"], severity, "{d:#?}");
    assert_eq!(d["line"], line, "{code} at the wrong line: {d:#?}");
    assert_eq!(d["file"], "fall.yaml");
    assert!(d["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(exit, if severity == "error" { 1 } else { 0 }, "{found:#?}");
}

#[test]
fn every_example_passes_with_no_warning() {
    let mut args = vec!["check".to_string()];
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            args.push(path.display().to_string());
        }
    }
    args.push(example("lindbacka/arende.yaml").display().to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let dir = tempfile::tempdir().unwrap();
    let output = lexsarah(dir.path(), &args);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(!err.contains("warning"), "{err}");
    assert_eq!(err.matches(": inga fel").count(), args.len() - 1, "{err}");
}

#[test]
fn refuses_a_case_whose_dates_run_backwards() {
    let yaml = valid_case().replace("  datum: 2020-11-30", "  datum: 2020-11-26");
    assert_one(
        &yaml,
        "datum-ordning",
        "error",
        line_of(&yaml, "datum: 2020-11-26"),
    );
}

#[test]
fn refuses_a_weekday_that_disagrees_with_its_date() {
    let yaml = valid_case().replace(
        "    klockslag: \"17:30\"",
        "    klockslag: \"17:30\"\n    veckodag: tisdag",
    );
    assert_one(
        &yaml,
        "fel-veckodag",
        "error",
        line_of(&yaml, "veckodag: tisdag"),
    );
}

#[test]
fn accepts_a_weekday_written_with_a_capital() {
    let yaml = valid_case().replace(
        "    klockslag: \"17:30\"",
        "    klockslag: \"17:30\"\n    veckodag: Fredag",
    );
    let dir = tempfile::tempdir().unwrap();
    let (exit, found) = check_json(dir.path(), &yaml, &[]);
    assert_eq!((exit, found.len()), (0, 0), "{found:#?}");
}

#[test]
fn refuses_a_serious_outcome_without_an_ivo_anmalan() {
    let yaml = valid_case().replace("  lag: SoL\n  ivo_anmalan: 2021-01-15\n", "  lag: SoL\n");
    assert_one(
        &yaml,
        "ivo-anmalan-saknas",
        "error",
        line_of(&yaml, "utfall: allvarligt"),
    );
}

#[test]
fn refuses_an_ivo_anmalan_dated_before_the_rapport() {
    let yaml = valid_case().replace(
        "  lag: SoL\n  ivo_anmalan: 2021-01-15",
        "  lag: SoL\n  ivo_anmalan: 2020-11-29",
    );
    assert_one(
        &yaml,
        "ivo-anmalan-fore-rapport",
        "error",
        line_of(&yaml, "ivo_anmalan: 2020-11-29"),
    );
}

#[test]
fn refuses_a_diarienummer_the_profile_does_not_allow() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        example("lindbacka/profil.yaml"),
        dir.path().join("profil.yaml"),
    )
    .unwrap();
    std::fs::copy(example("lindbacka/logga.svg"), dir.path().join("logga.svg")).unwrap();
    let yaml = std::fs::read_to_string(example("lindbacka/arende.yaml"))
        .unwrap()
        .replace("\"VON 2024-0117\"", "\"VON 24-117\"");
    let (exit, found) = check_json(dir.path(), &yaml, &[]);
    assert_eq!(exit, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "diarienummer-format");
    assert_eq!(found[0]["line"], line_of(&yaml, "VON 24-117"));
    assert!(found[0]["hint"].as_str().unwrap().contains("^VON"));
}

#[test]
fn warns_when_the_beslut_departs_from_the_forslag() {
    let yaml = valid_case().replace("  utfall: allvarligt", "  utfall: allvarlig_risk");
    assert_one(
        &yaml,
        "utfall-skiljer",
        "warning",
        line_of(&yaml, "utfall: allvarlig_risk"),
    );
}

#[test]
fn warns_of_a_date_in_the_future() {
    let yaml = valid_case().replace("  datum: 2021-02-11", "  datum: 2999-02-11");
    assert_one(
        &yaml,
        "framtida-datum",
        "warning",
        line_of(&yaml, "2999-02-11"),
    );
}

#[test]
fn refuses_a_personnummer_in_text_for_the_namnd_at_its_place() {
    let yaml = valid_case().replacen(
        "    Den enskilde har fått en ursäkt",
        "    Den enskilde (121212-1212) har fått en ursäkt",
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let (exit, found) = check_json(dir.path(), &yaml, &[]);
    assert_eq!(exit, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "publicerat-personnummer");
    assert_eq!(found[0]["severity"], "error");
    let line = line_of(&yaml, "121212-1212");
    assert_eq!(found[0]["line"], line);
    let column = yaml
        .lines()
        .nth(line as usize - 1)
        .unwrap()
        .find("121212")
        .unwrap()
        + 1;
    assert_eq!(found[0]["column"], column, "{found:#?}");
}

#[test]
fn warns_of_an_utredning_finished_more_than_two_months_after_the_ivo_anmalan() {
    let yaml = valid_case()
        .replace("  avslutad: 2021-01-12", "  avslutad: 2021-03-20")
        .replace("  datum: 2021-01-14", "  datum: 2021-03-22");
    assert_one(
        &yaml,
        "utredning-sen",
        "warning",
        line_of(&yaml, "avslutad: 2021-03-20"),
    );
}

#[test]
fn warns_of_content_sosfs_requires_left_empty() {
    let yaml = valid_case().replace("    nar: I december 2020.", "    nar:");
    assert_one(
        &yaml,
        "sosfs-innehall",
        "warning",
        line_of(&yaml, "    nar:"),
    );
}

#[test]
fn strict_makes_a_warning_refuse_the_case() {
    let yaml = valid_case().replace("  utfall: allvarligt", "  utfall: allvarlig_risk");
    let dir = tempfile::tempdir().unwrap();
    let (exit, found) = check_json(dir.path(), &yaml, &["--strict"]);
    assert_eq!(exit, 1);
    assert_eq!(found[0]["severity"], "error");
    let render = lexsarah(dir.path(), &["render", "fall.yaml", "--strict"]);
    assert_eq!(render.status.code(), Some(1));
    let pdfs = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pdf")
        })
        .count();
    assert_eq!(pdfs, 0, "a refused case writes nothing");
}

#[test]
fn render_refuses_a_case_that_breaks_a_rule_and_writes_nothing() {
    let yaml = valid_case().replace("  datum: 2020-11-30", "  datum: 2020-11-26");
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), "fall.yaml", &yaml);
    let output = lexsarah(dir.path(), &["render", "fall.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("fel[datum-ordning]"), "{err}");
    assert!(
        err.contains(&format!(
            "fall.yaml:{}:",
            line_of(&yaml, "datum: 2020-11-26")
        )),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn render_prints_warnings_and_still_renders() {
    let yaml = valid_case().replace("  utfall: allvarligt", "  utfall: allvarlig_risk");
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), "fall.yaml", &yaml);
    let output = lexsarah(dir.path(), &["render", "fall.yaml", "--doc", "beslut"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("varning[utfall-skiljer]"));
    assert!(dir.path().join("2021-ASN-0026-beslut.pdf").is_file());
}

#[test]
fn json_diagnostics_are_one_array_for_all_files() {
    let dir = tempfile::tempdir().unwrap();
    write_case(
        dir.path(),
        "a.yaml",
        &valid_case().replace("  datum: 2020-11-30", "  datum: 2020-11-26"),
    );
    write_case(
        dir.path(),
        "b.yaml",
        "version: 1\nprofil: stockholm\nokand: 1\n",
    );
    let output = lexsarah(
        dir.path(),
        &["check", "a.yaml", "b.yaml", "--diagnostic-format", "json"],
    );
    assert_eq!(output.status.code(), Some(1));
    let found: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let files: Vec<_> = found.iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert!(
        files.contains(&"a.yaml") && files.contains(&"b.yaml"),
        "{found:#?}"
    );
    for d in &found {
        for key in ["file", "line", "column", "severity", "code", "message"] {
            assert!(d.get(key).is_some(), "{key} missing: {d:#?}");
        }
    }
    assert!(
        stderr(&output).is_empty(),
        "JSON mode prints nothing for people"
    );
}

#[test]
fn a_character_no_embedded_font_has_is_refused_where_it_is_written() {
    let yaml = valid_case().replace(
        "  konsekvenser: Uppgifter som omfattas",
        "  konsekvenser: Bra 👍 Uppgifter som omfattas",
    );
    let dir = tempfile::tempdir().unwrap();
    let (exit, found) = check_json(dir.path(), &yaml, &[]);
    assert_eq!(exit, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "otillatet-tecken");
    let line = line_of(&yaml, "Bra 👍");
    assert_eq!(found[0]["line"], line);
    let column = yaml
        .lines()
        .nth(line as usize - 1)
        .unwrap()
        .chars()
        .position(|c| c == '👍')
        .unwrap()
        + 1;
    assert_eq!(found[0]["column"], column);
}

#[test]
fn invisible_formatting_characters_and_tabs_render() {
    // Direction marks are harmless in text; overrides are refused (tests/hostile/
    // riktningsstyrning.yaml), and so is any invisible mark in a code such as the delegation.
    let text = "noll\u{200b}bredd, \u{200f}märkt\u{200e}, tab\there";
    let dir = tempfile::tempdir().unwrap();
    let yaml: String = beslut_case(text)
        .lines()
        .map(|line| {
            if line.starts_with("  delegation:") {
                "  delegation: \"3.2\"\n".to_string()
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    write_case(dir.path(), "fall.yaml", &yaml);
    let output = lexsarah(dir.path(), &["render", "fall.yaml"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn a_profile_or_logo_outside_the_naming_files_folder_needs_allow_path() {
    let dir = tempfile::tempdir().unwrap();
    let (cases, shared) = (dir.path().join("arenden"), dir.path().join("gemensamt"));
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::create_dir_all(shared.join("loggor")).unwrap();
    let case = std::fs::read_to_string(example("lindbacka/arende.yaml"))
        .unwrap()
        .replace("profil: profil.yaml", "profil: ../gemensamt/profil.yaml");
    std::fs::write(cases.join("a.yaml"), case).unwrap();
    let profile = std::fs::read_to_string(example("lindbacka/profil.yaml")).unwrap();
    std::fs::write(shared.join("profil.yaml"), &profile).unwrap();
    std::fs::copy(example("lindbacka/logga.svg"), shared.join("logga.svg")).unwrap();
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "arenden/a.yaml"];
        args.extend_from_slice(extra);
        lexsarah(dir.path(), &args)
    };

    let refused = check(&[]);
    assert_eq!(refused.status.code(), Some(1));
    let message = stderr(&refused);
    assert!(message.contains("okand-profil"), "{message}");
    assert!(message.contains("utanför"), "{message}");
    assert!(message.contains("--allow-path"), "{message}");
    assert!(check(&["--allow-path", "gemensamt"]).status.success());

    // A profile whose logo lies in a folder beside the profile's, rather than in it.
    let elsewhere = profile.replace("logotyp: logga.svg", "logotyp: ../loggor/logga.svg");
    std::fs::create_dir(shared.join("profiler")).unwrap();
    std::fs::write(shared.join("profiler/profil.yaml"), &elsewhere).unwrap();
    std::fs::copy(
        example("lindbacka/logga.svg"),
        shared.join("loggor/logga.svg"),
    )
    .unwrap();
    let with_logo_outside = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "arenden/a.yaml",
            "--profile",
            "gemensamt/profiler/profil.yaml",
        ];
        args.extend_from_slice(extra);
        lexsarah(dir.path(), &args)
    };
    let refused = with_logo_outside(&[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("logotypen"),
        "{}",
        stderr(&refused)
    );
    let allowed = with_logo_outside(&["--allow-path", "gemensamt"]);
    assert!(allowed.status.success(), "{}", stderr(&allowed));

    let missing = check(&["--allow-path", "finns-inte"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("--allow-path finns-inte"));
}

#[test]
fn a_tab_in_the_indentation_is_marked_at_its_line_in_swedish() {
    let yaml = valid_case().replacen("    namn: ", "\tnamn: ", 1);
    let dir = tempfile::tempdir().unwrap();
    let (exit, found) = check_json(dir.path(), &yaml, &[]);
    assert_eq!(exit, 1);
    assert_eq!(found[0]["code"], "yaml-syntax");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("raden är indragen med ett tabbtecken")
    );
    assert_eq!(found[0]["line"], line_of(&yaml, "\tnamn: "));
    assert_eq!(found[0]["column"], 1);
}

#[test]
fn a_colon_inside_unquoted_text_says_in_swedish_that_quoting_fixes_it() {
    let yaml = valid_case().replacen(
        "  rubrik: Information om lex Sarah-anmälan socialpsykiatri",
        "  rubrik: Läkemedelsfel: fel dosett",
        1,
    );
    assert!(yaml.contains("Läkemedelsfel"));
    let dir = tempfile::tempdir().unwrap();
    let (_, found) = check_json(dir.path(), &yaml, &[]);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("ett kolon följt av mellanslag")
    );
    assert_eq!(found[0]["line"], line_of(&yaml, "Läkemedelsfel"));
    assert!(
        found[0]["hint"]
            .as_str()
            .unwrap()
            .contains("`rubrik: \"Läkemedelsfel: fel dosett\"`"),
        "{found:?}"
    );
}

#[test]
fn a_bad_value_and_dates_out_of_order_are_both_reported_in_one_run() {
    let yaml = valid_case()
        .replacen("  lag: SoL\n", "  lag: Sol\n", 1)
        .replacen("  inledd: 2020-12-02", "  inledd: 2020-11-02", 1);
    assert!(yaml.contains("lag: Sol\n") && yaml.contains("2020-11-02"));
    let dir = tempfile::tempdir().unwrap();
    let (exit, found) = check_json(dir.path(), &yaml, &[]);
    assert_eq!(exit, 1);
    let codes: Vec<&str> = found.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"ogiltigt-varde"), "{codes:?}");
    assert!(codes.contains(&"datum-ordning"), "{codes:?}");
    let order = found.iter().find(|d| d["code"] == "datum-ordning").unwrap();
    assert_eq!(order["line"], line_of(&yaml, "  inledd: 2020-11-02"));
    assert!(
        order["hint"]
            .as_str()
            .unwrap()
            .contains("grund: ärendets egna uppgifter")
    );
}

/// A verksamhetsområde is one of the profile's (issue 25): the built-in profiles keep the eight
/// of Stockholm's form, and an organisation's own profile names its own.
#[test]
fn a_verksamhetsomrade_the_profile_does_not_have_is_refused_naming_the_ones_it_has() {
    let yaml = valid_case().replacen(
        "    verksamhetsomrade: socialpsykiatri",
        "    verksamhetsomrade: socialpsykiatrin",
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let (exit, found) = check_json(dir.path(), &yaml, &[]);
    assert_eq!(exit, 1);
    let problem = found
        .iter()
        .find(|d| d["code"] == "okant-verksamhetsomrade")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(
        problem["line"],
        line_of(&yaml, "verksamhetsomrade: socialpsykiatrin")
    );
    let hint = problem["hint"].as_str().unwrap();
    assert!(hint.contains("menade du `socialpsykiatri`?"), "{hint}");
    assert!(hint.contains("jobbtorg (Jobbtorg)"), "{hint}");
    assert!(hint.contains("grund: profilen"), "{hint}");
    // An organisation's own list: its codes are valid, Stockholm's are not.
    let profile = std::fs::read_to_string(root().join("profiles/mjolby.yaml"))
        .unwrap()
        .replace("id: mjolby", "id: egen");
    let own = format!(
        "{}\nverksamhetsomraden:\n  - {{kod: lss, namn: Stöd enligt LSS}}\n  - {{kod: psykiatri, namn: Psykiatri}}\n",
        profile.split("\nverksamhetsomraden:").next().unwrap()
    );
    std::fs::write(dir.path().join("egen.yaml"), own).unwrap();
    let with_own = yaml.replace("profil: mjolby", "profil: egen.yaml").replace(
        "verksamhetsomrade: socialpsykiatrin",
        "verksamhetsomrade: psykiatri",
    );
    assert!(with_own.contains("profil: egen.yaml"));
    let (exit, found) = check_json(dir.path(), &with_own, &[]);
    assert_eq!(exit, 0, "{found:#?}");
    let output = lexsarah(
        dir.path(),
        &["render", "fall.yaml", "--doc", "rapport", "--out", "ut"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = pdf_text(&std::fs::read(dir.path().join("ut/2021-ASN-0026-rapport.pdf")).unwrap());
    assert!(
        text.contains("Stöd enligt LSS") && text.contains("Psykiatri"),
        "{text}"
    );
    assert!(
        !text.contains("Jobbtorg"),
        "only the organisation's own areas: {text}"
    );
}
