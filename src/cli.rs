//! The command line: clap types only, turned into a validated config before any work starts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::document::DocKind;

/// Gör ett lex Sarah-ärendes officiella PDF-handlingar av en ärendefil (YAML).
#[derive(Debug, Parser)]
#[command(name = "lexsarah", version, max_term_width = 100)]
pub struct Cli {
    /// Vad som ska göras.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Gör PDF av handlingarna i ett eller flera ärenden.
    Render(RenderArgs),
    /// Gör PDF av alla ärenden i en eller flera mappar, till ett arkiv för registratorn.
    Batch(BatchArgs),
    /// Mät hur snabbt batch gör handlingar, mot Typst-motorn själv, på genererade ärenden.
    Bench(BenchArgs),
    /// Kontrollera ärenden mot formatet och processens regler, utan att göra PDF.
    Check(CheckArgs),
    /// Lista frister för lex Sarah-ansvarig: öppna ärenden, anmälningar och åtgärder som väntar.
    Deadlines(DeadlinesArgs),
    /// Gör nämndens sammanställning av en periods lex Sarah-rapporter (PDF och CSV).
    Summary(SummaryArgs),
    /// Skriv ut en ny ärendefil med alla fält och en kommentar om vad som ska stå där.
    New(NewArgs),
    /// Skriv ut ärendefilens JSON Schema, för redigerare.
    Schema,
    /// Lista de inbyggda profilerna, eller skriv ut en att utgå från.
    Profiles(ProfilesArgs),
    /// Öppna ett formulär i webbläsaren för ärendena i en mapp (startar lexsarah-serve).
    Serve(ServeArgs),
    /// Signera en PDF som lexsarah gjort, i dess underskriftsfält (PAdES, PDF/A behålls).
    Sign(SignArgs),
    /// Kontrollera signaturerna i signerade PDF:er, före arkivering.
    Verify(VerifyArgs),
    /// Gör ett informationspaket för e-arkivet (E-ARK/FGS) av varje avslutat ärende i ett arkiv från batch.
    Sip(SipArgs),
}

/// Arguments of `lexsarah sip`.
#[derive(Debug, Args)]
pub struct SipArgs {
    /// Arkivmappen som `lexsarah batch` gjorde.
    #[arg(value_name = "ARKIV")]
    pub archive: PathBuf,
    /// Mappen som paketen skrivs till, ett per avslutat ärende.
    #[arg(long, value_name = "MAPP")]
    pub out: PathBuf,
    /// Dagen paketen görs (ÅÅÅÅ-MM-DD); utan den gäller varje ärendes senaste handlings datum.
    #[arg(long, value_name = "ÅÅÅÅ-MM-DD")]
    pub date: Option<String>,
    /// Skriv också varje paket som en zip-fil bredvid mappen.
    #[arg(long)]
    pub zip: bool,
    /// Skriv över ett paket med samma namn som har annat innehåll.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `lexsarah sign`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("nyckel").required(true).args(["p12", "pkcs11"])))]
pub struct SignArgs {
    /// PDF:en som ska signeras.
    #[arg(value_name = "PDF")]
    pub pdf: PathBuf,
    /// Underskriftsfältet som fylls, till exempel Underskrift_beslutsfattare.
    #[arg(long, value_name = "NAMN")]
    pub field: String,
    /// En PKCS#12-fil (.p12, .pfx) med nyckeln och certifikatet.
    #[arg(long, value_name = "FIL")]
    pub p12: Option<PathBuf>,
    /// En PKCS#11-modul (kortets eller HSM:ens bibliotek, .so); kortet väljs med --token.
    #[arg(long, value_name = "MODUL", requires_all = ["token", "key"])]
    pub pkcs11: Option<PathBuf>,
    /// Kortets (tokenets) namn, som det visas, med --pkcs11.
    #[arg(long, value_name = "NAMN")]
    pub token: Option<String>,
    /// Nyckelns och certifikatets namn på kortet, med --pkcs11.
    #[arg(long, value_name = "NAMN")]
    pub key: Option<String>,
    /// Miljövariabeln som håller lösenordet eller PIN-koden; utan den frågar programmet (utan att visa det).
    #[arg(long = "pin-env", value_name = "VARIABEL")]
    pub pin_env: Option<String>,
    /// Filen den signerade PDF:en skrivs till (förval: <namn>-signerad.pdf bredvid PDF:en).
    #[arg(long, value_name = "FIL")]
    pub out: Option<PathBuf>,
    /// Tillåt ett certifikat med personnummer att signera en handling som publiceras.
    #[arg(long = "allow-personnummer")]
    pub allow_personnummer: bool,
}

/// Arguments of `lexsarah verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// De signerade PDF:erna.
    #[arg(required = true, value_name = "PDF")]
    pub pdfs: Vec<PathBuf>,
    /// Ett certifikat (PEM eller DER) att lita på som förtroendeankare; får upprepas.
    #[arg(long, value_name = "CERT")]
    pub trust: Vec<PathBuf>,
    /// Hur resultatet skrivs ut: för människor, eller som JSON.
    #[arg(long, value_enum, default_value = "human")]
    pub format: FormatArg,
}

