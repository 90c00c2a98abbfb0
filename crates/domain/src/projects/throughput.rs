//! A Cloud number's messages per second, shared by every instance on the database: each
//! instance takes slices of the current second's budget with one conditional write (the
//! sum of slices never passes the number's level) and spends them from memory.

use crate::{Db, Result};

/// Takes up to `want` sends of `project_id`'s budget for `second` (a Unix second) when
/// `limit` allows; returns how many were granted (0: the second's budget is spent).
pub async fn take(db: &Db, project_id: i64, second: i64, want: i64, limit: i64) -> Result<i64> {
    for ask in [want.min(limit), 1] {
        let taken: Option<i64> = sqlx::query_scalar(
            "INSERT INTO number_throughput (project_id, at_second, taken) VALUES ($1, $2, $3)
             ON CONFLICT (project_id, at_second) DO UPDATE
                SET taken = number_throughput.taken + excluded.taken
                WHERE number_throughput.taken + excluded.taken <= $4
             RETURNING taken",
        )
        .bind(project_id)
        .bind(second)
        .bind(ask)
        .bind(limit)
        .fetch_optional(db.pool())
        .await?;
        if taken.is_some() {
            return Ok(ask);
        }
        if ask == 1 {
            break;
        }
    }
    Ok(0)
}

/// Forgets the budgets of seconds before `second`.
pub async fn forget_before(db: &Db, second: i64) -> Result<()> {
    sqlx::query("DELETE FROM number_throughput WHERE at_second < $1")
        .bind(second)
        .execute(db.pool())
        .await?;
    Ok(())
}
