//! `lexsarah sip`: one E-ARK / FGS information package per closed case of a batch archive,
//! judged from outside by eark-validator, xmllint and the ERMS Schematron, the same bytes on every
//! run, and written only whole.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// The Python that has `eark-validator` and `saxonche` (`.ci/run` makes it), if there is one.
fn eark_python() -> Option<PathBuf> {
    let python = std::env::var_os("LEXSARAH_EARK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/eark-venv/bin/python"));
    let works = Command::new(&python)
        .args(["-c", "import eark_validator, saxonche"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        works || !tools_required(),
        "eark-validator and saxonche are required in {} (LEXSARAH_REQUIRE_TOOLS)",
        python.display()
    );
    if !works {
        eprintln!(
            "skipped: eark-validator is not installed in {}",
            python.display()
        );
    }
    works.then_some(python)
}

/// The examples made into an archive by batch, in `dir/arkiv`.
fn archive(dir: &Path) -> PathBuf {
    let cases = dir.join("arenden");
    std::fs::create_dir(&cases).unwrap();
    for name in [
        "stockholm-skyddad-adress.yaml",
        "mjolby-borttappade-handlingar.yaml",
        "stockholm-funktionsbrevlada.yaml",
    ] {
        std::fs::copy(example(name), cases.join(name)).unwrap();
    }
    let lindbacka = example("lindbacka");
    std::fs::create_dir(cases.join("lindbacka")).unwrap();
    for name in ["arende.yaml", "profil.yaml", "logga.svg"] {
        std::fs::copy(lindbacka.join(name), cases.join("lindbacka").join(name)).unwrap();
    }
    let output = lexsarah(dir, &["batch", "arenden", "--out", "arkiv"]);
    assert!(output.status.success(), "{}", stderr(&output));
    dir.join("arkiv")
}

/// `lexsarah sip` in `dir`.
fn sip(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["sip"];
    all.extend_from_slice(args);
    lexsarah(dir, &all)
}

/// Every file under `root`, by its path relative to it, with its bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The package folders in `out`.
fn packages(out: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("uuid-")
        })
        .collect();
    found.sort();
    found
}

/// The package of the case whose diarienummer its METS label begins with.
fn package_of(out: &Path, diarienummer: &str) -> PathBuf {
    packages(out)
        .into_iter()
        .find(|p| {
            std::fs::read_to_string(p.join("METS.xml"))
                .unwrap()
                .contains(&format!("LABEL=\"{diarienummer} "))
        })
        .unwrap_or_else(|| panic!("no package of {diarienummer}"))
}

/// The requirement IDs the README lists as validator findings that cannot be met.
fn readme_exceptions() -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("#### What eark-validator reports that a package cannot meet")
        .nth(1)
        .expect("the README's list of validator exceptions");
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| l.split('`').nth(1).map(str::to_string))
        .filter(|id| id.starts_with("CSIP") || id.starts_with("SIP"))
        .collect()
}

