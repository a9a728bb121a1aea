//! Empty signature fields over the signature lines, added to Typst's PDF as an incremental update.
//!
//! Typst cannot write form fields, so each template marks a signature line with a `metadata`
//! labelled `<signaturfalt>` holding the field's name and size. After compiling, the marker's
//! page and position come from Typst's introspector; after export, the fields are appended to the
//! PDF behind their own cross-reference section, leaving every byte Typst wrote (and validated
//! against PDF/A) as it was.

use std::collections::BTreeMap;
use std::io::Write;

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use typst::foundations::{Label, Selector, Value};
use typst::introspection::Introspector;
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

/// The label of the markers the templates put at each signature line.
const MARKER: &str = "signaturfalt";

/// The annotation flag Print: the field prints with the page (required by PDF/A).
const PRINT: i64 = 4;

/// An empty signature field: its name, page and rectangle in PDF coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureField {
    /// The field's name (`/T`), such as `Underskrift_beslutsfattare`.
    pub name: String,
    /// What the field is for (`/TU`), for screen readers and signing services.
    pub description: String,
    /// The page, counted from 1.
    pub page: usize,
    /// Left, bottom, right, top in points from the page's bottom left corner.
    pub rect: [f32; 4],
}

/// Finds the signature lines the templates marked, in document order.
pub fn find(document: &PagedDocument) -> Vec<SignatureField> {
    let Some(label) = Label::new(PicoStr::intern(MARKER)) else {
        return Vec::new();
    };
    let introspector = document.introspector();
    introspector
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|content| {
            let position = introspector.position(content.location()?)?;
            let Value::Dict(dict) = content.field_by_name("value").ok()? else {
                return None;
            };
            let name = dict.get("field").ok()?.clone().cast::<String>().ok()?;
            let description = dict
                .get("description")
                .ok()?
                .clone()
                .cast::<String>()
                .ok()?;
            let width = dict.get("width").ok()?.clone().cast::<f64>().ok()?;
            let height = dict.get("height").ok()?.clone().cast::<f64>().ok()?;
            let page = document.pages().get(position.page.get() - 1)?;
            let page_height = page.frame.height().to_pt();
            let (x, y) = (position.point.x.to_pt(), position.point.y.to_pt());
            let bottom = page_height - y - height;
            Some(SignatureField {
                name,
                description,
                page: position.page.get(),
                rect: [x, bottom, x + width, bottom + height].map(round),
            })
        })
        .collect()
}

/// Rounds a coordinate to hundredths of a point, so the PDF's numbers stay short and stable.
fn round(value: f64) -> f32 {
    ((value * 100.0).round() / 100.0) as f32
}

