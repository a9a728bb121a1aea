//! The law as dated data: the references each document cites and what each rule rests on.
//!
//! The table is `lagrum/lagrum.yaml`, compiled into the binary like the built-in profiles. A
//! document takes each reference from the row with the latest `fran` on or before its own date,
//! so a change of law is a new row with its date and no template changes.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::case::Case;
use crate::diagnostics::{Code, Diagnostic};
use crate::document::DocKind;
use crate::source::values::Date;

/// The table as written in the repository.
pub const SOURCE: &str = include_str!("../lagrum/lagrum.yaml");

/// The whole table: the socialtjänstlagar, the references, and the rules' grounds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lagrum {
    /// The socialtjänstlagar a case may pin, each with its period in force.
    pub socialtjanstlagar: Vec<Socialtjanstlag>,
    /// The references and the wording that follows the law, each with dated rows.
    pub lagrum: Vec<Provision>,
    /// What each rule of `check` rests on.
    pub regler: Vec<Regel>,
}

/// One socialtjänstlag and when it was in force.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Socialtjanstlag {
    /// Its SFS number, the value of `arende.lagrum` that pins it.
    pub sfs: String,
    /// Its name in full, as documents print it.
    pub namn: String,
    /// The first day it was in force.
    pub fran: Date,
    /// The last day it was in force, if it has been repealed.
    pub till: Option<Date>,
    /// Where this comes from.
    pub kalla: String,
}

/// One reference or wording, with the rows that give it over time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    /// The name templates use for it.
    pub nyckel: String,
    /// What the provision is about, for people reading the table.
    pub vad: String,
    /// Its text from each date on, earliest first.
    pub rader: Vec<Row>,
}

/// The text of a reference from one date on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// The first day this row applies.
    pub fran: Date,
    /// What documents print.
    pub text: String,
    /// Where this comes from.
    pub kalla: String,
}

/// What a rule of `check` rests on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regel {
    /// The diagnostic code of the rule.
    pub kod: String,
    /// The kind of source.
    pub grund: Grund,
    /// References it rests on, taken at the case's date.
    #[serde(default)]
    pub lagrum: Vec<String>,
    /// The ground in words.
    pub text: String,
}

/// The kinds of source a rule may rest on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grund {
    /// A law.
    Lag,
    /// A föreskrift (or the guidance to it).
    Foreskrift,
    /// The organisation's profile.
    Profil,
    /// The consistency of the case's own data.
    Arendet,
}

impl Grund {
    /// The kind of source in Swedish, as documentation and hints name it.
    pub fn name(self) -> &'static str {
        match self {
            Grund::Lag => "lag",
            Grund::Foreskrift => "föreskrift",
            Grund::Profil => "profilen",
            Grund::Arendet => "ärendets egna uppgifter",
        }
    }
}

/// The table compiled into the binary, parsed once per process.
pub fn table() -> &'static Lagrum {
    static TABLE: LazyLock<Lagrum> = LazyLock::new(|| {
        serde_saphyr::from_str(SOURCE).expect("lagrum/lagrum.yaml is valid (a test checks it)")
    });
    &TABLE
}

impl Lagrum {
    /// The socialtjänstlag with this SFS number.
    pub fn law(&self, sfs: &str) -> Option<&Socialtjanstlag> {
        self.socialtjanstlagar.iter().find(|l| l.sfs == sfs)
    }

    /// The socialtjänstlag in force on a date.
    pub fn law_on(&self, date: Date) -> Option<&Socialtjanstlag> {
        self.socialtjanstlagar
            .iter()
            .find(|l| l.fran <= date && l.till.is_none_or(|till| date <= till))
    }

    /// The first date the table has references for.
    pub fn first_date(&self) -> Date {
        self.lagrum
            .iter()
            .filter_map(|p| p.rader.first())
            .map(|r| r.fran)
            .max()
            .expect("the table has references")
    }

