//! Empty signature fields over the signature lines, added to Typst's PDF as an incremental update.
//!
//! Typst cannot write form fields, so each template marks a signature line with a `metadata`
//! labelled `<signaturfalt>` holding the field's name and size. After compiling, the marker's
//! page and position come from Typst's introspector; after export, the fields are appended to the
//! PDF behind their own cross-reference section, leaving every byte Typst wrote (and validated
//! against PDF/A) as it was.

pub mod fill;
mod lazy;
pub mod stamp;
mod structure;
mod update;

use structure::Structure;
use update::Update;

use lopdf::{Dictionary, Object, Stream, StringFormat};
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

/// Where a signature line is, for a signing service that places a visible signature on it:
/// in PDF points from the page's lower left corner.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FieldPlace {
    /// The field's name, such as `Underskrift_beslutsfattare`.
    pub namn: String,
    /// The page, counted from 1.
    pub sida: usize,
    /// The left edge.
    pub x: f32,
    /// The bottom edge.
    pub y: f32,
    /// The width.
    pub bredd: f32,
    /// The height.
    pub hojd: f32,
}

impl From<&SignatureField> for FieldPlace {
    fn from(field: &SignatureField) -> Self {
        let [left, bottom, right, top] = field.rect;
        Self {
            namn: field.name.clone(),
            sida: field.page,
            x: left,
            y: bottom,
            bredd: round(f64::from(right - left)),
            hojd: round(f64::from(top - bottom)),
        }
    }
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
    // Only the objects a field touches, where the file is as Typst writes it; else all of them.
    if let Some(document) = lazy::load(&pdf)
        && let Ok(updated) = add_to(&document, pdf.clone(), fields)
    {
        return Ok(updated);
    }
    let document = lopdf::Document::load_mem(&pdf).map_err(|e| e.to_string())?;
    add_to(&document, pdf, fields)
}

/// [`add`] with the PDF's objects read.
fn add_to(
    document: &lopdf::Document,
    pdf: Vec<u8>,
    fields: &[SignatureField],
) -> Result<Vec<u8>, String> {
    let mut update = Update::new(document);
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
    let mut structure = Structure::read(document, &catalog)?;

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
        update.add_annotation(document, page_id, widget_id)?;
        refs.push(Object::Reference(widget_id));
    }
    if let Some(structure) = structure {
        structure.write(document, &mut update)?;
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

    update.write(pdf, document)
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
}
