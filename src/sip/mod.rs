//! Information packages for the e-arkiv (E-ARK CSIP 2.1 + SIP 2.1, that is FGS Paketstruktur
//! 2.0, with CITS ERMS, FGS Ärendehantering 2.0): one per closed case of a batch archive, made
//! only from what the archive holds, the same bytes on every run.

pub mod erms;
pub mod mets;
pub mod premis;
pub mod schemas;
pub mod source;
pub mod xml;

use std::path::{Path, PathBuf};

use source::ArchivedCase;
use uuid::Uuid;

/// What the packages of one run share: the date they are made on.
#[derive(Debug, Clone)]
pub struct SipSettings {
    /// The date the packages are made on, `--date`; without it each package takes its case's
    /// latest document date, never the clock.
    pub date: Option<chrono::NaiveDate>,
    /// The day against which the rules of `check` find dates in the future.
    pub today: chrono::NaiveDate,
}

/// What every part of one package says alike.
#[derive(Debug, Clone)]
pub struct Context {
    /// The package's identifier and folder name: `uuid-` and a name-based UUID of the
    /// organisation and the diarienummer.
    pub objid: String,
    /// The package's label: the diarienummer and the rubrik.
    pub label: String,
    /// When the package is made (xs:dateTime).
    pub created: String,
    /// The archival creator (arkivbildare).
    pub creator: String,
    /// The archival creator's identifier, where the profile gives one.
    pub creator_id: Option<String>,
    /// Who submits the package: the förvaltning.
    pub submitter: String,
}

/// A file of a package: its path inside the package, bytes, and what METS says of it.
#[derive(Debug, Clone)]
pub struct PackageFile {
    /// The path from the package's root, with `/`.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// When it was made (xs:dateTime).
    pub created: String,
    /// Its MIME type.
    pub mime: &'static str,
    /// Its format, for a PDF.
    pub format: Option<premis::Format>,
    /// The SHA-256 of its bytes, in lowercase hex, computed once.
    pub sha256: String,
}

/// A whole package, ready to be written.
#[derive(Debug, Clone)]
pub struct Package {
    /// Its identifier, also the name of its folder.
    pub objid: String,
    /// Its files, sorted by path.
    pub files: Vec<PackageFile>,
}

/// The namespace of lexsarah's name-based package identifiers (itself the UUID of its name).
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:lexsarah:sip")
}

/// The package identifier of a case: the same organisation and diarienummer always give the
/// same one, and two kommuner's equal diarienummer give different ones.
pub fn objid(creator: &str, creator_id: Option<&str>, diarienummer: &str) -> String {
    let name = format!(
        "{}\u{1f}{}\u{1f}{diarienummer}",
        creator_id.unwrap_or(""),
        creator
    );
    format!("uuid-{}", Uuid::new_v5(&namespace(), name.as_bytes()))
}

/// An ISO date as an xs:dateTime at midnight; a longer timestamp as its first 19 characters.
pub fn date_time(iso: &str) -> String {
    if iso.len() == 10 {
        format!("{iso}T00:00:00")
    } else {
        iso.get(..19).unwrap_or(iso).to_string()
    }
}

/// The archival creator of a profile: its `arkivbildare`, else the nämnd of its kommun.
pub fn creator(case: &crate::case::Case, profile: &crate::profile::Profile) -> String {
    profile
        .arkivbildare
        .clone()
        .unwrap_or_else(|| format!("{}, {}", case.namnd(profile), profile.kommun))
}

/// The SHA-256 of each schema the packages carry, computed once per run.
static SCHEMA_DIGESTS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    schemas::SCHEMAS
        .iter()
        .map(|(_, bytes)| crate::output::sha256_hex(bytes))
        .collect()
});

