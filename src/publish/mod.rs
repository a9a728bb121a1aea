//! What published text may not hold, found as a reader would read it: every text is folded
//! first ([`fold`]), so that an en dash, a no-break space, a zero-width mark or a Cyrillic
//! letter hides nothing.
//!
//! The public notice, the nämnd's summary and the tjänsteskrivelse are published; the checks of
//! each ([`crate::case::rules`], `summary`) ask this module what a text holds.

pub mod fold;
mod patterns;
pub mod report;

use fold::Folded;
pub use patterns::{is_name_only, name_like_words};

/// Something in a published text that may point a person out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// An invisible character or a bidirectional control (its code point).
    Invisible(char),
    /// A personnummer or samordningsnummer with a valid check digit.
    Personnummer,
    /// A name of a person from the case files (the name as written there).
    Name(String),
    /// An e-mail address or a telephone number.
    Contact,
    /// An exact date.
    Date,
}

/// One finding: what it is, and the text as it stands in the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding<'t> {
    /// What was found.
    pub kind: Kind,
    /// The original text it was found in, marks and all.
    pub text: &'t str,
}

/// What to look for in a text, besides invisible characters and personnummer, which are
/// never published.
#[derive(Debug, Clone, Default)]
pub struct Look<'a> {
    /// Names of people that may not be printed.
    pub names: &'a [String],
    /// Whether e-mail addresses and telephone numbers are refused (the notice).
    pub contact: bool,
    /// Whether exact dates are refused (the notice).
    pub dates: bool,
}

impl Look<'_> {
    /// Only what is never published: invisible characters and personnummer.
    pub const NEVER: Look<'static> = Look {
        names: &[],
        contact: false,
        dates: false,
    };
}

/// Everything in `text` that `look` asks for, in the order found.
pub fn scan<'t>(text: &'t str, look: &Look) -> Vec<Finding<'t>> {
    let mut found: Vec<Finding<'t>> = text
        .char_indices()
        .filter(|(_, c)| fold::is_format(*c))
        .map(|(at, c)| Finding {
            kind: Kind::Invisible(c),
            text: &text[at..at + c.len_utf8()],
        })
        .collect();
    let folded = Folded::new(text);
    let at = |kind: Kind, (start, end): (usize, usize)| Finding {
        kind,
        text: folded.original(start, end),
    };
    found.extend(
        patterns::personnummer(&folded.text)
            .into_iter()
            .map(|r| at(Kind::Personnummer, r)),
    );
    for name in look.names {
        let name_folded = Folded::new(name);
        if let Some(r) = patterns::name_in(&folded.text, &name_folded.text) {
            found.push(at(Kind::Name(name.clone()), r));
        }
    }
    if look.contact {
        found.extend(
            patterns::contact_details(&folded.text)
                .into_iter()
                .map(|r| at(Kind::Contact, r)),
        );
    }
    if look.dates {
        found.extend(
            patterns::exact_dates(&folded.text)
                .into_iter()
                .map(|r| at(Kind::Date, r)),
        );
    }
    found
}

