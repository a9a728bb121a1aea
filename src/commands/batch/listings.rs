//! The listings written beside the PDFs: the manifest (CSV and JSON) and `fel.json`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::archive::read_inside;
use super::discover::slashed;
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::output::{Access, sha256_hex, write_file};
use crate::render::signature::FieldPlace;
use crate::source::io_reason;

/// One row of the manifest: one PDF, as a registrator registers it in the diarium.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestRow {
    /// The case's diarienummer.
    pub diarienummer: String,
    /// The document's name as the profile prints it.
    pub handlingstyp: String,
    /// The document's date (ISO 8601).
    pub datum: String,
    /// Its direction in the diarium: `inkommande`, `upprättad` or `utgående`.
    #[serde(default)]
    pub riktning: String,
    /// Who sent it, or drew it up.
    #[serde(default)]
    pub avsandare: String,
    /// Who it went to; empty for a document drawn up and kept.
    #[serde(default)]
    pub mottagare: String,
    /// The case's rubrik.
    pub rubrik: String,
    /// The profile's id.
    pub profil: String,
    /// The number of pages; none for a web page.
    pub sidor: Option<usize>,
    /// Whether the document carries the sekretess marking: `ja` or `nej`.
    pub sekretess: String,
    /// The PDF's path relative to the archive, with `/` between folders.
    pub fil: String,
    /// The SHA-256 of the PDF's bytes, in lowercase hex.
    pub sha256: String,
    /// The case file, relative to the folder it was found under.
    pub kalla: String,
    /// The paragraph the sekretess rests on ("26 kap. 1 § OSL"), for a confidential document.
    #[serde(default)]
    pub sekretess_grund: String,
    /// Where the PDF's signature lines are, for a signing service (in `manifest.json` only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub underskriftsfalt: Vec<FieldPlace>,
    /// The signed copy of the PDF in the case's folder (relative to the archive), found by its
    /// content: its first revision is, byte for byte, the PDF this row describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signerad_fil: Option<String>,
    /// Who signed which field of the signed copy, and when (the signer's claim).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signaturer: Vec<Signering>,
}

/// One signature of a signed copy, as the manifest records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signering {
    /// The field signed.
    pub falt: String,
    /// The signer's common name.
    pub namn: String,
    /// When, as the signature claims it (`/M`, ISO 8601).
    pub tid: String,
    /// Whether the signature holds (`lexsarah verify`).
    pub giltig: bool,
}

impl Signering {
    /// The signatures of a signed PDF, as `verify` reads them.
    pub fn all_in(pdf: &[u8]) -> Vec<Signering> {
        crate::sign::verify::verify(pdf, &[])
            .map(Self::of)
            .unwrap_or_default()
    }

    /// The signatures `verify` reported, as the manifest records them.
    pub fn of(report: crate::sign::verify::Report) -> Vec<Signering> {
        report
            .signatures
            .into_iter()
            .map(|s| Signering {
                falt: s.field,
                namn: s.signer,
                tid: crate::sign::parse_pdf_date(&s.signed_at)
                    .map(|t| t.to_rfc3339())
                    .unwrap_or(s.signed_at),
                giltig: s.holds,
            })
            .collect()
    }
}

/// The manifest's columns in `manifest.csv`, in order, with the headings a registrator reads
/// (`manifest.json` keeps its keys: diarienummer, handlingstyp, datum, riktning, avsandare,
/// mottagare, rubrik, profil, sidor, sekretess, sekretess_grund, fil, sha256, kalla,
/// signerad_fil, signaturer).
const CSV_COLUMNS: [&str; 16] = [
    "Diarienummer",
    "Handlingstyp",
    "Datum",
    "Riktning",
    "Avsändare",
    "Mottagare",
    "Rubrik",
    "Profil",
    "Sidor",
    "Sekretess",
    "Sekretessgrund",
    "Fil",
    "Kontrollsumma SHA-256",
    "Källfil",
    "Signerad fil",
    "Signaturer",
];

/// A refused case's problem in `fel.json`: the object `check --diagnostic-format json` prints,
/// with the case's diarienummer where it could be read.
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    /// The diagnostic, as `check` prints it.
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    /// The case's diarienummer, if the file could be read that far.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diarienummer: Option<String>,
}

