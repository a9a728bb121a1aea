//! The form in Debian's Chromium, driven over WebDriver by chromedriver, all on loopback.

use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::chromium::Driver;
use crate::start;

impl Driver {
    /// A browser with the tests' usual window, 1500 × 1100 pixels.
    async fn browser(&self, profile: &std::path::Path) -> Client {
        self.browser_at(profile, 1500, 1100).await
    }
}

/// Waits (up to 20 s) until `$check` is true, or fails naming what was awaited.
macro_rules! wait_until {
    ($what:expr, $check:expr) => {{
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if $check {
                break;
            }
            assert!(Instant::now() < deadline, "waited 20 s for {}", $what);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }};
}

async fn type_into(client: &Client, css: &str, text: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .send_keys(text)
        .await
        .unwrap();
}

async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Sets a date input as a date picker would, and tells the page.
async fn set_date(client: &Client, css: &str, iso: &str) {
    client
        .execute(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
             e.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(css), json!(iso)],
        )
        .await
        .unwrap();
}

async fn script(client: &Client, code: &str) -> Value {
    client.execute(code, vec![]).await.unwrap()
}

/// The problems shown at a field, as text.
async fn problems_at(client: &Client, field: &str) -> String {
    script(
        client,
        &format!(
            "const f = document.querySelector('[data-path=\"{field}\"] > .problems'); return f ? f.textContent : null;"
        ),
    )
    .await
    .as_str()
    .unwrap_or("(no such field)")
    .to_string()
}

/// What the preview shows: the document and page count, and its first page as the browser
/// drew it (pixels, through a canvas).
async fn preview(client: &Client) -> Option<(String, String)> {
    let value = script(
        client,
        "const pages = document.getElementById('pages'); const img = pages.querySelector('img');\
         if (!img || !img.complete || !img.naturalWidth) return null;\
         const canvas = document.createElement('canvas');\
         canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;\
         canvas.getContext('2d').drawImage(img, 0, 0);\
         return [pages.dataset.document + ' ' + pages.children.length, canvas.toDataURL()];",
    )
    .await;
    let list = value.as_array()?;
    Some((list[0].as_str()?.to_string(), list[1].as_str()?.to_string()))
}

