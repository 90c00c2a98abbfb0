//! Console sessions: who a session belongs to (and whether it still counts once the
//! password changed), and the sessions themselves kept in the database (they survive
//! restarts and are shared by every instance), as a `tower-sessions` store over the same
//! pool as everything else.

use async_trait::async_trait;
use sqlx::Row;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::accounts::users::{COLUMNS, actor, from_row};
use crate::platform::db::now_ms;
use crate::{Actor, Db, Error};

/// Who a console session belongs to: the user, and when their password last changed as
/// of the login (a session from before a change no longer counts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionUser {
    pub id: i64,
    pub credentials_at: i64,
}

/// The session to start for a user who just proved their password.
pub async fn session_for(db: &Db, id: i64) -> crate::Result<SessionUser> {
    let credentials_at: i64 =
        sqlx::query_scalar("SELECT credentials_changed_at FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(db.pool())
            .await?;
    Ok(SessionUser { id, credentials_at })
}

/// The acting user behind a session, if the account still exists, is enabled, and its
/// password has not changed since the session began.
pub async fn session_actor(db: &Db, session: SessionUser) -> crate::Result<Actor> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS}, credentials_changed_at FROM users WHERE id = $1"
    ))
    .bind(session.id)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Err(Error::Unauthenticated);
    };
    let user = from_row(&row)?;
    if user.disabled || row.try_get::<i64, _>("credentials_changed_at")? != session.credentials_at {
        return Err(Error::Unauthenticated);
    }
    Ok(actor(&user))
}

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }

    /// Removes expired sessions; run periodically.
    pub async fn delete_expired(&self) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now_ms())
            .execute(self.db.pool())
            .await?;
        Ok(done.rows_affected())
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn expiry_ms(record: &Record) -> i64 {
    (record.expiry_date.unix_timestamp_nanos() / 1_000_000) as i64
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data).map_err(backend)?;
        // A fresh id on the rare collision, so one session never overwrites another.
        loop {
            let inserted = sqlx::query("INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING")
                .bind(record.id.to_string())
                .bind(&data)
                .bind(expiry_ms(record))
                .execute(self.db.pool())
                .await
                .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(record.id.to_string())
        .bind(serde_json::to_string(&record.data).map_err(backend)?)
        .bind(expiry_ms(record))
        .execute(self.db.pool())
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row =
            sqlx::query("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(id.to_string())
                .bind(now_ms())
                .fetch_optional(self.db.pool())
                .await
                .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let data: String = row.try_get("data").map_err(backend)?;
        let expires_at: i64 = row.try_get("expires_at").map_err(backend)?;
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&data).map_err(backend)?,
            expiry_date: time::OffsetDateTime::from_unix_timestamp_nanos(
                i128::from(expires_at) * 1_000_000,
            )
            .map_err(backend)?,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(self.db.pool())
            .await
            .map_err(backend)?;
        Ok(())
    }
}
