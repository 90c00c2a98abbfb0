//! A Cloud number's warm-up plan (admins set it on the project) and the check the gateway
//! makes before a business-initiated (template) message starts a new conversation: a
//! customer not reached with a template in the last 24 hours counts against the cap that
//! holds now (`rules::projects::warmup::cap`).

use rules::FieldErrors;
use rules::projects::settings::UpstreamKind;
use rules::projects::warmup::{WarmUp, parse_caps};
use serde_json::json;

use crate::audit::{self, Change};
use crate::platform::db::now_ms;
use crate::projects::settings;
use crate::{Actor, Db, Error, Result, Services};

/// Sets the plan (admins): `caps` as typed ("250, 500, 1000"), `starts` a date
/// (YYYY-MM-DD, UTC) or empty for today.
pub async fn set(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    caps: &str,
    starts: &str,
) -> Result<WarmUp> {
    let project = settings::get(services, actor, project_id).await?;
    actor.require_admin()?;
    let mut errors = FieldErrors::default();
    if project.kind != UpstreamKind::Cloud {
        errors.add("caps", "A warm-up plan is for a number on the Cloud API.");
    }
    let caps = errors.parse("caps", parse_caps(caps));
    let today = now_ms() - now_ms().rem_euclid(rules::time::DAY_MS);
    let starts_at = match starts.trim() {
        "" => Some(today),
        date => errors.parse(
            "starts_at",
            rules::time::parse_date(date).ok_or_else(|| "Give a date such as 2026-12-01.".into()),
        ),
    };
    errors.into_result().map_err(Error::Invalid)?;
    let (Some(caps), Some(starts_at)) = (caps, starts_at) else {
        return Err(Error::unexpected(
            "a warm-up plan neither parsed nor refused",
        ));
    };
    let plan = WarmUp { caps, starts_at };
    let mut tx = services.db.pool().begin().await?;
    sqlx::query(
        "INSERT INTO warmup_plans (project_id, caps, starts_at) VALUES ($1, $2, $3)
         ON CONFLICT (project_id) DO UPDATE SET caps = excluded.caps,
                starts_at = excluded.starts_at",
    )
    .bind(project_id)
    .bind(plan.caps_text())
    .bind(plan.starts_at)
    .execute(&mut *tx)
    .await?;
    let change = Change {
        action: "number.warmup_set",
        subject_type: "project",
        subject_id: Some(project_id),
        organization_id: Some(project.organization_id),
        project_id: Some(project_id),
        after: Some(json!({"caps": plan.caps, "starts_at": plan.starts_at})),
        ..Change::default()
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    services.changes.bump();
    Ok(plan)
}

/// Ends the plan (admins).
pub async fn clear(services: &Services, actor: &Actor, project_id: i64) -> Result<()> {
    let project = settings::get(services, actor, project_id).await?;
    actor.require_admin()?;
    let mut tx = services.db.pool().begin().await?;
    sqlx::query("DELETE FROM warmup_plans WHERE project_id = $1")
        .bind(project_id)
        .execute(&mut *tx)
        .await?;
    let change = Change {
        action: "number.warmup_clear",
        subject_type: "project",
        subject_id: Some(project_id),
        organization_id: Some(project.organization_id),
        project_id: Some(project_id),
        ..Change::default()
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    services.changes.bump();
    Ok(())
}

/// The stored plan as written (`caps` text, start), read back into steps.
pub fn plan(caps: Option<String>, starts_at: Option<i64>) -> Option<WarmUp> {
    let caps = parse_caps(&caps?).ok()?;
    Some(WarmUp {
        caps,
        starts_at: starts_at?,
    })
}

/// The customers a number reached with a template message since `$2`: a new conversation
/// each (`$1`: the project).
pub(crate) const REACHED: &str = "FROM messages
    WHERE project_id = $1 AND direction = 'outbound' AND message_type = 'template'
      AND decision = 'accepted' AND created_at > $2";

/// The number's plan as stored.
pub(crate) async fn stored(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    project_id: i64,
) -> Result<Option<WarmUp>> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT caps, starts_at FROM warmup_plans WHERE project_id = $1")
            .bind(project_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.and_then(|(caps, starts_at)| plan(Some(caps), Some(starts_at))))
}

/// Whether a template message to `contact` may go now under `cap` new conversations in
/// 24 h: yes when the customer was reached in the last 24 h (no new conversation) or the
/// cap has room; else when a place frees up (UTC milliseconds).
pub async fn admit(
    db: &Db,
    project_id: i64,
    contact: &str,
    cap: i64,
    now: i64,
) -> Result<Option<i64>> {
    let since = now - rules::time::DAY_MS;
    let reached: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT contact, MAX(created_at) {REACHED} GROUP BY contact"
    ))
    .bind(project_id)
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    if (reached.len() as i64) < cap || reached.iter().any(|(c, _)| c == contact) {
        return Ok(None);
    }
    let oldest = reached.iter().map(|(_, at)| *at).min().unwrap_or(now);
    Ok(Some(oldest + rules::time::DAY_MS))
}
