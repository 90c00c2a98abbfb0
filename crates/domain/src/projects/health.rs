//! Each Cloud number's health as Meta sees it, kept with its timeline: read with
//! `GET /{phone-number-id}?fields=…` when staff press Check, in the background (every
//! `--number-health-every`, under a job lease) and at once on Meta's
//! `phone_number_quality_update` / `account_update` notifications. Every change is kept
//! (`number_health_changes`, shown on the project) and recorded in the audit log.

use rules::projects::health::{Attention, HealthChange, HealthView, NumberHealth};
use rules::projects::settings::UpstreamKind;
use serde_json::{Map, Value, json};
use sqlx::{Any, Transaction};

use crate::audit::{self, Change};
use crate::cloud::graph;
use crate::platform::db::now_ms;
use crate::projects::{cloud, settings, warmup};
use crate::{Actor, Result, Services};

/// How many changes the project page shows.
const TIMELINE: i64 = 20;

/// Reads the number's health from Meta now and keeps what changed (`source`: what asked).
pub async fn refresh(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    source: &str,
) -> Result<NumberHealth> {
    let number = cloud::number(services, project_id).await?;
    let answer = graph::check_number(services, &number).await?;
    let now = now_ms();
    let health = NumberHealth::from_graph(&answer, now);
    let mut tx = services.db.begin_write().await?;
    let before = stored(&mut tx, project_id).await?;
    write(&mut tx, project_id, &health).await?;
    let changes = health.changes_since(before.as_ref());
    if before.is_some() && !changes.is_empty() {
        for (field, was, is) in &changes {
            let change = (*field, was.as_str(), is.as_str());
            keep_change(&mut tx, project_id, now, change, source).await?;
        }
        let organization_id: i64 =
            sqlx::query_scalar("SELECT organization_id FROM projects WHERE id = $1")
                .bind(project_id)
                .fetch_one(&mut *tx)
                .await?;
        let side = |old: bool| {
            let map: Map<String, Value> = changes
                .iter()
                .map(|(field, was, is)| (field.to_string(), json!(if old { was } else { is })))
                .collect();
            Some(Value::Object(map))
        };
        let change = Change {
            action: "number.health_change",
            subject_type: "project",
            subject_id: Some(project_id),
            organization_id: Some(organization_id),
            project_id: Some(project_id),
            before: side(true),
            after: side(false),
        };
        audit::record(&mut *tx, actor, change).await?;
    }
    tx.commit().await?;
    services.changes.bump();
    Ok(health)
}

/// One change on a number's timeline: (field, before, after).
async fn keep_change(
    tx: &mut Transaction<'static, Any>,
    project_id: i64,
    at: i64,
    (field, was, is): (&str, &str, &str),
    source: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO number_health_changes (project_id, at, field, old_value, new_value, source)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(project_id)
    .bind(at)
    .bind(field)
    .bind(was)
    .bind(is)
    .bind(source)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Meta's `account_update` notice (in words, `rules::projects::notice`) on the timeline of
/// every number of the account, and in the audit log.
pub async fn notice(
    services: &Services,
    meta_app_id: i64,
    waba_id: &str,
    words: &str,
) -> Result<()> {
    let numbers = cloud::numbers_of_account(services, meta_app_id, waba_id).await?;
    let actor = Actor::background("Meta's notification");
    let now = now_ms();
    let mut tx = services.db.begin_write().await?;
    for (project_id, organization_id) in numbers {
        let change = (rules::projects::notice::FIELD, "", words);
        keep_change(&mut tx, project_id, now, change, "Meta's notification").await?;
        let change = Change {
            action: "number.meta_notice",
            subject_type: "project",
            subject_id: Some(project_id),
            organization_id: Some(organization_id),
            project_id: Some(project_id),
            before: None,
            after: Some(json!({ "notice": words })),
        };
        audit::record(&mut *tx, &actor, change).await?;
    }
    tx.commit().await?;
    services.changes.bump();
    Ok(())
}

/// The Check button (staff).
pub async fn check(services: &Services, actor: &Actor, project_id: i64) -> Result<NumberHealth> {
    let project = settings::get(services, actor, project_id).await?;
    actor.require_staff()?;
    if project.kind != UpstreamKind::Cloud {
        return Err(crate::Error::field(
            "project",
            "This number runs on an On-Premises client: Meta keeps no health for it.",
        ));
    }
    refresh(services, actor, project_id, "a check from the console").await
}

async fn stored(
    tx: &mut Transaction<'static, Any>,
    project_id: i64,
) -> Result<Option<NumberHealth>> {
    let row: Option<(String, String, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT verified_name, name_status, quality_rating, messaging_limit, throughput,
                account_status, checked_at
         FROM number_health WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| NumberHealth {
        verified_name: r.0,
        name_status: r.1,
        quality_rating: r.2,
        messaging_limit: r.3,
        throughput: r.4,
        account_status: r.5,
        checked_at: r.6,
    }))
}

