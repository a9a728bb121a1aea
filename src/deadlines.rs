//! The lex Sarah-ansvarig's deadlines: what each case still waits for, as of a date, and what
//! is already late.

use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

use crate::case::Case;
use crate::case::model::JaNej;

/// One thing a case waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The case's diarienummer.
    pub diarienummer: String,
    /// The case file, as found.
    pub fil: String,
    /// What kind of thing it is: `oppet`, `ivo-saknas`, `utredning-till-ivo`, `namnd-ivo`,
    /// `imy`, `atgard`.
    pub kod: &'static str,
    /// What it is, in Swedish.
    pub vad: String,
    /// The date it counts from, or the date it is due by.
    pub datum: String,
    /// Days from `datum` to the day asked about; negative while there is time left.
    pub dagar: i64,
    /// Whether it is late.
    pub forsenat: bool,
}

impl Deadline {
    /// Whether `datum` is the day the thing is due by (else the day it counts from).
    pub fn is_due_date(&self) -> bool {
        matches!(self.kod, "utredning-till-ivo" | "imy" | "atgard")
    }

    /// The days in words: "16 dagar kvar", "i dag", "16 dagar för sent", or, for what counts
    /// from a day, "16 dagar sedan".
    pub fn time_in_words(&self) -> String {
        let days = |n: i64| format!("{n} {}", if n == 1 { "dag" } else { "dagar" });
        match (self.is_due_date(), self.dagar) {
            (_, 0) => "i dag".into(),
            (true, n) if n < 0 => format!("{} kvar", days(-n)),
            (true, n) => format!("{} för sent", days(n)),
            (false, n) if n < 0 => format!("om {}", days(-n)),
            (false, n) => format!("{} sedan", days(n)),
        }
    }
}

/// Everything a case waits for on `today`, in the order of the process.
pub fn of_case(case: &Case, fil: &str, today: NaiveDate) -> Vec<Deadline> {
    let diarienummer = case.arende.diarienummer.value.0.clone();
    let item = |kod, vad: String, datum: NaiveDate, forsenat| Deadline {
        diarienummer: diarienummer.clone(),
        fil: fil.to_string(),
        kod,
        vad,
        datum: datum.format("%Y-%m-%d").to_string(),
        dagar: (today - datum).num_days(),
        forsenat,
    };
    let mut found = Vec::new();
    let came_in = case
        .utredning
        .as_ref()
        .map(|u| u.rapport_inkom.value.0)
        .or(case.rapport.as_ref().map(|r| r.datum.value.0));
    if let (None, Some(came_in)) = (case.decided_on(), came_in) {
        found.push(item(
            "oppet",
            "inget beslut och inget ställningstagande ännu; dagar sedan rapporten kom in".into(),
            came_in,
            false,
        ));
    }
    let outcome = case.outcome();
    let outcome_date = case.beslut.as_ref().map(|b| b.datum.value.0).or(case
        .utredning
        .as_ref()
        .map(|u| u.avslutad.as_ref().unwrap_or(&u.inledd).value.0));
    let ivo = case.ivo_date().map(|d| d.value.0);
    if let (Some(u), None, Some(since)) = (outcome, ivo, outcome_date)
        && u.is_serious()
    {
        found.push(item(
            "ivo-saknas",
            "allvarligt missförhållande eller påtaglig risk för ett sådant, men ingen anmälan till IVO".into(),
            since,
            true,
        ));
    }
    if let Some(anmalan) = ivo {
        // With the blankett in the case, the utredning is due until it went with the anmälan or
        // its sending is written; without it, until the utredning is finished.
        let still_due = match &case.anmalan {
            Some(a) => !case.utredning_attached() && a.utredning_skickad.is_none(),
            None => case
                .utredning
                .as_ref()
                .and_then(|u| u.avslutad.as_ref())
                .is_none(),
        };
        if let (true, Some(due)) = (still_due, anmalan.checked_add_months(Months::new(2))) {
            found.push(item(
                "utredning-till-ivo",
                "utredningen ska skickas till IVO senast två månader efter anmälan".into(),
                due,
                today > due,
            ));
        }
        let told = case
            .utredning
            .as_ref()
            .and_then(|u| u.information_till_namnd.as_ref())
            .and_then(|i| i.ivo_anmalan.as_ref());
        if told.is_none() {
            found.push(item(
                "namnd-ivo",
                "anmälan till IVO är inte rapporterad till nämnden".into(),
                anmalan,
                false,
            ));
        }
    }
    let incident = case
        .arende
        .personuppgiftsincident
        .as_ref()
        .is_some_and(|p| p.value == JaNej::Ja);
    if let (true, None, Some(r)) = (incident, &case.arende.imy_anmalan, &case.rapport) {
        // 72 hours from the day it was noticed: by the end of the third day after it.
        let noticed = r.uppmarksammat.datum.value.0;
        let due = noticed.checked_add_days(Days::new(3)).unwrap_or(noticed);
        found.push(item(
            "imy",
            "personuppgiftsincidenten ska anmälas till IMY inom 72 timmar".into(),
            due,
            today > due,
        ));
    }
    if let Some(u) = &case.utredning {
        for a in u
            .planerade_atgarder
            .iter()
            .filter(|a| a.genomford.is_none())
        {
            let due = a.klar_senast.value.0;
            if today > due {
                found.push(item(
                    "atgard",
                    format!("planerad åtgärd inte genomförd: {}", a.atgard),
                    due,
                    true,
                ));
            }
        }
    }
    found
}

/// The list as a table for a terminal.
pub fn table(items: &[Deadline], today: NaiveDate) -> String {
    let late = items.iter().filter(|d| d.forsenat).count();
    let mut out = format!(
        "Frister per {today}: {} att följa upp, {late} försenade\n\n",
        items.len()
    );
    let rows: Vec<[String; 5]> = items
        .iter()
        .map(|d| {
            [
                d.diarienummer.clone(),
                d.vad.clone(),
                d.datum.clone(),
                d.time_in_words(),
                if d.forsenat { "FÖRSENAT" } else { "att göra" }.to_string(),
            ]
        })
        .collect();
    let header = ["Ärende", "Vad", "Datum", "Tid", "Status"].map(str::to_string);
    let widths: Vec<usize> = (0..5)
        .map(|i| {
            std::iter::once(&header)
                .chain(&rows)
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| {
                let pad = w - cell.chars().count();
                format!("{cell}{}", " ".repeat(pad))
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due(kod: &'static str, dagar: i64) -> Deadline {
        Deadline {
            diarienummer: String::new(),
            fil: String::new(),
            kod,
            vad: String::new(),
            datum: String::new(),
            dagar,
            forsenat: dagar > 0,
        }
    }

    #[test]
    fn the_days_are_said_in_words_a_person_reads() {
        assert_eq!(due("imy", -16).time_in_words(), "16 dagar kvar");
        assert_eq!(due("atgard", 16).time_in_words(), "16 dagar för sent");
        assert_eq!(
            due("utredning-till-ivo", 1).time_in_words(),
            "1 dag för sent"
        );
        assert_eq!(due("imy", 0).time_in_words(), "i dag");
        assert_eq!(due("oppet", 30).time_in_words(), "30 dagar sedan");
    }
}
