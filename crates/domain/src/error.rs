//! The one error type of the server side. It keeps the cause of what went wrong (the
//! database error, the failed decryption…) so the 500 that follows can be logged with its
//! whole chain; the console maps it to typed errors for the browser and the gateway to the
//! seed's envelope, each in one place. Constraint violations become field errors in one
//! helper, [`Error::from_write`].

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
    /// The database failed: logged with its cause, never shown to the client.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// Anything else unexpected: logged with its cause, never shown to the client.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// A constraint a write may break, and the field error that explains it.
pub enum Violation<'a> {
    /// A unique constraint: the value is taken.
    Unique { field: &'a str, message: String },
    /// A foreign key: the row named does not exist.
    ForeignKey { field: &'a str, message: String },
}

impl Error {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        Error::Invalid(errors)
    }

    /// An unexpected failure, with what was being done and its cause.
    pub fn internal<E>(context: &'static str, cause: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Error::Internal(anyhow::Error::new(cause).context(context))
    }

    /// An unexpected failure that has no error value of its own.
    pub fn unexpected(what: &'static str) -> Self {
        Error::Internal(anyhow::anyhow!(what))
    }

    /// A failed write, with the constraint violations the caller expects turned into
    /// field errors (SQLite names no constraint, so the kind of violation decides).
    pub fn from_write(e: sqlx::Error, expected: Vec<Violation>) -> Self {
        let sqlx::Error::Database(db) = &e else {
            return e.into();
        };
        for violation in expected {
            match violation {
                Violation::Unique { field, message } if db.is_unique_violation() => {
                    return Error::field(field, message);
                }
                Violation::ForeignKey { field, message } if db.is_foreign_key_violation() => {
                    return Error::field(field, message);
                }
                _ => {}
            }
        }
        e.into()
    }

    /// The error and every cause under it, one after another, for the log.
    pub fn report(&self) -> String {
        let mut text = match self {
            Error::Internal(e) => return format!("{e:#}"),
            other => other.to_string(),
        };
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            text.push_str(": ");
            text.push_str(&c.to_string());
            cause = c.source();
        }
        text
    }

    /// Whether this is a failure of ours (500) rather than an answer to the caller.
    pub fn is_internal(&self) -> bool {
        matches!(self, Error::Database(_) | Error::Internal(_))
    }
}

impl From<FieldErrors> for Error {
    fn from(errors: FieldErrors) -> Self {
        Error::Invalid(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::{Error, Violation};
    use crate::Db;

    #[tokio::test]
    async fn a_database_error_keeps_its_cause_and_violations_become_field_errors() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        let insert = || {
            sqlx::query("INSERT INTO organizations (name, created_at) VALUES ('Acme', 0)")
                .execute(db.pool())
        };
        insert().await.unwrap();
        let taken = || Violation::Unique {
            field: "name",
            message: "taken".into(),
        };

        let e = Error::from_write(insert().await.unwrap_err(), vec![taken()]);
        assert!(
            matches!(&e, Error::Invalid(f) if f.get("name") == Some("taken")),
            "{e:?}"
        );

        let missing = || Violation::ForeignKey {
            field: "org",
            message: "gone".into(),
        };
        let e = Error::from_write(insert().await.unwrap_err(), vec![missing()]);
        assert!(e.is_internal());
        assert!(
            e.report().contains("UNIQUE constraint failed"),
            "{}",
            e.report()
        );
    }

    #[test]
    fn an_internal_error_reports_its_context_and_cause() {
        let cause = std::io::Error::other("disk on fire");
        let e = Error::internal("writing the key file", cause);
        assert_eq!(e.report(), "writing the key file: disk on fire");
    }
}
