//! The case file as serde types: every section of case-format.md, format version 1.
//!
//! The doc comments are in Swedish: they are the descriptions `lexsarah schema` gives editors.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::source::values::{Code, Date, Located, Text, Time};

/// A date with its place in the file.
pub type DateField = Located<Date>;

/// Ett lex Sarah-ärende, från rapporten till tjänsteskrivelsen.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Formatets version; skriv 1.
    pub version: Located<u32>,
    /// Organisationens profil: en inbyggd (stockholm, mjolby) eller en profilfil, räknad från den här filens mapp.
    pub profil: Located<String>,
    /// Ärendet: diarienummer, rubrik och lag.
    pub arende: Arende,
    /// Lex Sarah-rapporten från den som rapporterar.
    pub rapport: Option<Rapport>,
    /// Lex Sarah-utredningen.
    pub utredning: Option<Utredning>,
    /// Beslutet enligt delegation.
    pub beslut: Option<Beslut>,
    /// Tjänsteskrivelsen (tjänsteutlåtandet) som informerar nämnden.
    pub tjansteskrivelse: Option<Tjansteskrivelse>,
    /// Anmälan till IVO på blanketten "Anmälan – lex Sarah", när missförhållandet är allvarligt.
    pub anmalan: Option<Anmalan>,
    /// Nyheten som kommunen publicerar på sin webbplats när händelsen anmäls till IVO.
    pub notis: Option<Notis>,
}

/// Ärendet: diarienummer, rubrik, lag och nämnd.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Arende {
    /// Diarienumret, precis som i diariet (till exempel "AMN 2019-0746-1.3").
    #[schemars(length(max = 100))]
    pub diarienummer: Located<Code>,
    /// Ärendets korta rubrik.
    #[schemars(length(max = 300))]
    pub rubrik: Located<String>,
    /// Nämnden; utelämnas den gäller profilens nämnd.
    #[schemars(length(max = 200))]
    pub namnd: Option<String>,
    /// Förvaltningen; utelämnas den gäller profilens förvaltning.
    #[schemars(length(max = 200))]
    pub forvaltning: Option<String>,
    /// Lagen verksamheten bedrivs enligt: SoL eller LSS.
    pub lag: Lag,
    /// Ska rapport, utredning och beslut märkas med sekretess? Utelämnas det märks de.
    pub sekretess: Option<bool>,
    /// Datum för anmälan till IVO; krävs vid allvarligt missförhållande eller påtaglig risk för ett sådant.
    pub ivo_anmalan: Option<DateField>,
    /// Är händelsen en personuppgiftsincident? En sådan ska anmälas till IMY inom 72 timmar.
    pub personuppgiftsincident: Option<Located<JaNej>>,
    /// Datum för anmälan till Integritetsskyddsmyndigheten (IMY), för en personuppgiftsincident.
    pub imy_anmalan: Option<DateField>,
    /// Socialtjänstlagen som handlingarna ska hänvisa till ("2001:453" eller "2025:400"), när organisationen har bestämt det; utelämnas den avgör varje handlings datum.
    pub lagrum: Option<Located<Code>>,
}

/// Lagen verksamheten bedrivs enligt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Lag {
    /// Socialtjänstlagen.
    SoL,
    /// Lagen om stöd och service till vissa funktionshindrade.
    #[serde(rename = "LSS")]
    Lss,
}

