//! What a finding in published text is called, how serious it is in each published document,
//! and what the person should do about it.

use std::path::Path;

use super::{Finding, Kind};
use crate::diagnostics::{Code, Diagnostic, Pos};

/// A document that is published, whose text is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// The public notice on the kommun's website.
    Notice,
    /// The tjänsteskrivelse, which goes to the nämnd and can become public.
    Tjansteskrivelse,
    /// The nämnd's summary of a period.
    Summary,
}

impl Published {
    /// Why it matters, as the end of a message: "…, och nyheten publiceras".
    fn why(self) -> &'static str {
        match self {
            Published::Notice => "och nyheten publiceras",
            Published::Tjansteskrivelse => "i text som går till nämnden och kan bli offentlig",
            Published::Summary => "och nämndens sammanställning publiceras",
        }
    }
}

/// The diagnostic for a finding in `doc`, at `pos` in `file` (the place of the finding itself,
/// found from `pos` in `source` when the source is known), under `field` when one is named.
pub fn diagnostic(
    finding: &Finding,
    doc: Published,
    file: &Path,
    pos: Pos,
    source: Option<&str>,
    field: &str,
) -> Diagnostic {
    let at = source.map_or(pos, |s| pos.find_from(s, finding.text));
    let why = doc.why();
    // A list item's position is left out of what a person reads, as in every message.
    let named: Vec<&str> = field
        .split('.')
        .filter(|part| !part.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let named = named.join(".");
    let shown = crate::diagnostics::printable(finding.text);
    let tjansteskrivelse = doc == Published::Tjansteskrivelse;
    let (code, message, hint) = match &finding.kind {
        Kind::Invisible(c) => (
            Code::PubliceratOsynligtTecken,
            format!(
                "`{named}` har ett osynligt tecken, {}, {why}",
                super::describe_invisible(*c)
            ),
            "ta bort tecknet (det följer ofta med när text klistras in från Word eller en webbsida); skriv om ordet runt det för hand".to_string(),
        ),
        Kind::Personnummer => (
            Code::PubliceratPersonnummer,
            format!("`{shown}` ser ut som ett personnummer {why}"),
            "ta bort numret; det som publiceras får inte kunna identifiera någon".to_string(),
        ),
        Kind::Name(name) => (
            if tjansteskrivelse {
                Code::TjansteskrivelseNamn
            } else {
                Code::PubliceratNamn
            },
            format!("`{shown}` är ett namn ur ärendet ({name}) {why}"),
            match doc {
                Published::Notice => "skriv en befattning i stället (\"en medarbetare\", \"enhetschefen\"); bara `kontakt` får ha ett namn".to_string(),
                Published::Tjansteskrivelse => "skriv en befattning i stället, om inte namnet ska stå där; tjänsteskrivelsens handläggare och undertecknare får stå med namn".to_string(),
                Published::Summary => "skriv rubriken utan namn, till exempel med en befattning (\"en medarbetare\")".to_string(),
            },
        ),
        Kind::Contact => (
            Code::PubliceratKontaktuppgift,
            format!("`{shown}` är en e-postadress eller ett telefonnummer {why}"),
            "ta bort den; den som vill fråga når kontaktpersonen under `kontakt`".to_string(),
        ),
        Kind::Date => (
            Code::PubliceratDatum,
            format!("`{shown}` är ett exakt datum {why}"),
            "skriv ungefär när, som \"i mitten av mars\" eller \"under hösten\"; ett datum kan peka ut den enskilde".to_string(),
        ),
    };
    let mut d = match code.severity() {
        crate::diagnostics::Severity::Error => Diagnostic::error(file, at, code, message),
        crate::diagnostics::Severity::Warning => Diagnostic::warning(file, at, code, message),
    };
    d = d.marking(finding.text).with_hint(hint);
    if !field.is_empty() {
        d = d.at_field(field);
    }
    d
}
