//! Writing a case held as JSON (as the browser form edits it) back to a readable YAML case file.
//!
//! Keys come in the schema's order (the order of the forms), unknown keys after them as they
//! were; text of several lines becomes a block scalar; nothing empty is written. Each line of
//! the result is tied to the field it holds, so that a diagnostic at a line finds its field.

use serde_json::{Map, Value};

use super::schema::CASE_SCHEMA;
use crate::source::structure::{Kind, Node, field_path, follow_refs};

/// A case written as YAML, with the field each line belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The YAML text.
    pub text: String,
    /// For each line (index 0 is line 1), the dotted path of its field ("beslut.datum",
    /// "tjansteskrivelse.undertecknare.0.namn"); empty for the file's top.
    pub fields: Vec<String>,
}

impl Written {
    /// The field written at a 1-based line, if the line exists.
    pub fn field_at(&self, line: u32) -> Option<&str> {
        let index = (line as usize).checked_sub(1)?;
        self.fields.get(index).map(String::as_str)
    }
}

/// Writes a case (a JSON object) as YAML in the case format's key order.
pub fn case_yaml(case: &Value) -> Written {
    yaml_for(case, &CASE_SCHEMA)
}

/// Writes a JSON object as YAML in the key order of `root`, the schema of its kind of file (a
/// case's, a profile's).
pub fn yaml_for(value: &Value, root: &'static Value) -> Written {
    let mut writer = Writer {
        root,
        lines: Vec::new(),
        fields: Vec::new(),
    };
    if let Value::Object(map) = value {
        writer.map(map, Some(root), "", 0);
    }
    let mut text = writer.lines.join("\n");
    text.push('\n');
    Written {
        text,
        fields: writer.fields,
    }
}

/// A YAML tree as JSON, a number kept as the text it was written as where JSON would write it
/// otherwise (`3.10`, `0123`): a code or diarienummer is what was written, not its value.
pub fn as_written(node: &Node, source: &str) -> Value {
    let written = || {
        let line = source
            .lines()
            .nth((node.pos.line as usize).checked_sub(1)?)?;
        let rest: String = line
            .chars()
            .skip((node.pos.column as usize).checked_sub(1)?)
            .collect();
        let end = rest.find([',', ']', '}', '#']).unwrap_or(rest.len());
        Some(rest[..end].trim().to_string())
    };
    let number = |value: Value| {
        let shown = value.to_string();
        match written() {
            // An alias, or a number in a form JSON has none of (0x1F, .inf): its value.
            Some(text) if text.parse::<f64>().is_ok() && text != shown => Value::String(text),
            _ => value,
        }
    };
    match &node.kind {
        Kind::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(key, value)| (key.value.clone(), as_written(value, source)))
                .collect(),
        ),
        Kind::Seq(items) => {
            Value::Array(items.iter().map(|item| as_written(item, source)).collect())
        }
        Kind::Str(text) => Value::String(text.clone()),
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Null => Value::Null,
        Kind::Int(i) => {
            number(i64::try_from(*i).map_or_else(|_| Value::String(i.to_string()), Value::from))
        }
        Kind::Float(f) => {
            number(serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number))
        }
    }
}

struct Writer {
    root: &'static Value,
    lines: Vec<String>,
    fields: Vec<String>,
}

impl Writer {
    fn line(&mut self, text: String, field: &str) {
        self.lines.push(text);
        self.fields.push(field.to_string());
    }

    /// Writes the entries of a mapping at `indent`, known keys in the schema's order first.
    fn map(&mut self, map: &Map<String, Value>, schema: Option<&Value>, path: &str, indent: usize) {
        let properties = schema.and_then(|s| properties(self.root, s));
        let mut keys: Vec<&String> = Vec::new();
        if let Some(properties) = properties {
            keys.extend(properties.keys().filter(|k| map.contains_key(*k)));
        }
        keys.extend(
            map.keys()
                .filter(|k| properties.is_none_or(|p| !p.contains_key(*k))),
        );
        for key in keys {
            let value = &map[key];
            if is_empty(value) {
                continue;
            }
            let child_schema = properties.and_then(|p| p.get(key));
            let field = field_path(path, key);
            let head = format!("{}{}:", " ".repeat(indent), scalar_key(key));
            self.entry(head, value, child_schema, &field, indent);
        }
    }

