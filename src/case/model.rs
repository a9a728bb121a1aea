//! The case file as serde types: every section of case-format.md, format version 1.

use serde::{Deserialize, Serialize};

use super::values::{Code, Date, Located, Text, Time};

/// A date with its place in the file.
pub type DateField = Located<Date>;

/// One ärende from the rapport to the tjänsteskrivelse.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The format version; only 1 exists.
    pub version: Located<u32>,
    /// A built-in profile name, or a profile file relative to the case.
    pub profil: Located<String>,
    /// What the ärende is and who handles it.
    pub arende: Arende,
    /// The lex Sarah-rapport.
    pub rapport: Option<Rapport>,
    /// The lex Sarah-utredning.
    pub utredning: Option<Utredning>,
    /// The beslut enligt delegation.
    pub beslut: Option<Beslut>,
    /// The tjänsteskrivelse to the nämnd.
    pub tjansteskrivelse: Option<Tjansteskrivelse>,
}

/// The ärende: diarienummer, title and the handling nämnd.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Arende {
    /// The diarienummer, taken exactly as written.
    pub diarienummer: Located<Code>,
    /// A short title of the ärende.
    pub rubrik: Located<String>,
    /// The nämnd; default from the profile.
    pub namnd: Option<String>,
    /// The förvaltning; default from the profile.
    pub forvaltning: Option<String>,
    /// The law the verksamhet falls under.
    pub lag: Lag,
    /// Whether rapport, utredning and beslut carry the sekretess marking (default true).
    pub sekretess: Option<bool>,
    /// The date of the anmälan to IVO.
    pub ivo_anmalan: Option<DateField>,
}

/// The law a verksamhet falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Lag {
    /// Socialtjänstlagen.
    SoL,
    /// Lagen om stöd och service till vissa funktionshindrade.
    #[serde(rename = "LSS")]
    Lss,
}

/// The lex Sarah-rapport.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rapport {
    /// A missförhållande or a påtaglig risk for one.
    pub typ: RapportTyp,
    /// Who reports.
    pub rapportor: Rapportor,
    /// What the rapport is about.
    pub avser: Avser,
    /// When it was noticed.
    pub uppmarksammat: Uppmarksammat,
    /// The sex of the person it happened to, where given.
    pub utsatt_person: Option<UtsattPerson>,
    /// Beskriv missförhållandet.
    pub beskrivning: Located<Text>,
    /// Beskriv vilka konsekvenser.
    pub konsekvenser: Located<Text>,
    /// Åtgärder vidtagna omedelbart.
    pub atgarder: Located<Text>,
    /// Övriga upplysningar.
    pub ovrigt: Option<Located<Text>>,
    /// The reporter's signature date.
    pub datum: DateField,
    /// The nämnd's lex Sarah-ansvarig.
    pub lex_sarah_ansvarig: Option<LexSarahAnsvarig>,
    /// Ställningstagande att inte inleda utredning.
    pub ej_utredning: Option<EjUtredning>,
}

/// Whether the rapport concerns a missförhållande or a risk of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RapportTyp {
    /// Om ett missförhållande.
    Missforhallande,
    /// Om en påtaglig risk för ett missförhållande.
    Risk,
}

/// The person who reports.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rapportor {
    /// Namn.
    pub namn: String,
    /// Titel/ funktion.
    pub titel: String,
    /// Arbetsplats.
    pub arbetsplats: String,
    /// Telefonnummer.
    pub telefon: Option<Code>,
    /// E-postadress.
    pub epost: Option<String>,
}

/// Where the missförhållande was noticed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Avser {
    /// Enhetens/ avdelningens namn.
    pub enhet: String,
    /// Verksamhetsområde.
    pub verksamhetsomrade: Verksamhetsomrade,
    /// Förtydligande, printed on the ticked row.
    pub fortydligande: Option<String>,
}

/// The eight verksamhetsområden of the rapport form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verksamhetsomrade {
    /// Äldreomsorg.
    Aldreomsorg,
    /// Funktionsnedsättning.
    Funktionsnedsattning,
    /// Socialpsykiatri.
    Socialpsykiatri,
    /// Vuxen/ Missbruk.
    VuxenMissbruk,
    /// Barn och ungdom.
    BarnOchUngdom,
    /// Ekonomiskt bistånd.
    EkonomisktBistand,
    /// Jobbtorg.
    Jobbtorg,
    /// Kvinnojoursverksamhet, härbärgen m.fl.
    Kvinnojour,
}