/// Lex Sarah-rapporten.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rapport {
    /// Om rapporten gäller ett missförhållande eller en påtaglig risk för ett missförhållande.
    pub typ: RapportTyp,
    /// Rapporten lämnas av: den som lämnar rapporten.
    pub rapportor: Rapportor,
    /// Rapporten avser: enhet och verksamhetsområde.
    pub avser: Avser,
    /// När missförhållandet eller risken uppmärksammades.
    #[schemars(extend("x-rubrik" = "Uppgifter om missförhållandet eller den påtagliga risken för ett missförhållande"))]
    pub uppmarksammat: Uppmarksammat,
    /// Personen som utsatts är kvinna eller man.
    pub utsatt_person: Option<UtsattPerson>,
    /// Beskriv missförhållandet eller den påtagliga risken för ett missförhållande.
    pub beskrivning: Located<Text>,
    /// Beskriv vilka konsekvenser missförhållandet har fått eller kunde ha fått.
    pub konsekvenser: Located<Text>,
    /// Beskriv vilka eventuella åtgärder som har vidtagits omedelbart.
    pub atgarder: Located<Text>,
    /// Övriga upplysningar.
    pub ovrigt: Option<Located<Text>>,
    /// Datum då rapportören skriver under.
    #[schemars(extend("x-rubrik" = "Underskrift av rapportören"))]
    pub datum: DateField,
    /// Nämndens lex Sarah-ansvariga (fylls i av den lex Sarah-ansvariga).
    pub lex_sarah_ansvarig: Option<LexSarahAnsvarig>,
    /// Ställningstagande att inte inleda utredning enligt lex Sarah.
    pub ej_utredning: Option<EjUtredning>,
}

/// Vad rapporten gäller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RapportTyp {
    /// Om ett missförhållande i verksamheten.
    Missforhallande,
    /// Om en påtaglig risk för ett missförhållande i verksamheten.
    Risk,
}

/// Den som lämnar rapporten.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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

/// Vad rapporten avser.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Avser {
    /// Enhetens/ avdelningens namn.
    pub enhet: String,
    /// Verksamhetsområde där missförhållandet har uppmärksammats: ett av profilens (Stockholms åtta om profilen inte har en egen lista, till exempel aldreomsorg eller jobbtorg).
    pub verksamhetsomrade: Located<String>,
    /// Förtydliga vad missförhållandet rör, till exempel hemtjänst, boendestöd eller HVB.
    pub fortydligande: Option<String>,
}

/// När missförhållandet uppmärksammades.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Uppmarksammat {
    /// Datum (ÅÅÅÅ-MM-DD).
    pub datum: DateField,
    /// Klockslag (TT:MM).
    pub klockslag: Option<Located<Time>>,
    /// Veckodag; räknas ut från datumet, och anges den måste den stämma.
    pub veckodag: Option<Located<String>>,
}

impl Uppmarksammat {
    /// The day of the week it was noticed: as written, else from its date.
    pub fn weekday(&self) -> String {
        self.veckodag
            .as_ref()
            .map(|v| v.value.clone())
            .unwrap_or_else(|| self.datum.value.weekday_sv().to_string())
    }
}

/// Kvinna eller man.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UtsattPerson {
    /// Kvinna.
    Kvinna,
    /// Man.
    Man,
}

/// Nämndens lex Sarah-ansvariga.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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

/// Ställningstagande att inte inleda utredning.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EjUtredning {
    /// Datum för ställningstagandet.
    pub datum: DateField,
    /// Namn på den som tog ställning.
    pub namn: String,
}

