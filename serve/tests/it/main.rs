//! The server from outside: HTTP on loopback for the guard and the files, and a real Chromium
//! over WebDriver for the form.

mod browser;
mod chromium;
mod limits;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// A server running on its own runtime over a folder.
pub struct Running {
    pub address: SocketAddr,
    pub url: String,
    pub dir: tempfile::TempDir,
    pub runtime: tokio::runtime::Runtime,
    /// The session's secret, once `sign_in` has received it in the redirect's fragment.
    pub secret: std::sync::Mutex<Option<String>>,
}

/// Starts a server over a new folder holding copies of the given files.
pub fn start(files: &[&Path]) -> Running {
    start_with(files, lexsarah_serve::Limits::default())
}

/// Starts a server over a new folder holding copies of the given files, with folders whose
/// profiles it may read (`--allow-path`).
pub fn start_allowing(files: &[&Path], allowed: &[PathBuf]) -> Running {
    start_full(files, lexsarah_serve::Limits::default(), allowed)
}

/// Starts a server with the given limits over a new folder holding copies of the given files.
pub fn start_with(files: &[&Path], limits: lexsarah_serve::Limits) -> Running {
    start_full(files, limits, &[])
}

fn start_full(files: &[&Path], limits: lexsarah_serve::Limits, allowed: &[PathBuf]) -> Running {
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        std::fs::copy(file, dir.path().join(file.file_name().unwrap())).unwrap();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime
        .block_on(lexsarah_serve::bind_allowing(
            dir.path(),
            0,
            limits,
            allowed,
        ))
        .unwrap();
    let (address, url) = (server.address, server.url.clone());
    runtime.spawn(server.run(std::future::pending()));
    Running {
        address,
        url,
        dir,
        runtime,
        secret: std::sync::Mutex::new(None),
    }
}

/// The repository's example case files.
pub fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
}

/// An HTTP response as read off the socket.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// Sends one request as written, byte for byte, so that Host and Origin are what a test says.
pub fn send(
    address: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> Reply {
    let mut stream = TcpStream::connect(address).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut request = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap_or_default()
        .split(' ')
        .nth(1)
        .unwrap_or("0")
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

impl Running {
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.address.port())
    }

    pub fn token(&self) -> String {
        self.url.split("token=").nth(1).unwrap().to_string()
    }

    /// Opens the printed address, token and all, as a browser without the cookie does.
    fn offer_token(&self) -> Reply {
        send(
            self.address,
            "GET",
            &format!("/?token={}", self.token()),
            &[("Host", &self.host())],
            None,
        )
    }

    /// Exchanges the token for the session cookie ("lexsarah=…"), keeping the session's
    /// secret from the redirect's fragment for later calls.
    pub fn sign_in(&self) -> String {
        let reply = self.offer_token();
        assert_eq!(reply.status, 303, "{reply:?}");
        let secret = reply
            .header("location")
            .and_then(|l| l.strip_prefix("/#nyckel="))
            .expect("the secret in the redirect's fragment")
            .to_string();
        *self.secret.lock().unwrap() = Some(secret);
        let cookie = reply.header("set-cookie").unwrap();
        cookie.split(';').next().unwrap().to_string()
    }

    /// The form's JSON of the file `name` in the folder, as the form opens it.
    pub fn open(&self, cookie: &str, name: &str) -> Value {
        self.call(cookie, "GET", &format!("/api/open?name={name}"), None)
            .json()
    }

    /// The form's check of `case` as the file `name`, with the preview of `document`.
    pub fn check(&self, cookie: &str, name: &str, case: &Value, document: &str) -> Value {
        let body = json!({"name": name, "case": case, "document": document});
        self.call(cookie, "POST", "/api/check", Some(&body)).json()
    }

    /// A request from the page itself: own Host, own Origin, the cookie and the secret.
    pub fn call(&self, cookie: &str, method: &str, target: &str, body: Option<&Value>) -> Reply {
        let secret = self.secret.lock().unwrap().clone().unwrap_or_default();
        self.call_with(cookie, Some(&secret), method, target, body)
    }

    /// A request with the cookie and, if given, this value as the session's secret.
    pub fn call_with(
        &self,
        cookie: &str,
        secret: Option<&str>,
        method: &str,
        target: &str,
        body: Option<&Value>,
    ) -> Reply {
        let origin = format!("http://{}", self.host());
        let host = self.host();
        let mut headers = vec![
            ("Host", host.as_str()),
            ("Origin", &origin),
            ("Cookie", cookie),
        ];
        if let Some(secret) = secret {
            headers.push(("X-Lexsarah-Nyckel", secret));
        }
        send(self.address, method, target, &headers, body)
    }
}

