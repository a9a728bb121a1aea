//! The one folder of case files the server may touch: names inside it, reading beneath its
//! handle without following any link, and saving atomically unless the file changed since it
//! was read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lexsarah::files::ReadError;
use lexsarah::output::sha256_hex;
use lexsarah::source::MAX_FILE_BYTES;

/// A request the server turns down, with what to tell the person.
#[derive(Debug)]
pub struct Refusal {
    /// The HTTP status.
    pub status: StatusCode,
    /// What happened and what to do, in Swedish.
    pub message: String,
}

impl Refusal {
    /// A refusal with a status and a message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(serde_json::json!({ "message": self.message })),
        )
            .into_response()
    }
}

/// What ends the name of a case file's draft (`arende.yaml.utkast`); no command reads it.
pub const DRAFT_SUFFIX: &str = ".utkast";

/// What a file in the folder is taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ListedKind {
    /// A case file.
    Arende,
    /// An organisation's profile.
    Profil,
    /// Another YAML file, which the form does not open.
    Annat,
}

/// A YAML file in the folder, with what it is taken for.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Listed {
    /// Its name.
    pub name: String,
    /// What it is taken for.
    pub kind: ListedKind,
    /// Why, where it is not plainly a case or a profile.
    pub note: Option<String>,
}

/// Whether text that is not a YAML mapping still reads as a case someone is writing.
fn looks_like_case(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .any(|l| l.starts_with("version:") || l.starts_with("arende:"))
}

/// The case folder, by its real path and its handle, opened once when the server starts.
#[derive(Debug)]
pub struct Folder {
    root: PathBuf,
    handle: lexsarah::files::Folder,
    /// One lock per file name, held from the version check of a save to its rename, so that
    /// of two saves of one file from the same version one gets 409.
    saving: Mutex<HashMap<String, Arc<Mutex<()>>>>,
}

impl Folder {
    /// The folder at `dir`, which must exist.
    pub fn open(dir: &Path) -> Result<Self, String> {
        let root = dir.canonicalize().map_err(|e| {
            format!(
                "mappen {} kan inte öppnas: {}\n  = tips: ange mappen med ärendefilerna, till exempel `lexsarah-serve arenden/`",
                dir.display(),
                lexsarah::source::io_reason(&e)
            )
        })?;
        if !root.is_dir() {
            return Err(format!(
                "{} är ingen mapp\n  = tips: ange mappen som ärendefilerna ligger i, inte en fil",
                dir.display()
            ));
        }
        let handle = lexsarah::files::Folder::open(&root).map_err(|e| {
            format!(
                "mappen {} kan inte öppnas: {}",
                dir.display(),
                lexsarah::source::io_reason(&e)
            )
        })?;
        Ok(Self {
            root,
            handle,
            saving: Mutex::new(HashMap::new()),
        })
    }

    /// The folder's real path.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The names of the regular files in the folder (not in its subfolders); links are not listed.
    fn file_names(&self) -> Vec<String> {
        self.handle
            .entries()
            .unwrap_or_default()
            .into_iter()
            .filter(|entry| entry.kind == lexsarah::files::EntryKind::File)
            .filter_map(|entry| entry.relative.into_os_string().into_string().ok())
            .collect()
    }

    /// The case files in the folder (not in its subfolders), by name; links are not listed.
    pub fn list(&self) -> Vec<String> {
        self.file_names()
            .into_iter()
            .filter(|name| valid_name(name).is_ok())
            .collect()
    }

    /// The names of new cases that were never saved but have a draft: a tab closed or a browser
    /// crashed before the first save.
    pub fn unsaved_drafts(&self) -> Vec<String> {
        let names = self.list();
        self.file_names()
            .into_iter()
            .filter_map(|name| name.strip_suffix(DRAFT_SUFFIX).map(str::to_string))
            .filter(|name| valid_name(name).is_ok() && !names.contains(name))
            .collect()
    }

