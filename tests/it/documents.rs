//! All six documents in both layouts, profiles, and the templates as a plain Typst project.

use std::path::Path;

use lexsarah::document::DocKind;
use lexsarah::render::{self, PdfSettings, project};

use crate::common::*;

/// The example that has every section.
fn full_example() -> std::path::PathBuf {
    example("mjolby-borttappade-handlingar.yaml")
}

/// A built-in profile by name, for [`render_with`].
fn built_in(name: &str) -> Option<String> {
    Some(name.to_string())
}

/// Renders one document of a case file as `render` does, with a built-in profile or (`None`)
/// the one the case names.
fn render_with(case_path: &Path, profile: &Option<String>, doc: DocKind) -> Vec<u8> {
    render_checked(case_path, profile.as_deref(), doc, None)
}

/// The labels of layouts.md that each document prints, in both layouts.
fn labels(doc: DocKind) -> &'static [&'static str] {
    match doc {
        DocKind::Rapport => &[
            "Till lex Sarah-ansvarig",
            "RAPPORT enligt lex Sarah",
            "om ett missförhållande i verksamheten",
            "om en påtaglig risk för ett missförhållande i verksamheten",
            "(14 kap. 3 § SoL och 24 b § LSS)",
            "Rapporten lämnas av",
            "Namn",
            "Titel/ funktion",
            "Arbetsplats",
            "Telefonnummer",
            "E-postadress",
            "Rapporten avser",
            "Enhetens/ avdelningens namn",
            "Verksamhetsområde där missförhållandet har uppmärksammats",
            "Förtydliga om missförhållandet rör t.ex.",
            "Äldreomsorg",
            "Funktionsnedsättning",
            "Socialpsykiatri",
            "Vuxen/ Missbruk",
            "Barn och ungdom",
            "Ekonomiskt bistånd",
            "Jobbtorg",
            "Kvinnojoursverksamhet, härbärgen m.fl.",
            "Uppgifter om missförhållandet eller den påtagliga risken för ett missförhållande",
            "När har missförhållandet eller den påtagliga risken för ett missförhållande uppmärksammats?",
            "Datum",
            "Veckodag",
            "Klockslag",
            "Personen som utsatts för missförhållandet/påtagliga risken för missförhållande är",
            "Kvinna",
            "Man",
            "Beskriv missförhållandet eller den påtagliga risken för ett missförhållande",
            "Beskriv vilka konsekvenser missförhållandet har fått/kunde ha fått för den eller de personer som berörs.",
            "Beskriv vilka eventuella åtgärder som har vidtagits omedelbart.",
            "Övriga upplysningar",
            "Underskrift av rapportören",
            "Namnunderskrift",
            "Namnförtydligande",
            "Till dig som rapporterar",
            "Nedanstående fält fylls, i förekommande fall, i av nämndens lex Sarah-ansvariga.",
            "Namn och titel på lex Sarah-ansvarig",
            "E-postadress och telefonnummer",
            "Ställningstagande att inte inleda utredning enligt lex Sarah",
            "Det är uppenbart att den inkomna rapporten inte rör ett missförhållande",
            "Underskrift",
            // The case's values.
            "Petra Nyström",
            "Enheten socialpsykiatri",
            "Boendestöd",
            "2020-11-27",
            "fredag",
            "17:30",
        ],
        DocKind::Utredning => &[
            "Lex Sarah-utredning",
            "För varje uppgift som dokumenteras under utredningen ska det framgå",
            "Vilket datum uppgiften dokumenteras",
            "Varifrån uppgiften kommer",
            "Vad som är faktiska omständigheter och vad som är bedömningar",
            "Vem (namn och befattning) som dokumenterat uppgiften",
            "Lex-Sarah-rapporten ska biläggas utredningen",
            "Uppgifter om rapporten och påbörjad utredning",
            "Rapporten inkom (datum)",
            "Rapportens diarienummer",
            "Utredningen inledd (datum)",
            "SoL",
            "LSS",
            "Utredare (namn, befattning)",
            "Nämnd som utreder rapporten",
            "Uppgifter om det rapporterade missförhållandet eller den påtagliga risken för ett missförhållande",
            "När och hur uppmärksammades missförhållandet eller risken för missförhållandet?",
            "När inträffade händelsen?",
            "Vad har det rapporterade missförhållandet eller risken för missförhållande bestått i?",
            "Vilka konsekvenser fick händelsen eller vilka konsekvenser kunde händelsen ha fått för den enskilde?",
            "Har missförhållandet eller risken för missförhållande inträffat tidigare? I så fall, varför har det inträffat igen?",
            "Skulle något liknande kunna inträffa igen?",
            "Förklara varför?",
            "Utredning av bakomliggande orsaker",
            "Kommunikation och information",
            "Utbildning och kompetens",
            "Processer, rutiner och riktlinjer",
            "Omgivning och organisation",
            "Teknik, utrustning och apparatur",
            "Andra bakomliggande orsaker",
            "Uppgifter om vilka åtgärder som har vidtagits",
            "När vidtogs åtgärderna?",
            "Behov av ytterligare uppföljning, utvärdering och kontroll",
            "Övrigt som har framkommit i utredningen?",
            "Förslag till beslut",
            "Det rapporterade utgjorde en påtaglig risk för missförhållande",
            "Det rapporterade utgjorde ett missförhållande",
            "Det rapporterade utgjorde en påtaglig risk för allvarligt missförhållande (anmäls till IVO)*",
            "Det rapporterade utgjorde ett allvarligt missförhållande (anmäls till IVO)*",
            "Det rapporterade utgjorde inte ett missförhållande eller allvarlig risk för missförhållande",
            "Datum för när information har skickats till beställande nämnd",
            "Information om den inkomna rapporten har skickats den 2020-12-03",
            "Information om anmälan till IVO har skickats den 2021-01-15",
            "En kopia på utredningen* har bifogats den",
            "En kopia på avslutad utredning* har skickats till beställande nämnd den",
            "*Kopia på påbörjad och avslutad utredning ska bifogas så snart utredning resulterar i anmälan till tillsynsmyndigheten (IVO).",
            "Fortlöpande dokumentation av lex Sarah-utredningen",
            "Anteckning",
            "Bilaga nr",
            "Sign. (namn befattn.)",
            // The case's values.
            "Karl Sjöberg, Kvalitetsutvecklare",
            "Samtal med enhetschefen om rutiner vid hemarbete",
            "2021/ASN 0026",
        ],
        DocKind::Beslut => &[
            "Beslut enligt delegation",
            "Ärende och diarienummer",
            "Sekretessbelagda handlingar borttappade på buss, 2021/ASN 0026",
            "Bakgrund, förslag till beslut och beslut",
            "Bedömning och förslag till beslut",
            "Beslut enligt ärendegrupp 2.14 i delegationsordningen:",
            "Datum",
            "Underskrift",
            "Namnförtydligande",
            "Befattning",
            "Eva Lindgren",
            "2021-01-14",
        ],
        DocKind::Anmalan => &[
            "ANMÄLAN – lex Sarah",
            "enligt 14 kap. 7 § SoL eller 24 f § LSS",
            "ett allvarligt missförhållande",
            "Avsändarens diarienummer",
            "Inspektionen för vård och omsorg",
            "Anmälan görs av",
            "Kontaktperson",
            "Slutförd utredning enligt 14 kap. 6 § SoL",
            "Den anmälningsansvariges underskrift/protokollsutdrag",
            // The case's values, taken from its other sections.
            "2021/ASN 0026",
            "Karl Sjöberg",
            "Enheten socialpsykiatri",
            "Den 27 november 2020, vid hemresan från arbetet.",
            "Eva Lindgren",
            "2021-01-15",
        ],
        DocKind::Tjansteskrivelse => &[
            "Information om lex Sarah-anmälan socialpsykiatri",
            "Förvaltningens förslag till beslut",
            "Informationen noteras.",
            "Sammanfattning",
            "Beskrivning av ärendet",
            "Enligt bestämmelserna om lex Sarah i socialtjänstlagen (2001:453), SoL, och lagstiftningen om stöd och service till vissa funktionshindrade, LSS, ska:",
            "anställda genast rapportera missförhållanden och påtagliga risker för missförhållanden till den som bedriver verksamheten (14 kap. 3 § SoL och 24 b § LSS)",
            "(14 kap. 6 § SoL och 24 e § LSS)",
            "(14 kap. 7 § SoL och 24 f § LSS)",
            "Lex Sarah syftar till att säkerställa att personer som behöver socialtjänstens insatser får dessa med god kvalitet.",
            "Ekonomiska konsekvenser",
            "Barnets bästa",
            "Eva Lindgren",
            "Biträdande förvaltningschef",
            "Lena Forsberg",
            "2021-02-11",
        ],
        DocKind::Notis => &[
            "Publicerad 2021-01-22",
            "anmäler händelse enligt lex Sarah till IVO",
            "Efter en intern utredning av en avvikelserapport som kom in i slutet av november",
            "Bedömning efter utredning",
            "Vad händer nu?",
            "Påbörjade och planerade åtgärder:",
            "Rutinerna följs upp på enhetens arbetsplatsträffar under våren.",
            "har den anmälts till Inspektionen för vård och omsorg (IVO)",
            "Lex Sarah är det vardagliga namnet på bestämmelser i socialtjänstlagen (2001:453), SoL,",
            "(14 kap. 3 § SoL och 24 b § LSS)",
            "Frågor om händelsen besvaras av Karl Sjöberg, kvalitetsutvecklare, 0142-000 02.",
        ],
    }
}

