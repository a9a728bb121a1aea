//! The data a template reads: the case, the profile and what is derived from them, as JSON.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;

use crate::case::Case;
use crate::case::model::Utfall;
use crate::document::{DOCUMENTS, DocKind, SignatureRole};
use crate::lagrum;
use crate::profile::{Datumformat, Layout, Profile};
use crate::source::values::Date;

/// The version of `data.json`'s format; a templates folder declares the one it was written for.
///
/// Raise it when a change to the data would break templates written for the old one.
pub const DATA_FORMAT: u32 = 1;

/// Everything one document's template reads, serialized to `data.json`.
#[derive(Debug, Serialize)]
pub struct DocumentData<'a> {
    /// The version of this format, [`DATA_FORMAT`].
    pub format: u32,
    /// The `--doc` token of the document.
    pub doc: &'static str,
    /// The layout family.
    pub layout: Layout,
    /// What the profile calls this document.
    pub document_name: &'a str,
    /// The förvaltning, from the case or else the profile.
    pub forvaltning: &'a str,
    /// The nämnd, from the case or else the profile.
    pub namnd: &'a str,
    /// The sekretess marking, where this document carries one.
    pub sekretess: Option<&'a str>,
    /// The PDF's metadata.
    pub meta: Meta,
    /// The organisation's letterhead.
    pub profile: ProfileView<'a>,
    /// The case as written (free text split into blocks, dates in ISO form), with only the
    /// ärende and this document's own section: nothing it does not print.
    pub case: serde_json::Value,
    /// The legal references the document cites, in force on its date (or the case's pin).
    pub lagrum: BTreeMap<&'static str, &'static str>,
    /// What the layout needs to know of the document it frames.
    pub frame: Frame<'a>,
    /// The public notice's text, for the notice (the same text its web page has).
    pub notice: Option<super::notice::Notice>,
    /// The blankett's fields as filled from the case, for the anmälan to IVO (the same its text
    /// for IVO's e-tjänst has).
    pub blankett: Option<super::anmalan::Blankett>,
    /// The document's signature fields by role: a field, or a list of them for a repeated role.
    pub signatures: BTreeMap<&'static str, serde_json::Value>,
    /// Values computed from the case so that templates need no logic.
    pub derived: Derived,
}

/// What a layout needs of the document it frames, so that it never asks which document it is.
#[derive(Debug, Serialize)]
pub struct Frame<'a> {
    /// The name in the Stockholm header: the form's edition line, else the document's name.
    pub header_name: &'a str,
    /// The organisation in the Stockholm header: the nämnd (in capitals) for a document sent to
    /// it, else the förvaltning.
    pub organisation: String,
    /// Whether the diarienummer stands in the header from page 1.
    pub dnr_on_first_page: bool,
    /// Whether the document is a letter (a narrower body and a contact column in Stockholm's).
    pub letter: bool,
    /// Whether it ends with the address the original goes to (the beslut, in both layouts).
    pub registrator: bool,
    /// Whether the page header shows Handläggare, Datum and Mottagare (Mjölby's grid), so that
    /// the body need not.
    pub header_grid: bool,
    /// Whether it is another authority's blankett in its own frame, without the letterhead.
    pub blankett: bool,
}

/// The PDF's document information.
#[derive(Debug, Serialize)]
pub struct Meta {
    /// "<document name> <diarienummer>".
    pub title: String,
    /// The förvaltning.
    pub author: String,
    /// The diarienummer and what kind of document this is.
    pub keywords: Vec<String>,
    /// The document's date, also its creation date.
    pub date: YearMonthDay,
}

/// A date split for Typst's `datetime`.
#[derive(Debug, Serialize)]
pub struct YearMonthDay {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day, 1 to 31.
    pub day: u32,
}

impl From<Date> for YearMonthDay {
    fn from(d: Date) -> Self {
        Self {
            year: d.0.year(),
            month: d.0.month(),
            day: d.0.day(),
        }
    }
}

