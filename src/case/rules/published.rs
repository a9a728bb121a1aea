//! The published documents of a case (the public notice and the tjänsteskrivelse) hold no
//! personnummer, no invisible character and no name of the case's people in any field they
//! print; the notice no contact detail or exact date either. Every field is read as it stands in
//! the file and folded as a reader sees it (`crate::publish`).

use std::path::Path;

use super::notis::people;
use crate::case::model::Case;
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::profile::{Profile, ResolvedProfile};
use crate::publish::report::{Published, diagnostic};
use crate::publish::{self, Look};
use crate::source::structure::{Kind, Node, field_path};

/// The fields of `arende` that each published document prints (in its header, its PDF's title
/// and keywords, and its file name).
const ARENDE_NOTICE: &[&str] = &["diarienummer", "namnd", "forvaltning"];
const ARENDE_TJANSTESKRIVELSE: &[&str] = &["diarienummer", "rubrik", "namnd", "forvaltning"];

/// Checks every printed field of the case's notice and tjänsteskrivelse, and the profile's
/// values that they print.
pub(super) fn check(
    case: &Case,
    profile: &Profile,
    file: &Path,
    source: &str,
    found: &mut Vec<Diagnostic>,
) {
    if case.notis.is_none() && case.tjansteskrivelse.is_none() {
        return;
    }
    // Read as the check read it, with the same parser options: the case passed its structural
    // check, so its tree is there.
    let read = crate::source::SourceFile {
        path: file.to_path_buf(),
        text: source.to_string(),
    };
    let Ok(tree) = crate::source::parse_yaml::<Node>(&read) else {
        return;
    };
    let everyone = people(case);
    if case.notis.is_some() {
        notice(case, profile, &tree, &everyone, file, source, found);
    }
    if let Some(t) = &case.tjansteskrivelse {
        // Its handläggare and undertecknare sign it: their names are its own.
        let own: Vec<&str> = std::iter::once(t.handlaggare.as_str())
            .chain(t.undertecknare.iter().map(|p| p.namn.as_str()))
            .collect();
        let others: Vec<String> = everyone
            .iter()
            .filter(|name| !own.iter().any(|o| publish::same_name(o, name)))
            .cloned()
            .collect();
        let look = Look {
            names: &others,
            ..Look::NEVER
        };
        let mut fields = strings_under(&tree, "arende", ARENDE_TJANSTESKRIVELSE);
        fields.extend(strings_under(&tree, "tjansteskrivelse", &[]));
        for (path, pos, text) in fields {
            for finding in publish::scan(&text, &look) {
                found.push(diagnostic(
                    &finding,
                    Published::Tjansteskrivelse,
                    file,
                    pos,
                    Some(source),
                    &path,
                ));
            }
        }
    }
}

/// The profile's values that the notice and the tjänsteskrivelse print (its names, addresses,
/// document names, standard texts): no invisible character and no personnummer. The
/// organisation's own contact details are the letterhead's, and stand as written. Each finding
/// is placed at the profile file (a built-in profile is named by its id).
pub fn profile_values(case: &Case, profile: &ResolvedProfile) -> Vec<Diagnostic> {
    if case.notis.is_none() && case.tjansteskrivelse.is_none() {
        return Vec::new();
    }
    let file = profile
        .file
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from(format!("profil {}", profile.profile.id)));
    let value = serde_json::to_value(&profile.profile).unwrap_or_default();
    let mut texts = Vec::new();
    json_strings(&value, String::new(), &mut texts);
    let doc = if case.notis.is_some() {
        Published::Notice
    } else {
        Published::Tjansteskrivelse
    };
    texts
        .iter()
        .flat_map(|(path, text)| {
            publish::scan(text, &Look::NEVER)
                .iter()
                .map(|finding| diagnostic(finding, doc, &file, Pos::UNKNOWN, None, path))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every string in a JSON value with its dotted path (keys left out of what is searched).
fn json_strings(value: &serde_json::Value, path: String, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::String(s) => out.push((path, s.clone())),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                json_strings(item, field_path(&path, &i.to_string()), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                json_strings(item, field_path(&path, key), out);
            }
        }
        _ => {}
    }
}

