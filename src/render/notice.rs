//! The public notice (seed 004): its text built once, for the PDF's template and for the web
//! page, so that both say the same.

use serde::Serialize;

use crate::case::Case;
use crate::case::model::Utfall;
use crate::lagrum;
use crate::profile::Profile;
use crate::source::values::{Block, Text};

/// A notice as both its PDF and its web page print it.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    /// The heading of the news item.
    pub title: String,
    /// The day it is published, ISO.
    pub published: String,
    /// Its parts in order, each with an optional heading.
    pub parts: Vec<Part>,
}

/// A part of the notice: a heading over some paragraphs and lists, or those alone.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// The heading, if the part has one.
    pub heading: Option<String>,
    /// Its paragraphs and lists.
    pub blocks: Vec<Block>,
}

/// Builds the notice of a case that has one.
pub fn notice(case: &Case, profile: &Profile) -> Option<Notice> {
    let n = case.notis.as_ref()?;
    let forvaltning = case.forvaltning(profile);
    let title = n.rubrik.as_ref().map_or_else(
        || format!("{forvaltning} anmäler händelse enligt lex Sarah till IVO"),
        |r| r.value.clone(),
    );
    let plain = |heading: Option<&str>, text: &Text| Part {
        heading: heading.map(str::to_string),
        blocks: text.blocks(),
    };
    let mut parts = vec![
        plain(None, &n.ingress.value),
        plain(None, &n.handelse.value),
        plain(Some("Bedömning efter utredning"), &n.bedomning.value),
    ];
    let mut next = vec![Block::P(vec!["Påbörjade och planerade åtgärder:".into()])];
    if !n.atgarder.is_empty() {
        next.push(Block::Ul(
            n.atgarder.iter().map(|a| vec![a.value.clone()]).collect(),
        ));
    }
    next.push(Block::P(vec![ivo_sentence(case)]));
    parts.push(Part {
        heading: Some("Vad händer nu?".into()),
        blocks: next,
    });
    if let Some(larande) = &profile.notis_larande {
        parts.push(plain(None, &Text(larande.clone())));
    }
    parts.push(Part {
        heading: None,
        blocks: vec![Block::P(vec![lex_sarah(n.publicerad.value, case)])],
    });
    if let Some(k) = &n.kontakt {
        let mut who = vec![k.namn.value.clone()];
        who.extend(k.titel.clone());
        who.extend(k.telefon.as_ref().map(|t| t.0.clone()));
        who.extend(k.epost.clone());
        parts.push(Part {
            heading: Some("Kontakt".into()),
            blocks: vec![Block::P(vec![format!(
                "Frågor om händelsen besvaras av {}.",
                who.join(", ")
            )])],
        });
    }
    Some(Notice {
        title,
        published: n.publicerad.value.iso(),
        parts,
    })
}

/// Why the case went to IVO, by its outcome.
fn ivo_sentence(case: &Case) -> String {
    let outcome = case.outcome();
    let why = match outcome {
        Some(Utfall::Allvarligt) => "Eftersom händelsen bedöms vara ett allvarligt missförhållande",
        Some(Utfall::AllvarligRisk) => {
            "Eftersom händelsen bedöms vara en påtaglig risk för ett allvarligt missförhållande"
        }
        _ => "Eftersom händelsen kan vara ett allvarligt missförhållande",
    };
    format!(
        "{why} har den anmälts till Inspektionen för vård och omsorg (IVO), som granskar ärendet och bedömer om något mer behöver göras för att liknande misstag inte ska ske igen."
    )
}

/// The standard explanation of lex Sarah, citing the law in force on the day of publishing.
fn lex_sarah(published: crate::source::values::Date, case: &Case) -> String {
    let refs = lagrum::cited_at(case, published);
    // A reference never breaks across lines: its spaces are no-break spaces.
    let r = |key: &str| refs.get(key).copied().unwrap_or("").replace(' ', "\u{a0}");
    format!(
        "Lex Sarah är det vardagliga namnet på bestämmelser i {}, SoL, och i lagen om stöd och service till vissa funktionshindrade, LSS. Bestämmelserna betyder att den som arbetar inom vård och omsorg är skyldig att rapportera både missförhållanden och påtagliga risker för missförhållanden ({} och {}). Utifrån rapporterna gör förvaltningen en intern utredning. När utredningen är klar beslutas om förvaltningen ska anmäla händelsen till Inspektionen för vård och omsorg, IVO ({} och {}). Ibland görs anmälan till IVO innan utredningen är klar, när det tidigt står klart att händelsen är allvarlig.",
        r("sol"),
        r("rapportera"),
        r("rapportera_lss"),
        r("anmala"),
        r("anmala_lss"),
    )
}

/// The notice as one whole, accessible web page: `lang="sv"`, headings, paragraphs and lists,
/// no script and nothing loaded from elsewhere; its `<article>` is what a web editor pastes.
///
/// The page is also well-formed XML (void elements closed with `/>`), so that any tool, an XML
/// parser included, reads it as written.
pub fn html(notice: &Notice) -> String {
    let mut body = String::new();
    body.push_str(&format!(
        "<p>Publicerad <time datetime=\"{0}\">{0}</time></p>\n<h1>{1}</h1>\n",
        escape(&notice.published),
        escape(&notice.title)
    ));
    for part in &notice.parts {
        if let Some(heading) = &part.heading {
            body.push_str(&format!("<h2>{}</h2>\n", escape(heading)));
        }
        for block in &part.blocks {
            match block {
                Block::P(lines) => body.push_str(&format!("<p>{}</p>\n", lines_html(lines))),
                Block::Ul(items) => {
                    body.push_str("<ul>\n");
                    for item in items {
                        body.push_str(&format!("<li>{}</li>\n", lines_html(item)));
                    }
                    body.push_str("</ul>\n");
                }
            }
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\" />\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n<title>{}</title>\n</head>\n<body>\n<main>\n<article>\n{body}</article>\n</main>\n</body>\n</html>\n",
        escape(&notice.title)
    )
}

/// Lines of one paragraph or item, kept as line breaks.
fn lines_html(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("<br />\n")
}

/// Text as HTML text: the five characters with a meaning in HTML become references.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_looks_like_html_is_printed_as_typed() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }
}
