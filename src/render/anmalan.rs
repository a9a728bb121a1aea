//! The blankett "Anmälan – lex Sarah" to IVO: each of its fields filled once from the case, for
//! the PDF's template and for the text that is pasted into IVO's e-tjänst, so that both say the
//! same. The mapping is docs/case-format.md's table "The anmälan to IVO, field by field".

use serde::Serialize;

use crate::case::Case;
use crate::case::model::{Anmalan, AnmalanAvser, GorsAv, JaNej};
use crate::document::IVO;
use crate::lagrum;
use crate::profile::Profile;
use crate::source::values::{Block, Date, Text};

/// The blankett as filled from one case.
#[derive(Debug, Clone, Serialize)]
pub struct Blankett {
    /// "enligt 27 kap. 6 § SoL eller 24 f § LSS", from the law in force on the anmälan's day.
    pub enligt: String,
    /// Whether "ett allvarligt missförhållande" is ticked.
    pub allvarligt: bool,
    /// Whether "en påtaglig risk för ett allvarligt missförhållande" is ticked.
    pub risk: bool,
    /// Avsändarens diarienummer.
    pub diarienummer: String,
    /// The address lines under "Inspektionen för vård och omsorg" (the profile's `ivo_adress`).
    pub ivo_adress: Vec<String>,
    /// Which of the three boxes under "Anmälan görs av" is ticked: `namnd`, `enskild_verksamhet`
    /// or `statens_institutionsstyrelse`.
    pub gors_av: GorsAv,
    /// The nämnd, on the line after "Nämnd".
    pub namnd: String,
    /// The kommun, on the line before "kommun/landsting".
    pub kommun: String,
    /// The enskild verksamhet's name, when it makes the anmälan.
    pub enskild_verksamhet: String,
    /// The table under the three boxes.
    pub kontakt: Kontakt,
    /// The table "Var och när".
    pub enhet: Enhet,
    /// The large box: the description and the consequences for the enskilde.
    pub beskrivning: Vec<Block>,
    /// Whether "Berörda enskilda har underrättats …" is ticked.
    pub underrattade: bool,
    /// The four boxes of "Bifogade handlingar".
    pub bifogat: Bifogat,
    /// "Beskrivning av verksamhetens organisation och bemanning".
    pub organisation: Vec<Block>,
    /// "Uppgifter om personalens utbildning, tjänstgöringstid och anställningsform".
    pub personal: Vec<Block>,
    /// "Åtgärder som har vidtagits eller planeras …".
    pub atgarder: Vec<Block>,
    /// The signature row's Datum, ISO.
    pub datum: Date,
    /// The signature row's Namnförtydligande.
    pub namnfortydligande: String,
}

/// Kontaktperson, Titel/funktion, Arbetsplats, Utdelningsadress, Postnr, Postort, Telefon, E-post.
#[derive(Debug, Clone, Serialize)]
pub struct Kontakt {
    /// Kontaktperson.
    pub namn: String,
    /// Titel/funktion.
    pub titel: String,
    /// Arbetsplats.
    pub arbetsplats: String,
    /// Utdelningsadress.
    pub utdelningsadress: String,
    /// Postnr.
    pub postnr: String,
    /// Postort.
    pub postort: String,
    /// Telefon (inkl. riktnr).
    pub telefon: String,
    /// E-postadress.
    pub epost: String,
}

/// Enhet/avdelning, Typ av verksamhet, Gatuadress, Postnr, Postort, Telefon, and when it happened.
#[derive(Debug, Clone, Serialize)]
pub struct Enhet {
    /// Enhet/avdelning.
    pub namn: String,
    /// Typ av verksamhet.
    pub typ: String,
    /// Gatuadress.
    pub gatuadress: String,
    /// Postnr.
    pub postnr: String,
    /// Postort.
    pub postort: String,
    /// Telefon (inkl. riktnr).
    pub telefon: String,
    /// Datum, veckodag samt klockslag för det inträffade.
    pub nar: String,
}

