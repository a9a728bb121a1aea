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
    // Every font has every printable ASCII character (the test below holds them to that).
    if c.is_ascii() {
        return !c.is_ascii_control() || matches!(c, '\n' | '\t' | '\r');
    }
    if is_invisible_format(c) {
        return true;
    }
    !c.is_control() && {
        let c = c as u32;
        // The last range that starts at or before `c`, if `c` lies in it.
        let after = COVERED.partition_point(|&(start, _)| start <= c);
        after > 0 && c <= COVERED[after - 1].1
    }
}

/// The characters every embedded font has a glyph for, as sorted, disjoint, inclusive ranges:
/// worked out once, so that a character is looked up in a few steps rather than by walking each
/// font's coverage.
static COVERED: LazyLock<Vec<(u32, u32)>> = LazyLock::new(|| {
    let mut common: Vec<u32> = FONTS
        .first()
        .map(|font| font.info().coverage.iter().collect())
        .unwrap_or_default();
    for font in FONTS.iter().skip(1) {
        let has: Vec<u32> = font.info().coverage.iter().collect();
        common.retain(|c| has.binary_search(c).is_ok());
    }
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for c in common {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == c => *end = c,
            _ => ranges.push((c, c)),
        }
    }
    ranges
});

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

    #[test]
    fn the_ranges_say_what_the_fonts_themselves_say_of_every_character() {
        for c in (0..=0x2FFFF).filter_map(char::from_u32) {
            let by_fonts = FONTS
                .iter()
                .all(|font| font.info().coverage.contains(c as u32));
            let expected = matches!(c, '\n' | '\t' | '\r')
                || is_invisible_format(c)
                || (!c.is_control() && by_fonts);
            assert_eq!(is_printable(c), expected, "U+{:04X}", c as u32);
        }
    }
}
