//! Signature fields: one per signature line, where the line is, with PDF/A and tagging intact.

use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::{Dictionary, Object, dictionary};

use crate::common::*;

/// Renders the documents of a case with extra arguments into a fresh folder; returns the folder.
fn render_into(case: &Path, extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap().to_string();
    let mut args = vec!["render", case.to_str().unwrap(), "--out", &out];
    args.extend_from_slice(extra);
    let output = lexsarah(dir.path(), &args);
    assert!(output.status.success(), "{}", stderr(&output));
    dir
}

/// A signature field read back: name, page number and rectangle.
#[derive(Debug)]
struct Field {
    name: String,
    page: u32,
    rect: Vec<f32>,
    widget: Dictionary,
    id: lopdf::ObjectId,
}

/// The fields of the AcroForm, in its order.
fn fields(pdf: &[u8]) -> Vec<Field> {
    let doc = parse_pdf(pdf);
    let pages: std::collections::BTreeMap<_, _> =
        doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let Ok(acroform) = doc.catalog().unwrap().get(b"AcroForm") else {
        return Vec::new();
    };
    let acroform = acroform.as_dict().expect("AcroForm is a dictionary");
    assert!(
        !acroform.has(b"NeedAppearances"),
        "PDF/A forbids NeedAppearances"
    );
    acroform
        .get(b"Fields")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let id = r.as_reference().unwrap();
            let widget = doc.get_dictionary(id).unwrap().clone();
            let page_id = widget.get(b"P").unwrap().as_reference().unwrap();
            let page = doc.get_dictionary(page_id).unwrap();
            let annots = page.get(b"Annots").unwrap().as_array().unwrap();
            assert!(annots.contains(r), "the page lists the widget");
            Field {
                name: String::from_utf8(widget.get(b"T").unwrap().as_str().unwrap().to_vec())
                    .unwrap(),
                page: pages[&page_id],
                rect: widget
                    .get(b"Rect")
                    .unwrap()
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_float().unwrap())
                    .collect(),
                widget,
                id,
            }
        })
        .collect()
}

fn names(fields: &[Field]) -> Vec<&str> {
    fields.iter().map(|f| f.name.as_str()).collect()
}

fn beslut_pdf(dir: &Path) -> PathBuf {
    dir.join("AMN-2019-0746-1.3-beslut.pdf")
}

#[test]
fn the_beslut_has_one_field_over_its_signature_line() {
    let dir = render_into(&stockholm_example(), &["--doc", "beslut"]);
    let path = beslut_pdf(dir.path());
    let pdf = std::fs::read(&path).unwrap();
    let fields = fields(&pdf);
    assert_eq!(names(&fields), ["Underskrift_beslutsfattare"]);
    let field = &fields[0];
    assert_eq!(field.page, 1);
    let [left, bottom, right, top] = field.rect[..] else {
        panic!("a rectangle has four numbers")
    };
    // The line's area is 14 mm tall (beslut.typ) and half the text width wide.
    assert!(
        (top - bottom - 14.0 * 72.0 / 25.4).abs() < 0.1,
        "{:?}",
        field.rect
    );
    assert!(right - left > 150.0, "{:?}", field.rect);
    // The label printed under the line starts where the field does, just below its bottom edge.
    if have("pdftotext") {
        let words = word_boxes(&path, 1).unwrap();
        let (_, x, y, height) = words
            .iter()
            .find(|(w, ..)| w == "Underskrift")
            .expect("the label is on the page");
        let line = height - bottom;
        assert!((x - left).abs() < 0.5, "label at {x}, field at {left}");
        assert!(*y > line && *y < line + 8.0, "label at {y}, line at {line}");
    }
}