/// Arguments of `lexsarah serve`, passed on to `lexsarah-serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Mappen med ärendefilerna; den aktuella mappen om den utelämnas.
    #[arg(value_name = "MAPP")]
    pub dir: Option<PathBuf>,
    /// Porten på 127.0.0.1; en ledig port om den utelämnas.
    #[arg(long)]
    pub port: Option<u16>,
    /// Tillåt profiler och logotyper i den här mappen också (de läses, skrivs aldrig).
    #[arg(long = "allow-path", value_name = "DIR")]
    pub allow_paths: Vec<PathBuf>,
}

/// Arguments of `lexsarah new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Profilen det nya ärendet anger: en inbyggd profil eller en profilfil.
    #[arg(
        long = "profile",
        value_name = "NAME|FILE",
        default_value = "stockholm"
    )]
    pub profile: String,
}

/// Arguments of `lexsarah profiles`.
#[derive(Debug, Args)]
pub struct ProfilesArgs {
    /// `show NAMN` skriver ut en inbyggd profil; utan det listas de inbyggda profilerna.
    #[command(subcommand)]
    pub action: Option<ProfilesAction>,
}

/// What `lexsarah profiles` does.
#[derive(Debug, Subcommand)]
pub enum ProfilesAction {
    /// Skriv ut en inbyggd profil, att spara och ändra för den egna organisationen.
    Show {
        /// Den inbyggda profilens namn.
        name: String,
    },
}

/// Arguments of `lexsarah render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Ärendefilerna (YAML).
    #[arg(required = true, value_name = "CASE.yaml")]
    pub cases: Vec<PathBuf>,

    /// Skriv PDF-filerna i den här mappen i stället för bredvid varje ärendefil.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub options: RenderOptions,

    #[command(flatten)]
    pub typst: TypstArgs,
}

/// Arguments of `lexsarah batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Mapparna med ärendefiler (*.yaml, *.yml), som söks igenom med undermappar.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// Arkivmappen: ARKIV/<stam>/<stam>-<handling>.pdf, manifest.csv, manifest.json och fel.json.
    #[arg(long, required = true, value_name = "ARKIV")]
    pub out: PathBuf,

    /// Hur många ärenden som görs samtidigt (förval: en per kärna).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,

    /// Packa också arkivet, manifestet med, i ARKIV.zip.
    #[arg(long)]
    pub zip: bool,

    #[command(flatten)]
    pub options: RenderOptions,
}

/// What `render` and `batch` share: which documents, which profile, how strictly, which PDF.
#[derive(Debug, Args)]
pub struct RenderOptions {
    /// Gör bara den här handlingen (upprepa för flera).
    #[arg(long = "doc", value_enum, value_name = "DOC")]
    pub docs: Vec<DocKind>,

    /// Skriv över en PDF som har signerats sedan den gjordes, eller i ett arkiv en PDF med annat
    /// innehåll (annars avvisas ärendet).
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub profile: ProfileArgs,

    #[command(flatten)]
    pub rules: RuleArgs,

    #[command(flatten)]
    pub pdf: PdfArgs,
}

/// Arguments of `lexsarah bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Antal genererade ärenden per mätning av minnet; det första används också för hastigheten.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "100,1000",
        value_name = "N,..."
    )]
    pub sizes: Vec<usize>,

    /// En Typst-CLI (0.15) att jämföra med: `typst compile` på de utskrivna projekten.
    #[arg(long, value_name = "PATH")]
    pub typst: Option<PathBuf>,

    /// Mät också motorns golv med mallarna i MAPP (till exempel en äldre versions), i samma körning.
    #[arg(long = "templates", value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Mät bara motorns golv (per handling), inte batch, minne eller Typst-CLI:n.
    #[arg(long = "floor-only")]
    pub floor_only: bool,
}

