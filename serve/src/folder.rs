//! The one folder of case files the server may touch: names inside it, reading through
//! lexsarah's confined reader, and saving atomically unless the file changed since it was read.

use std::path::{Path, PathBuf};

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

/// The case folder, by its real path.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
}

impl Folder {
    /// The folder at `dir`, which must exist.
    pub fn open(dir: &Path) -> Result<Self, String> {
        let root = dir.canonicalize().map_err(|e| {
            format!(
                "mappen {} kan inte öppnas: {}\n  = hint: ange mappen med ärendefilerna, till exempel `lexsarah-serve arenden/`",
                dir.display(),
                lexsarah::source::io_reason(&e)
            )
        })?;
        if !root.is_dir() {
            return Err(format!(
                "{} är ingen mapp\n  = hint: ange mappen som ärendefilerna ligger i, inte en fil",
                dir.display()
            ));
        }
        Ok(Self { root })
    }

    /// The folder's real path.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The case files in the folder (not in its subfolders), by name.
    pub fn list(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.root)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|name| valid_name(name).is_ok())
            .collect();
        names.sort();
        names
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
            .read_confined(&path)
            .map_err(|e| read_refusal(name, &e))?;
        let version = sha256_hex(&bytes);
        Ok((path, bytes, version))
    }

    /// Reads a file of the folder through lexsarah's one reader, confined to the folder.
    fn read_confined(&self, path: &Path) -> Result<Vec<u8>, ReadError> {
        lexsarah::files::read(path, MAX_FILE_BYTES, Some(std::slice::from_ref(&self.root)))
    }

    /// Saves `text` as `name` if the file is still at `expected` (its version when it was read,
    /// or `None` for a file that must not exist yet); returns the new version.
    pub fn save(&self, name: &str, text: &str, expected: Option<&str>) -> Result<String, Refusal> {
        let path = self.path_of(name)?;
        let current = match self.read_confined(&path) {
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
        lexsarah::output::write_atomic(&path, text.as_bytes()).map_err(|e| {
            Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!(
                    "{name} kunde inte sparas: {}. Ingenting ändrades i filen.",
                    lexsarah::source::io_reason(&e)
                ),
            )
        })?;
        Ok(sha256_hex(text.as_bytes()))
    }
}

/// Why a name is not a case file's name in the folder, if it is not.
fn valid_name(name: &str) -> Result<(), String> {
    let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
    if name.is_empty()
        || name.len() > 200
        || name.starts_with('.')
        || name.contains(['/', '\\', ':'])
        || name.chars().any(char::is_control)
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
        ReadError::Outside(_) => StatusCode::FORBIDDEN,
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
        ] {
            assert!(valid_name(bad).is_err(), "{bad:?}");
        }
    }
}