/// Builds the package of a case read from the archive, taking its PDFs' bytes.
pub fn package(mut archived: ArchivedCase, settings: &SipSettings) -> Package {
    let archived = &mut archived;
    let case = &archived.case;
    let profile = &archived.profile;
    let diarienummer = &case.arende.diarienummer.value.0;
    let creator = creator(case, profile);
    let latest = archived
        .documents
        .iter()
        .map(|d| d.date.0)
        .max()
        .unwrap_or(settings.today);
    let made = settings.date.unwrap_or(latest);
    let ctx = Context {
        objid: objid(&creator, profile.arkivbildare_id.as_deref(), diarienummer),
        label: format!("{diarienummer} {}", case.arende.rubrik.value),
        created: date_time(&made.format("%Y-%m-%d").to_string()),
        creator,
        creator_id: profile.arkivbildare_id.clone(),
        submitter: case.forvaltning(profile).to_string(),
    };
    let at = |path: String, bytes: Vec<u8>, mime: &'static str| PackageFile {
        path,
        sha256: crate::output::sha256_hex(&bytes),
        bytes,
        created: ctx.created.clone(),
        mime,
        format: None,
    };
    let erms = at(
        "metadata/descriptive/ERMS.xml".into(),
        xml::document(&erms::document(&ctx, archived)),
        "application/xml",
    );
    let premis = at(
        "metadata/preservation/PREMIS.xml".into(),
        xml::document(&premis::document(&ctx, archived)),
        "application/xml",
    );
    let documentation = at(
        format!(
            "documentation/{}",
            crate::commands::batch::archive::case_data_name(diarienummer)
        ),
        std::mem::take(&mut archived.data),
        "application/json",
    );
    let schemas: Vec<PackageFile> = schemas::SCHEMAS
        .iter()
        .zip(SCHEMA_DIGESTS.iter())
        .map(|((name, bytes), sha256)| PackageFile {
            path: format!("schemas/{name}"),
            bytes: bytes.to_vec(),
            created: ctx.created.clone(),
            mime: "application/xml",
            format: None,
            sha256: sha256.clone(),
        })
        .collect();
    // The PDFs' bytes move into the package; their digests and formats were read once.
    let data: Vec<PackageFile> = std::mem::take(&mut archived.documents)
        .into_iter()
        .map(|d| PackageFile {
            path: format!("representations/rep1/data/{}", d.name),
            created: date_time(&d.date.iso()),
            mime: "application/pdf",
            format: d.format,
            sha256: d.sha256,
            bytes: d.bytes,
        })
        .collect();
    let data_refs: Vec<&PackageFile> = data.iter().collect();
    let representation = at(
        "representations/rep1/METS.xml".into(),
        xml::document(&mets::representation(&ctx, &data_refs)),
        "application/xml",
    );
    let schema_refs: Vec<&PackageFile> = schemas.iter().collect();
    let root = at(
        "METS.xml".into(),
        xml::document(&mets::package(
            &ctx,
            &erms,
            &premis,
            &[&documentation],
            &schema_refs,
            &representation,
        )),
        "application/xml",
    );
    let mut files = vec![root, erms, premis, documentation, representation];
    files.extend(schemas);
    files.extend(data);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Package {
        objid: ctx.objid,
        files,
    }
}

/// What became of one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Written (or written over with `--force`), at this path.
    New(PathBuf),
    /// Already there with the same bytes.
    Unchanged(PathBuf),
}

/// Why a package was not written.
#[derive(Debug)]
pub enum WriteError {
    /// A package of that name is there with other content, and `--force` was not given.
    Differs(PathBuf),
    /// Something in the way is a link; nothing is followed.
    Link(PathBuf),
    /// The file system refused.
    Io(PathBuf, std::io::Error),
}