#[test]
fn each_field_is_a_printed_signature_widget_with_an_appearance_and_no_action() {
    let dir = render_into(&stockholm_example(), &["--doc", "beslut"]);
    let pdf = std::fs::read(beslut_pdf(dir.path())).unwrap();
    let doc = parse_pdf(&pdf);
    for field in fields(&pdf) {
        let w = &field.widget;
        assert_eq!(w.get(b"FT").unwrap().as_name().unwrap(), b"Sig");
        assert_eq!(w.get(b"Subtype").unwrap().as_name().unwrap(), b"Widget");
        let flags = w.get(b"F").unwrap().as_i64().unwrap();
        assert_eq!(flags & 4, 4, "Print is set");
        assert_eq!(flags & (2 | 32), 0, "Hidden and NoView are clear");
        assert!(!w.has(b"A") && !w.has(b"AA") && !w.has(b"V"));
        let ap = w.get(b"AP").unwrap().as_dict().unwrap();
        let normal = ap.get(b"N").unwrap().as_reference().unwrap();
        let stream = doc.get_object(normal).unwrap().as_stream().unwrap();
        assert_eq!(
            stream.dict.get(b"Subtype").unwrap().as_name().unwrap(),
            b"Form"
        );
        assert!(w.has(b"TU"), "a description for screen readers");
    }
}

#[test]
fn the_fields_are_an_incremental_update_after_the_bytes_typst_wrote() {
    let with = render_into(&stockholm_example(), &["--doc", "beslut"]);
    let without = render_into(
        &stockholm_example(),
        &["--doc", "beslut", "--no-signature-fields"],
    );
    let with = std::fs::read(beslut_pdf(with.path())).unwrap();
    let without = std::fs::read(beslut_pdf(without.path())).unwrap();
    assert!(fields(&without).is_empty());
    assert!(!String::from_utf8_lossy(&without).contains("/AcroForm"));
    assert!(
        with.starts_with(&without),
        "Typst's bytes are kept as they are"
    );
    assert!(with.ends_with(b"%%EOF"), "nothing after the last %%EOF");
    let xmp = xmp(&with);
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
    assert!(xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
}

#[test]
fn the_tjansteskrivelse_has_one_field_per_undertecknare_in_order() {
    let source = std::fs::read_to_string(example("mjolby-borttappade-handlingar.yaml")).unwrap();
    let two = source.replace(
        "      befattning: Biträdande förvaltningschef\n",
        "      befattning: Biträdande förvaltningschef\n    - namn: Olle Påhlsson\n      befattning: Förvaltningschef\n",
    );
    assert_ne!(two, source, "the example has one undertecknare to add to");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("arende.yaml"), two).unwrap();
    let output = lexsarah(
        dir.path(),
        &["render", "arende.yaml", "--doc", "tjansteskrivelse"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = std::fs::read(dir.path().join("2021-ASN-0026-tjansteskrivelse.pdf")).unwrap();
    let fields = fields(&pdf);
    assert_eq!(
        names(&fields),
        ["Underskrift_undertecknare_1", "Underskrift_undertecknare_2"]
    );
    let (a, b) = (&fields[0], &fields[1]);
    assert!(
        (b.page, -b.rect[1]) > (a.page, -a.rect[1]),
        "the second line comes after the first: {a:?} {b:?}"
    );
}

#[test]
fn the_rapport_has_the_rapportors_field_and_the_ej_utredning_one_only_when_taken() {
    let dir = render_into(
        &example("stockholm-funktionsbrevlada.yaml"),
        &["--doc", "rapport"],
    );
    let pdf = std::fs::read(find_pdf(dir.path(), "rapport")).unwrap();
    assert_eq!(names(&fields(&pdf)), ["Underskrift_rapportor"]);

    let source = std::fs::read_to_string(example("stockholm-funktionsbrevlada.yaml")).unwrap();
    let with = source.replacen(
        "rapport:\n",
        "rapport:\n  ej_utredning:\n    datum: 2020-03-02\n    namn: Linnea Berg\n",
        1,
    );
    let case = dir.path().join("ej.yaml");
    std::fs::write(&case, with).unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = lexsarah(
        dir.path(),
        &[
            "render",
            "ej.yaml",
            "--doc",
            "rapport",
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = std::fs::read(find_pdf(out.path(), "rapport")).unwrap();
    assert_eq!(
        names(&fields(&pdf)),
        ["Underskrift_rapportor", "Underskrift_ej_utredning"]
    );
}

/// The one PDF in a folder whose name ends with `-<doc>.pdf`.
fn find_pdf(dir: &Path, doc: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(&format!("-{doc}.pdf")))
        .unwrap_or_else(|| panic!("no {doc} PDF in {}", dir.display()))
}

#[test]
fn each_widget_is_tagged_as_a_form_element_its_struct_parent_points_at() {
    for standards in ["a-2b", "a-2a,ua-1"] {
        let dir = render_into(
            &stockholm_example(),
            &["--doc", "beslut", "--pdf-standard", standards],
        );
        let pdf = std::fs::read(beslut_pdf(dir.path())).unwrap();
        let doc = parse_pdf(&pdf);
        let root_id = doc
            .catalog()
            .unwrap()
            .get(b"StructTreeRoot")
            .unwrap()
            .as_reference()
            .unwrap();
        let root = doc.get_dictionary(root_id).unwrap();
        let nums = root
            .get(b"ParentTree")
            .unwrap()
            .as_dict()
            .unwrap()
            .get(b"Nums")
            .unwrap()
            .as_array()
            .unwrap();
        for field in fields(&pdf) {
            let key = field.widget.get(b"StructParent").unwrap().as_i64().unwrap();
            let at = nums
                .chunks(2)
                .find(|pair| pair[0].as_i64().unwrap() == key)
                .expect("the parent tree has the key");
            let form = doc.get_dictionary(at[1].as_reference().unwrap()).unwrap();
            assert_eq!(form.get(b"S").unwrap().as_name().unwrap(), b"Form");
            let objr = form.get(b"K").unwrap().as_dict().unwrap();
            assert_eq!(objr.get(b"Obj").unwrap().as_reference().unwrap(), field.id);
            let parent = doc
                .get_dictionary(form.get(b"P").unwrap().as_reference().unwrap())
                .unwrap();
            let kids = parent.get(b"K").unwrap().as_array().unwrap();
            assert!(kids.contains(&Object::Reference(at[1].as_reference().unwrap())));
            assert!(
                key < root.get(b"ParentTreeNextKey").unwrap().as_i64().unwrap(),
                "the next key is past the widget's"
            );
            let page = doc
                .get_dictionary(field.widget.get(b"P").unwrap().as_reference().unwrap())
                .unwrap();
            assert_eq!(page.get(b"Tabs").unwrap().as_name().unwrap(), b"S");
        }
    }
}

#[test]
fn qpdf_finds_no_fault_in_any_document_with_fields() {
    if !have("qpdf") {
        return;
    }
    let dir = render_into(&example("mjolby-borttappade-handlingar.yaml"), &[]);
    let mut checked = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let output = Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&output.stdout)
        );
        checked += 1;
    }
    assert_eq!(checked, 6);
}

