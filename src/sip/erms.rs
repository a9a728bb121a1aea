//! The case as CITS ERMS (FGS Ärendehantering): the ärende as an aggregation, each document a
//! record with its direction, parties, dates, restrictions and file.

use super::schemas::{ERMS_NS, XSI_NS};
use super::source::{ArchivedCase, Document};
use super::xml::El;
use super::{Context, date_time};
use crate::document::DocKind;

/// The ERMS document of a case.
pub fn document(ctx: &Context, archived: &ArchivedCase) -> El {
    let case = &archived.case;
    let profile = &archived.profile;
    let namnd = case.namnd(profile);
    let control = El::new("control")
        .child(
            El::new("identification")
                .attr("identificationType", "system")
                .text(format!("lexsarah {}", env!("CARGO_PKG_VERSION"))),
        )
        .child(
            El::new("maintenanceInformation")
                .child(El::new("maintenanceStatus").attr("value", "new"))
                .child(
                    El::new("maintenanceAgency").child(El::leaf("agencyName", ctx.creator.clone())),
                )
                .child(
                    El::new("maintenanceHistory").child(
                        El::new("maintenanceEvent")
                            .child(El::new("eventType").attr("value", "created"))
                            .child(El::leaf("eventDateTime", ctx.created.clone()))
                            .child(
                                El::new("agent")
                                    .attr("agentType", "creator")
                                    .child(El::leaf(
                                        "name",
                                        format!("lexsarah {}", env!("CARGO_PKG_VERSION")),
                                    )),
                            ),
                    ),
                ),
        );
    let mut aggregation = El::new("aggregation")
        .attr("systemIdentifier", ctx.objid.clone())
        .attr("aggregationType", "caseFile")
        .child(El::leaf(
            "objectId",
            case.arende.diarienummer.value.0.clone(),
        ));
    if let Some(code) = &profile.klassificering {
        aggregation = aggregation.child(
            El::new("classification")
                .attr("classificationCode", code.clone())
                .text("Lex Sarah"),
        );
    }
    aggregation = aggregation
        .child(El::leaf("title", case.arende.rubrik.value.clone()))
        .child(El::new("status").attr("value", "closed"));
    // The ärende is as confidential as its most confidential record.
    if let Some(ground) = archived.documents.iter().find_map(|d| d.sekretess.clone()) {
        aggregation = aggregation.child(restriction(&ground));
    }
    aggregation = aggregation.child(
        El::new("agents").child(
            El::new("agent")
                .attr("agentType", "owner")
                .child(El::leaf("name", namnd.to_string()))
                .child(El::leaf("organisation", profile.kommun.clone())),
        ),
    );
    let opened = case
        .rapport
        .as_ref()
        .map(|r| r.datum.value)
        .or(case.utredning.as_ref().map(|u| u.rapport_inkom.value));
    let mut dates = El::new("dates");
    if let Some(opened) = opened {
        dates = dates.child(date("opened", opened.iso()));
    }
    if let Some(closed) = case.decided_on() {
        dates = dates.child(date("closed", closed.format("%Y-%m-%d").to_string()));
    }
    aggregation = aggregation
        .child(dates)
        .children(archived.documents.iter().map(|d| record(ctx, archived, d)));
    El::new("erms")
        .attr("xmlns", ERMS_NS)
        .attr("xmlns:xsi", XSI_NS)
        .attr(
            "xsi:schemaLocation",
            format!("{ERMS_NS} ../../schemas/ERMS.xsd"),
        )
        .child(control)
        .child(El::new("aggregations").child(aggregation))
}

/// A date element of `type`, from an ISO date.
fn date(kind: &str, iso: String) -> El {
    El::new("date").attr("dateType", kind).text(date_time(&iso))
}

/// The restriction of a confidential record: sekretess, on its ground in the law.
fn restriction(ground: &str) -> El {
    El::new("restriction")
        .attr("restrictionType", "confidential")
        .child(El::leaf("explanatoryText", "Sekretess"))
        .child(El::leaf("regulation", ground.to_string()))
}