/// The notice's fields: its own section and the ärende's printed fields with every rule;
/// `kontakt` may name its own person, with a title that holds no other name or number.
fn notice(
    case: &Case,
    profile: &Profile,
    tree: &Node,
    everyone: &[String],
    file: &Path,
    source: &str,
    found: &mut Vec<Diagnostic>,
) {
    let kontakt = case.notis.as_ref().and_then(|n| n.kontakt.as_ref());
    let others: Vec<String> = everyone
        .iter()
        .filter(|name| !kontakt.is_some_and(|k| publish::same_name(&k.namn.value, name)))
        .cloned()
        .collect();
    let mut fields = strings_under(tree, "arende", ARENDE_NOTICE);
    fields.extend(strings_under(tree, "notis", &[]));
    for (path, pos, text) in fields {
        let look = match path.as_str() {
            // The document's own date, and the contact's own details.
            "notis.publicerad" | "notis.kontakt.telefon" | "notis.kontakt.epost" => Look::NEVER,
            "notis.kontakt.namn" => Look {
                contact: true,
                dates: true,
                ..Look::NEVER
            },
            "arende.diarienummer" => Look {
                names: &others,
                ..Look::NEVER
            },
            _ => Look {
                names: &others,
                contact: true,
                dates: true,
            },
        };
        for finding in publish::scan(&text, &look) {
            found.push(diagnostic(
                &finding,
                Published::Notice,
                file,
                pos,
                Some(source),
                &path,
            ));
        }
    }
    if let Some(k) = kontakt {
        contact_person(k, profile, case, file, source, found);
    }
}

/// `kontakt.namn` is a person's name and nothing else; `kontakt.titel` holds no number and no
/// word that may be a name.
fn contact_person(
    k: &crate::case::model::Kontakt,
    profile: &Profile,
    case: &Case,
    file: &Path,
    source: &str,
    found: &mut Vec<Diagnostic>,
) {
    let name = publish::fold::Folded::new(&k.namn.value).text;
    if !publish::is_name_only(&name) {
        found.push(
            Diagnostic::error(
                file,
                k.namn.pos,
                Code::PubliceratKontakt,
                format!(
                    "`notis.kontakt.namn` ska bara vara kontaktpersonens namn, men är \"{}\"",
                    crate::diagnostics::printable(&k.namn.value)
                ),
            )
            .with_hint("skriv bara för- och efternamn; titeln står i `titel`, och nyheten får inte nämna någon annan")
            .at_field("notis.kontakt.namn"),
        );
    }
    let Some(titel) = &k.titel else { return };
    let folded = publish::fold::Folded::new(titel).text;
    let allowed = super::notis::allowed_words(profile, case);
    let mut problems: Vec<String> = Vec::new();
    if folded.chars().any(|c| c.is_ascii_digit()) {
        problems.push("en siffra".into());
    }
    // The title's first word may have its capital; any other capitalised word may be a name.
    let names = publish::name_like_words(&folded, &allowed);
    if !names.is_empty() {
        problems.push(format!("ord som kan vara namn ({})", names.join(", ")));
    }
    if !problems.is_empty() {
        let at = source
            .lines()
            .enumerate()
            .skip(k.namn.pos.line as usize)
            .find(|(_, line)| line.trim_start().starts_with("titel:"))
            .map_or(k.namn.pos, |(i, _)| Pos {
                line: i as u32 + 1,
                column: 1,
            });
        found.push(
            Diagnostic::error(
                file,
                at,
                Code::PubliceratKontakt,
                format!(
                    "`notis.kontakt.titel` har {}, och nyheten publiceras",
                    problems.join(" och ")
                ),
            )
            .with_hint("skriv bara kontaktpersonens befattning (\"kvalitetsutvecklare\"); ett namn på en organisation eller plats läggs i profilens `organisationsnamn`")
            .at_field("notis.kontakt.titel"),
        );
    }
}

/// Every text under the top-level key `section` (only its keys in `keys`, unless empty), as
/// (dotted path, place, text); numbers count as their digits.
fn strings_under(tree: &Node, section: &str, keys: &[&str]) -> Vec<(String, Pos, String)> {
    let mut out = Vec::new();
    let Some(node) = tree.at([section]) else {
        return out;
    };
    match &node.kind {
        Kind::Map(entries) => {
            for (key, value) in entries {
                if keys.is_empty() || keys.contains(&key.value.as_str()) {
                    collect(value, field_path(section, &key.value), &mut out);
                }
            }
        }
        _ => collect(node, section.to_string(), &mut out),
    }
    out
}

fn collect(node: &Node, path: String, out: &mut Vec<(String, Pos, String)>) {
    match &node.kind {
        Kind::Str(text) => out.push((path, node.pos, text.clone())),
        Kind::Int(n) => out.push((path, node.pos, n.to_string())),
        Kind::Map(entries) => {
            for (key, value) in entries {
                collect(value, field_path(&path, &key.value), out);
            }
        }
        Kind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, field_path(&path, &i.to_string()), out);
            }
        }
        Kind::Bool(_) | Kind::Float(_) | Kind::Null => {}
    }
}
