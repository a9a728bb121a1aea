//! A key on a PKCS#11 token: an e-legitimation or SITHS card through its middleware, or an HSM,
//! chosen by the token's label and the key's label. The module is the card's own code.

use std::path::Path;

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as TokenError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use der::Encode;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::SignError;
use super::cert::Cert;
use super::key::{KeyAlgorithm, Signer};

/// A private key on a token, with its certificate from the same token.
pub struct TokenKey {
    session: Session,
    key: ObjectHandle,
    certificate: Cert,
    algorithm: KeyAlgorithm,
}

/// Where the key is: the module, the token's label and the key's label.
pub struct TokenChoice<'a> {
    /// The PKCS#11 module (the card's or HSM's library).
    pub module: &'a Path,
    /// The token's label, as the card or HSM shows it.
    pub token: &'a str,
    /// The key's (and its certificate's) label on the token.
    pub key: &'a str,
}

fn token_error(what: &str, e: TokenError) -> SignError {
    match e {
        TokenError::Pkcs11(RvError::PinIncorrect, _) => SignError::WrongPassphrase,
        TokenError::Pkcs11(RvError::PinLocked, _) => {
            SignError::Key("kortets PIN-kod är spärrad; lås upp den med kortets PUK-kod".into())
        }
        other => SignError::Key(format!("{what}: {other}")),
    }
}

impl TokenKey {
    /// Logs in to the token once with `pin` and finds the key and its certificate by label.
    pub fn open(choice: &TokenChoice, pin: &Zeroizing<String>) -> Result<Self, SignError> {
        let context = Pkcs11::new(choice.module)
            .map_err(|e| token_error("PKCS#11-modulen kan inte laddas", e))?;
        context
            .initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
            .map_err(|e| token_error("PKCS#11-modulen kan inte startas", e))?;
        let slots = context
            .get_slots_with_token()
            .map_err(|e| token_error("korten kan inte listas", e))?;
        let mut labels = Vec::new();
        let mut found = None;
        for slot in slots {
            let Ok(info) = context.get_token_info(slot) else {
                continue;
            };
            let label = info.label().trim().to_string();
            if label == choice.token {
                found = Some(slot);
            }
            labels.push(label);
        }
        let slot = found.ok_or_else(|| {
            SignError::Key(format!(
                "inget kort eller token heter \"{}\"; de som finns: {}",
                choice.token,
                if labels.is_empty() {
                    "inga".to_string()
                } else {
                    labels.join(", ")
                }
            ))
        })?;
        let session = context
            .open_ro_session(slot)
            .map_err(|e| token_error("kortet kan inte öppnas", e))?;
        // One try: a wrong PIN is reported, never retried, so that no card is locked.
        let secret = cryptoki::types::AuthPin::from(pin.as_str());
        session
            .login(UserType::User, Some(&secret))
            .map_err(|e| token_error("inloggningen på kortet misslyckades", e))?;
        let label = choice.key.as_bytes().to_vec();
        let find = |class: ObjectClass| {
            session
                .find_objects(&[Attribute::Class(class), Attribute::Label(label.clone())])
                .map_err(|e| token_error("kortets nycklar kan inte listas", e))
        };
        let key = *find(ObjectClass::PRIVATE_KEY)?.first().ok_or_else(|| {
            SignError::Key(format!(
                "kortet har ingen privat nyckel som heter \"{}\"",
                choice.key
            ))
        })?;
        let cert_handle = *find(ObjectClass::CERTIFICATE)?.first().ok_or_else(|| {
            SignError::Key(format!(
                "kortet har inget certifikat som heter \"{}\"",
                choice.key
            ))
        })?;
        let der = session
            .get_attributes(cert_handle, &[AttributeType::Value])
            .map_err(|e| token_error("certifikatet kan inte läsas", e))?
            .into_iter()
            .find_map(|a| match a {
                Attribute::Value(v) => Some(v),
                _ => None,
            })
            .ok_or_else(|| SignError::Key("certifikatet på kortet är tomt".into()))?;
        let certificate = Cert::from_der(&der).map_err(SignError::Key)?;
        let algorithm = certificate.key_algorithm().ok_or_else(|| {
            SignError::Key("certifikatets nyckel är varken RSA eller ECDSA P-256".into())
        })?;
        let token = Self {
            session,
            key,
            certificate,
            algorithm,
        };
        // The key must be the certificate's: a signature made with it holds with the
        // certificate's public key.
        let probe = b"lexsarah: nyckeln och certifikatet";
        let signature = token.sign(probe)?;
        if !super::cms::verify_signature(
            &token.certificate,
            algorithm.signature_oid(),
            probe,
            &signature,
        ) {
            return Err(SignError::KeyMismatch);
        }
        Ok(token)
    }
}

impl Signer for TokenKey {
    fn certificate(&self) -> &Cert {
        &self.certificate
    }

    fn chain(&self) -> &[Cert] {
        &[]
    }

    fn algorithm(&self) -> KeyAlgorithm {
        self.algorithm
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        match self.algorithm {
            KeyAlgorithm::Rsa => self
                .session
                .sign(&Mechanism::Sha256RsaPkcs, self.key, message)
                .map_err(|e| token_error("kortet kunde inte signera", e)),
            KeyAlgorithm::EcdsaP256 => {
                let digest = Sha256::digest(message);
                let raw = self
                    .session
                    .sign(&Mechanism::Ecdsa, self.key, &digest)
                    .map_err(|e| token_error("kortet kunde inte signera", e))?;
                ecdsa_der(&raw)
            }
        }
    }
}

/// An ECDSA signature as a token gives it (r and s, each 32 bytes) in the DER form CMS holds.
fn ecdsa_der(raw: &[u8]) -> Result<Vec<u8>, SignError> {
    #[derive(der::Sequence)]
    struct EcdsaSignature<'a> {
        r: der::asn1::UintRef<'a>,
        s: der::asn1::UintRef<'a>,
    }
    if raw.len() != 64 {
        return Err(SignError::Key(format!(
            "kortets ECDSA-signatur har {} byte, inte 64",
            raw.len()
        )));
    }
    let bad = |e: der::Error| SignError::Key(format!("kortets signatur kan inte kodas: {e}"));
    EcdsaSignature {
        r: der::asn1::UintRef::new(&raw[..32]).map_err(bad)?,
        s: der::asn1::UintRef::new(&raw[32..]).map_err(bad)?,
    }
    .to_der()
    .map_err(bad)
}
