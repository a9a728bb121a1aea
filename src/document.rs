//! The documents of a case, one row each in [`DOCUMENTS`], and their file names.

use std::fmt;

use crate::case::Case;
use crate::source::values::{Date, Located};

/// One of the documents a case goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    /// Lex Sarah-rapport.
    Rapport,
    /// Lex Sarah-utredning.
    Utredning,
    /// Beslut enligt delegation.
    Beslut,
    /// The blankett "Anmälan – lex Sarah" to IVO.
    Anmalan,
    /// Tjänsteskrivelse to the nämnd.
    Tjansteskrivelse,
    /// The public notice on the kommun's website (seed 004).
    Notis,
}

/// An empty signature field a document puts over one of its signature lines.
#[derive(Debug, Clone, Copy)]
pub struct SignatureRole {
    /// The role as templates name it (`data.signatures.<role>`).
    pub role: &'static str,
    /// The field's name (`/T`); `{n}` is the signer's number where a role repeats.
    pub field: &'static str,
    /// What the field is for (`/TU`), for screen readers and signing services.
    pub description: &'static str,
    /// For a role with one field per signer, how many signers the case has.
    pub repeats: Option<fn(&Case) -> usize>,
}

/// Everything the tool knows of one kind of document, in one row of [`DOCUMENTS`].
#[derive(Debug)]
pub struct DocSpec {
    /// The document.
    pub kind: DocKind,
    /// The `--doc` token, also used in file names and as the case's section key.
    pub token: &'static str,
    /// The token as a Swede spells it (with å, ä, ö), also accepted by `--doc`.
    pub spelled: &'static str,
    /// Its name when the profile does not rename it.
    pub name: &'static str,
    /// Its name in Swedish prose, in the definite form ("beslutet").
    pub definite: &'static str,
    /// Where its date is written (the case-format reference's table of documents).
    pub date_key: &'static str,
    /// The field holding its date, with its place in the file; `None` without its section.
    pub date: fn(&Case) -> Option<&Located<Date>>,
    /// The PDF standards it meets by default (see the README for why).
    pub standards: &'static str,
    /// Whether it carries the sekretess marking unless the case sets `sekretess: false`.
    pub confidential: bool,
    /// Its signature fields.
    pub signatures: &'static [SignatureRole],
    /// The keys of the lagrum table it cites.
    pub lagrum: &'static [&'static str],
    /// Whether it is a letter: the Stockholm layout gives it a narrower body and a contact column.
    pub letter: bool,
    /// Whether its header names the nämnd it is sent to rather than the förvaltning.
    pub to_namnd: bool,
    /// Whether the diarienummer stands in the header from page 1, not only from page 2.
    pub dnr_on_first_page: bool,
    /// Whether it ends with the address of the registrator who gets the original.
    pub registrator: bool,
    /// The extension of a file written beside its PDF with the same content (the notice's web
    /// page, the anmälan's text for IVO's e-tjänst), if it has one.
    pub companion: Option<&'static str>,
    /// Whether it is another authority's blankett, printed in that blankett's own frame without
    /// the organisation's letterhead or logo (the anmälan to IVO).
    pub blankett: bool,
    /// The printed form's edition line, where the Stockholm header shows it instead of the name.
    pub form_edition: Option<&'static str>,
    /// Who handles it (Handläggare in the Mjölby header), from the case.
    pub handlaggare: fn(&Case) -> Option<String>,
    /// Who it is for (Mottagare in the Mjölby header), from the case and its nämnd.
    pub mottagare: fn(&Case, &str) -> Option<String>,
    /// How the diarium registers it (case-format.md's table of the diarium).
    pub diarium: DiariumRow,
}

/// How the diarium registers a kind of document: its direction, and who sends and who receives.
#[derive(Debug, Clone, Copy)]
pub struct DiariumRow {
    /// `inkommande`, `upprättad` or `utgående`.
    pub riktning: &'static str,
    /// Who sends it (or draws it up).
    pub avsandare: Part,
    /// Who receives it.
    pub mottagare: Part,
}

