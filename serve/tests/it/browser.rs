//! The form in Debian's Chromium, driven over WebDriver by chromedriver, all on loopback.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::start;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    /// Starts chromedriver; `None` (the test is skipped) where Chromium is not installed,
    /// unless LEXSARAH_REQUIRE_TOOLS says every tool must be there.
    fn start() -> Option<Driver> {
        let present =
            std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists();
        if !present {
            assert!(
                std::env::var_os("LEXSARAH_REQUIRE_TOOLS").is_none(),
                "chromium and chromium-driver are required (apt-get install chromium chromium-driver)"
            );
            eprintln!("skipped: {CHROMIUM} or {CHROMEDRIVER} is not installed");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Driver { child, port })
    }

    async fn browser(&self, profile: &std::path::Path) -> Client {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1500,1100", "--lang=sv-SE",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }),
        );
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a Chromium session")
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
        client.goto(&url).await.unwrap();
        let address = client.current_url().await.unwrap();
        assert!(!address.as_str().contains("token"), "the token stays out of the history: {address}");
        wait_until!("the form to start", script(&client, "return document.body.dataset.ready === 'true'").await == json!(true));

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

        if let Some(out) = std::env::var_os("LEXSARAH_SERVE_SCREENSHOT") {
            let png = client.screenshot().await.unwrap();
            std::fs::write(out, png).unwrap();
        }

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