#[test]
fn the_token_is_exchanged_once_for_a_strict_http_only_cookie_and_a_clean_address() {
    let server = start(&[]);
    let first = server.offer_token();
    assert_eq!(first.status, 303);
    let location = first.header("location").unwrap();
    assert!(location.starts_with("/#nyckel="), "{location}");
    let cookie = first.header("set-cookie").unwrap();
    for part in ["lexsarah=", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(
        !cookie.contains(&server.token()),
        "the cookie is not the token"
    );
    // The same address again, as from the browser's history: refused.
    let again = server.offer_token();
    assert_eq!(again.status, 403);
    let session = cookie.split(';').next().unwrap();
    let page = server.call(session, "GET", "/", None);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html lang=\"sv\">"));
}

#[test]
fn every_request_without_the_cookie_is_refused() {
    let server = start(&[&example("stockholm-mailutskick.yaml")]);
    let host = server.host();
    for target in [
        "/",
        "/app.js",
        "/api/files",
        "/api/schema",
        "/api/open?name=stockholm-mailutskick.yaml",
        "/?token=gissat",
    ] {
        let reply = send(server.address, "GET", target, &[("Host", &host)], None);
        assert_eq!(reply.status, 403, "{target}: {reply:?}");
        assert!(
            !reply.body.contains("arende"),
            "{target} leaked: {}",
            reply.body
        );
    }
    let wrong = send(
        server.address,
        "GET",
        "/api/files",
        &[("Host", &host), ("Cookie", "lexsarah=00")],
        None,
    );
    assert_eq!(wrong.status, 403);
    let save = send(
        server.address,
        "POST",
        "/api/save",
        &[("Host", &host)],
        Some(&json!({"name": "ny.yaml", "case": {"version": 1}})),
    );
    assert_eq!(save.status, 403);
    assert!(!server.dir.path().join("ny.yaml").exists());
}

#[test]
fn the_cookie_alone_opens_no_case_data_and_never_the_secret() {
    // Browsers scope cookies by host, not port: another program on 127.0.0.1 can be sent the
    // cookie. With it alone, no call reads anything and no response carries the secret.
    let server = start(&[&example("stockholm-mailutskick.yaml")]);
    let cookie = server.sign_in();
    let secret = server.secret.lock().unwrap().clone().unwrap();
    for target in [
        "/",
        "/app.js",
        "/app.css",
        "/api/files",
        "/api/schema",
        "/api/open?name=stockholm-mailutskick.yaml",
        &format!("/?token={}", server.token()),
        "/finns-inte",
    ] {
        for offered in [None, Some("0".repeat(64).as_str()), Some(&secret[..63])] {
            let reply = server.call_with(&cookie, offered, "GET", target, None);
            assert!(
                !reply.body.contains(&secret),
                "{target} gave the secret away"
            );
            for (_, header) in &reply.headers {
                assert!(
                    !header.contains(&secret),
                    "{target} gave the secret away: {header}"
                );
            }
            assert!(
                !reply.body.contains("AMN 2019-0289") && !reply.body.contains("mailutskick"),
                "{target} leaked with the cookie alone: {}",
                reply.body
            );
            if target.starts_with("/api/") {
                assert_eq!(reply.status, 403, "{target}");
            }
        }
    }
    for (target, body) in [
        (
            "/api/save",
            json!({"name": "ny.yaml", "case": {"version": 1}}),
        ),
        ("/api/render", json!({"name": "stockholm-mailutskick.yaml"})),
        (
            "/api/check",
            json!({"name": "ny.yaml", "case": {"version": 1}}),
        ),
    ] {
        let reply = server.call_with(&cookie, None, "POST", target, Some(&body));
        assert_eq!(reply.status, 403, "{target}");
    }
    assert!(!server.dir.path().join("ny.yaml").exists());
    assert_eq!(std::fs::read_dir(server.dir.path()).unwrap().count(), 1);
    // With the secret, the same call reads the folder.
    let ok = server.call(&cookie, "GET", "/api/files", None);
    assert_eq!(ok.status, 200);
}

