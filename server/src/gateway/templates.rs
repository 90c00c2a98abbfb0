//! The template library in the gateway: `GET /v1/configs/templates` lists the project's
//! approved templates, and `POST /v1/messages` with `type: template` is checked against
//! the library before it goes upstream (2001 unknown language, 2000 wrong parameters).
//! Lookups go through the `template_cache`.

use axum::Json;
use axum::response::{IntoResponse, Response};
use domain::projects::keys::KeyGrant;
use http::{Method, StatusCode};
use rules::api::message::{Refusal, TemplateCall};
use rules::templates::library;
use serde_json::json;

use super::Gateway;
use super::envelope::ApiError;

pub async fn list(
    gateway: &Gateway,
    grant: &KeyGrant,
    method: &Method,
) -> Result<Response, ApiError> {
    if method != Method::GET {
        return Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Use GET to list the project's approved templates; customer success manages them in the console.",
            vec!["405".into()],
        ));
    }
    let approved =
        domain::templates::library::approved(&gateway.services.db, grant.project_id).await?;
    let listed: Vec<_> = approved
        .iter()
        .flat_map(|t| {
            t.input
                .translations
                .iter()
                .filter(|tr| tr.status(&t.input).0.sendable())
                .map(|tr| library::listing(&t.input, tr))
        })
        .collect();
    Ok((StatusCode::OK, Json(json!({"templates": listed}))).into_response())
}

/// The refusal for a template message that does not match the library's template of that
/// name; templates the library does not have are left to WhatsApp.
pub async fn check(
    gateway: &Gateway,
    project_id: i64,
    call: &TemplateCall,
) -> Result<Option<Refusal>, ApiError> {
    let Some(template) = gateway
        .templates
        .find(&gateway.services, project_id, &call.name)
        .await?
    else {
        return Ok(None);
    };
    Ok(library::check_call(&template, &call.language, call.body_parameters).err())
}
