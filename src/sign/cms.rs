//! The CMS signature a PAdES B-B signature holds (`ETSI.CAdES.detached`): SHA-256, the signer's
//! certificate named by a signing-certificate-v2 attribute, no signing-time attribute (the time
//! is the PDF's `/M`); and reading one back for `verify`.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{Any, OctetString, SetOfVec};
use der::oid::ObjectIdentifier;
use der::{Decode, Encode, Sequence};
use sha2::{Digest, Sha256};
use x509_cert::attr::Attribute;
use x509_cert::spki::AlgorithmIdentifierOwned;

use super::SignError;
use super::cert::Cert;
use super::key::{KeyAlgorithm, Signer};

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
/// id-aa-signingCertificateV2 (RFC 5035).
pub const SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");

/// ESSCertIDv2 (RFC 5035) with the default hash algorithm, SHA-256, left out as DER asks.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct EssCertIdV2 {
    /// The SHA-256 of the certificate's DER.
    pub cert_hash: OctetString,
}

/// SigningCertificateV2 (RFC 5035): the certificate the signature is bound to.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SigningCertificateV2 {
    /// The signer's certificate first.
    pub certs: Vec<EssCertIdV2>,
}

fn sha256_algorithm() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: ID_SHA256,
        parameters: None,
    }
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, SignError> {
    let mut values = SetOfVec::new();
    values.insert(value).map_err(cms_error)?;
    Ok(Attribute { oid, values })
}

fn cms_error(e: der::Error) -> SignError {
    SignError::Key(format!("signaturen kunde inte byggas: {e}"))
}

/// The DER of a detached CMS SignedData over content whose SHA-256 is `digest`.
pub fn signed_data(digest: &[u8; 32], signer: &dyn Signer) -> Result<Vec<u8>, SignError> {
    let certificate = signer.certificate();
    let cert_hash: [u8; 32] = Sha256::digest(&certificate.der).into();
    let signing_certificate = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(cert_hash.to_vec()).map_err(cms_error)?,
        }],
    };
    let mut attributes = SetOfVec::new();
    for a in [
        attribute(CONTENT_TYPE, Any::encode_from(&ID_DATA).map_err(cms_error)?)?,
        attribute(
            MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(digest.to_vec()).map_err(cms_error)?)
                .map_err(cms_error)?,
        )?,
        attribute(
            SIGNING_CERTIFICATE_V2,
            Any::encode_from(&signing_certificate).map_err(cms_error)?,
        )?,
    ] {
        attributes.insert(a).map_err(cms_error)?;
    }
    // The signature covers the attributes as a SET (tag 0x31), not as the [0] they are stored as.
    let to_sign = attributes.to_der().map_err(cms_error)?;
    let signature = signer.sign(&to_sign)?;
    let algorithm = signer.algorithm();
    let signer_info = SignerInfo {
        version: cms::content_info::CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(certificate.issuer_and_serial()),
        digest_alg: sha256_algorithm(),
        signed_attrs: Some(attributes),
        signature_algorithm: AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap(algorithm.signature_oid()),
            parameters: match algorithm {
                KeyAlgorithm::Rsa => Some(Any::null()),
                KeyAlgorithm::EcdsaP256 => None,
            },
        },
        signature: OctetString::new(signature).map_err(cms_error)?,
        unsigned_attrs: None,
    };
    let mut certificates = SetOfVec::new();
    for cert in std::iter::once(certificate).chain(signer.chain()) {
        certificates
            .insert(CertificateChoices::Certificate(cert.parsed.clone()))
            .map_err(cms_error)?;
    }
    let mut digest_algorithms = SetOfVec::new();
    digest_algorithms
        .insert(sha256_algorithm())
        .map_err(cms_error)?;
    let mut signer_infos = SetOfVec::new();
    signer_infos.insert(signer_info).map_err(cms_error)?;
    let signed = SignedData {
        version: cms::content_info::CmsVersion::V1,
        digest_algorithms,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(cms::signed_data::CertificateSet(certificates)),
        crls: None,
        signer_infos: cms::signed_data::SignerInfos(signer_infos),
    };
    ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed).map_err(cms_error)?,
    }
    .to_der()
    .map_err(cms_error)
}

/// What a CMS signature says, read back.
#[derive(Debug, Clone)]
pub struct Read {
    /// The signer's certificate, found among the certificates by issuer and serial number.
    pub signer: Option<Cert>,
    /// The message digest the signed attributes hold.
    pub message_digest: Option<Vec<u8>>,
    /// Whether the signature over the signed attributes holds with the signer's key.
    pub signature_holds: bool,
    /// Whether a signing-certificate-v2 attribute names the signer's certificate.
    pub signing_certificate_v2: bool,
    /// Whether the signed attributes hold a signing-time (PAdES B-B has none).
    pub signing_time: bool,
    /// The digest algorithm's object identifier.
    pub digest_algorithm: String,
}