/// The four attachment boxes, with the two utredning labels citing the law of the day.
#[derive(Debug, Clone, Serialize)]
pub struct Bifogat {
    /// "Slutförd utredning enligt 27 kap. 5 § SoL".
    pub sol_label: String,
    /// Whether it is ticked (a SoL case whose finished utredning is attached).
    pub sol: bool,
    /// "Slutförd utredning enligt 24 e § LSS".
    pub lss_label: String,
    /// Whether it is ticked (an LSS case whose finished utredning is attached).
    pub lss: bool,
    /// Whether "Gällande rutiner …" is ticked.
    pub rutiner: bool,
    /// What "Övrigt" names; ticked when not empty.
    pub ovrigt: String,
}

/// The blankett's title, top right on page 1.
pub const TITLE: &str = "ANMÄLAN – lex Sarah";

/// Builds the blankett of a case that has an anmälan, dated by it (or by `arende.ivo_anmalan`).
pub fn blankett(case: &Case, profile: &Profile) -> Option<Blankett> {
    let a = case.anmalan.as_ref()?;
    let datum = case.ivo_date()?.value;
    let cited = lagrum::cited_at(case, datum);
    let law = |key: &str| cited.get(key).copied().unwrap_or_default().to_string();
    let avser = a
        .avser
        .as_ref()
        .map(|x| x.value)
        .or(case.outcome().and_then(AnmalanAvser::of));
    let (namnd, forvaltning) = (case.namnd(profile), case.forvaltning(profile));
    let gors_av = a.sender();
    let attached = case.utredning_attached();
    Some(Blankett {
        enligt: format!("enligt {} eller {}", law("anmala"), law("anmala_lss")),
        allvarligt: avser == Some(AnmalanAvser::Allvarligt),
        risk: avser == Some(AnmalanAvser::Risk),
        diarienummer: case.arende.diarienummer.value.0.clone(),
        ivo_adress: profile.ivo_adress.clone(),
        gors_av,
        namnd: if gors_av == GorsAv::Namnd {
            namnd.to_string()
        } else {
            String::new()
        },
        kommun: if gors_av == GorsAv::Namnd {
            profile.kommun.clone()
        } else {
            String::new()
        },
        enskild_verksamhet: a
            .enskild_verksamhet
            .as_ref()
            .map(|e| e.value.clone())
            .unwrap_or_default(),
        kontakt: kontakt(a, case, profile, forvaltning),
        enhet: enhet(a, case, profile),
        beskrivning: beskrivning(case),
        underrattade: a
            .underrattade
            .as_ref()
            .is_some_and(|u| u.value == JaNej::Ja),
        bifogat: Bifogat {
            sol_label: format!("Slutförd utredning enligt {}", law("utreda")),
            sol: attached && case.arende.lag == crate::case::model::Lag::SoL,
            lss_label: format!("Slutförd utredning enligt {}", law("utreda_lss")),
            lss: attached && case.arende.lag == crate::case::model::Lag::Lss,
            rutiner: a.bifogat.rutiner.unwrap_or(false),
            ovrigt: a.bifogat.ovrigt.clone().unwrap_or_default(),
        },
        organisation: text_blocks(a.organisation.as_ref().map(|t| &t.value)),
        personal: text_blocks(a.personal.as_ref().map(|t| &t.value)),
        atgarder: atgarder(case),
        datum,
        namnfortydligande: a.anmalningsansvarig.value.namn.clone(),
    })
}

