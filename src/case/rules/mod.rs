//! The process rules of the case-format reference: what a valid case keeps, and what deserves a
//! warning. Each rule's ground is in the lagrum table.

mod anmalan;
mod lagrum;
mod notis;
mod published;

pub use notis::people;
pub use published::profile_values;

use std::path::Path;

use chrono::{Months, NaiveDate};

use super::model::{Case, Utfall};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::profile::Profile;
use crate::source::values::{Date, Located};

/// Checks a parsed case against the rules of the process and the profile's house rules.
///
/// `source` is the case file's text (for placing a match inside a text), `today` the date
/// against which dates in the future are found.
pub fn check(
    case: &Case,
    profile: &Profile,
    file: &Path,
    source: &str,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    date_order(case, file, &mut found);
    weekday(case, file, &mut found);
    ivo(case, file, &mut found);
    imy(case, file, &mut found);
    diarienummer(case, profile, file, &mut found);
    verksamhetsomrade(case, profile, file, &mut found);
    outcome_differs(case, file, &mut found);
    future_dates(case, file, today, &mut found);
    published::check(case, profile, file, source, &mut found);
    late_utredning(case, file, &mut found);
    sosfs_content(case, file, &mut found);
    lagrum::check(case, file, &mut found);
    notis::check(case, profile, file, source, &mut found);
    anmalan::check(case, file, &mut found);
    let date = crate::lagrum::case_date(case);
    for d in &mut found {
        crate::lagrum::add_ground(d, date);
    }
    found.sort_by_key(|d| (d.line, d.column));
    found
}

/// The dates of the process, in the order they must come: (field, date).
fn process_dates(case: &Case) -> Vec<(&'static str, &Located<Date>)> {
    let mut dates = Vec::new();
    if let Some(r) = &case.rapport {
        dates.push(("rapport.uppmarksammat.datum", &r.uppmarksammat.datum));
        dates.push(("rapport.datum", &r.datum));
    }
    if let Some(u) = &case.utredning {
        dates.push(("utredning.rapport_inkom", &u.rapport_inkom));
        dates.push(("utredning.inledd", &u.inledd));
        if let Some(a) = &u.avslutad {
            dates.push(("utredning.avslutad", a));
        }
    }
    if let Some(b) = &case.beslut {
        dates.push(("beslut.datum", &b.datum));
    }
    dates
}

fn date_order(case: &Case, file: &Path, found: &mut Vec<Diagnostic>) {
    found.extend(date_order_problems(&process_dates(case), file));
}

