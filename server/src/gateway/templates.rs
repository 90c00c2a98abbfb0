//! The template library in the gateway: `GET /v1/configs/templates` lists the project's
//! approved templates, and `POST /v1/messages` with `type: template` is checked against
//! the library before it goes upstream (2001 unknown language, 2000 wrong parameters).
//! Lookups are cached like keys: dropped at once when this instance changes a library,
//! within the cache time when another instance does.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::response::{IntoResponse, Response};
use domain::platform::cache::Recent;
use domain::projects::keys::KeyGrant;
use http::{Method, StatusCode};
use rules::api::message::{Refusal, TemplateCall};
use rules::templates::library::{self, TemplateInput};
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

/// Recently looked-up templates by (project, name), including "not in the library".
pub struct Cache(Recent<(i64, String), Option<Arc<TemplateInput>>>);

impl Cache {
    pub fn new(ttl: Duration) -> Self {
        Cache(Recent::new(ttl))
    }

    async fn find(
        &self,
        services: &domain::Services,
        project_id: i64,
        name: &str,
    ) -> domain::Result<Option<Arc<TemplateInput>>> {
        let load = async {
            Ok(
                domain::templates::library::find(&services.db, project_id, name)
                    .await?
                    .map(Arc::new),
            )
        };
        self.0
            .get_or_load((project_id, name.to_owned()), &services.changes, load)
            .await
    }
}
