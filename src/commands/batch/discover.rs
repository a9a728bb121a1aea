//! Finding the case files under the folders, and refusing a diarienummer given twice.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::Key;
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::source::values::{self, Located};

/// A case file found under one of the folders.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// The case file.
    pub path: PathBuf,
    /// The case file relative to the folder it was found under, with `/` between folders.
    pub kalla: String,
    /// Why it is refused before it is read, if it is.
    pub refused: Option<Diagnostic>,
}

/// Every case file (`*.yaml`, `*.yml`) under the folders, in sorted order; profile files are skipped.
pub(crate) fn discover(dirs: &[PathBuf]) -> Result<Vec<Found>, Diagnostic> {
    let mut found = Vec::new();
    for dir in dirs {
        let problem = |message: String| {
            Diagnostic::error(dir, Pos::UNKNOWN, Code::KanInteKoras, message)
                .with_hint("ange mappar med ärendefiler som du får läsa")
        };
        if !dir.is_dir() {
            return Err(problem(format!("{} är ingen mapp", dir.display())));
        }
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry =
                entry.map_err(|e| problem(format!("{} kan inte läsas: {e}", dir.display())))?;
            let path = entry.path();
            let is_yaml = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
            let relative = path.strip_prefix(dir).unwrap_or(path);
            // A link is never followed, and never passed over in silence either: a case or a
            // folder of cases that is a link is refused, and says so.
            if entry.path_is_symlink() && (is_yaml || path.is_dir()) {
                found.push(Found {
                    path: path.to_path_buf(),
                    kalla: slashed(relative),
                    refused: Some(
                        Diagnostic::error(
                            path,
                            Pos::UNKNOWN,
                            Code::SymboliskLank,
                            format!("{} är en symbolisk länk, och batch följer inga länkar", path.display()),
                        )
                        .with_hint("lägg ärendefilen (eller mappen) själv bland ärendena i stället för en länk till den"),
                    ),
                });
                continue;
            }
            if !entry.file_type().is_file() || !is_yaml || is_profile(path) {
                continue;
            }
            found.push(Found {
                path: path.to_path_buf(),
                kalla: slashed(relative),
                refused: None,
            });
        }
    }
    Ok(found)
}

/// Whether a YAML file is a profile (it has `layout` and no `version`) rather than a case.
fn is_profile(path: &Path) -> bool {
    // Read as a case would be, with its cap: a file too large for one is refused as a case.
    let Ok(bytes) = crate::files::read(path, crate::source::MAX_FILE_BYTES, None) else {
        return false;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return false;
    };
    // Discovery runs before the workers start: a case, with no `layout` in it, is not parsed.
    if !text.contains("layout") {
        return false;
    }
    match serde_saphyr::from_str::<BTreeMap<String, serde::de::IgnoredAny>>(&text) {
        Ok(keys) => keys.contains_key("layout") && !keys.contains_key("version"),
        Err(_) => false,
    }
}

/// A case file's diarienummer and where it is written, if the file can be read that far.
///
/// Only the diarienummer is read (the rest of the file is passed over), the same way the check
/// reads it: batch learns which cases share a number before it checks any case in full.
pub(super) fn diarienummer_at(path: &Path) -> Option<Located<values::Code>> {
    #[derive(serde::Deserialize)]
    struct Just {
        arende: Arende,
    }
    #[derive(serde::Deserialize)]
    struct Arende {
        diarienummer: Located<values::Code>,
    }
    let source = crate::source::read_source(path).ok()?;
    let just: Just = crate::source::parse_yaml(&source).ok()?;
    Some(just.arende.diarienummer)
}

/// A case file's diarienummer, if the file can be read that far (for `fel.json`).
pub(super) fn diarienummer_of(path: &Path) -> Option<String> {
    diarienummer_at(path).map(|d| d.value.0)
}

/// For each later case whose diarienummer (or file name) an earlier case has, its refusal.
pub(super) fn duplicates(found: &[Found], keys: &[Key]) -> HashMap<usize, Diagnostic> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut refused = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        let Ok(Some((diarienummer, stem, pos))) = key else {
            continue;
        };
        match first.get(stem.as_str()) {
            Some(&j) => {
                let earlier = &found[j].kalla;
                let message = match &keys[j] {
                    Ok(Some((other, ..))) if other != diarienummer => format!(
                        "diarienumret \"{diarienummer}\" ger samma filnamn ({stem}) som \"{other}\" i {earlier}"
                    ),
                    _ => format!("diarienumret \"{diarienummer}\" har redan ärendet {earlier}"),
                };
                let mut duplicate =
                    Diagnostic::error(&found[i].path, *pos, Code::DiarienummerDubblett, message)
                        .with_hint("rätta diarienumret eller ta bort den ena filen");
                crate::lagrum::add_ground(&mut duplicate, None);
                refused.insert(i, duplicate);
            }
            None => {
                first.insert(stem, i);
            }
        }
    }
    refused
}

/// A relative path with `/` between its parts, as the manifest and the zip name files.
pub(super) fn slashed(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