/// Lex Sarah-utredningen (Utredningsmall lex Sarah).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Utredning {
    /// Rapporten inkom (datum).
    #[schemars(extend("x-rubrik" = "Uppgifter om rapporten och påbörjad utredning"))]
    pub rapport_inkom: DateField,
    /// Rapportens diarienummer; utelämnas det gäller ärendets.
    pub rapportens_diarienummer: Option<Code>,
    /// Utredningen inledd (datum).
    pub inledd: DateField,
    /// Utredare (namn, befattning).
    pub utredare: Person,
    /// När och hur uppmärksammades missförhållandet eller risken för missförhållandet?
    #[schemars(extend("x-rubrik" = "Uppgifter om det rapporterade missförhållandet eller den påtagliga risken för ett missförhållande"))]
    pub uppmarksammades: Located<Text>,
    /// När inträffade händelsen? Socialstyrelsens föreskrifter kräver uppgiften; utan den varnar kontrollen.
    #[schemars(extend("x-kravs" = "SOSFS 2011:5"))]
    pub intraffade: Option<Located<Text>>,
    /// Vad har det rapporterade missförhållandet eller risken för missförhållande bestått i?
    pub bestod_i: Located<Text>,
    /// Vilka konsekvenser fick händelsen eller kunde den ha fått för den enskilde?
    pub konsekvenser: Located<Text>,
    /// Har missförhållandet inträffat tidigare? I så fall, varför har det inträffat igen?
    pub intraffat_tidigare: Located<Text>,
    /// Skulle något liknande kunna inträffa igen?
    pub kan_intraffa_igen: Located<JaNej>,
    /// Förklara varför.
    pub kan_intraffa_igen_forklaring: Located<Text>,
    /// Utredning av bakomliggande orsaker: sex rubriker, var och en kan utelämnas, men Socialstyrelsens föreskrifter kräver något om orsakerna.
    #[serde(default)]
    #[schemars(extend("x-kravs" = "SOSFS 2011:5"))]
    pub orsaker: Orsaker,
    /// Uppgifter om vilka åtgärder som har vidtagits.
    pub atgarder: UtredningAtgarder,
    /// Planerade åtgärder, var och en med ansvarig och när den ska vara klar (skrivs under åtgärderna).
    #[serde(default)]
    pub planerade_atgarder: Vec<PlaneradAtgard>,
    /// Behov av ytterligare uppföljning, utvärdering och kontroll.
    #[schemars(extend("x-rubrik" = "Uppföljning och förslag till beslut"))]
    pub uppfoljning: Located<Text>,
    /// Övrigt som har framkommit i utredningen.
    pub ovrigt: Option<Located<Text>>,
    /// Förslag till beslut: ett av de fem utfallen.
    pub forslag: Located<Utfall>,
    /// Datum då utredningen avslutades.
    pub avslutad: Option<DateField>,
    /// Datum för när information har skickats till beställande nämnd.
    pub information_till_namnd: Option<InformationTillNamnd>,
    /// Fortlöpande dokumentation av utredningen, en rad per anteckning.
    #[serde(default)]
    pub dokumentation: Vec<Dokumentation>,
}

/// En planerad åtgärd i utredningen.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaneradAtgard {
    /// Vad som ska göras.
    pub atgard: String,
    /// Vem som ansvarar.
    pub ansvarig: Option<String>,
    /// När åtgärden ska vara klar.
    pub klar_senast: DateField,
    /// Datum då åtgärden blev klar.
    pub genomford: Option<DateField>,
}

/// Namn och befattning.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Namn.
    pub namn: String,
    /// Befattning.
    pub befattning: String,
}

/// Ja eller nej.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JaNej {
    /// Ja.
    Ja,
    /// Nej.
    Nej,
}

/// Bakgrundsorsakernas sex rubriker; var och en kan utelämnas.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
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

/// Frågorna om åtgärder.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UtredningAtgarder {
    /// Vilka åtgärder har vidtagits för att undanröja eller avhjälpa missförhållandet?
    pub vidtagna: Located<Text>,
    /// När vidtogs åtgärderna?
    pub nar: Located<Text>,
    /// Vilka åtgärder har vidtagits eller planeras för att förhindra att något liknande uppkommer?
    pub forebyggande: Located<Text>,
}

/// Utredningens förslag eller beslutets utfall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
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

/// Datum för information till beställande nämnd.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InformationTillNamnd {
    /// Information om den inkomna rapporten har skickats den.
    pub rapport: Option<DateField>,
    /// Information om anmälan till IVO har skickats den.
    pub ivo_anmalan: Option<DateField>,
    /// En kopia på utredningen har bifogats den.
    pub kopia_utredning: Option<DateField>,
    /// En kopia på avslutad utredning har skickats till beställande nämnd den.
    pub kopia_avslutad: Option<DateField>,
}

/// En rad i Fortlöpande dokumentation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dokumentation {
    /// Datum för anteckningen.
    pub datum: DateField,
    /// Anteckning.
    pub anteckning: String,
    /// Bilaga nr.
    pub bilaga: Option<Code>,
    /// Sign. (namn befattn.).
    pub sign: Option<String>,
}