#[test]
fn a_case_officer_writes_a_beslut_in_chromium_sees_checks_and_preview_saves_and_reopens() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let server = start(&[]);
    let profile = tempfile::tempdir().unwrap();
    let (url, dir) = (server.url.clone(), server.dir.path().to_path_buf());
    server.runtime.block_on(async {
        let client = driver.browser(profile.path()).await;
        open_form(&client, &url).await;
        let address = client.current_url().await.unwrap();
        assert!(!address.as_str().contains("token"), "the token stays out of the history: {address}");

        // An empty case from a profile.
        type_into(&client, "#new-name", "beslut-117.yaml").await;
        click(&client, "#new").await;
        wait_until!("the arende section", client.find(Locator::Css("#f-arende-diarienummer")).await.is_ok());
        type_into(&client, "#f-arende-diarienummer", "SN 2026/117").await;
        type_into(&client, "#f-arende-rubrik", "Brev till fel adress").await;
        click(&client, "input[name='arende.lag'][value='SoL']").await;

        // A beslut, with the beslutsfattare's befattning left out for now.
        click(&client, "#f-beslut-add").await;
        set_date(&client, "#f-beslut-datum", "2026-10-05").await;
        type_into(&client, "#f-beslut-bakgrund", "Ett brev med uppgifter om en enskild skickades till fel adress.").await;
        type_into(&client, "#f-beslut-bedomning", "Händelsen är ett missförhållande.").await;
        type_into(&client, "#f-beslut-beslut", "Ärendet avslutas.").await;
        type_into(&client, "#f-beslut-delegation", "3.2").await;
        click(&client, "input[name='beslut.utfall'][value='missforhallande']").await;
        type_into(&client, "#f-beslut-beslutsfattare-namn", "Eva Exempel").await;

        wait_until!(
            "the missing befattning shown at its field",
            problems_at(&client, "beslut.beslutsfattare.befattning").await.contains("måste fyllas i")
        );
        assert!(preview(&client).await.is_none(), "no preview while the case has errors");
        click(&client, "#first-problem").await;
        let focused = script(&client, "return document.activeElement.id").await;
        assert_eq!(focused, "f-beslut-beslutsfattare-befattning", "the cursor goes to the first error");

        let typed = Instant::now();
        type_into(&client, "#f-beslut-beslutsfattare-befattning", "Förvaltningschef").await;
        wait_until!(
            "the problem to go when fixed",
            problems_at(&client, "beslut.beslutsfattare.befattning").await.is_empty()
        );
        wait_until!("the preview of the beslut", preview(&client).await.is_some());
        eprintln!("preview shown {:?} after the last key", typed.elapsed());
        let (what, first) = preview(&client).await.unwrap();
        assert!(what.starts_with("beslut "), "{what}");
        let summary = script(&client, "return document.getElementById('summary').textContent").await;
        assert!(summary.as_str().unwrap().contains("Inga fel"), "{summary}");

        // The preview changes with the text.
        type_into(&client, "#f-beslut-bakgrund", " Brevet kom tillbaka oöppnat.").await;
        wait_until!("the preview to change", preview(&client).await.is_some_and(|(_, png)| png != first));

        // Saved, the YAML holds what was typed.
        click(&client, "#save").await;
        wait_until!(
            "the save",
            script(&client, "return document.getElementById('notice').textContent").await.as_str().unwrap_or("").contains("är sparad")
        );
        let path = dir.join("beslut-117.yaml");
        let saved: Value = serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(saved["arende"]["diarienummer"], "SN 2026/117");
        assert_eq!(saved["arende"]["lag"], "SoL");
        assert_eq!(saved["beslut"]["datum"], "2026-10-05");
        assert_eq!(
            saved["beslut"]["bakgrund"],
            "Ett brev med uppgifter om en enskild skickades till fel adress. Brevet kom tillbaka oöppnat."
        );
        assert_eq!(saved["beslut"]["delegation"], "3.2");
        assert_eq!(saved["beslut"]["utfall"], "missforhallande");
        assert_eq!(saved["beslut"]["beslutsfattare"], json!({"namn": "Eva Exempel", "befattning": "Förvaltningschef"}));
        // No errors in the form: the file passes check.
        lexsarah::check::check_case(&path, &lexsarah::check::CheckSettings::new()).expect("the saved file passes check");

        // Reloaded and opened again, the form shows what was saved.
        client.goto(&format!("http://{}/", url.split('/').nth(2).unwrap())).await.unwrap();
        wait_until!("the form to start again", script(&client, "return document.body.dataset.ready === 'true'").await == json!(true));
        client
            .execute("document.getElementById('open-name').value = 'beslut-117.yaml';", vec![])
            .await
            .unwrap();
        click(&client, "#open").await;
        wait_until!("the file to open", client.find(Locator::Css("#f-beslut-bakgrund")).await.is_ok());
        let shown = script(&client, "return document.getElementById('f-beslut-bakgrund').value").await;
        assert_eq!(shown, saved["beslut"]["bakgrund"]);
        let chosen = script(&client, "return document.querySelector(\"input[name='beslut.utfall']:checked\").value").await;
        assert_eq!(chosen, "missforhallande");
        wait_until!("the preview after opening", preview(&client).await.is_some());


        // Lists grow and shrink: a tjänsteskrivelse's förslag, two added and the first removed;
        // a half-finished case saves as the draft it is.
        click(&client, "#f-tjansteskrivelse-add").await;
        click(&client, "#f-tjansteskrivelse-forslag_till_beslut-add").await;
        type_into(&client, "#f-tjansteskrivelse-forslag_till_beslut-0", "Första förslaget").await;
        click(&client, "#f-tjansteskrivelse-forslag_till_beslut-add").await;
        type_into(&client, "#f-tjansteskrivelse-forslag_till_beslut-1", "Nämnden noterar informationen.").await;
        click(&client, "[data-path='tjansteskrivelse.forslag_till_beslut.0'] > button.remove").await;
        wait_until!(
            "a tjänsteskrivelse's missing fields",
            problems_at(&client, "tjansteskrivelse.datum").await.contains("måste fyllas i")
        );
        click(&client, "#save").await;
        wait_until!("the draft saved", {
            let text = std::fs::read_to_string(&path).unwrap();
            text.contains("tjansteskrivelse:")
        });
        let draft: Value = serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(draft["tjansteskrivelse"]["forslag_till_beslut"], json!(["Nämnden noterar informationen."]));
        assert_eq!(draft["beslut"], saved["beslut"], "the rest kept");
        client.close().await.unwrap();
    });
}