#[test]
fn a_foreign_host_or_origin_is_refused_even_with_the_cookie() {
    let server = start(&[]);
    let cookie = server.sign_in();
    let port = server.address.port();
    let own = server.host();
    for host in [
        format!("evil.example:{port}"),
        format!("localhost:{port}"),
        "127.0.0.1".into(),
        format!("127.0.0.1:{}", port + 1),
    ] {
        let reply = send(
            server.address,
            "GET",
            "/api/files",
            &[("Host", &host), ("Cookie", &cookie)],
            None,
        );
        assert_eq!(reply.status, 403, "Host {host}");
    }
    let missing = send(
        server.address,
        "GET",
        "/api/files",
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(missing.status, 403, "no Host");
    for origin in [
        "http://evil.example",
        "null",
        &format!("http://localhost:{port}"),
    ] {
        let reply = send(
            server.address,
            "POST",
            "/api/save",
            &[("Host", &own), ("Origin", origin), ("Cookie", &cookie)],
            Some(&json!({"name": "ny.yaml", "case": {"version": 1}})),
        );
        assert_eq!(reply.status, 403, "Origin {origin}");
        assert!(reply.header("access-control-allow-origin").is_none());
    }
    assert!(!server.dir.path().join("ny.yaml").exists());
    let ok = server.call(&cookie, "GET", "/api/files", None);
    assert_eq!(ok.status, 200);
    assert!(
        ok.header("access-control-allow-origin").is_none(),
        "no CORS"
    );
}

#[test]
fn every_response_is_no_store_under_a_strict_content_security_policy() {
    let server = start(&[]);
    let cookie = server.sign_in();
    let host = server.host();
    let replies = [
        server.call(&cookie, "GET", "/", None),
        server.call(&cookie, "GET", "/app.js", None),
        server.call(&cookie, "GET", "/api/schema", None),
        server.call(&cookie, "GET", "/finns-inte", None),
        send(server.address, "GET", "/", &[("Host", &host)], None),
        send(
            server.address,
            "GET",
            "/",
            &[("Host", "evil.example")],
            None,
        ),
    ];
    for reply in &replies {
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{reply:?}");
        let csp = reply.header("content-security-policy").unwrap();
        for part in [
            "default-src 'none'",
            "script-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{csp}");
        }
        assert!(!csp.contains("unsafe"), "{csp}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
    // The page names no other site: every script, style and image is its own.
    let page = &replies[0].body;
    assert!(
        !page.contains("http:") && !page.contains("https:") && !page.contains("//"),
        "{page}"
    );
}

#[test]
fn files_are_named_only_inside_the_folder() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("hemlig.yaml"),
        "version: 1\nhemlig: ja\n",
    )
    .unwrap();
    let server = start(&[&example("stockholm-mailutskick.yaml")]);
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("hemlig.yaml"),
        server.dir.path().join("lank.yaml"),
    )
    .unwrap();
    let cookie = server.sign_in();
    for (name, status) in [
        ("..%2Fhemlig.yaml", 400),
        ("%2Fetc%2Fpasswd", 400),
        ("..%2F..%2Fetc%2Fhostname", 400),
        (".dold.yaml", 400),
        ("finns-inte.yaml", 404),
        #[cfg(unix)]
        ("lank.yaml", 403),
    ] {
        let reply = server.call(&cookie, "GET", &format!("/api/open?name={name}"), None);
        assert_eq!(reply.status, status, "{name}: {}", reply.body);
        assert!(!reply.body.contains("hemlig: ja"));
    }
    let escape = server.call(
        &cookie,
        "POST",
        "/api/save",
        Some(&json!({"name": "../utanfor.yaml", "case": {"version": 1}})),
    );
    assert_eq!(escape.status, 400);
    assert!(!server.dir.path().join("../utanfor.yaml").exists());
    let listed = server.call(&cookie, "GET", "/api/files", None).json();
    let names: Vec<&str> = listed["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"stockholm-mailutskick.yaml"), "{listed}");
    #[cfg(unix)]
    assert!(
        !names.contains(&"lank.yaml"),
        "a link is not listed: {listed}"
    );
}

