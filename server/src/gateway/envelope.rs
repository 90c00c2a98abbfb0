//! The seed's error envelope, built in one place for every answer the gateway gives itself:
//! `{"meta":{"success":false,"http_code":N,"developer_message":"...","details":[...]}}`
//! (`details` only on 4xx, as the seed shows).

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use rules::api::message::Refusal;
use serde_json::json;

#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub details: Vec<String>,
    /// When to try again (`Retry-After`, in whole seconds, rounded up).
    pub retry_after: Option<std::time::Duration>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>, details: Vec<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            details,
            retry_after: None,
        }
    }

    /// The same answer, saying when to try again.
    pub fn retry_after(mut self, wait: std::time::Duration) -> Self {
        self.retry_after = Some(wait);
        self
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message, vec!["401".into()])
    }

    pub fn blocked(path: &str, instead: Option<&str>) -> Self {
        let message = match instead {
            Some(other) => {
                format!("{path} is not available through this API. Use {other} instead.")
            }
            None => format!("{path} is not available through this API (blacklisted)."),
        };
        let mut details = vec!["403".to_owned(), format!("blocked path: {path}")];
        details.extend(instead.map(|i| format!("use instead: {i}")));
        Self::new(StatusCode::FORBIDDEN, message, details)
    }

    pub fn bad_path(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message, vec!["400".into()])
    }

    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "The JSON body is larger than {limit} bytes. Send media with POST /v1/media or as a link."
            ),
            vec!["413".into()],
        )
    }

    pub fn refusal(r: &Refusal) -> Self {
        let mut details = vec![r.code.to_string()];
        details.extend(r.field.as_ref().map(|f| format!("field: {f}")));
        Self::new(StatusCode::BAD_REQUEST, r.message.clone(), details)
    }

    pub fn bad_gateway(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_GATEWAY, message, vec![])
    }

    pub fn gateway_timeout(message: impl Into<String>) -> Self {
        Self::new(StatusCode::GATEWAY_TIMEOUT, message, vec![])
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong in the gateway. It has been logged; please retry.",
            vec![],
        )
    }
}

impl From<domain::Error> for ApiError {
    fn from(e: domain::Error) -> Self {
        match e {
            domain::Error::NotFound => {
                Self::new(StatusCode::NOT_FOUND, "Not found.", vec!["404".into()])
            }
            domain::Error::Invalid(fields) => {
                let message = fields
                    .0
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join(" ");
                Self::new(
                    StatusCode::BAD_REQUEST,
                    message,
                    fields
                        .0
                        .iter()
                        .map(|f| format!("field: {}", f.field))
                        .collect(),
                )
            }
            domain::Error::Unauthenticated | domain::Error::Forbidden => {
                Self::unauthorized("This API key may not do that.")
            }
            domain::Error::Upstream(message) => Self::bad_gateway(message),
            domain::Error::Throttled { retry_after_secs } => Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests; retry later.",
                vec!["429".into()],
            )
            .retry_after(std::time::Duration::from_secs(
                retry_after_secs.max(1).unsigned_abs(),
            )),
            e @ (domain::Error::Database(_) | domain::Error::Internal(_)) => {
                tracing::error!(error = %e.report(), "internal error in the gateway");
                Self::internal()
            }
        }
    }
}

impl From<domain::upstream::client::UpstreamError> for ApiError {
    fn from(e: domain::upstream::client::UpstreamError) -> Self {
        use domain::upstream::client::UpstreamError as U;
        let later = "Retry later; if it persists, contact customer success.";
        match e {
            U::Timeout(doing) => Self::gateway_timeout(format!(
                "The project's WhatsApp client did not answer in time while {doing}. {later}"
            )),
            U::Unreachable(doing) => Self::bad_gateway(format!(
                "The project's WhatsApp client could not be reached while {doing} (connection refused or reset). {later}"
            )),
            U::LoginRefused(status) => Self::bad_gateway(format!(
                "The gateway could not log in to this project's WhatsApp client (it answered {status}). Customer success has to check the project's upstream credentials."
            )),
            U::BadAnswer(what) => Self::bad_gateway(format!(
                "The project's WhatsApp client gave an answer the gateway could not read ({what}). {later}"
            )),
            U::BadUrl => Self::bad_gateway(
                "This project's upstream URL is not valid. Customer success has to correct it.",
            ),
            U::NoCloudTwin(what) => Self::new(
                StatusCode::NOT_FOUND,
                format!(
                    "{what} has no equivalent on the WhatsApp Cloud API, which this number runs \
                     on (Meta retired the On-Premises API on 2025-10-23)."
                ),
                vec!["404".into()],
            ),
            U::SessionExpired => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "The upstream session expired during this upload. Send the upload again.",
                vec!["503".into()],
            ),
            U::Domain(e) => e.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut meta = json!({"success": false, "http_code": self.status.as_u16(), "developer_message": self.message});
        if !self.status.is_server_error() {
            meta["details"] = json!(self.details);
        }
        let mut response = (self.status, Json(json!({ "meta": meta }))).into_response();
        if let Some(wait) = self.retry_after {
            let seconds = wait.as_millis().div_ceil(1000).max(1) as u64;
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
