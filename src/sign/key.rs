//! The signer's key, from wherever it lives: one trait, so that the PDF and the CMS never know
//! whether a PKCS#12 file or a token holds it.

use zeroize::Zeroizing;

use super::SignError;
use super::cert::Cert;

/// The kinds of key lexsarah signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// RSA, signing PKCS#1 v1.5 with SHA-256.
    Rsa,
    /// ECDSA on the curve P-256 with SHA-256.
    EcdsaP256,
}

impl KeyAlgorithm {
    /// The CMS signature algorithm's object identifier.
    pub fn signature_oid(self) -> &'static str {
        match self {
            // rsaEncryption, as CAdES and most validators expect for PKCS#1 v1.5.
            KeyAlgorithm::Rsa => "1.2.840.113549.1.1.1",
            // ecdsa-with-SHA256.
            KeyAlgorithm::EcdsaP256 => "1.2.840.10045.4.3.2",
        }
    }
}

/// A key that signs, with its certificate and the chain above it.
pub trait Signer {
    /// The signer's certificate.
    fn certificate(&self) -> &Cert;
    /// The certificates above it, as the key's holder has them (may be empty).
    fn chain(&self) -> &[Cert];
    /// The key's algorithm.
    fn algorithm(&self) -> KeyAlgorithm;
    /// Signs `message` (SHA-256 is taken here or by the token): the signature's bytes, DER for
    /// ECDSA.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError>;
}

/// A key and its certificates from a PKCS#12 file (a person's soft certificate, or an
/// organisation's seal).
pub struct Pkcs12Key {
    key: KeyPair,
    certificate: Cert,
    chain: Vec<Cert>,
}

enum KeyPair {
    Rsa(ring::rsa::KeyPair),
    Ecdsa(ring::signature::EcdsaKeyPair),
}

impl Pkcs12Key {
    /// Opens a PKCS#12 file's bytes with its passphrase. The key's bytes are wiped from memory
    /// once the key pair is made.
    pub fn open(bytes: &[u8], passphrase: &Zeroizing<String>) -> Result<Self, SignError> {
        let store = p12_keystore::KeyStore::from_pkcs12(
            bytes,
            passphrase,
            p12_keystore::Pkcs12ImportPolicy::Relaxed,
        )
        .map_err(|e| match e {
            p12_keystore::error::Error::MacError(_) => SignError::WrongPassphrase,
            other => SignError::Key(format!("PKCS#12-filen kan inte läsas: {other}")),
        })?;
        let (_, chain) = store.private_key_chain().ok_or_else(|| {
            SignError::Key("PKCS#12-filen har ingen nyckel med certifikat".into())
        })?;
        let der = Zeroizing::new(chain.key().as_der().to_vec());
        let certs: Vec<Cert> = chain
            .certs()
            .iter()
            .map(|c| Cert::from_der(c.as_der()).map_err(SignError::Key))
            .collect::<Result<_, _>>()?;
        let Some((certificate, rest)) = certs.split_first() else {
            return Err(SignError::Key(
                "PKCS#12-filens nyckel har inget certifikat".into(),
            ));
        };
        let rng = ring::rand::SystemRandom::new();
        let key = match certificate.key_algorithm() {
            Some(KeyAlgorithm::Rsa) => ring::rsa::KeyPair::from_pkcs8(&der)
                .map(KeyPair::Rsa)
                .map_err(|e| SignError::Key(format!("RSA-nyckeln kan inte användas: {e}")))?,
            Some(KeyAlgorithm::EcdsaP256) => ring::signature::EcdsaKeyPair::from_pkcs8(
                &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
                &der,
                &rng,
            )
            .map(KeyPair::Ecdsa)
            .map_err(|e| {
                SignError::Key(format!(
                    "nyckeln är ingen ECDSA-nyckel på kurvan P-256 som kan användas: {e}"
                ))
            })?,
            None => {
                return Err(SignError::Key(
                    "certifikatets nyckel är varken RSA eller ECDSA P-256".into(),
                ));
            }
        };
        let public = match &key {
            KeyPair::Rsa(k) => ring::signature::KeyPair::public_key(k).as_ref().to_vec(),
            KeyPair::Ecdsa(k) => ring::signature::KeyPair::public_key(k).as_ref().to_vec(),
        };
        if public != certificate.public_key() {
            return Err(SignError::KeyMismatch);
        }
        Ok(Self {
            key,
            certificate: certificate.clone(),
            chain: rest.to_vec(),
        })
    }
}

impl Signer for Pkcs12Key {
    fn certificate(&self) -> &Cert {
        &self.certificate
    }

    fn chain(&self) -> &[Cert] {
        &self.chain
    }

    fn algorithm(&self) -> KeyAlgorithm {
        match self.key {
            KeyPair::Rsa(_) => KeyAlgorithm::Rsa,
            KeyPair::Ecdsa(_) => KeyAlgorithm::EcdsaP256,
        }
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let rng = ring::rand::SystemRandom::new();
        match &self.key {
            KeyPair::Rsa(key) => {
                let mut signature = vec![0; key.public().modulus_len()];
                key.sign(
                    &ring::signature::RSA_PKCS1_SHA256,
                    &rng,
                    message,
                    &mut signature,
                )
                .map_err(|_| SignError::Key("RSA-nyckeln kunde inte signera".into()))?;
                Ok(signature)
            }
            KeyPair::Ecdsa(key) => key
                .sign(&rng, message)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| SignError::Key("ECDSA-nyckeln kunde inte signera".into())),
        }
    }
}