/// Opens the form at its address and the case file `name` in it.
/// Goes to the form and waits until it has started.
async fn open_form(client: &Client, url: &str) {
    client.goto(url).await.unwrap();
    wait_until!(
        "the form to start",
        script(client, "return document.body.dataset.ready === 'true'").await == json!(true)
    );
}

/// Goes to the form and opens the case file `name` in it.
async fn open_case(client: &Client, url: &str, name: &str) {
    open_form(client, url).await;
    client
        .execute(
            &format!("document.getElementById('open-name').value = '{name}';"),
            vec![],
        )
        .await
        .unwrap();
    click(client, "#open").await;
}

/// One thing to do in the form to write a value of a case: press a section's or a list's add
/// button, or write a field (a text box, or a radio button for a choice).
#[derive(Debug)]
enum Step {
    /// Presses the add button of an absent section, if the form shows one.
    Open(String),
    /// Presses a list's "Lägg till en rad".
    AddRow(String),
    /// Writes a scalar at a dotted path.
    Write(String, String),
}

/// The steps that write `value` at `path` into an empty form, in the form's order.
fn steps(path: &[String], value: &Value, out: &mut Vec<Step>) {
    let dotted = path.join(".");
    let id = format!("f-{}", path.join("-"));
    match value {
        Value::Object(map) => {
            if !path.is_empty() {
                out.push(Step::Open(id));
            }
            for (key, child) in map {
                if path.is_empty() && key == "version" {
                    continue;
                }
                let mut next = path.to_vec();
                next.push(key.clone());
                steps(&next, child, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                out.push(Step::AddRow(format!("{id}-add")));
                let mut next = path.to_vec();
                next.push(index.to_string());
                steps(&next, item, out);
            }
        }
        Value::String(text) => out.push(Step::Write(dotted, text.clone())),
        Value::Bool(b) => out.push(Step::Write(dotted, b.to_string())),
        Value::Number(n) => out.push(Step::Write(dotted, n.to_string())),
        Value::Null => {}
    }
}

/// Does one step in the browser: a short text typed key by key, a long one set as pasted (with
/// the input event a paste gives), a choice clicked.
async fn step(client: &Client, step: &Step) {
    match step {
        Step::Open(id) => {
            let css = format!("#{id}-add");
            if let Ok(button) = client.find(Locator::Css(&css)).await {
                button.click().await.unwrap();
            }
        }
        Step::AddRow(id) => click(client, &format!("#{id}")).await,
        Step::Write(path, text) => {
            let id = format!("f-{}", path.replace('.', "-"));
            let css = format!("#{id}");
            if client.find(Locator::Css(&css)).await.is_ok() {
                if text.len() <= 60 && !text.contains('\n') {
                    type_into(client, &css, text).await;
                } else {
                    client
                        .execute(
                            "const e = document.getElementById(arguments[0]); e.value = arguments[1]; \
                             e.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));",
                            vec![json!(id), json!(text)],
                        )
                        .await
                        .unwrap();
                }
            } else {
                let radio = format!("input[name='{path}'][value='{text}']");
                client
                    .find(Locator::Css(&radio))
                    .await
                    .unwrap_or_else(|e| panic!("no field or choice for {path} = {text:?}: {e}"))
                    .click()
                    .await
                    .unwrap();
            }
        }
    }
}

/// Every scalar as text, so that a value typed ("1") and one written as a number (1) compare.
fn as_text(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), as_text(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(as_text).collect()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        other => other.clone(),
    }
}

