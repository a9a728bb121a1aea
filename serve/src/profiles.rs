//! The organisation's profiles as the form knows them: the built-in ones, those in the folder
//! (which it may save) and those in an `--allow-path` folder (which it only reads), each opened,
//! checked and previewed on a sample case in its own layout.

use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use lexsarah::case::model::Case;
use lexsarah::case::write::{Written, yaml_for};
use lexsarah::document::DocKind;
use lexsarah::profile::schema::PROFILE_SCHEMA;
use lexsarah::source::{FileKind, SourceFile};
use serde::Serialize;
use serde_json::Value;

use crate::AppState;
use crate::edit::{PREVIEW_PAGES, Preview, Problem, placed};
use crate::folder::{ListedKind, Refusal};

/// The case a profile's preview is drawn with: the 2026 example, every person invented.
const SAMPLE: &str = include_str!("../../examples/stockholm-skyddad-adress.yaml");

/// Where a profile comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Compiled into lexsarah.
    Inbyggd,
    /// A file in the case folder, which the form may save.
    Mappen,
    /// A file in a folder given with `--allow-path`, which the form only reads.
    TillatenMapp,
}

/// A profile a case may name.
#[derive(Debug, Clone, Serialize)]
pub struct Known {
    /// What a case writes in `profil:` to use it: a built-in name, a file name in the folder,
    /// or the real path of a file in an allowed folder.
    pub reference: String,
    /// Where it comes from.
    pub origin: Origin,
    /// Its organisation (`kommun`, `forvaltning`), for the list; empty if it cannot be read.
    pub title: String,
}

/// Every profile the form offers, built-in first, then the folder's (from its listing), then the
/// allowed folders'.
pub fn known(app: &AppState, listing: &[crate::folder::Listed]) -> Vec<Known> {
    let mut found: Vec<Known> = lexsarah::profile::built_in_names()
        .map(|name| Known {
            reference: name.to_string(),
            origin: Origin::Inbyggd,
            title: lexsarah::profile::built_in_text(name)
                .map(title_of)
                .unwrap_or_default(),
        })
        .collect();
    for listed in listing {
        if listed.kind == ListedKind::Profil {
            let title = app
                .folder
                .read(&listed.name)
                .ok()
                .and_then(|(_, bytes, _)| String::from_utf8(bytes).ok())
                .map(|text| title_of(&text))
                .unwrap_or_default();
            found.push(Known {
                reference: listed.name.clone(),
                origin: Origin::Mappen,
                title,
            });
        }
    }
    for dir in app.allowed.dirs() {
        for (path, text) in allowed_profiles(app, dir) {
            found.push(Known {
                reference: path.display().to_string(),
                origin: Origin::TillatenMapp,
                title: title_of(&text),
            });
        }
    }
    found
}

/// The profile files directly in an allowed folder, each with its text, read once.
fn allowed_profiles(app: &AppState, dir: &Path) -> Vec<(PathBuf, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut profiles: Vec<(PathBuf, String)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .filter_map(|p| profile_text(app, &p).map(|text| (p, text)))
        .collect();
    profiles.sort();
    profiles
}

/// A profile file directly in an allowed folder, if `reference` names one: the file a profile
/// from there is read and checked as (its logo beside it), and its text. Only that file is
/// read, not every profile the form offers.
pub fn allowed_profile(app: &AppState, reference: &str) -> Option<(PathBuf, String)> {
    let path = PathBuf::from(reference);
    let yaml = path.extension().is_some_and(|x| x == "yaml" || x == "yml");
    let in_allowed = path
        .parent()
        .is_some_and(|parent| app.allowed.dirs().iter().any(|d| d == parent));
    if !(yaml && in_allowed) {
        return None;
    }
    let text = profile_text(app, &path)?;
    Some((path, text))
}

/// The text of a file in an allowed folder if it is a profile (read confined to that folder).
fn profile_text(app: &AppState, path: &Path) -> Option<String> {
    read_allowed(app, path).filter(|t| FileKind::of_text(t) == Some(FileKind::Profile))
}

/// Reads a file in an allowed folder, confined to it (a link out of it is refused).
fn read_allowed(app: &AppState, path: &Path) -> Option<String> {
    let folder = path.parent()?;
    let bytes = app
        .allowed
        .read_confined(path, folder, lexsarah::source::MAX_FILE_BYTES)
        .ok()?;
    String::from_utf8(bytes).ok()
}