/// Reads a CMS SignedData (DER, with any zero padding after it) and checks its signature.
pub fn read(bytes: &[u8]) -> Result<Read, String> {
    let bytes = trim_padding(bytes);
    let info = ContentInfo::from_der(bytes).map_err(|e| format!("ingen CMS-signatur: {e}"))?;
    if info.content_type != ID_SIGNED_DATA {
        return Err("innehållet är ingen CMS SignedData".into());
    }
    let signed: SignedData = info
        .content
        .decode_as()
        .map_err(|e| format!("CMS SignedData kan inte läsas: {e}"))?;
    let signer_info = signed
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or("signaturen har ingen undertecknare")?;
    let certificates: Vec<Cert> = signed
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|choice| match choice {
            CertificateChoices::Certificate(c) => {
                c.to_der().ok().and_then(|der| Cert::from_der(&der).ok())
            }
            _ => None,
        })
        .collect();
    let signer = match &signer_info.sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => certificates
            .iter()
            .find(|c| {
                c.parsed.tbs_certificate.issuer == ias.issuer
                    && c.parsed.tbs_certificate.serial_number == ias.serial_number
            })
            .cloned(),
        SignerIdentifier::SubjectKeyIdentifier(_) => certificates.first().cloned(),
    };
    let attributes = signer_info.signed_attrs.as_ref();
    let value_of = |oid: ObjectIdentifier| {
        attributes
            .into_iter()
            .flat_map(|set| set.iter())
            .find(|a| a.oid == oid)
            .and_then(|a| a.values.iter().next().cloned())
    };
    let message_digest = value_of(MESSAGE_DIGEST)
        .and_then(|any| any.decode_as::<OctetString>().ok())
        .map(|o| o.as_bytes().to_vec());
    let signing_certificate_v2 = match (&signer, value_of(SIGNING_CERTIFICATE_V2)) {
        (Some(cert), Some(any)) => any
            .decode_as::<SigningCertificateV2>()
            .ok()
            .and_then(|v| v.certs.first().map(|id| id.cert_hash.as_bytes().to_vec()))
            .is_some_and(|hash| hash == Sha256::digest(cert.encoded()).as_slice()),
        _ => false,
    };
    let signature_holds = match (&signer, attributes) {
        (Some(cert), Some(attributes)) => attributes.to_der().is_ok_and(|signed| {
            verify_signature(
                cert,
                &signer_info.signature_algorithm.oid.to_string(),
                &signed,
                signer_info.signature.as_bytes(),
            )
        }),
        _ => false,
    };
    Ok(Read {
        signer,
        message_digest,
        signature_holds,
        signing_certificate_v2,
        signing_time: value_of(SIGNING_TIME).is_some(),
        digest_algorithm: signer_info.digest_alg.oid.to_string(),
    })
}

/// Whether `signature` over `message` holds with the certificate's public key.
pub(crate) fn verify_signature(
    cert: &Cert,
    algorithm: &str,
    message: &[u8],
    signature: &[u8],
) -> bool {
    use ring::signature::{
        ECDSA_P256_SHA256_ASN1, RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey,
        VerificationAlgorithm,
    };
    let scheme: &dyn VerificationAlgorithm = match (cert.key_algorithm(), algorithm) {
        (Some(KeyAlgorithm::Rsa), "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.11") => {
            &RSA_PKCS1_2048_8192_SHA256
        }
        (Some(KeyAlgorithm::EcdsaP256), "1.2.840.10045.4.3.2" | "1.2.840.10045.2.1") => {
            &ECDSA_P256_SHA256_ASN1
        }
        _ => return false,
    };
    UnparsedPublicKey::new(scheme, cert.public_key())
        .verify(message, signature)
        .is_ok()
}

/// The DER without the zeros that pad it to the PDF's reserved `/Contents`.
fn trim_padding(bytes: &[u8]) -> &[u8] {
    use der::Reader;
    // A DER SEQUENCE says its own length: read its header, and ignore what follows the value.
    let Ok(mut reader) = der::SliceReader::new(bytes) else {
        return bytes;
    };
    let Ok(header) = der::Header::decode(&mut reader) else {
        return bytes;
    };
    let header_len = u32::from(reader.position()) as usize;
    let body = u32::from(header.length) as usize;
    bytes.get(..header_len + body).unwrap_or(bytes)
}