/// What a reader of the form at this width would find wrong with its layout: a text box
/// narrower than 40 characters, a short field whose value does not show whole, a radio button
/// away from its label, a label that says "(kan utelämnas)" twice or says both that a field is
/// required and that it may be left out, two fields of one group with one label.
async fn layout_faults(client: &Client) -> Vec<String> {
    let found = script(
        client,
        r#"
        const faults = [];
        const zero = (node) => {
          const c = document.createElement('canvas').getContext('2d');
          c.font = getComputedStyle(node).font;
          return c.measureText('0').width;
        };
        for (const box of document.querySelectorAll('#form textarea')) {
          const chars = (box.clientWidth - 12) / zero(box);
          if (chars < 40) faults.push(`${box.id}: ${chars.toFixed(0)} tecken bred`);
        }
        for (const input of document.querySelectorAll('#form .field.short > input[type=text]')) {
          if (input.value && input.scrollWidth > input.clientWidth + 1) faults.push(`${input.id}: värdet syns inte helt`);
        }
        for (const label of document.querySelectorAll('#form label.choice')) {
          const input = label.querySelector('input').getBoundingClientRect();
          const text = label.querySelector('span').getBoundingClientRect();
          if (Math.abs(input.top + input.height / 2 - (text.top + text.height / 2)) > 12 || text.left - input.right > 24 || text.left < input.right - 1) {
            faults.push(`${label.htmlFor}: knappen står inte vid sin text`);
          }
        }
        for (const label of document.querySelectorAll('#form label, #form legend')) {
          const t = label.textContent;
          if ((t.match(/kan utelämnas/g) || []).length > 1) faults.push(`${t}: säger "kan utelämnas" två gånger`);
          if (/krävs/.test(t) && /kan utelämnas/.test(t)) faults.push(`${t}: säger både krävs och kan utelämnas`);
          if (/ja eller nej/i.test(t)) faults.push(`${t}: frågar inte som en fråga`);
        }
        for (const fields of document.querySelectorAll('#form .fields')) {
          const seen = new Set();
          for (const child of fields.children) {
            const label = child.querySelector(':scope > label, :scope > fieldset > legend, :scope > legend');
            if (!label) continue;
            const t = label.firstChild ? label.firstChild.textContent : label.textContent;
            if (seen.has(t)) faults.push(`"${t}" står två gånger i samma grupp`);
            seen.add(t);
          }
        }
        for (const button of document.querySelectorAll('#form button')) {
          if (button.getBoundingClientRect().height > 40) faults.push(`knappen "${button.textContent}" bryts på flera rader`);
          if (/^(Ta bort|Lägg till)$/.test(button.textContent) && !button.getAttribute('aria-label')) faults.push(`knappen "${button.textContent}" säger inte vad den gäller`);
        }
        const editor = document.getElementById('editor').getBoundingClientRect();
        const preview = document.getElementById('preview').getBoundingClientRect();
        if (editor.right > preview.left + 1) faults.push('formuläret går in under förhandsvisningen');
        return faults;
        "#,
    )
    .await;
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect()
}

/// Takes a screenshot of the element at `css` scrolled to the top of a tall window, into
/// target/ and, with LEXSARAH_BLESS=1, into docs/ for the README.
async fn screenshot(client: &Client, css: &str, name: &str) {
    client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({ block: 'start' });",
            vec![json!(css)],
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let png = client.screenshot().await.unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = root.join("target/form-screenshots");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join(name), &png).unwrap();
    if std::env::var_os("LEXSARAH_BLESS").is_some() {
        std::fs::write(root.join("docs").join(name), &png).unwrap();
    }
}

/// The case the whole-case test writes: the 2026 example in Lindbacka's profile from the
/// folder, with all six orsaker.
fn whole_case() -> Value {
    let text = std::fs::read_to_string(crate::example("stockholm-skyddad-adress.yaml")).unwrap();
    let mut case: Value = serde_saphyr::from_str(&text).unwrap();
    case["profil"] = json!("profil.yaml");
    case["arende"]["diarienummer"] = json!("VON 2026-0412");
    let orsaker = &mut case["utredning"]["orsaker"];
    orsaker["utbildning"] =
        json!("Ingen i arbetsgruppen hade fått utbildning i hur mallarna hämtar adresser.");
    orsaker["organisation"] =
        json!("Utskicken görs av flera yrkesgrupper utan att någon har ansvaret för mallarna.");
    orsaker["andra"] = json!("Inga andra orsaker har kommit fram.");
    case
}

