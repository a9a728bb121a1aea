//! The case file: its serde model, loading it from YAML, and the checks it must pass.

pub mod load;
pub mod model;
pub mod rules;
pub mod validate;
pub mod values;

use std::path::Path;

pub use load::SourceFile;
pub use model::Case;

use crate::diagnostics::Diagnostic;

/// A case read from a file, with its source kept for diagnostics.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    /// The file's text and path.
    pub source: SourceFile,
    /// The parsed case.
    pub case: Case,
}

/// Reads and parses a case file, and runs the structural checks that need the whole case.
pub fn load_case(path: &Path) -> Result<LoadedCase, Vec<Diagnostic>> {
    let source = load::read_source(path).map_err(|d| vec![d])?;
    let case: Case = load::parse_yaml(&source).map_err(|d| vec![d])?;
    let problems = validate::structure(&case, path);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    Ok(LoadedCase { source, case })
}
