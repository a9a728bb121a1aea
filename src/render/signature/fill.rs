//! Filling an empty signature field with a signature, as an incremental update after every
//! byte already there: the signature dictionary (PAdES B-B: `ETSI.CAdES.detached`), the field's
//! value and its visible appearance, copied from a small PDF that Typst made of the stamp, so
//! that its font is embedded as the PDF/A standards ask.

use std::collections::HashMap;

use lopdf::{Dictionary, Object, ObjectId, Stream};
use sha2::{Digest, Sha256};

use super::update::Update;

/// How many bytes are kept for the CMS signature in `/Contents`: room for an RSA-4096
/// signature with a chain of a few certificates.
pub const CONTENTS_RESERVE: usize = 24 * 1024;

/// The placeholder of `/ByteRange`, patched once the file's length is known.
const PLACEHOLDER: i64 = 9_999_999_999;

/// A signature field of a PDF: its name and whether it already holds a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's name (`/T`).
    pub name: String,
    /// Whether it has a value (`/V`): a signature.
    pub signed: bool,
}

/// Why a field could not be filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FillError {
    /// The PDF is encrypted.
    Encrypted,
    /// The PDF cannot be read.
    Damaged(String),
    /// No signature field has the name; these are the fields there are.
    NoSuchField(Vec<Field>),
    /// The field already holds a signature.
    AlreadySigned,
    /// The signature did not fit in the room kept for it.
    TooLarge,
}

/// The signature fields of a parsed PDF, in the AcroForm's order.
pub fn fields(document: &lopdf::Document) -> Vec<(Field, ObjectId)> {
    let Ok(catalog) = document.catalog() else {
        return Vec::new();
    };
    let acroform = match catalog.get(b"AcroForm") {
        Ok(Object::Reference(id)) => document.get_dictionary(*id).ok(),
        Ok(Object::Dictionary(dict)) => Some(dict),
        _ => None,
    };
    let Some(Ok(Object::Array(refs))) = acroform.map(|a| a.get(b"Fields")) else {
        return Vec::new();
    };
    refs.iter()
        .filter_map(|r| {
            let id = r.as_reference().ok()?;
            let dict = document.get_dictionary(id).ok()?;
            if dict.get(b"FT").and_then(Object::as_name).ok()? != b"Sig" {
                return None;
            }
            let name = dict.get(b"T").ok().and_then(|t| match t {
                Object::String(bytes, _) => Some(text(bytes)),
                _ => None,
            })?;
            Some((
                Field {
                    name,
                    signed: dict.has(b"V"),
                },
                id,
            ))
        })
        .collect()
}

/// A PDF text string as Rust text (UTF-16BE with its mark, or PDFDocEncoding read as Latin-1).
pub fn text(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// Parses a PDF for signing or verifying: refused when encrypted or unreadable.
pub fn parse(pdf: &[u8]) -> Result<lopdf::Document, FillError> {
    let document = lopdf::Document::load_mem(pdf).map_err(|e| FillError::Damaged(e.to_string()))?;
    if document.trailer.has(b"Encrypt") || document.is_encrypted() {
        return Err(FillError::Encrypted);
    }
    Ok(document)
}

/// A PDF with the field's signature in place but its `/Contents` still empty: the bytes to
/// digest, and where the signature goes.
pub struct Prepared {
    bytes: Vec<u8>,
    /// Where the hexadecimal `/Contents` string starts (at `<`) and ends (after `>`).
    contents: (usize, usize),
}

impl Prepared {
    /// The SHA-256 over the two byte ranges, everything but `/Contents`.
    pub fn digest(&self) -> [u8; 32] {
        let mut hash = Sha256::new();
        hash.update(&self.bytes[..self.contents.0]);
        hash.update(&self.bytes[self.contents.1..]);
        hash.finalize().into()
    }

    /// Puts the CMS signature into `/Contents`, padded with zeros.
    pub fn finish(mut self, cms: &[u8]) -> Result<Vec<u8>, FillError> {
        let room = self.contents.1 - self.contents.0 - 2;
        let hex: String = cms.iter().map(|b| format!("{b:02X}")).collect();
        if hex.len() > room {
            return Err(FillError::TooLarge);
        }
        let start = self.contents.0 + 1;
        self.bytes[start..start + hex.len()].copy_from_slice(hex.as_bytes());
        Ok(self.bytes)
    }
}

/// An empty signature field found by name: its object and its size.
#[derive(Debug, Clone, Copy)]
pub struct EmptyField {
    /// The field's (and its widget's) object.
    id: ObjectId,
    /// Its width in points.
    pub width: f32,
    /// Its height in points.
    pub height: f32,
}

/// The empty signature field `name`: refused when there is none of that name (the fields there
/// are, are named) or when it is already signed.
pub fn empty_field(document: &lopdf::Document, name: &str) -> Result<EmptyField, FillError> {
    let all = fields(document);
    let Some((field, id)) = all.iter().find(|(f, _)| f.name == name) else {
        return Err(FillError::NoSuchField(
            all.into_iter().map(|(f, _)| f).collect(),
        ));
    };
    if field.signed {
        return Err(FillError::AlreadySigned);
    }
    let rect: Vec<f32> = document
        .get_dictionary(*id)
        .and_then(|d| d.get(b"Rect"))
        .and_then(Object::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_float().ok()).collect())
        .unwrap_or_default();
    match rect[..] {
        [left, bottom, right, top] => Ok(EmptyField {
            id: *id,
            width: (right - left).abs(),
            height: (top - bottom).abs(),
        }),
        _ => Err(FillError::Damaged("fältet har ingen rektangel".into())),
    }
}