/// The contact table: what the anmälan says, else the rapport's lex Sarah-ansvarig, else the
/// anmälningsansvarig; the workplace is the förvaltning and the address the profile's.
fn kontakt(a: &Anmalan, case: &Case, profile: &Profile, forvaltning: &str) -> Kontakt {
    let k = &a.kontaktperson;
    let ansvarig = case
        .rapport
        .as_ref()
        .and_then(|r| r.lex_sarah_ansvarig.as_ref());
    let (street, postnr, postort) = postal(&profile.adress);
    let or =
        |given: &Option<String>, taken: Option<String>| given.clone().or(taken).unwrap_or_default();
    Kontakt {
        namn: or(
            &k.namn,
            Some(ansvarig.map_or_else(
                || a.anmalningsansvarig.value.namn.clone(),
                |x| x.namn.clone(),
            )),
        ),
        titel: or(
            &k.titel,
            match ansvarig {
                Some(x) => x.titel.clone(),
                None => Some(a.anmalningsansvarig.value.befattning.clone()),
            },
        ),
        arbetsplats: or(&k.arbetsplats, Some(forvaltning.to_string())),
        utdelningsadress: or(&k.utdelningsadress, Some(street)),
        postnr: or(&k.postnr.as_ref().map(|c| c.0.clone()), Some(postnr)),
        postort: or(&k.postort, Some(postort)),
        telefon: or(
            &k.telefon.as_ref().map(|c| c.0.clone()),
            ansvarig
                .and_then(|x| x.telefon.as_ref().map(|c| c.0.clone()))
                .or(profile.telefon.clone()),
        ),
        epost: or(
            &k.epost,
            ansvarig
                .and_then(|x| x.epost.clone())
                .or(profile.epost.clone()),
        ),
    }
}

/// Splits postal address lines into (street lines, postnummer, postort): a last line that starts
/// with a postnummer ("595 80 Mjölby") gives both; another last line after a first is the postort
/// ("Stockholm-Globen" under "Box 10014").
pub fn postal(lines: &[String]) -> (String, String, String) {
    let Some((last, before)) = lines.split_last() else {
        return Default::default();
    };
    let digits: String = last
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ' ')
        .collect();
    let number: String = digits.chars().filter(char::is_ascii_digit).collect();
    if number.len() == 5 {
        let postort = last[digits.len()..].trim().to_string();
        let postnr = format!("{} {}", &number[..3], &number[3..]);
        return (before.join(", "), postnr, postort);
    }
    if before.is_empty() {
        return (last.clone(), String::new(), String::new());
    }
    (before.join(", "), String::new(), last.clone())
}

/// The table "Var och när": the anmälan's own values, else the rapport's unit and area, and when
/// it happened from the utredning, else when it was noticed (said as such).
fn enhet(a: &Anmalan, case: &Case, profile: &Profile) -> Enhet {
    let e = &a.enhet;
    let avser = case.rapport.as_ref().map(|r| &r.avser);
    let area = avser.and_then(|v| {
        profile
            .areas()
            .into_iter()
            .find(|o| o.kod == v.verksamhetsomrade.value)
            .map(|o| o.namn)
    });
    let nar = a
        .intraffade
        .as_ref()
        .map(|t| t.value.clone())
        .or(case
            .utredning
            .as_ref()
            .and_then(|u| u.intraffade.as_ref())
            .filter(|t| !t.value.is_blank())
            .map(|t| plain(&t.value)))
        .or(case.rapport.as_ref().map(|r| {
            let when = &r.uppmarksammat;
            let day = when.weekday();
            let time = when
                .klockslag
                .as_ref()
                .map(|k| format!(" kl. {}", k.value.0.format("%H.%M")))
                .unwrap_or_default();
            format!("Uppmärksammades {day} {}{time}", when.datum.value)
        }))
        .unwrap_or_default();
    Enhet {
        namn: e
            .namn
            .clone()
            .or(avser.map(|v| v.enhet.clone()))
            .unwrap_or_default(),
        typ: e.typ.clone().or(area).unwrap_or_default(),
        gatuadress: e.gatuadress.clone().unwrap_or_default(),
        postnr: e.postnr.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
        postort: e.postort.clone().unwrap_or_default(),
        telefon: e.telefon.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
        nar,
    }
}

/// The description: the anmälan's own, else the utredning's `bestod_i` and `konsekvenser`,
/// else the rapport's `beskrivning` and `konsekvenser`.
fn beskrivning(case: &Case) -> Vec<Block> {
    if let Some(own) = case.anmalan.as_ref().and_then(|a| a.beskrivning.as_ref()) {
        return own.value.blocks();
    }
    let (what, effects) = match (&case.utredning, &case.rapport) {
        (Some(u), _) => (&u.bestod_i.value, &u.konsekvenser.value),
        (None, Some(r)) => (&r.beskrivning.value, &r.konsekvenser.value),
        (None, None) => return Vec::new(),
    };
    let mut blocks = what.blocks();
    if !effects.is_blank() {
        blocks.push(Block::P(vec!["Konsekvenser för den enskilde:".into()]));
        blocks.extend(effects.blocks());
    }
    blocks
}

