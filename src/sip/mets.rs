//! The package's METS documents (E-ARK CSIP 2.1 and SIP 2.1): the root `METS.xml` and the
//! representation's.

use super::schemas::{CSIP_NS, METS_NS, SIP_NS, XLINK_NS, XSI_NS};
use super::xml::El;
use super::{Context, PackageFile};

/// The E-ARK SIP profile the package follows.
const SIP_PROFILE: &str = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml";

/// The content category: a case's records are text.
const CONTENT_CATEGORY: &str = "Textual works – Digital";

/// The content information type: CITS ERMS 2.1.
const CONTENT_INFORMATION_TYPE: &str = "citserms_v2_1";

/// A METS root element with every namespace and where its schema lies, from `schemas` (the
/// schemas folder relative to this document).
fn root(ctx: &Context, objid: &str, schemas: &str) -> El {
    El::new("mets")
        .attr("xmlns", METS_NS)
        .attr("xmlns:csip", CSIP_NS)
        .attr("xmlns:sip", SIP_NS)
        .attr("xmlns:xlink", XLINK_NS)
        .attr("xmlns:xsi", XSI_NS)
        .attr(
            "xsi:schemaLocation",
            format!(
                "{METS_NS} {schemas}mets.xsd {XLINK_NS} {schemas}xlink.xsd {CSIP_NS} {schemas}DILCISExtensionMETS.xsd {SIP_NS} {schemas}DILCISExtensionSIPMETS.xsd"
            ),
        )
        .attr("OBJID", objid)
        .attr("LABEL", ctx.label.clone())
        .attr("TYPE", CONTENT_CATEGORY)
        .attr("csip:CONTENTINFORMATIONTYPE", CONTENT_INFORMATION_TYPE)
        .attr("PROFILE", SIP_PROFILE)
}

/// The header: when, what kind of package, and who, as the E-ARK SIP profile's example has it:
/// lexsarah as the software that made it (CREATOR, OTHER, SOFTWARE), the organisation as the
/// archival creator (ARCHIVIST) and the förvaltning as the one who submits it (CREATOR,
/// ORGANIZATION).
fn header(ctx: &Context) -> El {
    // An organisation's agent, with its identification code where the profile gives one.
    let organisation = |role: &str, name: &str| {
        let agent = El::new("agent")
            .attr("ROLE", role)
            .attr("TYPE", "ORGANIZATION")
            .child(El::leaf("name", name.to_string()));
        match &ctx.creator_id {
            Some(id) => agent.child(
                El::new("note")
                    .attr("csip:NOTETYPE", "IDENTIFICATIONCODE")
                    .text(id.clone()),
            ),
            None => agent,
        }
    };
    let creator = organisation("ARCHIVIST", &ctx.creator);
    let submitter = organisation("CREATOR", &ctx.submitter);
    El::new("metsHdr")
        .attr("CREATEDATE", ctx.created.clone())
        .attr("LASTMODDATE", ctx.created.clone())
        .attr("RECORDSTATUS", "NEW")
        .attr("csip:OAISPACKAGETYPE", "SIP")
        .child(
            El::new("agent")
                .attr("ROLE", "CREATOR")
                .attr("TYPE", "OTHER")
                .attr("OTHERTYPE", "SOFTWARE")
                .child(El::leaf("name", "lexsarah"))
                .child(
                    El::new("note")
                        .attr("csip:NOTETYPE", "SOFTWARE VERSION")
                        .text(env!("CARGO_PKG_VERSION")),
                ),
        )
        .child(creator)
        .child(submitter)
}

/// A `file` element for a file of the package, located relative to the METS document at
/// `base` (the folder it lies in, ending in `/`, or empty for the root).
fn file(id: &str, f: &PackageFile, base: &str) -> El {
    let href = f.path.strip_prefix(base).unwrap_or(&f.path);
    let mut el = El::new("file")
        .attr("ID", id)
        .attr("MIMETYPE", f.mime)
        .attr("SIZE", f.bytes.len().to_string())
        .attr("CREATED", f.created.clone())
        .attr("CHECKSUM", f.sha256.to_uppercase())
        .attr("CHECKSUMTYPE", "SHA-256");
    if let Some(format) = &f.format {
        el = el
            .attr("sip:FILEFORMATNAME", format.name.clone())
            .attr("sip:FILEFORMATVERSION", format.version.clone())
            .attr("sip:FORMATREGISTRY", "PRONOM")
            .attr("sip:FORMATREGISTRYKEY", format.pronom);
    }
    el.child(
        El::new("FLocat")
            .attr("LOCTYPE", "URL")
            .attr("xlink:type", "simple")
            .attr("xlink:href", href),
    )
}

/// A metadata reference (`mdRef`) to a metadata file of the package.
fn md_ref(f: &PackageFile, mdtype: &str, other: Option<&str>) -> El {
    El::new("mdRef")
        .attr("LOCTYPE", "URL")
        .attr("xlink:type", "simple")
        .attr("xlink:href", f.path.clone())
        .attr("MDTYPE", mdtype)
        .attr_opt("OTHERMDTYPE", other)
        .attr("MIMETYPE", f.mime)
        .attr("SIZE", f.bytes.len().to_string())
        .attr("CREATED", f.created.clone())
        .attr("CHECKSUM", f.sha256.to_uppercase())
        .attr("CHECKSUMTYPE", "SHA-256")
}

