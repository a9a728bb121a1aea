//! Organisation profiles: the letterhead and house rules, built in or from a user's file.
//!
//! The profile's doc comments are in Swedish: they are the labels of the browser form's profile
//! form, and the descriptions its schema gives editors.

pub mod allowed;
pub mod logo;
pub mod schema;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{self, Code, Diagnostic, Pos};
use crate::document::DocKind;
use crate::files::ReadError;
use crate::source::values::Located;
use crate::source::{self, SourceFile};
pub use allowed::AllowedPaths;

/// The built-in profiles, embedded in the binary: (name, YAML text).
const BUILT_IN: &[(&str, &str)] = &[
    ("stockholm", include_str!("../../profiles/stockholm.yaml")),
    ("mjolby", include_str!("../../profiles/mjolby.yaml")),
];

/// The sekretess marking printed when a profile sets none, citing the lagrum table's OSL paragraph.
pub fn default_sekretess() -> &'static str {
    static MARKING: LazyLock<String> = LazyLock::new(|| {
        let table = crate::lagrum::table();
        let latest = *table.periods().last().expect("the lagrum table has rows");
        let osl = table.at(latest).expect("every reference is in force")["sekretess"];
        format!("Sekretess enligt {osl}")
    });
    &MARKING
}

/// The arrangement of a document; the profile fills it with names and addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Stockholms stads blanketter.
    Stockholm,
    /// Mjölby kommuns sidhuvud med rutnät.
    Mjolby,
}

/// How dates are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Datumformat {
    /// 2019-12-10.
    #[default]
    Iso,
    /// 191210, som de äldre Stockholmsblanketterna.
    Kort,
}

/// What the organisation calls each document, where it differs from the default.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dokumentnamn {
    /// Rapporten.
    pub rapport: Option<String>,
    /// Utredningen.
    pub utredning: Option<String>,
    /// Beslutet.
    pub beslut: Option<String>,
    /// Tjänsteskrivelsen.
    pub tjansteskrivelse: Option<String>,
    /// Nyheten på webbplatsen.
    pub notis: Option<String>,
}

/// A profile as written in YAML (format in case-format.md, "Profiles").
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Profilens korta namn, som står i arkivets manifest.
    pub id: String,
    /// Layouten som handlingarna följer.
    pub layout: Layout,
    /// Kommunen; står också som ordmärke utan logotyp.
    #[schemars(length(max = 200))]
    pub kommun: String,
    /// Förvaltningen.
    #[schemars(length(max = 200))]
    pub forvaltning: String,
    /// Nämnden.
    #[schemars(length(max = 200))]
    pub namnd: String,
    /// Postadressen: en rad per del.
    #[serde(default)]
    pub adress: Vec<String>,
    /// Besöksadressen i kontaktspalten.
    pub besoksadress: Option<String>,
    /// Telefonnumret i kontaktspalten.
    pub telefon: Option<String>,
    /// Växelns nummer.
    pub vaxel: Option<String>,
    /// Förvaltningens e-postadress.
    pub epost: Option<String>,
    /// Webbadressen.
    pub webb: Option<String>,
    /// Registratorns adress, dit beslutet i original skickas: en rad per del; utelämnas den gäller förvaltningens namn och postadress.
    #[serde(default)]
    pub registrator: Vec<String>,
    /// IVO:s regionala avdelning, dit anmälan till IVO skickas: en rad per del; utelämnas den står raderna tomma på blanketten.
    #[serde(default)]
    pub ivo_adress: Vec<String>,
    /// Diarienumrets form: ett reguljärt uttryck som varje diarienummer måste följa.
    pub diarienummer_monster: Option<Located<String>>,
    /// Logotypen: en SVG- eller PNG-fil bredvid profilfilen.
    pub logotyp: Option<Located<String>>,
    /// Logotypens alternativtext; utelämnas den gäller kommunens namn.
    pub logotyp_alt: Option<String>,
    /// Märkningen på handlingar med sekretess.
    pub sekretessmarkering: Option<String>,
    /// Hur datum skrivs: iso (2019-12-10) eller kort (191210).
    #[serde(default)]
    pub datumformat: Datumformat,
    /// Vad organisationen kallar en handling, där den har ett eget namn.
    #[serde(default)]
    pub dokumentnamn: Dokumentnamn,
    /// Rubriken över förslagen i tjänsteskrivelsen.
    pub forslag_rubrik: Option<String>,
    /// Meningen som avslutar tjänsteskrivelsens standardtext om lex Sarah: organisationens egen riktlinje.
    pub lagtext_riktlinje: Option<String>,
    /// Om tomma underskriftsfält läggs över underskriftsraderna; utelämnas det läggs de. En signeringstjänst som inte tar emot PDF med formulär behöver nej.
    pub underskriftsfalt: Option<bool>,
    /// Stycket om att lära av fel som avslutar nyheten på webbplatsen.
    pub notis_larande: Option<String>,
    /// Namn på organisationer och platser som nyheten får nämna utöver kommunen, förvaltningen och nämnden, så att de inte tas för namn på personer.
    #[serde(default)]
    pub organisationsnamn: Vec<String>,
    /// Arkivbildaren som informationspaketen till e-arkivet anger; utelämnas den gäller nämnden och kommunen.
    pub arkivbildare: Option<String>,
    /// Arkivbildarens identitet i informationspaketen, till exempel organisationsnumret.
    pub arkivbildare_id: Option<String>,
    /// Lex Sarah-ärendenas kod i organisationens klassificeringsstruktur (till exempel en KLASSA-processkod), i informationspaketen.
    pub klassificering: Option<String>,
    /// Rapportens verksamhetsområden i blankettens ordning: var och en en kod (som ärendet skriver i `rapport.avser.verksamhetsomrade`) och namnet som skrivs ut. Utelämnas de gäller Stockholms åtta.
    pub verksamhetsomraden: Option<Vec<Omrade>>,
}