/// The measures: the anmälan's own, else the utredning's preventive measures and its planned
/// ones (each with who and by when), else the rapport's immediate measures.
fn atgarder(case: &Case) -> Vec<Block> {
    if let Some(own) = case.anmalan.as_ref().and_then(|a| a.atgarder.as_ref()) {
        return own.value.blocks();
    }
    match (&case.utredning, &case.rapport) {
        (Some(u), _) => {
            let mut blocks = u.atgarder.forebyggande.value.blocks();
            if !u.planerade_atgarder.is_empty() {
                blocks.push(Block::P(vec!["Planerade åtgärder:".into()]));
                blocks.push(Block::Ul(
                    u.planerade_atgarder
                        .iter()
                        .map(|p| {
                            let mut when = Vec::new();
                            when.extend(p.ansvarig.as_ref().map(|a| format!("ansvarig: {a}")));
                            when.push(format!("klar senast {}", p.klar_senast.value));
                            if let Some(done) = &p.genomford {
                                when.push(format!("genomförd {}", done.value));
                            }
                            vec![format!("{} ({})", p.atgard, when.join(", "))]
                        })
                        .collect(),
                ));
            }
            blocks
        }
        (None, Some(r)) => r.atgarder.value.blocks(),
        (None, None) => Vec::new(),
    }
}

/// A text's blocks, or none for an absent text.
fn text_blocks(text: Option<&Text>) -> Vec<Block> {
    text.map(Text::blocks).unwrap_or_default()
}

/// A text on one line: its paragraphs' and items' lines joined by spaces.
fn plain(text: &Text) -> String {
    lines(&text.blocks()).join(" ")
}

/// The lines of some blocks, each list item as "- item".
fn lines(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::P(p) => out.push(p.join(" ")),
            Block::Ul(items) => out.extend(items.iter().map(|i| format!("- {}", i.join(" ")))),
        }
    }
    out
}