#[test]
fn a_whole_case_is_written_through_the_form_in_the_folders_own_profile_at_1280_and_1920_px() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let lindbacka = crate::example("lindbacka");
    let server = start(&[&lindbacka.join("profil.yaml"), &lindbacka.join("logga.svg")]);
    let browser_profile = tempfile::tempdir().unwrap();
    let (url, dir) = (server.url.clone(), server.dir.path().to_path_buf());
    let expected = whole_case();
    server.runtime.block_on(async {
        let client = driver.browser_at(browser_profile.path(), 1280, 1000).await;
        open_form(&client, &url).await;

        // The folder's own profile is offered for a new case, and is no case itself.
        let offered = script(&client, "return [...document.querySelectorAll('#new-profile option')].map(o => o.value)").await;
        assert!(offered.as_array().unwrap().contains(&json!("profil.yaml")), "{offered}");
        let cases = script(&client, "return [...document.querySelectorAll('#open-name option')].map(o => o.value)").await;
        assert_eq!(cases, json!([]), "the profile is not listed as a case");

        type_into(&client, "#new-name", "von-2026-0412.yaml").await;
        client
            .execute("document.getElementById('new-profile').value = 'profil.yaml';", vec![])
            .await
            .unwrap();
        click(&client, "#new").await;
        wait_until!("the arende section", client.find(Locator::Css("#f-arende-diarienummer")).await.is_ok());

        let mut todo = Vec::new();
        let mut case = expected.clone();
        case.as_object_mut().unwrap().remove("profil");
        steps(&[], &case, &mut todo);
        assert!(todo.len() > 100, "{}", todo.len());
        for s in &todo {
            step(&client, s).await;
        }
        wait_until!(
            "the case to pass its check",
            script(&client, "return document.getElementById('summary').className").await != json!("errors")
                && script(&client, "return document.getElementById('pages').children.length").await.as_u64().unwrap_or(0) > 0
        );
        // Dates are shown as they were typed, ÅÅÅÅ-MM-DD, in a browser set to American English.
        let shown = script(&client, "return document.getElementById('f-beslut-datum').value").await;
        assert_eq!(shown, json!("2026-10-22"));
        let kind = script(&client, "return document.getElementById('f-beslut-datum').type").await;
        assert_eq!(kind, json!("text"), "no date picker in the browser's own date format");

        for (width, height) in [(1280, 1000), (1920, 1080)] {
            client.set_window_size(width, height).await.unwrap();
            tokio::time::sleep(Duration::from_millis(300)).await;
            let faults = layout_faults(&client).await;
            assert!(faults.is_empty(), "at {width} px: {faults:#?}");
        }
        client.set_window_size(1280, 1600).await.unwrap();
        client
            .execute("const s = document.getElementById('preview-doc'); s.value = 'utredning'; s.dispatchEvent(new Event('change'));", vec![])
            .await
            .unwrap();
        wait_until!(
            "the utredning's preview",
            script(&client, "return document.getElementById('pages').dataset.document").await == json!("utredning")
        );
        screenshot(&client, "[data-path='utredning']", "form-utredning.png").await;

        // A long section folds, and says how many problems it holds.
        click(&client, "section.part[data-path='utredning'] > details > summary").await;
        let open = script(&client, "return document.querySelector(\"section.part[data-path='utredning'] > details\").open").await;
        assert_eq!(open, json!(false));
        client
            .execute("const e = document.getElementById('f-beslut-delegation'); e.value = ''; e.dispatchEvent(new Event('input', { bubbles: true }));", vec![])
            .await
            .unwrap();
        wait_until!(
            "the beslut's count",
            script(&client, "return document.querySelector(\"section.part[data-path='beslut'] .count\").textContent").await == json!("1 fel")
        );
        type_into(&client, "#f-beslut-delegation", "3.2").await;
        wait_until!(
            "the count to clear",
            script(&client, "return document.querySelector(\"section.part[data-path='beslut'] .count\").textContent").await == json!("")
        );

        click(&client, "#save").await;
        wait_until!(
            "the save",
            script(&client, "return document.getElementById('notice').textContent").await.as_str().unwrap_or("").contains("är sparad")
        );
        let path = dir.join("von-2026-0412.yaml");
        let saved: Value = serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(as_text(&saved), as_text(&expected), "the file holds the case as written");
        let mut check = lexsarah::check::CheckSettings::new();
        check.today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let checked = lexsarah::check::check_case(&path, &check).expect("the saved file passes check");
        assert_eq!(checked.profile.profile.id, "lindbacka");
        assert!(!dir.join("von-2026-0412.yaml.utkast").exists(), "saving removes the draft");
        client.close().await.unwrap();
    });
}