/// The templates as a plain Typst project.
#[derive(Debug, Args)]
pub struct TypstArgs {
    /// Skriv också varje handling som ett Typst-projekt: MAPP/<stam>-<handling>/main.typ med data.
    #[arg(long = "emit-typst", value_name = "DIR")]
    pub emit_typst: Option<PathBuf>,

    /// Använd en egen kopia av mallarna (en mapp med main.typ, som --emit-typst skriver).
    #[arg(long = "templates", value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Skriv också var underskriftsraderna står, för en signeringstjänst: <stam>-<handling>.underskriftsfalt.json.
    #[arg(long = "underskriftsfalt")]
    pub underskriftsfalt: bool,
}

/// Arguments of `lexsarah check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Ärendefilerna (YAML).
    #[arg(required = true, value_name = "CASE.yaml")]
    pub cases: Vec<PathBuf>,

    #[command(flatten)]
    pub profile: ProfileArgs,

    #[command(flatten)]
    pub rules: RuleArgs,

    /// Hur fel skrivs ut: för människor, eller som en JSON-lista på standard ut.
    #[arg(long = "diagnostic-format", value_enum, default_value = "human")]
    pub diagnostic_format: FormatArg,
}

/// Arguments of `lexsarah deadlines`.
#[derive(Debug, Args)]
pub struct DeadlinesArgs {
    /// Mapparna med ärendefiler (*.yaml, *.yml), som söks igenom med undermappar.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// Dagen fristerna räknas till, ÅÅÅÅ-MM-DD (förval: i dag).
    #[arg(long, value_name = "DATUM")]
    pub date: Option<String>,

    /// Hur listan skrivs ut: human ger en tabell (ärende, vad, datum, tid kvar eller för sent,
    /// status); json ger en lista med ett objekt per frist (diarienummer, fil, kod, vad, datum,
    /// dagar, forsenat), för skript.
    #[arg(long, value_enum, default_value = "human", hide_possible_values = true)]
    pub format: FormatArg,

    #[command(flatten)]
    pub profile: ProfileArgs,
}

/// Arguments of `lexsarah summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Mapparna med ärendefiler (*.yaml, *.yml), som söks igenom med undermappar.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// Periodens första dag, ÅÅÅÅ-MM-DD.
    #[arg(long, value_name = "DATUM", requires = "to", conflicts_with = "half")]
    pub from: Option<String>,

    /// Periodens sista dag, ÅÅÅÅ-MM-DD.
    #[arg(long, value_name = "DATUM", requires = "from")]
    pub to: Option<String>,

    /// Ett halvår i stället för --from och --to: 2026H1 (januari–juni) eller 2026H2.
    #[arg(long, value_name = "ÅÅÅÅHn")]
    pub half: Option<String>,

    /// Mappen där sammanställningen skrivs (PDF och CSV).
    #[arg(long, required = true, value_name = "DIR")]
    pub out: PathBuf,

    /// Tjänsteskrivelsens datum, ÅÅÅÅ-MM-DD (förval: i dag).
    #[arg(long, value_name = "DATUM")]
    pub date: Option<String>,

    /// Tjänsteskrivelsens diarienummer.
    #[arg(long, value_name = "DNR")]
    pub diarienummer: Option<String>,

    /// Handläggaren (förval: förvaltningen).
    #[arg(long, value_name = "NAMN")]
    pub handlaggare: Option<String>,

    /// Den som skriver under (förval: förvaltningen).
    #[arg(long, value_name = "NAMN")]
    pub undertecknare: Option<String>,

    /// Undertecknarens befattning.
    #[arg(long, value_name = "TITEL")]
    pub befattning: Option<String>,

    /// Ett förslag till beslut (upprepa för flera; förval: Informationen noteras.).
    #[arg(long = "forslag", value_name = "TEXT")]
    pub forslag: Vec<String>,

    #[command(flatten)]
    pub profile: ProfileArgs,
}

/// How strictly the rules are applied.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// Behandla varningar som fel: ett ärende med någon varning avvisas.
    #[arg(long)]
    pub strict: bool,
}

/// A `--diagnostic-format` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// För människor: platsen, raden och en markering under värdet.
    Human,
    /// En JSON-lista med ett objekt per fel, för redigerare och skript.
    Json,
}