#[test]
fn every_document_in_both_layouts_prints_its_labels_and_its_true_page_count() {
    for layout in ["stockholm", "mjolby"] {
        let profile = built_in(layout);
        for doc in DocKind::ALL {
            let pdf = render_with(&full_example(), &profile, doc);
            let text = pdf_text(&pdf);
            for label in labels(doc) {
                assert!(
                    text.contains(&fold(label)),
                    "{layout} {doc}: missing {label:?} in {text}"
                );
            }
            let pages = page_count(&pdf);
            // IVO's blankett numbers its pages as the blankett does, in every layout.
            let total = match (layout, doc) {
                ("stockholm", d) if d != DocKind::Anmalan => format!("Sida 1 ({pages})"),
                _ => format!("1 ({pages})"),
            };
            assert!(
                text.contains(&total),
                "{layout} {doc}: {pages} pages, {text}"
            );
            if pages > 1 {
                assert!(text.contains(&format!("2 ({pages})")), "{layout} {doc}");
            }
        }
    }
}

#[test]
fn each_layout_has_its_own_header() {
    let stockholm = pdf_text(&render_with(
        &full_example(),
        &built_in("stockholm"),
        DocKind::Tjansteskrivelse,
    ));
    assert!(stockholm.contains("Tjänsteutlåtande"), "{stockholm}");
    assert!(stockholm.contains("Stockholms stad"));
    assert!(
        stockholm.contains("Handläggare Lena Forsberg"),
        "{stockholm}"
    );
    let mjolby = pdf_text(&render_with(
        &full_example(),
        &built_in("mjolby"),
        DocKind::Tjansteskrivelse,
    ));
    for label in [
        "Handläggare",
        "Handlingstyp",
        "Tjänsteskrivelse",
        "Datum",
        "Sida",
        "Diarienummer",
        "Mottagare",
        "Omsorgs- och socialnämnden",
        "Mjölby kommun",
    ] {
        assert!(mjolby.contains(label), "missing {label:?}: {mjolby}");
    }
    let rapport = pdf_text(&render_with(
        &full_example(),
        &built_in("mjolby"),
        DocKind::Rapport,
    ));
    assert!(
        rapport.contains("Lex Sarah-rapport"),
        "Handlingstyp names the document: {rapport}"
    );
    assert!(
        rapport.contains("Karl Sjöberg"),
        "Mottagare is the lex Sarah-ansvarig: {rapport}"
    );
}