/// Writes a package as the folder `out/<objid>/` (and with `zip` also `out/<objid>.zip`): built
/// beside it under a temporary name and renamed into place, so that a kill leaves no half
/// package; never over one that differs, unless `force`.
pub fn write(package: &Package, out: &Path, zip: bool, force: bool) -> Result<Written, WriteError> {
    let target = out.join(&package.objid);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |e| WriteError::Io(path, e)
    };
    if std::fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(WriteError::Link(target));
    }
    let zip_path = out.join(format!("{}.zip", package.objid));
    let zip_bytes = zip.then(|| zipped(package));
    let same_folder = same_as(&target, package);
    let same_zip = match &zip_bytes {
        Some(bytes) => crate::files::read(&zip_path, MAX_READ, None).is_ok_and(|b| &b == bytes),
        None => true,
    };
    if same_folder == Some(true) && same_zip {
        return Ok(Written::Unchanged(target));
    }
    if same_folder == Some(false) && !force {
        return Err(WriteError::Differs(target));
    }
    if let Some(bytes) = &zip_bytes {
        if zip_path.exists() && !same_zip && !force {
            return Err(WriteError::Differs(zip_path));
        }
        crate::output::write_file(&zip_path, bytes, crate::output::Access::Private)
            .map_err(io(&zip_path))?;
    }
    if same_folder != Some(true) {
        let building = out.join(format!(".{}{BUILDING}", package.objid));
        let _ = std::fs::remove_dir_all(&building);
        for file in &package.files {
            let path = building.join(&file.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(io(parent))?;
            }
            crate::output::create_new(&path, &file.bytes, crate::output::Access::Private)
                .map_err(io(&path))?;
        }
        // Durable as a whole before it takes its name: a crash never leaves a named package
        // with files the disk has not got.
        crate::output::make_durable(&building).map_err(io(&building))?;
        if target.exists() {
            let old = out.join(format!(".{}{REPLACED}", package.objid));
            let _ = std::fs::remove_dir_all(&old);
            std::fs::rename(&target, &old).map_err(io(&target))?;
            std::fs::rename(&building, &target).map_err(io(&target))?;
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(&building, &target).map_err(io(&target))?;
        }
        crate::output::make_durable(out).map_err(io(out))?;
    }
    Ok(Written::New(target))
}

/// The most a package file or zip already written is read to compare it with a new one.
const MAX_READ: u64 = 1 << 40;

/// The ending of a package folder being built, and of one being replaced: left by a killed run,
/// and removed by the next.
const BUILDING: &str = ".bygger";
const REPLACED: &str = ".ersatt";

/// Removes what a killed run left in `out`: packages half built or half replaced.
pub fn clean(out: &Path) {
    let Ok(entries) = std::fs::read_dir(out) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let leftover =
            name.starts_with(".uuid-") && (name.ends_with(BUILDING) || name.ends_with(REPLACED));
        if leftover && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether the folder holds exactly the package's files with the same bytes; `None` when there
/// is no folder.
fn same_as(folder: &Path, package: &Package) -> Option<bool> {
    if !folder.is_dir() {
        return None;
    }
    // Read beneath the folder's real path, so that no link inside it leads out.
    let Ok(folder) = folder.canonicalize() else {
        return Some(false);
    };
    let folder = folder.as_path();
    let mut found: Vec<String> = walkdir::WalkDir::new(folder)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(folder)
                .ok()
                .map(crate::commands::batch::discover::slashed)
        })
        .collect();
    found.sort();
    let wanted: Vec<&str> = package.files.iter().map(|f| f.path.as_str()).collect();
    if found != wanted {
        return Some(false);
    }
    Some(package.files.iter().all(|f| {
        crate::files::read(
            &folder.join(&f.path),
            MAX_READ,
            Some(&[folder.to_path_buf()]),
        )
        .is_ok_and(|b| b == f.bytes)
    }))
}

/// The package as a zip with its folder at the top: entries sorted, fixed times, stored
/// PDFs deflated like the rest, the same bytes for the same package.
fn zipped(package: &Package) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o600);
    for file in &package.files {
        let name = format!("{}/{}", package.objid, file.path);
        if writer.start_file(name, options).is_ok() {
            let _ = writer.write_all(&file.bytes);
        }
    }
    writer
        .finish()
        .map(|cursor| cursor.into_inner())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_identifier_is_the_organisations_and_the_diarienummers() {
        let a = objid("Socialnämnden, Lindbacka kommun", None, "SN 2026/1");
        assert_eq!(
            a,
            objid("Socialnämnden, Lindbacka kommun", None, "SN 2026/1")
        );
        assert_ne!(a, objid("Socialnämnden, Ekby kommun", None, "SN 2026/1"));
        assert_ne!(
            a,
            objid("Socialnämnden, Lindbacka kommun", None, "SN 2026/2")
        );
        assert!(a.starts_with("uuid-") && a.len() == 41, "{a}");
    }
}
