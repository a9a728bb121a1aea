//! The XML Schemas a package carries in its `schemas/` folder, compiled into the binary (their
//! sources and licences: `schemas/eark/LICENSES.md`).

/// Each schema: (file name in the package, bytes).
pub const SCHEMAS: &[(&str, &[u8])] = &[
    ("mets.xsd", include_bytes!("../../schemas/eark/mets.xsd")),
    ("xlink.xsd", include_bytes!("../../schemas/eark/xlink.xsd")),
    (
        "DILCISExtensionMETS.xsd",
        include_bytes!("../../schemas/eark/DILCISExtensionMETS.xsd"),
    ),
    (
        "DILCISExtensionSIPMETS.xsd",
        include_bytes!("../../schemas/eark/DILCISExtensionSIPMETS.xsd"),
    ),
    (
        "premis-v3-0.xsd",
        include_bytes!("../../schemas/eark/premis-v3-0.xsd"),
    ),
    ("ERMS.xsd", include_bytes!("../../schemas/eark/ERMS.xsd")),
];

/// The namespaces the package's XML uses, each with its schema's file name.
pub const METS_NS: &str = "http://www.loc.gov/METS/";
/// XLink.
pub const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
/// The CSIP extension to METS.
pub const CSIP_NS: &str = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS";
/// The SIP extension to METS.
pub const SIP_NS: &str = "https://DILCIS.eu/XML/METS/SIPExtensionMETS";
/// PREMIS 3.
pub const PREMIS_NS: &str = "http://www.loc.gov/premis/v3";
/// CITS ERMS.
pub const ERMS_NS: &str = "https://DILCIS.eu/XML/ERMS";
/// XML Schema instances.
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