/// The profile as templates see it.
#[derive(Debug, Serialize)]
pub struct ProfileView<'a> {
    /// The kommun, printed as the wordmark.
    pub kommun: &'a str,
    /// Postal address lines.
    pub adress: &'a [String],
    /// Visiting address.
    pub besoksadress: Option<&'a str>,
    /// Telephone.
    pub telefon: Option<&'a str>,
    /// Switchboard.
    pub vaxel: Option<&'a str>,
    /// E-mail.
    pub epost: Option<&'a str>,
    /// Web address.
    pub webb: Option<&'a str>,
    /// The address the original goes to: the registrator's lines, or without them in the
    /// profile the förvaltning and its postal address.
    pub registrator: Vec<&'a str>,
    /// A sentence of the organisation's own that closes the tjänsteskrivelse's standard text.
    pub lagtext_riktlinje: Option<&'a str>,
    /// How dates are printed.
    pub datumformat: Datumformat,
    /// The path of the logo inside the Typst project, if there is one.
    pub logo: Option<String>,
    /// The logo's alternative text.
    pub logo_alt: &'a str,
    /// The verksamhetsområden the rapport offers, in order: (code, name).
    pub verksamhetsomraden: Vec<crate::profile::Omrade>,
}

/// Values the templates would otherwise have to compute.
#[derive(Debug, Serialize)]
pub struct Derived {
    /// The document's date in ISO form (its "Datum" in headers).
    pub document_date: Date,
    /// Handläggare in the Mjölby header (case-format.md's table of documents).
    pub handlaggare: Option<String>,
    /// Mottagare in the Mjölby header, and the tjänsteskrivelse's addressee.
    pub mottagare: Option<String>,
    /// The ärende as the beslut prints it: beslut.arende, else arende.rubrik.
    pub beslut_arende: Option<String>,
    /// The rapport's veckodag: as written, else derived from its date.
    pub veckodag: Option<String>,
    /// The utredning's rapportens_diarienummer, else the ärende's diarienummer.
    pub rapportens_diarienummer: String,
    /// The five outcomes in the form's order, as (value, printed sentence).
    pub outcomes: Vec<(Utfall, &'static str)>,
    /// The heading over the proposals in the tjänsteskrivelse.
    pub forslag_rubrik: String,
}

/// The heading over the proposals when the profile sets none.
pub const DEFAULT_FORSLAG_RUBRIK: &str = "Förvaltningens förslag till beslut";

/// Builds the data for one document of a case, dated `date` (the document's own date).
pub fn document_data<'a>(
    case: &'a Case,
    profile: &'a Profile,
    doc: DocKind,
    date: Date,
    logo: Option<String>,
) -> DocumentData<'a> {
    let document_name = profile.document_name(doc);
    let forvaltning = case.forvaltning(profile);
    let diarienummer = &case.arende.diarienummer.value.0;
    let spec = doc.spec();
    let namnd = case.namnd(profile);
    DocumentData {
        format: DATA_FORMAT,
        doc: doc.token(),
        layout: profile.layout,
        document_name,
        forvaltning,
        namnd,
        sekretess: doc.is_confidential(case).then(|| profile.sekretess()),
        meta: Meta {
            title: format!("{document_name} {diarienummer}"),
            author: forvaltning.to_string(),
            keywords: vec![
                diarienummer.clone(),
                "lex Sarah".into(),
                document_name.to_string(),
            ],
            date: date.into(),
        },
        profile: ProfileView {
            kommun: &profile.kommun,
            adress: &profile.adress,
            besoksadress: profile.besoksadress.as_deref(),
            telefon: profile.telefon.as_deref(),
            vaxel: profile.vaxel.as_deref(),
            epost: profile.epost.as_deref(),
            webb: profile.webb.as_deref(),
            registrator: if profile.registrator.is_empty() {
                std::iter::once(forvaltning)
                    .chain(profile.adress.iter().map(String::as_str))
                    .collect()
            } else {
                profile.registrator.iter().map(String::as_str).collect()
            },
            lagtext_riktlinje: profile.lagtext_riktlinje.as_deref(),
            datumformat: profile.datumformat,
            logo,
            logo_alt: profile.logotyp_alt.as_deref().unwrap_or(&profile.kommun),
            verksamhetsomraden: profile.areas(),
        },
        case: own_sections(case, doc),
        lagrum: lagrum_at(case, doc, date),
        frame: Frame {
            header_name: spec.form_edition.unwrap_or(document_name),
            organisation: if spec.to_namnd {
                namnd.to_uppercase()
            } else {
                forvaltning.to_string()
            },
            dnr_on_first_page: spec.dnr_on_first_page,
            letter: spec.letter,
            registrator: spec.registrator,
            header_grid: profile.layout == Layout::Mjolby && !spec.blankett,
            blankett: spec.blankett,
        },
        signatures: signatures(case, doc),
        notice: (doc == DocKind::Notis)
            .then(|| super::notice::notice(case, profile))
            .flatten(),
        blankett: (doc == DocKind::Anmalan)
            .then(|| super::anmalan::blankett(case, profile))
            .flatten(),
        derived: derived(case, profile, doc, date),
    }
}

