//! The visible appearance of a signature, in Swedish: "Signerad elektroniskt av <namn>" and the
//! date and time, laid out by Typst with the embedded font on a page the size of the field, so
//! that the signed PDF's new text has its font embedded with widths that agree with it.

use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::render::world::{LexWorld, Templates};

/// The stamp's template: the signer's name and the time come as data, never as code.
const STAMP: &str = r#"#let d = json("data.json")
#set document(date: datetime(year: d.date.at(0), month: d.date.at(1), day: d.date.at(2)))
#set page(width: d.width * 1pt, height: d.height * 1pt, margin: (x: 2pt, y: 1pt), fill: none)
#set text(font: "Liberation Sans", size: d.size * 1pt, lang: "sv", region: "se", hyphenate: false)
#set par(leading: 0.3em, spacing: 0.3em)
#align(horizon)[
  #text(weight: "bold")[Signerad elektroniskt av] \
  #d.name \
  #d.time
]
"#;

/// A one-page PDF of the stamp, `width` × `height` points, naming `name` at `time`; PDF/A-1b
/// or PDF/A-2b as the document it goes into (`part_one`).
pub fn stamp(
    name: &str,
    time: &str,
    date: (i32, u32, u32),
    width: f32,
    height: f32,
    part_one: bool,
) -> Result<Vec<u8>, String> {
    // Three lines in the field's height, never larger than 9 pt nor smaller than 4 pt.
    let size = (height / 3.9).clamp(4.0, 9.0);
    let data = serde_json::json!({
        "name": name,
        "time": time,
        "width": width,
        "height": height,
        "size": size,
        "date": [date.0, date.1, date.2],
    });
    let world = LexWorld::new(
        Templates::from_files([("main.typ".to_string(), STAMP.to_string())]),
        serde_json::to_vec(&data).map_err(|e| e.to_string())?,
        Vec::new(),
    );
    let document: PagedDocument = typst::compile(&world).output.map_err(|e| {
        format!(
            "stämpeln kunde inte sättas: {:?}",
            e.first().map(|d| &d.message)
        )
    })?;
    let standard = if part_one {
        PdfStandard::A_1b
    } else {
        PdfStandard::A_2b
    };
    let options = PdfOptions {
        standards: PdfStandards::new(&[standard]).map_err(|e| e.message().to_string())?,
        tagged: false,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|e| {
        format!(
            "stämpeln kunde inte göras: {:?}",
            e.first().map(|d| &d.message)
        )
    })
}