    /// Writes a value after `head` (a key and colon, or a list dash).
    fn entry(
        &mut self,
        head: String,
        value: &Value,
        schema: Option<&Value>,
        field: &str,
        indent: usize,
    ) {
        match value {
            Value::Object(map) if map.values().all(is_empty) => {
                self.line(format!("{head} {{}}"), field)
            }
            Value::Object(map) => {
                self.line(head, field);
                self.map(
                    map,
                    schema.map(|s| resolve(self.root, s)),
                    field,
                    indent + 2,
                );
            }
            Value::Array(items) => {
                self.line(head, field);
                let item_schema = schema
                    .map(|s| resolve(self.root, s))
                    .and_then(|s| s.get("items"));
                for (index, item) in items.iter().enumerate() {
                    if is_empty(item) {
                        continue;
                    }
                    let item_field = field_path(field, &index.to_string());
                    let dash = format!("{}-", " ".repeat(indent + 2));
                    match item {
                        Value::Object(map) if !map.values().all(is_empty) => {
                            // The first entry shares the dash's line; the rest align under it.
                            let start = self.lines.len();
                            self.map(
                                map,
                                item_schema.map(|s| resolve(self.root, s)),
                                &item_field,
                                indent + 4,
                            );
                            if let Some(first) = self.lines.get_mut(start) {
                                first.replace_range(..indent + 4, &format!("{dash} "));
                            }
                        }
                        _ => self.entry(dash, item, item_schema, &item_field, indent + 2),
                    }
                }
            }
            Value::String(text)
                if text.contains('\n')
                    && !text.trim_end_matches('\n').is_empty()
                    && text.chars().all(in_block) =>
            {
                let body = text.trim_end_matches('\n');
                let trailing = text.len() - body.len();
                let chomp = match trailing {
                    0 => "-",
                    1 => "",
                    _ => "+",
                };
                let pad = " ".repeat(indent + 2);
                // A block whose first written line starts with a space needs its indentation
                // said outright, or the reader takes the space for indentation.
                let first = body.split('\n').find(|line| !line.is_empty());
                let explicit = if first.is_some_and(|l| l.starts_with(' ')) {
                    "2"
                } else {
                    ""
                };
                self.line(format!("{head} |{explicit}{chomp}"), field);
                for line in body.split('\n') {
                    let text = if line.is_empty() {
                        String::new()
                    } else {
                        format!("{pad}{line}")
                    };
                    self.line(text, field);
                }
                for _ in 1..trailing {
                    self.line(String::new(), field);
                }
            }
            scalar => self.line(format!("{head} {}", scalar_text(scalar)), field),
        }
    }
}

/// A scalar as YAML: plain where that reads back as the same string, else double-quoted.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) if is_plain(text) => text.clone(),
        Value::String(text) => quoted(text),
        other => other.to_string(),
    }
}

/// A key as YAML.
fn scalar_key(key: &str) -> String {
    if is_plain(key) {
        key.to_string()
    } else {
        quoted(key)
    }
}

/// A double-quoted YAML string: every character YAML does not print as it is, escaped.
pub fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if in_block(c) => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Whether a string can be written without quotes and read back as the same string.
fn is_plain(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if crate::source::values::Date::has_shape(text) {
        // The case format writes dates plain; they stay strings.
        return true;
    }
    let reserved = matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    let numeric = text.parse::<f64>().is_ok()
        || text.starts_with("0x")
        || text.starts_with("0o")
        || text.starts_with('.');
    !reserved
        && !numeric
        && !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !first.is_whitespace()
        && !text.ends_with(char::is_whitespace)
        && !text.contains(" #")
        && !text.contains('\t')
        && !text.contains(':')
        && text.chars().all(|c| c != '\n' && in_block(c))
}

