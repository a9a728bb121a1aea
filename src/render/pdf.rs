//! PDF export: which standards to meet, and the options that make output reproducible.

use typst::foundations::Smart;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

/// The PDF standards to conform to, as validated by Typst.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfSettings {
    standards: Vec<PdfStandard>,
    /// Whether empty signature fields are put over the signature lines.
    pub signature_fields: bool,
}

impl PdfSettings {
    /// The default standards for a document, from the table of documents.
    pub fn default_for(doc: crate::document::DocKind) -> Self {
        Self::parse(doc.spec().standards).expect("the default standards are valid")
    }

    /// Parses a comma-separated list of Typst's standard names (`a-2b`, `a-1b`, `a-2a,ua-1`, …).
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut standards = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let standard: PdfStandard =
                serde_json::from_value(serde_json::Value::String(name.to_string())).map_err(
                    |_| {
                        format!(
                            "okänd PDF-standard `{name}`; använd Typsts namn, till exempel a-1b, a-2b, a-2a, a-3b, ua-1 eller 1.7"
                        )
                    },
                )?;
            standards.push(standard);
        }
        if standards.is_empty() {
            return Err("ange minst en PDF-standard, till exempel a-2b".into());
        }
        PdfStandards::new(&standards).map_err(|e| {
            let mut message = format!(
                "PDF-standarderna `{list}` går inte att kombinera: {}",
                e.message()
            );
            for hint in e.hints() {
                message.push_str("; ");
                message.push_str(hint);
            }
            message
        })?;
        Ok(Self {
            standards,
            signature_fields: true,
        })
    }

    /// The export options: these standards, a stable identifier, and our name as creator.
    pub fn options(&self, ident: String) -> PdfOptions {
        PdfOptions {
            ident: Smart::Custom(ident),
            creator: Smart::Custom(Some(format!(
                "lexsarah {} (Typst {})",
                env!("CARGO_PKG_VERSION"),
                typst::utils::version().raw()
            ))),
            // The date comes from `set document(date: ..)` in the template: the document's own date.
            timestamp: None,
            page_ranges: None,
            standards: PdfStandards::new(&self.standards).expect("validated in parse"),
            tagged: true,
            pretty: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typst_names_and_combinations_are_accepted() {
        for list in ["a-1b", "a-2b", "a-2a", "ua-1", "a-2a,ua-1", "a-2b, ua-1"] {
            assert!(PdfSettings::parse(list).is_ok(), "{list}");
        }
    }

    #[test]
    fn unknown_names_and_impossible_combinations_are_refused() {
        assert!(PdfSettings::parse("a-9z").unwrap_err().contains("okänd"));
        assert!(PdfSettings::parse("a-1b,a-2b").is_err());
        assert!(PdfSettings::parse("").is_err());
    }
}
