//! Who may read what lexsarah writes (issue 23): every file of a confidential document is its
//! owner's alone, or what the folder's default ACL hands down; a public one is as the umask
//! allows; a file that replaces another keeps its mode.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::common::*;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Runs setfacl with `args` on `path`; false (the test skips) where setfacl is missing or the
/// file system has no ACLs, unless CI requires the tool.
fn setfacl(args: &[&str], path: &Path) -> bool {
    let set = std::process::Command::new("setfacl")
        .args(args)
        .arg(path)
        .status();
    let done = set.is_ok_and(|status| status.success());
    assert!(
        done || !tools_required(),
        "setfacl (Debian's acl) is needed for this test"
    );
    if !done {
        eprintln!("skipped: setfacl is missing or the file system has no ACLs");
    }
    done
}

/// The mode an ordinary new file gets in `dir` under this process's umask.
fn shared_mode(dir: &Path) -> u32 {
    let probe = dir.join("prov");
    std::fs::write(&probe, b"").unwrap();
    let shared = mode(&probe);
    std::fs::remove_file(probe).unwrap();
    shared
}

#[test]
fn confidential_documents_are_written_for_their_owner_alone_and_public_ones_as_the_umask_allows() {
    let dir = tempfile::tempdir().unwrap();
    let case = "mjolby-borttappade-handlingar.yaml";
    render_example(dir.path(), case, &["--underskriftsfalt"]);
    let out = dir.path().join("ut");
    let shared = shared_mode(&out);
    for (suffix, expected) in [
        ("rapport.pdf", 0o600),
        ("rapport.underskriftsfalt.json", 0o600),
        ("utredning.pdf", 0o600),
        ("beslut.pdf", 0o600),
        ("anmalan.pdf", 0o600),
        ("anmalan.txt", 0o600),
        ("tjansteskrivelse.pdf", shared),
        ("notis.pdf", shared),
        ("notis.html", shared),
    ] {
        let path = out.join(format!("2021-ASN-0026-{suffix}"));
        assert_eq!(mode(&path), expected, "{suffix}");
    }
    // A PDF the registrator has opened to the group keeps that mode when it is made again.
    let beslut = out.join("2021-ASN-0026-beslut.pdf");
    std::fs::set_permissions(&beslut, std::fs::Permissions::from_mode(0o640)).unwrap();
    render_example(dir.path(), case, &["--doc", "beslut", "--force"]);
    assert_eq!(mode(&beslut), 0o640);
}

#[test]
fn an_archive_of_confidential_documents_is_its_owners_alone() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("arenden");
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::copy(
        example("mjolby-borttappade-handlingar.yaml"),
        cases.join("fall.yaml"),
    )
    .unwrap();
    let output = lexsarah(dir.path(), &["batch", "arenden", "--out", "arkiv", "--zip"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let archive = dir.path().join("arkiv");
    let shared = shared_mode(&archive);
    for (file, expected) in [
        ("2021-ASN-0026/2021-ASN-0026-beslut.pdf", 0o600),
        ("2021-ASN-0026/2021-ASN-0026-utredning.pdf", 0o600),
        ("2021-ASN-0026/2021-ASN-0026-tjansteskrivelse.pdf", shared),
        ("manifest.csv", 0o600),
        ("manifest.json", 0o600),
        ("fel.json", 0o600),
    ] {
        assert_eq!(mode(&archive.join(file)), expected, "{file}");
    }
    assert_eq!(mode(&dir.path().join("arkiv.zip")), 0o600, "the zip");
}

#[test]
fn under_a_folders_default_acl_a_confidential_document_gets_what_the_acl_hands_down() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ut");
    std::fs::create_dir_all(&out).unwrap();
    if !setfacl(&["-d", "-m", "u::rw,g::rw,o::-"], &out) {
        return;
    }
    render_example(
        dir.path(),
        "mjolby-borttappade-handlingar.yaml",
        &["--doc", "beslut"],
    );
    // Created 0666 for the ACL to filter: the group keeps what the ACL gives it. Created 0600,
    // the ACL's mask would cancel the group's entry.
    assert_eq!(mode(&out.join("2021-ASN-0026-beslut.pdf")), 0o660);
}

#[test]
fn a_pdf_made_again_keeps_the_acl_the_registrator_gave_it() {
    let dir = tempfile::tempdir().unwrap();
    let case = "mjolby-borttappade-handlingar.yaml";
    render_example(dir.path(), case, &["--doc", "beslut"]);
    let beslut = dir.path().join("ut/2021-ASN-0026-beslut.pdf");
    if !setfacl(&["-m", "u:nobody:r"], &beslut) {
        return;
    }
    render_example(dir.path(), case, &["--doc", "beslut", "--force"]);
    let acl = std::process::Command::new("getfacl")
        .arg(&beslut)
        .output()
        .unwrap();
    let acl = String::from_utf8_lossy(&acl.stdout);
    assert!(acl.contains("user:nobody:r--"), "{acl}");
}
