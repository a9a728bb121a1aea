//! The public notice cannot leak: no name from the case file, no personnummer, no contact
//! details and no exact date, and a warning for every word that looks like a person's name.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::personnummer::personnummer_candidates;
use crate::case::model::Case;
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::profile::Profile;

/// Proper nouns a notice about lex Sarah names as a matter of course.
const COMMON_NAMES: &[&str] = &[
    "Inspektionen",
    "Integritetsskyddsmyndigheten",
    "Socialstyrelsen",
    "Sverige",
    "Lex",
    "Sarah",
];

/// Checks a case's notice, if it has one.
pub(super) fn check(
    case: &Case,
    profile: &Profile,
    file: &Path,
    source: &str,
    found: &mut Vec<Diagnostic>,
) {
    let Some(n) = &case.notis else { return };
    match &case.arende.ivo_anmalan {
        None => found.push(
            Diagnostic::error(
                file,
                n.publicerad.pos,
                Code::NotisIvo,
                "nyheten berättar om en anmälan till IVO, men ärendet har inget datum för anmälan",
            )
            .with_hint("lägg till `ivo_anmalan: ÅÅÅÅ-MM-DD` under `arende:`, eller ta bort `notis:` tills anmälan är gjord"),
        ),
        Some(anmalan) if n.publicerad.value < anmalan.value => found.push(
            Diagnostic::error(
                file,
                n.publicerad.pos,
                Code::NotisIvo,
                format!(
                    "nyheten publiceras {}, före anmälan till IVO ({})",
                    n.publicerad.value, anmalan.value
                ),
            )
            .with_hint("publicera nyheten samma dag som anmälan görs eller senare"),
        ),
        Some(_) => {}
    }
    let mut texts: Vec<(&str, Pos)> = vec![
        (n.ingress.value.0.as_str(), n.ingress.pos),
        (n.handelse.value.0.as_str(), n.handelse.pos),
        (n.bedomning.value.0.as_str(), n.bedomning.pos),
    ];
    texts.extend(n.rubrik.iter().map(|r| (r.value.as_str(), r.pos)));
    texts.extend(n.atgarder.iter().map(|a| (a.value.as_str(), a.pos)));
    let kontakt = n.kontakt.as_ref().map(|k| k.namn.value.to_lowercase());
    let names: Vec<String> = people(case)
        .into_iter()
        .filter(|name| Some(name.to_lowercase()) != kontakt)
        .collect();
    let allowed = allowed_words(profile, case);
    for (text, at) in texts {
        let place = |found: &str| at.find_from(source, found);
        for name in &names {
            if let Some(m) = name_in(text, name) {
                found.push(
                    Diagnostic::error(
                        file,
                        place(m),
                        Code::PubliceratNamn,
                        format!("`{m}` är ett namn ur ärendet ({name}), och nyheten publiceras"),
                    )
                    .marking(m)
                    .with_hint("skriv en befattning i stället (\"en medarbetare\", \"enhetschefen\"); bara `kontakt` får ha ett namn"),
                );
            }
        }
        for candidate in personnummer_candidates(text) {
            found.push(
                Diagnostic::error(
                    file,
                    place(candidate),
                    Code::PubliceratPersonnummer,
                    format!("`{candidate}` ser ut som ett personnummer, och nyheten publiceras"),
                )
                .marking(candidate)
                .with_hint("ta bort numret; nyheten får inte kunna identifiera någon"),
            );
        }
        for contact in contact_details(text) {
            found.push(
                Diagnostic::error(
                    file,
                    place(contact),
                    Code::PubliceratKontaktuppgift,
                    format!("`{contact}` är en e-postadress eller ett telefonnummer, och nyheten publiceras"),
                )
                .marking(contact)
                .with_hint("ta bort den; den som vill fråga når kontaktpersonen under `kontakt`"),
            );
        }
        for date in exact_dates(text) {
            found.push(
                Diagnostic::error(
                    file,
                    place(date),
                    Code::PubliceratDatum,
                    format!("`{date}` är ett exakt datum, och nyheten publiceras"),
                )
                .marking(date)
                .with_hint("skriv ungefär när, som \"i mitten av mars\" eller \"under hösten\"; ett datum kan peka ut den enskilde"),
            );
        }
        let suspects = name_like_words(text, &allowed);
        if let Some(first) = suspects.first() {
            found.push(
                Diagnostic::warning(
                    file,
                    place(first),
                    Code::NamnliknandeOrd,
                    format!(
                        "ord som kan vara namn på personer: {}",
                        suspects.join(", ")
                    ),
                )
                .marking(first)
                .with_hint("läs varje ord innan nyheten publiceras; ett namn på en organisation eller plats läggs i profilens `organisationsnamn`"),
            );
        }
    }
}

/// The names of the people the case file names: every one a notice must not print.
pub fn people(case: &Case) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(r) = &case.rapport {
        names.push(r.rapportor.namn.clone());
        names.extend(r.lex_sarah_ansvarig.iter().map(|a| a.namn.clone()));
        names.extend(r.ej_utredning.iter().map(|e| e.namn.clone()));
    }
    if let Some(u) = &case.utredning {
        names.push(u.utredare.namn.clone());
        // "Maria Björk, samordnare": the name before the title.
        names.extend(u.dokumentation.iter().filter_map(|d| {
            let sign = d.sign.as_ref()?;
            Some(sign.split(',').next()?.trim().to_string())
        }));
    }
    if let Some(b) = &case.beslut {
        names.push(b.beslutsfattare.namn.clone());
    }
    if let Some(t) = &case.tjansteskrivelse {
        names.push(t.handlaggare.clone());
        names.extend(t.undertecknare.iter().map(|p| p.namn.clone()));
    }
    names.retain(|n| !n.trim().is_empty());
    names.sort();
    names.dedup();
    names
}

