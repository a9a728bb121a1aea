//! The patterns looked for in folded text (`fold::Folded::text`): personnummer, names, contact
//! details, exact dates. Each returns byte ranges in the folded text.

use std::sync::LazyLock;

use regex::Regex;

/// A byte range in the folded text.
type Range = (usize, usize);

/// Personnummer and samordningsnummer with a valid check digit, however the digits are grouped:
/// digit groups joined by a space, a dash, a plus, a dot or a slash (with spaces around it) are
/// read together, and a run of 10 digits (`YYMMDDNNNN`) or 12 (`YYYYMMDDNNNN`) that starts and
/// ends at a group's edge is a candidate; letters before or after do not hide it.
pub fn personnummer(text: &str) -> Vec<Range> {
    let groups = digit_groups(text);
    let mut found: Vec<Range> = Vec::new();
    let mut chain_start = 0;
    for end in 1..=groups.len() {
        let joined = end < groups.len() && is_joint(&text[groups[end - 1].1..groups[end].0]);
        if joined {
            continue;
        }
        let chain = &groups[chain_start..end];
        for first in 0..chain.len() {
            let mut digits = String::new();
            for last in first..chain.len() {
                digits.push_str(&text[chain[last].0..chain[last].1]);
                if digits.len() > 12 {
                    break;
                }
                let range = (chain[first].0, chain[last].1);
                let overlaps = found.iter().any(|f| f.0 < range.1 && range.0 < f.1);
                if matches!(digits.len(), 10 | 12) && is_personnummer(&digits) && !overlaps {
                    found.push(range);
                }
            }
        }
        chain_start = end;
    }
    found
}

/// The runs of ASCII digits in a text.
fn digit_groups(text: &str) -> Vec<Range> {
    let bytes = text.as_bytes();
    let mut groups = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            groups.push((start, i));
        } else {
            i += 1;
        }
    }
    groups
}

/// Whether the text between two digit groups joins them into one number: one space, or one of
/// `-+./` with a space on either side at most.
fn is_joint(between: &str) -> bool {
    let trimmed = between.trim_matches(' ');
    let spaces = between.len() - trimmed.len();
    match trimmed {
        "" => spaces == 1,
        "-" | "+" | "." | "/" => spaces <= 2,
        _ => false,
    }
}

/// Whether 10 or 12 digits are a personnummer or samordningsnummer: a century of 18, 19 or 20
/// for 12, a possible birth date, and the Luhn check digit over the last ten.
fn is_personnummer(digits: &str) -> bool {
    let digits: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() == 12 && !matches!(digits[0] * 10 + digits[1], 18..=20) {
        return false;
    }
    let ten = &digits[digits.len() - 10..];
    luhn_valid(ten) && plausible_date(&ten[..6])
}

/// Whether the digits pass the Luhn check used by Swedish personnummer.
fn luhn_valid(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                let twice = d * 2;
                twice / 10 + twice % 10
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Whether YYMMDD could be a birth date (samordningsnummer add 60 to the day).
fn plausible_date(yymmdd: &[u32]) -> bool {
    let month = yymmdd[2] * 10 + yymmdd[3];
    let day = yymmdd[4] * 10 + yymmdd[5];
    let day = if day > 60 { day - 60 } else { day };
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// Where a person's full name or surname stands in a text, as whole words, in any case, also
/// in the genitive ("Sjöbergs"); both are folded.
pub fn name_in(text: &str, name: &str) -> Option<Range> {
    let full = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let surname = name
        .split_whitespace()
        .last()
        .filter(|s| s.chars().count() > 1);
    [Some(full.as_str()), surname]
        .into_iter()
        .flatten()
        .find_map(|part| whole_word(text, part))
}

/// The first place `word` stands in `text` as a whole word, in any case, with an optional
/// genitive s: what `(?i)\bword s?\b` finds, without compiling a pattern for every name.
fn whole_word(text: &str, word: &str) -> Option<Range> {
    let needle: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return None;
    }
    // The text in lowercase, each character with the byte where its original begins.
    let hay: Vec<(usize, char)> = text
        .char_indices()
        .flat_map(|(i, c)| c.to_lowercase().map(move |l| (i, l)))
        .collect();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let at = |i: usize| hay.get(i).map(|(_, c)| *c);
    (0..hay.len().saturating_sub(needle.len() - 1)).find_map(|start| {
        let same = hay[start..start + needle.len()]
            .iter()
            .map(|(_, c)| *c)
            .eq(needle.iter().copied());
        if !same || start.checked_sub(1).and_then(at).is_some_and(is_word) {
            return None;
        }
        let mut end = start + needle.len();
        if at(end) == Some('s') && !at(end + 1).is_some_and(is_word) {
            end += 1;
        } else if at(end).is_some_and(is_word) {
            return None;
        }
        let to = hay.get(end).map_or(text.len(), |(i, _)| *i);
        Some((hay[start].0, to))
    })
}

/// E-mail addresses and telephone numbers, with any of ` -./()` between the digits.
pub fn contact_details(text: &str) -> Vec<Range> {
    static EMAIL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+").expect("a valid pattern"));
    static PHONE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:\+46|\b0)[\d \-./()]{5,}\d\b").expect("a valid pattern"));
    let phones = PHONE.find_iter(text).filter(|m| {
        let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
        (7..=13).contains(&digits)
    });
    EMAIL
        .find_iter(text)
        .chain(phones)
        .map(|m| (m.start(), m.end()))
        .collect()
}

