//! The server under a long day's work and a hostile neighbour (issue 23): slow clients, many
//! checks at once, two saves at the same instant, file modes, file names, and SIGTERM.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::json;

use super::*;

#[test]
fn slow_headers_are_cut_off_and_a_flood_of_connections_leaves_the_form_usable() {
    let limits = lexsarah_serve::Limits {
        header_timeout: Duration::from_millis(800),
        connections: 8,
        ..lexsarah_serve::Limits::default()
    };
    let server = start_with(&[], limits);
    // Forty clients that send half a request line and then nothing.
    let mut slow: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut stream = TcpStream::connect(server.address).unwrap();
            let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(2000));
    for stream in &mut slow {
        stream
            .set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        // Closed by the server: reading to the end ends (or the connection is reset); it
        // does not time out.
        if let Err(e) = stream.read_to_end(&mut Vec::new()) {
            assert!(
                !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
                "a slow connection was left open: {e}"
            );
        }
    }
    drop(slow);
    // The person who started the form can still use it.
    let cookie = server.sign_in();
    let reply = server.call(&cookie, "GET", "/api/files", None);
    assert_eq!(reply.status, 200);
}

#[test]
fn checks_past_the_limit_are_refused_with_503_and_the_rest_answered() {
    let limits = lexsarah_serve::Limits {
        busy: 1,
        waiting: 0,
        ..lexsarah_serve::Limits::default()
    };
    let server = std::sync::Arc::new(start_with(
        &[&example("mjolby-borttappade-handlingar.yaml")],
        limits,
    ));
    let cookie = server.sign_in();
    let opened = server.open(&cookie, "mjolby-borttappade-handlingar.yaml");
    let body = json!({
        "name": "mjolby-borttappade-handlingar.yaml",
        "case": opened["case"],
        "document": "utredning",
    });
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let calls: Vec<_> = (0..8)
            .map(|_| {
                let (server, cookie, body) = (server.clone(), cookie.clone(), body.clone());
                scope.spawn(move || {
                    server
                        .call(&cookie, "POST", "/api/check", Some(&body))
                        .status
                })
            })
            .collect();
        calls.into_iter().map(|c| c.join().unwrap()).collect()
    });
    assert!(statuses.contains(&200), "{statuses:?}");
    assert!(statuses.contains(&503), "{statuses:?}");
    assert!(
        statuses.iter().all(|s| matches!(s, 200 | 503)),
        "{statuses:?}"
    );
}

#[test]
fn of_two_saves_from_one_version_at_the_same_instant_one_is_refused() {
    let server = std::sync::Arc::new(start(&[&example("stockholm-mailutskick.yaml")]));
    let cookie = server.sign_in();
    let name = "stockholm-mailutskick.yaml";
    for trial in 0..30 {
        let opened = server.open(&cookie, name);
        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let saves: Vec<_> = (0..2)
                .map(|who| {
                    let mut case = opened["case"].clone();
                    case["arende"]["rubrik"] = json!(format!("Försök {trial}, skribent {who}"));
                    let body = json!({ "name": name, "case": case, "version": opened["version"] });
                    let (server, cookie) = (server.clone(), cookie.clone());
                    scope.spawn(move || {
                        server
                            .call(&cookie, "POST", "/api/save", Some(&body))
                            .status
                    })
                })
                .collect();
            saves.into_iter().map(|s| s.join().unwrap()).collect()
        });
        let mut sorted = statuses.clone();
        sorted.sort();
        assert_eq!(sorted, [200, 409], "trial {trial}: {statuses:?}");
    }
}

#[test]
fn a_save_larger_than_a_case_file_is_refused_before_anything_is_written() {
    let server = start(&[&example("stockholm-mailutskick.yaml")]);
    let cookie = server.sign_in();
    let name = "stockholm-mailutskick.yaml";
    let before = std::fs::read(server.dir.path().join(name)).unwrap();
    let opened = server.open(&cookie, name);
    let mut case = opened["case"].clone();
    case["arende"]["rubrik"] = json!("lång ".repeat(2_200_000));
    let body = json!({ "name": name, "case": case, "version": opened["version"] });
    let saved = server.call(&cookie, "POST", "/api/save", Some(&body));
    assert_eq!(
        saved.status,
        413,
        "{}",
        &saved.body[..saved.body.len().min(300)]
    );
    assert_eq!(std::fs::read(server.dir.path().join(name)).unwrap(), before);
    let check = json!({ "name": name, "case": case });
    let checked = server
        .call(&cookie, "POST", "/api/check", Some(&check))
        .json();
    assert_eq!(
        checked["problems"][0]["code"], "for-stor-fil",
        "{}",
        checked["problems"]
    );
}

#[test]
fn names_that_read_otherwise_than_they_are_are_refused_and_nothing_is_written() {
    let server = start(&[]);
    let cookie = server.sign_in();
    for name in ["\u{202e}gnp.yaml", "x\u{200b}.yaml", " .yaml", "fall .yaml"] {
        let body = json!({ "name": name, "case": { "version": 1 } });
        let reply = server.call(&cookie, "POST", "/api/save", Some(&body));
        assert_eq!(reply.status, 400, "{name:?}: {}", reply.body);
    }
    assert_eq!(std::fs::read_dir(server.dir.path()).unwrap().count(), 0);
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn a_saved_case_keeps_its_mode_and_a_new_one_is_its_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let server = start(&[&example("stockholm-mailutskick.yaml")]);
    let cookie = server.sign_in();
    let name = "stockholm-mailutskick.yaml";
    let path = server.dir.path().join(name);
    for kept in [0o600, 0o640] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(kept)).unwrap();
        let opened = server.open(&cookie, name);
        let body = json!({ "name": name, "case": opened["case"], "version": opened["version"] });
        assert_eq!(
            server
                .call(&cookie, "POST", "/api/save", Some(&body))
                .status,
            200
        );
        assert_eq!(mode(&path), kept, "a save keeps the mode {kept:o}");
    }
    let body = json!({ "name": "ny.yaml", "case": { "version": 1 } });
    assert_eq!(
        server
            .call(&cookie, "POST", "/api/save", Some(&body))
            .status,
        200
    );
    assert_eq!(mode(&server.dir.path().join("ny.yaml")), 0o600);
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lexsarah-serve"))
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it prints its address, that is, until it listens.
    let mut out = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&seen).contains("token=") {
        assert_eq!(out.read(&mut byte).unwrap(), 1, "it printed its address");
        seen.push(byte[0]);
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let asked = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            asked.elapsed() < Duration::from_millis(1500),
            "still running after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert!(
        asked.elapsed() < Duration::from_millis(500),
        "{:?}",
        asked.elapsed()
    );
}

#[test]
fn the_help_is_in_swedish() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lexsarah-serve"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for english in [
        "Usage:",
        "Options:",
        "Arguments:",
        "Print help",
        "[default: ",
    ] {
        assert!(!help.contains(english), "{english} in: {help}");
    }
    assert!(
        help.contains("Användning:") && help.contains("[MAPP]"),
        "{help}"
    );
}
