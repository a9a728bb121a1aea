//! Finding every structural problem in a file at once, by walking its YAML against the schema.
//!
//! Serde stops at the first problem; a case officer fixing a file wants them all. So the file
//! is first read into a tree of located nodes and checked against the schema generated from
//! the serde types (the same schema editors get), and only a clean tree is deserialized.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{FileKind, ValueKind, nearest};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::source::values::{Date, Located};

/// A YAML node with the place it was written.
#[derive(Debug, Clone)]
pub struct Node {
    /// Where the node starts.
    pub pos: Pos,
    /// What it is.
    pub kind: Kind,
}

/// The kinds of YAML node.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A mapping, keys with their places.
    Map(Vec<(Located<String>, Node)>),
    /// A sequence.
    Seq(Vec<Node>),
    /// Text.
    Str(String),
    /// true or false.
    Bool(bool),
    /// A whole number.
    Int(i128),
    /// A number with decimals.
    Float(f64),
    /// Nothing written.
    Null,
}

impl Node {
    /// The node at a path of keys, if every key is there.
    pub fn at<'k>(&self, path: impl IntoIterator<Item = &'k str>) -> Option<&Node> {
        path.into_iter()
            .try_fold(self, |node, key| match &node.kind {
                Kind::Map(entries) => entries.iter().find(|(k, _)| k.value == key).map(|(_, v)| v),
                _ => None,
            })
    }

    /// The node's text, if it is a string.
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(text) => Some(text),
            _ => None,
        }
    }

    /// The bytes of text the node holds, keys included, counted as often as an alias repeats it.
    pub fn expanded_bytes(&self) -> usize {
        match &self.kind {
            Kind::Map(entries) => entries
                .iter()
                .map(|(key, value)| key.value.len() + value.expanded_bytes())
                .sum(),
            Kind::Seq(items) => items.iter().map(Node::expanded_bytes).sum(),
            Kind::Str(text) => text.len(),
            _ => 8,
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let located = Located::<Kind>::deserialize(deserializer)?;
        Ok(Node {
            pos: located.pos,
            kind: located.value,
        })
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = Kind;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Kind, E> {
        Ok(Kind::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Kind, E> {
        Ok(Kind::Int(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Kind, E> {
        Ok(Kind::Int(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Kind, E> {
        Ok(Kind::Int(v))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Kind, E> {
        Ok(Kind::Int(i128::try_from(v).unwrap_or(i128::MAX)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Kind, E> {
        Ok(Kind::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Kind, E> {
        Ok(Kind::Str(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Kind, E> {
        Ok(Kind::Str(v))
    }

    fn visit_unit<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }

    fn visit_none<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        Kind::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Kind::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = map.next_entry::<Located<KeyText>, Node>()? {
            entries.push((
                Located {
                    value: key.value.0,
                    pos: key.pos,
                },
                value,
            ));
        }
        Ok(Kind::Map(entries))
    }
}

/// A mapping key read as text, whatever scalar it was written as.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Kind::deserialize(deserializer)? {
            Kind::Str(s) => Ok(KeyText(s)),
            Kind::Int(i) => Ok(KeyText(i.to_string())),
            Kind::Bool(b) => Ok(KeyText(b.to_string())),
            Kind::Float(f) => Ok(KeyText(f.to_string())),
            Kind::Null => Ok(KeyText(String::new())),
            Kind::Map(_) | Kind::Seq(_) => Err(de::Error::custom(
                "en nyckel måste vara ett enkelt ord, inte en lista eller ett avsnitt",
            )),
        }
    }
}

/// The dotted path of `key` under the field `path` ("beslut" and "datum" give "beslut.datum");
/// a list's items are keyed by their position from 0 ("undertecknare.1.namn").
pub fn field_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A part of the schema `root`, with its `$ref`s into `root`'s `$defs` followed.
pub fn follow_refs<'a>(root: &'a Value, mut schema: &'a Value) -> &'a Value {
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/$defs/");
        match root.get("$defs").and_then(|d| d.get(name)) {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
}

/// Checks a node tree against a JSON Schema, returning every problem found.
pub fn check_tree(
    node: &Node,
    schema: &Value,
    file: &Path,
    source: &str,
    kind: FileKind,
) -> Vec<Diagnostic> {
    let mut walker = Walker {
        root: schema,
        file,
        source,
        kind,
        found: Vec::new(),
    };
    walker.check(node, schema, "", node.pos);
    walker.found
}

struct Walker<'a> {
    root: &'a Value,
    file: &'a Path,
    source: &'a str,
    kind: FileKind,
    found: Vec<Diagnostic>,
}

impl<'a> Walker<'a> {
    /// Follows `$ref` into `$defs`.
    fn resolve(&self, schema: &'a Value) -> &'a Value {
        follow_refs(self.root, schema)
    }

    fn error(&mut self, pos: Pos, code: Code, message: String, hint: Option<String>) {
        let d = Diagnostic::error(self.file, pos, code, message);
        self.found.push(match hint {
            Some(h) => d.with_hint(h),
            None => d,
        });
    }

    /// Checks `node`, written for the field `path` whose key stands at `key_pos`.
    fn check(&mut self, node: &Node, schema: &'a Value, path: &str, key_pos: Pos) {
        if let Kind::Str(text) = &node.kind
            && let Some(c) = text
                .chars()
                .find(|&c| crate::fonts::is_bidi_control(c) || !crate::fonts::is_printable(c))
        {
            let (what, why, hint) = refused_char(c);
            return self.error(
                node.pos.find_from(self.source, c.encode_utf8(&mut [0; 4])),
                Code::OtillatetTecken,
                format!("{what} i `{}` {why}", self.display(path)),
                Some(hint.into()),
            );
        }
        if let Kind::Str(text) = &node.kind
            && is_placeholder(text)
        {
            return self.error(
                node.pos,
                Code::Platshallare,
                format!("`{}` är inte ifyllt", self.display(path)),
                Some("skriv in uppgiften i stället för platshållaren från `lexsarah new`".into()),
            );
        }
        let schema = self.resolve(schema);
        if let (Kind::Str(text), Some(max)) =
            (&node.kind, schema.get("maxLength").and_then(Value::as_u64))
            && text.chars().count() as u64 > max
        {
            return self.error(
                node.pos,
                Code::ForLangtVarde,
                format!(
                    "`{}` är {} tecken lång, men får vara högst {max} tecken",
                    self.display(path),
                    text.chars().count()
                ),
                Some("korta texten; den står i sidhuvud, filnamn och PDF:ens egenskaper".into()),
            );
        }
        // A date, a time or a code (a diarienummer, a number kept as text) is read as written:
        // an invisible mark in it would print it in another order, or make it another value.
        let exact = schema.get("format").is_some()
            || schema.get("pattern").is_some()
            || type_names(schema).contains(&"number");
        if let Kind::Str(text) = &node.kind
            && exact
            && let Some(c) = text.chars().find(|&c| crate::fonts::is_invisible_format(c))
        {
            return self.error(
                node.pos.find_from(self.source, c.encode_utf8(&mut [0; 4])),
                Code::OtillatetTecken,
                format!(
                    "`{}` har det osynliga tecknet U+{:04X}, som inte får stå i ett datum, ett klockslag eller en kod",
                    self.display(path),
                    c as u32
                ),
                Some("skriv värdet på nytt utan att klistra in det; tecknet följer ofta med text från en webbsida".into()),
            );
        }
        let branches = schema.get("anyOf").or(schema.get("oneOf"));
        if let Some(branches) = branches.and_then(Value::as_array) {
            return self.check_alternatives(node, branches, path, key_pos);
        }
        let types = type_names(schema);
        match &node.kind {
            Kind::Null if types.contains(&"null") => {}
            Kind::Null => self.error(
                node.pos,
                Code::SaknatFalt,
                format!("`{}` saknar värde", self.display(path)),
                Some("skriv ett värde efter kolonet".into()),
            ),
            Kind::Map(entries) if types.contains(&"object") => {
                self.check_object(node, entries, schema, path, key_pos)
            }
            Kind::Seq(items) if types.contains(&"array") => {
                if let Some(item_schema) = schema.get("items") {
                    for (index, item) in items.iter().enumerate() {
                        let field = field_path(path, &index.to_string());
                        self.check(item, item_schema, &field, item.pos);
                    }
                }
            }
            kind => self.check_scalar(node, kind, schema, &types, path),
        }
    }

    fn check_alternatives(&mut self, node: &Node, branches: &'a [Value], path: &str, key_pos: Pos) {
        let branches: Vec<&Value> = branches.iter().map(|b| self.resolve(b)).collect();
        let allowed: Vec<&str> = branches
            .iter()
            .filter_map(|b| b.get("const").and_then(Value::as_str))
            .collect();
        if !allowed.is_empty() && allowed.len() == branches.len() {
            match scalar_text(&node.kind) {
                Some(text) if allowed.contains(&text.as_str()) => {}
                Some(text) => self.error(
                    node.pos,
                    Code::OgiltigtVarde,
                    format!(
                        "`{text}` är inte ett tillåtet värde för `{}`",
                        self.display(path)
                    ),
                    Some(format!("tillåtna värden: {}", allowed.join(", "))),
                ),
                None => self.error(
                    node.pos,
                    Code::FelTyp,
                    format!(
                        "`{}` ska vara ett av orden {}",
                        self.display(path),
                        allowed.join(", ")
                    ),
                    None,
                ),
            }
            return;
        }
        let is_null = |b: &&Value| type_names(b) == ["null"];
        if matches!(node.kind, Kind::Null) && branches.iter().any(is_null) {
            return;
        }
        let real: Vec<&Value> = branches.iter().copied().filter(|b| !is_null(b)).collect();
        if let Some(first) = real.first() {
            self.check(node, first, path, key_pos);
        }
    }

    fn check_object(
        &mut self,
        node: &Node,
        entries: &[(Located<String>, Node)],
        schema: &'a Value,
        path: &str,
        key_pos: Pos,
    ) {
        static EMPTY: std::sync::LazyLock<serde_json::Map<String, Value>> =
            std::sync::LazyLock::new(serde_json::Map::new);
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        let known: Vec<&str> = properties.keys().map(String::as_str).collect();
        for (key, value) in entries {
            let child = field_path(path, &key.value);
            match properties.get(&key.value) {
                Some(property) => self.check(value, property, &child, key.pos),
                None if closed => {
                    let hint = match nearest(&key.value, &known) {
                        Some(near) => format!("menade du `{near}`?"),
                        None => format!("kända nycklar här: {}", known.join(", ")),
                    };
                    self.error(
                        key.pos,
                        Code::OkandNyckel,
                        format!("okänd nyckel `{}`", key.value),
                        Some(hint),
                    );
                }
                None => {}
            }
        }
        let required = schema.get("required").and_then(Value::as_array);
        for field in required.into_iter().flatten().filter_map(Value::as_str) {
            if !entries.iter().any(|(k, _)| k.value == field) {
                let place = if path.is_empty() { node.pos } else { key_pos };
                let within = if path.is_empty() {
                    self.kind.name().to_string()
                } else {
                    format!("avsnittet `{}`", self.display(path))
                };
                self.found.push(
                    Diagnostic::error(
                        self.file,
                        place,
                        Code::SaknatFalt,
                        format!("{within} saknar fältet `{field}`"),
                    )
                    .with_hint(format!("lägg till `{field}:` med ett värde"))
                    .at_field(&field_path(path, field)),
                );
            }
        }
    }

    fn check_scalar(
        &mut self,
        node: &Node,
        kind: &Kind,
        schema: &Value,
        types: &[&str],
        path: &str,
    ) {
        let fits = match kind {
            Kind::Str(_) | Kind::Float(_) => types.contains(&"string") || types.contains(&"number"),
            Kind::Int(_) => {
                types.contains(&"string") || types.contains(&"number") || types.contains(&"integer")
            }
            Kind::Bool(_) => types.contains(&"string") || types.contains(&"boolean"),
            _ => false,
        };
        if !fits {
            self.error(
                node.pos,
                Code::FelTyp,
                format!(
                    "här står {}, men `{}` ska vara {}",
                    describe(kind),
                    self.display(path),
                    expected(types)
                ),
                None,
            );
            return;
        }
        if let Kind::Int(i) = kind
            && let Some(min) = schema.get("minimum").and_then(Value::as_i64)
            && *i < i128::from(min)
        {
            self.error(
                node.pos,
                Code::FelTyp,
                format!("`{}` kan inte vara negativt", self.display(path)),
                None,
            );
        }
        let Some(text) = scalar_text(kind) else {
            return;
        };
        if schema.get("format").and_then(Value::as_str) == Some("date") {
            if let Err(message) = Date::parse(&text) {
                self.error(
                    node.pos,
                    Code::OgiltigtDatum,
                    message,
                    Some("skriv datum som ÅÅÅÅ-MM-DD".into()),
                );
            }
        } else if let Some(pattern) = schema.get("pattern").and_then(Value::as_str)
            && let Ok(regex) = crate::source::pattern::compiled(pattern)
            && !regex.is_match(&text)
        {
            // Only dates and times carry a pattern in the case schema.
            self.error(
                node.pos,
                Code::OgiltigtDatum,
                format!("`{text}` är inget klockslag på formen TT:MM"),
                Some("skriv klockslag som TT:MM, till exempel 09:05".into()),
            );
        }
    }
}

/// How a refused character is named, why it is refused, and what to do about it.
fn refused_char(c: char) -> (String, &'static str, &'static str) {
    let code = c as u32;
    if crate::fonts::is_bidi_control(c) {
        (
            format!("tecknet U+{code:04X} (en osynlig riktningsstyrning)"),
            "kan få texten att visas i en annan ordning än den står i filen",
            "ta bort tecknet; det kommer ofta med text som klistrats in från en webbsida eller ett e-postmeddelande",
        )
    } else if c.is_control() {
        (
            format!("styrtecknet U+{code:04X}"),
            "går inte att skriva i en PDF/A-handling",
            "ta bort det; ett styrtecken syns inte men följer ibland med inklistrad text",
        )
    } else {
        (
            format!("tecknet `{c}` (U+{code:04X})"),
            "går inte att skriva i en PDF/A-handling",
            "skriv det med ord eller ta bort det; typsnittet har inte tecknet, och arkivformatet tillåter inte tecken utan bild",
        )
    }
}

/// Whether a text is one of the placeholders `lexsarah new` writes, still unfilled.
pub fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    text.starts_with("<fyll i") || text.starts_with("<välj") || text == "ÅÅÅÅ-MM-DD"
}

/// The schema's `type`, as a list.
fn type_names(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A scalar's text as written, for comparing with allowed values.
fn scalar_text(kind: &Kind) -> Option<String> {
    match kind {
        Kind::Str(s) => Some(s.clone()),
        Kind::Bool(b) => Some(b.to_string()),
        Kind::Int(i) => Some(i.to_string()),
        Kind::Float(f) => Some(f.to_string()),
        _ => None,
    }
}

impl Walker<'_> {
    /// A field's path for messages, without the positions of list items
    /// ("undertecknare.namn"); the file itself by its kind ("ärendefilen", "profilfilen").
    fn display<'p>(&self, path: &'p str) -> Cow<'p, str> {
        let is_position = |part: &str| part.parse::<usize>().is_ok();
        if path.is_empty() {
            self.kind.name().into()
        } else if path.split('.').any(is_position) {
            let parts: Vec<&str> = path.split('.').filter(|p| !is_position(p)).collect();
            parts.join(".").into()
        } else {
            path.into()
        }
    }
}

/// Says in Swedish what a node is, with its value where that helps.
fn describe(kind: &Kind) -> String {
    match kind {
        Kind::Map(_) => ValueKind::Map.found().into(),
        Kind::Seq(_) => ValueKind::List.found().into(),
        Kind::Str(s) => format!("{} `{s}`", ValueKind::Text.found()),
        Kind::Bool(b) => format!("`{b}`"),
        Kind::Int(i) => format!("{} {i}", ValueKind::Integer.found()),
        Kind::Float(f) => format!("{} {f}", ValueKind::Number.found()),
        Kind::Null => ValueKind::Nothing.found().into(),
    }
}

/// What a schema's types ask for, in Swedish.
fn expected(types: &[&str]) -> &'static str {
    let kind = if types.contains(&"object") {
        ValueKind::Map
    } else if types.contains(&"array") {
        ValueKind::List
    } else if types.contains(&"boolean") {
        ValueKind::Bool
    } else if types.contains(&"integer") {
        ValueKind::Integer
    } else {
        ValueKind::Text
    };
    kind.expected()
}
