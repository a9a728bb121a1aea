//! One incremental update of a PDF: new and changed objects, their cross-reference section and
//! trailer, written after the bytes already there.

use std::collections::BTreeMap;
use std::io::Write;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};

/// The objects of one incremental update: new ones, and changed copies of old ones.
pub(super) struct Update {
    objects: BTreeMap<ObjectId, Object>,
    next_id: u32,
}

impl Update {
    pub(super) fn new(document: &lopdf::Document) -> Self {
        Self {
            objects: BTreeMap::new(),
            next_id: document.max_id + 1,
        }
    }

    /// A new object number.
    pub(super) fn reserve(&mut self) -> ObjectId {
        let id = (self.next_id, 0);
        self.next_id += 1;
        id
    }

    pub(super) fn set(&mut self, id: ObjectId, object: Object) {
        self.objects.insert(id, object);
    }

    /// The object as this update has it: its changed copy, or the original.
    pub(super) fn current(
        &self,
        document: &lopdf::Document,
        id: ObjectId,
    ) -> Result<Object, String> {
        match self.objects.get(&id) {
            Some(object) => Ok(object.clone()),
            None => document
                .get_object(id)
                .cloned()
                .map_err(|e| format!("objekt {} {}: {e}", id.0, id.1)),
        }
    }

    /// Adds a widget to a page's `/Annots` and sets `/Tabs /S` (structure order, PDF/UA).
    pub(super) fn add_annotation(
        &mut self,
        document: &lopdf::Document,
        page_id: ObjectId,
        widget_id: ObjectId,
    ) -> Result<(), String> {
        let mut page = self
            .current(document, page_id)?
            .as_dict()
            .map_err(|e| e.to_string())?
            .clone();
        match page.get(b"Annots") {
            Ok(Object::Reference(array_id)) => {
                let array_id = *array_id;
                let mut array = self
                    .current(document, array_id)?
                    .as_array()
                    .map_err(|e| e.to_string())?
                    .clone();
                array.push(Object::Reference(widget_id));
                self.set(array_id, Object::Array(array));
            }
            Ok(Object::Array(array)) => {
                let mut array = array.clone();
                array.push(Object::Reference(widget_id));
                page.set("Annots", Object::Array(array));
            }
            _ => page.set("Annots", Object::Array(vec![Object::Reference(widget_id)])),
        }
        page.set("Tabs", Object::Name(b"S".to_vec()));
        self.set(page_id, Object::Dictionary(page));
        Ok(())
    }

    /// Writes the original bytes, then these objects, their cross-reference section and trailer.
    pub(super) fn write(
        self,
        mut pdf: Vec<u8>,
        document: &lopdf::Document,
    ) -> Result<Vec<u8>, String> {
        let previous = document.xref_start;
        if pdf.last() != Some(&b'\n') {
            pdf.push(b'\n');
        }
        let mut offsets = Vec::new();
        for (&(id, generation), object) in &self.objects {
            offsets.push((id, generation, pdf.len()));
            let _ = writeln!(pdf, "{id} {generation} obj");
            serialize(&mut pdf, object);
            pdf.extend_from_slice(b"\nendobj\n");
        }
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n");
        for run in runs(&offsets) {
            let _ = writeln!(pdf, "{} {}", run[0].0, run.len());
            for (_, generation, offset) in run {
                let _ = write!(pdf, "{offset:010} {generation:05} n\r\n");
            }
        }
        let mut trailer = Dictionary::new();
        trailer.set("Size", Object::Integer(i64::from(self.next_id)));
        for key in [b"Root".as_slice(), b"Info", b"ID"] {
            if let Ok(value) = document.trailer.get(key) {
                trailer.set(key, value.clone());
            }
        }
        trailer.set("Prev", Object::Integer(previous as i64));
        pdf.extend_from_slice(b"trailer\n");
        serialize(&mut pdf, &Object::Dictionary(trailer));
        let _ = write!(pdf, "\nstartxref\n{xref}\n%%EOF");
        Ok(pdf)
    }
}

/// Splits sorted (id, generation, offset) entries into runs of consecutive object numbers.
fn runs(entries: &[(u32, u16, usize)]) -> Vec<&[(u32, u16, usize)]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=entries.len() {
        if i == entries.len() || entries[i].0 != entries[i - 1].0 + 1 {
            runs.push(&entries[start..i]);
            start = i;
        }
    }
    runs
}

/// Writes an object in PDF syntax.
fn serialize(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(value) => out.extend_from_slice(if *value { b"true" } else { b"false" }),
        Object::Integer(value) => out.extend_from_slice(value.to_string().as_bytes()),
        Object::Real(value) => out.extend_from_slice(real(*value).as_bytes()),
        Object::Name(name) => {
            out.push(b'/');
            for &byte in name {
                if byte.is_ascii_alphanumeric() || b"-_.+*".contains(&byte) {
                    out.push(byte);
                } else {
                    out.extend_from_slice(format!("#{byte:02X}").as_bytes());
                }
            }
        }
        Object::String(bytes, StringFormat::Hexadecimal) => {
            out.push(b'<');
            for byte in bytes {
                out.extend_from_slice(format!("{byte:02X}").as_bytes());
            }
            out.push(b'>');
        }
        Object::String(bytes, StringFormat::Literal) => {
            out.push(b'(');
            for &byte in bytes {
                match byte {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    _ => out.push(byte),
                }
            }
            out.push(b')');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                serialize(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => serialize_dict(out, dict),
        Object::Stream(stream) => {
            let mut dict = stream.dict.clone();
            dict.set("Length", Object::Integer(stream.content.len() as i64));
            serialize_dict(out, &dict);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((id, generation)) => {
            out.extend_from_slice(format!("{id} {generation} R").as_bytes());
        }
    }
}

fn serialize_dict(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        serialize(out, &Object::Name(key.clone()));
        out.push(b' ');
        serialize(out, value);
    }
    out.extend_from_slice(b">>");
}

/// A real number without exponent, as PDF requires, with at most four decimals.
fn real(value: f32) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-" {
        "0".into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn reals_have_no_exponent_and_no_trailing_zeros() {
        assert_eq!(real(12.5), "12.5");
        assert_eq!(real(3.0), "3");
        assert_eq!(real(0.00001), "0");
        assert_eq!(real(1e20), "100000002004087734272");
    }

    #[test]
    pub(super) fn consecutive_objects_share_a_subsection() {
        let entries = [(3, 0, 10), (4, 0, 20), (9, 0, 30)];
        let runs = runs(&entries);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].len(), 2);
        assert_eq!(runs[1][0].0, 9);
    }
}
