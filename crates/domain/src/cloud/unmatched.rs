//! Notifications Meta posted for phone-number-ids no Cloud project has. The intake keeps
//! them (acknowledged, for the retention period, never forwarded); admins see them
//! grouped by number, so a number set up at Meta but not here is visible, not lost.

use sqlx::Row;

use crate::{Actor, Result, Services};

pub use rules::cloud::UnmatchedNumber;

/// Each unknown number with how many changes it brought and when the last came, newest
/// first (admins).
pub async fn list(services: &Services, actor: &Actor, limit: i64) -> Result<Vec<UnmatchedNumber>> {
    actor.require_admin()?;
    let rows = sqlx::query(
        "SELECT a.app_id, c.phone_number_id, MAX(c.waba_id) AS waba_id,
                COUNT(*) AS changes, MAX(c.received_at) AS last_received_at
         FROM meta_changes c JOIN meta_apps a ON a.id = c.meta_app_id
         WHERE c.project_id IS NULL AND c.phone_number_id <> ''
         GROUP BY a.app_id, c.phone_number_id
         ORDER BY last_received_at DESC
         LIMIT $1",
    )
    .bind(limit)
    .fetch_all(services.db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(UnmatchedNumber {
                app_id: row.try_get("app_id")?,
                phone_number_id: row.try_get("phone_number_id")?,
                waba_id: row.try_get("waba_id")?,
                changes: row.try_get("changes")?,
                last_received_at: row.try_get("last_received_at")?,
            })
        })
        .collect()
}