/// When the missförhållande was noticed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Uppmarksammat {
    /// Datum.
    pub datum: DateField,
    /// Klockslag.
    pub klockslag: Option<Located<Time>>,
    /// Veckodag; derived from datum, and if given it must agree.
    pub veckodag: Option<Located<String>>,
}

/// Kvinna or man.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UtsattPerson {
    /// Kvinna.
    Kvinna,
    /// Man.
    Man,
}

/// The nämnd's lex Sarah-ansvarig.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LexSarahAnsvarig {
    /// Namn.
    pub namn: String,
    /// Titel.
    pub titel: Option<String>,
    /// E-postadress.
    pub epost: Option<String>,
    /// Telefonnummer.
    pub telefon: Option<Code>,
}

/// The decision not to open an utredning.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EjUtredning {
    /// Datum.
    pub datum: DateField,
    /// Who decided.
    pub namn: String,
}

/// The lex Sarah-utredning.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Utredning {
    /// Rapporten inkom (datum).
    pub rapport_inkom: DateField,
    /// Rapportens diarienummer; default arende.diarienummer.
    pub rapportens_diarienummer: Option<Code>,
    /// Utredningen inledd (datum).
    pub inledd: DateField,
    /// Utredare (namn, befattning).
    pub utredare: Person,
    /// När och hur uppmärksammades.
    pub uppmarksammades: Located<Text>,
    /// När inträffade händelsen.
    pub intraffade: Option<Located<Text>>,
    /// Vad har det rapporterade bestått i.
    pub bestod_i: Located<Text>,
    /// Vilka konsekvenser.
    pub konsekvenser: Located<Text>,
    /// Har det inträffat tidigare.
    pub intraffat_tidigare: Located<Text>,
    /// Skulle något liknande kunna inträffa igen.
    pub kan_intraffa_igen: Located<JaNej>,
    /// Förklara varför.
    pub kan_intraffa_igen_forklaring: Located<Text>,
    /// Utredning av bakomliggande orsaker.
    #[serde(default)]
    pub orsaker: Orsaker,
    /// Uppgifter om vilka åtgärder som har vidtagits.
    pub atgarder: UtredningAtgarder,
    /// Behov av ytterligare uppföljning, utvärdering och kontroll.
    pub uppfoljning: Located<Text>,
    /// Övrigt.
    pub ovrigt: Option<Located<Text>>,
    /// Förslag till beslut.
    pub forslag: Located<Utfall>,
    /// The date the utredning was finished.
    pub avslutad: Option<DateField>,
    /// Dates information was sent to the nämnd.
    pub information_till_namnd: Option<InformationTillNamnd>,
    /// Fortlöpande dokumentation.
    #[serde(default)]
    pub dokumentation: Vec<Dokumentation>,
}

/// A name and a befattning.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Namn.
    pub namn: String,
    /// Befattning.
    pub befattning: String,
}

/// Ja or nej.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JaNej {
    /// Ja.
    Ja,
    /// Nej.
    Nej,
}

/// The six headings of the root-cause analysis, each optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Orsaker {
    /// Kommunikation och information.
    pub kommunikation: Option<Located<Text>>,
    /// Utbildning och kompetens.
    pub utbildning: Option<Located<Text>>,
    /// Processer, rutiner och riktlinjer.
    pub processer: Option<Located<Text>>,
    /// Omgivning och organisation.
    pub organisation: Option<Located<Text>>,
    /// Teknik, utrustning och apparatur.
    pub teknik: Option<Located<Text>>,
    /// Andra bakomliggande orsaker.
    pub andra: Option<Located<Text>>,
}

/// The three questions on measures taken.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UtredningAtgarder {
    /// Vilka åtgärder har vidtagits.
    pub vidtagna: Located<Text>,
    /// När vidtogs åtgärderna.
    pub nar: Located<Text>,
    /// Förebyggande åtgärder.
    pub forebyggande: Located<Text>,
}

/// The five outcomes of an utredning or beslut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Utfall {
    /// En påtaglig risk för missförhållande.
    Risk,
    /// Ett missförhållande.
    Missforhallande,
    /// En påtaglig risk för allvarligt missförhållande (anmäls till IVO).
    AllvarligRisk,
    /// Ett allvarligt missförhållande (anmäls till IVO).
    Allvarligt,
    /// Inte ett missförhållande eller allvarlig risk för missförhållande.
    Inget,
}

