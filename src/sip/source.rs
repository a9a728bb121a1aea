//! What a package is made of, read only inside the batch archive: its manifest, each case's
//! checked data, and the PDFs (a signed copy where `verify` holds it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::case::Case;
use crate::commands::batch::archive::case_data_name;
use crate::commands::batch::listings::Signering;
use crate::document::{Diarium, DocKind};
use crate::files::Folder;
use crate::profile::Profile;
use crate::source::SourceFile;
use crate::source::values::Date;

/// The largest file the packager reads from an archive.
const MAX_BYTES: u64 = crate::output::MAX_PDF_BYTES;

/// A case read from the archive, ready to be packaged.
#[derive(Debug)]
pub struct ArchivedCase {
    /// The case's folder in the archive (its file stem).
    pub stem: String,
    /// The checked case.
    pub case: Case,
    /// The profile it was checked with.
    pub profile: Profile,
    /// The case data file's bytes, as the archive keeps it.
    pub data: Vec<u8>,
    /// Its documents' PDFs, in the order of the process.
    pub documents: Vec<Document>,
}

/// What the packager needs of a manifest row; the rest is not kept, so that a manifest of
/// thousands of cases takes little memory.
#[derive(Debug, serde::Deserialize)]
struct ManifestRow {
    diarienummer: String,
    handlingstyp: String,
    fil: String,
    sha256: String,
    sekretess: String,
    #[serde(default)]
    sekretess_grund: String,
    #[serde(default)]
    signerad_fil: Option<String>,
}

/// One document of a case, with the PDF that goes into the package.
#[derive(Debug)]
pub struct Document {
    /// Which document it is.
    pub doc: DocKind,
    /// Its file name in the package (the archive's name of the unsigned PDF).
    pub name: String,
    /// The PDF: the signed copy where there is one whose signatures hold, else the one made.
    pub bytes: Vec<u8>,
    /// What the profile calls it (the manifest's handlingstyp).
    pub handlingstyp: String,
    /// Its date.
    pub date: Date,
    /// How the diarium registers it.
    pub diarium: Diarium,
    /// Whether it is confidential, and on what ground.
    pub sekretess: Option<String>,
    /// Its signatures, where the signed copy is the one packaged.
    pub signatures: Vec<Signering>,
    /// The archive's path of the file packaged, relative to the archive.
    pub archived_as: String,
    /// The SHA-256 of `bytes`, in lowercase hex.
    pub sha256: String,
    /// Its format, from the conformance it claims.
    pub format: Option<super::premis::Format>,
}

/// Why a case is not packaged, in words for the registrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The case's folder in the archive.
    pub stem: String,
    /// What is wrong.
    pub reason: String,
    /// What to do.
    pub hint: String,
}

/// The archive, opened by its handle: every read stays inside it and follows no link.
pub struct Archive {
    root: PathBuf,
    folder: Folder,
    rows: Vec<ManifestRow>,
}

impl Archive {
    /// Opens the archive a batch made and reads its manifest.
    pub fn open(root: &Path) -> Result<Self, String> {
        let folder = Folder::open(root).map_err(|e| {
            format!(
                "{} kan inte öppnas: {}",
                root.display(),
                crate::source::io_reason(&e)
            )
        })?;
        let manifest = folder
            .read(Path::new("manifest.json"), MAX_BYTES)
            .map_err(|e| {
                format!(
                    "{} har ingen läsbar manifest.json ({}); är det ett arkiv som `lexsarah batch` gjort?",
                    root.display(),
                    e.reason()
                )
            })?;
        let rows: Vec<ManifestRow> = serde_json::from_slice(&manifest)
            .map_err(|e| format!("{}/manifest.json kan inte läsas: {e}", root.display()))?;
        Ok(Self {
            root: root.to_path_buf(),
            folder,
            rows,
        })
    }

    /// The case folders the manifest names, sorted.
    pub fn stems(&self) -> Vec<String> {
        let mut stems: Vec<String> = self
            .rows
            .iter()
            .filter_map(|r| r.fil.split_once('/').map(|(stem, _)| stem.to_string()))
            .collect();
        stems.sort();
        stems.dedup();
        stems
    }

    fn read(&self, relative: &str) -> Result<Vec<u8>, String> {
        self.folder
            .read(Path::new(relative), MAX_BYTES)
            .map_err(|e| format!("{relative} kan inte läsas i arkivet: {}", e.reason()))
    }

