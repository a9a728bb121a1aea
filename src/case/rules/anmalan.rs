//! The anmälan to IVO on its blankett: made for a serious outcome, its boxes as the outcome
//! says, its date the case's, a finished utredning attached only when it is finished, one sender,
//! and the blankett's own questions answered.

use std::path::Path;

use chrono::Months;

use crate::case::model::{Anmalan, AnmalanAvser, Case, GorsAv};
use crate::diagnostics::{Code, Diagnostic};

/// Checks a case's anmälan, if it has one.
pub(super) fn check(case: &Case, file: &Path, found: &mut Vec<Diagnostic>) {
    let Some(a) = &case.anmalan else { return };
    let at_section = a.anmalningsansvarig.pos;
    // The outcome, and the box it ticks.
    match case.outcome_at().map(|o| (o, AnmalanAvser::of(o.value))) {
        Some((outcome, None)) => found.push(
            Diagnostic::error(
                file,
                outcome.pos,
                Code::AnmalanUtfall,
                format!(
                    "ärendet har en anmälan till IVO, men utfallet är inte ett allvarligt missförhållande eller en påtaglig risk för ett sådant: {}",
                    lowercase_first(outcome.value.sentence())
                ),
            )
            .with_hint("bara ett allvarligt missförhållande eller en påtaglig risk för ett sådant anmäls till IVO; ta bort `anmalan:`, eller rätta utfallet om det är fel"),
        ),
        Some((_, Some(follows))) => {
            if let Some(avser) = a.avser.as_ref().filter(|x| x.value != follows) {
                found.push(
                    Diagnostic::error(
                        file,
                        avser.pos,
                        Code::AnmalanAvser,
                        format!(
                            "blanketten kryssar \"{}\", men ärendets utfall är {}",
                            avser_label(avser.value),
                            avser_label(follows)
                        ),
                    )
                    .with_hint(format!(
                        "ta bort `avser:` så följer krysset utfallet, eller skriv `avser: {}`",
                        avser_key(follows)
                    )),
                );
            }
        }
        None if a.avser.is_none() => found.push(
            Diagnostic::error(
                file,
                at_section,
                Code::AnmalanAvser,
                "ärendet har ännu inget utfall, så blanketten vet inte vilken ruta som ska kryssas",
            )
            .with_hint("skriv `avser: allvarligt` eller `avser: risk` under `anmalan:`"),
        ),
        None => {}
    }
    // The date: written once, or twice alike.
    match (&a.datum, &case.arende.ivo_anmalan) {
        (Some(own), Some(arende)) if own.value != arende.value => found.push(
            Diagnostic::error(
                file,
                own.pos,
                Code::AnmalanDatum,
                format!(
                    "anmälan är daterad {}, men `arende.ivo_anmalan` säger {}",
                    own.value, arende.value
                ),
            )
            .with_hint("ta bort `datum:` under `anmalan:` så gäller `arende.ivo_anmalan`, eller rätta det ena datumet"),
        ),
        (None, None) => found.push(
            Diagnostic::error(
                file,
                at_section,
                Code::AnmalanDatum,
                "anmälan till IVO har inget datum",
            )
            .with_hint("skriv `ivo_anmalan: ÅÅÅÅ-MM-DD` under `arende:`"),
        ),
        _ => {}
    }
    attachments(a, case, file, found);
    sender(a, file, found);
    content(a, file, found);
}

/// "Slutförd utredning" only for a finished utredning, and its later sending after the anmälan.
fn attachments(a: &Anmalan, case: &Case, file: &Path, found: &mut Vec<Diagnostic>) {
    let Some(day) = case.ivo_date() else {
        return;
    };
    let due = day.value.0.checked_add_months(Months::new(2));
    let due_words = due.map_or_else(String::new, |d| format!(", senast {d}"));
    let finished = case.utredning.as_ref().and_then(|u| u.avslutad.as_ref());
    if let Some(ticked) = a.bifogat.utredning.as_ref().filter(|t| t.value) {
        let when = match finished {
            Some(done) if done.value <= day.value => None,
            Some(done) => Some(format!("blev klar {}", done.value)),
            None => Some("är inte avslutad".to_string()),
        };
        if let Some(when) = when {
            found.push(
                Diagnostic::error(
                    file,
                    ticked.pos,
                    Code::AnmalanBifogat,
                    format!(
                        "blanketten säger att den slutförda utredningen bifogas, men utredningen {when} och anmälan görs {}",
                        day.value
                    ),
                )
                .with_hint(format!(
                    "skriv `utredning: false` under `bifogat:`; utredningen skickas till IVO så snart den är klar{due_words}, och dagen skrivs i `anmalan.utredning_skickad`"
                )),
            );
        }
    }
    if let Some(sent) = &a.utredning_skickad {
        let before = if sent.value < day.value {
            Some(format!("före anmälan ({})", day.value))
        } else {
            finished
                .filter(|done| sent.value < done.value)
                .map(|done| format!("före dagen då utredningen avslutades ({})", done.value))
        };
        if let Some(before) = before {
            found.push(
                Diagnostic::error(
                    file,
                    sent.pos,
                    Code::AnmalanBifogat,
                    format!(
                        "den slutförda utredningen är skickad till IVO {}, {before}",
                        sent.value
                    ),
                )
                .with_hint("kontrollera datumet i `anmalan.utredning_skickad`"),
            );
        }
    }
}