/// A party the diarium names, as a document's row describes it.
#[derive(Debug, Clone, Copy)]
pub enum Part {
    /// The document's Handläggare, as its row's `handlaggare` gives it.
    Handlaggare,
    /// The document's Mottagare, as its row's `mottagare` gives it.
    Mottagare,
    /// The case's nämnd.
    Namnd,
    /// The case's förvaltning.
    Forvaltning,
    /// The same name in every case.
    Named(&'static str),
    /// Nobody: a document drawn up and kept.
    Nobody,
}

/// How a document is registered in the diarium.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diarium {
    /// `inkommande`, `upprättad` or `utgående`.
    pub riktning: &'static str,
    /// Who sends it (or draws it up).
    pub avsandare: String,
    /// Who receives it; empty for a document drawn up and kept.
    pub mottagare: String,
}

/// The authority an anmälan goes to.
pub const IVO: &str = "Inspektionen för vård och omsorg";

/// The archive's standards; the documents that are not published meet these.
const ARCHIVE: &str = "a-2b";

/// The tjänsteskrivelse is published with the nämnd's agenda and so falls under the
/// accessibility law (lag 2018:1937): archival and accessible.
const PUBLISHED: &str = "a-2a,ua-1";

/// The documents of a case, in the order a case goes through them.
pub static DOCUMENTS: [DocSpec; 6] = [
    DocSpec {
        kind: DocKind::Rapport,
        token: "rapport",
        spelled: "rapport",
        name: "Lex Sarah-rapport",
        definite: "rapporten",
        date_key: "rapport.datum",
        date: |c| c.rapport.as_ref().map(|r| &r.datum),
        standards: ARCHIVE,
        confidential: true,
        signatures: &[
            SignatureRole {
                role: "rapportor",
                field: "Underskrift_rapportor",
                description: "Namnunderskrift av rapportören",
                repeats: None,
            },
            SignatureRole {
                role: "ej_utredning",
                field: "Underskrift_ej_utredning",
                description: "Underskrift av lex Sarah-ansvarig: ställningstagande att inte inleda utredning",
                repeats: None,
            },
        ],
        lagrum: &["rapportera", "rapportera_lss"],
        letter: false,
        to_namnd: true,
        dnr_on_first_page: true,
        registrator: false,
        companion: None,
        blankett: false,
        form_edition: None,
        handlaggare: |c| c.rapport.as_ref().map(|r| r.rapportor.namn.clone()),
        mottagare: |c, _| {
            let ansvarig = c
                .rapport
                .as_ref()
                .and_then(|r| r.lex_sarah_ansvarig.as_ref());
            Some(ansvarig.map_or_else(|| "Lex Sarah-ansvarig".into(), |a| a.namn.clone()))
        },
        diarium: DiariumRow {
            riktning: "inkommande",
            avsandare: Part::Handlaggare,
            mottagare: Part::Mottagare,
        },
    },
    DocSpec {
        kind: DocKind::Utredning,
        token: "utredning",
        spelled: "utredning",
        name: "Lex Sarah-utredning",
        definite: "utredningen",
        date_key: "utredning.avslutad, else utredning.inledd",
        date: |c| {
            c.utredning
                .as_ref()
                .map(|u| u.avslutad.as_ref().unwrap_or(&u.inledd))
        },
        standards: ARCHIVE,
        confidential: true,
        signatures: &[],
        lagrum: &[],
        letter: false,
        to_namnd: false,
        dnr_on_first_page: false,
        registrator: false,
        companion: None,
        blankett: false,
        form_edition: Some("Utredningsmall lex Sarah 2014-02-19"),
        handlaggare: |c| c.utredning.as_ref().map(|u| u.utredare.namn.clone()),
        mottagare: |_, namnd| Some(namnd.to_string()),
        diarium: DiariumRow {
            riktning: "upprättad",
            avsandare: Part::Handlaggare,
            mottagare: Part::Nobody,
        },
    },
    DocSpec {
        kind: DocKind::Beslut,
        token: "beslut",
        spelled: "beslut",
        name: "Beslut enligt delegation",
        definite: "beslutet",
        date_key: "beslut.datum",
        date: |c| c.beslut.as_ref().map(|b| &b.datum),
        standards: ARCHIVE,
        confidential: true,
        signatures: &[SignatureRole {
            role: "beslutsfattare",
            field: "Underskrift_beslutsfattare",
            description: "Underskrift av beslutsfattaren",
            repeats: None,
        }],
        lagrum: &[],
        letter: true,
        to_namnd: false,
        dnr_on_first_page: false,
        registrator: true,
        companion: None,
        blankett: false,
        form_edition: None,
        handlaggare: |c| c.beslut.as_ref().map(|b| b.beslutsfattare.namn.clone()),
        mottagare: |_, _| None,
        diarium: DiariumRow {
            riktning: "upprättad",
            avsandare: Part::Handlaggare,
            mottagare: Part::Nobody,
        },
    },
    DocSpec {
        kind: DocKind::Anmalan,
        token: "anmalan",
        spelled: "anmälan",
        name: "Anmälan – lex Sarah",
        definite: "anmälan",
        date_key: "anmalan.datum, else arende.ivo_anmalan",
        date: |c| c.anmalan.as_ref().and(c.ivo_date()),
        standards: ARCHIVE,
        confidential: true,
        signatures: &[SignatureRole {
            role: "anmalningsansvarig",
            field: "Underskrift_anmalningsansvarig",
            description: "Den anmälningsansvariges underskrift/protokollsutdrag",
            repeats: None,
        }],
        lagrum: &[
            "anmala",
            "anmala_lss",
            "utreda",
            "utreda_lss",
            "anmalan_blankett",
        ],
        letter: false,
        to_namnd: false,
        dnr_on_first_page: true,
        registrator: false,
        companion: Some("txt"),
        blankett: true,
        form_edition: None,
        handlaggare: |c| {
            c.anmalan
                .as_ref()
                .map(|a| a.anmalningsansvarig.value.namn.clone())
        },
        mottagare: |_, _| Some(IVO.into()),
        diarium: DiariumRow {
            riktning: "utgående",
            avsandare: Part::Namnd,
            mottagare: Part::Named(IVO),
        },
    },
    DocSpec {
        kind: DocKind::Tjansteskrivelse,
        token: "tjansteskrivelse",
        spelled: "tjänsteskrivelse",
        name: "Tjänsteskrivelse",
        definite: "tjänsteskrivelsen",
        date_key: "tjansteskrivelse.datum",
        date: |c| c.tjansteskrivelse.as_ref().map(|t| &t.datum),
        standards: PUBLISHED,
        confidential: false,
        signatures: &[SignatureRole {
            role: "undertecknare",
            field: "Underskrift_undertecknare_{n}",
            description: "Underskrift av undertecknare {n}",
            repeats: Some(|c| {
                c.tjansteskrivelse
                    .as_ref()
                    .map_or(0, |t| t.undertecknare.len())
            }),
        }],
        lagrum: &[
            "sol",
            "rapportera",
            "rapportera_lss",
            "utreda",
            "utreda_lss",
            "utreda_nar",
            "anmala",
            "anmala_lss",
        ],
        letter: true,
        to_namnd: false,
        dnr_on_first_page: false,
        registrator: false,
        companion: None,
        blankett: false,
        form_edition: None,
        handlaggare: |c| c.tjansteskrivelse.as_ref().map(|t| t.handlaggare.clone()),
        mottagare: |c, namnd| {
            let t = c.tjansteskrivelse.as_ref()?;
            Some(t.mottagare.clone().unwrap_or_else(|| namnd.to_string()))
        },
        diarium: DiariumRow {
            riktning: "utgående",
            avsandare: Part::Forvaltning,
            mottagare: Part::Mottagare,
        },
    },
    DocSpec {
        kind: DocKind::Notis,
        token: "notis",
        spelled: "notis",
        name: "Nyhet om lex Sarah-anmälan",
        definite: "nyheten",
        date_key: "notis.publicerad",
        date: |c| c.notis.as_ref().map(|n| &n.publicerad),
        standards: PUBLISHED,
        confidential: false,
        signatures: &[],
        lagrum: &[
            "sol",
            "rapportera",
            "rapportera_lss",
            "anmala",
            "anmala_lss",
        ],
        letter: false,
        to_namnd: false,
        dnr_on_first_page: false,
        registrator: false,
        companion: Some("html"),
        blankett: false,
        form_edition: None,
        // Published: no person's name in its header.
        handlaggare: |_| None,
        mottagare: |_, _| None,
        diarium: DiariumRow {
            riktning: "utgående",
            avsandare: Part::Forvaltning,
            mottagare: Part::Named("Allmänheten (kommunens webbplats)"),
        },
    },
];

