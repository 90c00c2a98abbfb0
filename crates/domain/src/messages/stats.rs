//! The overview's numbers, computed from the message log and the forwarding queue over
//! the projects the actor may see.

use std::collections::BTreeMap;

use rules::messages::stats::{Bucket, FailingEndpoint, Overview, ProjectSummary, Range};
use rules::zone::Zone;
use sqlx::Row;

use crate::messages::counts::HOUR_MS;
use crate::projects::settings;
use crate::{Actor, Db, Result, Services};

pub async fn overview(
    services: &Services,
    actor: &Actor,
    range: Range,
    project_id: Option<i64>,
    now: i64,
    zone: &Zone,
) -> Result<Overview> {
    let visible: Vec<rules::projects::settings::Project> = match project_id {
        Some(id) => vec![settings::get(services, actor, id).await?],
        None => settings::list(services, actor).await?,
    };
    let names: BTreeMap<i64, String> = visible.iter().map(|p| (p.id, p.name.clone())).collect();
    let ids: Vec<i64> = names.keys().copied().collect();
    let starts = range.starts_in(now, zone);
    let since = starts[0];
    let pool = services.db.pool();

    let mut buckets: Vec<Bucket> = starts
        .iter()
        .map(|&start| Bucket {
            start,
            label: range.label_in(start, zone),
            ..Bucket::default()
        })
        .collect();
    let mut per_project: BTreeMap<i64, Bucket> = BTreeMap::new();
    let mut codes: BTreeMap<u32, i64> = BTreeMap::new();
    // The running counts (see message_counts), not the log, summed by the database so
    // only a few hundred rows come back whatever the traffic. $1 is the first hour, the
    // projects' ids follow; the chart's query also binds the hours its slots end at, last.
    let scope = Db::list_placeholders(2, ids.len());
    let counts = |columns: &str, group: &str| {
        format!(
            r"SELECT {columns}, CAST(SUM(n) AS BIGINT) AS n FROM message_counts
              WHERE hour >= $1 AND project_id IN ({scope})
              GROUP BY {group} HAVING SUM(n) <> 0"
        )
    };
    let first_hour = since.div_euclid(HOUR_MS);
    // An hour counts in the slot its start falls in (a zone half an hour off UTC splits an
    // hour the counts do not: it goes to the earlier day).
    let ends: Vec<i64> = starts[1..]
        .iter()
        .map(|s| (s + HOUR_MS - 1).div_euclid(HOUR_MS))
        .collect();
    let run = |sql: String, ends: &[i64]| {
        let ids = &ids;
        let ends = ends.to_vec();
        async move {
            let mut query = sqlx::query(&sql).bind(first_hour);
            for id in ids {
                query = query.bind(*id);
            }
            for end in ends {
                query = query.bind(end);
            }
            query.fetch_all(pool).await
        }
    };
    let whens: String = (0..ends.len())
        .map(|i| format!("WHEN hour < ${} THEN {i} ", ids.len() + 2 + i))
        .collect();
    let slot = format!("CAST(CASE {whens}ELSE {} END AS BIGINT)", ends.len());
    let by_slot = counts(&format!("{slot} AS slot, status"), "1, status");
    for r in run(by_slot, &ends).await? {
        let (slot, status, n): (i64, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get("n")?);
        if let Some(b) = usize::try_from(slot).ok().and_then(|s| buckets.get_mut(s)) {
            b.add(&status, n);
        }
    }
    for r in run(counts("project_id, status", "project_id, status"), &[]).await? {
        per_project
            .entry(r.try_get("project_id")?)
            .or_default()
            .add(&r.try_get::<String, _>("status")?, r.try_get("n")?);
    }
    for r in run(counts("error_codes", "error_codes"), &[]).await? {
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
    let limits = rules::messages::stats::LIMIT_CODES
        .iter()
        .map(|c| (*c, codes.get(c).copied().unwrap_or(0)))
        .collect();
    let mut top_codes: Vec<(u32, i64)> = codes.into_iter().filter(|(_, n)| *n > 0).collect();
    top_codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top_codes.truncate(8);

    let in_scope = Db::list_placeholders(1, ids.len());
    let depth_sql = format!(
        "SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND project_id IN ({in_scope})"
    );
    let mut depth = sqlx::query_scalar(&depth_sql);
    for id in &ids {
        depth = depth.bind(*id);
    }
    let queue_depth: i64 = depth.fetch_one(pool).await?;
    let failing = failing_endpoints(services, &ids, &names).await?;
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
        limits,
        projects,
        queue_depth,
        failing,
    })
}

/// Webhooks with deliveries retrying or given up, worst first, with the latest error.
async fn failing_endpoints(
    services: &Services,
    ids: &[i64],
    names: &BTreeMap<i64, String>,
) -> Result<Vec<FailingEndpoint>> {
    let scope = Db::list_placeholders(1, ids.len());
    let sql = format!(
        "SELECT d.project_id, SUM(CASE WHEN d.status = 'pending' THEN 1 ELSE 0 END) AS retrying, SUM(CASE WHEN d.status = 'dead' THEN 1 ELSE 0 END) AS dead,
                MAX(d.id) AS latest, w.url
         FROM deliveries d JOIN webhook_configs w ON w.project_id = d.project_id
         WHERE d.project_id IN ({scope}) AND (d.status = 'dead' OR (d.status = 'pending' AND d.attempts > 0))
         GROUP BY d.project_id, w.url ORDER BY dead DESC, retrying DESC"
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(services.db.pool()).await?;
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