/// "Kommun, förvaltning" from a profile's text, for the list.
fn title_of(text: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Names {
        kommun: Option<String>,
        forvaltning: Option<String>,
    }
    serde_saphyr::from_str::<Names>(text)
        .ok()
        .map(|n| {
            [n.kommun, n.forvaltning]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// A profile opened for its form.
#[derive(Debug, Serialize)]
pub struct Opened {
    /// Its reference.
    pub reference: String,
    /// Where it comes from; only the folder's can be saved in place.
    pub origin: Origin,
    /// Its version (the SHA-256 of its bytes), for a conflict-safe save; none for a built-in.
    pub version: Option<String>,
    /// The profile as JSON.
    pub profile: Value,
    /// Whether the file has comments, which saving from the form does not keep.
    pub comments: bool,
}

/// Opens a profile by its reference, if it is one the form offers; only that profile is read.
pub fn open(app: &AppState, reference: &str) -> Result<Opened, Refusal> {
    let Some((origin, path, text, version)) = offered(app, reference) else {
        return Err(Refusal::new(
            StatusCode::NOT_FOUND,
            format!(
                "Det finns ingen profil \"{reference}\" bland de inbyggda, i mappen eller i en mapp som --allow-path tillåter."
            ),
        ));
    };
    let opened = crate::edit::open(&path, text.into_bytes())?;
    Ok(Opened {
        reference: reference.to_string(),
        origin,
        version,
        profile: opened.case,
        comments: opened.comments,
    })
}

/// A profile [`known`] would list, found by its reference alone: where it comes from, the file
/// it is read as, its text, and its version where the form may save it.
fn offered(app: &AppState, reference: &str) -> Option<(Origin, PathBuf, String, Option<String>)> {
    if let Some(text) = lexsarah::profile::built_in_names()
        .find(|name| *name == reference)
        .and_then(lexsarah::profile::built_in_text)
    {
        let path = PathBuf::from(format!("{reference}.yaml"));
        return Some((Origin::Inbyggd, path, text.to_string(), None));
    }
    // A file in the folder: a plain name, a regular file beneath its handle, and a profile.
    if app.folder.path_of(reference).is_ok() {
        let (path, bytes, version) = app.folder.read(reference).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let profile = FileKind::of_text(&text) == Some(FileKind::Profile);
        return profile.then_some((Origin::Mappen, path, text, Some(version)));
    }
    let (path, text) = allowed_profile(app, reference)?;
    Some((Origin::TillatenMapp, path, text, None))
}

/// What a check of a profile in its form found, and a sample page in its layout.
#[derive(Debug, Serialize)]
pub struct Checked {
    /// Every problem, errors first.
    pub problems: Vec<Problem>,
    /// The sample case's beslut and the first page of its rapport, drawn with this profile;
    /// none while the profile has errors.
    pub preview: Option<Preview>,
}

/// Checks a profile as the file `name` in the folder would be read (its logo beside it), and
/// draws the sample.
pub fn check(path: &Path, profile: &Value, allowed: &lexsarah::profile::AllowedPaths) -> Checked {
    let written: Written = yaml_for(profile, &PROFILE_SCHEMA);
    let source = SourceFile {
        path: path.to_path_buf(),
        text: written.text.clone(),
    };
    match lexsarah::profile::from_source(&source, allowed) {
        Ok(resolved) => Checked {
            problems: Vec::new(),
            preview: sample(&resolved),
        },
        Err(found) => {
            let mut problems: Vec<Problem> = found
                .into_iter()
                .map(|d| placed(d, path, &written))
                .collect();
            problems.sort_by_key(|p| p.severity != lexsarah::diagnostics::Severity::Error);
            Checked {
                problems,
                preview: None,
            }
        }
    }
}

/// The sample case's beslut and the first page of its rapport, in the profile's layout.
fn sample(profile: &lexsarah::profile::ResolvedProfile) -> Option<Preview> {
    let source = SourceFile {
        path: PathBuf::from("exempel.yaml"),
        text: SAMPLE.to_string(),
    };
    let case: Case = lexsarah::source::parse_checked(
        &source,
        &lexsarah::case::schema::CASE_SCHEMA,
        FileKind::Case,
    )
    .ok()?;
    // The beslut whole (one page in the sample), and the rapport's first page.
    let (mut pages, _) = crate::edit::pages(&case, profile, DocKind::Beslut, PREVIEW_PAGES)?;
    pages.extend(crate::edit::pages(&case, profile, DocKind::Rapport, 1)?.0);
    Some(Preview {
        document: "profil",
        total: pages.len(),
        pages,
    })
}

/// Saves a profile in the folder, unless the file changed since it was opened; returns the
/// new version.
pub fn save(
    app: &AppState,
    name: &str,
    profile: &Value,
    version: Option<&str>,
) -> Result<String, Refusal> {
    if !profile.is_object() {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "Profilen ska vara ett objekt.",
        ));
    }
    if lexsarah::profile::is_built_in_reference(name) {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            format!(
                "\"{name}\" är en inbyggd profil och kan inte skrivas över; spara den som en fil i mappen, till exempel var-kommun.yaml."
            ),
        ));
    }
    let text = yaml_for(profile, &PROFILE_SCHEMA).text;
    app.folder.save(name, &text, version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_is_titled_by_its_kommun_and_forvaltning() {
        let text = lexsarah::profile::built_in_text("mjolby").unwrap();
        assert_eq!(
            title_of(text),
            "Mjölby kommun, Omsorgs- och socialförvaltningen"
        );
        assert_eq!(title_of("- inte en profil"), "");
    }
}