/// Exact dates in any of the forms people write them: "5 oktober", "5:e okt.", "den fjortonde
/// september", "2026-10-05", "20261005", "26-10-05", "5.10.2026", "5/10", "den 5:e".
pub fn exact_dates(text: &str) -> Vec<Range> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        let months =
            "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december";
        let short = "jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec";
        let ordinals = "första|andra|tredje|fjärde|femte|sjätte|sjunde|åttonde|nionde|tionde|elfte|tolfte|trettonde|fjortonde|femtonde|sextonde|sjuttonde|artonde|nittonde|tjugonde|tjugo(?:första|andra|tredje|fjärde|femte|sjätte|sjunde|åttonde|nionde)|trettionde|trettioförsta";
        let month_day = r"(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12]\d|3[01])";
        [
            format!(r"(?i)\b\d{{1,2}}(?::[ea])?\s+(?:(?:{months})\b|(?:{short})\b\.?)"),
            format!(r"(?i)\b(?:{ordinals})\s+(?:(?:{months})\b|(?:{short})\b\.?)"),
            r"\b\d{4}[-./]\d{1,2}[-./]\d{1,2}\b".to_string(),
            format!(r"\b(?:19|20)\d{{2}}{}\b", month_day.replace("-?", "")),
            format!(r"\b\d{{2}}-{}\b", month_day.replace("-?", "-")),
            r"\b\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\b".to_string(),
            r"\b\d{1,2}/\d{1,2}\b".to_string(),
            r"(?i)\bden\s+\d{1,2}:[ea]\b".to_string(),
        ]
        .iter()
        .map(|p| Regex::new(p).expect("a valid pattern"))
        .collect()
    });
    let mut spans: Vec<Range> = PATTERNS
        .iter()
        .flat_map(|p| p.find_iter(text).map(|m| (m.start(), m.end())))
        .collect();
    spans.sort();
    // Overlapping matches ("den 5:e" and "5:e okt.") are one date.
    let mut merged: Vec<Range> = Vec::new();
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start < last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// Capitalised words that do not begin a sentence, are no abbreviation (IVO) and are not
/// allowed: each one might be the name of a person the case file does not name.
pub fn name_like_words<'t>(text: &'t str, allowed: &[String]) -> Vec<&'t str> {
    static WORD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b\p{Lu}[\p{L}\-]*\b").expect("a valid pattern"));
    let mut words = Vec::new();
    for m in WORD.find_iter(text) {
        let word = m.as_str();
        let before = text[..m.start()].trim_end();
        let starts_sentence = before.is_empty()
            || before.ends_with(['.', '!', '?', ':', '-', '•', '(', '"', '”'])
            || text[..m.start()].ends_with('\n');
        // "Sarah-utredningen", "IVO-anmälan": a compound is judged by its first part.
        let word_head = word.split('-').next().unwrap_or(word);
        let abbreviation = word_head.chars().all(char::is_uppercase);
        let base = word_head.trim_end_matches('s').to_lowercase();
        let known = allowed
            .iter()
            .any(|a| *a == word_head.to_lowercase() || *a == base);
        if !starts_sentence && !abbreviation && !known && !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

/// Whether a text is a person's name and nothing else: one to six words, each a capitalised
/// word of letters (with `-` or `'` inside), or a lowercase particle such as `af` or `von`.
pub fn is_name_only(text: &str) -> bool {
    const PARTICLES: &[&str] = &[
        "af", "av", "von", "van", "de", "der", "den", "la", "le", "du", "da", "di", "zu",
    ];
    let words: Vec<&str> = text.split_whitespace().collect();
    let named = words.iter().filter(|w| !PARTICLES.contains(w)).count();
    (1..=6).contains(&words.len())
        && named >= 1
        && words.iter().all(|w| {
            PARTICLES.contains(w)
                || (w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars()
                        .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
                    && w.chars().last().is_some_and(char::is_alphabetic))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_found_whole_in_any_case_and_in_the_genitive() {
        let found = |text: &'static str| name_in(text, "Karl Sjöberg").map(|(a, b)| &text[a..b]);
        assert_eq!(found("enligt Sjöbergs bedömning"), Some("Sjöbergs"));
        assert_eq!(found("karl sjöberg ringde"), Some("karl sjöberg"));
        assert_eq!(found("sjöbergsgatan"), None);
        assert_eq!(found("ENLIGT SJÖBERGS"), Some("SJÖBERGS"));
        assert_eq!(found("Försjöberg och Sjöbergsson"), None);
        assert_eq!(found("Det var Sjöberg."), Some("Sjöberg"));
        assert_eq!(found("en medarbetare"), None);
    }

    #[test]
    fn capitalised_words_inside_a_sentence_are_name_like() {
        let allowed = vec!["mjölby".to_string(), "kommun".to_string()];
        assert_eq!(
            name_like_words(
                "Enheten ringde Anna i Mjölby kommun. Hon svarade IVO.",
                &allowed
            ),
            ["Anna"]
        );
    }

    #[test]
    fn a_name_only_is_a_name_and_nothing_more() {
        for name in ["Karl Sjöberg", "Anna-Lena O'Brien", "Carl af Klint", "Eva"] {
            assert!(is_name_only(name), "{name}");
        }
        for other in [
            "handläggare för 121212-1212",
            "ersättare för Jonas Ekdahl",
            "Karl Sjöberg 0701234567",
            "Karl Sjöberg, kvalitetsutvecklare",
            "",
            "af",
        ] {
            assert!(!is_name_only(other), "{other}");
        }
    }
}