/// Which organisation profile to use.
#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Använd den här profilen i stället för ärendets: en inbyggd profil eller en profilfil.
    #[arg(long = "profile", value_name = "NAME|FILE")]
    pub profile: Option<String>,

    /// Tillåt profiler och logotyper i den här mappen också, inte bara bredvid filen som nämner dem.
    #[arg(long = "allow-path", value_name = "DIR")]
    pub allow_paths: Vec<PathBuf>,
}

/// How the PDF is written.
#[derive(Debug, Args)]
pub struct PdfArgs {
    /// PDF-standarder, kommaseparerade med Typsts namn (a-1b, a-2b, a-2a, ua-1, ...).
    ///
    /// Förval: a-2b, och a-2a,ua-1 för tjänsteskrivelsen, som publiceras.
    #[arg(long = "pdf-standard", value_name = "LIST")]
    pub pdf_standard: Option<String>,

    /// Lägg inte in tomma underskriftsfält över underskriftsraderna.
    #[arg(long = "no-signature-fields")]
    pub no_signature_fields: bool,
}

/// A document, as `--doc` names it: each row of the table of documents, by its token.
impl ValueEnum for DocKind {
    fn value_variants<'a>() -> &'a [Self] {
        &DocKind::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let spec = self.spec();
        let value = clap::builder::PossibleValue::new(spec.token).help(spec.name);
        // `--doc tjänsteskrivelse`, as a Swede types it, works too.
        Some(if spec.spelled == spec.token {
            value
        } else {
            value.alias(spec.spelled)
        })
    }
}

/// The English words clap prints around our Swedish help and errors, with their Swedish.
const SWEDISH: &[(&str, &str)] = &[
    ("Usage:", "Användning:"),
    ("Options:", "Flaggor:"),
    ("Commands:", "Kommandon:"),
    ("Arguments:", "Argument:"),
    ("Possible values:", "Möjliga värden:"),
    ("[possible values: ", "[möjliga värden: "),
    ("[default: ", "[förval: "),
    (
        "Print help (see a summary with '-h')",
        "Visa hjälpen (en sammanfattning med -h)",
    ),
    (
        "Print help (see more with '--help')",
        "Visa hjälpen (mer med --help)",
    ),
    ("Print help", "Visa hjälpen"),
    ("Print version", "Visa versionen"),
    (
        "Print this message or the help of the given subcommand(s)",
        "Visa den här hjälpen, eller hjälpen för ett kommando",
    ),
    ("[OPTIONS]", "[FLAGGOR]"),
    ("<COMMAND>", "<KOMMANDO>"),
    ("error: unexpected argument", "fel: okänt argument"),
    ("error: invalid value", "fel: ogiltigt värde"),
    (
        "error: the following required arguments were not provided:",
        "fel: de här argumenten behövs men saknas:",
    ),
    ("error: unrecognized subcommand", "fel: okänt kommando"),
    (
        "error: a value is required for",
        "fel: ett värde behövs för",
    ),
    ("but none was supplied", "men inget angavs"),
    (" for '", " för '"),
    (
        "tip: a similar value exists:",
        "tips: det finns ett liknande värde:",
    ),
    ("error: ", "fel: "),
    (
        "tip: a similar argument exists:",
        "tips: det finns ett liknande argument:",
    ),
    (
        "tip: a similar subcommand exists:",
        "tips: det finns ett liknande kommando:",
    ),
    ("tip: to pass '", "tips: för att ange '"),
    ("' as a value, use '", "' som värde, skriv '"),
    ("For more information, try '--help'.", "Mer hjälp: --help."),
    ("' found", "'"),
];

/// Parses the command line of either program, or prints its help, version or usage error in
/// Swedish and gives the exit code (0 for help and version, 2 for a usage error).
pub fn parse_in_swedish<T: Parser>() -> Result<T, std::process::ExitCode> {
    T::try_parse().map_err(|e| {
        let text = swedish(&e.render().to_string());
        if e.use_stderr() {
            eprint!("{text}");
            std::process::ExitCode::from(2)
        } else {
            print!("{text}");
            std::process::ExitCode::SUCCESS
        }
    })
}

/// Clap's own English around our Swedish texts, in Swedish: help, version and usage errors.
///
/// Every help text of our own is Swedish already (the doc comments of these types); what clap
/// adds around them (headings, its own flags, its messages) is replaced here.
pub fn swedish(text: &str) -> String {
    SWEDISH
        .iter()
        .fold(text.to_string(), |text, (english, swedish)| {
            text.replace(english, swedish)
        })
}
