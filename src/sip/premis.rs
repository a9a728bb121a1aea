//! The package's preservation metadata as PREMIS 3: an object per PDF (its SHA-256, size, format
//! by PRONOM and the conformance it claims), the events that made and signed it, and the agents.

use super::schemas::{PREMIS_NS, XSI_NS};
use super::source::ArchivedCase;
use super::xml::El;
use super::{Context, date_time};

/// A PDF's format as the package records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Format {
    /// PRONOM's name of the format.
    pub name: String,
    /// Its version ("2b").
    pub version: String,
    /// PRONOM's identifier (PUID).
    pub pronom: &'static str,
    /// The conformance the file claims in its XMP, as written ("PDF/A-2b, PDF/UA-1").
    pub claims: String,
}

/// The PDF/A part and level a PDF claims in its XMP metadata, and PRONOM's identifier for it.
pub fn format_of(pdf: &[u8]) -> Option<Format> {
    // The XMP packet is text inside the PDF's bytes: each value is found by its tag, without
    // reading the whole file as text.
    let value = |key: &str| {
        let tag = format!("<{key}>");
        let at = pdf.windows(tag.len()).position(|w| w == tag.as_bytes())?;
        let rest = &pdf[at + tag.len()..];
        let end = rest.iter().take(64).position(|&b| b == b'<')?;
        Some(String::from_utf8_lossy(&rest[..end]).trim().to_string())
    };
    let part = value("pdfaid:part")?;
    let level = value("pdfaid:conformance")?.to_lowercase();
    let pronom = match (part.as_str(), level.as_str()) {
        ("1", "a") => "fmt/95",
        ("1", "b") => "fmt/354",
        ("2", "a") => "fmt/476",
        ("2", "b") => "fmt/477",
        ("2", "u") => "fmt/478",
        ("3", "a") => "fmt/479",
        ("3", "b") => "fmt/480",
        ("3", "u") => "fmt/481",
        _ => return None,
    };
    let mut claims = format!("PDF/A-{part}{level}");
    if let Some(ua) = value("pdfuaid:part") {
        claims.push_str(&format!(", PDF/UA-{ua}"));
    }
    Some(Format {
        name: "Acrobat PDF/A - Portable Document Format".into(),
        version: format!("{part}{level}"),
        pronom,
        claims,
    })
}

/// An identifier element pair (`<kind>IdentifierType`, `<kind>IdentifierValue`) of type local.
fn identifier(element: &str, prefix: &str, value: &str) -> El {
    El::new(element)
        .child(El::leaf(&format!("{prefix}IdentifierType"), "local"))
        .child(El::leaf(
            &format!("{prefix}IdentifierValue"),
            value.to_string(),
        ))
}

