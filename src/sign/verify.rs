//! What a signed PDF's signatures say, for the registrator before archiving: who signed which
//! field and when (the signer's claim), whether the digest and the CMS signature hold, whether
//! the certificate was valid then, and what was changed after each signature.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::cert::Cert;
use crate::render::signature::fill;

/// One signature of a PDF, as verified.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    /// The field it fills.
    pub field: String,
    /// The signer's common name.
    pub signer: String,
    /// The issuer's common name.
    pub issuer_name: String,
    /// The signer's whole subject.
    pub subject: String,
    /// The issuer's whole name.
    pub issuer: String,
    /// `/M` as written, the signer's claim of when.
    pub signed_at: String,
    /// Whether the SHA-256 over `/ByteRange` is the one the signature holds.
    pub digest_holds: bool,
    /// Whether the CMS signature holds with the signer's certificate.
    pub signature_holds: bool,
    /// Whether the certificate was valid at `/M`.
    pub certificate_valid: bool,
    /// Whether the certificate leads to a trust anchor given with `--trust`; `None` without one.
    pub trusted: Option<bool>,
    /// Whether it is PAdES B-B: `ETSI.CAdES.detached`, SHA-256, signing-certificate-v2, no
    /// signing-time attribute.
    pub pades_b_b: bool,
    /// Whether `/ByteRange` covers the whole of its revision but `/Contents`.
    pub covers_revision: bool,
    /// What was added after it: later signatures and anything else, each in words.
    pub changes_after: Vec<Change>,
    /// Whether everything above holds and nothing but signatures, document timestamps and a
    /// DSS was added after it.
    pub holds: bool,
}

/// A change made after a signature.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Change {
    /// Whether it is one a signature allows after it (a later signature, a document timestamp,
    /// a DSS).
    pub allowed: bool,
    /// What it is, in Swedish.
    pub what: String,
}

/// A PDF, verified.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The PDF standard it claims, if any.
    pub standard: Option<String>,
    /// Its signatures, in the order of its fields.
    pub signatures: Vec<Signature>,
}

impl Report {
    /// Whether the file has at least one signature and every one holds.
    pub fn holds(&self) -> bool {
        !self.signatures.is_empty() && self.signatures.iter().all(|s| s.holds)
    }
}

/// Verifies every signature of a PDF; `trust` are trust anchors' certificates (DER).
pub fn verify(pdf: &[u8], trust: &[Cert]) -> Result<Report, fill::FillError> {
    let document = fill::parse(pdf)?;
    let mut signatures = Vec::new();
    for (field, id) in fill::fields(&document) {
        if !field.signed {
            continue;
        }
        let value = document
            .get_dictionary(id)
            .and_then(|d| d.get(b"V"))
            .and_then(|v| match v {
                lopdf::Object::Reference(r) => document.get_dictionary(*r),
                lopdf::Object::Dictionary(d) => Ok(d),
                _ => Err(lopdf::Error::DictKey("V".into())),
            });
        let Ok(value) = value else { continue };
        signatures.push(one(pdf, &field.name, value, trust));
    }
    Ok(Report {
        standard: super::claimed_standard(pdf),
        signatures,
    })
}

/// Verifies one signature dictionary.
fn one(pdf: &[u8], field: &str, sig: &lopdf::Dictionary, trust: &[Cert]) -> Signature {
    let range: Vec<usize> = sig
        .get(b"ByteRange")
        .and_then(lopdf::Object::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_i64().ok())
                .map(|v| v.max(0) as usize)
                .collect()
        })
        .unwrap_or_default();
    let contents = match sig.get(b"Contents") {
        Ok(lopdf::Object::String(bytes, _)) => bytes.clone(),
        _ => Vec::new(),
    };
    let signed_at = match sig.get(b"M") {
        Ok(lopdf::Object::String(bytes, _)) => fill::text(bytes),
        _ => String::new(),
    };
    let sub_filter = sig
        .get(b"SubFilter")
        .and_then(lopdf::Object::as_name)
        .map(|n| n.to_vec())
        .unwrap_or_default();
    let mut result = Signature {
        field: field.to_string(),
        signer: String::new(),
        issuer_name: String::new(),
        subject: String::new(),
        issuer: String::new(),
        signed_at: signed_at.clone(),
        digest_holds: false,
        signature_holds: false,
        certificate_valid: false,
        trusted: (!trust.is_empty()).then_some(false),
        pades_b_b: false,
        covers_revision: false,
        changes_after: Vec::new(),
        holds: false,
    };
    let [a, b, c, d] = range[..] else {
        return result;
    };
    let (Some(first), Some(second)) = (pdf.get(a..a + b), pdf.get(c..c + d)) else {
        return result;
    };
    let digest: Vec<u8> = {
        let mut hash = Sha256::new();
        hash.update(first);
        hash.update(second);
        hash.finalize().to_vec()
    };
    // The signature covers everything of its revision but `/Contents` itself.
    result.covers_revision =
        a == 0 && pdf.get(a + b) == Some(&b'<') && c > a + b && pdf.get(c - 1) == Some(&b'>');
    let Ok(read) = super::cms::read(&contents) else {
        return result;
    };
    result.digest_holds = read.message_digest.as_deref() == Some(digest.as_slice());
    result.signature_holds = read.signature_holds;
    result.pades_b_b = sub_filter == b"ETSI.CAdES.detached"
        && read.digest_algorithm == "2.16.840.1.101.3.4.2.1"
        && read.signing_certificate_v2
        && !read.signing_time;
    if let Some(cert) = &read.signer {
        result.signer = cert.common_name();
        result.issuer_name = cert.issuer_name();
        result.subject = cert.subject();
        result.issuer = cert.issuer();
        result.certificate_valid =
            super::parse_pdf_date(&signed_at).is_some_and(|time| cert.valid_at(time.timestamp()));
        if !trust.is_empty() {
            result.trusted = Some(leads_to(cert, trust));
        }
    }
    result.changes_after = changes_after(pdf, c + d);
    result.holds = result.digest_holds
        && result.signature_holds
        && result.certificate_valid
        && result.covers_revision
        && result.trusted != Some(false)
        && result.changes_after.iter().all(|change| change.allowed);
    result
}

