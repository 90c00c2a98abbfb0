//! Jobs that run once across every instance sharing the database: a lease row per job,
//! taken with one conditional UPDATE (atomic on SQLite and PostgreSQL alike).

use std::time::Duration;

use crate::platform::db::now_ms;
use crate::{Db, Result};

pub const MESSAGE_RETENTION: &str = "message_retention";
pub const TEMPLATE_SYNC: &str = "template_sync";
pub const NUMBER_HEALTH: &str = "number_health";

/// Takes `job`'s lease for `period` when nobody holds it; true when this caller got it.
pub async fn take_lease(db: &Db, job: &str, holder: &str, period: Duration) -> Result<bool> {
    let now = now_ms();
    let taken = sqlx::query(
        "UPDATE job_leases SET holder = $1, until = $2 WHERE name = $3 AND until <= $4",
    )
    .bind(holder)
    .bind(now + period.as_millis() as i64)
    .bind(job)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(taken.rows_affected() == 1)
}
