//! The nämnd's summary of a period's lex Sarah-rapporter, counted from the case files.
//!
//! A case counts in a period by `rapport.datum`; without a rapport section by
//! `utredning.rapport_inkom`; without either by its beslut's date. Each figure stands beside the
//! same figure for the period of the same length just before.

use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

use crate::case::Case;
use crate::case::model::{RapportTyp, Utfall};
use crate::profile::Omrade;
use crate::source::values::Date;

/// A period of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Period", 2)?;
        s.serialize_field("from", &Date(self.from))?;
        s.serialize_field("to", &Date(self.to))?;
        s.end()
    }
}

impl Period {
    /// The half-year before a half-year.
    pub fn previous_half(self) -> Option<Period> {
        let from = self.from.checked_sub_months(Months::new(6))?;
        Some(Period {
            from,
            to: self.from.pred_opt()?,
        })
    }

    /// The period of the same number of days that ends the day before this one begins.
    pub fn previous(self) -> Period {
        let days = (self.to - self.from).num_days() as u64;
        let to = self.from.pred_opt().unwrap_or(self.from);
        Period {
            from: to.checked_sub_days(Days::new(days)).unwrap_or(to),
            to,
        }
    }

    /// Whether a day lies in the period.
    pub fn contains(self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// A half-year written `2026H1` (January–June) or `2026H2` (July–December).
    pub fn half(text: &str) -> Option<Period> {
        let (year, half) = text.split_once(['H', 'h'])?;
        let year: i32 = year.parse().ok()?;
        let start_month = match half {
            "1" => 1,
            "2" => 7,
            _ => return None,
        };
        let from = NaiveDate::from_ymd_opt(year, start_month, 1)?;
        let to = from.checked_add_months(Months::new(6))?.pred_opt()?;
        Some(Period { from, to })
    }
}

/// How a case without a rapport is counted by area and by typ.
const NO_AREA: &str = "Uppgift saknas";

/// What a period's summary says of one case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseLine {
    /// The diarienummer.
    pub diarienummer: String,
    /// The rubrik.
    pub rubrik: String,
    /// The verksamhetsområde as printed; "Uppgift saknas" without a rapport.
    pub verksamhetsomrade: String,
    /// The outcome as printed, "Ej utredning" or "Inte avgjort".
    pub utfall: String,
}

/// One counted figure: its label, this period's count and the previous period's.
#[derive(Debug, Clone, Serialize)]
pub struct Count {
    /// What is counted.
    pub label: String,
    /// In the period.
    pub now: usize,
    /// In the period before.
    pub before: usize,
}

/// Days between two steps of the cases in the period: the median and the longest.
#[derive(Debug, Clone, Serialize)]
pub struct DayFigures {
    /// How many cases have both steps.
    pub cases: usize,
    /// The median number of days, rounded down; none without cases.
    pub median: Option<i64>,
    /// The longest.
    pub longest: Option<i64>,
}

/// A period's summary, ready for the template and the CSV.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The period.
    pub period: Period,
    /// The period of the same length before it.
    pub previous: Period,
    /// The rapporter in all.
    pub total: Count,
    /// By verksamhetsområde, in the form's order.
    pub by_area: Vec<Count>,
    /// By typ: missförhållande, påtaglig risk.
    pub by_type: Vec<Count>,
    /// By outcome: the five of the form, "Ej utredning" and "Inte avgjort".
    pub by_outcome: Vec<Count>,
    /// The cases with an IVO anmälan.
    pub ivo: Count,
    /// From the rapport to the beslut.
    pub rapport_to_beslut: DayFigures,
    /// From the beslut to the IVO anmälan (negative when the anmälan came first).
    pub beslut_to_ivo: DayFigures,
    /// Cases open at the end of the period (or on the day the summary is made, in a period
    /// not yet ended): counted in it or before, not decided by then.
    pub open_at_end: usize,
    /// The day the figures run to, when the period has not ended on the summary's day.
    pub unfinished: Option<Date>,
    /// The period's cases.
    pub cases: Vec<CaseLine>,
}