/// This run's rows, and the rows of the previous manifest for PDFs this run did not render;
/// warns of any PDF the manifest cannot describe. The second value says whether a PDF the
/// archive already held was changed or removed since (its row is kept as it was archived).
pub(super) fn merge_with_archive(
    archive: &Path,
    rows: Vec<ManifestRow>,
    err: &mut dyn Write,
) -> (Vec<ManifestRow>, bool) {
    let mut by_file: BTreeMap<String, ManifestRow> =
        rows.into_iter().map(|row| (row.fil.clone(), row)).collect();
    let earlier = read_inside(archive, &archive.join("manifest.json"))
        .ok()
        .flatten()
        .and_then(|bytes| serde_json::from_slice::<Vec<ManifestRow>>(&bytes).ok())
        .unwrap_or_default();
    let mut changed = false;
    for row in earlier {
        if by_file.contains_key(&row.fil) {
            continue;
        }
        // A row names a PDF in a case's folder of the archive, and nothing else.
        if !is_archive_file(&row.fil) {
            let _ = writeln!(
                err,
                "varning: manifestet nämner `{}`, som inte är en handling i arkivets mappar; raden tas bort",
                crate::diagnostics::printable(&row.fil)
            );
            continue;
        }
        let path = archive.join(&row.fil);
        match read_inside(archive, &path) {
            Ok(Some(bytes)) if sha256_hex(&bytes) == row.sha256 => {}
            // Signed in place: its first revision is what was archived.
            Ok(Some(bytes)) if crate::output::first_revision_is(&bytes, &row.sha256) => {}
            Ok(Some(_)) => {
                changed = true;
                let _ = writeln!(
                    err,
                    "varning: {} har ändrats sedan den arkiverades; manifestet behåller raden som den arkiverades",
                    crate::diagnostics::shown(&path)
                );
            }
            Ok(None) => {
                changed = true;
                let _ = writeln!(
                    err,
                    "varning: {} finns inte längre i arkivet; manifestet behåller raden som den arkiverades",
                    crate::diagnostics::shown(&path)
                );
            }
            Err(reason) => {
                changed = true;
                let _ = writeln!(
                    err,
                    "varning: {} kan inte läsas: {reason}",
                    crate::diagnostics::shown(&path)
                );
            }
        }
        by_file.insert(row.fil.clone(), row);
    }
    let signed: std::collections::BTreeSet<String> = by_file
        .values()
        .filter_map(|row| row.signerad_fil.clone())
        .collect();
    for entry in walkdir::WalkDir::new(archive)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let Ok(relative) = entry.path().strip_prefix(archive) else {
            continue;
        };
        let relative = slashed(relative);
        let document = is_document_name(&relative);
        if document && !by_file.contains_key(&relative) && !signed.contains(&relative) {
            let _ = writeln!(
                err,
                "varning: {} ligger i arkivet men inget ärende gav den; den står inte i manifestet",
                crate::diagnostics::shown(entry.path())
            );
        }
    }
    let mut rows: Vec<ManifestRow> = by_file.into_values().collect();
    rows.sort_by_key(process_order);
    (rows, changed)
}

/// Where a row stands: by case folder, then in the order of the process (rapport, utredning,
/// beslut, tjänsteskrivelse, notice), the PDF before its web page.
fn process_order(row: &ManifestRow) -> (String, usize, bool, String) {
    let (folder, name) = row.fil.split_once('/').unwrap_or(("", &row.fil));
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    let place = crate::document::DOCUMENTS
        .iter()
        .position(|d| stem.ends_with(&format!("-{}", d.token)))
        .unwrap_or(usize::MAX);
    (
        folder.to_string(),
        place,
        extension != "pdf",
        name.to_string(),
    )
}

/// Whether a manifest's `fil` is a document in one of the archive's case folders:
/// `<stem>/<name>.pdf` (or a companion's `.html` or `.txt`), relative, with no `..`, no root,
/// nothing hidden.
fn is_archive_file(fil: &str) -> bool {
    let parts: Vec<&str> = fil.split('/').collect();
    parts.len() == 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && !p.starts_with('.')
                && !p.contains(['\\', ':'])
                && Path::new(p).components().count() == 1
        })
        && is_document_name(fil)
}