/// Beslut enligt delegation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Beslut {
    /// Beslutets datum.
    pub datum: DateField,
    /// Ärendet som det skrivs före diarienumret; utelämnas det gäller ärendets rubrik.
    pub arende: Option<String>,
    /// Bakgrund.
    #[schemars(extend("x-rubrik" = "Bakgrund, förslag till beslut och beslut"))]
    pub bakgrund: Located<Text>,
    /// Bedömning och förslag till beslut.
    pub bedomning: Located<Text>,
    /// Beslutet, med de ord det fattas med.
    pub beslut: Located<Text>,
    /// Beslutets utfall; utelämnas det gäller utredningens förslag.
    pub utfall: Option<Located<Utfall>>,
    /// Ärendegrupp i delegationsordningen (till exempel 3.2).
    pub delegation: Located<Code>,
    /// Den som fattar beslutet.
    pub beslutsfattare: Person,
}

/// Anmälan till IVO på blanketten "Anmälan – lex Sarah" (bilaga till SOSFS 2011:5). Det mesta
/// tas från ärendet; här skrivs bara det som ärendet saknar, och det som blanketten behöver med
/// andra ord.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Anmalan {
    /// Datum för anmälan; utelämnas det gäller `arende.ivo_anmalan`, och anges båda måste de stämma.
    pub datum: Option<DateField>,
    /// Vad som anmäls: allvarligt (ett allvarligt missförhållande) eller risk (en påtaglig risk för ett allvarligt missförhållande); utelämnas det följer ärendets utfall.
    pub avser: Option<Located<AnmalanAvser>>,
    /// Vem som gör anmälan: namnd, enskild_verksamhet eller statens_institutionsstyrelse; utelämnas det gäller namnd.
    pub gors_av: Option<Located<GorsAv>>,
    /// Namnet på den enskilda verksamheten (till exempel bolaget eller stiftelsen), när anmälan görs av en enskild verksamhet.
    pub enskild_verksamhet: Option<Located<String>>,
    /// Den anmälningsansvariga som skriver under anmälan (namn, befattning).
    pub anmalningsansvarig: Located<Person>,
    /// Kontaktpersonen; det som utelämnas tas från rapportens lex Sarah-ansvariga och profilen.
    #[serde(default)]
    pub kontaktperson: AnmalanKontakt,
    /// Enheten där det inträffade; namn och typ tas från rapporten om de utelämnas.
    #[serde(default)]
    pub enhet: AnmalanEnhet,
    /// Datum, veckodag samt klockslag för det inträffade; utelämnas det tas från utredningens `intraffade`, annars från när det uppmärksammades.
    pub intraffade: Option<Located<String>>,
    /// Kortfattad beskrivning av missförhållandet och konsekvenserna för den enskilde; utelämnas den tas från utredningen (`bestod_i` och `konsekvenser`), annars från rapporten.
    pub beskrivning: Option<Located<Text>>,
    /// Har berörda enskilda underrättats om anmälan?
    #[schemars(extend("x-kravs" = "SOSFS 2011:5"))]
    pub underrattade: Option<Located<JaNej>>,
    /// Bifogade handlingar.
    #[serde(default)]
    pub bifogat: Bifogat,
    /// Beskrivning av verksamhetens organisation och bemanning.
    #[schemars(extend("x-kravs" = "SOSFS 2011:5"))]
    pub organisation: Option<Located<Text>>,
    /// Uppgifter om personalens utbildning, tjänstgöringstid och anställningsform (på den berörda enheten).
    #[schemars(extend("x-kravs" = "SOSFS 2011:5"))]
    pub personal: Option<Located<Text>>,
    /// Åtgärder som har vidtagits eller planeras för att förhindra att liknande missförhållanden inträffar igen; utelämnas det tas från utredningen (`atgarder.forebyggande` och de planerade åtgärderna), annars från rapporten.
    pub atgarder: Option<Located<Text>>,
    /// Datum då den slutförda utredningen skickades till IVO, när den inte bifogades anmälan (senast två månader efter anmälan).
    pub utredning_skickad: Option<DateField>,
}

impl Anmalan {
    /// Who makes the anmälan: as written, else the nämnd.
    pub fn sender(&self) -> GorsAv {
        self.gors_av.as_ref().map_or(GorsAv::Namnd, |g| g.value)
    }
}