    /// Every reference in force on a date, by key; `None` before the table's first date.
    pub fn at(&self, date: Date) -> Option<BTreeMap<&str, &str>> {
        self.lagrum
            .iter()
            .map(|p| Some((p.nyckel.as_str(), p.row_on(date)?.text.as_str())))
            .collect()
    }

    /// The date whose references a document dated `date` cites, with the case's pin if any.
    ///
    /// A pin moves the date into the pinned law's period, so that the document cites that law.
    pub fn cited_date(&self, date: Date, pin: Option<&str>) -> Date {
        let Some(law) = pin.and_then(|sfs| self.law(sfs)) else {
            return date;
        };
        let date = date.max(law.fran);
        law.till.map_or(date, |till| date.min(till))
    }

    /// What a rule rests on, in words, with its references at a date.
    pub fn ground(&self, code: Code, date: Date) -> Option<String> {
        let rule = self.regler.iter().find(|r| r.kod == code.as_str())?;
        let references: Vec<&str> = rule
            .lagrum
            .iter()
            .filter_map(|key| self.provision(key)?.row_on(date))
            .map(|row| row.text.as_str())
            .collect();
        let mut ground = format!("grund: {}", rule.grund.name());
        if !references.is_empty() {
            ground.push_str(", ");
            ground.push_str(&references.join(" och "));
        }
        Some(format!("{ground}: {}", rule.text))
    }

    /// The provision with this key.
    pub fn provision(&self, key: &str) -> Option<&Provision> {
        self.lagrum.iter().find(|p| p.nyckel == key)
    }

    /// The dates from which the references change, earliest first.
    pub fn periods(&self) -> Vec<Date> {
        let mut dates: Vec<Date> = self
            .lagrum
            .iter()
            .flat_map(|p| p.rader.iter().map(|r| r.fran))
            .collect();
        dates.sort();
        dates.dedup();
        dates
    }

    /// The references as a Markdown table: one row a provision, one column a period.
    ///
    /// The README carries this table; a test keeps the two equal.
    pub fn markdown(&self) -> String {
        let periods = self.periods();
        let mut out = String::from("| vad |");
        for date in &periods {
            out.push_str(&format!(" från {date} |"));
        }
        out.push_str("\n| --- |");
        out.push_str(&" --- |".repeat(periods.len()));
        for p in &self.lagrum {
            out.push_str(&format!("\n| {} |", p.vad));
            for date in &periods {
                let text = p.row_on(*date).map_or("–", |r| r.text.as_str());
                out.push_str(&format!(" {text} |"));
            }
        }
        out.push('\n');
        out
    }
}

impl Provision {
    /// The row in force on a date: the one with the latest `fran` not after it.
    pub fn row_on(&self, date: Date) -> Option<&Row> {
        self.rader.iter().rev().find(|r| r.fran <= date)
    }
}

/// The socialtjänstlag a case pins with `arende.lagrum`, if it pins one.
fn pin(case: &Case) -> Option<&str> {
    case.arende.lagrum.as_ref().map(|p| p.value.0.as_str())
}

/// The law each of a case's documents cites: (document, the date its references are taken at).
pub fn cited_dates(case: &Case) -> Vec<(DocKind, Date)> {
    DocKind::all_in(case)
        .into_iter()
        .filter_map(|doc| Some((doc, table().cited_date(doc.date(case)?, pin(case)))))
        .collect()
}

/// Every reference a document of the case dated `date` cites, by key: those in force on that
/// date, or in the pinned law's period; none before the table's first date.
pub fn cited_at(case: &Case, date: Date) -> BTreeMap<&'static str, &'static str> {
    let table = table();
    table
        .at(table.cited_date(date, pin(case)))
        .unwrap_or_default()
}

/// The date a case's rules are judged at: its latest document's, as the law then cites.
pub fn case_date(case: &Case) -> Option<Date> {
    cited_dates(case).into_iter().map(|(_, date)| date).max()
}