/// The day a case counts by: the rapport's day, else the beslut's.
pub fn count_date(case: &Case) -> Option<NaiveDate> {
    rapport_date(case).or(case.beslut.as_ref().map(|b| b.datum.value.0))
}

/// The rapport's day: rapport.datum, else utredning.rapport_inkom.
fn rapport_date(case: &Case) -> Option<NaiveDate> {
    case.rapport
        .as_ref()
        .map(|r| r.datum.value.0)
        .or(case.utredning.as_ref().map(|u| u.rapport_inkom.value.0))
}

/// The outcome as the summary prints it: the beslut's (its utfall, else the utredning's
/// förslag it follows), "Ej utredning" for a ställningstagande, else "Inte avgjort".
fn outcome(case: &Case) -> String {
    if case.beslut.is_none() {
        let closed = case
            .rapport
            .as_ref()
            .is_some_and(|r| r.ej_utredning.is_some());
        return if closed {
            "Ej utredning"
        } else {
            "Inte avgjort"
        }
        .into();
    }
    case.outcome().map_or("Inte avgjort", outcome_label).into()
}

fn outcome_label(u: Utfall) -> &'static str {
    match u {
        Utfall::Risk => "Påtaglig risk för missförhållande",
        Utfall::Missforhallande => "Missförhållande",
        Utfall::AllvarligRisk => "Påtaglig risk för allvarligt missförhållande",
        Utfall::Allvarligt => "Allvarligt missförhållande",
        Utfall::Inget => "Inte ett missförhållande",
    }
}

/// The area as printed: its name in the profile's list (its code where the list has none).
fn area(case: &Case, areas: &[Omrade]) -> String {
    let Some(r) = &case.rapport else {
        return NO_AREA.to_string();
    };
    let code = &r.avser.verksamhetsomrade.value;
    areas
        .iter()
        .find(|a| a.kod == *code)
        .map_or_else(|| code.clone(), |a| a.namn.clone())
}

fn days(values: Vec<i64>) -> DayFigures {
    let mut sorted = values;
    sorted.sort();
    DayFigures {
        cases: sorted.len(),
        median: (!sorted.is_empty()).then(|| sorted[(sorted.len() - 1) / 2]),
        longest: sorted.iter().copied().max_by_key(|d| d.abs()),
    }
}

/// Counts the cases for a period, and for the period it is compared with, as of `today` (a
/// period that has not ended is counted to that day).
/// The verksamhetsområden are the profile's (`areas`), in its order.
pub fn summarize(
    cases: &[Case],
    areas: &[Omrade],
    period: Period,
    previous: Period,
    today: NaiveDate,
) -> Summary {
    let until = period.to.min(today);
    let in_period = |p: Period| -> Vec<&Case> {
        cases
            .iter()
            .filter(|c| count_date(c).is_some_and(|d| p.contains(d)))
            .collect()
    };
    let (now, before) = (in_period(period), in_period(previous));
    let count = |label: &str, test: &dyn Fn(&Case) -> bool| Count {
        label: label.to_string(),
        now: now.iter().filter(|c| test(c)).count(),
        before: before.iter().filter(|c| test(c)).count(),
    };
    let mut by_area: Vec<Count> = areas
        .iter()
        .map(|a| count(&a.namn, &|c| area(c, areas) == a.namn))
        .collect();
    let unknown = count(NO_AREA, &|c| area(c, areas) == NO_AREA);
    if unknown.now + unknown.before > 0 {
        by_area.push(unknown);
    }
    let typ = |t: RapportTyp| move |c: &Case| c.rapport.as_ref().is_some_and(|r| r.typ == t);
    let mut by_type = vec![
        count("Missförhållande", &typ(RapportTyp::Missforhallande)),
        count("Påtaglig risk för missförhållande", &typ(RapportTyp::Risk)),
    ];
    // A case begun from its beslut has no rapport, and so no typ: every breakdown adds up.
    let no_type = count(NO_AREA, &|c| c.rapport.is_none());
    if no_type.now + no_type.before > 0 {
        by_type.push(no_type);
    }
    let mut labels: Vec<String> = Utfall::ALL
        .iter()
        .map(|u| outcome_label(*u).to_string())
        .collect();
    labels.extend(["Ej utredning".to_string(), "Inte avgjort".to_string()]);
    let by_outcome = labels
        .iter()
        .map(|label| count(label, &|c| outcome(c) == *label))
        .collect();
    let beslut_day = |c: &Case| c.beslut.as_ref().map(|b| b.datum.value.0);
    let ivo_day = |c: &Case| c.ivo_date().map(|d| d.value.0);
    Summary {
        period,
        previous,
        total: count("Rapporter", &|_| true),
        by_area,
        by_type,
        by_outcome,
        ivo: count("Anmälda till IVO", &|c| c.ivo_date().is_some()),
        rapport_to_beslut: days(
            now.iter()
                .filter_map(|c| Some((beslut_day(c)? - rapport_date(c)?).num_days()))
                .collect(),
        ),
        beslut_to_ivo: days(
            now.iter()
                .filter_map(|c| Some((ivo_day(c)? - beslut_day(c)?).num_days()))
                .collect(),
        ),
        open_at_end: cases
            .iter()
            .filter(|c| count_date(c).is_some_and(|d| d <= until))
            .filter(|c| c.decided_on().is_none_or(|d| d > until))
            .count(),
        unfinished: (until < period.to).then_some(Date(until)),
        cases: now
            .iter()
            .map(|c| CaseLine {
                diarienummer: c.arende.diarienummer.value.0.clone(),
                rubrik: c.arende.rubrik.value.clone(),
                verksamhetsomrade: area(c, areas),
                utfall: outcome(c),
            })
            .collect(),
    }
}