/// A verksamhetsområde of an organisation's rapport form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Omrade {
    /// Koden som ärendet skriver (till exempel aldreomsorg).
    pub kod: String,
    /// Namnet som rapporten och sammanställningen skriver ut (till exempel Äldreomsorg).
    pub namn: String,
}

/// The verksamhetsområden of Stockholm's rapport form (seed 003), in its order: what a profile
/// without its own list offers.
pub const DEFAULT_AREAS: [(&str, &str); 8] = [
    ("aldreomsorg", "Äldreomsorg"),
    ("funktionsnedsattning", "Funktionsnedsättning"),
    ("socialpsykiatri", "Socialpsykiatri"),
    ("vuxen_missbruk", "Vuxen/ Missbruk"),
    ("barn_och_ungdom", "Barn och ungdom"),
    ("ekonomiskt_bistand", "Ekonomiskt bistånd"),
    ("jobbtorg", "Jobbtorg"),
    ("kvinnojour", "Kvinnojoursverksamhet, härbärgen m.fl."),
];

/// A profile ready for use, with the folder its own paths are relative to.
#[derive(Debug, Clone)]
pub struct ResolvedProfile {
    /// The profile's settings.
    pub profile: Profile,
    /// The profile file, or `None` for a built-in profile.
    pub file: Option<PathBuf>,
    /// The logo the profile names, already read.
    pub logo: Option<logo::Logo>,
}

impl Profile {
    /// The verksamhetsområden its rapport offers: its own list, else Stockholm's eight.
    pub fn areas(&self) -> Vec<Omrade> {
        self.verksamhetsomraden.clone().unwrap_or_else(|| {
            DEFAULT_AREAS
                .iter()
                .map(|(kod, namn)| Omrade {
                    kod: kod.to_string(),
                    namn: namn.to_string(),
                })
                .collect()
        })
    }

    /// The name the organisation gives a document.
    pub fn document_name(&self, doc: DocKind) -> &str {
        let custom = match doc {
            DocKind::Rapport => &self.dokumentnamn.rapport,
            DocKind::Utredning => &self.dokumentnamn.utredning,
            DocKind::Beslut => &self.dokumentnamn.beslut,
            // IVO's blankett keeps IVO's name.
            DocKind::Anmalan => &None,
            DocKind::Tjansteskrivelse => &self.dokumentnamn.tjansteskrivelse,
            DocKind::Notis => &self.dokumentnamn.notis,
        };
        custom.as_deref().unwrap_or(doc.default_name())
    }

    /// The sekretess marking to print on confidential documents.
    pub fn sekretess(&self) -> &str {
        self.sekretessmarkering
            .as_deref()
            .unwrap_or(default_sekretess())
    }
}

/// The names of the built-in profiles.
pub fn built_in_names() -> impl Iterator<Item = &'static str> {
    BUILT_IN.iter().map(|(name, _)| *name)
}

/// The YAML text of a built-in profile.
pub fn built_in_text(name: &str) -> Option<&'static str> {
    BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Whether a profile reference names a built-in profile rather than a file.
pub fn is_built_in_reference(reference: &str) -> bool {
    !reference.contains('/')
        && !reference.contains('\\')
        && !reference.ends_with(".yaml")
        && !reference.ends_with(".yml")
}