/// One document as a record.
fn record(ctx: &Context, archived: &ArchivedCase, d: &Document) -> El {
    let case = &archived.case;
    let mut el = El::new("record")
        .attr(
            "systemIdentifier",
            format!("{}/{}", ctx.objid, d.doc.token()),
        )
        .attr("recordType", d.doc.token())
        .child(El::leaf(
            "objectId",
            format!("{}/{}", case.arende.diarienummer.value.0, d.doc.token()),
        ))
        .child(El::leaf("title", d.handlingstyp.clone()));
    if let Some(ground) = &d.sekretess {
        el = el.child(restriction(ground));
    }
    el = el.child(direction(d.diarium.riktning));
    let mut agents = Vec::new();
    if !d.diarium.avsandare.is_empty() {
        agents.push(agent("sender", &d.diarium.avsandare));
    }
    if !d.diarium.mottagare.is_empty() {
        agents.push(agent("receiver", &d.diarium.mottagare));
    }
    agents.extend(people(archived, d.doc));
    for s in &d.signatures {
        agents.push(agent("main_signatory", &s.namn));
    }
    el = el.child(El::new("agents").children(agents));
    let mut dates = El::new("dates").child(date("created", d.date.iso()));
    for s in &d.signatures {
        dates = dates.child(
            El::new("date")
                .attr("dateType", "main_signature")
                .text(s.tid.get(..19).unwrap_or(&s.tid).to_string()),
        );
    }
    el = el.child(dates);
    if !d.signatures.is_empty() {
        el = el.child(
            El::new("eSignatures").child(
                El::new("eSignature")
                    .attr("present", "true")
                    .attr("dateeSignatureIsVerified", ctx.created.clone()),
            ),
        );
    }
    el.child(
        El::new("additionalInformation").child(
            El::new("appendix")
                .attr("name", d.name.clone())
                .attr("description", d.handlingstyp.clone())
                .attr(
                    "fileFormat",
                    d.format.as_ref().map_or("application/pdf", |f| f.pronom),
                )
                .attr("path", format!("representations/rep1/data/{}", d.name))
                .attr(
                    "eSignatureHasExisted",
                    if d.signatures.is_empty() {
                        "false"
                    } else {
                        "true"
                    },
                ),
        ),
    )
}

/// The direction of a record from the diarium's: in, out, or drawn up and kept.
fn direction(riktning: &str) -> El {
    let el = El::new("direction");
    match riktning {
        "inkommande" => el.attr("directionDefinition", "incoming"),
        "utgående" => el.attr("directionDefinition", "outgoing"),
        other => el
            .attr("directionDefinition", "other")
            .attr("otherDirectionDefinition", other.to_string()),
    }
}

/// An agent of a record by its name.
fn agent(kind: &str, name: &str) -> El {
    El::new("agent")
        .attr("agentType", kind)
        .child(El::leaf("name", name.to_string()))
}

/// The people who wrote or decided a document, from the case.
fn people(archived: &ArchivedCase, doc: DocKind) -> Vec<El> {
    let case = &archived.case;
    match doc {
        DocKind::Beslut => case
            .beslut
            .iter()
            .map(|b| agent("authorising_person", &b.beslutsfattare.namn))
            .collect(),
        DocKind::Tjansteskrivelse => case
            .tjansteskrivelse
            .iter()
            .flat_map(|t| {
                std::iter::once(agent("creator", &t.handlaggare)).chain(
                    t.undertecknare
                        .iter()
                        .map(|u| agent("authorising_person", &u.namn)),
                )
            })
            .collect(),
        DocKind::Anmalan => case
            .anmalan
            .iter()
            .map(|a| agent("authorising_person", &a.anmalningsansvarig.value.namn))
            .collect(),
        _ => (doc.spec().handlaggare)(case)
            .map(|name| agent("creator", &name))
            .into_iter()
            .collect(),
    }
}
