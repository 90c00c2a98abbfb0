//! `POST /inbound/{project}/{token}`: the upstream's notifications. The body is stored
//! durably before the 200, then processed in the background.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;

use super::worker::Notifier;
use crate::gateway::Gateway;

const MAX_BODY: usize = 1024 * 1024;

pub async fn receive(State((gateway, notifier)): State<(Arc<Gateway>, Notifier)>, Path((project_id, token)): Path<(i64, String)>, body: Bytes) -> Response {
    match domain::inbound::token_matches(&gateway.services, project_id, &token).await {
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
    let text = String::from_utf8_lossy(&body);
    match domain::inbound::store(&gateway.services.db, project_id, &text).await {
        Ok(_) => {
            notifier.notify_processor();
            StatusCode::OK.into_response()
        }
        Err(e) => {
            // Not stored, so not acknowledged: the upstream retries.
            tracing::error!(error = %e, project = project_id, "could not store a notification");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
