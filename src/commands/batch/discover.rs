//! Finding the case files under the folders, and refusing a diarienummer given twice.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Key;
use crate::check::{CheckSettings, CheckedCase};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::files::{EntryKind, Folder};
use crate::source::SourceFile;
use crate::source::values::{self, Located};

/// A case file found under one of the folders.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// The case file, as the folder's path joined with `relative` (for messages).
    pub path: PathBuf,
    /// The case file relative to the folder it was found under, with `/` between folders.
    pub kalla: String,
    /// Why it is refused before it is read, if it is.
    pub refused: Option<Diagnostic>,
    /// The folder it was found under, opened once as a handle.
    pub folder: Arc<Folder>,
    /// The case file relative to that folder.
    pub relative: PathBuf,
}

impl Found {
    /// Reads the case file beneath its folder's handle, never following a link: a folder swapped
    /// for a link since it was found is refused, not read.
    pub fn read(&self) -> Result<SourceFile, Diagnostic> {
        crate::source::read_source_beneath(&self.folder, &self.relative)
    }

    /// Checks the case file as read beneath its folder.
    pub fn check(&self, settings: &CheckSettings) -> Result<CheckedCase, Vec<Diagnostic>> {
        crate::check::check_source(self.read().map_err(|d| vec![d])?, settings)
    }
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
        let unreadable = |e: std::io::Error| {
            problem(format!(
                "{} kan inte läsas: {}",
                dir.display(),
                crate::source::io_reason(&e)
            ))
        };
        let folder = Folder::open(dir).map(Arc::new).map_err(unreadable)?;
        let entries = folder.walk().map_err(unreadable)?;
        for entry in entries {
            let relative = entry.relative;
            let path = dir.join(&relative);
            let is_yaml = relative
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
            let at = |refused| Found {
                path: path.clone(),
                kalla: slashed(&relative),
                refused,
                folder: folder.clone(),
                relative: relative.clone(),
            };
            // A link is never followed, and never passed over in silence either: a case or a
            // folder of cases that is a link is refused, and says so.
            if entry.kind == EntryKind::Link && (is_yaml || path.is_dir()) {
                found.push(at(Some(
                    Diagnostic::error(
                        &path,
                        Pos::UNKNOWN,
                        Code::SymboliskLank,
                        format!("{} är en symbolisk länk, och batch följer inga länkar", path.display()),
                    )
                    .with_hint("lägg ärendefilen (eller mappen) själv bland ärendena i stället för en länk till den"),
                )));
                continue;
            }
            if entry.kind != EntryKind::File || !is_yaml {
                continue;
            }
            let candidate = at(None);
            if is_profile(&candidate) {
                continue;
            }
            found.push(candidate);
        }
    }
    Ok(found)
}

/// Whether a YAML file is a profile (it has `layout` and no `version`) rather than a case.
fn is_profile(found: &Found) -> bool {
    // Read as a case would be, with its cap: a file too large for one is refused as a case.
    let Ok(source) = found.read() else {
        return false;
    };
    let text = source.text;
    // Discovery runs before the workers start: a case, with no `layout` in it, is not parsed.
    if !text.contains("layout") {
        return false;
    }
    crate::source::FileKind::of_text(&text) == Some(crate::source::FileKind::Profile)
}

/// A case file's diarienummer and where it is written, if the file can be read that far.
///
/// Only the diarienummer is read (the rest of the file is passed over), the same way the check
/// reads it: batch learns which cases share a number before it checks any case in full.
pub(super) fn diarienummer_at(found: &Found) -> Option<Located<values::Code>> {
    #[derive(serde::Deserialize)]
    struct Just {
        arende: Arende,
    }
    #[derive(serde::Deserialize)]
    struct Arende {
        diarienummer: Located<values::Code>,
    }
    let source = found.read().ok()?;
    let just: Just = crate::source::parse_yaml(&source).ok()?;
    Some(just.arende.diarienummer)
}

/// A case file's diarienummer, if the file can be read that far (for `fel.json`).
pub(super) fn diarienummer_of(found: &Found) -> Option<String> {
    diarienummer_at(found).map(|d| d.value.0)
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
pub(crate) fn slashed(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
