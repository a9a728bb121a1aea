//! The law the documents cite: `arende.lagrum` and the dates of the documents.

use std::path::Path;

use crate::case::model::Case;
use crate::diagnostics::{Code, Diagnostic};
use crate::document::DocKind;

/// The law the documents cite: a pin names a known law, each document's date has references,
/// and a pin that disagrees with a document's date is said.
pub(super) fn check(case: &Case, file: &Path, found: &mut Vec<Diagnostic>) {
    let table = crate::lagrum::table();
    let pin = case.arende.lagrum.as_ref();
    let pinned = match pin {
        Some(p) => match table.law(&p.value.0) {
            Some(law) => Some(law),
            None => {
                let known: Vec<String> = table
                    .socialtjanstlagar
                    .iter()
                    .map(|l| format!("`{}` ({})", l.sfs, l.namn))
                    .collect();
                found.push(
                    Diagnostic::error(
                        file,
                        p.pos,
                        Code::OgiltigtVarde,
                        format!(
                            "`lagrum: {}` är ingen socialtjänstlag som lexsarah känner",
                            p.value.0
                        ),
                    )
                    .with_hint(format!(
                        "skriv {}, eller ta bort raden så avgör varje handlings datum",
                        known.join(" eller ")
                    )),
                );
                return;
            }
        },
        None => None,
    };
    let first = table.first_date();
    // Documents whose own date falls under another law than the pinned one, by that law.
    let mut disagree: Vec<(&str, Vec<String>)> = Vec::new();
    for doc in DocKind::all_in(case) {
        let Some(field) = doc.date_field(case) else {
            continue;
        };
        let cited = table.cited_date(field.value, pin.map(|p| p.value.0.as_str()));
        if cited < first {
            found.push(
                Diagnostic::error(
                    file,
                    field.pos,
                    Code::LagrumSaknas,
                    format!(
                        "{} är daterad {}, före {first}, och lexsarah har inga lagrum för lex Sarah så tidigt",
                        doc.definite(),
                        field.value
                    ),
                )
                .with_hint("kontrollera datumet; en så gammal handling får skrivas utan lexsarah"),
            );
            continue;
        }
        if let (Some(law), Some(in_force)) = (pinned, table.law_on(field.value))
            && law.sfs != in_force.sfs
        {
            let entry = format!("{} ({})", doc.definite(), field.value);
            match disagree.iter_mut().find(|(n, _)| *n == in_force.namn) {
                Some((_, docs)) => docs.push(entry),
                None => disagree.push((&in_force.namn, vec![entry])),
            }
        }
    }
    let (Some(p), Some(law)) = (pin, pinned) else {
        return;
    };
    for (in_force, docs) in disagree {
        found.push(
            Diagnostic::warning(
                file,
                p.pos,
                Code::LagrumSkiljer,
                format!(
                    "ärendet hänvisar till {}, men {} är {} när {in_force} gällde",
                    law.namn,
                    list_sv(&docs),
                    if docs.len() == 1 { "daterad" } else { "daterade" }
                ),
            )
            .with_hint("kontrollera att organisationen verkligen har bestämt det; utan `lagrum:` avgör handlingarnas datum"),
        );
    }
}

/// Joins items as Swedish prose: "a", "a och b", "a, b och c".
fn list_sv(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} och {last}", rest.join(", ")),
    }
}
