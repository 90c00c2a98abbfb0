//! The template library in the gateway: `GET /v1/configs/templates` lists the project's
//! approved templates, and `POST /v1/messages` with `type: template` is checked against
//! the library before it goes upstream (2001 unknown language, 2000 wrong parameters).
//! Lookups go through the `template_cache`.

use axum::Json;
use axum::response::{IntoResponse, Response};
use domain::projects::keys::KeyGrant;
use domain::upstream::client::{Access, Upstream};
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
/// name. A name the library lacks is left to WhatsApp, except on a Cloud number whose
/// library was read whole from Meta: then Meta has no such template either.
pub async fn check(
    gateway: &Gateway,
    up: &Upstream,
    call: &TemplateCall,
) -> Result<Option<Refusal>, ApiError> {
    let Some(template) = gateway
        .templates
        .find(&gateway.services, up.project.id, &call.name)
        .await?
    else {
        return Ok(unknown_at_meta(up, call));
    };
    Ok(library::check_call(&template, &call.language, call.body_parameters).err())
}

fn unknown_at_meta(up: &Upstream, call: &TemplateCall) -> Option<Refusal> {
    let Access::Cloud(number) = &up.access else {
        return None;
    };
    let read = number.templates_synced_at?;
    let message = format!(
        "Template '{}' is not in this number's library at Meta (read {}). Use one of its \
         templates (GET /v1/configs/templates lists them), or have it created and approved \
         first.",
        call.name,
        rules::time::format_utc(read)
    );
    Some(Refusal {
        code: 2001,
        check: "template_name",
        field: Some("template.name".into()),
        message,
    })
}
