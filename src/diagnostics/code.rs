//! The stable codes of diagnostics, one variant each, as the case-format reference lists them.

use std::fmt;

use serde::{Serialize, Serializer};

use super::Severity;

/// Defines [`Code`] with each variant's code, its usual severity and its meaning in one row.
macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident, $meaning:literal;)*) => {
        /// What a diagnostic is about; its string is stable (new codes are added, none renamed).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(
                #[doc = $meaning]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the order of the reference's table.
            pub const ALL: &[Code] = &[$(Code::$variant),*];

            /// The code as printed and in JSON (`datum-ordning`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// How serious a diagnostic with this code is unless `--strict` makes it an error.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// What the code means, in the words of the reference's table.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                }
            }
        }
    };
}

codes! {
    YamlSyntax = "yaml-syntax", Error, "the file is not valid YAML (or not UTF-8 text)";
    ForStorFil = "for-stor-fil", Error, "the file is over the size limit";
    OkandNyckel = "okand-nyckel", Error, "unknown key (hint: the nearest known key)";
    SaknatFalt = "saknat-falt", Error, "a required field is missing";
    FelTyp = "fel-typ", Error, "a value of the wrong type";
    OgiltigtVarde = "ogiltigt-varde", Error, "a value outside its enumeration (hint: the allowed values)";
    OgiltigtDatum = "ogiltigt-datum", Error, "not a real date or time";
    ForLangtVarde = "for-langt-varde", Error, "a value longer than its field allows (a diarienummer becomes a file name, a name goes into a header)";
    OkandProfil = "okand-profil", Error, "the profile named does not exist or cannot be read";
    Platshallare = "platshallare", Error, "a placeholder from `lexsarah new` is still unfilled";
    OtillatetTecken = "otillatet-tecken", Error, "a character the embedded font cannot print, or a bidirectional override";
    DatumOrdning = "datum-ordning", Error, "dates run backwards";
    FelVeckodag = "fel-veckodag", Error, "veckodag disagrees with datum";
    IvoAnmalanSaknas = "ivo-anmalan-saknas", Error, "serious outcome without an IVO anmälan date";
    IvoAnmalanForeRapport = "ivo-anmalan-fore-rapport", Error, "IVO anmälan dated before the rapport";
    ImyAnmalan = "imy-anmalan", Error, "IMY anmälan of a personal-data incident dated before the incident was noticed";
    OkantVerksamhetsomrade = "okant-verksamhetsomrade", Error, "the rapport's verksamhetsområde is not one of the profile's";
    DiarienummerFormat = "diarienummer-format", Error, "diarienummer does not match the profile's pattern";
    SymboliskLank = "symbolisk-lank", Error, "a case file or folder among a batch's cases is a symbolic link, which batch does not follow";
    DiarienummerDubblett = "diarienummer-dubblett", Error, "a batch holds two cases with one diarienummer (the later one is refused)";
    LagrumSaknas = "lagrum-saknas", Error, "a document dated before the first date the lagrum table covers";
    UtfallSkiljer = "utfall-skiljer", Warning, "beslut.utfall differs from utredning.forslag";
    FramtidaDatum = "framtida-datum", Warning, "a date in the future";
    Personnummer = "personnummer", Warning, "no longer given: a personnummer in the tjänsteskrivelse is `publicerat-personnummer`, an error, since it is published";
    UtredningSen = "utredning-sen", Warning, "utredning finished more than two months after the IVO anmälan";
    SosfsInnehall = "sosfs-innehall", Warning, "content SOSFS 2011:5 requires of an utredning is empty";
    LagrumSkiljer = "lagrum-skiljer", Warning, "`arende.lagrum` disagrees with a document's date";
    NotisIvo = "notis-ivo", Error, "a public notice without an IVO anmälan, or published before it";
    AnmalanUtfall = "anmalan-utfall", Error, "an anmälan to IVO in a case whose outcome is not an allvarligt missförhållande or a påtaglig risk for one";
    AnmalanAvser = "anmalan-avser", Error, "the anmälan's two boxes (allvarligt missförhållande or påtaglig risk) do not follow the case's outcome, or there is no outcome yet and `anmalan.avser` is not given";
    AnmalanDatum = "anmalan-datum", Error, "`anmalan.datum` differs from `arende.ivo_anmalan`, or neither is given";
    AnmalanBifogat = "anmalan-bifogat", Error, "\"Slutförd utredning\" is ticked but the utredning was not finished by the anmälan's day, or its sending to IVO is dated before the anmälan";
    AnmalanGorsAv = "anmalan-gors-av", Error, "\"Anmälan görs av\" is not exactly one of Nämnd, Enskild verksamhet and Statens institutionsstyrelse with what it needs";
    AnmalanInnehall = "anmalan-innehall", Warning, "a field of the blankett that the case cannot fill is empty";
    PubliceratNamn = "publicerat-namn", Error, "a name from the case files in published text: the notice (only `kontakt` may have one), the summary";
    PubliceratPersonnummer = "publicerat-personnummer", Error, "a personnummer or samordningsnummer in published text, in any writing: the notice, the tjänsteskrivelse, the summary";
    PubliceratKontaktuppgift = "publicerat-kontaktuppgift", Error, "an e-mail address or a telephone number in the public notice";
    PubliceratDatum = "publicerat-datum", Error, "an exact date in the public notice";
    PubliceratOsynligtTecken = "publicerat-osynligt-tecken", Error, "an invisible character (zero-width space or joiner, soft hyphen, byte-order mark) or a bidirectional control in published text: the notice, the tjänsteskrivelse, the summary";
    PubliceratKontakt = "publicerat-kontakt", Error, "the notice's `kontakt`: a name that is more than the person's name, or a title with a number or a word that may be a name";
    TjansteskrivelseNamn = "tjansteskrivelse-namn", Warning, "a name from the case file, other than its own handläggare and undertecknare, in the tjänsteskrivelse, which goes to the nämnd and can become public";
    NamnliknandeOrd = "namnliknande-ord", Warning, "words in the public notice that look like names of people not in the case file";
    Renderingsfel = "renderingsfel", Error, "a document could not be made (a defect in lexsarah or in your own templates)";
    Skrivfel = "skrivfel", Error, "a file or folder could not be written";
    SigneradPdf = "signerad-pdf", Error, "a PDF in the way has been signed since it was made, and is not overwritten without `--force`";
    ArkivetAndrat = "arkivet-andrat", Error, "a PDF in the archive has other bytes than the new one, and is not overwritten without `--force`";
    AndradUnderKorning = "andrad-under-korning", Error, "a case file was changed while batch was making it (run the batch again)";
    SigneringAvbruten = "signering-avbruten", Error, "a PDF could not be signed (a wrong passphrase, a field that is not there or already signed, a key that does not match its certificate, a certificate not valid now, an encrypted or damaged PDF): nothing was written";
    InterntFel = "internt-fel", Error, "lexsarah failed inside while making the case (please report it)";
    KanInteKoras = "kan-inte-koras", Error, "the command could not run at all: an argument or a folder it needs is wrong";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference's table of codes, as `| `code` | severity | meaning |` rows.
    fn documented() -> Vec<String> {
        include_str!("../../docs/case-format.md")
            .lines()
            .skip_while(|l| !l.starts_with("## Diagnostics"))
            .take_while(|l| !l.starts_with("## Documents"))
            .filter(|l| l.starts_with("| `"))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_reference_lists_every_code_with_its_severity_and_meaning() {
        let expected: Vec<String> = Code::ALL
            .iter()
            .map(|c| {
                let severity = match c.severity() {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                format!("| `{c}` | {severity} | {} |", c.meaning())
            })
            .collect();
        assert_eq!(
            documented(),
            expected,
            "docs/case-format.md, ## Diagnostics"
        );
    }
}