#[test]
fn a_profile_is_opened_checked_previewed_and_saved_through_its_own_form() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let lindbacka = crate::example("lindbacka");
    let server = start(&[&lindbacka.join("profil.yaml"), &lindbacka.join("logga.svg")]);
    let browser_profile = tempfile::tempdir().unwrap();
    let (url, dir) = (server.url.clone(), server.dir.path().to_path_buf());
    server.runtime.block_on(async {
        let client = driver.browser_at(browser_profile.path(), 1280, 1000).await;
        open_form(&client, &url).await;
        client
            .execute("document.getElementById('profile-name').value = 'profil.yaml';", vec![])
            .await
            .unwrap();
        click(&client, "#open-profile").await;
        wait_until!("the profile's form", client.find(Locator::Css("#f-kommun")).await.is_ok());
        let kommun = script(&client, "return document.getElementById('f-kommun').value").await;
        assert_eq!(kommun, json!("Lindbacka kommun"));
        wait_until!("the sample in Lindbacka's layout", script(&client, "return document.getElementById('pages').children.length").await.as_u64().unwrap_or(0) >= 2);

        // A broken pattern is shown at its field, and no preview until it is mended.
        client
            .execute("const e = document.getElementById('f-diarienummer_monster'); e.value = '^VON (['; e.dispatchEvent(new Event('input', { bubbles: true }));", vec![])
            .await
            .unwrap();
        wait_until!(
            "the broken pattern at its field",
            problems_at(&client, "diarienummer_monster").await.contains("reguljärt uttryck")
        );
        client
            .execute("const e = document.getElementById('f-diarienummer_monster'); e.value = '^VON \\\\d{4}-\\\\d{4}$'; e.dispatchEvent(new Event('input', { bubbles: true }));", vec![])
            .await
            .unwrap();
        let telefon = "#f-telefon";
        client
            .execute("const e = document.querySelector(arguments[0]); e.value = ''; e.dispatchEvent(new Event('input', { bubbles: true }));", vec![json!(telefon)])
            .await
            .unwrap();
        type_into(&client, telefon, "0999-12 34 56").await;
        wait_until!("no problems", script(&client, "return document.getElementById('summary').className").await == json!("ok"));
        let faults = layout_faults(&client).await;
        assert!(faults.is_empty(), "{faults:#?}");
        click(&client, "#save").await;
        wait_until!(
            "the save",
            script(&client, "return document.getElementById('notice').textContent").await.as_str().unwrap_or("").contains("är sparad")
        );
        let text = std::fs::read_to_string(dir.join("profil.yaml")).unwrap();
        assert!(text.contains("telefon: 0999-12 34 56") || text.contains("telefon: \"0999-12 34 56\""), "{text}");
        assert!(text.contains("ivo_adress:"), "the rest kept: {text}");

        // Changed on disk by a colleague: the form's save is refused, nothing overwritten.
        std::fs::write(dir.join("profil.yaml"), text.replace("Lindbacka kommun", "Lindbacka stad")).unwrap();
        type_into(&client, "#f-webb", "/lexsarah").await;
        click(&client, "#save").await;
        wait_until!(
            "the conflict",
            script(&client, "return document.getElementById('notice').textContent").await.as_str().unwrap_or("").contains("har ändrats på disken")
        );
        assert!(std::fs::read_to_string(dir.join("profil.yaml")).unwrap().contains("Lindbacka stad"));

        // A built-in profile is read only: it is saved as a copy in the folder, under a name.
        client.execute("window.confirm = () => true;", vec![]).await.unwrap();
        client
            .execute("document.getElementById('profile-name').value = 'mjolby';", vec![])
            .await
            .unwrap();
        click(&client, "#open-profile").await;
        wait_until!("the built-in profile", script(&client, "return document.getElementById('f-kommun') && document.getElementById('f-kommun').value").await == json!("Mjölby kommun"));
        let visible = script(&client, "return !document.getElementById('save-as').hidden").await;
        assert_eq!(visible, json!(true));
        client
            .execute("const e = document.getElementById('save-name'); e.value = 'var-kommun.yaml';", vec![])
            .await
            .unwrap();
        type_into(&client, "#f-forvaltning", " (kopia)").await;
        click(&client, "#save").await;
        wait_until!("the copy", dir.join("var-kommun.yaml").exists());
        wait_until!(
            "the copy offered for a new case",
            script(&client, "return [...document.querySelectorAll('#new-profile option')].map(o => o.value).includes('var-kommun.yaml')").await == json!(true)
        );
        client.close().await.unwrap();
    });
}

