//! Text folded for searching, as a reader sees it: compatibility forms made plain, invisible
//! characters dropped, look-alike letters of other scripts made Latin, and every dash and space
//! made one, each folded character remembering where it stood in the original.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// A text folded for searching, with the way back to the original.
#[derive(Debug, Clone)]
pub struct Folded<'t> {
    /// The original text.
    original: &'t str,
    /// The folded text.
    pub text: String,
    /// For each byte of `text`, the original's byte range it came from.
    origin: Vec<(usize, usize)>,
}

impl<'t> Folded<'t> {
    /// Folds `original`: NFKC per grapheme, format characters (Cf) dropped, letters of other
    /// scripts that look like Latin ones made Latin, every dash `-` and every space ` `.
    pub fn new(original: &'t str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        for (start, grapheme) in original.grapheme_indices(true) {
            let span = (start, start + grapheme.len());
            let plain: String = grapheme
                .chars()
                .filter(|&c| !is_format(c))
                .map(fold_char)
                .collect();
            for c in plain.nfkc().map(fold_char) {
                let before = text.len();
                text.push(c);
                origin.extend(std::iter::repeat_n(span, text.len() - before));
            }
        }
        Self {
            original,
            text,
            origin,
        }
    }

    /// The original text that the folded range `start..end` came from.
    pub fn original(&self, start: usize, end: usize) -> &'t str {
        if start >= end || end > self.origin.len() {
            return "";
        }
        &self.original[self.origin[start].0..self.origin[end - 1].1]
    }
}

/// Whether a character is a format character (Unicode category Cf): invisible, it changes how
/// text around it is shown or joined (zero-width spaces and joiners, the soft hyphen, the
/// byte-order mark, the bidirectional marks, and every override, embedding and isolate that
/// `fonts::is_bidi_control` names).
pub fn is_format(c: char) -> bool {
    static FORMAT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\p{Cf}$").expect("a valid pattern"));
    !c.is_ascii() && FORMAT.is_match(c.encode_utf8(&mut [0; 4]))
}

/// One character as it is searched: every dash a hyphen-minus, every space a space, and a
/// letter of another script that looks like a Latin letter that letter.
fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    if is_dash(c) {
        return '-';
    }
    if c.is_whitespace() {
        return ' ';
    }
    look_alike(c).unwrap_or(c)
}

/// Whether a character is a dash or a minus sign.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'
            ..='\u{2015}'
                | '\u{2212}'
                | '\u{2E3A}'
                | '\u{2E3B}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{FF0D}'
                | '\u{058A}'
                | '\u{05BE}'
                | '\u{1400}'
                | '\u{1806}'
                | '\u{2E17}'
                | '\u{2E1A}'
                | '\u{2E40}'
                | '\u{301C}'
                | '\u{3030}'
                | '\u{30A0}'
                | '\u{FE31}'
                | '\u{FE32}'
    )
}

/// The Latin letter a letter of another script (Cyrillic `а`, Greek `Ο`) is taken for, from
/// Unicode's table of confusables (UTS #39); Latin letters with marks (`å`, `é`) stay.
fn look_alike(c: char) -> Option<char> {
    if !c.is_alphabetic() || ('\u{80}'..='\u{24F}').contains(&c) {
        return None;
    }
    let mut buffer = [0; 4];
    let mut skeleton = unicode_security::confusable_detection::skeleton(c.encode_utf8(&mut buffer));
    match (skeleton.next(), skeleton.next()) {
        (Some(latin), None) if latin.is_ascii_alphabetic() => Some(latin),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_spaces_invisibles_and_look_alikes_fold_and_find_their_way_back() {
        let text = "12\u{a0}12\u{2013}12 Ek\u{200b}d\u{0430}hl \u{FF11}";
        let folded = Folded::new(text);
        assert_eq!(folded.text, "12 12-12 Ekdahl 1");
        let at = folded.text.find("Ekdahl").unwrap();
        assert_eq!(
            folded.original(at, at + "Ekdahl".len()),
            "Ek\u{200b}d\u{0430}hl"
        );
        assert_eq!(Folded::new("Åsa Öberg é").text, "Åsa Öberg é");
        assert_eq!(Folded::new("A\u{30a}sa").text, "Åsa");
        assert_eq!(Folded::new("\u{0415}\u{0391}").text, "EA");
    }

    #[test]
    fn format_characters_are_known() {
        for c in [
            '\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{200e}', '\u{2060}', '\u{feff}',
            '\u{202e}', '\u{2066}',
        ] {
            assert!(is_format(c), "U+{:04X}", c as u32);
        }
        for c in (0x202A..=0x202E)
            .chain(0x2066..=0x2069)
            .filter_map(char::from_u32)
        {
            assert!(
                crate::fonts::is_bidi_control(c) && is_format(c),
                "U+{:04X}",
                c as u32
            );
        }
        for c in ['a', 'å', ' ', '\u{a0}', '-'] {
            assert!(!is_format(c), "U+{:04X}", c as u32);
        }
    }
}
