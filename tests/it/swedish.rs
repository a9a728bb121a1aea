//! Swedish everywhere a person reads (issue 25): the help of both programs, a document named
//! as a Swede spells it, diagnostics, a tab in the indentation, and the deadlines' days.

use crate::common::*;

#[test]
fn both_programs_help_in_swedish_and_a_misspelt_value_gets_a_swedish_tip() {
    let dir = tempfile::tempdir().unwrap();
    let deadlines = std::process::Command::new(env!("CARGO_BIN_EXE_lexsarah"))
        .args(["deadlines", "--help"])
        .output()
        .unwrap();
    let help = stdout(&deadlines);
    for english in [
        "Usage:",
        "Options:",
        "Arguments:",
        "Print help",
        "[default: ",
    ] {
        assert!(!help.contains(english), "{english} in: {help}");
    }
    // deadlines describes its own output, not check's.
    assert!(help.contains("dagar") && !help.contains("raden"), "{help}");
    let misspelt = lexsarah(
        dir.path(),
        &["render", "x.yaml", "--doc", "tjansteskrivels"],
    );
    assert_eq!(misspelt.status.code(), Some(2));
    let err = stderr(&misspelt);
    assert!(err.contains("tips: det finns ett liknande värde"), "{err}");
    assert!(!err.contains("tip: a similar"), "{err}");
    assert!(err.starts_with("fel: "), "{err}");
}

#[test]
fn a_document_named_with_a_and_o_as_a_swede_types_it_is_made() {
    let dir = tempfile::tempdir().unwrap();
    render_example(
        dir.path(),
        "mjolby-borttappade-handlingar.yaml",
        &["--doc", "tjänsteskrivelse"],
    );
    assert!(
        dir.path()
            .join("ut/2021-ASN-0026-tjansteskrivelse.pdf")
            .exists()
    );
}

#[test]
fn a_line_that_begins_with_a_tab_is_reported_at_the_tab_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(example("mjolby-borttappade-handlingar.yaml"))
        .unwrap()
        .replacen("  rubrik: ", "\trubrik: ", 1);
    let case = write_case(dir.path(), "tabb.yaml", &yaml);
    let tab_line = yaml.lines().position(|l| l.starts_with('\t')).unwrap() + 1;
    let output = lexsarah(dir.path(), &["check", case.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("fel[yaml-syntax]"), "{err}");
    assert!(err.contains(&format!("tabb.yaml:{tab_line}:1")), "{err}");
    assert!(err.contains("ersätt tabben med mellanslag"), "{err}");
    assert!(
        !err.contains("parsern säger"),
        "no English from the parser: {err}"
    );
}