/// The dates that run backwards, each where the later date is written (its ground is added by
/// the caller, as for every rule).
pub fn date_order_problems(
    dates: &[(&'static str, &Located<Date>)],
    file: &Path,
) -> Vec<Diagnostic> {
    let order = || {
        dates
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(" ≤ ")
    };
    let mut found = Vec::new();
    for pair in dates.windows(2) {
        let ((before_name, before), (after_name, after)) = (pair[0], pair[1]);
        if after.value < before.value {
            found.push(
                Diagnostic::error(
                    file,
                    after.pos,
                    Code::DatumOrdning,
                    format!(
                        "`{after_name}` ({}) ligger före `{before_name}` ({}), men ärendets datum ska komma i tur och ordning",
                        after.value, before.value
                    ),
                )
                .with_hint(format!("kontrollera båda datumen; ordningen är {}", order())),
            );
        }
    }
    found
}

/// The process's dates as a file with other problems still holds them (read from its YAML
/// tree, each that is a real date), so that their order is checked in the same run.
pub fn process_dates_in(
    tree: &crate::source::structure::Node,
) -> Vec<(&'static str, Located<Date>)> {
    PROCESS_ORDER
        .iter()
        .filter_map(|name| {
            let node = tree.at(name.split('.'))?;
            let text = node.text()?;
            let value = Date::parse(text).ok()?;
            Some((
                *name,
                Located {
                    value,
                    pos: node.pos,
                },
            ))
        })
        .collect()
}

/// The dates of the process in the order they must come, by their place in the case file.
const PROCESS_ORDER: [&str; 6] = [
    "rapport.uppmarksammat.datum",
    "rapport.datum",
    "utredning.rapport_inkom",
    "utredning.inledd",
    "utredning.avslutad",
    "beslut.datum",
];

fn weekday(case: &Case, file: &Path, found: &mut Vec<Diagnostic>) {
    let Some(r) = &case.rapport else { return };
    let Some(given) = &r.uppmarksammat.veckodag else {
        return;
    };
    let date = r.uppmarksammat.datum.value;
    if given.value.trim().to_lowercase() != date.weekday_sv() {
        found.push(
            Diagnostic::error(
                file,
                given.pos,
                Code::FelVeckodag,
                format!(
                    "veckodagen `{}` stämmer inte med datumet {date}, som är en {}",
                    given.value,
                    date.weekday_sv()
                ),
            )
            .with_hint(format!(
                "skriv `veckodag: {}`, eller ta bort raden så räknas veckodagen ut",
                date.weekday_sv()
            )),
        );
    }
}

fn ivo(case: &Case, file: &Path, found: &mut Vec<Diagnostic>) {
    let Some(outcome) = case.outcome_at() else {
        return;
    };
    match case.ivo_date() {
        None if outcome.value.is_serious() && case.beslut.is_some() => found.push(
            Diagnostic::error(
                file,
                outcome.pos,
                Code::IvoAnmalanSaknas,
                "ett allvarligt missförhållande eller en påtaglig risk för ett sådant ska anmälas till IVO, men ärendet har inget datum för anmälan",
            )
            .with_hint("lägg till `ivo_anmalan: ÅÅÅÅ-MM-DD` under `arende:`"),
        ),
        Some(anmalan) => {
            let reference = case
                .rapport
                .as_ref()
                .map(|r| ("rapport.datum", r.datum.value))
                .or(case
                    .utredning
                    .as_ref()
                    .map(|u| ("utredning.rapport_inkom", u.rapport_inkom.value)));
            if let Some((name, first)) = reference
                && anmalan.value < first
            {
                found.push(
                    Diagnostic::error(
                        file,
                        anmalan.pos,
                        Code::IvoAnmalanForeRapport,
                        format!(
                            "anmälan till IVO ({}) är daterad före rapporten (`{name}`, {first})",
                            anmalan.value
                        ),
                    )
                    .with_hint("kontrollera datumet för anmälan till IVO"),
                );
            }
        }
        None => {}
    }
}

/// An anmälan to IMY of a personal-data incident follows the moment it was noticed.
fn imy(case: &Case, file: &Path, found: &mut Vec<Diagnostic>) {
    let (Some(anmalan), Some(r)) = (&case.arende.imy_anmalan, &case.rapport) else {
        return;
    };
    let noticed = &r.uppmarksammat.datum;
    if anmalan.value < noticed.value {
        found.push(
            Diagnostic::error(
                file,
                anmalan.pos,
                Code::ImyAnmalan,
                format!(
                    "anmälan till IMY ({}) är daterad före dagen då händelsen uppmärksammades ({})",
                    anmalan.value, noticed.value
                ),
            )
            .with_hint("kontrollera datumet för anmälan till IMY"),
        );
    }
}

fn diarienummer(case: &Case, profile: &Profile, file: &Path, found: &mut Vec<Diagnostic>) {
    let Some(pattern) = &profile.diarienummer_monster else {
        return;
    };
    let Ok(regex) = crate::source::pattern::compiled(&pattern.value) else {
        return;
    };
    let number = &case.arende.diarienummer;
    if !regex.is_match(&number.value.0) {
        found.push(
            Diagnostic::error(
                file,
                number.pos,
                Code::DiarienummerFormat,
                format!(
                    "diarienumret `{}` har inte den form som profilen `{}` kräver",
                    number.value.0, profile.id
                ),
            )
            .with_hint(format!(
                "profilens mönster är `{}`; skriv diarienumret så som diariet gör",
                pattern.value
            )),
        );
    }
}

/// The rapport's verksamhetsområde is one the profile's rapport offers.
fn verksamhetsomrade(case: &Case, profile: &Profile, file: &Path, found: &mut Vec<Diagnostic>) {
    let Some(r) = &case.rapport else { return };
    let written = &r.avser.verksamhetsomrade;
    let areas = profile.areas();
    if areas.iter().any(|a| a.kod == written.value) {
        return;
    }
    let codes: Vec<&str> = areas.iter().map(|a| a.kod.as_str()).collect();
    let near = crate::source::nearest(&written.value, &codes)
        .map(|n| format!("menade du `{n}`? "))
        .unwrap_or_default();
    found.push(
        Diagnostic::error(
            file,
            written.pos,
            Code::OkantVerksamhetsomrade,
            format!(
                "`{}` är inget av verksamhetsområdena i profilen `{}`",
                written.value, profile.id
            ),
        )
        .with_hint(format!(
            "{near}profilens verksamhetsområden: {}",
            areas
                .iter()
                .map(|a| format!("{} ({})", a.kod, a.namn))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    );
}

fn outcome_differs(case: &Case, file: &Path, found: &mut Vec<Diagnostic>) {
    let (Some(b), Some(u)) = (&case.beslut, &case.utredning) else {
        return;
    };
    let Some(utfall) = &b.utfall else { return };
    if utfall.value != u.forslag.value {
        found.push(
            Diagnostic::warning(
                file,
                utfall.pos,
                Code::UtfallSkiljer,
                format!(
                    "beslutet ({}) skiljer sig från utredningens förslag ({})",
                    outcome_name(utfall.value),
                    outcome_name(u.forslag.value)
                ),
            )
            .with_hint("det kan vara rätt; kontrollera att beslutet är motiverat i `bedomning`"),
        );
    }
}

fn outcome_name(u: Utfall) -> &'static str {
    match u {
        Utfall::Risk => "risk",
        Utfall::Missforhallande => "missforhallande",
        Utfall::AllvarligRisk => "allvarlig_risk",
        Utfall::Allvarligt => "allvarligt",
        Utfall::Inget => "inget",
    }
}

/// Every date in the case with the name of its field.
fn all_dates(case: &Case) -> Vec<(&'static str, &Located<Date>)> {
    let mut dates = process_dates(case);
    if let Some(d) = &case.arende.ivo_anmalan {
        dates.push(("arende.ivo_anmalan", d));
    }
    if let Some(d) = &case.arende.imy_anmalan {
        dates.push(("arende.imy_anmalan", d));
    }
    if let Some(r) = &case.rapport
        && let Some(e) = &r.ej_utredning
    {
        dates.push(("rapport.ej_utredning.datum", &e.datum));
    }
    if let Some(u) = &case.utredning {
        if let Some(i) = &u.information_till_namnd {
            let named = [
                ("utredning.information_till_namnd.rapport", &i.rapport),
                (
                    "utredning.information_till_namnd.ivo_anmalan",
                    &i.ivo_anmalan,
                ),
                (
                    "utredning.information_till_namnd.kopia_utredning",
                    &i.kopia_utredning,
                ),
                (
                    "utredning.information_till_namnd.kopia_avslutad",
                    &i.kopia_avslutad,
                ),
            ];
            dates.extend(
                named
                    .into_iter()
                    .filter_map(|(n, d)| d.as_ref().map(|d| (n, d))),
            );
        }
        dates.extend(
            u.dokumentation
                .iter()
                .map(|d| ("utredning.dokumentation.datum", &d.datum)),
        );
        dates.extend(
            u.planerade_atgarder
                .iter()
                .filter_map(|a| a.genomford.as_ref())
                .map(|d| ("utredning.planerade_atgarder.genomford", d)),
        );
    }
    if let Some(a) = &case.anmalan {
        dates.extend(a.datum.as_ref().map(|d| ("anmalan.datum", d)));
        dates.extend(
            a.utredning_skickad
                .as_ref()
                .map(|d| ("anmalan.utredning_skickad", d)),
        );
    }
    if let Some(t) = &case.tjansteskrivelse {
        dates.push(("tjansteskrivelse.datum", &t.datum));
    }
    dates
}

fn future_dates(case: &Case, file: &Path, today: NaiveDate, found: &mut Vec<Diagnostic>) {
    for (name, date) in all_dates(case) {
        if date.value.0 > today {
            found.push(
                Diagnostic::warning(
                    file,
                    date.pos,
                    Code::FramtidaDatum,
                    format!("`{name}` ({}) ligger i framtiden", date.value),
                )
                .with_hint("kontrollera året och månaden"),
            );
        }
    }
}

fn late_utredning(case: &Case, file: &Path, found: &mut Vec<Diagnostic>) {
    let Some(anmalan) = case.ivo_date() else {
        return;
    };
    // The day it reached IVO where the anmälan says so, else the day it was finished.
    let sent = case
        .anmalan
        .as_ref()
        .and_then(|a| a.utredning_skickad.as_ref())
        .map(|d| ("skickades till IVO", d));
    let finished = sent.or(case
        .utredning
        .as_ref()
        .and_then(|u| u.avslutad.as_ref())
        .or(case.beslut.as_ref().map(|b| &b.datum))
        .map(|d| ("blev klar", d)));
    let Some((what, finished)) = finished else {
        return;
    };
    let Some(deadline) = anmalan.value.0.checked_add_months(Months::new(2)) else {
        return;
    };
    if finished.value.0 > deadline {
        found.push(
            Diagnostic::warning(
                file,
                finished.pos,
                Code::UtredningSen,
                format!(
                    "utredningen {what} {}, mer än två månader efter anmälan till IVO ({})",
                    finished.value, anmalan.value
                ),
            )
            .with_hint(format!(
                "IVO vill ha utredningen senast två månader efter anmälan, här {deadline}; skicka den så snart den är klar"
            )),
        );
    }
}

fn sosfs_content(case: &Case, file: &Path, found: &mut Vec<Diagnostic>) {
    let Some(u) = &case.utredning else { return };
    let mut empty = |pos: Pos, what: &str| {
        found.push(
            Diagnostic::warning(
                file,
                pos,
                Code::SosfsInnehall,
                format!("utredningen säger inte {what}, som Socialstyrelsens föreskrifter kräver"),
            )
            .with_hint("fyll i fältet innan utredningen avslutas"),
        );
    };
    match &u.intraffade {
        // The field is absent, so the utredning's first date stands for the section.
        None => empty(
            u.inledd.pos,
            "när händelsen inträffade (`intraffade` under `utredning:`)",
        ),
        Some(t) if t.value.is_blank() => empty(t.pos, "när händelsen inträffade (`intraffade`)"),
        _ => {}
    }
    let o = &u.orsaker;
    let causes = [
        &o.kommunikation,
        &o.utbildning,
        &o.processer,
        &o.organisation,
        &o.teknik,
        &o.andra,
    ];
    if causes
        .iter()
        .all(|c| c.as_ref().is_none_or(|t| t.value.is_blank()))
    {
        empty(
            u.inledd.pos,
            "något om bakomliggande orsaker (`orsaker` under `utredning:`)",
        );
    }
    for (text, what) in [
        (
            &u.intraffat_tidigare,
            "om det har inträffat tidigare (`intraffat_tidigare`)",
        ),
        (
            &u.kan_intraffa_igen_forklaring,
            "varför det kan eller inte kan inträffa igen (`kan_intraffa_igen_forklaring`)",
        ),
        (
            &u.atgarder.vidtagna,
            "vilka åtgärder som vidtagits (`atgarder.vidtagna`)",
        ),
        (&u.atgarder.nar, "när åtgärderna vidtogs (`atgarder.nar`)"),
    ] {
        if text.value.is_blank() {
            empty(text.pos, what);
        }
    }
}
