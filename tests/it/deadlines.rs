//! `lexsarah deadlines`: what each case waits for, as of a fixed date, and exit codes a
//! scheduled job can act on.

use std::path::Path;

use crate::common::*;

/// The 2026 example, cut and changed by `edit`.
fn variant(edit: impl Fn(String) -> String) -> String {
    edit(std::fs::read_to_string(example("stockholm-skyddad-adress.yaml")).unwrap())
}

/// A folder of cases with known deadlines; `broken` adds one that is refused.
fn folder(broken: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("arenden");
    std::fs::create_dir(&cases).unwrap();
    // Open: a rapport and an utredning under way, no beslut; an IVO anmälan made early, not yet
    // told to the nämnd; a personal-data incident not reported to IMY.
    let open = variant(|y| {
        let y = without(without(without(y, "notis"), "tjansteskrivelse"), "beslut");
        y.replace("  avslutad: 2026-10-20\n", "")
            .replace("  imy_anmalan: 2026-09-16\n", "")
            .replace("    ivo_anmalan: 2026-10-23\n", "")
            .replace("AMN 2026-0412-1.3", "AMN 2026-0001")
    });
    write_case(&cases, "oppet.yaml", &open);
    // Decided and done, but for one planned action past its date.
    write_case(&cases, "klart.yaml", &variant(|y| y));
    if broken {
        write_case(
            &cases,
            "trasig.yaml",
            "version: 1\nprofil: stockholm\narende: [\n",
        );
    }
    dir
}

fn deadlines(dir: &Path, date: &str) -> (Option<i32>, Vec<serde_json::Value>) {
    let output = lexsarah(
        dir,
        &["deadlines", "arenden", "--date", date, "--format", "json"],
    );
    let items =
        serde_json::from_str(&stdout(&output)).unwrap_or_else(|_| panic!("{}", stderr(&output)));
    (output.status.code(), items)
}

fn kinds(items: &[serde_json::Value]) -> Vec<(String, String, bool, i64)> {
    items
        .iter()
        .map(|d| {
            (
                d["diarienummer"].as_str().unwrap().to_string(),
                d["kod"].as_str().unwrap().to_string(),
                d["forsenat"].as_bool().unwrap(),
                d["dagar"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_kind_of_deadline_is_listed_with_its_days_and_whether_it_is_late() {
    let dir = folder(false);
    let (code, items) = deadlines(dir.path(), "2027-01-10");
    assert_eq!(code, Some(3), "something is late: {items:?}");
    let found = kinds(&items);
    let open = |kod: &str| {
        found
            .iter()
            .find(|(d, k, ..)| d == "AMN 2026-0001" && k == kod)
            .unwrap_or_else(|| panic!("no {kod} in {found:?}"))
            .clone()
    };
    // The rapport came in 2026-09-16: 116 days before 2027-01-10.
    assert_eq!(
        open("oppet"),
        ("AMN 2026-0001".into(), "oppet".into(), false, 116)
    );
    // IVO anmälan 2026-10-23: the utredning was due 2026-12-23, 18 days ago.
    assert!(open("utredning-till-ivo").2);
    assert_eq!(open("utredning-till-ivo").3, 18);
    assert!(!open("namnd-ivo").2);
    // Noticed 2026-09-14: IMY by 2026-09-17.
    assert_eq!(open("imy").3, 115);
    assert!(open("imy").2);
    // The other case: one planned action past 2026-12-15, the other done.
    let done: Vec<_> = found
        .iter()
        .filter(|(d, ..)| d == "AMN 2026-0412-1.3")
        .collect();
    assert_eq!(done.len(), 1, "{done:?}");
    assert_eq!(done[0].1, "atgard");
    assert_eq!(done[0].3, 26);
}

#[test]
fn nothing_late_exits_0_and_a_refused_case_exits_1_and_is_named() {
    let dir = folder(false);
    let (code, items) = deadlines(dir.path(), "2026-09-16");
    assert!(
        items.iter().all(|d| !d["forsenat"].as_bool().unwrap()),
        "{items:?}"
    );
    assert_eq!(code, Some(0));
    let dir = folder(true);
    let output = lexsarah(
        dir.path(),
        &["deadlines", "arenden", "--date", "2027-01-10"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("trasig.yaml"),
        "{}",
        stderr(&output)
    );
    let table = stdout(&output);
    assert!(table.starts_with("Frister per 2027-01-10:"), "{table}");
    assert!(table.contains("FÖRSENAT"), "{table}");
    let wrong = lexsarah(
        dir.path(),
        &["deadlines", "arenden", "--date", "2027-13-45"],
    );
    assert_eq!(wrong.status.code(), Some(2));
}