/// Exactly one sender, with what its box needs.
fn sender(a: &Anmalan, file: &Path, found: &mut Vec<Diagnostic>) {
    let gors_av = a.sender();
    match (&a.enskild_verksamhet, gors_av) {
        (Some(name), GorsAv::Namnd | GorsAv::StatensInstitutionsstyrelse) => found.push(
            Diagnostic::error(
                file,
                name.pos,
                Code::AnmalanGorsAv,
                format!(
                    "anmälan görs av {}, men en enskild verksamhet ({}) är också angiven; blanketten kryssar bara en av de tre",
                    gors_av_label(gors_av),
                    name.value
                ),
            )
            .with_hint("skriv `gors_av: enskild_verksamhet` om verksamheten gör anmälan, annars ta bort `enskild_verksamhet:`"),
        ),
        (None, GorsAv::EnskildVerksamhet) => {
            let at = a
                .gors_av
                .as_ref()
                .map_or(a.anmalningsansvarig.pos, |g| g.pos);
            found.push(
                Diagnostic::error(
                    file,
                    at,
                    Code::AnmalanGorsAv,
                    "anmälan görs av en enskild verksamhet, men verksamhetens namn saknas",
                )
                .with_hint("skriv till exempel `enskild_verksamhet: Omsorgsbolaget AB` under `anmalan:`"),
            );
        }
        _ => {}
    }
}

/// The blankett's questions that nothing else in the case answers.
fn content(a: &Anmalan, file: &Path, found: &mut Vec<Diagnostic>) {
    let at = a.anmalningsansvarig.pos;
    let mut empty = |pos, what: &str, key: &str| {
        found.push(
            Diagnostic::warning(
                file,
                pos,
                Code::AnmalanInnehall,
                format!("blanketten frågar efter {what}, men anmälan säger det inte"),
            )
            .with_hint(format!(
                "skriv `{key}` under `anmalan:`, annars står fältet tomt för IVO"
            )),
        );
    };
    if a.underrattade.is_none() {
        empty(
            at,
            "om berörda enskilda har underrättats om anmälan",
            "underrattade: ja",
        );
    }
    for (text, what, key) in [
        (
            &a.organisation,
            "en beskrivning av verksamhetens organisation och bemanning",
            "organisation: |",
        ),
        (
            &a.personal,
            "personalens utbildning, tjänstgöringstid och anställningsform",
            "personal: |",
        ),
    ] {
        match text {
            None => empty(at, what, key),
            Some(t) if t.value.is_blank() => empty(t.pos, what, key),
            _ => {}
        }
    }
}

/// A sentence with its first letter small, to follow a colon.
fn lowercase_first(sentence: &str) -> String {
    let mut chars = sentence.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_lowercase().chain(chars).collect::<String>()
    })
}

/// A box's label on the blankett.
fn avser_label(avser: AnmalanAvser) -> &'static str {
    match avser {
        AnmalanAvser::Allvarligt => "ett allvarligt missförhållande",
        AnmalanAvser::Risk => "en påtaglig risk för ett allvarligt missförhållande",
    }
}

/// The key a case writes for a box.
fn avser_key(avser: AnmalanAvser) -> &'static str {
    match avser {
        AnmalanAvser::Allvarligt => "allvarligt",
        AnmalanAvser::Risk => "risk",
    }
}

/// A sender as the blankett names it.
fn gors_av_label(g: GorsAv) -> &'static str {
    match g {
        GorsAv::Namnd => "en nämnd",
        GorsAv::EnskildVerksamhet => "en enskild verksamhet",
        GorsAv::StatensInstitutionsstyrelse => "Statens institutionsstyrelse",
    }
}
