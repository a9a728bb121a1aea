//! `lexsarah profiles`: list the built-in profiles, or print one as a starting point.

use std::io::Write;
use std::path::Path;

use crate::ExitStatus;
use crate::cli::{ProfilesAction, ProfilesArgs};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::profile::{self, Layout};

/// Lists the built-in profiles, or prints the one named by `show NAME`.
pub fn run(args: &ProfilesArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    match &args.action {
        None => list(out, err),
        Some(ProfilesAction::Show { name }) => match profile::built_in_text(name) {
            Some(text) => {
                let _ = write!(out, "{text}{}", unset_settings(text));
                ExitStatus::Success
            }
            None => {
                let names: Vec<_> = profile::built_in_names().collect();
                let problem = Diagnostic::error(
                    Path::new(name),
                    Pos::UNKNOWN,
                    Code::OkandProfil,
                    format!("det finns ingen inbyggd profil som heter `{name}`"),
                )
                .with_hint(format!("inbyggda profiler: {}", names.join(", ")));
                super::cannot_run(err, &problem)
            }
        },
    }
}

/// Prints one line per built-in profile (name, layout, kommun, förvaltning), and how to go on.
fn list(out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    for name in profile::built_in_names() {
        let Ok(resolved) = profile::resolve(
            name,
            Path::new("."),
            Path::new(name),
            Pos::UNKNOWN,
            &profile::AllowedPaths::default(),
            false,
        ) else {
            continue;
        };
        let p = resolved.profile;
        let layout = match p.layout {
            Layout::Stockholm => "stockholm",
            Layout::Mjolby => "mjolby",
        };
        let _ = writeln!(
            out,
            "{name:<12} layout {layout:<10} {}, {}",
            p.kommun, p.forvaltning
        );
    }
    let _ = writeln!(
        err,
        "tips: skriv ut en med `lexsarah profiles show NAMN > min-profil.yaml`, ändra den och ange filen i ärendet (`profil: min-profil.yaml`)."
    );
    ExitStatus::Success
}

/// Every optional setting of a profile: (key, an example line, what it does), in Swedish.
const SETTINGS: &[(&str, &str, &str)] = &[
    (
        "besoksadress",
        "besoksadress: Storgatan 1",
        "besöksadressen i kontaktspalten",
    ),
    (
        "adress",
        "adress: [\"Box 100\", \"123 45 Orten\"]",
        "postadressen, en rad per del",
    ),
    (
        "telefon",
        "telefon: \"000-00 00 00\"",
        "telefonnumret i kontaktspalten",
    ),
    ("vaxel", "vaxel: \"000-00 00 00\"", "växelns nummer"),
    (
        "epost",
        "epost: forvaltningen@kommun.example",
        "förvaltningens e-postadress",
    ),
    ("webb", "webb: www.kommun.example", "webbadressen"),
    (
        "registrator",
        "registrator: [\"Förvaltningen\", \"Registrator\", \"Box 100\", \"123 45 Orten\"]",
        "dit beslutet i original skickas; utan den förvaltningens namn och postadress",
    ),
    (
        "arkivbildare",
        "arkivbildare: Socialnämnden i Orten",
        "arkivbildaren som informationspaketen till e-arkivet anger; förval nämnden och kommunen",
    ),
    (
        "arkivbildare_id",
        "arkivbildare_id: \"212000-0000\"",
        "arkivbildarens identitet i informationspaketen, till exempel organisationsnumret",
    ),
    (
        "klassificering",
        "klassificering: \"3.2.1\"",
        "lex Sarah-ärendenas kod i klassificeringsstrukturen (till exempel KLASSA), i informationspaketen",
    ),
    (
        "ivo_adress",
        "ivo_adress: [\"Avdelning öst\", \"Box 000\", \"000 00 Orten\"]",
        "IVO:s regionala avdelning som anmälan till IVO skickas till, en rad per del",
    ),
    (
        "diarienummer_monster",
        "diarienummer_monster: '^SN \\d{4}-\\d{4}$'",
        "ett reguljärt uttryck som varje diarienummer måste följa",
    ),
    (
        "logotyp",
        "logotyp: logga.svg",
        "en SVG- eller PNG-fil bredvid profilfilen",
    ),
    (
        "logotyp_alt",
        "logotyp_alt: Kommunens logotyp",
        "logotypens alternativtext; förval kommunens namn",
    ),
    (
        "sekretessmarkering",
        "sekretessmarkering: \"Sekretess enligt 26 kap. 1 § OSL\"",
        "märkningen på handlingar med sekretess",
    ),
    (
        "datumformat",
        "datumformat: iso",
        "iso (2019-12-10) eller kort (191210)",
    ),
    (
        "dokumentnamn",
        "dokumentnamn: { tjansteskrivelse: Tjänsteutlåtande }",
        "vad organisationen kallar en handling (rapport, utredning, beslut, tjansteskrivelse, notis)",
    ),
    (
        "forslag_rubrik",
        "forslag_rubrik: Förvaltningens förslag till beslut",
        "rubriken över förslagen i tjänsteskrivelsen",
    ),
    (
        "lagtext_riktlinje",
        "lagtext_riktlinje: Enligt nämndens riktlinjer ska allvarliga missförhållanden som anmäls till IVO informeras nämnden.",
        "en egen mening som avslutar tjänsteskrivelsens standardtext",
    ),
    (
        "underskriftsfalt",
        "underskriftsfalt: false",
        "utan tomma underskriftsfält, för en signeringstjänst som inte tar emot formulär",
    ),
    (
        "notis_larande",
        "notis_larande: Det är genom att uppmärksamma våra fel och brister som vi kan bli bättre.",
        "stycket som avslutar nyheten om en anmälan till IVO",
    ),
    (
        "organisationsnamn",
        "organisationsnamn: [Jobbtorg Söderort]",
        "namn som nyheten får nämna utöver kommunen, förvaltningen och nämnden",
    ),
];

/// The settings a profile's text does not set, commented, so that a copy shows them all.
fn unset_settings(text: &str) -> String {
    let set = |key: &str| text.lines().any(|l| l.starts_with(&format!("{key}:")));
    let unset: Vec<String> = SETTINGS
        .iter()
        .filter(|(key, ..)| !set(key))
        .map(|(_, example, what)| format!("# {example}\n#   ({what})\n"))
        .collect();
    if unset.is_empty() {
        String::new()
    } else {
        format!(
            "\n# Inställningar som profilen inte använder; ta bort # för att använda en:\n{}",
            unset.concat()
        )
    }
}
