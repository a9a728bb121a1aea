//! The profile's logo: read once, when the profile is resolved, from the profile's own folder.

use std::path::Path;

use super::allowed::{AllowedPaths, folder_of};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::io_reason;
use crate::source::values::Located;

/// Logos larger than this are refused.
const MAX_LOGO_BYTES: u64 = 5 * 1024 * 1024;

/// A logo ready for the templates.
#[derive(Debug, Clone)]
pub struct Logo {
    /// Its name inside the Typst project: `logo.svg` or `logo.png`.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Reads the logo named in the profile file `profile_file`; it must lie in that file's folder
/// or in a folder the user allowed.
pub fn load(
    named: &Located<String>,
    profile_file: &Path,
    allowed: &AllowedPaths,
) -> Result<Logo, Diagnostic> {
    let folder = folder_of(profile_file);
    let path = folder.join(&named.value);
    let fail = |reason: String| {
        Diagnostic::error(
            profile_file,
            named.pos,
            Code::OkandProfil,
            format!("logotypen `{}` kan inte användas: {reason}", path.display()),
        )
        .with_hint("lägg logotypen (SVG eller PNG) i profilfilens mapp, eller tillåt dess mapp med --allow-path MAPP")
    };
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let extension = match extension.as_deref() {
        Some(e @ ("svg" | "png")) => e.to_string(),
        _ => return Err(fail("bara SVG och PNG går att använda".into())),
    };
    let real_path = allowed.confine(&path, folder).map_err(fail)?;
    let size = std::fs::metadata(&real_path)
        .map_err(|e| fail(io_reason(&e)))?
        .len();
    if size > MAX_LOGO_BYTES {
        return Err(fail(format!(
            "den är större än {} MB",
            MAX_LOGO_BYTES / 1024 / 1024
        )));
    }
    let bytes = std::fs::read(&real_path).map_err(|e| fail(io_reason(&e)))?;
    Ok(Logo {
        name: format!("logo.{extension}"),
        bytes,
    })
}
