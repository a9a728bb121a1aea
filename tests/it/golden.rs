//! The examples' PDFs, byte for byte and as they look: a change meant to change no output
//! proves it here.
//!
//! `tests/golden/examples.sha256` holds the SHA-256 of every PDF the examples render to, and
//! `tests/golden/pages.txt` what each PDF as the examples name their profiles looks like: its
//! page count, the SHA-256 of its text, and each page at 60 dpi as the mean grey of every 8 x 8
//! pixel block (one hex digit a block). A change that should alter the bytes but not the look
//! (a faster template) passes the second test and fails only the first. A change that is meant
//! to change what is printed updates both: run the tests with `LEXSARAH_BLESS=1`, look at the
//! new PDFs, and commit the new files with the change.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::common::*;

/// The side of a square of pixels that one hex digit of a page's picture stands for.
const BLOCK: usize = 8;

/// How far (in sixteenths of black) one block may move before it is a visible difference: a
/// glyph drawn in another order antialiases a little differently, a moved line does not stay
/// within it.
const TOLERANCE: u8 = 1;

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

/// Each page of a PDF at 60 dpi in grey, as rows of hex digits (one a block); `None` without
/// Poppler.
fn page_pictures(pdf: &Path, scratch: &Path) -> Option<Vec<String>> {
    if !have("pdftoppm") {
        assert!(!tools_required(), "pdftoppm is missing");
        return None;
    }
    let prefix = scratch.join("page");
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "60", "-gray"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(status.success(), "pdftoppm failed on {}", pdf.display());
    let mut files: Vec<_> = std::fs::read_dir(scratch)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pgm"))
        .collect();
    // page-1.pgm … page-10.pgm: in page order, not name order.
    files.sort_by_key(|p| {
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        stem.rsplit('-').next().unwrap().parse::<usize>().unwrap()
    });
    let pictures = files
        .iter()
        .map(|file| {
            let picture = blocks(&std::fs::read(file).unwrap());
            std::fs::remove_file(file).unwrap();
            picture
        })
        .collect();
    Some(pictures)
}

/// A binary PGM (P5, 8 bits) as the mean darkness of each block, in sixteenths, one hex digit
/// a block, a `/` between rows of blocks.
fn blocks(pgm: &[u8]) -> String {
    // The header: "P5", width, height, maximum, each after white space, then one byte.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(std::str::from_utf8(&pgm[start..at]).unwrap().to_string());
    }
    assert_eq!(fields[0], "P5");
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = &pgm[at + 1..];
    let mut rows = Vec::new();
    for by in 0..height.div_ceil(BLOCK) {
        let mut row = String::new();
        for bx in 0..width.div_ceil(BLOCK) {
            let (mut sum, mut count) = (0usize, 0usize);
            for y in by * BLOCK..((by + 1) * BLOCK).min(height) {
                for x in bx * BLOCK..((bx + 1) * BLOCK).min(width) {
                    sum += 255 - pixels[y * width + x] as usize;
                    count += 1;
                }
            }
            let level = (sum * 16 / (count * 256)).min(15);
            row.push(char::from_digit(level as u32, 16).unwrap());
        }
        rows.push(row);
    }
    rows.join("/")
}

/// Where two pictures of a page differ by more than the tolerance: the first such block.
fn visible_difference(a: &str, b: &str) -> Option<(usize, usize)> {
    let (rows_a, rows_b): (Vec<&str>, Vec<&str>) = (a.split('/').collect(), b.split('/').collect());
    if rows_a.len() != rows_b.len() {
        return Some((0, 0));
    }
    for (y, (ra, rb)) in rows_a.iter().zip(&rows_b).enumerate() {
        if ra.len() != rb.len() {
            return Some((y, 0));
        }
        for (x, (ca, cb)) in ra.chars().zip(rb.chars()).enumerate() {
            let (da, db) = (
                ca.to_digit(16).unwrap() as u8,
                cb.to_digit(16).unwrap() as u8,
            );
            if da.abs_diff(db) > TOLERANCE {
                return Some((y, x));
            }
        }
    }
    None
}

#[test]
fn every_example_looks_as_recorded_in_text_pages_and_pictures() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["render".to_string()];
    args.extend(all_examples().iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), "ut".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = lexsarah(dir.path(), &args);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("ut"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".pdf"))
        .collect();
    names.sort();
    let scratch = dir.path().join("sidor");
    std::fs::create_dir(&scratch).unwrap();
    let mut actual = String::new();
    for name in &names {
        let pdf = dir.path().join("ut").join(name);
        let bytes = std::fs::read(&pdf).unwrap();
        let text = format!("{:x}", Sha256::digest(pdf_text(&bytes).as_bytes()));
        actual.push_str(&format!(
            "{name} sidor={} text={text}\n",
            page_count(&bytes)
        ));
        let Some(pictures) = page_pictures(&pdf, &scratch) else {
            eprintln!("skipped: pdftoppm is not installed");
            return;
        };
        for (i, picture) in pictures.iter().enumerate() {
            actual.push_str(&format!("{name}#{} {picture}\n", i + 1));
        }
    }
    let recorded_path = root().join("tests/golden/pages.txt");
    if std::env::var_os("LEXSARAH_BLESS").is_some() {
        std::fs::write(&recorded_path, &actual).unwrap();
    }
    let recorded = std::fs::read_to_string(&recorded_path).unwrap_or_default();
    let split = |text: &str| -> Vec<(String, String)> {
        text.lines()
            .map(|l| {
                let (key, value) = l.split_once(' ').unwrap();
                (key.to_string(), value.to_string())
            })
            .collect()
    };
    let (now, then) = (split(&actual), split(&recorded));
    let keys =
        |lines: &[(String, String)]| lines.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    assert_eq!(
        keys(&now),
        keys(&then),
        "other PDFs or pages than tests/golden/pages.txt records; if meant, rerun with \
         LEXSARAH_BLESS=1 and commit the file"
    );
    for ((key, value), (_, before)) in now.iter().zip(&then) {
        if key.contains('#') {
            if let Some((row, column)) = visible_difference(value, before) {
                panic!(
                    "{key} looks different at 60 dpi around pixel ({}, {}); if meant, rerun \
                     with LEXSARAH_BLESS=1 and commit tests/golden/",
                    column * BLOCK,
                    row * BLOCK
                );
            }
        } else {
            assert_eq!(value, before, "{key}: another page count or text");
        }
    }
}

#[test]
fn a_moved_line_is_a_visible_difference_and_antialiasing_is_not() {
    // A page of one dark line of blocks, the same one level lighter, and the line moved down.
    let page = |lines: [&str; 3]| lines.join("/");
    let original = page(["000", "fff", "000"]);
    assert_eq!(
        visible_difference(&original, &page(["000", "eee", "001"])),
        None
    );
    assert_eq!(
        visible_difference(&original, &page(["000", "000", "fff"])),
        Some((1, 0))
    );
    // A PGM two blocks wide and one high, the left block black: full and empty.
    let mut pgm = format!("P5\n{} {BLOCK}\n255\n", 2 * BLOCK).into_bytes();
    for _ in 0..BLOCK {
        pgm.extend(vec![0u8; BLOCK]);
        pgm.extend(vec![255u8; BLOCK]);
    }
    assert_eq!(blocks(&pgm), "f0");
}
