//! The routes: the page and its assets, and the JSON calls the form makes.

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use lexsarah::case::write::case_yaml;
use lexsarah::document::DocKind;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::assets::{APP_CSS, APP_JS, INDEX_HTML};
use crate::edit;
use crate::folder::Refusal;

/// Every route the server answers (behind the guard).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/app.css",
            get(|| async { asset("text/css; charset=utf-8", APP_CSS) }),
        )
        .route("/api/schema", get(schema))
        .route("/api/files", get(files))
        .route("/api/open", get(open))
        .route("/api/check", post(check))
        .route("/api/save", post(save))
        .route("/api/render", post(render))
        .fallback(|| async {
            Refusal::new(
                StatusCode::NOT_FOUND,
                "Det finns ingenting på den adressen.",
            )
        })
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

/// The case schema the form is generated from.
async fn schema() -> Json<Value> {
    Json(lexsarah::case::schema::CASE_SCHEMA.clone())
}

/// The folder's case files, the built-in profiles and the documents.
async fn files(State(app): State<AppState>) -> Json<Value> {
    let documents: Vec<Value> = DocKind::ALL
        .iter()
        .map(|doc| json!({ "token": doc.token(), "name": doc.default_name() }))
        .collect();
    Json(json!({
        "folder": app.folder.root().display().to_string(),
        "files": app.folder.list(),
        "profiles": lexsarah::profile::built_in_names().collect::<Vec<_>>(),
        "documents": documents,
    }))
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

/// A case file as the form's JSON, with its version for saving.
async fn open(
    State(app): State<AppState>,
    Query(query): Query<Named>,
) -> Result<Json<Value>, Refusal> {
    let (path, bytes, version) = app.folder.read(&query.name)?;
    let opened = edit::open(&path, bytes)?;
    Ok(Json(json!({
        "name": query.name,
        "version": version,
        "case": opened.case,
        "comments": opened.comments,
    })))
}

#[derive(Deserialize)]
struct CheckRequest {
    name: String,
    case: Value,
    document: Option<String>,
}

/// Checks the form's case and draws the document asked for.
async fn check(
    State(app): State<AppState>,
    Json(request): Json<CheckRequest>,
) -> Result<Json<edit::Checked>, Refusal> {
    let path = app.folder.path_of(&request.name)?;
    let wanted = request.document.as_deref().and_then(DocKind::from_token);
    let today = chrono::Local::now().date_naive();
    let checked = blocking(&app, move || {
        edit::check(&path, &request.case, wanted, today)
    })
    .await?;
    Ok(Json(checked))
}

#[derive(Deserialize)]
struct SaveRequest {
    name: String,
    case: Value,
    /// The version the form opened; absent for a new file.
    version: Option<String>,
}

/// Writes the form's case as YAML, unless the file changed on disk since it was opened.
async fn save(
    State(app): State<AppState>,
    Json(request): Json<SaveRequest>,
) -> Result<Json<Value>, Refusal> {
    if !request.case.is_object() {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "Ärendet ska vara ett objekt.",
        ));
    }
    let text = case_yaml(&request.case).text;
    let version = app
        .folder
        .save(&request.name, &text, request.version.as_deref())?;
    Ok(Json(json!({ "name": request.name, "version": version })))
}

/// Renders the saved file's documents into the folder, as `lexsarah render` would, from the
/// bytes read beneath the folder's handle (a link is refused, never read).
async fn render(
    State(app): State<AppState>,
    Json(request): Json<Named>,
) -> Result<Json<Value>, Refusal> {
    let (path, bytes, _) = app.folder.read(&request.name)?;
    let root = app.folder.root().to_path_buf();
    let (ok, written, messages) = blocking(&app, move || {
        let config = lexsarah::commands::render::RenderConfig {
            cases: Vec::new(),
            out: Some(root),
            settings: lexsarah::render::checked::RenderSettings::defaults(
                lexsarah::check::CheckSettings::new(),
            ),
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = match lexsarah::source::decode(&path, bytes) {
            Ok(source) => lexsarah::commands::render::render_source(
                &config,
                source,
                &mut Default::default(),
                &mut out,
                &mut err,
            ),
            Err(problem) => lexsarah::commands::report_case(&mut err, &path, &[problem]),
        };
        let written: Vec<String> = String::from_utf8_lossy(&out)
            .lines()
            .filter_map(|line| {
                std::path::Path::new(line)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
            })
            .collect();
        (
            status == lexsarah::ExitStatus::Success,
            written,
            String::from_utf8_lossy(&err).into_owned(),
        )
    })
    .await?;
    Ok(Json(
        json!({ "ok": ok, "files": written, "messages": messages }),
    ))
}

/// Runs work that takes a while (a check, a layout, a render) off the server's threads, at most
/// as many at once as the limits allow; a request that would wait behind too many others gets
/// 503 at once, so that memory stays bounded however many previews are asked for.
async fn blocking<T: Send + 'static>(
    app: &AppState,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Refusal> {
    let busy = || {
        Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Servern har för många kontroller på gång just nu. Vänta en stund och försök igen.",
        )
    };
    let admitted = app
        .admitted
        .clone()
        .try_acquire_owned()
        .map_err(|_| busy())?;
    let permit = app.busy.clone().acquire_owned().await.map_err(|_| busy())?;
    // The permits go with the work: a client that goes away does not free them early.
    tokio::task::spawn_blocking(move || {
        let _permits = (admitted, permit);
        work()
    })
    .await
    .map_err(|e| Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}
