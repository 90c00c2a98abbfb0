//! Running counts of the message log per project, hour, status and error codes: every
//! write to `messages` (new rows, status changes, purges) adjusts them in the same
//! transaction, and the overview reads them instead of the log itself.

use std::collections::BTreeMap;

use sqlx::{Any, Executor};

use crate::Result;

pub use rules::time::HOUR_MS;

/// Changes to apply: (project, hour, status, error codes) → how many more (or fewer).
#[derive(Debug, Default)]
pub struct Deltas(BTreeMap<(i64, i64, String, String), i64>);

impl Deltas {
    pub fn add(
        &mut self,
        project_id: i64,
        created_at: i64,
        status: &str,
        error_codes: &str,
        n: i64,
    ) {
        *self
            .0
            .entry((
                project_id,
                created_at.div_euclid(HOUR_MS),
                status.to_owned(),
                error_codes.to_owned(),
            ))
            .or_default() += n;
    }

    /// Applies the changes (one statement for all of them).
    pub async fn apply<'e, E: Executor<'e, Database = Any>>(self, executor: E) -> Result<()> {
        let changes: Vec<_> = self.0.into_iter().filter(|(_, n)| *n != 0).collect();
        if changes.is_empty() {
            return Ok(());
        }
        let values: Vec<String> = (0..changes.len())
            .map(|i| {
                format!(
                    "(${}, ${}, ${}, ${}, ${})",
                    5 * i + 1,
                    5 * i + 2,
                    5 * i + 3,
                    5 * i + 4,
                    5 * i + 5
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO message_counts (project_id, hour, status, error_codes, n) VALUES {}
             ON CONFLICT (project_id, hour, status, error_codes) DO UPDATE SET n = message_counts.n + excluded.n",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for ((project, hour, status, codes), n) in changes {
            query = query
                .bind(project)
                .bind(hour)
                .bind(status)
                .bind(codes)
                .bind(n);
        }
        query.execute(executor).await?;
        Ok(())
    }
}

/// Messages whose error codes match `pattern` (`%,CODE,%`) from `hour` on, in the
/// organization `scope` (`None`: all).
pub async fn with_code_from_hour<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    pattern: &str,
    hour: i64,
    scope: Option<i64>,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM message_counts c JOIN projects p ON p.id = c.project_id
         WHERE c.hour >= $1 AND (',' || c.error_codes || ',') LIKE $2 AND ($3 IS NULL OR p.organization_id = $3)",
    )
    .bind(hour)
    .bind(pattern)
    .bind(scope)
    .fetch_one(executor)
    .await?)
}

/// Forgets the counts of hours wholly before `cutoff` (the log's rows there are purged).
pub async fn purge_before<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    cutoff: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM message_counts WHERE hour < $1")
        .bind(cutoff.div_euclid(HOUR_MS))
        .execute(executor)
        .await?;
    Ok(())
}
