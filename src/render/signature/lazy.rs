//! Reading only the objects of a PDF that adding signature fields touches: the trailer, the
//! catalog, the page tree, the pages and the top of the structure tree.
//!
//! Parsing the whole PDF with lopdf cost about a twentieth of a render (its dictionary parser
//! over every object: fonts' widths, every structure element), while a field needs a dozen
//! objects. This reads the cross-reference table Typst writes and parses those objects alone,
//! into lopdf's types, so that the update is written exactly as before. Anything it does not
//! expect (an xref stream, an object stream, a stream where a dictionary should be) gives `None`,
//! and the caller parses the whole file instead.

use std::collections::HashMap;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};

/// The objects a signature field touches, as a lopdf document holding only those.
pub(super) fn load(pdf: &[u8]) -> Option<lopdf::Document> {
    let xref_start = start_of_xref(pdf)?;
    let (offsets, trailer) = xref_table(pdf, xref_start)?;
    let mut objects: HashMap<ObjectId, Object> = HashMap::new();
    let mut read = |id: ObjectId| -> Option<Object> {
        if let Some(object) = objects.get(&id) {
            return Some(object.clone());
        }
        let &offset = offsets.get(&id)?;
        let object = Parser { pdf, at: offset }.indirect_object(id)?;
        objects.insert(id, object.clone());
        Some(object)
    };

    let root = trailer.get(b"Root").ok()?.as_reference().ok()?;
    let catalog = read(root)?;
    let catalog = catalog.as_dict().ok()?;
    // The page tree, every node and page.
    let mut nodes = vec![catalog.get(b"Pages").ok()?.as_reference().ok()?];
    while let Some(id) = nodes.pop() {
        let node = read(id)?;
        let node = node.as_dict().ok()?;
        if let Ok(kids) = node.get(b"Kids").and_then(Object::as_array) {
            nodes.extend(kids.iter().filter_map(|k| k.as_reference().ok()));
        }
        if let Ok(Object::Reference(annots)) = node.get(b"Annots") {
            read(*annots)?;
        }
    }
    // The structure tree's root, its first element and its parent tree.
    if let Ok(tree) = catalog
        .get(b"StructTreeRoot")
        .and_then(Object::as_reference)
    {
        let tree = read(tree)?;
        let tree = tree.as_dict().ok()?;
        let first = match tree.get(b"K") {
            Ok(Object::Reference(id)) => Some(*id),
            Ok(Object::Array(kids)) => kids.iter().find_map(|k| k.as_reference().ok()),
            _ => None,
        };
        if let Some(first) = first {
            read(first)?;
        }
        if let Ok(Object::Reference(parents)) = tree.get(b"ParentTree") {
            read(*parents)?;
        }
    }

    let size = trailer.get(b"Size").ok()?.as_i64().ok()?;
    let mut document = lopdf::Document::new();
    document.objects = objects.into_iter().collect();
    document.max_id = u32::try_from(size.checked_sub(1)?).ok()?;
    document.xref_start = xref_start;
    document.trailer = trailer;
    Some(document)
}

/// The offset `startxref` names at the end of the file.
fn start_of_xref(pdf: &[u8]) -> Option<usize> {
    let tail = &pdf[pdf.len().saturating_sub(64)..];
    let at = tail.windows(9).rposition(|w| w == b"startxref")?;
    let mut parser = Parser {
        pdf: tail,
        at: at + 9,
    };
    usize::try_from(parser.integer()?).ok()
}

/// The classic cross-reference table at `start` (object → offset) and its trailer.
fn xref_table(pdf: &[u8], start: usize) -> Option<(HashMap<ObjectId, usize>, Dictionary)> {
    let mut parser = Parser { pdf, at: start };
    parser.keyword(b"xref")?;
    let mut offsets = HashMap::new();
    loop {
        parser.skip_space();
        if parser.rest().starts_with(b"trailer") {
            break;
        }
        let first = u32::try_from(parser.integer()?).ok()?;
        let count = u32::try_from(parser.integer()?).ok()?;
        for id in first..first.checked_add(count)? {
            let offset = usize::try_from(parser.integer()?).ok()?;
            let generation = u16::try_from(parser.integer()?).ok()?;
            parser.skip_space();
            let kind = *parser.rest().first()?;
            parser.at += 1;
            if kind == b'n' {
                offsets.insert((id, generation), offset);
            }
        }
    }
    parser.keyword(b"trailer")?;
    let Object::Dictionary(trailer) = parser.object()? else {
        return None;
    };
    Some((offsets, trailer))
}