/// Whether a character may stand as it is in a block of text (else the text is quoted, with
/// escapes): YAML's printable characters, without those some readers take for a line break.
fn in_block(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// Whether a value writes nothing: null, an empty string, or a list or mapping of such.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.iter().all(is_empty),
        Value::Object(_) | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// A schema's properties, after following `$ref` and `anyOf` with null.
fn properties<'a>(root: &'a Value, schema: &'a Value) -> Option<&'a Map<String, Value>> {
    resolve(root, schema)
        .get("properties")
        .and_then(Value::as_object)
}

/// Follows `$ref` into the root schema's `$defs` and picks the non-null branch of `anyOf`.
fn resolve<'a>(root: &'a Value, mut schema: &'a Value) -> &'a Value {
    loop {
        schema = follow_refs(root, schema);
        let branch = schema
            .get("anyOf")
            .and_then(Value::as_array)
            .and_then(|b| b.iter().find(|s| s.get("type") != Some(&"null".into())));
        match branch {
            Some(branch) => schema = branch,
            None => return schema,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read_back(text: &str) -> Value {
        serde_saphyr::from_str(text).expect("the written YAML parses")
    }

    #[test]
    fn keys_follow_the_schema_and_text_of_several_lines_is_a_block() {
        let case = json!({
            "beslut": {"datum": "2026-10-05", "bakgrund": "Första stycket.\n\nAndra: med kolon.\n"},
            "arende": {"rubrik": "Rubrik: med kolon", "diarienummer": "3.2"},
            "profil": "stockholm",
            "version": 1,
            "okand": "kvar"
        });
        let written = case_yaml(&case);
        assert_eq!(read_back(&written.text), case, "{}", written.text);
        let keys: Vec<&str> = written
            .text
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with(' '))
            .map(|l| l.split(':').next().unwrap())
            .collect();
        assert_eq!(keys, ["version", "profil", "arende", "beslut", "okand"]);
        assert!(
            written
                .text
                .contains("  bakgrund: |\n    Första stycket.\n\n    Andra")
        );
        assert!(written.text.contains("diarienummer: \"3.2\""));
        assert!(written.text.contains("datum: 2026-10-05"));
        let line = written
            .text
            .lines()
            .position(|l| l.contains("Andra: med"))
            .unwrap();
        assert_eq!(written.field_at(line as u32 + 1), Some("beslut.bakgrund"));
    }

    #[test]
    fn lists_of_rows_and_awkward_text_read_back_the_same() {
        let case = json!({
            "tjansteskrivelse": {
                "undertecknare": [{"namn": "Anna Exempel", "befattning": "Chef"}, {"namn": "B", "befattning": "- streck"}],
                "forslag_till_beslut": ["Nämnden noterar: informationen", "#hashtag", "true", "  indrag", "tab\tin"],
                "sammanfattning": "  börjar med mellanslag\nslutar utan radbrytning",
                "beskrivning": "två radbrytningar sist\n\n",
                "lagtext": false
            },
            "arende": {"sekretess": true, "diarienummer": 2019}
        });
        let written = case_yaml(&case);
        assert_eq!(read_back(&written.text), case, "{}", written.text);
        let line = written
            .text
            .lines()
            .position(|l| l.contains("befattning: \"- streck\""))
            .unwrap();
        assert_eq!(
            written.field_at(line as u32 + 1),
            Some("tjansteskrivelse.undertecknare.1.befattning")
        );
    }

    #[test]
    fn text_with_characters_a_block_cannot_hold_is_quoted_and_reads_back() {
        for text in [
            "rad ett\nklocka \u{7} två",
            "rad\r\nmed vagnretur",
            "stycke\u{2028}skiljare\nny rad",
            "bom \u{feff} i\nmitten",
            "nel\u{85}\nrad",
            "enkel rad med \u{feff}",
        ] {
            let case = json!({ "beslut": { "bakgrund": text } });
            let written = case_yaml(&case);
            assert_eq!(read_back(&written.text), case, "{}", written.text);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Whatever is typed into the form's fields and lists, what is saved reads back as it.
        #[test]
        fn any_text_typed_reads_back_as_typed(
            one in "\\PC*",
            lines in proptest::collection::vec("\\PC*", 0..4),
            any in proptest::collection::vec(proptest::char::any(), 0..40),
            list in proptest::collection::vec("[ -~åäöÅÄÖ\n\t]*", 0..4),
        ) {
            let any: String = any.into_iter().collect();
            let case = json!({
                "arende": { "rubrik": one, "okand nyckel: #1": any },
                "beslut": { "bakgrund": lines.join("\n"), "beslut": format!("{}\n", lines.join("\n")) },
                "tjansteskrivelse": { "forslag_till_beslut": list },
            });
            let written = case_yaml(&case);
            let back: Value = serde_saphyr::from_str(&written.text)
                .map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{e}\n{}", written.text)))?;
            proptest::prop_assert_eq!(without_empty(back), without_empty(case), "{}", written.text);
        }
    }

    /// A value as saved: empty strings, nulls and empty lists left out, as the writer does.
    fn without_empty(value: Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .filter(|(_, v)| !is_empty(v))
                    .map(|(k, v)| (k, without_empty(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(
                items
                    .into_iter()
                    .filter(|v| !is_empty(v))
                    .map(without_empty)
                    .collect(),
            ),
            other => other,
        }
    }

    #[test]
    fn nothing_empty_is_written_but_an_empty_section_is_kept() {
        let case =
            json!({"version": 1, "beslut": {"datum": "", "bakgrund": null}, "rapport": null});
        assert_eq!(case_yaml(&case).text, "version: 1\nbeslut: {}\n");
    }
}