/// Appends `fields` to a PDF as an incremental update: widgets, AcroForm and, in a tagged PDF,
/// a `Form` structure element for each.
pub fn add(pdf: Vec<u8>, fields: &[SignatureField]) -> Result<Vec<u8>, String> {
    if fields.is_empty() {
        return Ok(pdf);
    }
    let document = lopdf::Document::load_mem(&pdf).map_err(|e| e.to_string())?;
    let mut update = Update::new(&document);
    let pages = document.get_pages();
    let catalog_id = document
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| e.to_string())?;
    let mut catalog = document
        .get_dictionary(catalog_id)
        .map_err(|e| e.to_string())?
        .clone();
    let mut structure = Structure::read(&document, &catalog)?;

    let mut refs = Vec::new();
    for field in fields {
        let page_id = *pages
            .get(&(field.page as u32))
            .ok_or_else(|| format!("sidan {} finns inte", field.page))?;
        let widget_id = update.reserve();
        let appearance_id = update.reserve();
        let [left, bottom, right, top] = field.rect;
        let mut appearance = Stream::new(
            Dictionary::from_iter([
                ("Type", Object::Name(b"XObject".to_vec())),
                ("Subtype", Object::Name(b"Form".to_vec())),
                (
                    "BBox",
                    Object::Array(vec![
                        0.into(),
                        0.into(),
                        (right - left).into(),
                        (top - bottom).into(),
                    ]),
                ),
            ]),
            Vec::new(),
        );
        appearance.allows_compression = false;
        update.set(appearance_id, Object::Stream(appearance));

        let mut widget = Dictionary::from_iter([
            ("Type", Object::Name(b"Annot".to_vec())),
            ("Subtype", Object::Name(b"Widget".to_vec())),
            ("FT", Object::Name(b"Sig".to_vec())),
            ("T", Object::string_literal(field.name.as_str())),
            ("TU", text_string(&field.description)),
            (
                "Rect",
                Object::Array(field.rect.iter().map(|&v| v.into()).collect()),
            ),
            ("F", Object::Integer(PRINT)),
            ("P", Object::Reference(page_id)),
            (
                "AP",
                Object::Dictionary(Dictionary::from_iter([(
                    "N",
                    Object::Reference(appearance_id),
                )])),
            ),
        ]);
        if let Some(structure) = &mut structure {
            let key = structure.add_form(widget_id, page_id, &mut update);
            widget.set("StructParent", Object::Integer(key));
        }
        update.set(widget_id, Object::Dictionary(widget));
        update.add_annotation(&document, page_id, widget_id)?;
        refs.push(Object::Reference(widget_id));
    }
    if let Some(structure) = structure {
        structure.write(&document, &mut update)?;
    }

    let mut acroform = match catalog.get(b"AcroForm") {
        Ok(Object::Dictionary(dict)) => dict.clone(),
        Ok(_) => return Err("dokumentet har redan ett formulär som inte kan utökas".into()),
        Err(_) => Dictionary::new(),
    };
    let mut all_fields = match acroform.get(b"Fields") {
        Ok(Object::Array(existing)) => existing.clone(),
        _ => Vec::new(),
    };
    all_fields.extend(refs);
    acroform.set("Fields", Object::Array(all_fields));
    catalog.set("AcroForm", Object::Dictionary(acroform));
    update.set(catalog_id, Object::Dictionary(catalog));

    update.write(pdf, &document)
}

/// A PDF text string: literal when ASCII, otherwise UTF-16BE with a byte order mark.
fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        return Object::string_literal(text);
    }
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// The objects of one incremental update: new ones, and changed copies of old ones.
struct Update {
    objects: BTreeMap<ObjectId, Object>,
    next_id: u32,
}

impl Update {
    fn new(document: &lopdf::Document) -> Self {
        Self {
            objects: BTreeMap::new(),
            next_id: document.max_id + 1,
        }
    }

    /// A new object number.
    fn reserve(&mut self) -> ObjectId {
        let id = (self.next_id, 0);
        self.next_id += 1;
        id
    }

    fn set(&mut self, id: ObjectId, object: Object) {
        self.objects.insert(id, object);
    }

    /// The object as this update has it: its changed copy, or the original.
    fn current(&self, document: &lopdf::Document, id: ObjectId) -> Result<Object, String> {
        match self.objects.get(&id) {
            Some(object) => Ok(object.clone()),
            None => document
                .get_object(id)
                .cloned()
                .map_err(|e| format!("objekt {} {}: {e}", id.0, id.1)),
        }
    }