/// Ends a rule's hint with what the rule rests on, taken at the case's date.
pub fn add_ground(diagnostic: &mut Diagnostic, date: Option<Date>) {
    let table = table();
    let date = date.unwrap_or_else(|| table.periods().last().copied().expect("rows exist"));
    if let Some(ground) = table.ground(diagnostic.code, date) {
        diagnostic.hint = Some(match diagnostic.hint.take() {
            Some(hint) => format!("{hint}; {ground}"),
            None => ground,
        });
    }
}

/// Which socialtjänstlag the case's documents cite, in one line for people.
///
/// "socialtjänstlagen (2025:400)" when every document cites the same law; otherwise each law
/// with the documents that cite it, as in "rapport: … ; utredning, beslut: …".
pub fn summary(case: &Case) -> Option<String> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (doc, date) in cited_dates(case) {
        let name = table().law_on(date).map_or("–", |l| l.namn.as_str());
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, docs)) => docs.push(doc.token()),
            None => groups.push((name, vec![doc.token()])),
        }
    }
    match groups.as_slice() {
        [] => None,
        [(name, _)] => Some(name.to_string()),
        _ => Some(
            groups
                .iter()
                .map(|(name, docs)| format!("{}: {name}", docs.join(", ")))
                .collect::<Vec<_>>()
                .join("; "),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn the_table_parses_and_every_row_runs_forward() {
        let t = table();
        for p in &t.lagrum {
            assert!(!p.rader.is_empty(), "{} has no rows", p.nyckel);
            assert!(
                p.rader.windows(2).all(|w| w[0].fran < w[1].fran),
                "{}: rows must be in date order",
                p.nyckel
            );
        }
        for r in &t.regler {
            assert!(
                Code::ALL.iter().any(|c| c.as_str() == r.kod),
                "{} is no diagnostic code",
                r.kod
            );
            for key in &r.lagrum {
                assert!(t.provision(key).is_some(), "{}: no provision {key}", r.kod);
            }
        }
    }

    #[test]
    fn the_law_changes_on_the_first_of_july_2025() {
        let t = table();
        let before = t.at(date("2025-06-30")).unwrap();
        let after = t.at(date("2025-07-01")).unwrap();
        assert_eq!(before["rapportera"], "14 kap. 3 § SoL");
        assert_eq!(after["rapportera"], "27 kap. 2 § SoL");
        assert_eq!(before["utreda_nar"], "utan dröjsmål");
        assert_eq!(after["utreda_nar"], "genast");
        assert_eq!(after["rapportera_lss"], "24 b § LSS");
        assert_eq!(t.law_on(date("2025-06-30")).unwrap().sfs, "2001:453");
        assert_eq!(t.law_on(date("2026-10-01")).unwrap().sfs, "2025:400");
        assert!(t.at(date("2011-06-30")).is_none());
    }

    #[test]
    fn a_pin_moves_the_date_into_its_law() {
        let t = table();
        let late = date("2026-01-10");
        assert_eq!(t.cited_date(late, Some("2001:453")), date("2025-06-30"));
        assert_eq!(t.cited_date(late, Some("2025:400")), late);
        assert_eq!(
            t.cited_date(date("2024-03-01"), Some("2025:400")),
            date("2025-07-01")
        );
        assert_eq!(t.cited_date(late, None), late);
    }

    #[test]
    fn a_ground_names_its_references_at_the_date() {
        let t = table();
        let g = t
            .ground(Code::IvoAnmalanSaknas, date("2026-01-10"))
            .unwrap();
        assert!(g.contains("27 kap. 6 § SoL och 24 f § LSS"), "{g}");
        let old = t
            .ground(Code::IvoAnmalanSaknas, date("2020-01-10"))
            .unwrap();
        assert!(old.contains("14 kap. 7 § SoL"), "{old}");
    }
}