/// Adds a signature to the empty field (see [`empty_field`]) as an incremental update, with the stamp's page
/// as its visible appearance and `when` (`D:YYYYMMDDHHmmSS+HH'mm'`) as `/M`; the signature's
/// own bytes come after, through [`Prepared::finish`].
pub fn prepare(
    pdf: Vec<u8>,
    document: &lopdf::Document,
    field: EmptyField,
    stamp: &[u8],
    when: &str,
) -> Result<Prepared, FillError> {
    let damaged = |e: String| FillError::Damaged(e);
    let mut update = Update::new(document);
    let signature_id = update.reserve();
    let signature = Dictionary::from_iter([
        ("Type", Object::Name(b"Sig".to_vec())),
        ("Filter", Object::Name(b"Adobe.PPKLite".to_vec())),
        ("SubFilter", Object::Name(b"ETSI.CAdES.detached".to_vec())),
        ("M", Object::string_literal(when)),
        (
            "ByteRange",
            Object::Array(vec![
                Object::Integer(0),
                Object::Integer(PLACEHOLDER),
                Object::Integer(PLACEHOLDER),
                Object::Integer(PLACEHOLDER),
            ]),
        ),
        (
            "Contents",
            Object::String(vec![0; CONTENTS_RESERVE], lopdf::StringFormat::Hexadecimal),
        ),
    ]);
    update.set(signature_id, Object::Dictionary(signature));

    let mut widget = dictionary(&update, document, field.id)?;
    let appearance = import_stamp(&mut update, stamp, (field.width, field.height))?;
    widget.set("V", Object::Reference(signature_id));
    widget.set(
        "AP",
        Object::Dictionary(Dictionary::from_iter([(
            "N",
            Object::Reference(appearance),
        )])),
    );
    update.set(field.id, Object::Dictionary(widget));

    // SignaturesExist and AppendOnly: a reader keeps later changes to incremental updates.
    let catalog_id = document
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| damaged(e.to_string()))?;
    let mut catalog = dictionary(&update, document, catalog_id)?;
    match catalog.get(b"AcroForm").cloned() {
        Ok(Object::Dictionary(mut acroform)) => {
            acroform.set("SigFlags", Object::Integer(3));
            catalog.set("AcroForm", Object::Dictionary(acroform));
            update.set(catalog_id, Object::Dictionary(catalog));
        }
        Ok(Object::Reference(id)) => {
            let mut acroform = dictionary(&update, document, id)?;
            acroform.set("SigFlags", Object::Integer(3));
            update.set(id, Object::Dictionary(acroform));
        }
        _ => return Err(damaged("dokumentet har inget formulär".into())),
    }

    let original = pdf.len();
    let mut bytes = update.write(pdf, document).map_err(damaged)?;
    place_byte_range(&mut bytes, original)
}

/// The dictionary an object is, as the update has it (its changed copy, or the original).
fn dictionary(
    update: &Update,
    document: &lopdf::Document,
    id: ObjectId,
) -> Result<Dictionary, FillError> {
    update
        .current(document, id)
        .map_err(FillError::Damaged)?
        .as_dict()
        .cloned()
        .map_err(|e| FillError::Damaged(e.to_string()))
}