#[test]
fn pyhanko_signs_the_beslut_field_and_finds_the_signature_intact() {
    if !have("pyhanko") || !have("openssl") {
        return;
    }
    let dir = render_into(&stockholm_example(), &["--doc", "beslut"]);
    let run = |program: &str, args: &[&str]| run_tool(dir.path(), program, args);
    // A throwaway self-signed certificate for an invented signer.
    run(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Testa Testsson",
        ],
    );
    run(
        "pyhanko",
        &[
            "sign",
            "addsig",
            "--field",
            "Underskrift_beslutsfattare",
            "pemder",
            "--key",
            "key.pem",
            "--cert",
            "cert.pem",
            "--no-pass",
            "AMN-2019-0746-1.3-beslut.pdf",
            "signed.pdf",
        ],
    );
    let report = run(
        "pyhanko",
        &[
            "sign",
            "validate",
            "--trust-replace",
            "--trust",
            "cert.pem",
            "signed.pdf",
        ],
    );
    assert!(
        report.contains("Underskrift_beslutsfattare") && report.contains("INTACT:TRUSTED"),
        "{report}"
    );
    // What the README says of PDF/A after signing holds: the unsigned beslut passes PDF/A-2b in
    // the outside validator, the one pyHanko signed does not (its stamp and its XMP). Should a
    // pyHanko release keep PDF/A, this fails, and the README's recipe can say so.
    let compliant = |file: &str| {
        let script =
            "import sys, page; print(page.validate_pdf(sys.argv[1], profile='2b').is_compliant)";
        Command::new("python3")
            .args(["-c", script, file])
            .current_dir(dir.path())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "True")
    };
    if let (Some(unsigned), Some(signed)) = (
        compliant("AMN-2019-0746-1.3-beslut.pdf"),
        compliant("signed.pdf"),
    ) {
        assert!(unsigned, "the unsigned beslut is PDF/A-2b");
        assert!(
            !signed,
            "pyHanko now keeps PDF/A: update the README's signing section"
        );
    } else {
        assert!(
            !tools_required(),
            "page-validation is required (LEXSARAH_REQUIRE_TOOLS)"
        );
    }

    // pyHanko filled our field rather than adding one of its own.
    let signed = std::fs::read(dir.path().join("signed.pdf")).unwrap();
    assert_eq!(names(&fields(&signed)), ["Underskrift_beslutsfattare"]);

    // Re-rendering over the signed beslut is refused; the signature survives.
    std::fs::copy(
        dir.path().join("signed.pdf"),
        dir.path().join("AMN-2019-0746-1.3-beslut.pdf"),
    )
    .unwrap();
    let case = stockholm_example();
    let again = lexsarah(
        dir.path(),
        &[
            "render",
            case.to_str().unwrap(),
            "--doc",
            "beslut",
            "--out",
            ".",
        ],
    );
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("har signerats"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read(dir.path().join("AMN-2019-0746-1.3-beslut.pdf")).unwrap(),
        signed
    );
}