/// Whether a file's name is that of a document: a PDF, or a companion beside one.
fn is_document_name(name: &str) -> bool {
    name.ends_with(".pdf") || crate::document::DocKind::is_companion_name(name)
}

impl ManifestRow {
    /// The row's cells for `manifest.csv`, in the order of [`CSV_COLUMNS`], each text that a
    /// spreadsheet would run as a formula made plain text.
    fn csv_cells(&self) -> [String; 16] {
        let signatures = self
            .signaturer
            .iter()
            .map(|s| {
                format!(
                    "{}: {} {}{}",
                    s.falt,
                    s.namn,
                    s.tid,
                    if s.giltig { "" } else { " (ogiltig)" }
                )
            })
            .collect::<Vec<_>>()
            .join(" | ");
        [
            &self.diarienummer,
            &self.handlingstyp,
            &self.datum,
            &self.riktning,
            &self.avsandare,
            &self.mottagare,
            &self.rubrik,
            &self.profil,
            &self.sidor.map(|n| n.to_string()).unwrap_or_default(),
            &self.sekretess,
            &self.sekretess_grund,
            &self.fil,
            &self.sha256,
            &self.kalla,
            self.signerad_fil.as_deref().unwrap_or_default(),
            &signatures,
        ]
        .map(plain_cell)
    }
}

/// A cell that Excel or LibreOffice shows as text, never runs: one that begins with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading apostrophe (OWASP's advice on CSV
/// injection).
fn plain_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Writes `manifest.csv`, `manifest.json` and `fel.json`, each atomically, manifest last.
pub(super) fn write(
    archive: &Path,
    rows: &[ManifestRow],
    refusals: &[Refusal],
) -> Result<(), Diagnostic> {
    let failed = |path: &Path, reason: String| {
        Diagnostic::error(
            path,
            Pos::UNKNOWN,
            Code::Skrivfel,
            format!("{} kan inte skrivas: {reason}", path.display()),
        )
        .with_hint("kontrollera att arkivmappen finns och att du får skriva i den")
    };
    let csv_path = archive.join("manifest.csv");
    // Swedish Excel opens a CSV right when it is separated by semicolons and starts with a
    // byte order mark; LibreOffice and scripts read it as well.
    let mut csv = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    csv.write_record(CSV_COLUMNS)
        .map_err(|e| failed(&csv_path, e.to_string()))?;
    for row in rows {
        csv.write_record(row.csv_cells())
            .map_err(|e| failed(&csv_path, e.to_string()))?;
    }
    let csv = csv
        .into_inner()
        .map_err(|e| failed(&csv_path, e.to_string()))?;
    for (name, bytes) in [
        ("fel.json", pretty(&refusals)),
        ("manifest.csv", csv),
        ("manifest.json", pretty(&rows)),
    ] {
        // They name the confidential documents and quote the refused cases: the archive's own.
        let path = archive.join(name);
        write_file(&path, &bytes, Access::Private).map_err(|e| failed(&path, io_reason(&e)))?;
    }
    Ok(())
}

/// A value as pretty JSON with a final newline.
fn pretty<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_row_names_only_a_pdf_in_a_case_folder() {
        assert!(is_archive_file("AMN-1/AMN-1-beslut.pdf"));
        assert!(is_archive_file("AMN-1/AMN-1-notis.html"));
        assert!(is_archive_file("AMN-1/AMN-1-anmalan.txt"));
        for bad in [
            "/etc/hostname",
            "../../etc/passwd",
            "AMN-1/../../x.pdf",
            "a/b/c.pdf",
            ".dold/x.pdf",
            "AMN-1/x.txt",
            "AMN-1/AMN-1-beslut.txt",
            "C:\\x/y.pdf",
        ] {
            assert!(!is_archive_file(bad), "{bad}");
        }
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_plain_text() {
        assert_eq!(plain_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for start in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(plain_cell(start).starts_with('\''), "{start:?}");
        }
        assert_eq!(plain_cell("AMN 2019-0746-1.3"), "AMN 2019-0746-1.3");
    }
}
