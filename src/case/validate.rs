//! The checks a parsed case must pass beyond what its types already enforce.

use std::path::Path;

use super::model::Case;
use crate::diagnostics::{Code, Diagnostic};

/// The format version this tool reads.
pub const FORMAT_VERSION: u32 = 1;

/// Checks what serde cannot: the format version, and fields required only in some cases.
pub fn structure(case: &Case, file: &Path) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if case.version.value != FORMAT_VERSION {
        problems.push(
            Diagnostic::error(
                file,
                case.version.pos,
                Code::OgiltigtVarde,
                format!(
                    "formatversion {} finns inte; den här versionen av lexsarah läser version {FORMAT_VERSION}",
                    case.version.value
                ),
            )
            .with_hint(format!("skriv `version: {FORMAT_VERSION}`")),
        );
    }
    if let Some(beslut) = &case.beslut
        && beslut.utfall.is_none()
        && case.utredning.is_none()
    {
        problems.push(
            Diagnostic::error(
                file,
                beslut.datum.pos,
                Code::SaknatFalt,
                "beslutet saknar `utfall`, och ärendet har ingen utredning att ta förslaget från",
            )
            .with_hint("lägg till `utfall:` under `beslut:` (risk, missforhallande, allvarlig_risk, allvarligt eller inget)"),
        );
    }
    problems
}