/// Whether the certificate is a trust anchor or is signed by one.
fn leads_to(cert: &Cert, trust: &[Cert]) -> bool {
    trust.iter().any(|anchor| {
        anchor.der == cert.der
            || (anchor.parsed.tbs_certificate.subject == cert.parsed.tbs_certificate.issuer
                && issued_by(cert, anchor))
    })
}

/// Whether `issuer`'s key made the signature on `cert`.
fn issued_by(cert: &Cert, issuer: &Cert) -> bool {
    use der::Encode;
    use ring::signature::{
        ECDSA_P256_SHA256_ASN1, RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey,
        VerificationAlgorithm,
    };
    let Ok(tbs) = cert.parsed.tbs_certificate.to_der() else {
        return false;
    };
    let scheme: &dyn VerificationAlgorithm =
        match cert.parsed.signature_algorithm.oid.to_string().as_str() {
            "1.2.840.113549.1.1.11" => &RSA_PKCS1_2048_8192_SHA256,
            "1.2.840.10045.4.3.2" => &ECDSA_P256_SHA256_ASN1,
            _ => return false,
        };
    UnparsedPublicKey::new(scheme, issuer.public_key())
        .verify(&tbs, cert.parsed.signature.raw_bytes())
        .is_ok()
}

/// What was changed after the revision that ends at `end`, object by object.
fn changes_after(pdf: &[u8], end: usize) -> Vec<Change> {
    if end >= pdf.len() || pdf[end..].iter().all(u8::is_ascii_whitespace) {
        return Vec::new();
    }
    let (Ok(before), Ok(after)) = (
        lopdf::Document::load_mem(&pdf[..end]),
        lopdf::Document::load_mem(pdf),
    ) else {
        return vec![Change {
            allowed: false,
            what: "det som lades till efter signaturen kan inte läsas".into(),
        }];
    };
    let mut changes = Vec::new();
    for (id, object) in &after.objects {
        match before.objects.get(id) {
            None => {
                let kind = object
                    .as_dict()
                    .ok()
                    .and_then(|d| d.get(b"Type").ok())
                    .and_then(|t| t.as_name().ok())
                    .map(|n| n.to_vec());
                match kind.as_deref() {
                    Some(b"Sig") => changes.push(Change {
                        allowed: true,
                        what: "en senare signatur".into(),
                    }),
                    Some(b"DocTimeStamp") => changes.push(Change {
                        allowed: true,
                        what: "en dokumenttidsstämpel".into(),
                    }),
                    // The appearance of a later signature, its font, a DSS's streams: new
                    // objects that nothing of the signed revision points to unless an
                    // allowed change below makes it.
                    _ => {}
                }
            }
            Some(old) if old == object => {}
            Some(old) => {
                if let Some(said) = allowed_change(old, object) {
                    // The field a later signature fills, or a DSS: said once per object; the
                    // form's flags go unsaid.
                    changes.extend(said.map(|what| Change {
                        allowed: true,
                        what: what.into(),
                    }));
                } else {
                    changes.push(Change {
                        allowed: false,
                        what: format!("objekt {} {} ändrades", id.0, id.1),
                    });
                }
            }
        }
    }
    changes.sort_by(|a, b| a.what.cmp(&b.what));
    changes.dedup();
    changes
}

/// Whether a change of an object is one a signature allows after it, and what to say of it: an
/// empty signature field filled by a later signature, the catalog's DSS (each said), the form's
/// flags (allowed, not worth saying); `None` for any other change.
fn allowed_change(old: &lopdf::Object, new: &lopdf::Object) -> Option<Option<&'static str>> {
    let (Ok(old), Ok(new)) = (old.as_dict(), new.as_dict()) else {
        return None;
    };
    let without = |d: &lopdf::Dictionary, keys: &[&[u8]]| -> lopdf::Dictionary {
        d.iter()
            .filter(|(k, _)| !keys.contains(&k.as_slice()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let is_sig_field = old.get(b"FT").and_then(|t| t.as_name()).ok() == Some(b"Sig".as_slice());
    if is_sig_field
        && !old.has(b"V")
        && without(old, &[b"V", b"AP"]) == without(new, &[b"V", b"AP"])
    {
        return Some(Some("fältet för en senare signatur"));
    }
    if old.has(b"Pages") {
        // The catalog: its form may gain SigFlags, and a DSS may be added.
        let form = |d: &lopdf::Dictionary| match d.get(b"AcroForm") {
            Ok(lopdf::Object::Dictionary(f)) => Some(without(f, &[b"SigFlags"])),
            _ => None,
        };
        if without(old, &[b"AcroForm", b"DSS"]) == without(new, &[b"AcroForm", b"DSS"])
            && form(old) == form(new)
        {
            return Some(
                (new.has(b"DSS") && !old.has(b"DSS"))
                    .then_some("en DSS (underlag för långtidsvalidering)"),
            );
        }
    }
    if old.has(b"Fields") && without(old, &[b"SigFlags"]) == without(new, &[b"SigFlags"]) {
        return Some(None);
    }
    None
}
