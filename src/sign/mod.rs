//! Signing a PDF that lexsarah made, in the field it made for it, so that the signed PDF keeps
//! its PDF standard: PAdES B-B (`ETSI.CAdES.detached`, SHA-256, signing-certificate-v2, the time
//! in `/M`), as an incremental update after every byte already there; and verifying what was
//! signed.
//!
//! The key comes through [`key::Signer`], from a PKCS#12 file ([`key::Pkcs12Key`]) or a PKCS#11
//! token ([`token::TokenKey`]); the PDF side lives with the fields it fills
//! (`render::signature::fill`).

pub mod cert;
pub mod cms;
pub mod key;
pub mod token;
pub mod verify;

use chrono::{DateTime, FixedOffset};

use crate::render::signature::{fill, stamp};
use key::Signer;

/// Why a PDF could not be signed, in words for the person signing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The passphrase or PIN was wrong (tried once, never again).
    #[error("lösenordet eller PIN-koden stämmer inte")]
    WrongPassphrase,
    /// The key could not be read or used.
    #[error("{0}")]
    Key(String),
    /// The key and the certificate do not belong together.
    #[error("nyckeln hör inte till certifikatet")]
    KeyMismatch,
    /// The certificate is not valid at the time of signing.
    #[error("certifikatet gäller inte nu: det gäller {from} – {to}")]
    NotValidNow {
        /// From when it is valid.
        from: String,
        /// Until when it is valid.
        to: String,
    },
    /// The document is published and the certificate carries a personnummer.
    #[error(
        "certifikatet har ett personnummer i sitt namn (serialNumber), och det följer med signaturen in i en handling som publiceras"
    )]
    PersonnummerInPublished,
    /// The PDF side refused.
    #[error("{}", describe(.0))]
    Pdf(fill::FillError),
    /// A defect in lexsarah.
    #[error("{0}")]
    Internal(String),
}

fn describe(e: &fill::FillError) -> String {
    match e {
        fill::FillError::Encrypted => "PDF:en är krypterad".into(),
        fill::FillError::Damaged(why) => format!("PDF:en kan inte läsas: {why}"),
        fill::FillError::NoSuchField(fields) => {
            let names: Vec<String> = fields
                .iter()
                .map(|f| {
                    if f.signed {
                        format!("{} (redan signerat)", f.name)
                    } else {
                        f.name.clone()
                    }
                })
                .collect();
            if names.is_empty() {
                "PDF:en har inga underskriftsfält".into()
            } else {
                format!(
                    "PDF:en har inget underskriftsfält med det namnet; den har {}",
                    names.join(", ")
                )
            }
        }
        fill::FillError::AlreadySigned => "fältet är redan signerat".into(),
        fill::FillError::TooLarge => "signaturen får inte plats i PDF:en".into(),
    }
}

/// What to sign and how.
pub struct SignRequest<'a> {
    /// The PDF's bytes.
    pub pdf: Vec<u8>,
    /// The empty signature field to fill.
    pub field: &'a str,
    /// The signer.
    pub signer: &'a dyn Signer,
    /// The time of signing, the signer's claim (`/M`).
    pub now: DateTime<FixedOffset>,
    /// Whether a certificate with a personnummer may sign a published document.
    pub allow_personnummer: bool,
}

/// Whether a field belongs to a published document: the tjänsteskrivelse's (and the nämnd's
/// summary's) undertecknare sign in `Underskrift_undertecknare_N` (README, the table of fields).
pub fn is_published_field(field: &str) -> bool {
    field.starts_with("Underskrift_undertecknare")
}

