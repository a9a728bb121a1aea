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
        .route("/api/draft", post(draft))
        .route("/api/draft/discard", post(discard_draft))
        .route("/api/profile-schema", get(profile_schema))
        .route("/api/profile/open", get(open_profile))
        .route("/api/profile/check", post(check_profile))
        .route("/api/profile/save", post(save_profile))
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

/// The profile schema the profile's form is generated from.
async fn profile_schema() -> Json<Value> {
    Json(lexsarah::profile::schema::PROFILE_SCHEMA.clone())
}

/// The folder's files, each with what it is taken for, every profile a case may name, and the
/// documents.
async fn files(State(app): State<AppState>) -> Result<Json<Value>, Refusal> {
    let documents: Vec<Value> = DocKind::ALL
        .iter()
        .map(|doc| json!({ "token": doc.token(), "name": doc.default_name() }))
        .collect();
    let listing = app.clone();
    let (files, profiles) = blocking(&app, move || {
        let files = listing.folder.listed();
        let profiles = crate::profiles::known(&listing, &files);
        (files, profiles)
    })
    .await?;
    Ok(Json(json!({
        "folder": app.folder.root().display().to_string(),
        "files": files,
        "profiles": profiles,
        "documents": documents,
    })))
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
    // A new case never saved, whose draft is all there is: opened from the draft, as new.
    if !app.folder.path_of(&query.name)?.exists()
        && let Some(draft) = app
            .folder
            .read_draft(&query.name)?
            .and_then(|bytes| serde_json::from_slice::<Draft>(&bytes).ok())
    {
        return Ok(Json(json!({
            "name": query.name,
            "version": null,
            "case": {"version": 1},
            "comments": false,
            "draft": {"case": draft.arende, "based_on": null, "changed_since": false},
        })));
    }
    let (path, bytes, version) = app.folder.read(&query.name)?;
    let opened = edit::open(&path, bytes)?;
    // A draft left by a closed tab or a crash is offered back, with whether the file has
    // changed since the version it was based on (then saving it goes the way of any conflict).
    let draft = app
        .folder
        .read_draft(&query.name)?
        .and_then(|bytes| serde_json::from_slice::<Draft>(&bytes).ok())
        .map(|d| {
            json!({
                "case": d.arende,
                "based_on": d.grundad_pa,
                "changed_since": d.grundad_pa.as_deref() != Some(version.as_str()),
            })
        });
    Ok(Json(json!({
        "name": query.name,
        "version": version,
        "case": opened.case,
        "comments": opened.comments,
        "draft": draft,
    })))
}

/// A case's draft as it is kept beside the case: the version it was based on, and the case.
#[derive(Deserialize, serde::Serialize)]
struct Draft {
    /// The file's version when the draft's editing began; none for a file not yet saved.
    grundad_pa: Option<String>,
    /// The case as the form held it.
    arende: Value,
}

/// The form's case to save, or to keep as its draft.
#[derive(Deserialize)]
struct CaseRequest {
    name: String,
    case: Value,
    /// The version the form opened; absent for a new file.
    version: Option<String>,
}

impl CaseRequest {
    /// Refuses a case that is not an object, before anything is written.
    fn refuse_non_object(&self) -> Result<(), Refusal> {
        if self.case.is_object() {
            return Ok(());
        }
        Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "Ärendet ska vara ett objekt.",
        ))
    }
}

/// Keeps the form's unsaved case beside the file, so that a closed tab or a crash loses
/// nothing; it is never in the browser's storage.
async fn draft(
    State(app): State<AppState>,
    Json(request): Json<CaseRequest>,
) -> Result<Json<Value>, Refusal> {
    request.refuse_non_object()?;
    let bytes = serde_json::to_vec(&Draft {
        grundad_pa: request.version,
        arende: request.case,
    })
    .map_err(|e| Refusal::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    if bytes.len() as u64 > 2 * lexsarah::source::MAX_FILE_BYTES {
        return Err(Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Utkastet är för stort för att sparas; korta de längsta texterna.",
        ));
    }
    let folder = app.folder.clone();
    let name = request.name.clone();
    blocking(&app, move || folder.write_draft(&name, &bytes)).await??;
    Ok(Json(json!({ "name": request.name })))
}

/// Throws a case's draft away.
async fn discard_draft(
    State(app): State<AppState>,
    Json(request): Json<Named>,
) -> Result<Json<Value>, Refusal> {
    app.folder.remove_draft(&request.name)?;
    Ok(Json(json!({ "name": request.name })))
}

#[derive(Deserialize)]
struct ProfileRef {
    reference: String,
}

/// A profile as its form's JSON, with where it comes from and its version for saving.
async fn open_profile(
    State(app): State<AppState>,
    Query(query): Query<ProfileRef>,
) -> Result<Json<crate::profiles::Opened>, Refusal> {
    let opening = app.clone();
    let opened = blocking(&app, move || {
        crate::profiles::open(&opening, &query.reference)
    })
    .await??;
    Ok(Json(opened))
}

#[derive(Deserialize)]
struct ProfileCheck {
    /// The file it is read as: a name in the folder, or an allowed profile's reference.
    name: String,
    profile: Value,
}

/// Checks the form's profile and draws the sample case's pages in its layout.
async fn check_profile(
    State(app): State<AppState>,
    Json(request): Json<ProfileCheck>,
) -> Result<Json<crate::profiles::Checked>, Refusal> {
    // A name in the folder, or a profile file directly in an allowed folder; nothing else.
    let path = match app.folder.path_of(&request.name) {
        Ok(path) => path,
        Err(refused) => crate::profiles::allowed_profile(&app, &request.name)
            .map(|(path, _)| path)
            .ok_or(refused)?,
    };
    let allowed = app.allowed.clone();
    let checked = blocking(&app, move || {
        crate::profiles::check(&path, &request.profile, &allowed)
    })
    .await?;
    Ok(Json(checked))
}

#[derive(Deserialize)]
struct ProfileSave {
    name: String,
    profile: Value,
    version: Option<String>,
}

/// Saves the form's profile as a file in the folder (never elsewhere), unless it changed on
/// disk since it was opened.
async fn save_profile(
    State(app): State<AppState>,
    Json(request): Json<ProfileSave>,
) -> Result<Json<Value>, Refusal> {
    let version = crate::profiles::save(
        &app,
        &request.name,
        &request.profile,
        request.version.as_deref(),
    )?;
    Ok(Json(json!({ "name": request.name, "version": version })))
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
    let allowed = app.allowed.clone();
    let checked = blocking(&app, move || {
        edit::check(&path, &request.case, wanted, today, &allowed)
    })
    .await?;
    Ok(Json(checked))
}

/// Writes the form's case as YAML, unless the file changed on disk since it was opened.
async fn save(
    State(app): State<AppState>,
    Json(request): Json<CaseRequest>,
) -> Result<Json<Value>, Refusal> {
    request.refuse_non_object()?;
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
    let allowed = app.allowed.clone();
    let (ok, written, messages) = blocking(&app, move || {
        let mut check = lexsarah::check::CheckSettings::new();
        check.allowed = (*allowed).clone();
        let config = lexsarah::commands::render::RenderConfig {
            cases: Vec::new(),
            out: Some(root),
            settings: lexsarah::render::checked::RenderSettings::defaults(check),
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