/// Whether two names are one, as a reader sees them (folded, in any case).
pub fn same_name(a: &str, b: &str) -> bool {
    let fold = |s: &str| {
        Folded::new(s)
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    fold(a) == fold(b)
}

/// The code point of a character as it is written in Unicode's charts, with its name where
/// a case officer meets it.
pub fn describe_invisible(c: char) -> String {
    let name = match c {
        '\u{00AD}' => "mjukt bindestreck",
        '\u{200B}' => "osynligt mellanslag",
        '\u{200C}' | '\u{200D}' => "osynligt skarvtecken",
        '\u{2060}' => "osynligt ordskarvtecken",
        '\u{FEFF}' => "byte-ordningsmärke",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "riktningsmärke",
        _ if crate::fonts::is_bidi_control(c) => "tecken som vänder textens riktning",
        _ => "osynligt formattecken",
    };
    format!("U+{:04X} ({name})", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str, look: &Look) -> Vec<Kind> {
        scan(text, look).into_iter().map(|f| f.kind).collect()
    }

    #[test]
    fn a_personnummer_is_found_in_every_writing_a_person_or_word_gives_it() {
        for written in [
            "121212-1212",
            "121212–1212",
            "121212\u{a0}1212",
            "121212\u{2212}1212",
            "121212\u{2010}1212",
            "12 12 12-1212",
            "12.12.12-1212",
            "pnr121212-1212",
            "121212-1212a",
            "1212\u{200b}12-1212",
            "19121212-1212",
            "191212121212",
            "1212121212",
            "121212 - 1212",
            "\u{FF11}\u{FF12}1212-1212",
        ] {
            let text = format!("född {written}, bor");
            let found = scan(&text, &Look::NEVER);
            assert!(
                found
                    .iter()
                    .any(|f| f.kind == Kind::Personnummer && text.contains(f.text)),
                "{written}: {found:?}"
            );
        }
        // The check digit decides.
        assert!(!kinds("121212-1213", &Look::NEVER).contains(&Kind::Personnummer));
        for other in [
            "08-508 358 39",
            "0142-850 00",
            "AMN 2026-0412-1.3",
            "AMN 2019-0746-1.3 och 190624",
            "2020-0428_200324",
            "2026-10-05",
        ] {
            assert!(kinds(other, &Look::NEVER).is_empty(), "{other}");
        }
    }

    #[test]
    fn a_name_is_found_through_invisible_marks_and_look_alike_letters() {
        let names = ["Jonas Ekdahl".to_string()];
        let look = Look {
            names: &names,
            ..Look::NEVER
        };
        for written in [
            "Ekdahl",
            "Ek\u{200d}dahl",
            "Ek\u{200c}dahl",
            "Ek\u{200b}dahl",
            "Ek\u{2060}dahl",
            "\u{feff}Ekdahl",
            "Ek\u{200e}dahl",
            "Ek\u{ad}dahl",
            "Ekd\u{0430}hl",
            "\u{0415}kdahl",
            "EKDAHLS",
        ] {
            let text = format!("enligt {written} bedömning");
            assert!(
                kinds(&text, &look).contains(&Kind::Name("Jonas Ekdahl".into())),
                "{written}"
            );
        }
        assert!(kinds("Ekdahlsgatan", &look).is_empty());
    }

    #[test]
    fn contact_details_and_dates_are_found_in_every_writing() {
        let look = Look {
            contact: true,
            dates: true,
            ..Look::NEVER
        };
        for text in [
            "08.000.000.11",
            "070/123 45 67",
            "0142–850 00",
            "a.b@example.se",
        ] {
            assert!(kinds(text, &look).contains(&Kind::Contact), "{text}");
        }
        for text in [
            "20260914",
            "26-09-14",
            "den fjortonde september",
            "14 sept.",
            "2026-09-14",
            "14.9.2026",
            "den 5:e",
        ] {
            assert!(kinds(text, &look).contains(&Kind::Date), "{text}");
        }
        for vague in ["i mitten av mars", "sommaren 2020", "under hösten 2026"] {
            assert!(kinds(vague, &look).is_empty(), "{vague}");
        }
    }

    #[test]
    fn invisible_and_bidirectional_characters_are_found_where_they_stand() {
        let found = scan("a\u{202e}b\u{200b}c", &Look::NEVER);
        assert_eq!(
            found.iter().map(|f| f.kind.clone()).collect::<Vec<_>>(),
            [Kind::Invisible('\u{202e}'), Kind::Invisible('\u{200b}')]
        );
        assert!(same_name("Karl  Sjöberg", "karl sj\u{00f6}berg"));
        assert!(same_name("Karl Sj\u{200b}öberg", "Karl Sjöberg"));
    }
}
