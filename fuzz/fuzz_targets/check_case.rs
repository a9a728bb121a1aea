//! Loading and checking a case from arbitrary bytes, and printing what was found, never panics.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use lexsarah::source::decode;
use lexsarah::check::{CheckSettings, check_source};
use lexsarah::diagnostics::{attach_source, format_human, format_json};
use libfuzzer_sys::fuzz_target;

static SETTINGS: LazyLock<CheckSettings> = LazyLock::new(CheckSettings::new);

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.yaml");
    let text = String::from_utf8_lossy(data).into_owned();
    let mut problems = match decode(path, data.to_vec()) {
        Err(problem) => vec![problem],
        Ok(source) => match check_source(source, &SETTINGS) {
            Ok(checked) => checked.warnings,
            Err(problems) => problems,
        },
    };
    // The printer shows the offending line with a marker: every position must be one it can show.
    attach_source(&mut problems, path, &text);
    let _ = format_human(&problems);
    let _ = format_json(&problems);
});
