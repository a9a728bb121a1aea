//! `lexsarah sign` and `verify` (issue 24), judged from outside: keys from OpenSSL (PKCS#12) and
//! from a SoftHSM2 token (PKCS#11), pyHanko's validator for each signature, the page validator
//! for PDF/A and PDF/UA after signing, and qpdf for the file's structure.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// The passphrase of every test key (an environment variable, as `--pin-env` reads it).
const PASS: &str = "hemligt-1234";

/// Makes `<name>.p12` (and `<name>.pem`, the certificate) with OpenSSL: a self-signed
/// certificate for `subject` with a new key (`rsa:2048` or `ec`).
pub(crate) fn p12(dir: &Path, name: &str, subject: &str, key: &str) {
    let mut args = vec!["req", "-x509", "-newkey", key];
    if key == "ec" {
        args.extend(["-pkeyopt", "ec_paramgen_curve:P-256"]);
    }
    let (key_file, cert_file) = (format!("{name}.key"), format!("{name}.pem"));
    args.extend([
        "-nodes", "-keyout", &key_file, "-out", &cert_file, "-days", "30", "-subj", subject,
    ]);
    run_tool(dir, "openssl", &args);
    let pass = format!("pass:{PASS}");
    let out = format!("{name}.p12");
    run_tool(
        dir,
        "openssl",
        &[
            "pkcs12", "-export", "-inkey", &key_file, "-in", &cert_file, "-out", &out, "-passout",
            &pass,
        ],
    );
}

/// `lexsarah` in `dir` with the passphrase in `LEXSARAH_TEST_PASS`.
fn lexsarah_signing(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lexsarah"))
        .args(args)
        .current_dir(dir)
        .env("LEXSARAH_TEST_PASS", PASS)
        .env("LEXSARAH_FEL_PIN", "000000")
        .output()
        .unwrap()
}

/// Signs `pdf`'s `field` with `<key>.p12` into `out`.
pub(crate) fn sign(
    dir: &Path,
    pdf: &str,
    field: &str,
    key: &str,
    out: &str,
) -> std::process::Output {
    let p12 = format!("{key}.p12");
    lexsarah_signing(
        dir,
        &[
            "sign",
            pdf,
            "--field",
            field,
            "--p12",
            &p12,
            "--pin-env",
            "LEXSARAH_TEST_PASS",
            "--out",
            out,
        ],
    )
}

/// pyHanko's verdict on every signature of `pdf`, trusting the given certificates.
fn pyhanko(dir: &Path, pdf: &str, trust: &[&str]) -> String {
    let mut args = vec!["sign", "validate", "--trust-replace"];
    for t in trust {
        args.extend(["--trust", t]);
    }
    args.push(pdf);
    run_tool(dir, "pyhanko", &args)
}

/// Renders the Mjölby example's documents into a new folder (with extra options).
fn rendered(extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let case = example("mjolby-borttappade-handlingar.yaml");
    let mut args = vec!["render", case.to_str().unwrap(), "--out", "."];
    args.extend_from_slice(extra);
    let output = lexsarah(dir.path(), &args);
    assert!(output.status.success(), "{}", stderr(&output));
    dir
}