async fn write(
    tx: &mut Transaction<'static, Any>,
    project_id: i64,
    h: &NumberHealth,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO number_health (project_id, verified_name, name_status, quality_rating,
                messaging_limit, throughput, account_status, checked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (project_id) DO UPDATE SET verified_name = excluded.verified_name,
                name_status = excluded.name_status, quality_rating = excluded.quality_rating,
                messaging_limit = excluded.messaging_limit, throughput = excluded.throughput,
                account_status = excluded.account_status, checked_at = excluded.checked_at",
    )
    .bind(project_id)
    .bind(&h.verified_name)
    .bind(&h.name_status)
    .bind(&h.quality_rating)
    .bind(&h.messaging_limit)
    .bind(&h.throughput)
    .bind(&h.account_status)
    .bind(h.checked_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The project page's panel: the last reading, the recent changes, the customers reached;
/// none for a number on an On-Premises client.
pub async fn view(
    services: &Services,
    actor: &Actor,
    project_id: i64,
) -> Result<Option<HealthView>> {
    let project = settings::get(services, actor, project_id).await?;
    if project.kind != UpstreamKind::Cloud {
        return Ok(None);
    }
    let mut tx = services.db.pool().begin().await?;
    let health = stored(&mut tx, project_id).await?;
    let changes: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT at, field, old_value, new_value, source FROM number_health_changes
         WHERE project_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(project_id)
    .bind(TIMELINE)
    .fetch_all(&mut *tx)
    .await?;
    let now = now_ms();
    let reached_24h = reached(&mut tx, project_id, now).await?;
    let plan = warmup::stored(&mut tx, project_id).await?;
    tx.commit().await?;
    let cap = rules::projects::warmup::cap(plan.as_ref(), health.as_ref(), now);
    let changes = changes
        .into_iter()
        .map(|(at, field, before, after, source)| HealthChange {
            at,
            field,
            before,
            after,
            source,
        })
        .collect();
    Ok(Some(HealthView {
        health,
        changes,
        reached_24h,
        warmup: plan,
        cap,
    }))
}

/// Distinct customers sent a business-initiated (template) message in the 24 h before `now`.
async fn reached(tx: &mut Transaction<'static, Any>, project_id: i64, now: i64) -> Result<i64> {
    let n = sqlx::query_scalar(&format!(
        "SELECT COUNT(DISTINCT contact) {}",
        warmup::REACHED
    ))
    .bind(project_id)
    .bind(now - rules::time::DAY_MS)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n)
}

/// The numbers that need someone now, with what to do: a token Meta refuses, a quality
/// drop, a flag or a restriction. For the home overview (the caller's projects only).
pub async fn attention(services: &Services, actor: &Actor) -> Result<Vec<Attention>> {
    let projects = settings::list(services, actor).await?;
    let mut out = Vec::new();
    for p in projects {
        let Some(cloud) = &p.cloud else { continue };
        if let Some(problem) = &cloud.token_problem {
            out.push(Attention {
                project_id: p.id,
                project_name: p.name.clone(),
                what: "Meta refuses the access token".into(),
                todo: problem.clone(),
            });
        }
        let mut tx = services.db.pool().begin().await?;
        let health = stored(&mut tx, p.id).await?;
        tx.commit().await?;
        if let Some((what, todo)) = health.as_ref().and_then(NumberHealth::attention) {
            out.push(Attention {
                project_id: p.id,
                project_name: p.name.clone(),
                what,
                todo,
            });
        }
    }
    Ok(out)
}

/// Every Cloud number (the background check reads each).
pub async fn numbers(services: &Services) -> Result<Vec<i64>> {
    let ids =
        sqlx::query_scalar("SELECT id FROM projects WHERE upstream_kind = 'cloud' ORDER BY id")
            .fetch_all(services.db.pool())
            .await?;
    Ok(ids)
}
