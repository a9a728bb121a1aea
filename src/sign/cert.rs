//! What a certificate says that signing and verifying need: whose it is, who issued it, when it
//! is valid, its public key, and whether its subject carries a personnummer.

use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::name::Name;

/// The object identifiers of the subject's attributes read here.
const COMMON_NAME: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("2.5.4.3");
const SERIAL_NUMBER: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("2.5.4.5");

/// A certificate, parsed, with its DER kept.
#[derive(Debug, Clone)]
pub struct Cert {
    /// The certificate's DER encoding.
    pub der: Vec<u8>,
    /// The parsed certificate.
    pub parsed: Certificate,
}

impl Cert {
    /// Parses a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, String> {
        let parsed =
            Certificate::from_der(der).map_err(|e| format!("certifikatet kan inte läsas: {e}"))?;
        Ok(Self {
            der: der.to_vec(),
            parsed,
        })
    }

    /// The subject's common name (CN), or the whole subject where it has none.
    pub fn common_name(&self) -> String {
        common_name(&self.parsed.tbs_certificate.subject)
    }

    /// The issuer's common name, or the whole issuer.
    pub fn issuer_name(&self) -> String {
        common_name(&self.parsed.tbs_certificate.issuer)
    }

    /// The whole subject, as RFC 4514 writes it.
    pub fn subject(&self) -> String {
        self.parsed.tbs_certificate.subject.to_string()
    }

    /// The whole issuer, as RFC 4514 writes it.
    pub fn issuer(&self) -> String {
        self.parsed.tbs_certificate.issuer.to_string()
    }

    /// When the certificate is valid: from and to, as Unix seconds.
    pub fn validity(&self) -> (i64, i64) {
        let v = &self.parsed.tbs_certificate.validity;
        let secs = |t: x509_cert::time::Time| t.to_unix_duration().as_secs() as i64;
        (secs(v.not_before), secs(v.not_after))
    }

    /// Whether the certificate is valid at `unix` seconds.
    pub fn valid_at(&self, unix: i64) -> bool {
        let (from, to) = self.validity();
        (from..=to).contains(&unix)
    }

    /// The subject public key's bits (for RSA the RSAPublicKey, for EC the point).
    pub fn public_key(&self) -> &[u8] {
        self.parsed
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes()
    }

    /// The public key's algorithm.
    pub fn key_algorithm(&self) -> Option<super::key::KeyAlgorithm> {
        let oid = self
            .parsed
            .tbs_certificate
            .subject_public_key_info
            .algorithm
            .oid
            .to_string();
        match oid.as_str() {
            "1.2.840.113549.1.1.1" => Some(super::key::KeyAlgorithm::Rsa),
            "1.2.840.10045.2.1" => Some(super::key::KeyAlgorithm::EcdsaP256),
            _ => None,
        }
    }

    /// Whether the subject carries a serialNumber that holds a personnummer (as Swedish personal
    /// certificates do, often as "197001011234" or with a prefix).
    pub fn has_personnummer(&self) -> bool {
        attributes(&self.parsed.tbs_certificate.subject, SERIAL_NUMBER)
            .iter()
            .any(|value| {
                crate::publish::scan(value, &crate::publish::Look::NEVER)
                    .iter()
                    .any(|f| f.kind == crate::publish::Kind::Personnummer)
            })
    }

    /// The issuer and serial number that identify the certificate in a CMS signature.
    pub fn issuer_and_serial(&self) -> cms::cert::IssuerAndSerialNumber {
        cms::cert::IssuerAndSerialNumber {
            issuer: self.parsed.tbs_certificate.issuer.clone(),
            serial_number: self.parsed.tbs_certificate.serial_number.clone(),
        }
    }

    /// The certificate's DER encoding, encoded afresh (for a certificate read from a CMS).
    pub fn encoded(&self) -> Vec<u8> {
        self.parsed.to_der().unwrap_or_else(|_| self.der.clone())
    }
}

/// The common name in a name, else the whole name.
fn common_name(name: &Name) -> String {
    attributes(name, COMMON_NAME)
        .into_iter()
        .next()
        .unwrap_or_else(|| name.to_string())
}

/// Every value of an attribute in a name, as text.
fn attributes(name: &Name, oid: der::oid::ObjectIdentifier) -> Vec<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter(|atv| atv.oid == oid)
        .filter_map(|atv| {
            let any = &atv.value;
            der::asn1::Utf8StringRef::try_from(any)
                .map(|s| s.as_str().to_string())
                .or_else(|_| {
                    der::asn1::PrintableStringRef::try_from(any).map(|s| s.as_str().to_string())
                })
                .or_else(|_| der::asn1::Ia5StringRef::try_from(any).map(|s| s.as_str().to_string()))
                .ok()
        })
        .collect()
}