#[test]
fn confidential_documents_carry_the_marking_and_the_tjansteskrivelse_does_not() {
    let profile = built_in("mjolby");
    for doc in [DocKind::Rapport, DocKind::Utredning, DocKind::Beslut] {
        let text = pdf_text(&render_with(&full_example(), &profile, doc));
        assert!(
            text.contains("Sekretess enligt 26 kap. 1 § OSL"),
            "{doc}: {text}"
        );
    }
    let text = pdf_text(&render_with(
        &full_example(),
        &profile,
        DocKind::Tjansteskrivelse,
    ));
    assert!(!text.contains("Sekretess enligt"), "{text}");
}

#[test]
fn the_tjansteskrivelse_is_accessible_by_default_and_the_others_pdfa_2b() {
    let profile = built_in("stockholm");
    let published = xmp(&render_with(
        &full_example(),
        &profile,
        DocKind::Tjansteskrivelse,
    ));
    assert!(
        published.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "{published}"
    );
    assert!(published.contains("<pdfaid:conformance>A</pdfaid:conformance>"));
    let internal = xmp(&render_with(&full_example(), &profile, DocKind::Utredning));
    assert!(internal.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    assert!(!internal.contains("pdfuaid"));
}

#[test]
fn a_custom_profile_prints_its_own_names_addresses_and_date_format() {
    let case = example("lindbacka/arende.yaml");
    let profile = None;
    let text = pdf_text(&render_with(&case, &profile, DocKind::Tjansteskrivelse));
    for expected in [
        "Vård- och omsorgsförvaltningen",
        "Storgatan 12",
        "Box 400",
        "999 99 Lindbacka",
        "Telefon 0999-10 00 00",
        "vardochomsorg@",
        "lindbacka.example",
        "Tjänsteutlåtande",
        "Vård- och omsorgsförvaltningens förslag till beslut",
        "240418",
        "Johan Ek",
        "Sara Öberg",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    let rapport = pdf_text(&render_with(&case, &profile, DocKind::Rapport));
    assert!(rapport.contains("VÅRD- OCH OMSORGSNÄMNDEN"), "{rapport}");
    assert!(rapport.contains("240304"), "kort date format: {rapport}");
    assert!(rapport.contains("måndag"), "derived weekday: {rapport}");
}

#[test]
fn long_texts_flow_onto_more_pages_with_every_word_present() {
    let words: Vec<String> = (0..2500).map(|i| format!("ord{i}")).collect();
    let long = words
        .chunks(120)
        .map(|c| c.join(" "))
        .collect::<Vec<_>>()
        .join("\n\n");
    let yaml = std::fs::read_to_string(full_example()).unwrap().replacen(
        "  beskrivning: |\n",
        &format!("  beskrivning: |\n    {}\n\n", long.replace('\n', "\n    ")),
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write_case(dir.path(), "lang.yaml", &yaml);
    for layout in ["stockholm", "mjolby"] {
        let short = page_count(&render_with(
            &full_example(),
            &built_in(layout),
            DocKind::Rapport,
        ));
        let pdf = render_with(&path, &built_in(layout), DocKind::Rapport);
        let pages = page_count(&pdf);
        assert!(
            pages >= short + 3,
            "{layout}: {pages} pages, {short} without the long text"
        );
        let text = pdf_text(&pdf);
        for word in &words {
            assert!(
                text.contains(&format!("{word} ")) || text.ends_with(word.as_str()),
                "{layout}: {word} is lost"
            );
        }
        assert!(
            text.contains(&format!("Sida 1 ({pages})")) || text.contains(&format!("1 ({pages})"))
        );
        // The question stands again over the rest of its answer on the next page.
        let question =
            "Beskriv missförhållandet eller den påtagliga risken för ett missförhållande";
        assert!(
            text.matches(question).count() >= 3,
            "{layout}: the label is not repeated"
        );
    }
}

#[test]
fn an_emitted_project_compiles_from_disk_to_the_same_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pdf");
    let typst = dir.path().join("typst");
    let case = full_example().display().to_string();
    let output = lexsarah(
        dir.path(),
        &[
            "render",
            &case,
            "--out",
            out.to_str().unwrap(),
            "--emit-typst",
            typst.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    for doc in DocKind::ALL {
        let name = format!("2021-ASN-0026-{doc}");
        let folder = typst.join(&name);
        assert!(folder.join("main.typ").is_file(), "{name}/main.typ");
        assert!(folder.join("data.json").is_file(), "{name}/data.json");
        let (templates, prepared) = project::read_project(&folder).unwrap();
        let from_disk =
            render::compile(&prepared, &templates, &PdfSettings::default_for(doc)).unwrap();
        let rendered = std::fs::read(out.join(format!("{name}.pdf"))).unwrap();
        assert_eq!(from_disk.pages, page_count(&rendered), "{name}");
        assert!(
            from_disk.pdf == rendered,
            "{name}: the project gives other bytes"
        );
    }
}

#[test]
fn templates_from_a_folder_replace_the_embedded_ones() {
    let dir = tempfile::tempdir().unwrap();
    let typst = dir.path().join("typst");
    let out = dir.path().join("out");
    let case = stockholm_example().display().to_string();
    let emit = lexsarah(
        dir.path(),
        &[
            "render",
            &case,
            "--doc",
            "beslut",
            "--out",
            out.to_str().unwrap(),
            "--emit-typst",
            typst.to_str().unwrap(),
        ],
    );
    assert!(emit.status.success(), "{}", stderr(&emit));
    let folder = typst.join("AMN-2019-0746-1.3-beslut");
    let body = folder.join("docs/beslut.typ");
    let text = std::fs::read_to_string(&body).unwrap();
    std::fs::write(
        &body,
        text.replace("\"Ärende och diarienummer\"", "\"Ärende och dnr\""),
    )
    .unwrap();
    let output = lexsarah(
        dir.path(),
        &[
            "render",
            &case,
            "--doc",
            "beslut",
            "--out",
            out.to_str().unwrap(),
            "--templates",
            folder.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = std::fs::read(out.join("AMN-2019-0746-1.3-beslut.pdf")).unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains("Ärende och dnr"), "{text}");
    assert!(!text.contains("Ärende och diarienummer"));

    // A mistake in one's own template is reported at its file and line there.
    let text = std::fs::read_to_string(&body).unwrap();
    std::fs::write(
        &body,
        text.replace(
            "heading(level: 1, data.document_name)",
            "heading(level: 1, data.no_such_key)",
        ),
    )
    .unwrap();
    let broken = lexsarah(
        dir.path(),
        &[
            "render",
            &case,
            "--doc",
            "beslut",
            "--templates",
            folder.to_str().unwrap(),
        ],
    );
    assert_eq!(broken.status.code(), Some(1), "{}", stderr(&broken));
    let err = stderr(&broken);
    assert!(err.contains("fel[renderingsfel]"), "{err}");
    assert!(
        err.contains("docs/beslut.typ:8:"),
        "at the template's line: {err}"
    );
    assert!(
        err.contains("8 |   heading(level: 1, data.no_such_key)"),
        "the line shown: {err}"
    );

    // Templates written for another data.json are refused before anything is rendered.
    let main = folder.join("main.typ");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(
        &main,
        text.replace("lexsarah-dataformat: 1", "lexsarah-dataformat: 0"),
    )
    .unwrap();
    let output = lexsarah(
        dir.path(),
        &["render", &case, "--templates", folder.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "skrivna för dataformat 0, men den här versionen av lexsarah ger dataformat 1"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_templates_folder_without_main_typ_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let case = stockholm_example().display().to_string();
    let output = lexsarah(dir.path(), &["render", &case, "--templates", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("saknar main.typ"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_standard_legal_text_can_be_left_out() {
    let yaml = std::fs::read_to_string(full_example()).unwrap().replace(
        "  ekonomiska_konsekvenser:",
        "  lagtext: false\n  ekonomiska_konsekvenser:",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write_case(dir.path(), "utan-lagtext.yaml", &yaml);
    let text = pdf_text(&render_with(
        &path,
        &built_in("mjolby"),
        DocKind::Tjansteskrivelse,
    ));
    assert!(
        !text.contains("Enligt bestämmelserna om lex Sarah"),
        "{text}"
    );
    assert!(text.contains("Beskrivning av ärendet"));
}

#[test]
fn profiles_are_listed_and_shown_as_a_starting_point() {
    let dir = tempfile::tempdir().unwrap();
    let list = lexsarah(dir.path(), &["profiles"]);
    assert!(list.status.success());
    let listed = stdout(&list);
    assert!(
        listed.contains("stockholm") && listed.contains("mjolby"),
        "{listed}"
    );
    let show = lexsarah(dir.path(), &["profiles", "show", "stockholm"]);
    assert!(show.status.success());
    let yaml = stdout(&show);
    assert!(yaml.contains("kommun: Stockholms stad"), "{yaml}");
    // What `show` prints is a working profile file.
    std::fs::write(
        dir.path().join("egen.yaml"),
        yaml.replace("Stockholms stad", "Egna kommunen"),
    )
    .unwrap();
    let case = std::fs::read_to_string(stockholm_example())
        .unwrap()
        .replace("profil: stockholm", "profil: egen.yaml");
    write_case(dir.path(), "fall.yaml", &case);
    let render = lexsarah(dir.path(), &["render", "fall.yaml", "--doc", "beslut"]);
    assert!(render.status.success(), "{}", stderr(&render));
    let pdf = std::fs::read(dir.path().join("AMN-2019-0746-1.3-beslut.pdf")).unwrap();
    assert!(pdf_text(&pdf).contains("Egna kommunen"));
    let unknown = lexsarah(dir.path(), &["profiles", "show", "goteborg"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn a_profile_with_a_broken_pattern_is_refused_where_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let profile = std::fs::read_to_string(example("lindbacka/profil.yaml"))
        .unwrap()
        .replace(r"'^VON \d{4}-\d{4}$'", "'^VON (['");
    std::fs::write(dir.path().join("profil.yaml"), profile).unwrap();
    std::fs::copy(
        example("lindbacka/arende.yaml"),
        dir.path().join("arende.yaml"),
    )
    .unwrap();
    let output = lexsarah(dir.path(), &["render", "arende.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("fel[okand-profil]"), "{err}");
    assert!(err.contains("profil.yaml:15:23"), "{err}");
}

#[test]
fn a_missing_logo_is_refused_by_check_where_the_profile_names_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        example("lindbacka/profil.yaml"),
        dir.path().join("profil.yaml"),
    )
    .unwrap();
    std::fs::copy(
        example("lindbacka/arende.yaml"),
        dir.path().join("arende.yaml"),
    )
    .unwrap();
    let output = lexsarah(dir.path(), &["check", "arende.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("fel[okand-profil]: logotypen"), "{err}");
    assert!(err.contains("profil.yaml:16:"), "{err}");
    assert!(err.contains("den finns inte"), "{err}");
}

#[test]
fn a_profile_with_a_logo_works_when_the_case_is_named_without_a_folder() {
    // Regression: the profile "profil.yaml" has the empty path as parent, which cannot be
    // canonicalized; the logo beside it was reported missing.
    let dir = tempfile::tempdir().unwrap();
    for name in ["profil.yaml", "logga.svg", "arende.yaml"] {
        std::fs::copy(example(&format!("lindbacka/{name}")), dir.path().join(name)).unwrap();
    }
    let output = lexsarah(dir.path(), &["render", "arende.yaml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        dir.path()
            .join("VON-2024-0117-tjansteskrivelse.pdf")
            .is_file()
    );
}

#[test]
fn the_readme_names_every_signature_field_of_the_table_of_documents() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for spec in &lexsarah::document::DOCUMENTS {
        for role in spec.signatures {
            let field = role.field.replace("_{n}", "_1");
            assert!(
                readme.contains(&format!("`{field}`")),
                "{}: {field} is not in the README's table of signature fields",
                spec.token
            );
        }
    }
}

#[test]
fn the_mjolby_header_keeps_each_row_of_labels_on_one_line_and_a_beslut_goes_to_the_registrator() {
    let dir = tempfile::tempdir().unwrap();
    let output = lexsarah(
        dir.path(),
        &["render", full_example().to_str().unwrap(), "--out", "ut"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = |doc: &str| dir.path().join(format!("ut/2021-ASN-0026-{doc}.pdf"));
    if let Some(words) = word_boxes(&pdf("tjansteskrivelse"), 1) {
        let y = |word: &str| {
            words
                .iter()
                .find(|w| w.0 == word)
                .unwrap_or_else(|| panic!("{word}"))
                .2
        };
        assert_eq!(
            y("Diarienummer"),
            y("Mottagare"),
            "the second row's labels on one line"
        );
        assert_eq!(
            y("Handläggare"),
            y("Sida"),
            "the first row's labels on one line"
        );
        // The Mottagare fits its cell on one line, at a smaller size there only (issue 25).
        assert!(
            (y("Omsorgs-") - y("socialnämnden")).abs() < 2.0,
            "Mottagare on one line"
        );
        assert!(
            (y("2021/ASN") - y("Omsorgs-")).abs() < 3.0,
            "Mottagare stands in line with the diarienummer"
        );
    }
    let beslut = pdf_text(&std::fs::read(pdf("beslut")).unwrap());
    // The förvaltning and its postal address, from the profile, since it names no registrator.
    let at = beslut
        .find("Beslutet i original skickas till registrator:")
        .expect("the block");
    let rest = &beslut[at..];
    assert!(
        rest.contains("Omsorgs- och socialförvaltningen") && rest.contains("595 80 Mjölby"),
        "{rest}"
    );
    assert!(
        !beslut.contains("Mottagare"),
        "no empty Mottagare: {beslut}"
    );
    let t = pdf_text(&std::fs::read(pdf("tjansteskrivelse")).unwrap());
    assert!(
        t.contains("åtgärdas omedelbart. Enligt nämndens riktlinjer ska allvarliga missförhållanden som anmäls till IVO informeras nämnden."),
        "{t}"
    );
}

#[test]
fn an_empty_box_leaves_room_to_write_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    // The Stockholm example has no lex Sarah-ansvarig: the box is for the pen.
    let output = lexsarah(
        dir.path(),
        &[
            "render",
            stockholm_example().to_str().unwrap(),
            "--doc",
            "rapport",
            "--out",
            "ut",
        ],
    );
    assert!(output.status.success());
    let pdf = dir.path().join("ut/AMN-2019-0746-1.3-rapport.pdf");
    let pages = page_count(&std::fs::read(&pdf).unwrap()) as u32;
    let Some(words) = word_boxes(&pdf, pages) else {
        return;
    };
    let y = |word: &str| {
        words
            .iter()
            .find(|w| w.0 == word)
            .unwrap_or_else(|| panic!("{word}"))
            .2
    };
    // From the label "Namn och titel …" to the heading under the box: a label, a handwritten
    // line (about 6 mm) and the cell's padding.
    let room_mm = (y("Ställningstagande") - y("Namn")) * 25.4 / 72.0;
    assert!(room_mm > 11.0, "{room_mm:.1} mm");
}

/// Long names of nämnder and handlingstyper fit the Mjölby header (issue 25): by the cell's width,
/// then by a smaller size in that cell only, and only then by wrapping inside the cell, never
/// pushing the other cells out of line.
#[test]
fn long_names_fit_the_mjolby_header_without_pushing_other_cells_out_of_line() {
    let dir = tempfile::tempdir().unwrap();
    let namnd = "Vård- och omsorgsnämnden i Exempelstad Ö"; // 40 characters
    assert_eq!(namnd.chars().count(), 40);
    let yaml = std::fs::read_to_string(full_example())
        .unwrap()
        .replace("  lag: SoL\n", &format!("  lag: SoL\n  namnd: {namnd}\n"));
    assert!(yaml.contains(namnd));
    write_case(dir.path(), "lang.yaml", &yaml);
    let output = lexsarah(
        dir.path(),
        &[
            "render",
            "lang.yaml",
            "--doc",
            "tjansteskrivelse",
            "--doc",
            "utredning",
            "--out",
            "ut",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    for doc in ["tjansteskrivelse", "utredning"] {
        let Some(words) = word_boxes(&dir.path().join(format!("ut/2021-ASN-0026-{doc}.pdf")), 1)
        else {
            return;
        };
        let y = |word: &str| {
            words
                .iter()
                .find(|w| w.0 == word)
                .unwrap_or_else(|| panic!("{doc}: {word}"))
                .2
        };
        assert_eq!(
            y("Diarienummer"),
            y("Mottagare"),
            "{doc}: the labels in one line"
        );
        assert_eq!(
            y("Handläggare"),
            y("Sida"),
            "{doc}: the first row in one line"
        );
        // The nämnd's first word stands in line with the diarienummer; what wraps goes down.
        assert!((y("2021/ASN") - y("Vård-")).abs() < 3.0, "{doc}");
        assert!(y("Ö") >= y("Vård-") - 2.0, "{doc}");
    }
}