impl DocKind {
    /// Every document, in the order a case goes through them.
    pub const ALL: [DocKind; 6] = [
        DocKind::Rapport,
        DocKind::Utredning,
        DocKind::Beslut,
        DocKind::Anmalan,
        DocKind::Tjansteskrivelse,
        DocKind::Notis,
    ];

    /// The document's row in the table of documents.
    pub fn spec(self) -> &'static DocSpec {
        &DOCUMENTS[self as usize]
    }

    /// The `--doc` token, also used in file names.
    pub fn token(self) -> &'static str {
        self.spec().token
    }

    /// Parses a `--doc` token, also as a Swede spells it (`tjänsteskrivelse`).
    pub fn from_token(token: &str) -> Option<Self> {
        DOCUMENTS
            .iter()
            .find(|d| d.token == token || d.spelled == token)
            .map(|d| d.kind)
    }

    /// The document's name when the profile does not rename it.
    pub fn default_name(self) -> &'static str {
        self.spec().name
    }

    /// The document in Swedish prose, in the definite form ("beslutet").
    pub fn definite(self) -> &'static str {
        self.spec().definite
    }

    /// Whether the case has the section this document is made from.
    pub fn is_in(self, case: &Case) -> bool {
        self.date_field(case).is_some()
    }

    /// Every document the case has a section for, in the order of [`DocKind::ALL`].
    pub fn all_in(case: &Case) -> Vec<DocKind> {
        DocKind::ALL.into_iter().filter(|d| d.is_in(case)).collect()
    }

    /// The document's date (the case-format reference, "Documents, dates and file names").
    pub fn date(self, case: &Case) -> Option<Date> {
        self.date_field(case).map(|d| d.value)
    }

    /// The field that holds the document's date, with its place in the file.
    pub fn date_field(self, case: &Case) -> Option<&Located<Date>> {
        (self.spec().date)(case)
    }

    /// How the diarium registers this document of the case, with its organisation's nämnd and
    /// förvaltning.
    pub fn diarium(self, case: &Case, profile: &crate::profile::Profile) -> Diarium {
        let spec = self.spec();
        let namnd = case.namnd(profile);
        let name = |part: Part| match part {
            Part::Handlaggare => (spec.handlaggare)(case),
            Part::Mottagare => (spec.mottagare)(case, namnd),
            Part::Namnd => Some(namnd.to_string()),
            Part::Forvaltning => Some(case.forvaltning(profile).to_string()),
            Part::Named(name) => Some(name.to_string()),
            Part::Nobody => None,
        };
        Diarium {
            riktning: spec.diarium.riktning,
            avsandare: name(spec.diarium.avsandare).unwrap_or_default(),
            mottagare: name(spec.diarium.mottagare).unwrap_or_default(),
        }
    }

    /// Whether this document of the case carries the sekretess marking.
    pub fn is_confidential(self, case: &Case) -> bool {
        self.spec().confidential && case.is_confidential()
    }

    /// The PDF's file name for a case with this diarienummer.
    pub fn file_name(self, diarienummer: &str) -> String {
        format!("{}-{}.pdf", file_stem(diarienummer), self.token())
    }

    /// The file that says where the PDF's signature lines are (`render --underskriftsfalt`).
    pub fn places_name(self, diarienummer: &str) -> String {
        format!(
            "{}-{}.underskriftsfalt.json",
            file_stem(diarienummer),
            self.token()
        )
    }

    /// The name of the file with the document's content in another form, if it has one.
    pub fn companion_name(self, diarienummer: &str) -> Option<String> {
        let extension = self.spec().companion?;
        Some(format!(
            "{}-{}.{extension}",
            file_stem(diarienummer),
            self.token()
        ))
    }

    /// Whether a file name is that of a document's companion (`…-notis.html`, `…-anmalan.txt`).
    pub fn is_companion_name(name: &str) -> bool {
        DOCUMENTS.iter().any(|d| {
            d.companion
                .is_some_and(|ext| name.ends_with(&format!("-{}.{ext}", d.token)))
        })
    }
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.token())
    }
}