/// Vad anmälan gäller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnmalanAvser {
    /// Ett allvarligt missförhållande.
    Allvarligt,
    /// En påtaglig risk för ett allvarligt missförhållande.
    Risk,
}

impl AnmalanAvser {
    /// The box an outcome ticks on the blankett; none for an outcome not reported to IVO.
    pub fn of(outcome: Utfall) -> Option<Self> {
        match outcome {
            Utfall::Allvarligt => Some(AnmalanAvser::Allvarligt),
            Utfall::AllvarligRisk => Some(AnmalanAvser::Risk),
            _ => None,
        }
    }
}

/// Vem som gör anmälan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GorsAv {
    /// En nämnd i en kommun eller ett landsting.
    Namnd,
    /// En enskild verksamhet (till exempel ett bolag eller en stiftelse).
    EnskildVerksamhet,
    /// Statens institutionsstyrelse.
    StatensInstitutionsstyrelse,
}

/// Kontaktpersonen för anmälan; varje uppgift kan utelämnas och tas då från ärendet.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnmalanKontakt {
    /// Kontaktperson; utelämnas den gäller rapportens lex Sarah-ansvariga, annars den anmälningsansvariga.
    pub namn: Option<String>,
    /// Titel/funktion.
    pub titel: Option<String>,
    /// Arbetsplats; utelämnas den gäller förvaltningen.
    pub arbetsplats: Option<String>,
    /// Utdelningsadress; utelämnas den tas från profilens adress.
    pub utdelningsadress: Option<String>,
    /// Postnummer; utelämnas det tas från profilens adress.
    pub postnr: Option<Code>,
    /// Postort; utelämnas den tas från profilens adress.
    pub postort: Option<String>,
    /// Telefon (inkl. riktnummer); utelämnas den tas från den lex Sarah-ansvariga, annars profilen.
    pub telefon: Option<Code>,
    /// E-postadress; utelämnas den tas från den lex Sarah-ansvariga, annars profilen.
    pub epost: Option<String>,
}

/// Enheten där det allvarliga missförhållandet inträffade eller risken förelåg.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnmalanEnhet {
    /// Enhet/avdelning; utelämnas den gäller rapportens enhet.
    pub namn: Option<String>,
    /// Typ av verksamhet; utelämnas den gäller rapportens verksamhetsområde.
    pub typ: Option<String>,
    /// Gatuadress.
    pub gatuadress: Option<String>,
    /// Postnummer.
    pub postnr: Option<Code>,
    /// Postort.
    pub postort: Option<String>,
    /// Telefon (inkl. riktnummer).
    pub telefon: Option<Code>,
}

/// Handlingar som bifogas anmälan.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bifogat {
    /// Slutförd utredning (kryssas för SoL eller LSS efter ärendets lag); utelämnas det kryssas när utredningen är avslutad senast samma dag som anmälan.
    pub utredning: Option<Located<bool>>,
    /// Gällande rutiner i verksamheten som är av betydelse för det aktuella missförhållandet.
    pub rutiner: Option<bool>,
    /// Övrigt: vilka andra handlingar som bifogas.
    pub ovrigt: Option<String>,
}

/// Tjänsteskrivelsen som informerar nämnden.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tjansteskrivelse {
    /// Datum.
    pub datum: DateField,
    /// Handläggare.
    pub handlaggare: String,
    /// Mottagare; utelämnas det gäller ärendets nämnd.
    pub mottagare: Option<String>,
    /// Rubriken.
    pub rubrik: String,
    /// Förslagen till beslut, ett per rad.
    pub forslag_till_beslut: Vec<String>,
    /// De som skriver under, i ordning.
    pub undertecknare: Vec<Person>,
    /// Sammanfattning.
    pub sammanfattning: Located<Text>,
    /// Beskrivning av ärendet.
    pub beskrivning: Located<Text>,
    /// Om standardtexten om lex Sarah ska inleda beskrivningen; utelämnas det gör den det.
    pub lagtext: Option<bool>,
    /// Ekonomiska konsekvenser.
    pub ekonomiska_konsekvenser: Option<Located<Text>>,
    /// Barnets bästa.
    pub barnets_basta: Option<Located<Text>>,
}

