//! Long words made breakable before the templates see them: a run of 40 characters or more
//! without a space (a pasted link, a run of one letter) is no Swedish word, so it gets a
//! zero-width space after every 24 characters and may break there rather than run off the page.
//! Shorter words never break.
//!
//! The templates did this with a `show regex` rule over every text of the document; done once
//! on the data, Typst is spared matching a pattern against all text on every layout pass.

use serde_json::Value;
use unicode_segmentation::UnicodeSegmentation;

/// How many characters without a space make a word too long to keep whole.
const LONG: usize = 40;
/// How many characters go between two break opportunities in a long word.
const CHUNK: usize = 24;
/// The zero-width space: a break opportunity that prints nothing.
const ZWSP: &str = "\u{200B}";

/// The keys of a document's data whose values are not printed as text: the PDF's metadata,
/// the signature fields' names, the logo's file name.
pub const NOT_PRINTED: &[&str] = &["meta", "signatures", "logo"];

/// Breaks long words in every printed string of a document's data; `skip` names the keys whose
/// values are not printed as text (metadata, file names, signature field names).
pub fn break_long_words(value: &mut Value, skip: &[&str]) {
    match value {
        Value::String(text) => {
            if let Some(broken) = broken(text) {
                *text = broken;
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| break_long_words(item, skip)),
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if !skip.contains(&key.as_str()) {
                    break_long_words(item, skip);
                }
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The text with its long words broken, or `None` when it has none.
fn broken(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut changed = false;
    let mut rest = text;
    while !rest.is_empty() {
        // Alternate runs of whitespace and of other characters, as `\S{40,}` sees them.
        let space = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        out.push_str(&rest[..space]);
        rest = &rest[space..];
        let word = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (run, after) = rest.split_at(word);
        if run.chars().count() >= LONG {
            changed = true;
            let clusters: Vec<&str> = run.graphemes(true).collect();
            let chunks: Vec<String> = clusters.chunks(CHUNK).map(|c| c.concat()).collect();
            out.push_str(&chunks.join(ZWSP));
        } else {
            out.push_str(run);
        }
        rest = after;
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_runs_of_forty_characters_or_more_are_broken_every_twenty_four() {
        assert_eq!(broken("ett vanligt ord"), None);
        let word39 = "a".repeat(39);
        assert_eq!(broken(&format!("x {word39} y")), None);
        let word50 = "b".repeat(50);
        let expected = format!(
            "x {}{ZWSP}{}{ZWSP}{} y",
            "b".repeat(24),
            "b".repeat(24),
            "bb"
        );
        assert_eq!(broken(&format!("x {word50} y")).unwrap(), expected);
        // Clusters, not code points: a letter with a combining mark stays whole.
        let marked = "e\u{301}".repeat(45);
        let out = broken(&marked).unwrap();
        assert!(out.split(ZWSP).all(|chunk| !chunk.starts_with('\u{301}')));
        assert_eq!(out.split(ZWSP).next().unwrap().graphemes(true).count(), 24);
    }

    #[test]
    fn keys_that_are_not_printed_are_left_alone() {
        let long = "c".repeat(45);
        let mut value = json!({"case": {"text": long, "list": [long]}, "meta": {"title": long}});
        break_long_words(&mut value, &["meta"]);
        assert!(value["case"]["text"].as_str().unwrap().contains(ZWSP));
        assert!(value["case"]["list"][0].as_str().unwrap().contains(ZWSP));
        assert_eq!(value["meta"]["title"], json!(long));
    }
}
