//! Downloads from the console (plain GET routes behind the same log-in gate): the
//! filtered message list as CSV, and a project's templates as JSON.

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::{Actor, Services};
use http::{StatusCode, header};
use rules::messages::log::MessageFilter;

/// `GET /export/messages?<the messages page's filters>`: exactly the rows the page would
/// list (every page of them), streamed a batch at a time so memory stays flat.
pub async fn messages_csv(
    State(services): State<Services>,
    actor: Option<axum::Extension<Actor>>,
    headers: http::HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let Some(axum::Extension(actor)) = actor else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let get = |k: &str| {
        query
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (filter, errors) = MessageFilter::from_query(get);
    if let Some(e) = errors.0.first() {
        return (
            StatusCode::BAD_REQUEST,
            format!("{}: {}\n", e.field, e.message),
        )
            .into_response();
    }
    // Checks the project filter (404 for someone else's) before the 200 goes out.
    let cookies = headers.get_all(header::COOKIE).iter();
    let zone = rules::zone::Zone::from_cookies(cookies.filter_map(|v| v.to_str().ok()));
    let mut batches =
        match domain::messages::csv::Batches::new(&services, &actor, &filter, &zone).await {
            Ok(b) => b,
            Err(e) => return error_response(e),
        };
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::spawn(async move {
        let _ = tx
            .send(Ok(Bytes::from_static(
                domain::messages::csv::CSV_HEADER.as_bytes(),
            )))
            .await;
        loop {
            let chunk = match batches.next().await {
                Ok(Some(rows)) => Ok(Bytes::from(
                    rows.iter()
                        .map(domain::messages::csv::csv_line)
                        .collect::<String>(),
                )),
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
    let stream = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"messages.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// `GET /export/templates?project=ID`: the project's templates as a JSON array, the
/// format `import_templates` reads back.
pub async fn templates_json(
    State(services): State<Services>,
    actor: Option<axum::Extension<Actor>>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let Some(axum::Extension(actor)) = actor else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Some(project_id) = query
        .iter()
        .find(|(k, _)| k == "project")
        .and_then(|(_, v)| v.parse::<i64>().ok())
    else {
        return (
            StatusCode::BAD_REQUEST,
            "Name the project: /export/templates?project=ID\n",
        )
            .into_response();
    };
    match domain::templates::library::list(&services, &actor, project_id).await {
        Ok(list) => {
            let inputs: Vec<_> = list.into_iter().map(|t| t.input).collect();
            let body = serde_json::to_string_pretty(&inputs).unwrap_or_else(|_| "[]".into());
            let file = format!("attachment; filename=\"templates-project-{project_id}.json\"");
            (
                [
                    (header::CONTENT_TYPE, "application/json".to_owned()),
                    (header::CONTENT_DISPOSITION, file),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                body,
            )
                .into_response()
        }
        Err(e) => error_response(e),
    }
}

fn error_response(e: domain::Error) -> Response {
    let e = app::AppError::from(e);
    (
        StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        format!("{e}\n"),
    )
        .into_response()
}