    /// Every YAML file in the folder (not in its subfolders), each with what it is taken for:
    /// a case, a profile, or another file (with why), so that the form opens each as what it is;
    /// and each new case that exists only as a draft.
    pub fn listed(&self) -> Vec<Listed> {
        let drafts = self.unsaved_drafts().into_iter().map(|name| Listed {
            name,
            kind: ListedKind::Arende,
            note: Some("osparat utkast".into()),
        });
        let mut all: Vec<Listed> = self
            .list()
            .into_iter()
            .map(|name| {
                let (kind, note) = match self.read_confined(&name) {
                    Ok(bytes) => match std::str::from_utf8(&bytes)
                        .ok()
                        .map(lexsarah::source::FileKind::of_text)
                    {
                        Some(Some(lexsarah::source::FileKind::Case)) => (ListedKind::Arende, None),
                        Some(Some(lexsarah::source::FileKind::Profile)) => {
                            (ListedKind::Profil, None)
                        }
                        // A case with broken YAML is still a case to mend: it opens with its
                        // problem named at its line.
                        Some(None) if looks_like_case(&bytes) => (
                            ListedKind::Arende,
                            Some("YAML-fel: öppna den för att se var".to_string()),
                        ),
                        _ => (
                            ListedKind::Annat,
                            Some(
                                "varken ett ärende (som har `version`) eller en profil (som har `layout`)"
                                    .to_string(),
                            ),
                        ),
                    },
                    Err(e) => (ListedKind::Annat, Some(format!("kan inte läsas: {}", e.reason()))),
                };
                Listed { name, kind, note }
            })
            .collect();
        all.extend(drafts);
        all.sort_by(|a, b| a.name.cmp(&b.name));
        all
    }

    /// The name of a case file's draft: `<name>.utkast` beside it.
    pub fn draft_name(&self, name: &str) -> Result<String, Refusal> {
        valid_name(name).map_err(|why| Refusal::new(StatusCode::BAD_REQUEST, why))?;
        Ok(format!("{name}{DRAFT_SUFFIX}"))
    }

    /// The draft of a case file, if there is one: read beneath the folder's handle.
    pub fn read_draft(&self, name: &str) -> Result<Option<Vec<u8>>, Refusal> {
        let draft = self.draft_name(name)?;
        match self.handle.read(Path::new(&draft), 2 * MAX_FILE_BYTES) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(read_refusal(&draft, &e)),
        }
    }

    /// Writes the draft of a case file, for its owner alone (mode 0600), atomically.
    pub fn write_draft(&self, name: &str, bytes: &[u8]) -> Result<(), Refusal> {
        let draft = self.draft_name(name)?;
        lexsarah::output::write_file(
            &self.root.join(&draft),
            bytes,
            lexsarah::output::Access::Private,
        )
        .map_err(|e| {
            Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!(
                    "Utkastet {draft} kunde inte sparas: {}.",
                    lexsarah::source::io_reason(&e)
                ),
            )
        })
    }

    /// Removes the draft of a case file, if there is one.
    pub fn remove_draft(&self, name: &str) -> Result<(), Refusal> {
        let draft = self.draft_name(name)?;
        match std::fs::remove_file(self.root.join(&draft)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!(
                    "Utkastet {draft} kunde inte tas bort: {}.",
                    lexsarah::source::io_reason(&e)
                ),
            )),
        }
    }

    /// Where a case file of this name lies, if the name is a plain file name in the folder.
    pub fn path_of(&self, name: &str) -> Result<PathBuf, Refusal> {
        valid_name(name).map_err(|why| Refusal::new(StatusCode::BAD_REQUEST, why))?;
        Ok(self.root.join(name))
    }

    /// Reads a case file: where it lies, its bytes, and its version (the SHA-256 of its bytes).
    pub fn read(&self, name: &str) -> Result<(PathBuf, Vec<u8>, String), Refusal> {
        let path = self.path_of(name)?;
        let bytes = self
            .read_confined(name)
            .map_err(|e| read_refusal(name, &e))?;
        let version = sha256_hex(&bytes);
        Ok((path, bytes, version))
    }

    /// Reads a file of the folder, by a name `path_of` accepted, beneath its handle: a link,
    /// wherever it leads, is refused.
    fn read_confined(&self, name: &str) -> Result<Vec<u8>, ReadError> {
        self.handle.read(Path::new(name), MAX_FILE_BYTES)
    }

    /// Saves `text` as `name` if the file is still at `expected` (its version when it was read,
    /// or `None` for a file that must not exist yet); returns the new version.
    pub fn save(&self, name: &str, text: &str, expected: Option<&str>) -> Result<String, Refusal> {
        let path = self.path_of(name)?;
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(Refusal::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "{name} sparades inte: ärendet blir {} som YAML, mer än gränsen {} för en ärendefil. Korta de längsta texterna.",
                    lexsarah::source::megabytes(text.len() as u64),
                    lexsarah::source::megabytes(MAX_FILE_BYTES)
                ),
            ));
        }
        let lock = {
            let mut saving = self.saving.lock().unwrap_or_else(|e| e.into_inner());
            saving.entry(name.to_string()).or_default().clone()
        };
        let _held = lock.lock().unwrap_or_else(|e| e.into_inner());
        let current = match self.read_confined(name) {
            Ok(bytes) => Some(sha256_hex(&bytes)),
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(read_refusal(name, &e)),
        };
        match (current.as_deref(), expected) {
            (Some(now), Some(then)) if now == then => {}
            (None, None) => {}
            (Some(_), None) => {
                return Err(Refusal::new(
                    StatusCode::CONFLICT,
                    format!(
                        "Det finns redan en fil som heter {name}. Välj ett annat namn, eller öppna den filen."
                    ),
                ));
            }
            (None, Some(_)) => {
                return Err(Refusal::new(
                    StatusCode::CONFLICT,
                    format!(
                        "{name} har tagits bort eller flyttats sedan du öppnade den. Spara under ett nytt namn om du vill behålla det du skrivit."
                    ),
                ));
            }
            (Some(_), Some(_)) => {
                return Err(Refusal::new(
                    StatusCode::CONFLICT,
                    format!(
                        "{name} har ändrats på disken sedan du öppnade den (kanske av en kollega). Ingenting skrevs över: spara under ett nytt namn, eller öppna filen på nytt och för in dina ändringar."
                    ),
                ));
            }
        }
        // A new case file is its owner's alone; a saved one keeps its mode, group and ACL.
        lexsarah::output::write_file(&path, text.as_bytes(), lexsarah::output::Access::Private)
            .map_err(|e| {
                Refusal::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!(
                        "{name} kunde inte sparas: {}. Ingenting ändrades i filen.",
                        lexsarah::source::io_reason(&e)
                    ),
                )
            })?;
        // Saved: the draft it came from has done its work.
        let _ = self.remove_draft(name);
        Ok(sha256_hex(text.as_bytes()))
    }
}

