//! `POST /inbound/{project}/{token}`: the upstream's notifications. The body is stored
//! durably before the 200, then processed in the background.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;

use super::worker::Notifier;
use crate::batch::Batcher;
use crate::gateway::Gateway;

const MAX_BODY: usize = 1024 * 1024;

/// Stores notifications in groups: each request still waits until its own is on disk.
pub type Store = Arc<Batcher<(i64, String)>>;

pub fn store(gateway: &Arc<Gateway>) -> Store {
    let db = gateway.services.db.clone();
    Arc::new(Batcher::start(
        200,
        800,
        move |batch: Vec<(i64, String)>| {
            let db = db.clone();
            async move {
                match domain::webhooks::inbound::store(&db, &batch).await {
                    Ok(()) => true,
                    Err(e) => {
                        tracing::error!(error = %e, count = batch.len(), "could not store notifications");
                        false
                    }
                }
            }
        },
    ))
}

pub async fn receive(
    State((gateway, notifier, store)): State<(Arc<Gateway>, Notifier, Store)>,
    Path((project_id, token)): Path<(i64, String)>,
    body: Bytes,
) -> Response {
    match domain::webhooks::inbound::token_matches(&gateway.services, project_id, &token).await {
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
    if store
        .submit((project_id, String::from_utf8_lossy(&body).into_owned()))
        .await
    {
        notifier.notify_processor();
        StatusCode::OK.into_response()
    } else {
        // Not stored, so not acknowledged: the upstream retries.
        StatusCode::SERVICE_UNAVAILABLE.into_response()
    }
}