/// Finds the placeholders in what the update wrote, and writes the byte range in their place.
fn place_byte_range(bytes: &mut [u8], from: usize) -> Result<Prepared, FillError> {
    let placeholder = format!("[0 {PLACEHOLDER} {PLACEHOLDER} {PLACEHOLDER}]");
    let at = find(&bytes[from..], placeholder.as_bytes())
        .map(|i| i + from)
        .ok_or_else(|| FillError::Damaged("platsen för /ByteRange hittades inte".into()))?;
    let contents_key = find(&bytes[from..], b"/Contents <")
        .map(|i| i + from + b"/Contents ".len())
        .ok_or_else(|| FillError::Damaged("platsen för /Contents hittades inte".into()))?;
    let end = contents_key
        + 1
        + bytes[contents_key + 1..]
            .iter()
            .position(|&b| b == b'>')
            .ok_or_else(|| FillError::Damaged("/Contents tar aldrig slut".into()))?
        + 1;
    let range = [0, contents_key, end, bytes.len() - end];
    // Numbers of the same width as the placeholder's (leading zeros are allowed in PDF).
    let written = format!("[0 {:010} {:010} {:010}]", range[1], range[2], range[3]);
    if written.len() != placeholder.len() {
        return Err(FillError::Damaged(
            "filen är för stor för att signeras".into(),
        ));
    }
    bytes[at..at + written.len()].copy_from_slice(written.as_bytes());
    Ok(Prepared {
        bytes: bytes.to_vec(),
        contents: (contents_key, end),
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Copies the first page of the stamp PDF into the update as a Form XObject of `size`, with
/// every object its resources need: the appearance of the signed field.
fn import_stamp(
    update: &mut Update,
    stamp: &[u8],
    size: (f32, f32),
) -> Result<ObjectId, FillError> {
    let damaged = |e: String| FillError::Damaged(format!("stämpeln: {e}"));
    let source = lopdf::Document::load_mem(stamp).map_err(|e| damaged(e.to_string()))?;
    let page = *source
        .get_pages()
        .get(&1)
        .ok_or_else(|| damaged("ingen sida".into()))?;
    let content = source
        .get_page_content(page)
        .map_err(|e| damaged(e.to_string()))?;
    let page_dict = source
        .get_dictionary(page)
        .map_err(|e| damaged(e.to_string()))?;
    let resources = match page_dict.get(b"Resources") {
        Ok(Object::Reference(id)) => source
            .get_object(*id)
            .map_err(|e| damaged(e.to_string()))?
            .clone(),
        Ok(other) => other.clone(),
        Err(_) => Object::Dictionary(Dictionary::new()),
    };
    let mut copied = HashMap::new();
    let resources = copy(&source, &resources, update, &mut copied);
    let mut form = Stream::new(
        Dictionary::from_iter([
            ("Type", Object::Name(b"XObject".to_vec())),
            ("Subtype", Object::Name(b"Form".to_vec())),
            (
                "BBox",
                Object::Array(vec![0.into(), 0.into(), size.0.into(), size.1.into()]),
            ),
            ("Resources", resources),
        ]),
        content,
    );
    let _ = form.compress();
    let id = update.reserve();
    update.set(id, Object::Stream(form));
    Ok(id)
}

/// A deep copy of `object` from `source` into the update, each referenced object given a new
/// number once (a page's `/Parent` is not followed).
fn copy(
    source: &lopdf::Document,
    object: &Object,
    update: &mut Update,
    copied: &mut HashMap<ObjectId, ObjectId>,
) -> Object {
    match object {
        Object::Reference(id) => {
            if let Some(new) = copied.get(id) {
                return Object::Reference(*new);
            }
            let new = update.reserve();
            copied.insert(*id, new);
            let inner = source.get_object(*id).cloned().unwrap_or(Object::Null);
            let inner = copy(source, &inner, update, copied);
            update.set(new, inner);
            Object::Reference(new)
        }
        Object::Array(items) => Object::Array(
            items
                .iter()
                .map(|item| copy(source, item, update, copied))
                .collect(),
        ),
        Object::Dictionary(dict) => Object::Dictionary(copy_dict(source, dict, update, copied)),
        Object::Stream(stream) => {
            let dict = copy_dict(source, &stream.dict, update, copied);
            let mut new = Stream::new(dict, stream.content.clone());
            new.allows_compression = false;
            Object::Stream(new)
        }
        other => other.clone(),
    }
}

fn copy_dict(
    source: &lopdf::Document,
    dict: &Dictionary,
    update: &mut Update,
    copied: &mut HashMap<ObjectId, ObjectId>,
) -> Dictionary {
    dict.iter()
        .filter(|(key, _)| key.as_slice() != b"Parent")
        .map(|(key, value)| (key.clone(), copy(source, value, update, copied)))
        .collect()
}