/// eark-validator's findings of severity Error on a package folder or zip: (rule, message).
fn validator_errors(python: &Path, package: &Path) -> Vec<(String, String)> {
    let output = Command::new(python)
        .arg(root().join("tests/tools/eark_validate.py"))
        .args(["-s", "V2.1.0", "-c", "-r"])
        .arg(package)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    let start = text.find('{').unwrap_or_else(|| {
        panic!(
            "no report: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let report: serde_json::Value = serde_json::from_str(&text[start..]).unwrap();
    let mut found = Vec::new();
    fn walk(v: &serde_json::Value, found: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Object(map) => {
                if map.get("severity").is_some_and(|s| s == "Error") && map.contains_key("rule_id")
                {
                    found.push((
                        map["rule_id"].as_str().unwrap().to_string(),
                        map["message"].as_str().unwrap_or_default().to_string(),
                    ));
                }
                map.values().for_each(|v| walk(v, found));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    walk(&report, &mut found);
    // A structure that is not well formed is reported without a rule of severity Error.
    assert!(
        report["structure"]["status"] == "WellFormed",
        "{}: {}",
        package.display(),
        report["structure"]
    );
    found
}

#[test]
fn every_closed_case_becomes_a_package_that_outside_judges_accept_folder_and_zip_alike() {
    let Some(python) = eark_python() else { return };
    if !have("xmllint") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    archive(dir.path());
    let output = sip(dir.path(), &["arkiv", "--out", "paket", "--zip"]);
    // Lindbacka's case is still open: refused with its reason, the others packaged.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("VON-2024-0117 paketeras inte: ärendet är inte avslutat"),
        "{err}"
    );
    assert!(
        err.contains("3 paket (3 nya, 0 oförändrade), 1 avvisade"),
        "{err}"
    );
    let out = dir.path().join("paket");
    let folders = packages(&out);
    assert_eq!(folders.len(), 3);

    let allowed = readme_exceptions();
    assert!(allowed.contains(&"SIP14".to_string()), "{allowed:?}");
    for folder in &folders {
        let zip = folder.with_extension("zip");
        assert!(zip.is_file(), "{}", zip.display());
        for package in [folder, &zip] {
            let unexplained: Vec<_> = validator_errors(&python, package)
                .into_iter()
                .filter(|(id, _)| !allowed.contains(id))
                .collect();
            assert!(
                unexplained.is_empty(),
                "{}: {unexplained:#?}",
                package.display()
            );
        }
        // The METS documents against the METS schema, offline: the schemas' import of XLink
        // mapped to the package's own copy by an XML catalog.
        let catalog = dir.path().join("katalog.xml");
        let xlink = format!("file://{}", folder.join("schemas/xlink.xsd").display());
        std::fs::write(
            &catalog,
            format!(
                "<?xml version=\"1.0\"?>\n<catalog xmlns=\"urn:oasis:names:tc:entity:xmlns:xml:catalog\">\n  <system systemId=\"http://www.loc.gov/standards/xlink/xlink.xsd\" uri=\"{xlink}\"/>\n  <uri name=\"http://www.loc.gov/standards/xlink/xlink.xsd\" uri=\"{xlink}\"/>\n</catalog>\n"
            ),
        )
        .unwrap();
        for (document, schema) in [
            ("METS.xml", "mets.xsd"),
            ("representations/rep1/METS.xml", "mets.xsd"),
            ("metadata/descriptive/ERMS.xml", "ERMS.xsd"),
            ("metadata/preservation/PREMIS.xml", "premis-v3-0.xsd"),
        ] {
            let output = Command::new("xmllint")
                .args(["--nonet", "--noout", "--schema"])
                .arg(folder.join("schemas").join(schema))
                .arg(folder.join(document))
                .env("XML_CATALOG_FILES", &catalog)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{document}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let output = Command::new(&python)
            .arg(root().join("tests/tools/schematron.py"))
            .arg(root().join("schemas/eark/erms.sch"))
            .arg(folder.join("metadata/descriptive/ERMS.xml"))
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stdout(&output));
    }

    // The Schematron run is a real judge: an ERMS breaking one of its rules is refused.
    let erms = std::fs::read_to_string(folders[0].join("metadata/descriptive/ERMS.xml")).unwrap();
    let broken = dir.path().join("trasig-erms.xml");
    std::fs::write(&broken, erms.replace("otherDirectionDefinition=", "x=")).unwrap();
    let output = Command::new(&python)
        .arg(root().join("tests/tools/schematron.py"))
        .arg(root().join("schemas/eark/erms.sch"))
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
}

#[test]
fn a_package_holds_the_case_its_records_their_files_and_their_fixity() {
    let dir = tempfile::tempdir().unwrap();
    let arkiv = archive(dir.path());
    let output = sip(dir.path(), &["arkiv", "--out", "paket"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let package = package_of(&dir.path().join("paket"), "AMN 2026-0412-1.3");
    let files = tree(&package);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    for expected in [
        "METS.xml",
        "documentation/AMN-2026-0412-1.3-arende.json",
        "metadata/descriptive/ERMS.xml",
        "metadata/preservation/PREMIS.xml",
        "representations/rep1/METS.xml",
        "representations/rep1/data/AMN-2026-0412-1.3-anmalan.pdf",
        "representations/rep1/data/AMN-2026-0412-1.3-beslut.pdf",
        "representations/rep1/data/AMN-2026-0412-1.3-notis.pdf",
        "representations/rep1/data/AMN-2026-0412-1.3-rapport.pdf",
        "representations/rep1/data/AMN-2026-0412-1.3-tjansteskrivelse.pdf",
        "representations/rep1/data/AMN-2026-0412-1.3-utredning.pdf",
        "schemas/ERMS.xsd",
        "schemas/mets.xsd",
        "schemas/premis-v3-0.xsd",
        "schemas/xlink.xsd",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with(".html") || n.ends_with(".txt"))
    );
    // The PDFs are the archive's, byte for byte.
    let beslut = &files["representations/rep1/data/AMN-2026-0412-1.3-beslut.pdf"];
    assert_eq!(
        beslut,
        &std::fs::read(arkiv.join("AMN-2026-0412-1.3/AMN-2026-0412-1.3-beslut.pdf")).unwrap()
    );
    let mets = String::from_utf8(files["METS.xml"].clone()).unwrap();
    let objid = package.file_name().unwrap().to_string_lossy().into_owned();
    for expected in [
        format!("OBJID=\"{objid}\""),
        "csip:OAISPACKAGETYPE=\"SIP\"".into(),
        "PROFILE=\"https://earksip.dilcis.eu/profile/E-ARK-SIP.xml\"".into(),
        "csip:CONTENTINFORMATIONTYPE=\"citserms_v2_1\"".into(),
        "<agent ROLE=\"ARCHIVIST\" TYPE=\"ORGANIZATION\">".into(),
        "<name>Arbetsmarknadsnämnden, Stockholms stad</name>".into(),
        "<name>lexsarah</name>".into(),
        format!(
            "<note csip:NOTETYPE=\"SOFTWARE VERSION\">{}</note>",
            env!("CARGO_PKG_VERSION")
        ),
        "USE=\"Documentation\"".into(),
        "USE=\"Schemas\"".into(),
        "USE=\"Representations/rep1\"".into(),
        "LABEL=\"CSIP\"".into(),
        // Dates from the case, never the clock: the latest document is the tjänsteskrivelse.
        "CREATEDATE=\"2026-11-12T00:00:00\"".into(),
    ] {
        assert!(mets.contains(&expected), "{expected}: {mets}");
    }
    let erms = String::from_utf8(files["metadata/descriptive/ERMS.xml"].clone()).unwrap();
    for expected in [
        "<objectId>AMN 2026-0412-1.3</objectId>",
        "<title>Brev med skyddad adress skickat till fel mottagare</title>",
        "<date dateType=\"opened\">2026-09-15T00:00:00</date>",
        "<date dateType=\"closed\">2026-10-22T00:00:00</date>",
        "<title>Anmälan – lex Sarah</title>",
        "<direction directionDefinition=\"incoming\"/>",
        "<direction directionDefinition=\"outgoing\"/>",
        "otherDirectionDefinition=\"upprättad\"",
        "<name>Inspektionen för vård och omsorg</name>",
        "<agent agentType=\"authorising_person\">",
        "<name>Ingrid Halvarsson</name>",
        "<regulation>26 kap. 1 § OSL</regulation>",
        "path=\"representations/rep1/data/AMN-2026-0412-1.3-beslut.pdf\"",
        "fileFormat=\"fmt/477\"",
    ] {
        assert!(erms.contains(expected), "{expected}: {erms}");
    }
    // The published documents carry no restriction: the tjänsteskrivelse's record has none.
    let tjanste = erms
        .split("<record ")
        .find(|r| r.contains("recordType=\"tjansteskrivelse\""))
        .unwrap();
    assert!(!tjanste.contains("<restriction"), "{tjanste}");
    let premis = String::from_utf8(files["metadata/preservation/PREMIS.xml"].clone()).unwrap();
    let digest = lexsarah::output::sha256_hex(beslut);
    for expected in [
        format!("<messageDigest>{digest}</messageDigest>"),
        format!("<size>{}</size>", beslut.len()),
        "<formatRegistryKey>fmt/477</formatRegistryKey>".into(),
        "<formatRegistryKey>fmt/476</formatRegistryKey>".into(),
        "Filen anger att den följer PDF/A-2a, PDF/UA-1.".into(),
        "<eventType>creation</eventType>".into(),
    ] {
        assert!(premis.contains(&expected), "{expected}: {premis}");
    }
    // Confidential, as the archive is.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for entry in walkdir::WalkDir::new(&package).into_iter().flatten() {
            if entry.file_type().is_file() {
                let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
                assert_eq!(mode, 0o600, "{}", entry.path().display());
            }
        }
    }
}

#[test]
fn the_same_archive_gives_the_same_packages_and_the_identifier_is_the_organisations_and_the_cases()
{
    let dir = tempfile::tempdir().unwrap();
    archive(dir.path());
    sip(dir.path(), &["arkiv", "--out", "a", "--zip"]);
    sip(
        dir.path(),
        &["arkiv", "--out", "b", "--zip", "--date", "2026-12-01"],
    );
    sip(
        dir.path(),
        &["arkiv", "--out", "c", "--zip", "--date", "2026-12-01"],
    );
    let strip_lock = |mut t: BTreeMap<String, Vec<u8>>| {
        t.remove(".lexsarah-las");
        t
    };
    let (a, b, c) = (
        strip_lock(tree(&dir.path().join("a"))),
        strip_lock(tree(&dir.path().join("b"))),
        strip_lock(tree(&dir.path().join("c"))),
    );
    assert_eq!(b, c, "the same archive and date: the same bytes, zips too");
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same identifiers whatever the date"
    );
    assert_ne!(a, b, "--date is the package's date");
    let mets = String::from_utf8(
        b.iter()
            .find(|(k, _)| k.ends_with("/METS.xml") && !k.contains("rep1"))
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(
        mets.contains("CREATEDATE=\"2026-12-01T00:00:00\""),
        "{mets}"
    );
    // A run over what it wrote changes nothing.
    let again = sip(
        dir.path(),
        &["arkiv", "--out", "c", "--zip", "--date", "2026-12-01"],
    );
    assert!(
        stderr(&again).contains("(0 nya, 3 oförändrade)"),
        "{}",
        stderr(&again)
    );
    assert_eq!(strip_lock(tree(&dir.path().join("c"))), c);
    // Another organisation's case with the same diarienummer gets another identifier.
    assert_ne!(
        lexsarah::sip::objid("Socialnämnden, Ekby kommun", None, "AMN 2026-0412-1.3"),
        lexsarah::sip::objid(
            "Arbetsmarknadsnämnden, Stockholms stad",
            None,
            "AMN 2026-0412-1.3"
        )
    );
}

#[test]
fn a_package_that_differs_is_kept_unless_forced_and_a_killed_run_leaves_no_half_package() {
    let dir = tempfile::tempdir().unwrap();
    archive(dir.path());
    sip(
        dir.path(),
        &["arkiv", "--out", "paket", "--date", "2026-12-01"],
    );
    let out = dir.path().join("paket");
    let before = tree(&out);
    let refused = sip(
        dir.path(),
        &["arkiv", "--out", "paket", "--date", "2026-12-02"],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("finns redan med annat innehåll"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(tree(&out), before, "nothing written over");
    // What a killed run leaves (a package half built) is removed by the next, unseen.
    let half = out.join(format!(
        ".{}.bygger",
        packages(&out)[0].file_name().unwrap().to_string_lossy()
    ));
    std::fs::create_dir_all(half.join("representations")).unwrap();
    std::fs::write(half.join("METS.xml"), "<halv/>").unwrap();
    let forced = sip(
        dir.path(),
        &["arkiv", "--out", "paket", "--date", "2026-12-02", "--force"],
    );
    assert_eq!(
        forced.status.code(),
        Some(1),
        "only the open case is refused: {}",
        stderr(&forced)
    );
    assert!(!half.exists());
    let mets = std::fs::read_to_string(packages(&out)[0].join("METS.xml")).unwrap();
    assert!(mets.contains("2026-12-02T00:00:00"));
    assert_eq!(packages(&out).len(), 3);
}

#[test]
fn only_the_archive_is_read_and_a_changed_or_linked_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let arkiv = archive(dir.path());
    // The case files are gone: the packages are made from the archive alone (the manifest's
    // `kalla` is never followed).
    std::fs::remove_dir_all(dir.path().join("arenden")).unwrap();
    // A PDF changed after batch: its case is refused, the others packaged.
    let rapport = arkiv.join("AMN-2026-0412-1.3/AMN-2026-0412-1.3-rapport.pdf");
    let mut bytes = std::fs::read(&rapport).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 1;
    std::fs::write(&rapport, bytes).unwrap();
    // A link in place of a PDF: refused, not followed.
    #[cfg(unix)]
    {
        let target = arkiv.join("2021-ASN-0026/2021-ASN-0026-beslut.pdf");
        std::fs::rename(&target, dir.path().join("utanfor.pdf")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("utanfor.pdf"), &target).unwrap();
    }
    let output = sip(dir.path(), &["arkiv", "--out", "paket"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("AMN-2026-0412-1.3 paketeras inte") && err.contains("kontrollsumma"),
        "{err}"
    );
    #[cfg(unix)]
    assert!(err.contains("2021-ASN-0026 paketeras inte"), "{err}");
    assert_eq!(packages(&dir.path().join("paket")).len(), 1, "{err}");
}

#[test]
fn a_case_whose_data_fails_its_check_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let arkiv = archive(dir.path());
    let data = arkiv.join("AMN-2026-0412-1.3/AMN-2026-0412-1.3-arende.json");
    let text = std::fs::read_to_string(&data).unwrap();
    // The anmälan's own date disagrees with the ärende's: a rule of check.
    let broken = text.replacen(
        "\"anmalan\": {",
        "\"anmalan\": {\n      \"datum\": \"2026-10-30\",",
        1,
    );
    assert_ne!(broken, text);
    std::fs::write(&data, broken).unwrap();
    let output = sip(dir.path(), &["arkiv", "--out", "paket"]);
    let err = stderr(&output);
    assert!(
        err.contains("AMN-2026-0412-1.3 paketeras inte: ärendet klarar inte kontrollen")
            && err.contains("[anmalan-datum]"),
        "{err}"
    );
}

#[test]
fn a_signed_copy_goes_into_the_package_in_place_of_the_unsigned_pdf() {
    if !have("openssl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let arkiv = archive(dir.path());
    let folder = arkiv.join("AMN-2026-0412-1.3");
    crate::signing::p12(&folder, "ingrid", "/CN=Ingrid Halvarsson", "rsa:2048");
    let output = crate::signing::sign(
        &folder,
        "AMN-2026-0412-1.3-beslut.pdf",
        "Underskrift_beslutsfattare",
        "ingrid",
        "AMN-2026-0412-1.3-beslut-signerad.pdf",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    for name in ["ingrid.p12", "ingrid.key", "ingrid.pem"] {
        std::fs::remove_file(folder.join(name)).unwrap();
    }
    // Batch again records the signature; then the package.
    let output = lexsarah(dir.path(), &["batch", "arenden", "--out", "arkiv"]);
    assert!(output.status.success(), "{}", stderr(&output));
    sip(dir.path(), &["arkiv", "--out", "paket"]);
    let package = package_of(&dir.path().join("paket"), "AMN 2026-0412-1.3");
    let packaged =
        std::fs::read(package.join("representations/rep1/data/AMN-2026-0412-1.3-beslut.pdf"))
            .unwrap();
    assert_eq!(
        packaged,
        std::fs::read(folder.join("AMN-2026-0412-1.3-beslut-signerad.pdf")).unwrap()
    );
    let premis = std::fs::read_to_string(package.join("metadata/preservation/PREMIS.xml")).unwrap();
    assert!(
        premis.contains("<eventType>digital signature generation</eventType>"),
        "{premis}"
    );
    assert!(
        premis.contains("<agentName>Ingrid Halvarsson</agentName>"),
        "{premis}"
    );
    assert!(premis.contains(
        "<originalName>AMN-2026-0412-1.3/AMN-2026-0412-1.3-beslut-signerad.pdf</originalName>"
    ));
    let erms = std::fs::read_to_string(package.join("metadata/descriptive/ERMS.xml")).unwrap();
    assert!(
        erms.contains("<agent agentType=\"main_signatory\">"),
        "{erms}"
    );
    assert!(erms.contains("eSignatureHasExisted=\"true\""), "{erms}");
}
