//! The two HTTP routes of enrollment documents, outside the Leptos server functions because they carry files:
//!
//! * `POST /{tenant}/portal/inscricao/{id}/documentos/enviar` (multipart `kind`, `file`): a student uploads one of
//!   their application's documents. Sent by `fetch`, it answers JSON; posted by the page itself (no wasm, `Accept:
//!   text/html`), it answers with a redirect back to the documents page. Its body cap (`UPLOAD_BODY_MAX_BYTES`) is larger than the app's general one:
//!   phone photos are large (see `body_limit::cap_for`).
//! * `GET /{tenant}/portal/inscricao/{id}/documentos/{document}`: the file, inline, to the application's student
//!   and the tenant's owner and staff (each staff view audited). Anyone else gets 404, as if it did not exist.
//!
//! The rules (who, when, which kinds, which types) are `app::enrollment::documents`'; this only speaks HTTP.

use app::{
    enrollment::{
        document_types::{DOCUMENT_MAX_BYTES, UPLOAD_ECHO, UploadRefusal, row_anchor},
        documents::{self, Reader, Upload},
    },
    i18n::Locale,
    platform::{
        AppError,
        auth::{Role, Viewer, asks_for_a_page, viewer_of},
        form_echo::{self, SENT_PARAM},
        tenancy::TenantTx,
    },
};
use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, Multipart, Path, State},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use http::{HeaderValue, StatusCode, header};
use tower_sessions::Session;
use uuid::Uuid;

use super::AppState;

pub const UPLOAD_ROUTE: &str = "/{tenant}/portal/inscricao/{id}/documentos/enviar";
pub const DOCUMENT_ROUTE: &str = "/{tenant}/portal/inscricao/{id}/documentos/{document}";

/// The upload route's body cap: the largest document plus room for the multipart envelope.
pub const UPLOAD_BODY_MAX_BYTES: usize = DOCUMENT_MAX_BYTES + 64 * 1024;

/// Images are shown in a sandbox: no scripts, no forms, no plugins, whatever the bytes try. Chrome refuses to run
/// its PDF viewer in a sandboxed document (no sandbox token re-enables it), so PDFs go without `sandbox` but with
/// nothing else allowed; their type is decided from the bytes and `nosniff` keeps the browser to it.
const IMAGE_POLICY: &str =
    "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";
const PDF_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'";

pub fn routes() -> Router<AppState> {
    Router::new()
        // The general body layer has already enforced this route's own cap; axum's extractor limit would cut it.
        .route(UPLOAD_ROUTE, post(upload).layer(DefaultBodyLimit::disable()))
        .route(DOCUMENT_ROUTE, get(serve))
}