/// A link in the folder is refused by every route that names a file, rendering too, and its
/// target is never read: not into PDFs, not into the messages (issue 23).
#[cfg(unix)]
#[test]
fn a_link_in_the_folder_is_never_read_not_by_open_and_not_by_render() {
    let outside = tempfile::tempdir().unwrap();
    let secret = std::fs::read_to_string(example("stockholm-mailutskick.yaml"))
        .unwrap()
        .replace("rubrik: Mailutskick", "rubrik: HEMLIG RUBRIK");
    std::fs::write(outside.path().join("hemlig.yaml"), secret).unwrap();
    std::fs::write(
        outside.path().join("passwd"),
        "root:x:0:0:root:/root:/bin/bash\nHEMLIG RAD\n",
    )
    .unwrap();
    let server = start(&[]);
    for (link, target) in [("fall.yaml", "hemlig.yaml"), ("losen.yaml", "passwd")] {
        std::os::unix::fs::symlink(outside.path().join(target), server.dir.path().join(link))
            .unwrap();
    }
    let cookie = server.sign_in();
    for name in ["fall.yaml", "losen.yaml"] {
        let open = server.call(&cookie, "GET", &format!("/api/open?name={name}"), None);
        let render = server.call(
            &cookie,
            "POST",
            "/api/render",
            Some(&json!({ "name": name })),
        );
        for reply in [&open, &render] {
            assert_eq!(reply.status, 403, "{name}: {}", reply.body);
            assert!(
                !reply.body.contains("HEMLIG") && !reply.body.contains("root:"),
                "{name}: {}",
                reply.body
            );
        }
    }
    let left: Vec<_> = std::fs::read_dir(server.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 2, "no PDF was written: {left:?}");
}

#[test]
fn saving_refuses_to_overwrite_a_file_changed_on_disk_and_a_new_file_an_existing_one() {
    let server = start(&[&example("stockholm-mailutskick.yaml")]);
    let cookie = server.sign_in();
    let name = "stockholm-mailutskick.yaml";
    let opened = server.open(&cookie, name);
    let mut case = opened["case"].clone();
    case["arende"]["rubrik"] = json!("Ändrad i formuläret");
    // A colleague saves the file in the meantime.
    let path = server.dir.path().join(name);
    let theirs = format!(
        "{}\n# kollegans ändring\n",
        std::fs::read_to_string(&path).unwrap()
    );
    std::fs::write(&path, &theirs).unwrap();
    let save = server.call(
        &cookie,
        "POST",
        "/api/save",
        Some(&json!({"name": name, "case": case, "version": opened["version"]})),
    );
    assert_eq!(save.status, 409, "{}", save.body);
    assert!(
        save.json()["message"]
            .as_str()
            .unwrap()
            .contains("ändrats på disken")
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "nothing overwritten"
    );
    let new = server.call(
        &cookie,
        "POST",
        "/api/save",
        Some(&json!({"name": name, "case": case, "version": null})),
    );
    assert_eq!(new.status, 409);
    // Opened again, the change saves.
    let reopened = server.open(&cookie, name);
    assert_eq!(reopened["comments"], json!(true));
    let save = server.call(
        &cookie,
        "POST",
        "/api/save",
        Some(&json!({"name": name, "case": case, "version": reopened["version"]})),
    );
    assert_eq!(save.status, 200, "{}", save.body);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("rubrik: Ändrad i formuläret")
    );
}

