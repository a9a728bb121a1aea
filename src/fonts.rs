//! The fonts compiled into the binary, parsed once, and which characters they can print.

use std::sync::LazyLock;

use typst::foundations::Bytes;
use typst::text::Font;

/// Liberation Sans in four faces (SIL Open Font License, see fonts/), metric-compatible with Arial.
pub const FONT_FILES: &[&[u8]] = &[
    include_bytes!("../fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../fonts/LiberationSans-BoldItalic.ttf"),
];

/// The embedded fonts, parsed on first use and shared by every render in the process.
pub static FONTS: LazyLock<Vec<Font>> = LazyLock::new(|| {
    FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect()
});

/// Whether a character in case text can be printed in a PDF/A document.
///
/// PDF/A forbids text without a glyph, so a character no embedded font has (an emoji, a
/// check mark, a control character) would make the document impossible to write. Line breaks,
/// tabs and the invisible formatting characters Typst drops are fine.
pub fn is_printable(c: char) -> bool {
    if matches!(c, '\n' | '\t' | '\r') || is_invisible_format(c) {
        return true;
    }
    !c.is_control()
        && FONTS
            .iter()
            .all(|font| font.info().coverage.contains(c as u32))
}

/// Zero-width and bidirectional formatting characters, which take no glyph.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x2060..=0x2064 | 0xFEFF) || is_bidi_control(c)
}

/// Whether a character overrides, embeds or isolates the direction of text (U+202A–U+202E,
/// U+2066–U+2069): invisible, and able to make a text show in another order than it is stored.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first character of `text` that cannot be printed, with its index in characters.
    fn first_unprintable(text: &str) -> Option<(usize, char)> {
        text.chars().enumerate().find(|(_, c)| !is_printable(*c))
    }

    #[test]
    fn swedish_text_prints_and_emoji_and_control_characters_do_not() {
        assert!(
            "Åsa Öberg, 26 kap. 1 § OSL – “citat” … 12 €"
                .chars()
                .all(is_printable)
        );
        assert_eq!(first_unprintable("bra 👍"), Some((4, '👍')));
        assert_eq!(first_unprintable("klar ✓"), Some((5, '✓')));
        assert_eq!(first_unprintable("a\u{7}b"), Some((1, '\u{7}')));
        assert_eq!(first_unprintable("noll\u{200b}bredd \u{202e}omvänd"), None);
    }
}