/// A copy of a PDF with a signature dictionary added, as a signer's update adds one.
fn with_signature(pdf: &[u8]) -> Vec<u8> {
    let mut document = parse_pdf(pdf);
    document.add_object(dictionary! {
        "Type" => "Sig",
        "Filter" => "Adobe.PPKLite",
        "SubFilter" => "ETSI.CAdES.detached",
        "ByteRange" => vec![0.into(), 100.into(), 200.into(), 300.into()],
        "Contents" => Object::String(vec![0; 32], lopdf::StringFormat::Hexadecimal),
    });
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn a_signed_pdf_is_never_overwritten_without_force_but_an_unsigned_one_is() {
    let dir = render_into(&stockholm_example(), &[]);
    let case = stockholm_example();
    let render = |extra: &[&str]| {
        let mut args = vec!["render", case.to_str().unwrap(), "--out", "."];
        args.extend_from_slice(extra);
        lexsarah(dir.path(), &args)
    };
    let beslut = beslut_pdf(dir.path());
    let rapport = dir.path().join("AMN-2019-0746-1.3-rapport.pdf");
    let fresh = std::fs::read(&beslut).unwrap();

    // The edit loop: an unsigned PDF from an earlier run is simply replaced.
    std::fs::write(&rapport, b"an earlier, unsigned draft").unwrap();
    assert!(render(&[]).status.success());
    assert_ne!(
        std::fs::read(&rapport).unwrap(),
        b"an earlier, unsigned draft"
    );

    // Signed since: refused, and nothing of the case is written, not even its other documents.
    let signed = with_signature(&fresh);
    std::fs::write(&beslut, &signed).unwrap();
    std::fs::write(&rapport, b"an earlier, unsigned draft").unwrap();
    let refused = render(&[]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(
        message.contains("AMN-2019-0746-1.3-beslut.pdf har signerats"),
        "{message}"
    );
    assert!(message.contains("--force"), "{message}");
    assert_eq!(std::fs::read(&beslut).unwrap(), signed);
    assert_eq!(
        std::fs::read(&rapport).unwrap(),
        b"an earlier, unsigned draft"
    );

    // With --force the user has said the signed one may go.
    let forced = render(&["--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(std::fs::read(&beslut).unwrap(), fresh);

    // In a batch archive, a signed PDF is refused with its own rule.
    let cases = dir.path().join("in");
    std::fs::create_dir(&cases).unwrap();
    std::fs::copy(&case, cases.join("a.yaml")).unwrap();
    let archive = |extra: &[&str]| {
        let mut args = vec!["batch", "in", "--out", "arkiv"];
        args.extend_from_slice(extra);
        lexsarah(dir.path(), &args)
    };
    assert!(archive(&[]).status.success());
    let archived = dir
        .path()
        .join("arkiv/AMN-2019-0746-1.3/AMN-2019-0746-1.3-beslut.pdf");
    std::fs::write(&archived, &signed).unwrap();
    let refused = archive(&[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("signerad-pdf"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(std::fs::read(&archived).unwrap(), signed);
}

#[test]
fn where_each_signature_line_is_is_written_for_a_signing_service() {
    let dir = render_into(
        &stockholm_example(),
        &["--doc", "beslut", "--underskriftsfalt"],
    );
    let places: Vec<serde_json::Value> = serde_json::from_slice(
        &std::fs::read(
            dir.path()
                .join("AMN-2019-0746-1.3-beslut.underskriftsfalt.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let field = &fields(&std::fs::read(beslut_pdf(dir.path())).unwrap())[0];
    assert_eq!(places.len(), 1);
    let p = &places[0];
    assert_eq!(p["namn"], "Underskrift_beslutsfattare");
    assert_eq!(p["sida"], field.page);
    let number = |key: &str| p[key].as_f64().unwrap() as f32;
    assert!((number("x") - field.rect[0]).abs() < 0.01, "{p}");
    assert!((number("y") - field.rect[1]).abs() < 0.01, "{p}");
    assert!(
        (number("bredd") - (field.rect[2] - field.rect[0])).abs() < 0.02,
        "{p}"
    );
    assert!(
        (number("hojd") - (field.rect[3] - field.rect[1])).abs() < 0.02,
        "{p}"
    );

    // A batch's manifest.json says the same for each PDF.
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("arenden")).unwrap();
    std::fs::copy(stockholm_example(), root.path().join("arenden/a.yaml")).unwrap();
    assert!(
        lexsarah(root.path(), &["batch", "arenden", "--out", "arkiv"])
            .status
            .success()
    );
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(root.path().join("arkiv/manifest.json")).unwrap())
            .unwrap();
    let beslut = rows
        .iter()
        .find(|r| r["fil"].as_str().unwrap().ends_with("-beslut.pdf"))
        .unwrap();
    assert_eq!(beslut["underskriftsfalt"][0], *p);
    let utredning = rows
        .iter()
        .find(|r| r["fil"].as_str().unwrap().ends_with("-utredning.pdf"))
        .unwrap();
    assert!(
        utredning.get("underskriftsfalt").is_none(),
        "the utredning is not signed"
    );
}

#[test]
fn a_profile_can_leave_out_the_empty_fields_for_a_signing_service_that_refuses_forms() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["arende.yaml", "logga.svg"] {
        std::fs::copy(example("lindbacka").join(name), dir.path().join(name)).unwrap();
    }
    let profile = std::fs::read_to_string(example("lindbacka/profil.yaml")).unwrap();
    std::fs::write(
        dir.path().join("profil.yaml"),
        format!("{profile}underskriftsfalt: false\n"),
    )
    .unwrap();
    let output = lexsarah(dir.path(), &["render", "arende.yaml", "--underskriftsfalt"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = std::fs::read(dir.path().join("VON-2024-0117-rapport.pdf")).unwrap();
    assert!(fields(&pdf).is_empty(), "no form");
    let places = std::fs::read_to_string(
        dir.path()
            .join("VON-2024-0117-rapport.underskriftsfalt.json"),
    )
    .unwrap();
    assert!(
        places.contains("Underskrift_rapportor"),
        "the line is still told: {places}"
    );
}
