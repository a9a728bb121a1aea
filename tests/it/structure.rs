//! Every structural problem at once, the JSON Schema for editors, the skeleton of a new case,
//! and loading that never panics whatever the input.

use std::path::PathBuf;

use lexsarah::case::mutate::{Edit, mutate};
use lexsarah::case::{self, SourceFile};
use lexsarah::check::CheckSettings;
use proptest::prelude::*;

use crate::common::*;

fn codes_and_lines(found: &[serde_json::Value]) -> Vec<(String, u64)> {
    found
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_structural_problem_in_a_file_is_reported_with_its_line() {
    let yaml = "version: 1
profil: stockholm
arende:
  diarienummer: \"AMN 1\"
  rubik: Test
  lag: SOL
beslut:
  datum: 2024-13-45
  bakgrund: text
  bedomning: [a, b]
  beslut: ok
  utfall: missforhalande
  delegation: 3.10
  beslutsfattare:
    namn: Anna Andersson
";
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), "fall.yaml", yaml);
    let output = lexsarah(
        dir.path(),
        &["check", "fall.yaml", "--diagnostic-format", "json"],
    );
    assert_eq!(output.status.code(), Some(1));
    let found: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let expected: Vec<(String, u64)> = [
        ("saknat-falt", 3),     // arende lacks rubrik
        ("okand-nyckel", 5),    // rubik
        ("ogiltigt-varde", 6),  // SOL
        ("ogiltigt-datum", 8),  // 2024-13-45
        ("fel-typ", 10),        // a list for a text
        ("ogiltigt-varde", 12), // missforhalande
        ("saknat-falt", 14),    // beslutsfattare lacks befattning
    ]
    .into_iter()
    .map(|(c, l)| (c.to_string(), l))
    .collect();
    assert_eq!(codes_and_lines(&found), expected, "{found:#?}");
    let hints: Vec<&str> = found.iter().filter_map(|d| d["hint"].as_str()).collect();
    assert!(hints.contains(&"menade du `rubrik`?"), "{hints:?}");
    assert!(hints.iter().any(|h| h.contains("SoL, LSS")), "{hints:?}");
}