#[test]
fn a_draft_is_kept_beside_the_case_and_restored_after_the_browser_is_killed() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let name = "stockholm-mailutskick.yaml";
    let server = start(&[&crate::example(name)]);
    let browser_profile = tempfile::tempdir().unwrap();
    let (url, dir) = (server.url.clone(), server.dir.path().to_path_buf());
    let draft = dir.join(format!("{name}.utkast"));
    let before = std::fs::read_to_string(dir.join(name)).unwrap();
    server.runtime.block_on(async {
        let client = driver.browser_at(browser_profile.path(), 1280, 1000).await;
        open_case(&client, &url, name).await;
        wait_until!(
            "the file to open",
            client
                .find(Locator::Css("#f-beslut-bakgrund"))
                .await
                .is_ok()
        );
        type_into(
            &client,
            "#f-beslut-bakgrund",
            " Ett tillägg som inte hann sparas.",
        )
        .await;
        wait_until!("the draft beside the case", draft.exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&draft).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the draft is its owner's alone");
        }
        assert_eq!(
            std::fs::read_to_string(dir.join(name)).unwrap(),
            before,
            "the case itself is untouched"
        );
        // The browser is killed, not closed: no page event runs.
        let killed = Command::new("pkill")
            .args([
                "-KILL",
                "-f",
                &format!("user-data-dir={}", browser_profile.path().display()),
            ])
            .status()
            .unwrap();
        assert!(killed.success());
        drop(client);
    });
    // With the browser gone, so is the session's secret: the case officer starts the form
    // again over the same folder, as after any crash, and opens the file.
    let second = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let again = runtime
        .block_on(lexsarah_serve::bind_with(
            &dir,
            0,
            lexsarah_serve::Limits::default(),
        ))
        .unwrap();
    let fresh = again.url.clone();
    runtime.spawn(again.run(std::future::pending()));
    runtime.block_on(async {
        let client = driver.browser_at(second.path(), 1280, 1000).await;
        open_case(&client, &fresh, name).await;
        wait_until!(
            "the draft offered",
            client.find(Locator::Css("#draft-restore")).await.is_ok()
        );
        click(&client, "#draft-restore").await;
        let shown = script(
            &client,
            "return document.getElementById('f-beslut-bakgrund').value",
        )
        .await;
        assert!(
            shown
                .as_str()
                .unwrap()
                .ends_with("Ett tillägg som inte hann sparas."),
            "{shown}"
        );
        click(&client, "#save").await;
        wait_until!("the draft removed once saved", !draft.exists());
        assert!(
            std::fs::read_to_string(dir.join(name))
                .unwrap()
                .contains("Ett tillägg som inte hann sparas.")
        );
        client.close().await.unwrap();
    });
    drop(server);
}