    /// Adds a widget to a page's `/Annots` and sets `/Tabs /S` (structure order, PDF/UA).
    fn add_annotation(
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
    fn write(self, mut pdf: Vec<u8>, document: &lopdf::Document) -> Result<Vec<u8>, String> {
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

/// The parts of a tagged PDF's structure tree a new `Form` element touches.
struct Structure {
    root_id: ObjectId,
    root: Dictionary,
    parent_id: ObjectId,
    parent: Dictionary,
    next_key: i64,
    new_entries: Vec<Object>,
}

impl Structure {
    /// Reads the structure tree root and its first element (Typst's `Document`), if tagged.
    fn read(document: &lopdf::Document, catalog: &Dictionary) -> Result<Option<Self>, String> {
        let Ok(root_id) = catalog
            .get(b"StructTreeRoot")
            .and_then(Object::as_reference)
        else {
            return Ok(None);
        };
        let root = document
            .get_dictionary(root_id)
            .map_err(|e| e.to_string())?
            .clone();
        let parent_id = match root.get(b"K") {
            Ok(Object::Reference(id)) => *id,
            Ok(Object::Array(kids)) => kids
                .iter()
                .find_map(|k| k.as_reference().ok())
                .ok_or("strukturträdet har inget element")?,
            _ => return Err("strukturträdet har inget element".into()),
        };
        let parent = document
            .get_dictionary(parent_id)
            .map_err(|e| e.to_string())?
            .clone();
        let next_key = root
            .get(b"ParentTreeNextKey")
            .and_then(Object::as_i64)
            .unwrap_or(0);
        Ok(Some(Self {
            root_id,
            root,
            parent_id,
            parent,
            next_key,
            new_entries: Vec::new(),
        }))
    }

    /// Adds a `Form` element holding the widget; returns the widget's `/StructParent` key.
    fn add_form(&mut self, widget_id: ObjectId, page_id: ObjectId, update: &mut Update) -> i64 {
        let form_id = update.reserve();
        let form = Dictionary::from_iter([
            ("Type", Object::Name(b"StructElem".to_vec())),
            ("S", Object::Name(b"Form".to_vec())),
            ("P", Object::Reference(self.parent_id)),
            ("Pg", Object::Reference(page_id)),
            (
                "K",
                Object::Dictionary(Dictionary::from_iter([
                    ("Type", Object::Name(b"OBJR".to_vec())),
                    ("Obj", Object::Reference(widget_id)),
                    ("Pg", Object::Reference(page_id)),
                ])),
            ),
        ]);
        update.set(form_id, Object::Dictionary(form));
        let mut kids = match self.parent.get(b"K") {
            Ok(Object::Array(kids)) => kids.clone(),
            Ok(single) => vec![single.clone()],
            Err(_) => Vec::new(),
        };
        kids.push(Object::Reference(form_id));
        self.parent.set("K", Object::Array(kids));
        let key = self.next_key;
        self.next_key += 1;
        self.new_entries
            .extend([Object::Integer(key), Object::Reference(form_id)]);
        key
    }

    /// Stores the changed root, parent element and parent tree in the update.
    fn write(mut self, document: &lopdf::Document, update: &mut Update) -> Result<(), String> {
        let entries = std::mem::take(&mut self.new_entries);
        let (tree_id, mut tree) = match self.root.get(b"ParentTree") {
            Ok(Object::Reference(id)) => (
                Some(*id),
                update
                    .current(document, *id)?
                    .as_dict()
                    .map_err(|e| e.to_string())?
                    .clone(),
            ),
            Ok(Object::Dictionary(tree)) => (None, tree.clone()),
            _ => (None, Dictionary::new()),
        };
        if let Ok(kids) = tree.get(b"Kids").and_then(Object::as_array) {
            // A tree of nodes: the new keys are the largest, so they go in a last leaf.
            let mut kids = kids.clone();
            let limits = vec![entries[0].clone(), entries[entries.len() - 2].clone()];
            let leaf_id = update.reserve();
            update.set(
                leaf_id,
                Object::Dictionary(Dictionary::from_iter([
                    ("Limits", Object::Array(limits)),
                    ("Nums", Object::Array(entries)),
                ])),
            );
            kids.push(Object::Reference(leaf_id));
            tree.set("Kids", Object::Array(kids));
        } else {
            let mut nums = tree
                .get(b"Nums")
                .and_then(Object::as_array)
                .cloned()
                .unwrap_or_default();
            nums.extend(entries);
            tree.set("Nums", Object::Array(nums));
        }
        match tree_id {
            Some(id) => update.set(id, Object::Dictionary(tree)),
            None => self.root.set("ParentTree", Object::Dictionary(tree)),
        }
        self.root
            .set("ParentTreeNextKey", Object::Integer(self.next_key));
        update.set(self.root_id, Object::Dictionary(self.root));
        update.set(self.parent_id, Object::Dictionary(self.parent));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_outside_ascii_are_utf16() {
        assert_eq!(
            text_string("ö"),
            Object::String(vec![0xFE, 0xFF, 0x00, 0xF6], StringFormat::Hexadecimal)
        );
    }

    #[test]
    fn reals_have_no_exponent_and_no_trailing_zeros() {
        assert_eq!(real(12.5), "12.5");
        assert_eq!(real(3.0), "3");
        assert_eq!(real(0.00001), "0");
        assert_eq!(real(1e20), "100000002004087734272");
    }

    #[test]
    fn consecutive_objects_share_a_subsection() {
        let entries = [(3, 0, 10), (4, 0, 20), (9, 0, 30)];
        let runs = runs(&entries);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].len(), 2);
        assert_eq!(runs[1][0].0, 9);
    }
}