/// Where a person's full name or surname stands in a text, as whole words, in any case,
/// also in the genitive ("Sjöbergs").
pub fn name_in<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    let surname = name
        .split_whitespace()
        .last()
        .filter(|s| s.chars().count() > 1);
    [Some(name.trim()), surname]
        .into_iter()
        .flatten()
        .find_map(|part| whole_word(text, part))
}

/// The first place `word` stands in `text` as a whole word, in any case, with an optional
/// genitive s: what `(?i)\bword s?\b` finds, without compiling a pattern for every name.
fn whole_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
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
        Some(&text[hay[start].0..to])
    })
}

/// E-mail addresses and telephone numbers in a text.
fn contact_details(text: &str) -> Vec<&str> {
    static EMAIL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+").expect("a valid pattern"));
    static PHONE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:\+46|\b0)[\d \-]{5,}\d\b").expect("a valid pattern"));
    let phones = PHONE.find_iter(text).map(|m| m.as_str()).filter(|s| {
        let digits = s.chars().filter(char::is_ascii_digit).count();
        (7..=13).contains(&digits)
    });
    EMAIL
        .find_iter(text)
        .map(|m| m.as_str())
        .chain(phones)
        .collect()
}

/// Exact dates in any of the forms people write them: "5 oktober", "5:e okt.", "2026-10-05",
/// "5/10", "den 5:e".
fn exact_dates(text: &str) -> Vec<&str> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        let months =
            "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december";
        let short = "jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec";
        [
            format!(r"(?i)\b\d{{1,2}}(?::[ea])?\s+(?:(?:{months})\b|(?:{short})\b\.?)"),
            r"\b\d{4}-\d{2}-\d{2}\b".to_string(),
            r"\b\d{1,2}/\d{1,2}\b".to_string(),
            r"(?i)\bden\s+\d{1,2}:[ea]\b".to_string(),
        ]
        .iter()
        .map(|p| Regex::new(p).expect("a valid pattern"))
        .collect()
    });
    let mut spans: Vec<(usize, usize)> = PATTERNS
        .iter()
        .flat_map(|p| p.find_iter(text).map(|m| (m.start(), m.end())))
        .collect();
    spans.sort();
    // Overlapping matches ("den 5:e" and "5:e okt.") are one date.
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start < last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
        .into_iter()
        .map(|(start, end)| &text[start..end])
        .collect()
}

/// The words the notice may print with a capital letter: those of the organisation's names,
/// the profile's `organisationsnamn`, the contact's name, and a few proper nouns of lex Sarah.
fn allowed_words(profile: &Profile, case: &Case) -> Vec<String> {
    let mut names: Vec<&str> = vec![&profile.kommun, &profile.forvaltning, &profile.namnd];
    names.extend(case.arende.forvaltning.as_deref());
    names.extend(case.arende.namnd.as_deref());
    names.extend(profile.organisationsnamn.iter().map(String::as_str));
    names.extend(COMMON_NAMES);
    if let Some(k) = case.notis.as_ref().and_then(|n| n.kontakt.as_ref()) {
        names.push(&k.namn.value);
    }
    names
        .iter()
        .flat_map(|n| n.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Capitalised words that do not begin a sentence, are no abbreviation (IVO) and are not
/// allowed: each one might be the name of a person the case file does not name.
fn name_like_words<'t>(text: &'t str, allowed: &[String]) -> Vec<&'t str> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_found_whole_in_any_case_and_in_the_genitive() {
        assert_eq!(
            name_in("enligt Sjöbergs bedömning", "Karl Sjöberg"),
            Some("Sjöbergs")
        );
        assert_eq!(
            name_in("karl sjöberg ringde", "Karl Sjöberg"),
            Some("karl sjöberg")
        );
        assert_eq!(name_in("sjöbergsgatan", "Karl Sjöberg"), None);
        assert_eq!(name_in("ENLIGT SJÖBERGS", "Karl Sjöberg"), Some("SJÖBERGS"));
        assert_eq!(name_in("Försjöberg och Sjöbergsson", "Karl Sjöberg"), None);
        assert_eq!(name_in("Det var Sjöberg.", "Karl Sjöberg"), Some("Sjöberg"));
        assert_eq!(name_in("Sjöberg", "Karl Sjöberg"), Some("Sjöberg"));
        assert_eq!(name_in("en medarbetare", "Karl Sjöberg"), None);
    }

    #[test]
    fn exact_dates_are_found_in_every_writing_and_vague_ones_are_not() {
        for (text, date) in [
            ("det hände 5 oktober", "5 oktober"),
            ("det hände den 5:e okt.", "den 5:e okt."),
            ("det hände 2026-10-05", "2026-10-05"),
            ("det hände 5/10 i år", "5/10"),
            ("det hände den 5:e", "den 5:e"),
        ] {
            assert_eq!(exact_dates(text), [date], "{text}");
        }
        for vague in ["i mitten av mars", "sommaren 2020", "under hösten 2026"] {
            assert!(exact_dates(vague).is_empty(), "{vague}");
        }
    }

    #[test]
    fn contact_details_are_found() {
        assert_eq!(
            contact_details("ring 0142-850 00 eller skriv till a.b@example.se"),
            ["a.b@example.se", "0142-850 00"]
        );
        assert!(contact_details("diarienummer 2026-0412").is_empty());
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
}
