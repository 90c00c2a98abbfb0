//! `/meta/{app-id}/webhook`: what Meta sends a Meta app's callback URL. `GET` is the
//! subscription handshake (`hub.challenge` back when `hub.verify_token` is the app's,
//! 403 otherwise); every `POST` must carry the app secret's signature of its exact bytes
//! (403 and nothing stored otherwise), and is stored before it is acknowledged.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};
use subtle::ConstantTimeEq;

use domain::cloud::intake::{HEALTH_FIELDS, TEMPLATE_FIELDS};

use super::intake::Intake;
use crate::gateway::meta_refresh::Read;

const MAX_BODY: usize = 3 * 1024 * 1024;

pub async fn handshake(
    State(intake): State<Arc<Intake>>,
    Path(app_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let app = match intake.meta_app(&app_id).await {
        Ok(Some(app)) => app,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return unavailable(&e),
    };
    let given = query
        .get("hub.verify_token")
        .map(String::as_str)
        .unwrap_or_default();
    let subscribing = query.get("hub.mode").is_some_and(|m| m == "subscribe");
    let matches = bool::from(given.as_bytes().ct_eq(app.verify_token.as_bytes()));
    match (subscribing && matches, query.get("hub.challenge")) {
        (true, Some(challenge)) => challenge.clone().into_response(),
        _ => {
            tracing::warn!(app_id, "a webhook handshake with a wrong verify token");
            StatusCode::FORBIDDEN.into_response()
        }
    }
}

pub async fn receive(
    State(intake): State<Arc<Intake>>,
    Path(app_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let app = match intake.meta_app(&app_id).await {
        Ok(Some(app)) => app,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return unavailable(&e),
    };
    if body.len() > MAX_BODY {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let signature = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    if !domain::cloud::intake::signature_matches(&app.app_secret, &body, signature) {
        tracing::warn!(app_id, "refused a notification without the app's signature");
        return StatusCode::FORBIDDEN.into_response();
    }
    let services = &intake.gateway.services;
    let split = match domain::cloud::intake::split(services, &intake.numbers, app.id, &body).await {
        Ok(split) => split,
        Err(e) => return unavailable(&e),
    };
    let reads = [
        (Read::Templates, split.changed(&TEMPLATE_FIELDS)),
        (Read::Health, split.changed(&HEALTH_FIELDS)),
    ];
    let notices = split.notices();
    if intake.take(split).await {
        for (meta_app_id, waba_id, words) in notices {
            if let Err(e) =
                domain::projects::health::notice(services, meta_app_id, &waba_id, &words).await
            {
                tracing::warn!(error = %e.report(), "could not keep Meta's account notice");
            }
        }
        for (what, accounts) in reads {
            for (meta_app_id, waba_id) in accounts {
                read_again(&intake, what, meta_app_id, &waba_id).await;
            }
        }
        StatusCode::OK.into_response()
    } else {
        // Not stored, so not acknowledged: Meta tries again (for up to 7 days).
        StatusCode::SERVICE_UNAVAILABLE.into_response()
    }
}

/// Reads again what Meta's post says changed on an account (after the post is stored and
/// answered for): its template library (one read serves every number on it), or the health
/// of each of its numbers.
async fn read_again(intake: &Intake, what: Read, meta_app_id: i64, waba_id: &str) {
    let services = &intake.gateway.services;
    let numbers =
        match domain::projects::cloud::numbers_of_account(services, meta_app_id, waba_id).await {
            Ok(numbers) => numbers,
            Err(e) => return tracing::warn!(error = %e.report(), "could not find Meta's account"),
        };
    let take = if what == Read::Templates {
        1
    } else {
        numbers.len()
    };
    for (project_id, _) in numbers.into_iter().take(take) {
        intake
            .gateway
            .meta_refresh
            .soon(what, project_id, "Meta's notification");
    }
}

fn unavailable(e: &domain::Error) -> Response {
    tracing::error!(error = %e.report(), "could not take a notification from Meta");
    StatusCode::SERVICE_UNAVAILABLE.into_response()
}