#[test]
fn every_example_saved_unchanged_keeps_its_data_and_renders_the_same_pdfs() {
    let examples: Vec<PathBuf> = std::fs::read_dir(example(""))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    assert!(examples.len() >= 5);
    let refs: Vec<&Path> = examples.iter().map(PathBuf::as_path).collect();
    let server = start(&refs);
    let cookie = server.sign_in();
    for original in &examples {
        let name = original.file_name().unwrap().to_str().unwrap();
        let opened = server.open(&cookie, name);
        let save = server.call(
            &cookie,
            "POST",
            "/api/save",
            Some(&json!({"name": name, "case": opened["case"], "version": opened["version"]})),
        );
        assert_eq!(save.status, 200, "{name}: {}", save.body);
        let saved_path = server.dir.path().join(name);
        let before: Value =
            serde_saphyr::from_str(&std::fs::read_to_string(original).unwrap()).unwrap();
        let after: Value =
            serde_saphyr::from_str(&std::fs::read_to_string(&saved_path).unwrap()).unwrap();
        assert_eq!(before, after, "{name} lost data when saved from the form");
        assert_eq!(
            pdfs(original),
            pdfs(&saved_path),
            "{name} renders differently once saved"
        );
    }
}

/// The PDFs a case file renders to, as the library makes them.
fn pdfs(path: &Path) -> Vec<Vec<u8>> {
    rendered(path).into_iter().map(|(_, r)| r.pdf).collect()
}

/// The documents a case file renders to, as the library makes them.
fn rendered(path: &Path) -> Vec<(lexsarah::document::DocKind, lexsarah::render::Rendered)> {
    let mut check = lexsarah::check::CheckSettings::new();
    check.today = chrono_today();
    let checked = lexsarah::check::check_case(path, &check)
        .unwrap_or_else(|p| panic!("{}: {p:?}", path.display()));
    let settings = lexsarah::render::checked::RenderSettings::defaults(check);
    lexsarah::render::checked::render_case(&settings, &checked).unwrap()
}

fn chrono_today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