impl Utfall {
    /// Every outcome, in the order the form lists them.
    pub const ALL: [Utfall; 5] = [
        Utfall::Risk,
        Utfall::Missforhallande,
        Utfall::AllvarligRisk,
        Utfall::Allvarligt,
        Utfall::Inget,
    ];

    /// The sentence the forms print for this outcome.
    pub fn sentence(self) -> &'static str {
        match self {
            Utfall::Risk => "Det rapporterade utgjorde en påtaglig risk för missförhållande",
            Utfall::Missforhallande => "Det rapporterade utgjorde ett missförhållande",
            Utfall::AllvarligRisk => {
                "Det rapporterade utgjorde en påtaglig risk för allvarligt missförhållande (anmäls till IVO)*"
            }
            Utfall::Allvarligt => {
                "Det rapporterade utgjorde ett allvarligt missförhållande (anmäls till IVO)*"
            }
            Utfall::Inget => {
                "Det rapporterade utgjorde inte ett missförhållande eller allvarlig risk för missförhållande"
            }
        }
    }

    /// Whether the outcome must be reported to IVO.
    pub fn is_serious(self) -> bool {
        matches!(self, Utfall::AllvarligRisk | Utfall::Allvarligt)
    }
}

/// Dates on which information was sent to the beställande nämnd.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InformationTillNamnd {
    /// Information om den inkomna rapporten.
    pub rapport: Option<DateField>,
    /// Information om anmälan till IVO.
    pub ivo_anmalan: Option<DateField>,
    /// En kopia på utredningen.
    pub kopia_utredning: Option<DateField>,
    /// En kopia på avslutad utredning.
    pub kopia_avslutad: Option<DateField>,
}

/// One row of the Fortlöpande dokumentation table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dokumentation {
    /// Datum.
    pub datum: DateField,
    /// Anteckning.
    pub anteckning: String,
    /// Bilaga nr.
    pub bilaga: Option<Code>,
    /// Sign. (namn befattn.).
    pub sign: Option<String>,
}

/// The beslut enligt delegation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Beslut {
    /// The date of the beslut.
    pub datum: DateField,
    /// Ärende, printed with the diarienummer; default arende.rubrik.
    pub arende: Option<String>,
    /// Bakgrund.
    pub bakgrund: Located<Text>,
    /// Bedömning och förslag till beslut.
    pub bedomning: Located<Text>,
    /// The decision as worded.
    pub beslut: Located<Text>,
    /// The outcome; default utredning.forslag.
    pub utfall: Option<Located<Utfall>>,
    /// Ärendegrupp in the delegationsordning.
    pub delegation: Located<Code>,
    /// Who decides.
    pub beslutsfattare: Person,
}

/// The tjänsteskrivelse that informs the nämnd.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Tjansteskrivelse {
    /// Datum.
    pub datum: DateField,
    /// Handläggare.
    pub handlaggare: String,
    /// Mottagare; default arende.namnd.
    pub mottagare: Option<String>,
    /// The title.
    pub rubrik: String,
    /// The proposals, printed as a list.
    pub forslag_till_beslut: Vec<String>,
    /// Those who sign, in order.
    pub undertecknare: Vec<Person>,
    /// Sammanfattning.
    pub sammanfattning: Located<Text>,
    /// Beskrivning av ärendet.
    pub beskrivning: Located<Text>,
    /// Whether to include the standard legal text (default true).
    pub lagtext: Option<bool>,
    /// Ekonomiska konsekvenser.
    pub ekonomiska_konsekvenser: Option<Located<Text>>,
    /// Barnets bästa.
    pub barnets_basta: Option<Located<Text>>,
}

impl Case {
    /// The case's outcome: `beslut.utfall` where there is a beslut, otherwise `utredning.forslag`.
    pub fn outcome(&self) -> Option<Utfall> {
        let from_beslut = self
            .beslut
            .as_ref()
            .and_then(|b| b.utfall.as_ref())
            .map(|u| u.value);
        let from_utredning = self.utredning.as_ref().map(|u| u.forslag.value);
        from_beslut.or(from_utredning)
    }

    /// Whether rapport, utredning and beslut carry the sekretess marking.
    pub fn is_confidential(&self) -> bool {
        self.arende.sekretess.unwrap_or(true)
    }
}