/// The case as a template of `doc` sees it: the other documents' sections taken out, so that
/// no data file (such as one written by `--emit-typst`) carries what its document does not print.
fn own_sections(case: &Case, doc: DocKind) -> serde_json::Value {
    let mut value = serde_json::to_value(case).unwrap_or_default();
    if let Some(sections) = value.as_object_mut() {
        for other in DOCUMENTS.iter().filter(|d| d.kind != doc) {
            sections.remove(other.token);
        }
    }
    value
}

/// The references a document dated `date` cites, as the case's pin (if any) moves the date.
fn lagrum_at(case: &Case, doc: DocKind, date: Date) -> BTreeMap<&'static str, &'static str> {
    let mut all = lagrum::cited_at(case, date);
    all.retain(|key, _| doc.spec().lagrum.contains(key));
    all
}

/// The document's signature fields by role, each `{field, description}`; a repeated role has
/// one per signer, numbered from 1.
fn signatures(case: &Case, doc: DocKind) -> BTreeMap<&'static str, serde_json::Value> {
    let field = |role: &SignatureRole, n: usize| {
        let n = n.to_string();
        serde_json::json!({
            "field": role.field.replace("{n}", &n),
            "description": role.description.replace("{n}", &n),
        })
    };
    doc.spec()
        .signatures
        .iter()
        .map(|role| {
            let value = match role.repeats {
                Some(signers) => {
                    serde_json::Value::Array((1..=signers(case)).map(|n| field(role, n)).collect())
                }
                None => field(role, 1),
            };
            (role.role, value)
        })
        .collect()
}

/// Computes the values templates print but the case does not hold as such.
fn derived(case: &Case, profile: &Profile, doc: DocKind, date: Date) -> Derived {
    let namnd = case.namnd(profile);
    let spec = doc.spec();
    let (handlaggare, mottagare) = ((spec.handlaggare)(case), (spec.mottagare)(case, namnd));
    Derived {
        document_date: date,
        handlaggare,
        mottagare,
        beslut_arende: case.beslut.as_ref().map(|b| {
            b.arende
                .clone()
                .unwrap_or_else(|| case.arende.rubrik.value.clone())
        }),
        veckodag: case.rapport.as_ref().map(|r| r.uppmarksammat.weekday()),
        rapportens_diarienummer: case
            .utredning
            .as_ref()
            .and_then(|u| u.rapportens_diarienummer.as_ref())
            .unwrap_or(&case.arende.diarienummer.value)
            .0
            .clone(),
        outcomes: Utfall::ALL.iter().map(|u| (*u, u.sentence())).collect(),
        forslag_rubrik: profile
            .forslag_rubrik
            .clone()
            .unwrap_or_else(|| DEFAULT_FORSLAG_RUBRIK.into()),
    }
}