#[test]
fn the_schema_is_draft_2020_12_and_describes_every_field_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let output = lexsarah(dir.path(), &["schema"]);
    assert!(output.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let mut missing = Vec::new();
    let mut objects = vec![("", &schema)];
    objects.extend(
        schema["$defs"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.as_str(), v)),
    );
    for (name, object) in objects {
        for (field, property) in object["properties"].as_object().into_iter().flatten() {
            if property
                .get("description")
                .and_then(|d| d.as_str())
                .is_none_or(str::is_empty)
            {
                missing.push(format!("{name}.{field}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "fields without a description: {missing:?}"
    );
    let rubrik = &schema["$defs"]["Arende"]["properties"]["rubrik"]["description"];
    assert_eq!(rubrik, "Ärendets korta rubrik.");
}

#[test]
fn the_schema_in_the_repository_is_the_one_the_tool_prints() {
    let dir = tempfile::tempdir().unwrap();
    let printed = stdout(&lexsarah(dir.path(), &["schema"]));
    let stored = std::fs::read_to_string(root().join("schema/case.schema.json")).unwrap();
    assert!(
        printed == stored,
        "schema/case.schema.json is stale: run `cargo run -- schema > schema/case.schema.json`"
    );
}

#[test]
fn a_new_case_is_refused_until_its_placeholders_are_filled_and_then_passes() {
    let dir = tempfile::tempdir().unwrap();
    let output = lexsarah(dir.path(), &["new", "--profile", "mjolby"]);
    assert!(output.status.success());
    let skeleton = stdout(&output);
    assert!(skeleton.contains("profil: mjolby"), "{skeleton}");
    write_case(dir.path(), "ny.yaml", &skeleton);
    let unfilled = lexsarah(
        dir.path(),
        &["check", "ny.yaml", "--diagnostic-format", "json"],
    );
    assert_eq!(unfilled.status.code(), Some(1));
    let found: Vec<serde_json::Value> = serde_json::from_slice(&unfilled.stdout).unwrap();
    assert!(
        found.iter().all(|d| d["code"] == "platshallare"),
        "{found:#?}"
    );
    assert!(
        found.len() > 30,
        "every placeholder is reported: {}",
        found.len()
    );

    // Fill the placeholders as a case officer would: dates in the order of the process.
    let mut day = 0;
    let mut filled = String::new();
    for line in skeleton.lines() {
        let mut line = line.to_string();
        if !line.trim_start().starts_with('#') && line.contains("ÅÅÅÅ-MM-DD") {
            day += 1;
            line = line.replace("ÅÅÅÅ-MM-DD", &format!("2024-02-{day:02}"));
        }
        filled.push_str(&line);
        filled.push('\n');
    }
    let choices = regex::Regex::new(r#""<välj: ([a-z_]+)[^"]*>""#).unwrap();
    let filled = choices.replace_all(&filled, "$1");
    let texts = regex::Regex::new(r#"<fyll i[^>]*>"#).unwrap();
    let filled = texts.replace_all(&filled, "Ifylld uppgift");
    write_case(dir.path(), "ny.yaml", &filled);
    let checked = lexsarah(dir.path(), &["check", "ny.yaml", "--strict"]);
    assert!(checked.status.success(), "{}\n{filled}", stderr(&checked));
    let rendered = lexsarah(dir.path(), &["render", "ny.yaml"]);
    assert!(rendered.status.success(), "{}", stderr(&rendered));
}

#[test]
fn an_alias_bomb_and_deep_nesting_are_refused_quickly_and_clearly() {
    let mut bomb = String::from(
        "version: 1\nprofil: stockholm\narende:\n  rubrik: &a [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let previous = if i == 0 {
            "a".to_string()
        } else {
            ["b", "c", "d", "e", "f", "g", "h"][i - 1].to_string()
        };
        bomb.push_str(&format!(
            "  x{name}: &{name} [{}]\n",
            vec![format!("*{previous}"); 10].join(", ")
        ));
    }
    let deep = format!(
        "version: 1\narende: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    for (name, yaml) in [("bomb.yaml", bomb), ("djup.yaml", deep)] {
        let dir = tempfile::tempdir().unwrap();
        write_case(dir.path(), name, &yaml);
        let started = std::time::Instant::now();
        let output = lexsarah(dir.path(), &["check", name]);
        assert!(
            started.elapsed().as_secs() < 20,
            "{name} took {:?}",
            started.elapsed()
        );
        assert_eq!(output.status.code(), Some(1), "{name}: {}", stderr(&output));
        let err = stderr(&output);
        assert!(
            err.contains("fel[yaml-syntax]") || err.contains("fel[okand-nyckel]"),
            "{name}: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stor.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(lexsarah::source::MAX_FILE_BYTES + 1).unwrap();
    let output = lexsarah(
        dir.path(),
        &["check", "stor.yaml", "--diagnostic-format", "json"],
    );
    assert_eq!(output.status.code(), Some(1));
    let found: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(found[0]["code"], "for-stor-fil");
    assert!(found[0].get("line").is_none());
    // One byte over is said as it is, not rounded up to the next megabyte.
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("10 MB och 1 byte, större än gränsen 10 MB"),
        "{found:?}"
    );
}

/// Loads and checks text as `check` would, returning whether it passed.
fn load_and_check(text: String) -> bool {
    let source = SourceFile {
        path: PathBuf::from("prop.yaml"),
        text,
    };
    let Ok(loaded) = case::parse_case(source) else {
        return false;
    };
    let Ok(profile) = lexsarah::profile::resolve(
        "stockholm",
        std::path::Path::new("."),
        std::path::Path::new("prop.yaml"),
        lexsarah::diagnostics::Pos::UNKNOWN,
        &lexsarah::profile::AllowedPaths::default(),
        true,
    ) else {
        return false;
    };
    let today = CheckSettings::new().today;
    let found = case::rules::check(
        &loaded.case,
        &profile.profile,
        &loaded.source.path,
        &loaded.source.text,
        today,
    );
    !found.iter().any(|d| d.is_error())
}

/// The valid examples, as mutation seeds.
fn seeds() -> Vec<String> {
    [
        "mjolby-borttappade-handlingar.yaml",
        "stockholm-stockholmsjobb.yaml",
    ]
    .iter()
    .map(|n| std::fs::read_to_string(example(n)).unwrap())
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics_the_loader(text in ".{0,400}") {
        load_and_check(text);
    }

    #[test]
    fn arbitrary_yaml_shapes_never_panic_the_loader(
        lines in prop::collection::vec("( {0,4})([a-z_]{1,12}|-)(: ?)([a-zA-Z0-9 :#\\[\\]{}&*!|>'\"-]{0,20})", 0..30)
    ) {
        load_and_check(lines.join("\n"));
    }

    #[test]
    fn mutated_valid_cases_never_panic_the_loader_or_the_rules(
        seed in 0usize..2,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, "[a-z0-9 :\\-\\[\\]\"#]{0,12}"), 1..8)
    ) {
        let edits: Vec<Edit> = edits
            .into_iter()
            .map(|(at, kind, text)| {
                let i = at.index(usize::MAX);
                match kind {
                    0 => Edit::Remove(i),
                    1 => Edit::Append(i, text),
                    2 => Edit::Insert(i, text),
                    _ => Edit::Truncate(i, text.len()),
                }
            })
            .collect();
        load_and_check(mutate(&seeds()[seed], &edits));
    }
}

#[test]
fn help_and_usage_errors_are_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--help"][..],
        &["render", "--help"],
        &["batch", "-h"],
        &["check", "--help"],
    ] {
        let output = lexsarah(dir.path(), args);
        assert!(output.status.success(), "{args:?}");
        let help = stdout(&output);
        for english in [
            "Usage",
            "Options",
            "Commands",
            "Arguments",
            "Possible values",
            "Print help",
            "default:",
        ] {
            assert!(!help.contains(english), "{args:?}: {english} in {help}");
        }
        assert!(help.contains("Användning:"), "{help}");
    }
    let wrong = lexsarah(dir.path(), &["render", "--dok", "x"]);
    assert_eq!(wrong.status.code(), Some(2));
    let err = stderr(&wrong);
    assert!(
        err.contains("okänt argument '--dok'") && err.contains("'--doc'"),
        "{err}"
    );
    assert!(
        !err.contains("unexpected") && !err.contains("found"),
        "{err}"
    );
}

/// Every field of the case schema as a path of keys, lists passed through.
fn schema_paths(
    node: &serde_json::Value,
    defs: &serde_json::Value,
    path: Vec<String>,
    out: &mut Vec<Vec<String>>,
) {
    let node = match node.get("$ref").and_then(|r| r.as_str()) {
        Some(r) => &defs[r.rsplit('/').next().unwrap()],
        None => node,
    };
    for key in ["anyOf", "oneOf"] {
        for branch in node[key].as_array().into_iter().flatten() {
            schema_paths(branch, defs, path.clone(), out);
        }
    }
    if let Some(items) = node.get("items") {
        schema_paths(items, defs, path.clone(), out);
    }
    for (name, sub) in node["properties"].as_object().into_iter().flatten() {
        let mut here = path.clone();
        here.push(name.clone());
        out.push(here.clone());
        schema_paths(sub, defs, here, out);
    }
}

#[test]
fn lexsarah_new_writes_every_field_of_the_schema_in_its_section() {
    let dir = tempfile::tempdir().unwrap();
    let skeleton = stdout(&lexsarah(dir.path(), &["new"]));
    let schema: serde_json::Value =
        serde_json::from_str(&stdout(&lexsarah(dir.path(), &["schema"]))).unwrap();
    let mut paths = Vec::new();
    schema_paths(&schema, &schema["$defs"], Vec::new(), &mut paths);
    assert!(paths.len() > 100, "{}", paths.len());
    // The lines of each top-level section, from its key (written or commented) to the next.
    let section = |name: &str| -> String {
        let mut lines = skeleton.lines().skip_while(|l| {
            let l = l.trim_start_matches("# ");
            !l.starts_with(&format!("{name}:"))
        });
        let first = lines.next().unwrap_or_else(|| panic!("no section {name}"));
        let indented = |l: &&str| l.starts_with(' ') || l.starts_with("#  ") || l.is_empty();
        std::iter::once(first)
            .chain(lines.take_while(indented))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for path in &paths {
        let text = if path.len() == 1 {
            skeleton.clone()
        } else {
            section(&path[0])
        };
        let key = format!("{}:", path.last().unwrap());
        assert!(
            text.lines().any(|l| l
                .trim_start()
                .trim_start_matches(['#', ' ', '-'])
                .starts_with(&key)),
            "`lexsarah new` leaves out {}",
            path.join(".")
        );
    }
}

#[test]
fn profiles_show_names_every_setting_set_or_commented() {
    let dir = tempfile::tempdir().unwrap();
    let schema = &*lexsarah::profile::schema::PROFILE_SCHEMA;
    let keys: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
    assert!(keys.len() > 20, "{keys:?}");
    for name in ["stockholm", "mjolby"] {
        let text = stdout(&lexsarah(dir.path(), &["profiles", "show", name]));
        for key in &keys {
            assert!(
                text.lines()
                    .any(|l| l.trim_start_matches("# ").starts_with(&format!("{key}:"))),
                "`profiles show {name}` says nothing of {key}"
            );
        }
    }
}