/// The PREMIS document of a case's package.
pub fn document(ctx: &Context, archived: &ArchivedCase) -> El {
    let software = format!("lexsarah-{}", env!("CARGO_PKG_VERSION"));
    let mut objects = Vec::new();
    let mut events = Vec::new();
    let mut signers: Vec<String> = Vec::new();
    for d in &archived.documents {
        let path = format!("representations/rep1/data/{}", d.name);
        let creation = format!("creation-{}", d.doc.token());
        let mut linked = vec![creation.clone()];
        let mut characteristics = El::new("objectCharacteristics")
            .child(El::leaf("compositionLevel", "0"))
            .child(
                El::new("fixity")
                    .child(El::leaf("messageDigestAlgorithm", "SHA-256"))
                    .child(El::leaf("messageDigest", d.sha256.clone()))
                    .child(El::leaf("messageDigestOriginator", "lexsarah")),
            )
            .child(El::leaf("size", d.bytes.len().to_string()));
        characteristics = match &d.format {
            Some(f) => characteristics.child(
                El::new("format")
                    .child(
                        El::new("formatDesignation")
                            .child(El::leaf("formatName", f.name.clone()))
                            .child(El::leaf("formatVersion", f.version.clone())),
                    )
                    .child(
                        El::new("formatRegistry")
                            .child(El::leaf("formatRegistryName", "PRONOM"))
                            .child(El::leaf("formatRegistryKey", f.pronom)),
                    )
                    .child(El::leaf(
                        "formatNote",
                        format!("Filen anger att den följer {}.", f.claims),
                    )),
            ),
            None => characteristics.child(
                El::new("format").child(
                    El::new("formatDesignation")
                        .child(El::leaf("formatName", "Portable Document Format")),
                ),
            ),
        };
        characteristics = characteristics.child(
            El::new("creatingApplication")
                .child(El::leaf("creatingApplicationName", "lexsarah"))
                .child(El::leaf(
                    "creatingApplicationVersion",
                    env!("CARGO_PKG_VERSION"),
                ))
                .child(El::leaf(
                    "dateCreatedByApplication",
                    date_time(&d.date.iso()),
                )),
        );
        events.push(event(
            &creation,
            "creation",
            &date_time(&d.date.iso()),
            &format!("{} gjord av lexsarah ur ärendets data", d.handlingstyp),
            &[(&software, "executing program")],
            &path,
        ));
        for (n, s) in d.signatures.iter().enumerate() {
            let id = format!("signing-{}-{}", d.doc.token(), n + 1);
            let signer = format!("signer-{}", s.namn);
            if !signers.contains(&s.namn) {
                signers.push(s.namn.clone());
            }
            events.push(event(
                &id,
                "digital signature generation",
                &s.tid,
                &format!("Signerad i fältet {} (PAdES)", s.falt),
                &[(&signer, "signer")],
                &path,
            ));
            linked.push(id);
        }
        if !d.signatures.is_empty() {
            let id = format!("validation-{}", d.doc.token());
            events.push(event(
                &id,
                "digital signature validation",
                &ctx.created,
                "Varje signatur håller (lexsarah verify) när paketet görs",
                &[(&software, "executing program")],
                &path,
            ));
            linked.push(id);
        }
        let mut object = El::new("object")
            .attr("xsi:type", "file")
            .child(identifier("objectIdentifier", "object", &path))
            .child(characteristics)
            .child(El::leaf("originalName", d.archived_as.clone()));
        object = object.children(
            linked
                .iter()
                .map(|id| identifier("linkingEventIdentifier", "linkingEvent", id)),
        );
        objects.push(object);
    }
    let mut agents = vec![
        El::new("agent")
            .child(identifier("agentIdentifier", "agent", &software))
            .child(El::leaf("agentName", "lexsarah"))
            .child(El::leaf("agentType", "software"))
            .child(El::leaf("agentVersion", env!("CARGO_PKG_VERSION"))),
        El::new("agent")
            .child(identifier("agentIdentifier", "agent", "arkivbildare"))
            .child(El::leaf("agentName", ctx.creator.clone()))
            .child(El::leaf("agentType", "organization")),
    ];
    agents.extend(signers.iter().map(|name| {
        El::new("agent")
            .child(identifier(
                "agentIdentifier",
                "agent",
                &format!("signer-{name}"),
            ))
            .child(El::leaf("agentName", name.clone()))
            .child(El::leaf("agentType", "person"))
    }));
    El::new("premis")
        .attr("xmlns", PREMIS_NS)
        .attr("xmlns:xsi", XSI_NS)
        .attr(
            "xsi:schemaLocation",
            format!("{PREMIS_NS} ../../schemas/premis-v3-0.xsd"),
        )
        .attr("version", "3.0")
        .children(objects)
        .children(events)
        .children(agents)
}

/// A PREMIS event of one object, done by the agents given with their roles.
fn event(
    id: &str,
    kind: &str,
    when: &str,
    detail: &str,
    agents: &[(&str, &str)],
    object: &str,
) -> El {
    El::new("event")
        .child(identifier("eventIdentifier", "event", id))
        .child(El::leaf("eventType", kind.to_string()))
        .child(El::leaf("eventDateTime", when.to_string()))
        .child(El::new("eventDetailInformation").child(El::leaf("eventDetail", detail.to_string())))
        .child(El::new("eventOutcomeInformation").child(El::leaf("eventOutcome", "success")))
        .children(agents.iter().map(|(agent, role)| {
            identifier("linkingAgentIdentifier", "linkingAgent", agent)
                .child(El::leaf("linkingAgentRole", role.to_string()))
        }))
        .child(identifier(
            "linkingObjectIdentifier",
            "linkingObject",
            object,
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_claimed_conformance_gives_the_pronom_identifier() {
        let pdf = b"%PDF-1.7 ... <pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance> ...";
        let f = format_of(pdf).unwrap();
        assert_eq!(
            (f.pronom, f.version.as_str(), f.claims.as_str()),
            ("fmt/477", "2b", "PDF/A-2b")
        );
        let published = b"<pdfaid:part>2</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance><pdfuaid:part>1</pdfuaid:part>";
        let f = format_of(published).unwrap();
        assert_eq!(
            (f.pronom, f.claims.as_str()),
            ("fmt/476", "PDF/A-2a, PDF/UA-1")
        );
        assert!(format_of(b"%PDF-1.7 no metadata").is_none());
    }
}