    /// Reads one case folder: its data, checked again, and its documents.
    pub fn case(&self, stem: &str, today: chrono::NaiveDate) -> Result<ArchivedCase, Refused> {
        let refuse = |reason: String, hint: &str| Refused {
            stem: stem.to_string(),
            reason,
            hint: hint.to_string(),
        };
        let rows: BTreeMap<&str, &ManifestRow> = self
            .rows
            .iter()
            .filter(|r| r.fil.split_once('/').is_some_and(|(s, _)| s == stem))
            .map(|r| (r.fil.as_str(), r))
            .collect();
        let diarienummer = rows
            .values()
            .next()
            .map(|r| r.diarienummer.clone())
            .unwrap_or_default();
        let data_path = format!("{stem}/{}", case_data_name(&diarienummer));
        let data = self.read(&data_path).map_err(|reason| {
            refuse(
                reason,
                "arkivet gjordes av en äldre lexsarah, som inte sparade ärendets data: kör `lexsarah batch` igen till samma arkiv",
            )
        })?;
        let (case, profile) = parse_data(&self.root.join(&data_path), &data, today)
            .map_err(|reason| refuse(reason, "rätta ärendet och kör `lexsarah batch` igen"))?;
        if case.decided_on().is_none() {
            return Err(refuse(
                "ärendet är inte avslutat: det har varken ett beslut eller ett ställningstagande att inte inleda utredning".into(),
                "ett ärende levereras till e-arkivet när det är avslutat; lägg till beslutet och kör `lexsarah batch` igen",
            ));
        }
        let mut documents = Vec::new();
        for doc in DocKind::all_in(&case) {
            let name = doc.file_name(&diarienummer);
            let fil = format!("{stem}/{name}");
            let Some(row) = rows.get(fil.as_str()) else {
                return Err(refuse(
                    format!("{fil} står inte i arkivets manifest"),
                    "kör `lexsarah batch` igen till samma arkiv",
                ));
            };
            let made = self
                .read(&fil)
                .map_err(|r| refuse(r, "kör `lexsarah batch` igen"))?;
            if crate::output::sha256_hex(&made) != row.sha256 {
                return Err(refuse(
                    format!(
                        "{fil} har inte den kontrollsumma som manifestet anger: filen har ändrats efter batch"
                    ),
                    "kör `lexsarah batch` igen, så att manifestet och filerna stämmer",
                ));
            }
            let (bytes, signatures, archived_as, sha256) = match signed_copy(self, row, &made) {
                Some((copy, signatures, path)) => {
                    let sha256 = crate::output::sha256_hex(&copy);
                    (copy, signatures, path, sha256)
                }
                None => (made, Vec::new(), fil.clone(), row.sha256.clone()),
            };
            let format = super::premis::format_of(&bytes);
            let date = doc.date(&case).ok_or_else(|| {
                refuse(
                    format!("{fil} har inget datum i ärendet"),
                    "kör `lexsarah batch` igen",
                )
            })?;
            documents.push(Document {
                doc,
                name,
                bytes,
                handlingstyp: row.handlingstyp.clone(),
                date,
                diarium: doc.diarium(&case, &profile),
                sekretess: (row.sekretess == "ja").then(|| row.sekretess_grund.clone()),
                signatures,
                archived_as,
                sha256,
                format,
            });
        }
        Ok(ArchivedCase {
            stem: stem.to_string(),
            case,
            profile,
            data,
            documents,
        })
    }
}

/// The signed copy the manifest names, if its first revision is the PDF made and every one of
/// its signatures holds: (its bytes, its signatures, its path in the archive).
fn signed_copy(
    archive: &Archive,
    row: &ManifestRow,
    made: &[u8],
) -> Option<(Vec<u8>, Vec<Signering>, String)> {
    let path = row.signerad_fil.as_deref()?;
    let bytes = archive.read(path).ok()?;
    if bytes.len() <= made.len() || !bytes.starts_with(made) {
        return None;
    }
    let report = crate::sign::verify::verify(&bytes, &[]).ok()?;
    if !report.holds() {
        return None;
    }
    // The report just made says who signed: the PDF is not verified a second time.
    Some((bytes, Signering::of(report), path.to_string()))
}

/// The case and profile of a case data file, checked again as `check` would: the format and
/// every rule of the process.
fn parse_data(
    path: &Path,
    data: &[u8],
    today: chrono::NaiveDate,
) -> Result<(Case, Profile), String> {
    #[derive(serde::Deserialize)]
    struct Data {
        format: u32,
        arende: serde_json::Value,
        profil: serde_json::Value,
    }
    let data: Data = serde_json::from_slice(data)
        .map_err(|e| format!("{} kan inte läsas: {e}", path.display()))?;
    if data.format != crate::commands::batch::archive::CASE_DATA_FORMAT {
        return Err(format!(
            "{} har formatet {}, som den här lexsarah inte läser",
            path.display(),
            data.format
        ));
    }
    let profile_source = SourceFile {
        path: path.with_extension("profil.yaml"),
        text: crate::case::write::yaml_for(&data.profil, &crate::profile::schema::PROFILE_SCHEMA)
            .text,
    };
    let profile = crate::profile::from_source(&profile_source, &Default::default())
        .map_err(|found| described(&found))?;
    let case_source = SourceFile {
        path: path.with_extension("yaml"),
        text: crate::case::write::case_yaml(&data.arende).text,
    };
    // Checked as `check` checks a case, with the profile the archive kept.
    let settings = crate::check::CheckSettings {
        today,
        ..Default::default()
    };
    let checked = crate::case::parse_case(case_source)
        .and_then(|loaded| crate::check::check_with(loaded, profile, &settings))
        .map_err(|found| {
            let errors: Vec<_> = found.into_iter().filter(|d| d.is_error()).collect();
            format!("ärendet klarar inte kontrollen: {}", described(&errors))
        })?;
    Ok((checked.loaded.case, checked.profile.profile))
}

/// Diagnostics as one line of their messages and codes.
fn described(found: &[crate::diagnostics::Diagnostic]) -> String {
    found
        .iter()
        .map(|d| format!("{} [{}]", d.message, d.code))
        .collect::<Vec<_>>()
        .join("; ")
}
