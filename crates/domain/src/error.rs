//! The one error type of the server side. The console maps it to typed errors for the
//! browser and the gateway maps it to the seed's envelope, each in one place.

use rules::FieldErrors;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not there, or not this caller's to see: both answer the same so nothing leaks.
    #[error("not found")]
    NotFound,
    /// The caller is known but their role may not do this.
    #[error("forbidden")]
    Forbidden,
    #[error("not logged in")]
    Unauthenticated,
    /// Input that fails validation, field by field.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// Too many failed attempts; try again after this many seconds.
    #[error("too many attempts")]
    Throttled { retry_after_secs: i64 },
    /// The project's upstream failed or refused; the text says so in plain words.
    #[error("upstream: {0}")]
    Upstream(String),
    /// Anything unexpected: logged with its cause, never shown to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        Error::Invalid(errors)
    }

    pub fn internal(context: &str, cause: impl std::fmt::Display) -> Self {
        Error::Internal(format!("{context}: {cause}"))
    }
}

impl From<FieldErrors> for Error {
    fn from(errors: FieldErrors) -> Self {
        Error::Invalid(errors)
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::internal("database", e)
    }
}

/// True when `e` is a unique-constraint violation, so callers can turn it into a field error.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}