async fn upload(
    State(state): State<AppState>,
    Path((tenant, application_id)): Path<(String, Uuid)>,
    session: Session,
    headers: http::HeaderMap,
    multipart: Multipart,
) -> Response {
    let mut kind = None;
    let result = async {
        let viewer = signed_in(&state, &session, &tenant).await?;
        if viewer.role != Role::Student {
            return Err(AppError::NotFound);
        }
        let form = read_form(multipart).await?;
        kind = Some(form.kind);
        let mut tx = TenantTx::begin(&state.pool, viewer.tenant.id).await?;
        let upload = Upload {
            student: viewer.user_id,
            application_id,
            kind_id: form.kind,
            original_name: &form.name,
            bytes: &form.bytes,
        };
        let id = documents::upload(&mut tx, state.context.files.as_ref(), &upload).await?;
        tx.commit().await?;
        Ok(id)
    }
    .await;
    if asks_for_a_page(&headers) {
        return back_to_documents(&state, &tenant, application_id, kind, result);
    }
    match result {
        Ok(id) => (StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response(),
        Err(error) => error_response(&error),
    }
}

/// A plain upload's answer: back to the documents page (303), at that document's row, saying it went up, or,
/// refused, with the refusal for that document in the form-echo cookie (`platform::form_echo`; nothing of the file
/// is kept).
fn back_to_documents(
    state: &AppState,
    tenant: &str,
    application_id: Uuid,
    kind: Option<Uuid>,
    result: Result<Uuid, AppError>,
) -> Response {
    let page = format!("/{tenant}/portal/inscricao/{application_id}/documentos");
    let (location, cookie) = match (result, kind) {
        (Ok(_), Some(kind)) => (format!("{page}?{SENT_PARAM}={kind}#{}", row_anchor(kind)), None),
        (Ok(_), None) => (page, None),
        (Err(error), kind) => {
            let secure = state.context.public_url.starts_with("https:");
            let refusal = UploadRefusal { kind: kind.unwrap_or_default(), error };
            let row = kind.map(|kind| format!("#{}", row_anchor(kind))).unwrap_or_default();
            (format!("{page}{row}"), form_echo::cookie_for(UPLOAD_ECHO, &refusal, secure))
        }
    };
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    if let Some(value) = cookie.and_then(|cookie| HeaderValue::from_str(&cookie).ok()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

async fn serve(
    State(state): State<AppState>,
    Path((tenant, application_id, document_id)): Path<(String, Uuid, Uuid)>,
    session: Session,
) -> Response {
    let result = async {
        let viewer = signed_in(&state, &session, &tenant).await?;
        let reader = match viewer.role {
            Role::Student => Reader::Student(viewer.user_id),
            Role::Owner | Role::Staff => Reader::Staff(viewer.user_id),
            _ => return Err(AppError::NotFound),
        };
        let mut tx = TenantTx::begin(&state.pool, viewer.tenant.id).await?;
        let file = documents::open(&mut tx, state.context.files.as_ref(), reader, application_id, document_id).await?;
        // The audit entry is written before a byte is served.
        tx.commit().await?;
        Ok(file)
    }
    .await;
    let file = match result {
        Ok(file) => file,
        Err(error) => return error_response(&error),
    };
    let policy = if file.mime == "application/pdf" { PDF_POLICY } else { IMAGE_POLICY };
    let content_type =
        HeaderValue::from_str(&file.mime).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_DISPOSITION, HeaderValue::from_static("inline")),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy)),
        // Staff view it inside the application page; nothing else may frame it.
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN")),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
    ];
    (headers, file.bytes).into_response()
}

/// The person signed in to `tenant`; anyone else (nobody, another tenant's person) is answered 404.
pub(super) async fn signed_in(state: &AppState, session: &Session, tenant: &str) -> Result<Viewer, AppError> {
    match viewer_of(&state.context, session).await? {
        Some(viewer) if viewer.tenant.slug == tenant => Ok(viewer),
        _ => Err(AppError::NotFound),
    }
}

struct UploadForm {
    kind: Uuid,
    name: String,
    bytes: Vec<u8>,
}

const FORM_UNREADABLE: app::i18n::Text =
    app::i18n::Text::new("Não foi possível ler o envio. Tente de novo.", "Could not read the upload. Try again.");
const KIND_MISSING: app::i18n::Text = app::i18n::Text::new("Escolha o documento.", "Choose the document.");

async fn read_form(mut multipart: Multipart) -> Result<UploadForm, AppError> {
    let (mut kind, mut file) = (None, None);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                tracing::info!(%error, "document upload: unreadable multipart body");
                return Err(AppError::invalid("file", FORM_UNREADABLE));
            }
        };
        match field.name() {
            Some("kind") => kind = field.text().await.ok().and_then(|text| text.trim().parse::<Uuid>().ok()),
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(|_| AppError::invalid("file", FORM_UNREADABLE))?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let kind = kind.ok_or_else(|| AppError::invalid("kind", KIND_MISSING))?;
    let (name, bytes) = file.unwrap_or_default();
    Ok(UploadForm { kind, name, bytes })
}

/// The error as the server functions answer it: its JSON (`kind`, `message`…) under its kind's status.
/// A CSV export's answer: the file as a private download named `filename`, or the error as JSON.
pub(super) fn csv_download(result: Result<String, AppError>, filename: &'static str) -> Response {
    match result {
        Ok(csv) => {
            let disposition = format!("attachment; filename=\"{filename}\"");
            let headers = [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
            ];
            (headers, csv).into_response()
        }
        Err(error) => error_response(&error),
    }
}

pub(super) fn error_response(error: &AppError) -> Response {
    let status = super::error_status::status_of(error).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let message = error.user_message(Locale::default());
    let mut body = serde_json::to_value(error).unwrap_or_default();
    if let Some(object) = body.as_object_mut() {
        object.insert("text".into(), message.into());
    }
    (status, Json(body)).into_response()
}
