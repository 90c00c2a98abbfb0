//! A project on Meta's Cloud API: which of the provider's Meta apps calls its number, the
//! number's phone-number-id and WhatsApp Business Account, and the access token
//! (encrypted; the console shows its last four characters). Moving an On-Premises project
//! here keeps its keys, webhook, message log and templates: only the upstream changes.

use rules::projects::health::NumberHealth;
use sqlx::{Any, Transaction};

use crate::cloud::apps;
use crate::cloud::graph::CloudNumber;
use crate::projects::warmup;
use crate::{Error, Result, Services};

pub use rules::cloud::CloudUpstreamInput;

/// Writes the Cloud upstream of project `id` (and makes it a Cloud project); an empty
/// access token keeps the stored one.
pub(crate) async fn write(
    tx: &mut Transaction<'static, Any>,
    services: &Services,
    id: i64,
    input: &CloudUpstreamInput,
) -> Result<()> {
    let app = apps::find(services, input.meta_app.trim())
        .await?
        .ok_or_else(|| {
            Error::field(
                "meta_app",
                format!(
                    "No Meta app {} is registered: add it on the Meta apps page first.",
                    input.meta_app.trim()
                ),
            )
        })?;
    let token = input.access_token.trim();
    let (token_enc, last4) = if token.is_empty() {
        (None, None)
    } else {
        let last4 = rules::cloud::last4(token);
        (Some(services.secrets.encrypt(token)?), Some(last4))
    };
    sqlx::query(
        "UPDATE projects SET upstream_kind = 'cloud', meta_app_id = $1, phone_number_id = $2,
         waba_id = $3, access_token_enc = COALESCE($4, access_token_enc),
         access_token_last4 = COALESCE($5, access_token_last4),
         token_problem = CASE WHEN $4 IS NULL THEN token_problem ELSE NULL END WHERE id = $6",
    )
    .bind(app.id)
    .bind(input.phone_number_id.trim())
    .bind(input.waba_id.trim())
    .bind(token_enc)
    .bind(last4)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        let taken = crate::error::Violation::Unique {
            field: "phone_number_id",
            message: format!(
                "The phone number id {} belongs to another project already.",
                input.phone_number_id.trim()
            ),
        };
        Error::from_write(e, vec![taken])
    })?;
    Ok(())
}

/// The Cloud projects on one account (Meta app and WABA), with their organizations: they
/// share its template library, and Meta's account-wide notifications concern each.
pub async fn numbers_of_account(
    services: &Services,
    meta_app_id: i64,
    waba_id: &str,
) -> Result<Vec<(i64, i64)>> {
    let ids = sqlx::query_as(
        "SELECT id, organization_id FROM projects
         WHERE upstream_kind = 'cloud' AND meta_app_id = $1 AND waba_id = $2 ORDER BY id",
    )
    .bind(meta_app_id)
    .bind(waba_id)
    .fetch_all(services.db.pool())
    .await?;
    Ok(ids)
}

/// What the database holds of a Cloud number, with its last health reading and its
/// warm-up plan.
#[derive(sqlx::FromRow)]
struct NumberRow {
    meta_app_id: Option<i64>,
    phone_number_id: Option<String>,
    waba_id: Option<String>,
    access_token_enc: String,
    token_problem: Option<String>,
    verified_name: Option<String>,
    name_status: Option<String>,
    quality_rating: Option<String>,
    messaging_limit: Option<String>,
    throughput: Option<String>,
    account_status: Option<String>,
    checked_at: Option<i64>,
    caps: Option<String>,
    starts_at: Option<i64>,
    templates_synced_at: Option<i64>,
}

impl NumberRow {
    fn health(&self) -> Option<NumberHealth> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        Some(NumberHealth {
            verified_name: text(&self.verified_name),
            name_status: text(&self.name_status),
            quality_rating: text(&self.quality_rating),
            messaging_limit: text(&self.messaging_limit),
            throughput: text(&self.throughput),
            account_status: text(&self.account_status),
            checked_at: self.checked_at?,
        })
    }
}

/// The Cloud number of project `id`, token decrypted (the gateway and the console's calls).
pub(crate) async fn number(services: &Services, id: i64) -> Result<CloudNumber> {
    let row: NumberRow = sqlx::query_as(
        "SELECT p.meta_app_id, p.phone_number_id, p.waba_id, p.access_token_enc,
                p.token_problem, h.verified_name, h.name_status, h.quality_rating,
                h.messaging_limit, h.throughput, h.account_status, h.checked_at,
                w.caps, w.starts_at, p.templates_synced_at
             FROM projects p LEFT JOIN number_health h ON h.project_id = p.id
             LEFT JOIN warmup_plans w ON w.project_id = p.id
             WHERE p.id = $1",
    )
    .bind(id)
    .fetch_one(services.db.pool())
    .await?;
    let (health, warmup) = (row.health(), warmup::plan(row.caps, row.starts_at));
    let (Some(app_id), Some(phone_number_id), Some(waba_id)) =
        (row.meta_app_id, row.phone_number_id, row.waba_id)
    else {
        return Err(Error::unexpected(
            "a Cloud project without its Meta app or number ids",
        ));
    };
    Ok(CloudNumber {
        project_id: id,
        app: apps::by_id(services, app_id).await?,
        phone_number_id,
        waba_id,
        access_token: services.secrets.decrypt(&row.access_token_enc)?,
        token_problem: row.token_problem.is_some(),
        health,
        warmup,
        templates_synced_at: row.templates_synced_at,
    })
}

/// Moves project `id` to the Cloud API (admins): everything else about it stays.
pub async fn set_upstream(
    services: &Services,
    actor: &crate::Actor,
    id: i64,
    input: &CloudUpstreamInput,
) -> Result<rules::projects::settings::Project> {
    let before = crate::projects::settings::get(services, actor, id).await?;
    actor.require_admin()?;
    input.check(true).into_result()?;
    let mut tx = services.db.pool().begin().await?;
    write(&mut tx, services, id, input).await?;
    let change = crate::audit::Change {
        action: "project.set_upstream",
        subject_type: "project",
        subject_id: Some(id),
        organization_id: Some(before.organization_id),
        project_id: Some(id),
        before: Some(serde_json::json!({"upstream_kind": before.kind.as_str()})),
        after: Some(
            serde_json::json!({"upstream_kind": "cloud", "meta_app": input.meta_app,
            "phone_number_id": input.phone_number_id, "waba_id": input.waba_id,
            "access_token": "set"}),
        ),
    };
    crate::audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    services.changes.bump();
    crate::projects::settings::get(services, actor, id).await
}
