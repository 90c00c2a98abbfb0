//! Contacts per project and when each last wrote to the business: the 24-hour window.

use sqlx::{Any, Executor};

use crate::{Db, Result};

pub const WINDOW_MS: i64 = rules::time::DAY_MS;

/// Records an inbound message from `wa_id` at `at` (keeps the latest time).
pub async fn record_inbound<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    project_id: i64,
    wa_id: &str,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO contacts (project_id, wa_id, last_inbound_at) VALUES ($1, $2, $3)
         ON CONFLICT (project_id, wa_id) DO UPDATE SET last_inbound_at = excluded.last_inbound_at
         WHERE excluded.last_inbound_at > contacts.last_inbound_at",
    )
    .bind(project_id)
    .bind(wa_id)
    .bind(at)
    .execute(executor)
    .await?;
    Ok(())
}

pub async fn last_inbound(db: &Db, project_id: i64, wa_id: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT last_inbound_at FROM contacts WHERE project_id = $1 AND wa_id = $2",
    )
    .bind(project_id)
    .bind(wa_id)
    .fetch_optional(db.pool())
    .await?)
}
