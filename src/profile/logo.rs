//! The profile's logo: read once, when the profile is resolved, from the profile's own folder.

use std::path::Path;

use super::allowed::{AllowedPaths, folder_of};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::values::Located;

/// Logos larger than this are refused.
const MAX_LOGO_BYTES: u64 = 5 * 1024 * 1024;

/// A PNG logo with more pixels than this is refused before it is decoded: 25 megapixels
/// (5000 × 5000) is far more than a letterhead needs, and decoding costs four bytes a pixel.
const MAX_LOGO_PIXELS: u64 = 25_000_000;

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
    let bytes = allowed
        .read_confined(&path, folder, MAX_LOGO_BYTES)
        .map_err(fail)?;
    if extension == "png" {
        png_size_ok(&bytes).map_err(fail)?;
    }
    Ok(Logo {
        name: format!("logo.{extension}"),
        bytes,
    })
}

/// Checks a PNG's size in pixels from its header (the IHDR chunk), before anything decodes it.
fn png_size_ok(bytes: &[u8]) -> Result<(), String> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let header = bytes
        .get(..24)
        .filter(|h| h.starts_with(SIGNATURE) && &h[12..16] == b"IHDR")
        .ok_or("filen är ingen PNG-bild")?;
    let width = u64::from(u32::from_be_bytes([
        header[16], header[17], header[18], header[19],
    ]));
    let height = u64::from(u32::from_be_bytes([
        header[20], header[21], header[22], header[23],
    ]));
    if width * height > MAX_LOGO_PIXELS {
        return Err(format!(
            "bilden är {width} × {height} bildpunkter, mer än de {} miljoner en logotyp får ha; spara den mindre",
            MAX_LOGO_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        bytes.extend(width.to_be_bytes());
        bytes.extend(height.to_be_bytes());
        bytes
    }

    #[test]
    fn a_png_is_judged_by_its_pixels_before_it_is_decoded() {
        assert!(png_size_ok(&png_header(600, 200)).is_ok());
        let huge = png_size_ok(&png_header(30000, 30000)).unwrap_err();
        assert!(huge.contains("30000 × 30000"), "{huge}");
        assert!(png_size_ok(b"GIF89a").is_err());
    }
}