/// Resolves a profile reference: a built-in name, or a file relative to `base_dir`.
///
/// `named_in` and `pos` say where the reference was written, for the diagnostic. A profile file
/// named in a case must lie in `base_dir` or an allowed folder (`confined`); one the user named
/// on the command line may lie anywhere. Its logo must lie beside it or in an allowed folder.
pub fn resolve(
    reference: &str,
    base_dir: &Path,
    named_in: &Path,
    pos: Pos,
    allowed: &AllowedPaths,
    confined: bool,
) -> Result<ResolvedProfile, Vec<Diagnostic>> {
    if is_built_in_reference(reference) {
        let text = built_in_text(reference).ok_or_else(|| {
            vec![
                Diagnostic::error(
                    named_in,
                    pos,
                    Code::OkandProfil,
                    format!("det finns ingen inbyggd profil som heter `{reference}`"),
                )
                .with_hint(format!(
                    "inbyggda profiler: {}; en egen profil anges som en sökväg till en .yaml-fil",
                    built_in_names().collect::<Vec<_>>().join(", ")
                )),
            ]
        })?;
        let source = SourceFile {
            path: PathBuf::from(format!("<inbyggd profil {reference}>")),
            text: text.to_string(),
        };
        let profile = parse_profile(&source)?;
        return Ok(ResolvedProfile {
            profile,
            file: None,
            logo: None,
        });
    }
    let path = base_dir.join(reference);
    let unusable = |reason: &str, hint: &str| {
        vec![
            Diagnostic::error(
                named_in,
                pos,
                Code::OkandProfil,
                format!("profilen `{reference}` kan inte användas: {reason}"),
            )
            .with_hint(hint),
        ]
    };
    let outside_hint = "lägg profilen i ärendefilens mapp eller en undermapp, ange den med --profile, eller tillåt dess mapp med --allow-path MAPP";
    let roots = match confined.then(|| allowed.roots(base_dir)).transpose() {
        Ok(roots) => roots,
        Err(reason) => return Err(unusable(&reason, outside_hint)),
    };
    // Read once, from the handle whose real path was checked: a link swapped in between
    // cannot bring another file in.
    let bytes = crate::files::read(&path, source::MAX_FILE_BYTES, roots.as_deref()).map_err(
        |e| match (e, &roots) {
            (ReadError::Outside(_), Some(roots)) => unusable(&allowed.outside(&roots[0]), outside_hint),
            (e, _) => unusable(
                &e.reason(),
                "sökvägen räknas från ärendefilens mapp; ange en inbyggd profil (stockholm, mjolby) eller en befintlig fil",
            ),
        },
    )?;
    let source = source::decode(&path, bytes).map_err(|d| vec![d])?;
    from_source(&source, allowed)
}

/// A profile from its text, as the file at `source.path` would give it: parsed, checked, and
/// its logo read beside that path (or in an allowed folder).
pub fn from_source(
    source: &SourceFile,
    allowed: &AllowedPaths,
) -> Result<ResolvedProfile, Vec<Diagnostic>> {
    let profile = parse_profile(source)?;
    let logo = match &profile.logotyp {
        Some(named) => Some(logo::load(named, &source.path, allowed).map_err(|d| vec![d])?),
        None => None,
    };
    Ok(ResolvedProfile {
        profile,
        file: Some(source.path.clone()),
        logo,
    })
}

/// Parses a profile and checks what its types cannot: that its pattern is a regular expression.
fn parse_profile(source: &SourceFile) -> Result<Profile, Vec<Diagnostic>> {
    let profile: Profile =
        source::parse_checked(source, &schema::PROFILE_SCHEMA, source::FileKind::Profile)?;
    if let Some(pattern) = &profile.diarienummer_monster
        && let Err(e) = crate::source::pattern::compiled(&pattern.value)
    {
        let mut problem = vec![
            Diagnostic::error(
                &source.path,
                pattern.pos,
                Code::OkandProfil,
                "`diarienummer_monster` är inte ett giltigt reguljärt uttryck",
            )
            .with_hint(
                format!("{e}")
                    .lines()
                    .last()
                    .unwrap_or("")
                    .trim()
                    .to_string(),
            ),
        ];
        diagnostics::attach_source(&mut problem, &source.path, &source.text);
        return Err(problem);
    }
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_profile_parses() {
        for name in built_in_names() {
            let resolved = resolve(
                name,
                Path::new("."),
                Path::new("x.yaml"),
                Pos::UNKNOWN,
                &AllowedPaths::default(),
                true,
            )
            .unwrap_or_else(|d| panic!("{name}: {d:?}"));
            assert_eq!(resolved.profile.id, name);
        }
    }

    #[test]
    fn a_reference_with_a_slash_or_yaml_ending_is_a_file() {
        assert!(is_built_in_reference("stockholm"));
        assert!(!is_built_in_reference("profiler/linkoping.yaml"));
        assert!(!is_built_in_reference("linkoping.yml"));
    }
}