/// The summary's figures as CSV for Swedish Excel: semicolons, a byte order mark.
pub fn csv(summary: &Summary) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let now = format!("{} – {}", summary.period.from, summary.period.to);
    let before = format!("{} – {}", summary.previous.from, summary.previous.to);
    out.write_record(["avsnitt", "uppgift", &now, &before])?;
    let mut counts: Vec<(&str, &Count)> = vec![("Totalt", &summary.total), ("IVO", &summary.ivo)];
    counts.extend(summary.by_area.iter().map(|c| ("Verksamhetsområde", c)));
    counts.extend(summary.by_type.iter().map(|c| ("Typ", c)));
    counts.extend(summary.by_outcome.iter().map(|c| ("Utfall", c)));
    for (section, c) in counts {
        out.write_record([section, &c.label, &c.now.to_string(), &c.before.to_string()])?;
    }
    let text = |d: Option<i64>| d.map(|d| d.to_string()).unwrap_or_default();
    for (label, d) in [
        ("Dagar från rapport till beslut", &summary.rapport_to_beslut),
        (
            "Dagar från beslut till anmälan till IVO",
            &summary.beslut_to_ivo,
        ),
    ] {
        out.write_record(["Tider", &format!("{label}, median"), &text(d.median), ""])?;
        out.write_record(["Tider", &format!("{label}, längst"), &text(d.longest), ""])?;
    }
    let open = match summary.unfinished {
        Some(day) => format!("Öppna ärenden {day} (perioden är inte slut)"),
        None => "Öppna ärenden vid periodens slut".to_string(),
    };
    out.write_record(["Öppna", &open, &summary.open_at_end.to_string(), ""])?;
    out.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_half_year_and_the_period_before_it() {
        let h1 = Period::half("2026H1").unwrap();
        assert_eq!((h1.from, h1.to), (day("2026-01-01"), day("2026-06-30")));
        let before = h1.previous();
        assert_eq!(
            (before.from, before.to),
            (day("2025-07-04"), day("2025-12-31"))
        );
        let half = h1.previous_half().unwrap();
        assert_eq!((half.from, half.to), (day("2025-07-01"), day("2025-12-31")));
        assert_eq!(Period::half("2026H2").unwrap().to, day("2026-12-31"));
        assert!(Period::half("2026H3").is_none());
    }

    #[test]
    fn the_median_and_the_longest() {
        let d = days(vec![10, 2, 30]);
        assert_eq!((d.median, d.longest), (Some(10), Some(30)));
        assert_eq!(days(Vec::new()).median, None);
    }
}