/// Why a name is not a case file's name in the folder, if it is not.
fn valid_name(name: &str) -> Result<(), String> {
    let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
    let stem = name.trim_end_matches(".yaml").trim_end_matches(".yml");
    if name.is_empty()
        || name.len() > 200
        || name.starts_with('.')
        || name.contains(['/', '\\', ':'])
        || name.chars().any(char::is_control)
        // A name that reads otherwise than it is: an invisible or bidirectional mark
        // ("\u{202e}gnp.yaml" shows as "lmay.png"), or a space at either end of the name.
        || name.chars().any(|c| {
            lexsarah::publish::fold::is_format(c)
        })
        || stem.trim() != stem
        || stem.is_empty()
        || !yaml
    {
        return Err(format!(
            "\"{name}\" är inte ett namn på en ärendefil i mappen: skriv ett filnamn som slutar på .yaml, utan mappar (till exempel arende-2026-17.yaml)"
        ));
    }
    Ok(())
}

fn read_refusal(name: &str, e: &ReadError) -> Refusal {
    let status = match e {
        ReadError::Io(io) if io.kind() == std::io::ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ReadError::Outside(_) | ReadError::Link => StatusCode::FORBIDDEN,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Refusal::new(status, format!("{name} kan inte läsas: {}", e.reason()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_yaml_names_in_the_folder() {
        for good in ["arende.yaml", "2026 nr 17.yml", "ärende-ö.yaml"] {
            assert!(valid_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "../arende.yaml",
            "sub/arende.yaml",
            "/etc/passwd",
            ".dold.yaml",
            "arende.txt",
            "a\\b.yaml",
            "c:arende.yaml",
            "rad\nbrytning.yaml",
            "\u{202e}gnp.yaml",
            "x\u{200b}.yaml",
            " .yaml",
            " arende.yaml",
            "arende .yaml",
            ".yaml",
        ] {
            assert!(valid_name(bad).is_err(), "{bad:?}");
        }
    }
}