/// Nyheten på kommunens webbplats om en lex Sarah-anmälan till IVO. Den publiceras, så den får
/// inte kunna identifiera någon: inga namn (utom kontaktpersonens), personnummer,
/// kontaktuppgifter eller exakta datum.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notis {
    /// Dagen då nyheten publiceras (tidigast dagen för anmälan till IVO).
    pub publicerad: DateField,
    /// Rubriken; utelämnas den blir den "<förvaltning> anmäler händelse enligt lex Sarah till IVO".
    #[schemars(length(max = 300))]
    pub rubrik: Option<Located<String>>,
    /// Ingressen: vad som anmäls och varför, i ett par meningar.
    pub ingress: Located<Text>,
    /// Vad som hände, utan namn, åldrar eller exakta datum ("i mitten av mars").
    pub handelse: Located<Text>,
    /// Bedömningen efter utredningen (skrivs under "Bedömning efter utredning").
    pub bedomning: Located<Text>,
    /// Påbörjade och planerade åtgärder, en per rad (skrivs under "Vad händer nu?").
    pub atgarder: Vec<Located<String>>,
    /// En kontaktperson för frågor: det enda namn nyheten får innehålla.
    pub kontakt: Option<Kontakt>,
}

/// Kontaktpersonen för frågor om nyheten.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kontakt {
    /// Namn.
    pub namn: Located<String>,
    /// Titel.
    pub titel: Option<String>,
    /// Telefonnummer.
    pub telefon: Option<Code>,
    /// E-postadress.
    pub epost: Option<String>,
}

impl Case {
    /// Whether rapport, utredning and beslut carry the sekretess marking.
    pub fn is_confidential(&self) -> bool {
        self.arende.sekretess.unwrap_or(true)
    }

    /// Where the case's outcome is written: beslut.utfall, else the utredning's förslag.
    pub fn outcome_at(&self) -> Option<&Located<Utfall>> {
        self.beslut
            .as_ref()
            .and_then(|b| b.utfall.as_ref())
            .or(self.utredning.as_ref().map(|u| &u.forslag))
    }

    /// The case's outcome, if it has one yet.
    pub fn outcome(&self) -> Option<Utfall> {
        self.outcome_at().map(|u| u.value)
    }

    /// The nämnd: the case's own, else the profile's.
    pub fn namnd<'a>(&'a self, profile: &'a crate::profile::Profile) -> &'a str {
        self.arende.namnd.as_deref().unwrap_or(&profile.namnd)
    }

    /// The förvaltning: the case's own, else the profile's.
    pub fn forvaltning<'a>(&'a self, profile: &'a crate::profile::Profile) -> &'a str {
        self.arende
            .forvaltning
            .as_deref()
            .unwrap_or(&profile.forvaltning)
    }

    /// The day of the anmälan to IVO, with its place: `arende.ivo_anmalan`, else the anmälan's own date.
    pub fn ivo_date(&self) -> Option<&Located<Date>> {
        self.arende
            .ivo_anmalan
            .as_ref()
            .or(self.anmalan.as_ref().and_then(|a| a.datum.as_ref()))
    }

    /// Whether the finished utredning goes with the anmälan: as its `bifogat.utredning` says, else
    /// when the utredning was finished on or before the anmälan's day.
    pub fn utredning_attached(&self) -> bool {
        let Some(a) = &self.anmalan else { return false };
        if let Some(given) = &a.bifogat.utredning {
            return given.value;
        }
        let finished = self.utredning.as_ref().and_then(|u| u.avslutad.as_ref());
        match (finished, self.ivo_date()) {
            (Some(done), Some(day)) => done.value <= day.value,
            _ => false,
        }
    }

    /// The day the case was decided: its beslut, or a ställningstagande not to investigate.
    pub fn decided_on(&self) -> Option<chrono::NaiveDate> {
        self.beslut.as_ref().map(|b| b.datum.value.0).or(self
            .rapport
            .as_ref()
            .and_then(|r| r.ej_utredning.as_ref())
            .map(|e| e.datum.value.0))
    }
}
