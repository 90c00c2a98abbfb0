//! `GET /export/messages?<the messages page's filters>`: exactly the rows the page would
//! list (every page of them), streamed a batch at a time so memory stays flat.

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::{Actor, Services};
use http::{StatusCode, header};
use rules::messages::MessageFilter;

pub async fn messages_csv(State(services): State<Services>, actor: Option<axum::Extension<Actor>>, Query(query): Query<Vec<(String, String)>>) -> Response {
    let Some(axum::Extension(actor)) = actor else { return StatusCode::UNAUTHORIZED.into_response() };
    let get = |k: &str| query.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let (filter, errors) = MessageFilter::from_query(get);
    if let Some(e) = errors.0.first() {
        return (StatusCode::BAD_REQUEST, format!("{}: {}\n", e.field, e.message)).into_response();
    }
    // Checks the project filter (404 for someone else's) before the 200 goes out.
    let mut batches = match domain::message_search::Batches::new(&services, &actor, &filter).await {
        Ok(b) => b,
        Err(e) => {
            let e = app::AppError::from(e);
            return (StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), format!("{e}\n")).into_response();
        }
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::spawn(async move {
        let _ = tx.send(Ok(Bytes::from_static(domain::message_search::CSV_HEADER.as_bytes()))).await;
        loop {
            let chunk = match batches.next().await {
                Ok(Some(rows)) => Ok(Bytes::from(rows.iter().map(domain::message_search::csv_line).collect::<String>())),
                Ok(None) => return,
                Err(e) => {
                    tracing::error!(error = %e, "CSV export failed part way");
                    Err(std::io::Error::other("export failed"))
                }
            };
            let failed = chunk.is_err();
            // Stops when the client goes away, or after reporting a failure.
            if tx.send(chunk).await.is_err() || failed {
                return;
            }
        }
    });
    let stream = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    (
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"messages.csv\""), (header::CACHE_CONTROL, "no-store")],
        Body::from_stream(stream),
    )
        .into_response()
}