#[test]
fn a_check_places_each_problem_at_its_field_and_previews_a_case_without_errors() {
    let server = start(&[&example("stockholm-mailutskick.yaml")]);
    let cookie = server.sign_in();
    let name = "stockholm-mailutskick.yaml";
    let mut case = server.open(&cookie, name)["case"].clone();
    let good = server.check(&cookie, name, &case, "beslut");
    let errors: Vec<&Value> = good["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(good["preview"]["document"], "beslut");
    let pages = good["preview"]["pages"].as_array().unwrap();
    assert!(pages[0].as_str().unwrap().starts_with("<svg"));
    // The preview is the PDF's pages: as many as the beslut that render makes.
    let beslut = rendered(&server.dir.path().join(name))
        .into_iter()
        .find(|(doc, _)| *doc == lexsarah::document::DocKind::Beslut)
        .expect("a beslut");
    assert_eq!(beslut.1.pages, pages.len());
    case["beslut"]["datum"] = json!("2026-10-5");
    case["beslut"]["beslutsfattare"]
        .as_object_mut()
        .unwrap()
        .remove("befattning");
    case["arende"]["rubirk"] = json!("felstavad");
    let bad = server.check(&cookie, name, &case, "beslut");
    assert!(bad["preview"].is_null());
    let fields: Vec<&str> = bad["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    for field in [
        "beslut.datum",
        "beslut.beslutsfattare.befattning",
        "arende.rubirk",
    ] {
        assert!(fields.contains(&field), "{field} not in {fields:?}");
    }
}

#[test]
fn the_render_button_writes_the_saved_cases_pdfs_into_the_folder_as_render_would() {
    let server = start(&[&example("stockholm-mailutskick.yaml")]);
    let cookie = server.sign_in();
    let reply = server.call(
        &cookie,
        "POST",
        "/api/render",
        Some(&json!({"name": "stockholm-mailutskick.yaml"})),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let result = reply.json();
    assert_eq!(result["ok"], json!(true), "{result}");
    let files: Vec<&str> = result["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        files.iter().any(|f| f.ends_with("-beslut.pdf")),
        "{files:?}"
    );
    for file in &files {
        let bytes = std::fs::read(server.dir.path().join(file)).unwrap();
        assert!(!bytes.is_empty(), "{file}");
    }
    // A case with errors writes nothing and says why.
    std::fs::write(
        server.dir.path().join("trasig.yaml"),
        "version: 1\nprofil: stockholm\narende: {}\n",
    )
    .unwrap();
    let broken = server
        .call(
            &cookie,
            "POST",
            "/api/render",
            Some(&json!({"name": "trasig.yaml"})),
        )
        .json();
    assert_eq!(broken["ok"], json!(false));
    assert!(
        broken["messages"]
            .as_str()
            .unwrap()
            .contains("diarienummer"),
        "{broken}"
    );
}

#[test]
fn a_folder_that_is_not_there_or_a_busy_port_is_a_clear_refusal() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let missing = runtime
        .block_on(lexsarah_serve::bind(Path::new("/finns/inte"), 0))
        .err()
        .unwrap();
    assert!(
        missing.contains("kan inte öppnas: den finns inte"),
        "{missing}"
    );
    let server = start(&[]);
    let busy = runtime
        .block_on(lexsarah_serve::bind(
            server.dir.path(),
            server.address.port(),
        ))
        .err()
        .unwrap();
    assert!(
        busy.contains(&format!("porten {}", server.address.port())),
        "{busy}"
    );
    assert!(busy.contains("utelämna --port"), "{busy}");
}

#[test]
fn a_file_the_form_cannot_read_is_named_with_its_line_and_what_to_do() {
    let server = start(&[]);
    std::fs::write(
        server.dir.path().join("trasig.yaml"),
        "version: 1\narende:\n  rubrik: Läkemedel: fel dos\n",
    )
    .unwrap();
    std::fs::write(server.dir.path().join("lista.yaml"), "- en\n- två\n").unwrap();
    std::fs::write(
        server.dir.path().join("binar.yaml"),
        [0xff, 0xfe, 0x00, 0x41],
    )
    .unwrap();
    let cookie = server.sign_in();
    let broken = server.call(&cookie, "GET", "/api/open?name=trasig.yaml", None);
    assert_eq!(broken.status, 422, "{}", broken.body);
    let message = broken.json()["message"].as_str().unwrap().to_string();
    assert!(message.contains("rad 3"), "{message}");
    assert!(message.contains("lexsarah check"), "{message}");
    let list = server.call(&cookie, "GET", "/api/open?name=lista.yaml", None);
    assert_eq!(list.status, 422);
    assert!(
        list.json()["message"]
            .as_str()
            .unwrap()
            .contains("inget ärende")
    );
    let binary = server.call(&cookie, "GET", "/api/open?name=binar.yaml", None);
    assert_eq!(binary.status, 422);
    assert!(
        binary.json()["message"].as_str().unwrap().contains("UTF-8"),
        "{}",
        binary.body
    );
}

#[test]
fn the_form_offers_the_anmalan_to_ivo_and_previews_it_as_render_makes_it() {
    let name = "stockholm-skyddad-adress.yaml";
    let server = start(&[&example(name)]);
    let cookie = server.sign_in();
    let schema = server.call(&cookie, "GET", "/api/schema", None).json();
    assert!(schema["properties"]["anmalan"].is_object(), "{schema}");
    let files = server.call(&cookie, "GET", "/api/files", None).json();
    assert!(
        files["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["token"] == "anmalan"),
        "{files}"
    );
    let case = server.open(&cookie, name)["case"].clone();
    let checked = server.check(&cookie, name, &case, "anmalan");
    assert_eq!(checked["preview"]["document"], "anmalan", "{checked}");
    let anmalan = rendered(&server.dir.path().join(name))
        .into_iter()
        .find(|(doc, _)| *doc == lexsarah::document::DocKind::Anmalan)
        .expect("an anmälan");
    assert_eq!(
        checked["preview"]["pages"].as_array().unwrap().len(),
        anmalan.1.pages
    );
}

#[test]
fn the_folder_lists_cases_profiles_and_other_files_each_as_what_it_is() {
    let lindbacka = example("lindbacka");
    let server = start(&[
        &example("stockholm-mailutskick.yaml"),
        &lindbacka.join("profil.yaml"),
    ]);
    std::fs::write(
        server.dir.path().join("anteckningar.yaml"),
        "att-gora:\n  - ringa\n",
    )
    .unwrap();
    std::fs::write(
        server.dir.path().join("trasig.yaml"),
        "version: 1\narende: [\n",
    )
    .unwrap();
    let cookie = server.sign_in();
    let listed = server.call(&cookie, "GET", "/api/files", None).json();
    let kind = |name: &str| {
        listed["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {listed}"))["kind"]
            .clone()
    };
    assert_eq!(kind("stockholm-mailutskick.yaml"), "arende");
    assert_eq!(kind("profil.yaml"), "profil");
    assert_eq!(kind("anteckningar.yaml"), "annat");
    assert_eq!(
        kind("trasig.yaml"),
        "arende",
        "a broken case is still a case to mend"
    );
    let profiles: Vec<&str> = listed["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["reference"].as_str().unwrap())
        .collect();
    assert_eq!(profiles, ["stockholm", "mjolby", "profil.yaml"]);
    // A profile opened as a case would be a wall of unknown keys: it opens as a profile.
    let opened = server
        .call(
            &cookie,
            "GET",
            "/api/profile/open?reference=profil.yaml",
            None,
        )
        .json();
    assert_eq!(opened["profile"]["kommun"], "Lindbacka kommun");
    assert_eq!(opened["origin"], "mappen");
}

#[test]
fn a_profile_in_an_allowed_folder_is_used_and_viewed_but_never_written() {
    let shared = tempfile::tempdir().unwrap();
    let lindbacka = example("lindbacka");
    for name in ["profil.yaml", "logga.svg"] {
        std::fs::copy(lindbacka.join(name), shared.path().join(name)).unwrap();
    }
    let real = shared.path().canonicalize().unwrap();
    let server = start_allowing(&[], std::slice::from_ref(&real));
    let cookie = server.sign_in();
    let listed = server.call(&cookie, "GET", "/api/files", None).json();
    let reference = real.join("profil.yaml").display().to_string();
    let entry = listed["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["reference"] == reference.as_str())
        .unwrap_or_else(|| panic!("{listed}"))
        .clone();
    assert_eq!(entry["origin"], "tillaten_mapp");
    let opened = server
        .call(
            &cookie,
            "GET",
            &format!(
                "/api/profile/open?reference={}",
                reference.replace('/', "%2F")
            ),
            None,
        )
        .json();
    assert_eq!(opened["profile"]["kommun"], "Lindbacka kommun", "{opened}");
    assert!(
        opened["version"].is_null(),
        "read only: no version to save against"
    );
    // Checked in place, its logo found beside it: the sample is drawn.
    let checked = server
        .call(
            &cookie,
            "POST",
            "/api/profile/check",
            Some(&json!({"name": reference, "profile": opened["profile"]})),
        )
        .json();
    assert!(
        checked["problems"].as_array().unwrap().is_empty(),
        "{checked}"
    );
    assert!(checked["preview"]["pages"].as_array().unwrap().len() >= 2);
    // Never written where it lies.
    let before = std::fs::read(shared.path().join("profil.yaml")).unwrap();
    let refused = server.call(
        &cookie,
        "POST",
        "/api/profile/save",
        Some(&json!({"name": reference, "profile": opened["profile"], "version": null})),
    );
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert_eq!(
        std::fs::read(shared.path().join("profil.yaml")).unwrap(),
        before
    );
    // A case in the folder that names it is checked with it.
    let mut case: Value =
        serde_saphyr::from_str(&std::fs::read_to_string(example("lindbacka/arende.yaml")).unwrap())
            .unwrap();
    case["profil"] = json!(reference);
    let found = server.check(&cookie, "ny.yaml", &case, "beslut");
    let errors: Vec<&Value> = found["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(
        found["preview"]["pages"]
            .as_array()
            .is_some_and(|p| !p.is_empty()),
        "{found}"
    );
    // Without --allow-path the same case is refused: the profile lies outside the folder.
    let plain = start(&[]);
    let cookie = plain.sign_in();
    let found = plain.check(&cookie, "ny.yaml", &case, "beslut");
    assert!(
        found["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "okand-profil"),
        "{found}"
    );
}

#[test]
fn a_draft_is_offered_back_through_the_same_conflict_check_as_a_save() {
    let name = "stockholm-mailutskick.yaml";
    let server = start(&[&example(name)]);
    let cookie = server.sign_in();
    let opened = server.open(&cookie, name);
    assert!(opened["draft"].is_null());
    let mut case = opened["case"].clone();
    case["beslut"]["bakgrund"] = json!("Ändrad i formuläret.");
    let kept = server.call(
        &cookie,
        "POST",
        "/api/draft",
        Some(&json!({"name": name, "case": case, "version": opened["version"]})),
    );
    assert_eq!(kept.status, 200, "{}", kept.body);
    let draft = server.dir.path().join(format!("{name}.utkast"));
    assert!(draft.is_file());
    // The draft is not a case: not listed, not openable by name.
    let listed = server.call(&cookie, "GET", "/api/files", None).json();
    assert!(!listed.to_string().contains(".utkast"), "{listed}");
    let by_name = server.call(
        &cookie,
        "GET",
        &format!("/api/open?name={name}.utkast"),
        None,
    );
    assert_eq!(by_name.status, 400);

    // Offered when the file is opened again, unchanged since.
    let again = server.open(&cookie, name);
    assert_eq!(
        again["draft"]["case"]["beslut"]["bakgrund"],
        "Ändrad i formuläret."
    );
    assert_eq!(again["draft"]["changed_since"], false);

    // A colleague saves the file meanwhile: the draft says so, and saving it is refused.
    let text = std::fs::read_to_string(server.dir.path().join(name)).unwrap();
    std::fs::write(server.dir.path().join(name), format!("{text}\n")).unwrap();
    let later = server.open(&cookie, name);
    assert_eq!(later["draft"]["changed_since"], true);
    let refused = server.call(
        &cookie,
        "POST",
        "/api/save",
        Some(&json!({"name": name, "case": later["draft"]["case"], "version": later["draft"]["based_on"]})),
    );
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(draft.is_file(), "a refused save keeps the draft");

    // Thrown away on request.
    let discarded = server.call(
        &cookie,
        "POST",
        "/api/draft/discard",
        Some(&json!({"name": name})),
    );
    assert_eq!(discarded.status, 200);
    assert!(!draft.exists());
}

#[test]
fn a_new_case_never_saved_is_found_again_by_its_draft() {
    let server = start(&[]);
    let cookie = server.sign_in();
    let name = "ny-2026-17.yaml";
    let case = json!({"version": 1, "profil": "mjolby", "arende": {"rubrik": "Påbörjad"}});
    let kept = server.call(
        &cookie,
        "POST",
        "/api/draft",
        Some(&json!({"name": name, "case": case, "version": null})),
    );
    assert_eq!(kept.status, 200, "{}", kept.body);
    let listed = server.call(&cookie, "GET", "/api/files", None).json();
    let entry = listed["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("{listed}"))
        .clone();
    assert_eq!(entry["note"], "osparat utkast");
    let opened = server.open(&cookie, name);
    assert!(opened["version"].is_null());
    assert_eq!(opened["draft"]["case"], case);
    let saved = server.call(
        &cookie,
        "POST",
        "/api/save",
        Some(&json!({"name": name, "case": case, "version": null})),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(!server.dir.path().join(format!("{name}.utkast")).exists());
    assert!(server.dir.path().join(name).is_file());
}
