//! The overview's numbers, computed from the message log and the forwarding queue over
//! the projects the actor may see.

use std::collections::BTreeMap;

use rules::messages::stats::{Bucket, FailingEndpoint, Overview, ProjectSummary, Range};
use sqlx::Row;

use crate::messages::counts::HOUR_MS;
use crate::projects::settings;
use crate::{Actor, Result, Services};

pub async fn overview(
    services: &Services,
    actor: &Actor,
    range: Range,
    project_id: Option<i64>,
    now: i64,
) -> Result<Overview> {
    let visible: Vec<rules::projects::settings::Project> = match project_id {
        Some(id) => vec![settings::get(services, actor, id).await?],
        None => settings::list(services, actor).await?,
    };
    let names: BTreeMap<i64, String> = visible.iter().map(|p| (p.id, p.name.clone())).collect();
    let scope = if visible.is_empty() {
        "NULL".to_owned()
    } else {
        names
            .keys()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let (width, count) = range.buckets();
    let since = range.since(now);
    let pool = services.db.pool();

    let mut buckets: Vec<Bucket> = (0..count)
        .map(|i| Bucket {
            start: since + i * width,
            ..Bucket::default()
        })
        .collect();
    let mut per_project: BTreeMap<i64, Bucket> = BTreeMap::new();
    let mut codes: BTreeMap<u32, i64> = BTreeMap::new();
    // The running counts (see message_counts), not the log, summed by the database so
    // only a few hundred rows come back whatever the traffic.
    let counts = |group: &str| {
        format!(
            "SELECT {group}, CAST(SUM(n) AS BIGINT) AS n FROM message_counts WHERE hour >= $1 AND project_id IN ({scope}) GROUP BY {group} HAVING SUM(n) <> 0"
        )
    };
    let first_hour = since.div_euclid(HOUR_MS);
    let hours_per_slot = width / HOUR_MS;
    for r in sqlx::query(&counts(&format!(
        "(hour - {first_hour}) / {hours_per_slot}, status"
    )))
    .bind(first_hour)
    .fetch_all(pool)
    .await?
    {
        let (slot, status, n): (i64, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get("n")?);
        if let Some(b) = usize::try_from(slot).ok().and_then(|s| buckets.get_mut(s)) {
            b.add(&status, n);
        }
    }
    for r in sqlx::query(&counts("project_id, status"))
        .bind(first_hour)
        .fetch_all(pool)
        .await?
    {
        per_project
            .entry(r.try_get("project_id")?)
            .or_default()
            .add(&r.try_get::<String, _>("status")?, r.try_get("n")?);
    }
    for r in sqlx::query(&counts("error_codes"))
        .bind(first_hour)
        .fetch_all(pool)
        .await?
    {
        let n: i64 = r.try_get("n")?;
        for code in rules::messages::log::codes(&r.try_get::<String, _>("error_codes")?) {
            *codes.entry(code).or_default() += n;
        }
    }
    let mut totals = Bucket {
        start: since,
        ..Bucket::default()
    };
    for b in &buckets {
        totals.merge(b);
    }
    let mut top_codes: Vec<(u32, i64)> = codes.into_iter().filter(|(_, n)| *n > 0).collect();
    top_codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top_codes.truncate(8);

    let queue_depth: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND project_id IN ({scope})"
    ))
    .fetch_one(pool)
    .await?;
    let failing = failing_endpoints(services, &scope, &names).await?;
    let projects = names
        .iter()
        .map(|(id, name)| ProjectSummary {
            project_id: *id,
            project_name: name.clone(),
            totals: per_project.remove(id).unwrap_or_default(),
        })
        .collect();
    Ok(Overview {
        range,
        project_id,
        buckets,
        totals,
        top_codes,
        projects,
        queue_depth,
        failing,
    })
}

/// Webhooks with deliveries retrying or given up, worst first, with the latest error.
async fn failing_endpoints(
    services: &Services,
    scope: &str,
    names: &BTreeMap<i64, String>,
) -> Result<Vec<FailingEndpoint>> {
    let rows = sqlx::query(&format!(
        "SELECT d.project_id, SUM(CASE WHEN d.status = 'pending' THEN 1 ELSE 0 END) AS retrying, SUM(CASE WHEN d.status = 'dead' THEN 1 ELSE 0 END) AS dead,
                MAX(d.id) AS latest, w.url
         FROM deliveries d JOIN webhook_configs w ON w.project_id = d.project_id
         WHERE d.project_id IN ({scope}) AND (d.status = 'dead' OR (d.status = 'pending' AND d.attempts > 0))
         GROUP BY d.project_id, w.url ORDER BY dead DESC, retrying DESC"
    ))
    .fetch_all(services.db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let project_id: i64 = r.try_get("project_id")?;
        let latest: i64 = r.try_get("latest")?;
        let last_error = sqlx::query("SELECT http_status, error FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(latest)
            .fetch_optional(services.db.pool())
            .await?
            .map(|a| -> Result<String> {
                let status: Option<i64> = a.try_get("http_status")?;
                let error: Option<String> = a.try_get("error")?;
                Ok(error.unwrap_or_else(|| status.map(|s| format!("HTTP {s}")).unwrap_or_default()))
            })
            .transpose()?;
        out.push(FailingEndpoint {
            project_id,
            project_name: names.get(&project_id).cloned().unwrap_or_default(),
            url: r.try_get("url")?,
            retrying: r.try_get("retrying")?,
            dead: r.try_get("dead")?,
            last_error,
        });
    }
    Ok(out)
}
