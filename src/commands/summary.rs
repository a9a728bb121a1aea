//! `lexsarah summary`: the nämnd's summary of a period's lex Sarah-rapporter, as a tjänsteskrivelse
//! (PDF/A) and a CSV, counted from the case files.

use std::io::Write;
use std::path::Path;

use super::{argument_problem, cannot_run, check_folders, date_argument};
use crate::ExitStatus;
use crate::case::Case;
use crate::case::rules::people;
use crate::check::CheckSettings;
use crate::cli::SummaryArgs;
use crate::diagnostics::{self, Code, Diagnostic, Pos};
use crate::document::DocKind;
use crate::output::write_atomic;
use crate::profile::ResolvedProfile;
use crate::publish::report::{Published, diagnostic};
use crate::publish::{self, Look};
use crate::render::{self, PdfSettings, Templates};
use crate::source::{SourceFile, io_reason};
use crate::summary::{self, Period, Summary};

/// How the summary counts, printed in it under "Så räknas det".
const COUNTING: &str = "Ett ärende räknas till den period då rapporten skrevs (rapportens datum); saknar ärendet rapport räknas dagen då rapporten kom in till utredningen, och saknas även den beslutets dag. Varje uppgift står bredvid samma uppgift för perioden före, som är lika lång och slutar dagen före perioden (för ett halvår: halvåret före).

Utfallet är beslutets. Ett ärende där lex Sarah-ansvarig har tagit ställning att inte utreda räknas som ”Ej utredning”, ett ärende utan beslut som ”Inte avgjort”. Tiderna räknas i dagar för periodens ärenden som har båda stegen; en negativ tid till IVO betyder att anmälan gjordes före beslutet. Ett ärende är öppet vid periodens slut om det räknas till perioden eller en tidigare period och inte hade beslut eller ställningstagande den sista dagen.

Ärendefiler som inte klarar kontrollen räknas inte; hur många de är står under ”Ärenden som inte kunde räknas”.";

/// Counts the cases under the folders and writes the summary; exit 1 when a case was refused
/// (it is named), 2 when the summary cannot be made.
pub fn run(args: &SummaryArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let (period, previous) = match period(args) {
        Ok(period) => period,
        Err(problem) => return cannot_run(err, &problem),
    };
    let (settings, folders) =
        match check_folders(&args.dirs, &args.profile, args.date.as_deref(), err) {
            Ok(checked) => checked,
            Err(problem) => return cannot_run(err, &problem),
        };
    let today = settings.today;
    let refused = folders.refused;
    let mut cases: Vec<Case> = Vec::new();
    let mut sources: Vec<SourceFile> = Vec::new();
    let mut profile: Option<ResolvedProfile> = None;
    let mut organisations: Vec<String> = Vec::new();
    for (_, checked) in folders.cases {
        let id = &checked.profile.profile.id;
        if !organisations.contains(id) {
            organisations.push(id.clone());
        }
        profile.get_or_insert(checked.profile);
        cases.push(checked.loaded.case);
        sources.push(checked.loaded.source);
    }
    if organisations.len() > 1 {
        return cannot_run(
            err,
            &argument_problem(
                "--profile",
                format!(
                    "ärendena hör till olika organisationer ({}); en sammanställning gäller en nämnd",
                    organisations.join(", ")
                ),
            )
            .with_hint("lägg varje organisations ärenden i en egen mapp, eller ange --profile"),
        );
    }
    let profile = match profile {
        Some(profile) => profile,
        None => match named_profile(&settings) {
            Ok(profile) => profile,
            Err(problems) => {
                let _ = write!(err, "{}", diagnostics::format_human(&problems));
                return ExitStatus::Error;
            }
        },
    };
    let counted = summary::summarize(&cases, &profile.profile.areas(), period, previous, today);
    if let Some(day) = counted.unfinished {
        let _ = writeln!(
            err,
            "varning: perioden {} – {} är inte slut; sammanställningen räknar till och med {day} och säger det",
            period.from, period.to
        );
    }
    let mut leaks = leaks(period, &cases, &sources);
    leaks.extend(argument_leaks(args));
    for d in &mut leaks {
        crate::lagrum::add_ground(d, None);
    }
    if !leaks.is_empty() {
        let _ = write!(err, "{}", diagnostics::format_human(&leaks));
        let _ = writeln!(
            err,
            "fel: sammanställningen skrevs inte, eftersom den publiceras; rätta rubrikerna och gör om den"
        );
        return ExitStatus::Failure;
    }
    let name = format!("sammanstallning-{}-{}", period.from, period.to);
    let written = make(args, &profile, &counted, &refused, today, &name).and_then(|(pdf, csv)| {
        std::fs::create_dir_all(&args.out)
            .map_err(|e| super::folder_problem(&args.out, "mappen", "kan inte skapas", &e))?;
        let mut files = Vec::new();
        for (ext, bytes) in [("pdf", pdf), ("csv", csv)] {
            let target = args.out.join(format!("{name}.{ext}"));
            write_atomic(&target, &bytes).map_err(|e| {
                Diagnostic::error(
                    &target,
                    Pos::UNKNOWN,
                    Code::KanInteKoras,
                    format!("{} kan inte skrivas: {}", target.display(), io_reason(&e)),
                )
            })?;
            files.push(target);
        }
        Ok(files)
    });
    match written {
        Ok(files) => {
            for file in files {
                let _ = writeln!(out, "{}", file.display());
            }
            if refused.is_empty() {
                ExitStatus::Success
            } else {
                let _ = writeln!(
                    err,
                    "fel: {} kunde inte räknas (de står ovan); sammanställningen säger bara hur många, under ”Ärenden som inte kunde räknas”",
                    super::counted(refused.len(), "ärendefil", "ärendefiler")
                );
                ExitStatus::Failure
            }
        }
        Err(problem) => cannot_run(err, &problem),
    }
}