/// A cursor over PDF bytes, parsing objects as lopdf does.
struct Parser<'a> {
    pdf: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a [u8] {
        self.pdf.get(self.at..).unwrap_or_default()
    }

    fn peek(&self) -> Option<u8> {
        self.pdf.get(self.at).copied()
    }

    /// Skips white space and comments.
    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if is_space(c) {
                self.at += 1;
            } else if c == b'%' {
                while self.peek().is_some_and(|c| c != b'\n' && c != b'\r') {
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Expects `word` after white space.
    fn keyword(&mut self, word: &[u8]) -> Option<()> {
        self.skip_space();
        if self.rest().starts_with(word) {
            self.at += word.len();
            Some(())
        } else {
            None
        }
    }

    /// `id gen obj <object> endobj`, for the object it should be; `None` for a stream.
    fn indirect_object(mut self, id: ObjectId) -> Option<Object> {
        let number = u32::try_from(self.integer()?).ok()?;
        let generation = u16::try_from(self.integer()?).ok()?;
        if (number, generation) != id {
            return None;
        }
        self.keyword(b"obj")?;
        let object = self.object()?;
        self.keyword(b"endobj")?;
        Some(object)
    }

    /// An unsigned or signed whole number.
    fn integer(&mut self) -> Option<i64> {
        self.skip_space();
        let start = self.at;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.at += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        std::str::from_utf8(&self.pdf[start..self.at])
            .ok()?
            .parse()
            .ok()
    }

    fn object(&mut self) -> Option<Object> {
        self.skip_space();
        match self.peek()? {
            b'<' if self.rest().starts_with(b"<<") => self.dictionary(),
            b'<' => self.hex_string(),
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    if self.peek()? == b']' {
                        self.at += 1;
                        return Some(Object::Array(items));
                    }
                    items.push(self.object()?);
                }
            }
            b'(' => self.literal_string(),
            b'/' => self.name().map(Object::Name),
            b'+' | b'-' | b'.' | b'0'..=b'9' => self.number_or_reference(),
            _ if self.rest().starts_with(b"true") => self.word(b"true", Object::Boolean(true)),
            _ if self.rest().starts_with(b"false") => self.word(b"false", Object::Boolean(false)),
            _ if self.rest().starts_with(b"null") => self.word(b"null", Object::Null),
            _ => None,
        }
    }

    fn word(&mut self, word: &[u8], object: Object) -> Option<Object> {
        self.at += word.len();
        Some(object)
    }

    fn dictionary(&mut self) -> Option<Object> {
        self.at += 2;
        let mut dictionary = Dictionary::new();
        loop {
            self.skip_space();
            if self.rest().starts_with(b">>") {
                self.at += 2;
                break;
            }
            let key = self.name()?;
            let value = self.object()?;
            dictionary.set(key, value);
        }
        // A stream's dictionary: not one of the objects this reads.
        let mut after = Parser {
            pdf: self.pdf,
            at: self.at,
        };
        if after.keyword(b"stream").is_some() {
            return None;
        }
        Some(Object::Dictionary(dictionary))
    }

    fn name(&mut self) -> Option<Vec<u8>> {
        self.skip_space();
        if self.peek()? != b'/' {
            return None;
        }
        self.at += 1;
        let mut name = Vec::new();
        while let Some(c) = self.peek() {
            if is_space(c) || is_delimiter(c) {
                break;
            }
            self.at += 1;
            if c == b'#' {
                let hex = self.pdf.get(self.at..self.at + 2)?;
                name.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
                self.at += 2;
            } else {
                name.push(c);
            }
        }
        Some(name)
    }

    fn number_or_reference(&mut self) -> Option<Object> {
        let start = self.at;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.at += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == b'.') {
            self.at += 1;
        }
        let text = std::str::from_utf8(&self.pdf[start..self.at]).ok()?;
        if text.contains('.') {
            return text.parse::<f32>().ok().map(Object::Real);
        }
        let number: i64 = text.parse().ok()?;
        // `id gen R`: a reference, if a generation and an R follow.
        let back = self.at;
        let generation = self.integer();
        self.skip_space();
        let is_ref = self.peek() == Some(b'R')
            && self
                .pdf
                .get(self.at + 1)
                .is_none_or(|&c| is_space(c) || is_delimiter(c));
        match generation {
            Some(generation) if is_ref && number >= 0 => {
                self.at += 1;
                Some(Object::Reference((
                    u32::try_from(number).ok()?,
                    u16::try_from(generation).ok()?,
                )))
            }
            _ => {
                self.at = back;
                Some(Object::Integer(number))
            }
        }
    }

    fn hex_string(&mut self) -> Option<Object> {
        self.at += 1;
        let mut digits = Vec::new();
        loop {
            let c = self.peek()?;
            self.at += 1;
            match c {
                b'>' => break,
                c if is_space(c) => {}
                c => digits.push((c as char).to_digit(16)? as u8),
            }
        }
        if digits.len() % 2 == 1 {
            digits.push(0);
        }
        let bytes = digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect();
        Some(Object::String(bytes, StringFormat::Hexadecimal))
    }

    fn literal_string(&mut self) -> Option<Object> {
        self.at += 1;
        let mut bytes = Vec::new();
        let mut depth = 0usize;
        loop {
            let c = self.peek()?;
            self.at += 1;
            match c {
                b'(' => {
                    depth += 1;
                    bytes.push(c);
                }
                b')' if depth == 0 => break,
                b')' => {
                    depth -= 1;
                    bytes.push(c);
                }
                b'\\' => {
                    let e = self.peek()?;
                    self.at += 1;
                    match e {
                        b'n' => bytes.push(b'\n'),
                        b'r' => bytes.push(b'\r'),
                        b't' => bytes.push(b'\t'),
                        b'b' => bytes.push(0x08),
                        b'f' => bytes.push(0x0C),
                        b'0'..=b'7' => {
                            let mut value = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        value = value * 8 + u32::from(d - b'0');
                                        self.at += 1;
                                    }
                                    _ => break,
                                }
                            }
                            bytes.push(value as u8);
                        }
                        // A backslash before a line end continues the string on the next line.
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.at += 1;
                            }
                        }
                        b'\n' => {}
                        other => bytes.push(other),
                    }
                }
                // lopdf gives raw line ends as they stand; so does this. Anything unusual
                // (a raw CR) leaves the choice to lopdf.
                b'\r' => return None,
                c => bytes.push(c),
            }
        }
        Some(Object::String(bytes, StringFormat::Literal))
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'\0')
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small PDF as Typst writes one: classic xref, a page tree, a tagged structure root.
    fn sample() -> Vec<u8> {
        let objects = [
            "<</Type/Catalog/Pages 2 0 R/StructTreeRoot 4 0 R/Lang(sv)/MarkInfo<</Marked true>>>>",
            "<</Type/Pages/Count 1/Kids[3 0 R]>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595.276 841.89]/Annots 6 0 R/Tabs/S>>",
            "<</Type/StructTreeRoot/K 5 0 R/ParentTree 7 0 R/ParentTreeNextKey 3>>",
            "<</Type/StructElem/S/Document/P 4 0 R/T(Beslut \\(utkast\\)\\344)/Alt<FEFF00F6>/K[1 0 R]>>",
            "[]",
            "<</Nums[0 [5 0 R] 1 5 0 R]/Name#20X -0.5/Small .25/Nothing null/No false>>",
        ];
        let mut pdf = b"%PDF-1.7\n%\x80\x80\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f\r\n", objects.len() + 1).as_bytes(),
        );
        for offset in offsets {
            pdf.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<</Size 8/Root 1 0 R/ID[<00AB><cd01>]>>\nstartxref\n{xref}\n%%EOF")
                .as_bytes(),
        );
        pdf
    }

    #[test]
    fn the_objects_read_are_those_lopdf_reads() {
        let pdf = sample();
        let full = lopdf::Document::load_mem(&pdf).unwrap();
        let lazy = load(&pdf).expect("a PDF as Typst writes one");
        assert_eq!(lazy.trailer, full.trailer);
        assert_eq!(lazy.max_id, full.max_id);
        assert_eq!(lazy.xref_start, full.xref_start);
        assert_eq!(lazy.get_pages(), full.get_pages());
        assert_eq!(lazy.objects.len(), 7);
        for (id, object) in &lazy.objects {
            assert_eq!(Some(object), full.objects.get(id), "object {id:?}");
        }
    }

    #[test]
    fn a_file_not_written_as_expected_is_left_to_lopdf() {
        let pdf = sample();
        assert!(load(&pdf[..pdf.len() - 30]).is_none());
        let streamed = String::from_utf8_lossy(&pdf).replace(
            "<</Type/Pages/Count 1/Kids[3 0 R]>>\nendobj",
            "<</Type/Pages/Count 1/Kids[3 0 R]>>\nstream\nx\nendstream\nendobj",
        );
        assert!(load(streamed.as_bytes()).is_none());
    }
}
