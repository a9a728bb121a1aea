//! Checking a case as every command does first: parse it, resolve its profile, apply the rules.

use std::path::Path;

use chrono::NaiveDate;

use crate::case::{self, LoadedCase};
use crate::diagnostics::{self, Diagnostic, Pos, Severity};
use crate::profile::allowed::folder_of;
use crate::profile::{self, AllowedPaths, ResolvedProfile};
use crate::source::SourceFile;

/// How cases are checked.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// A profile that overrides the one each case names (relative to the working folder).
    pub profile: Option<String>,
    /// Whether warnings refuse a case as errors do.
    pub strict: bool,
    /// The date against which dates in the future are found.
    pub today: NaiveDate,
    /// Folders besides the naming file's own where a named profile or logo may lie.
    pub allowed: AllowedPaths,
}

impl CheckSettings {
    /// Settings with no profile override, warnings as warnings, and today's date.
    pub fn new() -> Self {
        Self {
            profile: None,
            strict: false,
            today: chrono::Local::now().date_naive(),
            allowed: AllowedPaths::default(),
        }
    }
}

impl Default for CheckSettings {
    fn default() -> Self {
        Self::new()
    }
}

/// A case that passed its checks, with its profile and any warnings.
#[derive(Debug, Clone)]
pub struct CheckedCase {
    /// The parsed case and its source.
    pub loaded: LoadedCase,
    /// The profile it is rendered with.
    pub profile: ResolvedProfile,
    /// Warnings found; none of them refuses the case.
    pub warnings: Vec<Diagnostic>,
}

/// Checks one case file; `Err` holds every problem found when the case is refused.
pub fn check_case(path: &Path, settings: &CheckSettings) -> Result<CheckedCase, Vec<Diagnostic>> {
    check_source(
        crate::source::read_source(path).map_err(|d| vec![d])?,
        settings,
    )
}

/// Checks a case already read into memory, as [`check_case`] checks a file.
pub fn check_source(
    source: SourceFile,
    settings: &CheckSettings,
) -> Result<CheckedCase, Vec<Diagnostic>> {
    let (path, text) = (source.path.clone(), source.text.clone());
    let mut checked = check_loaded(source, settings);
    match &mut checked {
        Ok(c) => diagnostics::attach_source(&mut c.warnings, &path, &text),
        Err(problems) => diagnostics::attach_source(problems, &path, &text),
    }
    checked
}

/// [`check_source`] without the case's text attached to its diagnostics.
fn check_loaded(
    source: SourceFile,
    settings: &CheckSettings,
) -> Result<CheckedCase, Vec<Diagnostic>> {
    let loaded = case::parse_case(source)?;
    let profile = resolve_profile(settings, &loaded)?;
    check_with(loaded, profile, settings)
}

/// Applies the rules of the process to a parsed case with the profile it is checked with.
pub fn check_with(
    loaded: LoadedCase,
    profile: ResolvedProfile,
    settings: &CheckSettings,
) -> Result<CheckedCase, Vec<Diagnostic>> {
    let path = &loaded.source.path;
    let mut found = case::rules::check(
        &loaded.case,
        &profile.profile,
        path,
        &loaded.source.text,
        settings.today,
    );
    for mut d in case::rules::profile_values(&loaded.case, &profile) {
        crate::lagrum::add_ground(&mut d, None);
        found.push(d);
    }
    if settings.strict {
        for d in &mut found {
            d.severity = Severity::Error;
        }
    }
    if found.iter().any(Diagnostic::is_error) {
        return Err(found);
    }
    Ok(CheckedCase {
        loaded,
        profile,
        warnings: found,
    })
}

/// The profile `--profile` names (relative to the working folder), for every case alike.
pub fn profile_given(
    reference: &str,
    settings: &CheckSettings,
) -> Result<ResolvedProfile, Vec<Diagnostic>> {
    profile::resolve(
        reference,
        Path::new("."),
        Path::new("--profile"),
        Pos::UNKNOWN,
        &settings.allowed,
        false,
    )
}

/// The profile for a case: the override if given, else the one the case names.
fn resolve_profile(
    settings: &CheckSettings,
    loaded: &LoadedCase,
) -> Result<ResolvedProfile, Vec<Diagnostic>> {
    let case_path = &loaded.source.path;
    match &settings.profile {
        Some(reference) => profile_given(reference, settings),
        None => {
            let named = &loaded.case.profil;
            profile::resolve(
                &named.value,
                folder_of(case_path),
                case_path,
                named.pos,
                &settings.allowed,
                true,
            )
        }
    }
}