/// The period asked for, and the one it is compared with.
fn period(args: &SummaryArgs) -> Result<(Period, Period), Diagnostic> {
    let problem = |message: &str| {
        argument_problem("--half", message)
            .with_hint("ange --half 2026H1 (eller 2026H2), eller --from ÅÅÅÅ-MM-DD --to ÅÅÅÅ-MM-DD")
    };
    if let Some(half) = &args.half {
        let period = Period::half(half).ok_or_else(|| problem("okänt halvår"))?;
        let previous = period
            .previous_half()
            .ok_or_else(|| problem("okänt halvår"))?;
        return Ok((period, previous));
    }
    let (Some(from), Some(to)) = (&args.from, &args.to) else {
        return Err(problem("ange vilken period som ska sammanställas"));
    };
    let period = Period {
        from: date_argument("--from", Some(from))?,
        to: date_argument("--to", Some(to))?,
    };
    if period.to < period.from {
        return Err(problem("periodens sista dag ligger före dess första"));
    }
    Ok((period, period.previous()))
}

/// The profile named with `--profile`, when no case could give one.
fn named_profile(settings: &CheckSettings) -> Result<ResolvedProfile, Vec<Diagnostic>> {
    let Some(reference) = settings.profile.as_deref() else {
        return Err(vec![
            argument_problem(
                "--profile",
                "inget ärende gick att läsa, och ingen profil är angiven",
            )
            .with_hint("ange organisationens profil med --profile"),
        ]);
    };
    crate::check::profile_given(reference, settings)
}

/// What in the published list of the period's cases could point a person out: a personnummer,
/// an invisible character, or a name from any case file, in a rubrik or a diarienummer, read
/// as a reader sees them.
fn leaks(period: Period, cases: &[Case], sources: &[SourceFile]) -> Vec<Diagnostic> {
    let mut names: Vec<String> = cases.iter().flat_map(people).collect();
    names.sort();
    names.dedup();
    let look = Look {
        names: &names,
        ..Look::NEVER
    };
    let mut found = Vec::new();
    let counted = cases
        .iter()
        .zip(sources)
        .filter(|(case, _)| summary::count_date(case).is_some_and(|day| period.contains(day)));
    for (case, source) in counted {
        let a = &case.arende;
        let file = source.path.as_path();
        for (field, text, at) in [
            ("arende.rubrik", &a.rubrik.value, a.rubrik.pos),
            (
                "arende.diarienummer",
                &a.diarienummer.value.0,
                a.diarienummer.pos,
            ),
        ] {
            let start = found.len();
            found.extend(publish::scan(text, &look).iter().map(|finding| {
                diagnostic(
                    finding,
                    Published::Summary,
                    file,
                    at,
                    Some(&source.text),
                    field,
                )
            }));
            diagnostics::attach_source(&mut found[start..], file, &source.text);
        }
    }
    found
}

