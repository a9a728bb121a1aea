//! Changes to the lines of a case file, as the property tests and the fuzz targets make them.
//!
//! One helper for both, so that what "a mutated case" means is written once.

/// One change to one line; a line number is taken modulo the number of lines.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Replace the value after the line's first `: ` with the text as written.
    Value(usize, String),
    /// Replace the value after the line's first `: ` with the text, quoted.
    Quoted(usize, String),
    /// Add text at the end of the line.
    Append(usize, String),
    /// Insert a new line before it.
    Insert(usize, String),
    /// Remove the line.
    Remove(usize),
    /// Repeat the line up to seven more times.
    Repeat(usize, u8),
    /// Cut the line after this many characters.
    Truncate(usize, usize),
}

/// Applies the edits to a case's text in turn, and returns the changed text.
pub fn mutate(seed: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = seed.lines().map(str::to_string).collect();
    for edit in edits {
        if lines.is_empty() {
            break;
        }
        let len = lines.len();
        match edit {
            Edit::Value(i, text) => replace_value(&mut lines[i % len], text),
            Edit::Quoted(i, text) => {
                let quoted = serde_json::to_string(text).unwrap_or_default();
                replace_value(&mut lines[i % len], &quoted);
            }
            Edit::Append(i, text) => lines[i % len].push_str(text),
            Edit::Insert(i, text) => lines.insert(i % len, text.clone()),
            Edit::Remove(i) => {
                lines.remove(i % len);
            }
            Edit::Repeat(i, n) => {
                let line = lines[i % len].clone();
                for _ in 0..n % 8 {
                    lines.insert(i % len, line.clone());
                }
            }
            Edit::Truncate(i, chars) => {
                let line = &mut lines[i % len];
                let cut = line
                    .char_indices()
                    .map(|(b, _)| b)
                    .nth(chars % (line.chars().count() + 1))
                    .unwrap_or(line.len());
                line.truncate(cut);
            }
        }
    }
    lines.join("\n")
}

/// Replaces what follows the first `: ` of a line.
fn replace_value(line: &mut String, value: &str) {
    if let Some(colon) = line.find(": ") {
        line.truncate(colon + 2);
        line.push_str(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_edit_changes_its_line() {
        let seed = "a: 1\nb: 2";
        assert_eq!(
            mutate(seed, &[Edit::Quoted(1, "x#".into())]),
            "a: 1\nb: \"x#\""
        );
        assert_eq!(mutate(seed, &[Edit::Value(2, "z".into())]), "a: z\nb: 2");
        assert_eq!(
            mutate(seed, &[Edit::Remove(0), Edit::Append(0, "!".into())]),
            "b: 2!"
        );
        assert_eq!(
            mutate(seed, &[Edit::Repeat(0, 2)]),
            "a: 1\na: 1\na: 1\nb: 2"
        );
        assert_eq!(mutate(seed, &[Edit::Truncate(0, 2)]), "a:\nb: 2");
    }
}
