//! The case file: its serde model, loading it from YAML, and the checks it must pass.

pub mod model;
pub mod mutate;
pub mod rules;
pub mod schema;
pub mod validate;
pub mod write;

use crate::source::FileKind;
pub use crate::source::SourceFile;
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

/// Parses a case from text already read, and runs the structural checks.
pub fn parse_case(source: SourceFile) -> Result<LoadedCase, Vec<Diagnostic>> {
    let case: Case = crate::source::parse_checked(&source, &schema::CASE_SCHEMA, FileKind::Case)
        .map_err(|problems| with_date_order(&source, problems))?;
    let problems = validate::structure(&case, &source.path);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    Ok(LoadedCase { source, case })
}

/// A refused file's problems, and, where its YAML can be read, the dates of the process that run
/// backwards as well: both kinds of problem in one run.
fn with_date_order(source: &SourceFile, mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let Ok(tree) = crate::source::parse_yaml::<crate::source::structure::Node>(source) else {
        return problems;
    };
    let dates = rules::process_dates_in(&tree);
    let dates: Vec<_> = dates.iter().map(|(name, date)| (*name, date)).collect();
    for mut problem in rules::date_order_problems(&dates, &source.path) {
        if !problems
            .iter()
            .any(|p| (p.line, p.column) == (problem.line, problem.column))
        {
            crate::lagrum::add_ground(&mut problem, None);
            problems.push(problem);
        }
    }
    crate::diagnostics::attach_source(&mut problems, &source.path, &source.text);
    problems.sort_by_key(|d| (d.line, d.column));
    problems
}

/// The commented skeleton of a new case, naming the given profile.
pub fn new_case_text(profile: &str) -> String {
    const SKELETON: &str = include_str!("skeleton.yaml");
    // A plain name or path is written as it is; anything else as a quoted YAML string.
    let plain = !profile.is_empty()
        && profile
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'));
    let value = if plain {
        profile.to_string()
    } else {
        serde_json::to_string(profile).unwrap_or_else(|_| "stockholm".into())
    };
    let line = format!("profil: {value:<20}");
    SKELETON.replacen("profil: stockholm           ", &line, 1)
}
