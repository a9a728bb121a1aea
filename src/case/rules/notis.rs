//! The public notice: made after the anmälan to IVO, and a warning for every word that looks
//! like a person's name. What it may not print at all is checked with the other published
//! document in `published`.

use std::path::Path;

use crate::case::model::Case;
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::profile::Profile;
use crate::publish::name_like_words;

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
    match case.ivo_date() {
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
    let allowed = allowed_words(profile, case);
    for (text, at) in texts {
        // Read as a reader sees it: a name with a zero-width mark or a Cyrillic letter in it is
        // still a name-like word.
        let folded = crate::publish::fold::Folded::new(text).text;
        let suspects = name_like_words(&folded, &allowed);
        if let Some(first) = suspects.first() {
            found.push(
                Diagnostic::warning(
                    file,
                    at.find_from(source, first),
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

/// The words the notice may print with a capital letter: those of the organisation's names,
/// the profile's `organisationsnamn`, the contact's name, and a few proper nouns of lex Sarah.
pub(super) fn allowed_words(profile: &Profile, case: &Case) -> Vec<String> {
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
