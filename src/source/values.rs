//! The scalar values of a case file: dates, times, free text and short codes, each with its place.

use std::fmt;

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use crate::diagnostics::Pos;

/// Marks a deserialization error as an impossible date or time, so that it gets `ogiltigt-datum`.
pub const INVALID_DATE_MARK: &str = "ogiltigt datum: ";

/// A value together with the line and column it was written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value itself.
    pub value: T,
    /// Where in the file the value stands.
    pub pos: Pos,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let at = spanned.referenced;
        Ok(Self {
            value: spanned.value,
            pos: Pos {
                line: u32::try_from(at.line()).unwrap_or(0),
                column: u32::try_from(at.column()).unwrap_or(0),
            },
        })
    }
}

impl<T: Serialize> Serialize for Located<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// A calendar date, written in ISO 8601 (`2019-11-27`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    /// Parses `YYYY-MM-DD`, refusing impossible dates such as 2024-13-45.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if !Self::has_shape(text) {
            return Err(format!(
                "`{text}` är inte ett datum på formen ÅÅÅÅ-MM-DD (till exempel 2019-11-27)"
            ));
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Date)
            .map_err(|_| format!("{text} finns inte i kalendern"))
    }

    /// Whether a text has the form `YYYY-MM-DD`, whether or not the date exists.
    pub fn has_shape(text: &str) -> bool {
        text.len() == 10
            && text.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            })
    }

    /// The Swedish name of the weekday, in lower case (`onsdag`).
    pub fn weekday_sv(self) -> &'static str {
        match self.0.weekday() {
            Weekday::Mon => "måndag",
            Weekday::Tue => "tisdag",
            Weekday::Wed => "onsdag",
            Weekday::Thu => "torsdag",
            Weekday::Fri => "fredag",
            Weekday::Sat => "lördag",
            Weekday::Sun => "söndag",
        }
    }

    /// The date as `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).map_err(|e| de::Error::custom(format!("{INVALID_DATE_MARK}{e}")))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

/// A time of day, written `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Time(pub NaiveTime);

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let trimmed = text.trim();
        let shape_ok = trimmed.len() == 5
            && trimmed.as_bytes()[2] == b':'
            && trimmed
                .char_indices()
                .all(|(i, c)| i == 2 || c.is_ascii_digit());
        let parsed = shape_ok
            .then(|| NaiveTime::parse_from_str(trimmed, "%H:%M").ok())
            .flatten();
        parsed.map(Time).ok_or_else(|| {
            de::Error::custom(format!(
                "{INVALID_DATE_MARK}`{trimmed}` är inget klockslag på formen TT:MM (till exempel 11:11)"
            ))
        })
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.format("%H:%M").to_string())
    }
}

/// A short code or number that is really text (`delegation: 3.10`), taken exactly as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Code(pub String);

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|s| Code(s.trim().to_string()))
    }
}

/// One block of free text: a paragraph or a bullet list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Block {
    /// A paragraph; its lines are kept as line breaks.
    P(Vec<String>),
    /// A bullet list; each item's lines are kept as line breaks.
    Ul(Vec<Vec<String>>),
}

/// Free text: a blank line starts a paragraph, a line starting with `- ` is a bullet item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl Text {
    /// Whether the text has nothing but white space.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// Splits the text into paragraphs and bullet lists; nothing else in it has meaning.
    pub fn blocks(&self) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut lines: Vec<String> = Vec::new();
        let mut items: Vec<Vec<String>> = Vec::new();
        for raw in self.0.lines() {
            let line = raw.trim_end();
            let trimmed = line.trim_start();
            if trimmed.is_empty() {
                flush(&mut blocks, &mut lines, &mut items);
            } else if let Some(item) = trimmed.strip_prefix("- ").or(
                // A lone dash is an empty bullet item, as in "- " with the space trimmed away.
                (trimmed == "-").then_some(""),
            ) {
                if !lines.is_empty() {
                    blocks.push(Block::P(std::mem::take(&mut lines)));
                }
                items.push(vec![item.trim().to_string()]);
            } else if let Some(last) = items.last_mut() {
                last.push(trimmed.to_string());
            } else {
                lines.push(trimmed.to_string());
            }
        }
        flush(&mut blocks, &mut lines, &mut items);
        blocks
    }
}

fn flush(blocks: &mut Vec<Block>, lines: &mut Vec<String>, items: &mut Vec<Vec<String>>) {
    if !items.is_empty() {
        blocks.push(Block::Ul(std::mem::take(items)));
    }
    if !lines.is_empty() {
        blocks.push(Block::P(std::mem::take(lines)));
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // An empty value (`beskrivning:`) is an empty box on the form, not an error.
        Option::<String>::deserialize(deserializer).map(|s| Text(s.unwrap_or_default()))
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.blocks().serialize(serializer)
    }
}

impl<T: JsonSchema> JsonSchema for Located<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<T>()
    }
}

impl JsonSchema for Date {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Datum".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "Datum som ÅÅÅÅ-MM-DD, till exempel 2019-11-27."
        })
    }
}

impl JsonSchema for Time {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Klockslag".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            "description": "Klockslag som TT:MM, till exempel 11:11."
        })
    }
}

impl JsonSchema for Code {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Kod".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // Written unquoted, a code such as 3.10 looks like a number to an editor; both are fine.
        json_schema!({ "type": ["string", "number", "integer"] })
    }
}

impl JsonSchema for Text {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Fritext".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // `x-flerradig` tells a form to give the text a box of several lines.
        json_schema!({ "type": ["string", "null"], "x-flerradig": true })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_line_starts_a_paragraph_and_a_dash_a_bullet() {
        let text = Text("Första\nandra raden\n\n- ett\n- två\n  fortsätter\nEfter".into());
        assert_eq!(
            text.blocks(),
            vec![
                Block::P(vec!["Första".into(), "andra raden".into()]),
                Block::Ul(vec![
                    vec!["ett".into()],
                    vec!["två".into(), "fortsätter".into(), "Efter".into()]
                ]),
            ]
        );
    }

    #[test]
    fn markup_characters_are_only_text() {
        let text = Text("#read(\"/etc/passwd\") *fet* $x$".into());
        assert_eq!(
            text.blocks(),
            vec![Block::P(vec!["#read(\"/etc/passwd\") *fet* $x$".into()])]
        );
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert!(Date::parse("2024-13-45").is_err());
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("19-11-27").is_err());
        assert_eq!(Date::parse("2024-02-29").unwrap().iso(), "2024-02-29");
    }

    #[test]
    fn the_weekday_is_derived_in_swedish() {
        assert_eq!(Date::parse("2019-11-27").unwrap().weekday_sv(), "onsdag");
        assert_eq!(Date::parse("2020-03-20").unwrap().weekday_sv(), "fredag");
    }
}