/// The file-name stem of a diarienummer: each run of unsafe characters becomes one `-`.
///
/// Unsafe are separators, the characters Windows forbids, control characters, spaces, and the
/// invisible and bidirectional marks that make a name read otherwise than it is (`\u{202e}`
/// shows "gnp.yaml" as "lmay.png").
pub fn file_stem(diarienummer: &str) -> String {
    let unsafe_char = |c: char| {
        matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
            || c.is_control()
            || c.is_whitespace()
            || crate::publish::fold::is_format(c)
    };
    let mut stem = String::with_capacity(diarienummer.len());
    let mut in_run = false;
    for c in diarienummer.chars() {
        if unsafe_char(c) {
            if !in_run {
                stem.push('-');
            }
            in_run = true;
        } else {
            stem.push(c);
            in_run = false;
        }
    }
    // A stem of only dots would name the folder itself or its parent, and one that starts
    // with a dot would be a hidden file that a zip or a file browser leaves out.
    if stem.starts_with('.') || stem.chars().all(|c| c == '.' || c == '-') {
        stem = format!("arende{stem}");
    }
    stem
}

/// What two diarienummer must not share within one run: their file stems compared without case
/// and after Unicode normalisation (NFC), as a case-insensitive file system (Windows, macOS,
/// most shares) would see the files.
pub fn stem_key(diarienummer: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    file_stem(diarienummer)
        .nfc()
        .collect::<String>()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_runs_become_one_dash() {
        assert_eq!(file_stem("2021/ASN 0026"), "2021-ASN-0026");
        assert_eq!(file_stem("AMN 2019-0746-1.3"), "AMN-2019-0746-1.3");
        assert_eq!(
            file_stem("2020-0428_Lex Sara_200324"),
            "2020-0428_Lex-Sara_200324"
        );
        assert_eq!(file_stem("a : / b"), "a-b");
    }

    #[test]
    fn stems_that_one_file_system_would_take_for_one_name_share_a_key() {
        assert_eq!(stem_key("AMN 1"), stem_key("AMN/1"));
        assert_eq!(stem_key("AMN 1"), stem_key("amn:1"));
        // "Å" written as one character and as A with a combining ring.
        assert_eq!(stem_key("\u{c5}SN 1"), stem_key("A\u{30a}SN 1"));
        assert_ne!(stem_key("AMN 1"), stem_key("AMN 2"));
    }

    #[test]
    fn a_stem_never_climbs_out_of_its_folder() {
        assert_eq!(file_stem(".."), "arende..");
        assert_eq!(file_stem("../../etc"), "arende..-..-etc");
        assert_eq!(file_stem(".hidden"), "arende.hidden");
    }

    #[test]
    fn a_stem_holds_no_mark_that_makes_it_read_otherwise() {
        assert_eq!(file_stem("AMN\u{202e}gnp"), "AMN-gnp");
        assert_eq!(file_stem("AMN 1\u{200b}"), "AMN-1-");
        assert_eq!(file_stem("AMN\u{feff}\u{ad}1"), "AMN-1");
    }

    #[test]
    fn tokens_round_trip_and_each_row_is_its_own_kind() {
        for doc in DocKind::ALL {
            assert_eq!(DocKind::from_token(doc.token()), Some(doc));
            assert_eq!(doc.spec().kind, doc);
        }
    }

    #[test]
    fn every_token_is_a_section_of_the_case() {
        let schema = &*crate::case::schema::CASE_SCHEMA;
        for spec in &DOCUMENTS {
            assert!(
                schema["properties"].get(spec.token).is_some(),
                "{} is no section of the case",
                spec.token
            );
        }
    }

    #[test]
    fn every_lagrum_key_a_document_cites_is_in_the_table() {
        let table = crate::lagrum::table();
        for spec in &DOCUMENTS {
            for key in spec.lagrum {
                assert!(table.provision(key).is_some(), "{}: {key}", spec.token);
            }
        }
    }
}
