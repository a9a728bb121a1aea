//! The four documents of a case: their tokens, default names, dates and file names.

use std::fmt;

use crate::case::Case;
use crate::case::values::{Date, Located};

/// One of the documents a case goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    /// Lex Sarah-rapport.
    Rapport,
    /// Lex Sarah-utredning.
    Utredning,
    /// Beslut enligt delegation.
    Beslut,
    /// Tjänsteskrivelse to the nämnd.
    Tjansteskrivelse,
}

impl DocKind {
    /// Every document, in the order a case goes through them.
    pub const ALL: [DocKind; 4] = [
        DocKind::Rapport,
        DocKind::Utredning,
        DocKind::Beslut,
        DocKind::Tjansteskrivelse,
    ];

    /// The `--doc` token, also used in file names.
    pub fn token(self) -> &'static str {
        match self {
            DocKind::Rapport => "rapport",
            DocKind::Utredning => "utredning",
            DocKind::Beslut => "beslut",
            DocKind::Tjansteskrivelse => "tjansteskrivelse",
        }
    }

    /// Parses a `--doc` token.
    pub fn from_token(token: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.token() == token)
    }

    /// The document's name when the profile does not rename it.
    pub fn default_name(self) -> &'static str {
        match self {
            DocKind::Rapport => "Lex Sarah-rapport",
            DocKind::Utredning => "Lex Sarah-utredning",
            DocKind::Beslut => "Beslut enligt delegation",
            DocKind::Tjansteskrivelse => "Tjänsteskrivelse",
        }
    }

    /// The document in Swedish prose, in the definite form ("beslutet").
    pub fn definite(self) -> &'static str {
        match self {
            DocKind::Rapport => "rapporten",
            DocKind::Utredning => "utredningen",
            DocKind::Beslut => "beslutet",
            DocKind::Tjansteskrivelse => "tjänsteskrivelsen",
        }
    }

    /// Whether the case has the section this document is made from.
    pub fn is_in(self, case: &Case) -> bool {
        match self {
            DocKind::Rapport => case.rapport.is_some(),
            DocKind::Utredning => case.utredning.is_some(),
            DocKind::Beslut => case.beslut.is_some(),
            DocKind::Tjansteskrivelse => case.tjansteskrivelse.is_some(),
        }
    }

    /// Every document the case has a section for, in the order of [`DocKind::ALL`].
    pub fn all_in(case: &Case) -> Vec<DocKind> {
        DocKind::ALL.into_iter().filter(|d| d.is_in(case)).collect()
    }

    /// The document's date (case-format.md, "Documents, dates and file names").
    pub fn date(self, case: &Case) -> Option<Date> {
        self.date_field(case).map(|d| d.value)
    }

    /// The field that holds the document's date, with its place in the file.
    pub fn date_field(self, case: &Case) -> Option<&Located<Date>> {
        match self {
            DocKind::Rapport => case.rapport.as_ref().map(|r| &r.datum),
            DocKind::Utredning => case
                .utredning
                .as_ref()
                .map(|u| u.avslutad.as_ref().unwrap_or(&u.inledd)),
            DocKind::Beslut => case.beslut.as_ref().map(|b| &b.datum),
            DocKind::Tjansteskrivelse => case.tjansteskrivelse.as_ref().map(|t| &t.datum),
        }
    }

    /// The PDF's file name for a case with this diarienummer.
    pub fn file_name(self, diarienummer: &str) -> String {
        format!("{}-{}.pdf", file_stem(diarienummer), self.token())
    }
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.token())
    }
}

/// The file-name stem of a diarienummer: each run of unsafe characters becomes one `-`.
pub fn file_stem(diarienummer: &str) -> String {
    let unsafe_char = |c: char| {
        matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
            || c.is_control()
            || c.is_whitespace()
    };
    let mut stem = String::with_capacity(diarienummer.len());
    let mut in_run = false;
    for c in diarienummer.chars() {
        if unsafe_char(c) {
            if !in_run {
                stem.push('-');
            }
            in_run = true;
        } else {
            stem.push(c);
            in_run = false;
        }
    }
    // A stem of only dots would name the folder itself or its parent.
    if stem.chars().all(|c| c == '.' || c == '-') {
        stem = format!("arende{stem}");
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_runs_become_one_dash() {
        assert_eq!(file_stem("2021/ASN 0026"), "2021-ASN-0026");
        assert_eq!(file_stem("AMN 2019-0746-1.3"), "AMN-2019-0746-1.3");
        assert_eq!(
            file_stem("2020-0428_Lex Sara_200324"),
            "2020-0428_Lex-Sara_200324"
        );
        assert_eq!(file_stem("a : / b"), "a-b");
    }

    #[test]
    fn a_stem_never_climbs_out_of_its_folder() {
        assert_eq!(file_stem(".."), "arende..");
        assert_eq!(file_stem("../../etc"), "..-..-etc");
    }

    #[test]
    fn tokens_round_trip() {
        for doc in DocKind::ALL {
            assert_eq!(DocKind::from_token(doc.token()), Some(doc));
        }
    }
}