/// An identifier that is an XML ID: letters, digits, `-`, `_` and `.`, after a letter.
pub fn xml_id(prefix: &str, name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{prefix}-{cleaned}")
}

/// A file group of `files`, located relative to `base`, with the IDs of its files.
fn file_group(id: &str, use_: &str, files: &[&PackageFile], base: &str) -> (El, Vec<String>) {
    let ids: Vec<String> = files.iter().map(|f| xml_id("ID-file", &f.path)).collect();
    let group = El::new("fileGrp")
        .attr("ID", id)
        .attr("USE", use_)
        .children(files.iter().zip(&ids).map(|(f, id)| file(id, f, base)));
    (group, ids)
}

/// A pointer (`fptr`) to each of the files with these IDs.
fn fptrs(ids: &[String]) -> Vec<El> {
    ids.iter()
        .map(|id| El::new("fptr").attr("FILEID", id.clone()))
        .collect()
}

/// The physical structural map the CSIP asks for, around the package's or representation's
/// division.
fn physical_map(div: El) -> El {
    El::new("structMap")
        .attr("ID", "ID-structMap")
        .attr("TYPE", "PHYSICAL")
        .attr("LABEL", "CSIP")
        .child(div)
}

/// The representation's METS: its PDFs under `data/`.
pub fn representation(ctx: &Context, data: &[&PackageFile]) -> El {
    let (group, ids) = file_group("ID-fileGrp-data", "Data", data, "representations/rep1/");
    let data_div = El::new("div")
        .attr("ID", "ID-div-data")
        .attr("LABEL", "Data")
        .children(fptrs(&ids));
    root(ctx, &format!("{}-rep1", ctx.objid), "../../schemas/")
        .child(header(ctx))
        .child(El::new("fileSec").attr("ID", "ID-fileSec").child(group))
        .child(physical_map(
            El::new("div")
                .attr("ID", "ID-div-rep1")
                .attr("LABEL", format!("{}-rep1", ctx.objid))
                .child(data_div),
        ))
}

/// The package's root METS: the descriptive and preservation metadata, the documentation, the
/// schemas and the representation's METS.
pub fn package(
    ctx: &Context,
    erms: &PackageFile,
    premis: &PackageFile,
    documentation: &[&PackageFile],
    schemas: &[&PackageFile],
    representation: &PackageFile,
) -> El {
    let (documentation_group, documentation_ids) = file_group(
        "ID-fileGrp-documentation",
        "Documentation",
        documentation,
        "",
    );
    let (schema_group, schema_ids) = file_group("ID-fileGrp-schemas", "Schemas", schemas, "");
    let (rep_group, rep_ids) = file_group(
        "ID-fileGrp-rep1",
        "Representations/rep1",
        &[representation],
        "",
    );
    // A representation's file group states its content information type (CSIP62).
    let rep_group = rep_group.attr("csip:CONTENTINFORMATIONTYPE", CONTENT_INFORMATION_TYPE);
    root(ctx, &ctx.objid, "schemas/")
        .child(header(ctx))
        .child(
            El::new("dmdSec")
                .attr("ID", "ID-dmdSec-erms")
                .attr("CREATED", ctx.created.clone())
                .attr("STATUS", "CURRENT")
                .child(md_ref(erms, "OTHER", Some("ERMS"))),
        )
        .child(
            El::new("amdSec").attr("ID", "ID-amdSec").child(
                El::new("digiprovMD")
                    .attr("ID", "ID-digiprovMD-premis")
                    .attr("CREATED", ctx.created.clone())
                    .attr("STATUS", "CURRENT")
                    .child(md_ref(premis, "PREMIS", None)),
            ),
        )
        .child(
            El::new("fileSec")
                .attr("ID", "ID-fileSec")
                .child(documentation_group)
                .child(schema_group)
                .child(rep_group),
        )
        .child(physical_map(
            El::new("div")
                .attr("ID", "ID-div-package")
                .attr("LABEL", ctx.objid.clone())
                .child(
                    El::new("div")
                        .attr("ID", "ID-div-metadata")
                        .attr("LABEL", "Metadata")
                        .attr("ADMID", "ID-digiprovMD-premis")
                        .attr("DMDID", "ID-dmdSec-erms"),
                )
                .child(
                    El::new("div")
                        .attr("ID", "ID-div-documentation")
                        .attr("LABEL", "Documentation")
                        .children(fptrs(&documentation_ids)),
                )
                .child(
                    El::new("div")
                        .attr("ID", "ID-div-schemas")
                        .attr("LABEL", "Schemas")
                        .children(fptrs(&schema_ids)),
                )
                .child(
                    El::new("div")
                        .attr("ID", "ID-div-representations")
                        .attr("LABEL", "Representations")
                        .children(fptrs(&rep_ids))
                        .child(
                            El::new("div")
                                .attr("ID", "ID-div-rep1")
                                .attr("LABEL", "Representations/rep1")
                                .child(
                                    El::new("mptr")
                                        .attr("LOCTYPE", "URL")
                                        .attr("xlink:type", "simple")
                                        .attr("xlink:href", representation.path.clone())
                                        .attr("xlink:title", "ID-fileGrp-rep1"),
                                ),
                        ),
                ),
        ))
}
