//! Who may talk to the server: the one-time token, the session cookie and the session's secret,
//! the loopback Host and Origin, and the headers every response carries.
//!
//! Browsers scope cookies by host, not by port: another program listening on 127.0.0.1 can be
//! sent this server's cookie. So the cookie alone opens nothing but the page and its assets,
//! which hold no secret and no case data. Every call under `/api/` must also carry the
//! session's secret in the header [`SECRET_HEADER`], which a browser never sends to another
//! origin unasked. The secret is handed over once, in the fragment of the redirect that answers
//! the token (a fragment is never sent to a server), and the page keeps it in
//! `sessionStorage`, which is scoped to the origin with its port.

use std::sync::Mutex;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// The cookie that carries the session.
pub const COOKIE: &str = "lexsarah";

/// The header in which the page sends the session's secret on every call under `/api/`.
pub const SECRET_HEADER: &str = "x-lexsarah-nyckel";

/// The page may load only itself: no other site, no inline script, no frames.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' blob:; connect-src 'self'; form-action 'none'; \
     frame-ancestors 'none'; base-uri 'none'";

/// The secrets of one server run: the token printed once, and the session it opens.
pub struct Secrets {
    /// The token in the printed address, until it has been exchanged for the cookie.
    token: Mutex<Option<String>>,
    /// The value of the session cookie.
    session: String,
    /// The session's secret, sent by the page in [`SECRET_HEADER`].
    secret: String,
}

impl Secrets {
    /// Draws a new token and session from the operating system's random source.
    pub fn new() -> std::io::Result<Self> {
        Ok(Self {
            token: Mutex::new(Some(random_hex()?)),
            session: random_hex()?,
            secret: random_hex()?,
        })
    }

    /// The one-time token, while it has not been used.
    pub fn token(&self) -> Option<String> {
        self.token.lock().map(|t| t.clone()).unwrap_or_default()
    }

    /// Takes the token if `offered` is it; a token works once.
    fn exchange(&self, offered: &str) -> bool {
        let Ok(mut token) = self.token.lock() else {
            return false;
        };
        if token.as_deref().is_some_and(|t| same(t, offered)) {
            *token = None;
            true
        } else {
            false
        }
    }
}

/// 32 random bytes as hexadecimal.
fn random_hex() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares two secrets in time that does not depend on where they first differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Checks every request, then adds the headers every response carries.
pub async fn guard(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = match admit(&app, &request) {
        Admit::Yes => next.run(request).await,
        Admit::Exchange => exchanged(&app.secrets.session, Some(&app.secrets.secret)),
        Admit::Clean => exchanged(&app.secrets.session, None),
        Admit::No(status, why) => refused(status, why),
    };
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CACHE_CONTROL, "no-store"),
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

enum Admit {
    Yes,
    /// The token was right: the cookie, and the secret in the redirect's fragment.
    Exchange,
    /// Already signed in: only take the token out of the address.
    Clean,
    No(StatusCode, &'static str),
}

/// Decides whether a request may go on.
fn admit(app: &AppState, request: &Request) -> Admit {
    let own = format!("127.0.0.1:{}", app.port);
    let headers = request.headers();
    // A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) sends its
    // own name as Host; a page on another site that calls this one sends its Origin.
    if text(headers, header::HOST.as_str()) != Some(own.as_str()) {
        return Admit::No(
            StatusCode::FORBIDDEN,
            "Adressen ska vara den som lexsarah-serve skrev ut (127.0.0.1).",
        );
    }
    if let Some(origin) = text(headers, header::ORIGIN.as_str())
        && origin != format!("http://{own}")
    {
        return Admit::No(
            StatusCode::FORBIDDEN,
            "Anrop från en annan webbplats tas inte emot.",
        );
    }
    if text(headers, "sec-fetch-site") == Some("cross-site") {
        return Admit::No(
            StatusCode::FORBIDDEN,
            "Anrop från en annan webbplats tas inte emot.",
        );
    }
    if has_session(headers, &app.secrets.session) {
        if request.method() == Method::GET && offered_token(request).is_some() {
            return Admit::Clean;
        }
        if request.uri().path().starts_with("/api/")
            && !text(headers, SECRET_HEADER).is_some_and(|s| same(s, &app.secrets.secret))
        {
            return Admit::No(
                StatusCode::FORBIDDEN,
                "Formuläret saknar sessionens nyckel. Öppna adressen som lexsarah-serve skrev ut, i samma flik; starta lexsarah-serve på nytt för en ny adress.",
            );
        }
        return Admit::Yes;
    }
    if request.method() == Method::GET
        && request.uri().path() == "/"
        && let Some(offered) = offered_token(request)
    {
        return if app.secrets.exchange(offered) {
            Admit::Exchange
        } else {
            Admit::No(
                StatusCode::FORBIDDEN,
                "Länken har redan använts eller stämmer inte. Starta lexsarah-serve på nytt för en ny länk.",
            )
        };
    }
    Admit::No(
        StatusCode::FORBIDDEN,
        "Öppna adressen med nyckeln som lexsarah-serve skrev ut när det startade.",
    )
}

fn text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The token in `?token=…`, if any.
fn offered_token(request: &Request) -> Option<&str> {
    request
        .uri()
        .query()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
}

/// Whether the request carries this run's session cookie.
fn has_session(headers: &HeaderMap, session: &str) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(name, value)| name == COOKIE && same(value, session))
}

/// The cookie for a token, and a redirect to the address without it; with `secret`, the
/// session's secret in the redirect's fragment, for the page to keep.
fn exchanged(session: &str, secret: Option<&str>) -> Response {
    let cookie = format!("{COOKIE}={session}; HttpOnly; SameSite=Strict; Path=/");
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::SEE_OTHER;
    let headers = response.headers_mut();
    let location = secret.map_or_else(|| "/".to_string(), |s| format!("/#nyckel={s}"));
    if let Ok(value) = HeaderValue::from_str(&location) {
        headers.insert(header::LOCATION, value);
    }
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        headers.insert(header::SET_COOKIE, value);
    }
    response
}

/// A refusal as a short page in Swedish.
fn refused(status: StatusCode, why: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        why,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_works_once_and_only_when_it_matches() {
        let secrets = Secrets::new().unwrap();
        let token = secrets.token().unwrap();
        assert_eq!(token.len(), 64);
        assert!(!secrets.exchange("fel"));
        assert!(!secrets.exchange(&token[..63]));
        assert!(secrets.exchange(&token));
        assert!(!secrets.exchange(&token));
        assert_eq!(secrets.token(), None);
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; lexsarah=abc"),
        );
        assert!(has_session(&headers, "abc"));
        assert!(!has_session(&headers, "abd"));
        assert!(!has_session(&HeaderMap::new(), "abc"));
    }
}
