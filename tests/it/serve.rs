//! `lexsarah serve`: it starts the form's own program, or says how to install it.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

/// A copy of the lexsarah binary alone in a folder, so that what lies beside it is the test's.
fn lone_lexsarah(dir: &std::path::Path) -> std::path::PathBuf {
    let copy = dir.join("lexsarah");
    std::fs::copy(env!("CARGO_BIN_EXE_lexsarah"), &copy).unwrap();
    copy
}

#[test]
fn serve_starts_the_form_beside_it_with_the_folder_and_port() {
    let dir = tempfile::tempdir().unwrap();
    let lexsarah = lone_lexsarah(dir.path());
    let said = dir.path().join("args.txt");
    let fake = dir.path().join("lexsarah-serve");
    std::fs::write(
        &fake,
        format!("#!/bin/sh\necho \"$@\" > '{}'\n", said.display()),
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let output = Command::new(&lexsarah)
        .args(["serve", "arenden", "--port", "8123"])
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        std::fs::read_to_string(&said).unwrap().trim(),
        "arenden --port 8123"
    );
}

#[test]
fn serve_without_the_form_installed_says_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    let lexsarah = lone_lexsarah(dir.path());
    let output = Command::new(&lexsarah)
        .arg("serve")
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("lexsarah-serve) är inte installerat"), "{err}");
    assert!(err.contains("cargo install --path serve"), "{err}");
}