/// What the summary's own options put into it (its diarienummer, handläggare, undertecknare,
/// befattning and proposals): no personnummer and no invisible character.
fn argument_leaks(args: &SummaryArgs) -> Vec<Diagnostic> {
    let given = [
        ("--diarienummer", args.diarienummer.as_deref()),
        ("--handlaggare", args.handlaggare.as_deref()),
        ("--undertecknare", args.undertecknare.as_deref()),
        ("--befattning", args.befattning.as_deref()),
    ]
    .into_iter()
    .filter_map(|(name, text)| Some((name, text?)))
    .chain(args.forslag.iter().map(|f| ("--forslag", f.as_str())));
    given
        .flat_map(|(name, text)| {
            publish::scan(text, &Look::NEVER)
                .iter()
                .map(|finding| {
                    diagnostic(
                        finding,
                        Published::Summary,
                        Path::new(name),
                        Pos::UNKNOWN,
                        None,
                        "",
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The summary's PDF and CSV.
fn make(
    args: &SummaryArgs,
    profile: &ResolvedProfile,
    counted: &Summary,
    refused: &[String],
    today: chrono::NaiveDate,
    name: &str,
) -> Result<(Vec<u8>, Vec<u8>), Diagnostic> {
    let failed = |message: String| {
        Diagnostic::error(Path::new(name), Pos::UNKNOWN, Code::Renderingsfel, message)
            .with_hint("det här är ett fel i lexsarah; rapportera det gärna")
    };
    let p = &profile.profile;
    let signer = args
        .undertecknare
        .clone()
        .unwrap_or_else(|| p.forvaltning.clone());
    let title = format!(
        "Sammanställning av lex Sarah-rapporter {} – {}",
        counted.period.from, counted.period.to
    );
    // A period that has not ended is said to be unfinished, with its figures to the day.
    let (span, open_when) = match counted.unfinished {
        Some(day) => (
            format!(
                "Perioden {} – {} är inte slut. Till och med {day}",
                counted.period.from, counted.period.to
            ),
            format!("Den {day}"),
        ),
        None => (
            format!(
                "Under perioden {} – {}",
                counted.period.from, counted.period.to
            ),
            "Vid periodens slut".to_string(),
        ),
    };
    let sammanfattning = format!(
        "{span} kom {} in (perioden före: {}). {} anmäldes till IVO (perioden före: {}). {open_when} var {} öppna.",
        super::counted(
            counted.total.now,
            "lex Sarah-rapport",
            "lex Sarah-rapporter"
        ),
        counted.total.before,
        super::counted(counted.ivo.now, "ärende", "ärenden"),
        counted.ivo.before,
        super::counted(counted.open_at_end, "ärende", "ärenden"),
    );
    // The summary is a tjänsteskrivelse: its case is made from the options, as data.
    let letter = serde_json::json!({
        "version": 1,
        "profil": p.id,
        "arende": {
            "diarienummer": args.diarienummer.clone().unwrap_or_default(),
            "rubrik": "Sammanställning av lex Sarah-rapporter",
            "lag": "SoL",
        },
        "tjansteskrivelse": {
            "datum": today.format("%Y-%m-%d").to_string(),
            // Without --handlaggare, no Handläggare: an absent value prints no label.
            "handlaggare": args.handlaggare.clone().unwrap_or_default(),
            "rubrik": title,
            "forslag_till_beslut": if args.forslag.is_empty() {
                vec!["Informationen noteras.".to_string()]
            } else {
                args.forslag.clone()
            },
            "undertecknare": [{
                "namn": signer,
                "befattning": args.befattning.clone().unwrap_or_default(),
            }],
            "sammanfattning": sammanfattning,
            "beskrivning": COUNTING,
            "lagtext": false,
        },
    });
    let case: Case = serde_saphyr::from_str(&letter.to_string())
        .map_err(|e| failed(format!("sammanställningens data: {e}")))?;
    let mut prepared = render::prepare(&case, profile, DocKind::Tjansteskrivelse)
        .map_err(|e| failed(e.to_string()))?;
    let mut data: serde_json::Value =
        serde_json::from_slice(&prepared.data).map_err(|e| failed(e.to_string()))?;
    data["doc"] = "sammanstallning".into();
    let mut keywords = vec!["lex Sarah".to_string(), "sammanställning".to_string()];
    keywords.extend(args.diarienummer.iter().cloned());
    data["meta"]["title"] = title.into();
    data["meta"]["keywords"] = keywords.into();
    data["summary"] = serde_json::to_value(counted).map_err(|e| failed(e.to_string()))?;
    // How many files were refused, never their names: a name is unchecked text.
    data["refused"] = refused.len().into();
    // The letter's own data had its long words broken by `prepare`; only what is added here.
    render::words::break_long_words(&mut data["summary"], &[]);
    prepared.data = serde_json::to_vec_pretty(&data).map_err(|e| failed(e.to_string()))?;
    prepared.ident = format!("lexsarah/{name}");
    let pdf = render::compile(
        &prepared,
        &Templates::embedded(),
        &PdfSettings::default_for(DocKind::Tjansteskrivelse),
    )
    .map_err(|e| failed(e.to_string()))?;
    let csv = summary::csv(counted).map_err(|e| failed(e.to_string()))?;
    Ok((pdf.pdf, csv))
}
