//! The examples' PDFs, byte for byte: a change meant to change no output proves it here.
//!
//! `tests/golden/examples.sha256` holds the SHA-256 of every PDF the examples render to. A change
//! that is meant to change what is printed updates it: run the tests with `LEXSARAH_BLESS=1`,
//! look at the new PDFs, and commit the new file with the change.

use sha2::{Digest, Sha256};

use crate::common::*;

#[test]
fn every_example_renders_to_the_recorded_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<String> = all_examples()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    // As each case names its profile, then every case in each built-in layout.
    let mut actual = String::new();
    for profile in [None, Some("stockholm"), Some("mjolby")] {
        let out = dir.path().join(profile.unwrap_or("egen"));
        let mut args = vec!["render".to_string()];
        args.extend(cases.iter().cloned());
        args.extend(["--out".into(), out.display().to_string()]);
        if let Some(name) = profile {
            args.extend(["--profile".into(), name.into()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = lexsarah(dir.path(), &args);
        assert!(output.status.success(), "{}", stderr(&output));
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let bytes = std::fs::read(out.join(&name)).unwrap();
            let folder = profile.unwrap_or("egen");
            actual.push_str(&format!("{:x}  {folder}/{name}\n", Sha256::digest(&bytes)));
        }
    }
    let recorded_path = root().join("tests/golden/examples.sha256");
    if std::env::var_os("LEXSARAH_BLESS").is_some() {
        std::fs::write(&recorded_path, &actual).unwrap();
    }
    let recorded = std::fs::read_to_string(&recorded_path).unwrap_or_default();
    assert!(
        actual == recorded,
        "the examples' PDFs differ from tests/golden/examples.sha256; if the change is meant, \
         rerun with LEXSARAH_BLESS=1 and commit the file\nnow:\n{actual}\nrecorded:\n{recorded}"
    );
}