/// The Mjölby beslut rendered (with the extra options) and signed with a new RSA key from
/// OpenSSL into `signerad.pdf`.
fn signed_beslut(extra: &[&str]) -> tempfile::TempDir {
    let mut options = vec!["--doc", "beslut"];
    options.extend_from_slice(extra);
    let dir = rendered(&options);
    p12(dir.path(), "eva", "/CN=Eva Exempel", "rsa:2048");
    let output = sign(
        dir.path(),
        "2021-ASN-0026-beslut.pdf",
        "Underskrift_beslutsfattare",
        "eva",
        "signerad.pdf",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    dir
}

/// What the page validator finds, less the false findings README names: the stream-length
/// finding on a stream ending in CR, and, in a PDF with more than one signature, the
/// byte-range finding that no earlier signature can meet (it covers its own revision).
fn pdf_findings(pdf: &Path, profile: &str, signatures: usize) -> Option<Vec<String>> {
    let findings = page_validator(pdf, profile)?;
    Some(
        findings
            .into_iter()
            .filter(|id| !id.ends_with("STREAM-LENGTH-001"))
            .filter(|id| !(signatures > 1 && id.ends_with("SIGNATURE-BYTERANGE-001")))
            .collect(),
    )
}

/// The signed attributes of the only signature in `pdf`, read with the `cms` crate: their
/// object identifiers, and the signing-certificate-v2's certificate hash.
fn signed_attributes(pdf: &[u8]) -> (Vec<String>, Vec<u8>) {
    let document = lopdf::Document::load_mem(pdf).unwrap();
    let contents = document
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .find(|d| d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Sig".as_slice()))
        .and_then(|d| d.get(b"Contents").ok())
        .and_then(|c| c.as_str().ok())
        .unwrap()
        .to_vec();
    let mut reader = der::SliceReader::new(&contents).unwrap();
    let info: cms::content_info::ContentInfo = der::Decode::decode(&mut reader).unwrap();
    let signed: cms::signed_data::SignedData = info.content.decode_as().unwrap();
    let signer = signed.signer_infos.0.iter().next().unwrap();
    assert_eq!(signer.digest_alg.oid.to_string(), "2.16.840.1.101.3.4.2.1");
    let attributes = signer.signed_attrs.as_ref().unwrap();
    let oids = attributes.iter().map(|a| a.oid.to_string()).collect();
    let v2 = attributes
        .iter()
        .find(|a| a.oid.to_string() == "1.2.840.113549.1.9.16.2.47")
        .unwrap();
    // SigningCertificateV2 (RFC 5035), its ESSCertIDv2 with the default hash left out.
    #[derive(der::Sequence)]
    struct EssCertIdV2 {
        cert_hash: der::asn1::OctetString,
    }
    #[derive(der::Sequence)]
    struct SigningCertificateV2 {
        certs: Vec<EssCertIdV2>,
    }
    let value: SigningCertificateV2 = v2.values.iter().next().unwrap().decode_as().unwrap();
    let hash = &value.certs[0].cert_hash;
    (oids, hash.as_bytes().to_vec())
}

/// The text of a signed field's visible appearance (its `/AP /N` stream), decoded through its
/// font's ToUnicode map: what a reader sees in the field.
fn appearance_text(pdf: &[u8], field: &str) -> String {
    let document = lopdf::Document::load_mem(pdf).unwrap();
    let widget = document
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .find(|d| {
            d.get(b"T")
                .and_then(|t| t.as_str())
                .is_ok_and(|t| t == field.as_bytes())
        })
        .unwrap();
    let deref = |o: &lopdf::Object| match o {
        lopdf::Object::Reference(id) => document.get_object(*id).unwrap().clone(),
        other => other.clone(),
    };
    let ap = deref(widget.get(b"AP").unwrap());
    let normal = deref(ap.as_dict().unwrap().get(b"N").unwrap());
    let stream = normal.as_stream().unwrap();
    let content = stream
        .decompressed_content()
        .unwrap_or(stream.content.clone());
    let resources = deref(stream.dict.get(b"Resources").unwrap());
    let fonts = deref(resources.as_dict().unwrap().get(b"Font").unwrap());
    // Each font's codes (two bytes, Identity-H) to text, from its ToUnicode CMap.
    let mut maps: std::collections::HashMap<Vec<u8>, std::collections::HashMap<u16, String>> =
        std::collections::HashMap::new();
    let hex = |h: &str| u32::from_str_radix(h, 16).unwrap_or(0);
    let utf16 = |h: &str| {
        let units: Vec<u16> = h
            .as_bytes()
            .chunks(4)
            .filter_map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
            .collect();
        String::from_utf16_lossy(&units)
    };
    for (name, font) in fonts.as_dict().unwrap().iter() {
        let font = deref(font);
        let cmap = deref(font.as_dict().unwrap().get(b"ToUnicode").unwrap());
        let cmap = cmap.as_stream().unwrap();
        let text =
            String::from_utf8_lossy(&cmap.decompressed_content().unwrap_or(cmap.content.clone()))
                .into_owned();
        let mut map = std::collections::HashMap::new();
        let mut mode = "";
        for line in text.lines() {
            if line.contains("beginbfchar") {
                mode = "char";
                continue;
            }
            if line.contains("beginbfrange") {
                mode = "range";
                continue;
            }
            if line.contains("endbf") {
                mode = "";
                continue;
            }
            let parts: Vec<&str> = line
                .split(['<', '>'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            match (mode, parts.as_slice()) {
                ("char", [code, unicode]) => {
                    map.insert(hex(code) as u16, utf16(unicode));
                }
                ("range", [from, to, unicode]) => {
                    let start = hex(unicode);
                    for (i, code) in (hex(from)..=hex(to)).enumerate() {
                        let c = char::from_u32(start + i as u32).unwrap_or('?');
                        map.insert(code as u16, c.to_string());
                    }
                }
                _ => {}
            }
        }
        maps.insert(name.clone(), map);
    }
    // Walk the content: the font set by `Tf`, the strings shown by `Tj` and `TJ`.
    let bytes = content;
    let mut out = String::new();
    let mut font: Vec<u8> = Vec::new();
    let mut i = 0;
    let mut last_name: Vec<u8> = Vec::new();
    while i < bytes.len() {
        match bytes[i] {
            b'/' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && !b" /[]()<>\n\r".contains(&bytes[i]) {
                    i += 1;
                }
                last_name = bytes[start..i].to_vec();
                continue;
            }
            b'T' if bytes.get(i + 1) == Some(&b'f') => font = last_name.clone(),
            b'(' => {
                let mut raw = Vec::new();
                let mut depth = 1;
                i += 1;
                while i < bytes.len() && depth > 0 {
                    match bytes[i] {
                        b'\\' => {
                            i += 1;
                            match bytes.get(i) {
                                Some(b'n') => raw.push(b'\n'),
                                Some(b'r') => raw.push(b'\r'),
                                Some(b't') => raw.push(b'\t'),
                                Some(b'b') => raw.push(8),
                                Some(b'f') => raw.push(12),
                                Some(d) if d.is_ascii_digit() => {
                                    let mut value = 0u32;
                                    let mut n = 0;
                                    while n < 3 && i < bytes.len() && bytes[i].is_ascii_digit() {
                                        value = value * 8 + u32::from(bytes[i] - b'0');
                                        i += 1;
                                        n += 1;
                                    }
                                    raw.push(value as u8);
                                    continue;
                                }
                                Some(&other) => raw.push(other),
                                None => {}
                            }
                        }
                        b'(' => {
                            depth += 1;
                            raw.push(b'(');
                        }
                        b')' => {
                            depth -= 1;
                            if depth > 0 {
                                raw.push(b')');
                            }
                        }
                        other => raw.push(other),
                    }
                    i += 1;
                }
                let map = maps.get(&font);
                for pair in raw.chunks(2) {
                    if let [a, b] = pair {
                        let code = u16::from_be_bytes([*a, *b]);
                        out.push_str(map.and_then(|m| m.get(&code)).map_or("", String::as_str));
                    }
                }
                out.push(' ');
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// A certificate file's DER.
fn der_of(pem: &Path) -> Vec<u8> {
    let text = std::fs::read_to_string(pem).unwrap();
    der::pem::decode_vec(text.as_bytes()).unwrap().1
}

#[test]
fn a_beslut_signed_with_an_openssl_pkcs12_key_is_intact_pades_b_b_and_still_pdfa() {
    if !have("openssl") || !have("pyhanko") || !have("qpdf") {
        return;
    }
    for (key, name) in [("rsa:2048", "eva"), ("ec", "olle")] {
        let dir = rendered(&["--doc", "beslut"]);
        p12(dir.path(), name, "/CN=Eva Exempel/O=Exempel kommun", key);
        let output = sign(
            dir.path(),
            "2021-ASN-0026-beslut.pdf",
            "Underskrift_beslutsfattare",
            name,
            "signerad.pdf",
        );
        assert!(output.status.success(), "{key}: {}", stderr(&output));
        let signed = std::fs::read(dir.path().join("signerad.pdf")).unwrap();
        let original = std::fs::read(dir.path().join("2021-ASN-0026-beslut.pdf")).unwrap();
        assert!(
            signed.starts_with(&original),
            "every earlier byte stays as it was"
        );
        let cert = format!("{name}.pem");
        let verdict = pyhanko(dir.path(), "signerad.pdf", &[&cert]);
        assert!(
            verdict.contains("Underskrift_beslutsfattare") && verdict.contains("INTACT:TRUSTED"),
            "{key}: {verdict}"
        );
        // PAdES B-B, read from the CMS itself.
        let (oids, hash) = signed_attributes(&signed);
        assert!(
            !oids.contains(&"1.2.840.113549.1.9.5".to_string()),
            "no signing-time: {oids:?}"
        );
        use sha2::Digest;
        let expected: Vec<u8> = sha2::Sha256::digest(der_of(&dir.path().join(&cert))).to_vec();
        assert_eq!(
            hash, expected,
            "signing-certificate-v2 names the certificate"
        );
        assert!(
            fold(&String::from_utf8_lossy(&signed)).contains("/SubFilter /ETSI.CAdES.detached")
        );
        if let Some(found) = pdf_findings(&dir.path().join("signerad.pdf"), "pdfa-2b", 1) {
            assert!(found.is_empty(), "{key}: PDF/A-2b after signing: {found:?}");
        }
        let check = run_tool(dir.path(), "qpdf", &["--check", "signerad.pdf"]);
        assert!(
            check.contains("No syntax or stream encoding errors"),
            "{check}"
        );
        // The stamp reads in Swedish, with the signer's name.
        let text = fold(&appearance_text(&signed, "Underskrift_beslutsfattare"));
        assert!(
            text.contains("Signerad") && text.contains("elektroniskt") && text.contains("Eva"),
            "{text}"
        );
        let verified = lexsarah(dir.path(), &["verify", "signerad.pdf"]);
        assert_eq!(verified.status.code(), Some(0), "{}", stdout(&verified));
        assert!(stdout(&verified).contains("PAdES B-B"));
        assert!(stdout(&verified).contains("inte kontrollerade mot något förtroendeankare"));
    }
}

#[test]
fn a_tjansteskrivelse_signed_twice_keeps_both_signatures_and_its_pdf_ua() {
    if !have("openssl") || !have("pyhanko") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(example("mjolby-borttappade-handlingar.yaml"))
        .unwrap()
        .replace(
            "      befattning: Biträdande förvaltningschef\n  sammanfattning",
            "      befattning: Biträdande förvaltningschef\n    - namn: Per Exempel\n      befattning: Avdelningschef\n  sammanfattning",
        );
    assert!(yaml.contains("Per Exempel"), "a second undertecknare");
    write_case(dir.path(), "fall.yaml", &yaml);
    let output = lexsarah(
        dir.path(),
        &[
            "render",
            "fall.yaml",
            "--doc",
            "tjansteskrivelse",
            "--out",
            ".",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    p12(dir.path(), "eva", "/CN=Eva Exempel", "rsa:2048");
    p12(dir.path(), "per", "/CN=Per Exempel", "ec");
    let pdf = "2021-ASN-0026-tjansteskrivelse.pdf";
    let first = sign(
        dir.path(),
        pdf,
        "Underskrift_undertecknare_1",
        "eva",
        "en.pdf",
    );
    assert!(first.status.success(), "{}", stderr(&first));
    let second = sign(
        dir.path(),
        "en.pdf",
        "Underskrift_undertecknare_2",
        "per",
        "tva.pdf",
    );
    assert!(second.status.success(), "{}", stderr(&second));
    let verdict = pyhanko(dir.path(), "tva.pdf", &["eva.pem", "per.pem"]);
    assert!(
        verdict.contains("Underskrift_undertecknare_1")
            && verdict.contains("Underskrift_undertecknare_2"),
        "{verdict}"
    );
    assert_eq!(verdict.matches("INTACT:TRUSTED").count(), 2, "{verdict}");
    let verified = lexsarah(dir.path(), &["verify", "tva.pdf", "--format", "json"]);
    assert_eq!(verified.status.code(), Some(0), "{}", stdout(&verified));
    let report: serde_json::Value = serde_json::from_str(&stdout(&verified)).unwrap();
    let signatures = report[0]["signatures"].as_array().unwrap();
    assert_eq!(signatures.len(), 2);
    assert_eq!(signatures[0]["holds"], true);
    let after: Vec<&str> = signatures[0]["changes_after"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["what"].as_str().unwrap())
        .collect();
    assert!(after.contains(&"en senare signatur"), "{after:?}");
    assert!(
        signatures[0]["changes_after"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["allowed"] == true)
    );
    assert_eq!(signatures[1]["changes_after"].as_array().unwrap().len(), 0);
    for profile in ["pdfa-2a", "pdfua-1"] {
        if let Some(found) = pdf_findings(&dir.path().join("tva.pdf"), profile, 2) {
            assert!(
                found.is_empty(),
                "{profile} after two signatures: {found:?}"
            );
        }
    }
}

#[test]
fn a_pdfa_1b_document_signed_stays_pdfa_1b() {
    if !have("openssl") {
        return;
    }
    let dir = signed_beslut(&["--pdf-standard", "a-1b"]);
    if let Some(found) = pdf_findings(&dir.path().join("signerad.pdf"), "pdfa-1b", 1) {
        assert!(found.is_empty(), "PDF/A-1b after signing: {found:?}");
    }
}

#[test]
fn a_byte_changed_inside_the_signed_range_fails_verify() {
    if !have("openssl") {
        return;
    }
    let dir = signed_beslut(&[]);
    let mut bytes = std::fs::read(dir.path().join("signerad.pdf")).unwrap();
    // A byte of the first page's text: inside the first byte range.
    let at = bytes.len() / 4;
    bytes[at] ^= 0x01;
    std::fs::write(dir.path().join("andrad.pdf"), &bytes).unwrap();
    let verified = lexsarah(dir.path(), &["verify", "andrad.pdf"]);
    assert_eq!(verified.status.code(), Some(1), "{}", stdout(&verified));
    assert!(
        stdout(&verified).contains("ÄNDRAT"),
        "{}",
        stdout(&verified)
    );
    let unsigned = lexsarah(dir.path(), &["verify", "2021-ASN-0026-beslut.pdf"]);
    assert_eq!(unsigned.status.code(), Some(1), "no signature is exit 1");
    let missing = lexsarah(dir.path(), &["verify", "finns-inte.pdf"]);
    assert_eq!(missing.status.code(), Some(2));
}

/// Makes a PKCS#12 file with Python's `cryptography` (which pyHanko brings): a certificate
/// with the given serialNumber in its subject and validity (days from now), and its key.
fn crafted_p12(dir: &Path, name: &str, subject_serial: Option<&str>, days: (i64, i64)) {
    let script = format!(
        r#"
import datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
attrs = [x509.NameAttribute(NameOID.COMMON_NAME, "Eva Exempel")]
serial = "{serial}"
if serial:
    attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
name = x509.Name(attrs)
now = datetime.datetime.now(datetime.timezone.utc)
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
    .public_key(key.public_key()).serial_number(x509.random_serial_number())
    .not_valid_before(now + datetime.timedelta(days={from_days}))
    .not_valid_after(now + datetime.timedelta(days={to_days}))
    .sign(key, hashes.SHA256()))
data = pkcs12.serialize_key_and_certificates(b"eva", key, cert, None,
    serialization.BestAvailableEncryption(b"{pass_bytes}"))
open("{out}", "wb").write(data)
"#,
        serial = subject_serial.unwrap_or(""),
        from_days = days.0,
        to_days = days.1,
        pass_bytes = PASS
            .as_bytes()
            .iter()
            .map(|&b| b as char)
            .collect::<String>(),
        out = name.to_string() + ".p12",
    );
    run_tool(dir, "python3", &["-c", &script]);
}

/// A PKCS#12 file holding `key`'s key with `cert`'s certificate: a key that does not match.
fn mismatched_p12(dir: &Path, name: &str, key: &str, cert: &str) {
    let pk8 = format!("{key}.pk8.der");
    run_tool(
        dir,
        "openssl",
        &[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            &format!("{key}.key"),
            "-outform",
            "DER",
            "-out",
            &pk8,
        ],
    );
    let key_der = std::fs::read(dir.join(&pk8)).unwrap();
    let cert_der = der_of(&dir.join(format!("{cert}.pem")));
    let chain = p12_keystore::PrivateKeyChain::new(
        "nyckel",
        p12_keystore::PrivateKey::from_der(&key_der).unwrap(),
        [p12_keystore::Certificate::from_der(&cert_der).unwrap()],
    );
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry(
        "nyckel",
        p12_keystore::KeyStoreEntry::PrivateKeyChain(chain),
    );
    let bytes = store.writer(PASS).write().unwrap();
    std::fs::write(dir.join(format!("{name}.p12")), bytes).unwrap();
}

/// Whether Python's `cryptography` can be imported (required where the tools are).
fn have_cryptography() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import cryptography"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found || !tools_required(),
        "python3 with cryptography is required"
    );
    found
}

#[test]
fn every_refusal_says_what_to_do_and_writes_nothing() {
    if !have("openssl") || !have("qpdf") || !have_cryptography() {
        return;
    }
    let dir = rendered(&["--doc", "beslut", "--doc", "tjansteskrivelse"]);
    let d = dir.path();
    p12(d, "eva", "/CN=Eva Exempel", "rsa:2048");
    p12(d, "annan", "/CN=Annan Exempel", "rsa:2048");
    mismatched_p12(d, "fel-nyckel", "annan", "eva");
    crafted_p12(d, "utgangen", None, (-400, -35));
    crafted_p12(d, "framtida", None, (10, 400));
    crafted_p12(d, "pnr", Some("191212121212"), (-1, 30));
    let beslut = "2021-ASN-0026-beslut.pdf";
    let field = "Underskrift_beslutsfattare";
    run_tool(
        d,
        "qpdf",
        &["--encrypt", "a", "b", "256", "--", beslut, "krypterad.pdf"],
    );
    let bytes = std::fs::read(d.join(beslut)).unwrap();
    std::fs::write(d.join("trasig.pdf"), &bytes[..bytes.len() / 3]).unwrap();
    let signed = sign(d, beslut, field, "eva", "redan.pdf");
    assert!(signed.status.success(), "{}", stderr(&signed));
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--pin-env".into(), "LEXSARAH_FEL_PIN".into()],
            "lösenordet eller PIN-koden stämmer inte",
        ),
        (
            vec!["--field".into(), "Underskrift_fel".into()],
            "den har Underskrift_beslutsfattare",
        ),
        (
            vec!["--p12".into(), "fel-nyckel.p12".into()],
            "nyckeln hör inte till certifikatet",
        ),
        (
            vec!["--p12".into(), "utgangen.p12".into()],
            "certifikatet gäller inte nu",
        ),
        (
            vec!["--p12".into(), "framtida.p12".into()],
            "certifikatet gäller inte nu",
        ),
        (vec!["--pdf".into(), "krypterad.pdf".into()], "krypterad"),
        (vec!["--pdf".into(), "trasig.pdf".into()], "kan inte läsas"),
        (vec!["--pdf".into(), "redan.pdf".into()], "redan signerat"),
    ];
    for (change, expected) in cases {
        let mut pdf = beslut.to_string();
        let mut args: Vec<String> = vec![
            "--field".into(),
            field.into(),
            "--p12".into(),
            "eva.p12".into(),
            "--pin-env".into(),
            "LEXSARAH_TEST_PASS".into(),
        ];
        for pair in change.chunks(2) {
            if pair[0] == "--pdf" {
                pdf = pair[1].clone();
                continue;
            }
            let at = args.iter().position(|a| *a == pair[0]).unwrap();
            args[at + 1] = pair[1].clone();
        }
        let mut all = vec!["sign".to_string(), pdf, "--out".into(), "ut.pdf".into()];
        all.extend(args);
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let output = lexsarah_signing(d, &all);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{change:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(expected),
            "{change:?}: {}",
            stderr(&output)
        );
        assert!(stderr(&output).contains("tips:"), "{}", stderr(&output));
        assert!(!d.join("ut.pdf").exists(), "{change:?}: nothing is written");
    }
    // A personal certificate with a personnummer signs a published document only when told to.
    let published = [
        "sign",
        "2021-ASN-0026-tjansteskrivelse.pdf",
        "--field",
        "Underskrift_undertecknare_1",
        "--p12",
        "pnr.p12",
        "--pin-env",
        "LEXSARAH_TEST_PASS",
        "--out",
        "publicerad.pdf",
    ];
    let refused = lexsarah_signing(d, &published);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("personnummer"),
        "{}",
        stderr(&refused)
    );
    assert!(stderr(&refused).contains("--allow-personnummer"));
    assert!(!d.join("publicerad.pdf").exists());
    let mut allowed = published.to_vec();
    allowed.push("--allow-personnummer");
    let output = lexsarah_signing(d, &allowed);
    assert!(output.status.success(), "{}", stderr(&output));
    // The confidential beslut may be signed with it.
    let beslut_pnr = lexsarah_signing(
        d,
        &[
            "sign",
            beslut,
            "--field",
            field,
            "--p12",
            "pnr.p12",
            "--pin-env",
            "LEXSARAH_TEST_PASS",
            "--out",
            "beslut-pnr.pdf",
        ],
    );
    assert!(beslut_pnr.status.success(), "{}", stderr(&beslut_pnr));
    // The default output is a new file beside the input, never the unsigned original.
    let default = lexsarah_signing(
        d,
        &[
            "sign",
            beslut,
            "--field",
            field,
            "--p12",
            "eva.p12",
            "--pin-env",
            "LEXSARAH_TEST_PASS",
        ],
    );
    assert!(default.status.success(), "{}", stderr(&default));
    assert_eq!(stdout(&default).trim(), "2021-ASN-0026-beslut-signerad.pdf");
    assert_eq!(
        std::fs::read(d.join(beslut)).unwrap(),
        bytes,
        "the original is untouched"
    );
}

/// A SoftHSM2 token in `dir` holding `<key>`'s key and certificate under the label `key`; the
/// environment that points SoftHSM2 at it, or `None` where SoftHSM2 is missing.
fn softhsm(dir: &Path, key: &str) -> Option<(PathBuf, Vec<(String, String)>)> {
    let module = [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists());
    let found = module.is_some() && have("softhsm2-util") && have("pkcs11-tool");
    if !found {
        assert!(!tools_required(), "SoftHSM2 and pkcs11-tool are required");
        return None;
    }
    let tokens = dir.join("tokens");
    std::fs::create_dir_all(&tokens).unwrap();
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .unwrap();
    let env = vec![("SOFTHSM2_CONF".to_string(), conf.display().to_string())];
    let with_env = |program: &str, args: &[&str]| {
        let output = Command::new(program)
            .args(args)
            .current_dir(dir)
            .envs(env.iter().cloned())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    with_env(
        "softhsm2-util",
        &[
            "--init-token",
            "--free",
            "--label",
            "lexsarah-test",
            "--pin",
            "123456",
            "--so-pin",
            "654321",
        ],
    );
    let (key_file, pk8) = (format!("{key}.key"), format!("{key}.pk8"));
    run_tool(
        dir,
        "openssl",
        &[
            "pkcs8", "-topk8", "-nocrypt", "-in", &key_file, "-out", &pk8,
        ],
    );
    with_env(
        "softhsm2-util",
        &[
            "--import",
            &pk8,
            "--token",
            "lexsarah-test",
            "--label",
            key,
            "--id",
            "01",
            "--pin",
            "123456",
        ],
    );
    let der = format!("{key}.der");
    run_tool(
        dir,
        "openssl",
        &[
            "x509",
            "-in",
            &format!("{key}.pem"),
            "-outform",
            "DER",
            "-out",
            &der,
        ],
    );
    let module = module.unwrap();
    with_env(
        "pkcs11-tool",
        &[
            "--module",
            module.to_str().unwrap(),
            "--token-label",
            "lexsarah-test",
            "--login",
            "--pin",
            "123456",
            "--write-object",
            &der,
            "--type",
            "cert",
            "--label",
            key,
            "--id",
            "01",
        ],
    );
    Some((module, env))
}

#[test]
fn a_key_on_a_pkcs11_token_signs_as_a_card_would_and_a_wrong_pin_is_tried_once() {
    if !have("openssl") || !have("pyhanko") {
        return;
    }
    for (key_type, key) in [("rsa:2048", "kortet"), ("ec", "ecdsa")] {
        let dir = rendered(&["--doc", "beslut"]);
        let d = dir.path();
        p12(d, key, "/CN=Karta Exempel", key_type);
        let Some((module, env)) = softhsm(d, key) else {
            return;
        };
        let sign_with = |pin: &str, out: &str| {
            Command::new(env!("CARGO_BIN_EXE_lexsarah"))
                .args([
                    "sign",
                    "2021-ASN-0026-beslut.pdf",
                    "--field",
                    "Underskrift_beslutsfattare",
                    "--pkcs11",
                    module.to_str().unwrap(),
                    "--token",
                    "lexsarah-test",
                    "--key",
                    key,
                    "--pin-env",
                    "KORT_PIN",
                    "--out",
                    out,
                ])
                .current_dir(d)
                .envs(env.iter().cloned())
                .env("KORT_PIN", pin)
                .output()
                .unwrap()
        };
        let wrong = sign_with("999999", "fel.pdf");
        assert_eq!(wrong.status.code(), Some(1), "{}", stderr(&wrong));
        assert!(
            stderr(&wrong).contains("PIN-koden stämmer inte"),
            "{}",
            stderr(&wrong)
        );
        assert!(!d.join("fel.pdf").exists());
        let right = sign_with("123456", "kort.pdf");
        assert!(right.status.success(), "{key_type}: {}", stderr(&right));
        let cert = format!("{key}.pem");
        let verdict = pyhanko(d, "kort.pdf", &[&cert]);
        assert!(verdict.contains("INTACT:TRUSTED"), "{key_type}: {verdict}");
        if let Some(found) = pdf_findings(&d.join("kort.pdf"), "pdfa-2b", 1) {
            assert!(found.is_empty(), "{found:?}");
        }
    }
}

#[test]
fn batch_recognises_a_signed_copy_by_its_content_and_records_who_signed() {
    if !have("openssl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("arenden")).unwrap();
    std::fs::copy(
        example("mjolby-borttappade-handlingar.yaml"),
        d.join("arenden/fall.yaml"),
    )
    .unwrap();
    let batch = || lexsarah(d, &["batch", "arenden", "--out", "arkiv"]);
    assert!(batch().status.success());
    p12(d, "eva", "/CN=Eva Exempel", "rsa:2048");
    let folder = "arkiv/2021-ASN-0026";
    let beslut = format!("{folder}/2021-ASN-0026-beslut.pdf");
    let unsigned = std::fs::read(d.join(&beslut)).unwrap();
    // The registrator signs beside the archived PDF, under the default name.
    let output = lexsarah_signing(
        d,
        &[
            "sign",
            &beslut,
            "--field",
            "Underskrift_beslutsfattare",
            "--p12",
            "eva.p12",
            "--pin-env",
            "LEXSARAH_TEST_PASS",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let again = batch();
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(
        !stderr(&again).contains("inget ärende gav den"),
        "{}",
        stderr(&again)
    );
    let rows: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("arkiv/manifest.json")).unwrap()).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["fil"] == "2021-ASN-0026/2021-ASN-0026-beslut.pdf")
        .unwrap();
    assert_eq!(
        row["signerad_fil"],
        "2021-ASN-0026/2021-ASN-0026-beslut-signerad.pdf"
    );
    assert_eq!(row["signaturer"][0]["falt"], "Underskrift_beslutsfattare");
    assert_eq!(row["signaturer"][0]["namn"], "Eva Exempel");
    assert_eq!(row["signaturer"][0]["giltig"], true);
    let csv = String::from_utf8(std::fs::read(d.join("arkiv/manifest.csv")).unwrap()).unwrap();
    assert!(
        csv.lines().any(|l| l.contains("beslut-signerad.pdf")
            && l.contains("Underskrift_beslutsfattare: Eva Exempel")),
        "{csv}"
    );
    // Signed in place instead: recognised by its first revision, never overwritten.
    std::fs::rename(
        d.join(format!("{folder}/2021-ASN-0026-beslut-signerad.pdf")),
        d.join(&beslut),
    )
    .unwrap();
    let signed = std::fs::read(d.join(&beslut)).unwrap();
    assert!(signed.starts_with(&unsigned));
    let third = batch();
    assert_eq!(third.status.code(), Some(0), "{}", stderr(&third));
    assert_eq!(
        std::fs::read(d.join(&beslut)).unwrap(),
        signed,
        "the signed PDF stays"
    );
    let csv = String::from_utf8(std::fs::read(d.join("arkiv/manifest.csv")).unwrap()).unwrap();
    assert!(
        csv.contains("Underskrift_beslutsfattare: Eva Exempel"),
        "{csv}"
    );
}