/// Signs the field: the signed PDF's bytes.
pub fn sign(request: SignRequest) -> Result<Vec<u8>, SignError> {
    let document = fill::parse(&request.pdf).map_err(SignError::Pdf)?;
    let certificate = request.signer.certificate();
    if !certificate.valid_at(request.now.timestamp()) {
        let (from, to) = certificate.validity();
        let day = |t: i64| {
            DateTime::from_timestamp(t, 0)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        return Err(SignError::NotValidNow {
            from: day(from),
            to: day(to),
        });
    }
    if is_published_field(request.field)
        && certificate.has_personnummer()
        && !request.allow_personnummer
    {
        return Err(SignError::PersonnummerInPublished);
    }
    let field = fill::empty_field(&document, request.field).map_err(SignError::Pdf)?;
    let part_one = claims_part_one(&request.pdf);
    let shown_time = request.now.format("%Y-%m-%d %H:%M").to_string();
    use chrono::Datelike;
    let appearance = stamp::stamp(
        &certificate.common_name(),
        &shown_time,
        (request.now.year(), request.now.month(), request.now.day()),
        field.width,
        field.height,
        part_one,
    )
    .map_err(SignError::Internal)?;
    let when = pdf_date(request.now);
    let prepared =
        fill::prepare(request.pdf, &document, field, &appearance, &when).map_err(SignError::Pdf)?;
    let cms = cms::signed_data(&prepared.digest(), request.signer)?;
    prepared.finish(&cms).map_err(SignError::Pdf)
}

/// The PDF/A part a PDF claims in its XMP (`pdfaid:part`), if any.
pub fn claimed_standard(pdf: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(pdf);
    let value = |key: &str| {
        let at = text.find(key)? + key.len();
        let rest = &text[at..];
        let rest = rest.trim_start_matches(['=', '"', '>', ' ']);
        let end = rest.find(['"', '<'])?;
        Some(rest[..end].to_string())
    };
    let part = value("pdfaid:part")?;
    let conformance = value("pdfaid:conformance").unwrap_or_default();
    let mut claim = format!("PDF/A-{part}{}", conformance.to_lowercase());
    if let Some(ua) = value("pdfuaid:part") {
        claim.push_str(&format!(", PDF/UA-{ua}"));
    }
    Some(claim)
}

/// Whether the PDF claims PDF/A-1 (its stamp must then be PDF/A-1 too).
fn claims_part_one(pdf: &[u8]) -> bool {
    claimed_standard(pdf).is_some_and(|c| c.starts_with("PDF/A-1"))
}

/// A time as a PDF date: `D:YYYYMMDDHHmmSS+HH'mm'`.
pub fn pdf_date(time: DateTime<FixedOffset>) -> String {
    let offset = time.offset().local_minus_utc();
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.abs();
    format!(
        "D:{}{sign}{:02}'{:02}'",
        time.format("%Y%m%d%H%M%S"),
        offset / 3600,
        (offset % 3600) / 60
    )
}

/// A PDF date read back, as a time.
pub fn parse_pdf_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.strip_prefix("D:").unwrap_or(text);
    let digits: String = text.chars().take(14).collect();
    let naive = chrono::NaiveDateTime::parse_from_str(&digits, "%Y%m%d%H%M%S").ok()?;
    let rest = &text[digits.len()..];
    let offset = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let numbers: String = rest[1..].chars().filter(char::is_ascii_digit).collect();
            let hours: i32 = numbers.get(..2)?.parse().ok()?;
            let minutes: i32 = numbers.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
            let seconds = (hours * 3600 + minutes * 60) * if sign == '-' { -1 } else { 1 };
            FixedOffset::east_opt(seconds)?
        }
        _ => FixedOffset::east_opt(0)?,
    };
    naive.and_local_timezone(offset).single()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_are_written_and_read_back() {
        let time = DateTime::parse_from_rfc3339("2026-12-07T09:30:05+01:00").unwrap();
        assert_eq!(pdf_date(time), "D:20261207093005+01'00'");
        assert_eq!(parse_pdf_date(&pdf_date(time)), Some(time));
        assert_eq!(
            parse_pdf_date("D:20261207093005Z").map(|t| t.timestamp()),
            Some(time.timestamp() + 3600)
        );
    }
}
