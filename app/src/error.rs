//! The console's error type: what a server function can answer, typed so it reaches the
//! browser intact. Mapped from the domain's error in one place (below).

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use rules::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please log in to continue.")]
    Unauthenticated,
    #[error("Your role does not allow this.")]
    Forbidden,
    #[error("Not found, or not yours to see.")]
    NotFound,
    /// The server's own words (each field's message), whether or not the form has the field.
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error(
        "Too many failed attempts. Try again in {}.",
        rules::text::count(((.0 + 59) / 60).max(1) as u64, "minute", "minutes")
    )]
    Throttled(i64),
    #[error(
        "This form has expired (or did not come from this console). Reload the page and try again."
    )]
    Csrf,
    #[error("{0}")]
    Upstream(String),
    #[error("Something went wrong on our side. It has been logged; please try again.")]
    Internal,
    #[error("The request could not be completed: {0}")]
    Request(String),
}

impl AppError {
    /// The HTTP status for plain (non-server-function) answers such as downloads.
    pub fn http_status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden | AppError::Csrf => 403,
            AppError::NotFound => 404,
            AppError::Invalid(_) | AppError::Request(_) => 400,
            AppError::Throttled(_) => 429,
            AppError::Upstream(_) => 502,
            AppError::Internal => 500,
        }
    }

    /// This error as a server function's answer: the HTTP response gets the status the
    /// error means (rather than the 500 Leptos gives every error), so a wrong password
    /// never counts as a server failure. Every conversion to `AppError` on the server ends
    /// here.
    #[cfg(feature = "ssr")]
    pub fn answered(self) -> Self {
        crate::api::ctx::set_error_status(self.http_status());
        self
    }

    /// The field errors, if this is a validation failure.
    pub fn fields(&self) -> FieldErrors {
        match self {
            AppError::Invalid(f) => f.clone(),
            _ => FieldErrors::default(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<domain::Error> for AppError {
    fn from(e: domain::Error) -> Self {
        use domain::Error as E;
        let error = match e {
            E::NotFound => AppError::NotFound,
            E::Forbidden => AppError::Forbidden,
            E::Unauthenticated => AppError::Unauthenticated,
            E::Invalid(f) => AppError::Invalid(f),
            E::Throttled { retry_after_secs } => AppError::Throttled(retry_after_secs),
            E::Upstream(message) => AppError::Upstream(message),
            e @ (E::Database(_) | E::Internal(_)) => {
                tracing::error!(error = %e.report(), "internal error in a console request");
                AppError::Internal
            }
        };
        error.answered()
    }
}
