//! `POST /inbound/{project}/{token}`: an On-Premises client's notifications. The body is
//! stored (and processed) before the 200.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::cloud::intake::Split;
use http::StatusCode;

use super::intake::Intake;

const MAX_BODY: usize = 1024 * 1024;

pub async fn receive(
    State(intake): State<Arc<Intake>>,
    Path((project_id, token)): Path<(i64, String)>,
    body: Bytes,
) -> Response {
    let services = &intake.gateway.services;
    match domain::webhooks::inbound::token_matches(services, &intake.tokens, project_id, &token)
        .await
    {
        Ok(true) => {}
        Ok(false) => return (StatusCode::NOT_FOUND, "unknown inbound URL").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not check an inbound token");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    }
    if body.len() > MAX_BODY {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let post = Split::one(project_id, String::from_utf8_lossy(&body).into_owned());
    if intake.take(post).await {
        StatusCode::OK.into_response()
    } else {
        // Not stored, so not acknowledged: the upstream retries.
        StatusCode::SERVICE_UNAVAILABLE.into_response()
    }
}