/// Some blocks as plain text: a blank line between blocks, a list's items on lines of their own.
fn paragraphs(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| lines(std::slice::from_ref(b)).join("\n"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The blankett as UTF-8 text for IVO's e-tjänst: each label followed by its value, in the
/// blankett's order, a ticked box as "[X]" and an empty one as "[ ]".
pub fn text(b: &Blankett) -> String {
    let mut out = String::new();
    let tick = |on: bool| if on { "[X]" } else { "[ ]" };
    let mut field = |label: &str, value: &str| {
        out.push_str(label);
        out.push('\n');
        for line in value.lines() {
            if !line.is_empty() {
                out.push_str("  ");
                out.push_str(line);
            }
            out.push('\n');
        }
        out.push('\n');
    };
    field(&format!("{TITLE}\n{}", b.enligt), "");
    field(
        &format!(
            "{} ett allvarligt missförhållande\n{} en påtaglig risk för ett allvarligt missförhållande",
            tick(b.allvarligt),
            tick(b.risk)
        ),
        "",
    );
    field("Avsändarens diarienummer", &b.diarienummer);
    field(IVO, &b.ivo_adress.join("\n"));
    let namnd = b.gors_av == GorsAv::Namnd;
    let enskild = b.gors_av == GorsAv::EnskildVerksamhet;
    field(
        &format!(
            "Anmälan görs av\n{} Nämnd {} i {} kommun/landsting\n{} Enskild verksamhet {} (namnet på t.ex. bolaget, stiftelsen)\n{} Statens institutionsstyrelse",
            tick(namnd),
            blank(&b.namnd),
            blank(&b.kommun),
            tick(enskild),
            blank(&b.enskild_verksamhet),
            tick(b.gors_av == GorsAv::StatensInstitutionsstyrelse),
        ),
        "",
    );
    let k = &b.kontakt;
    for (label, value) in [
        ("Kontaktperson", &k.namn),
        ("Titel/funktion", &k.titel),
        ("Arbetsplats", &k.arbetsplats),
        ("Utdelningsadress", &k.utdelningsadress),
        ("Postnr", &k.postnr),
        ("Postort", &k.postort),
        ("Telefon (inkl. riktnr)", &k.telefon),
        ("E-postadress", &k.epost),
    ] {
        field(label, value);
    }
    field(WHERE_HEADING, "");
    let e = &b.enhet;
    for (label, value) in [
        ("Enhet/avdelning", &e.namn),
        ("Typ av verksamhet", &e.typ),
        ("Gatuadress", &e.gatuadress),
        ("Postnr", &e.postnr),
        ("Postort", &e.postort),
        ("Telefon (inkl. riktnr)", &e.telefon),
        ("Datum, veckodag samt klockslag för det inträffade", &e.nar),
    ] {
        field(label, value);
    }
    field(DESCRIPTION, &paragraphs(&b.beskrivning));
    field(&format!("{} {INFORMED}", tick(b.underrattade)), "");
    let f = &b.bifogat;
    field(
        format!(
            "Bifogade handlingar\n{} {}\n{} {}\n{} Gällande rutiner i verksamheten som är av betydelse för det aktuella missförhållandet\n{} Övrigt {}",
            tick(f.sol),
            f.sol_label,
            tick(f.lss),
            f.lss_label,
            tick(f.rutiner),
            tick(!f.ovrigt.is_empty()),
            f.ovrigt,
        )
        .trim_end(),
        "",
    );
    for (label, blocks) in [
        (ORGANISATION, &b.organisation),
        (PERSONAL, &b.personal),
        (MEASURES, &b.atgarder),
    ] {
        field(label, &paragraphs(blocks));
    }
    field("Datum", &b.datum.iso());
    field("Den anmälningsansvariges underskrift/protokollsutdrag", "");
    field("Namnförtydligande", &b.namnfortydligande);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// A filled line of the text, or a line of underscores for a blank the pen would fill.
fn blank(value: &str) -> &str {
    if value.is_empty() { "____" } else { value }
}

/// The heading over the table of where and when.
pub const WHERE_HEADING: &str = "Var och när har det allvarliga missförhållandet inträffat eller risken för ett allvarligt missförhållande förelegat";
/// The large box on page 1.
pub const DESCRIPTION: &str = "Kortfattad beskrivning av det allvarliga missförhållandet eller risken för ett allvarligt missförhållande och konsekvenserna för den enskilde";
/// The checkbox at the foot of page 1.
pub const INFORMED: &str = "Berörda enskilda har underrättats om anmälan om det allvarliga missförhållandet eller risken för ett allvarligt missförhållande";
/// The first box on page 2 after the attachments.
pub const ORGANISATION: &str = "Beskrivning av verksamhetens organisation och bemanning";
/// The second box on page 2.
pub const PERSONAL: &str = "Uppgifter om personalens utbildning, tjänstgöringstid och anställningsform (på den berörda enheten)";
/// The third box on page 2.
pub const MEASURES: &str = "Åtgärder som har vidtagits eller planeras i verksamheten för att förhindra att liknande missförhållanden inträffar igen";

#[cfg(test)]
mod tests {
    use super::postal;

    fn lines(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_postnummer_line_gives_number_and_town() {
        assert_eq!(
            postal(&lines(&["Box 400", "999 99 Lindbacka"])),
            ("Box 400".into(), "999 99".into(), "Lindbacka".into())
        );
        assert_eq!(
            postal(&lines(&["59580 Mjölby"])),
            (String::new(), "595 80".into(), "Mjölby".into())
        );
    }

    #[test]
    fn a_last_line_without_a_number_is_the_town() {
        assert_eq!(
            postal(&lines(&["Box 10014", "Stockholm-Globen"])),
            ("Box 10014".into(), String::new(), "Stockholm-Globen".into())
        );
        assert_eq!(
            postal(&lines(&["Storgatan 1"])),
            ("Storgatan 1".into(), String::new(), String::new())
        );
        assert_eq!(postal(&[]), Default::default());
    }
}
