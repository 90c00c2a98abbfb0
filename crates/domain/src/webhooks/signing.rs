//! A project's signing secrets: made and rotated by the partner, the old one kept signing
//! for the overlap chosen, both stored encrypted and never shown again after creation
//! (the console sees `••••` and the last four characters, with their dates).

use rules::webhooks::signing::{Overlap, SecretView, SigningView};
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, Change};
use crate::platform::db::now_ms;
use crate::projects::settings;
use crate::webhooks::config;
use crate::{Actor, Error, Result, Services};

/// The secrets that sign deliveries now (the current first), and how the console shows
/// them.
pub(crate) struct Secrets {
    pub active: Vec<String>,
    pub view: SigningView,
}

pub(crate) async fn read(services: &Services, project_id: i64) -> Result<Secrets> {
    let row = sqlx::query(
        r"SELECT signing_secret_enc, signing_secret_created_at, previous_secret_enc,
            previous_secret_created_at, previous_secret_expires_at
          FROM webhook_configs WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_optional(services.db.pool())
    .await?;
    let mut secrets = Secrets {
        active: Vec::new(),
        view: SigningView::default(),
    };
    let Some(row) = row else {
        return Ok(secrets);
    };
    let current: String = row.try_get("signing_secret_enc")?;
    if !current.is_empty() {
        let secret = services.secrets.decrypt(&current)?;
        let created = row.try_get("signing_secret_created_at")?;
        secrets.view.current = Some(SecretView::of(&secret, created, None));
        secrets.active.push(secret);
    }
    let previous: Option<String> = row.try_get("previous_secret_enc")?;
    let expires: Option<i64> = row.try_get("previous_secret_expires_at")?;
    if let (Some(previous), Some(expires)) = (previous, expires.filter(|at| *at > now_ms())) {
        let secret = services.secrets.decrypt(&previous)?;
        let created = row.try_get("previous_secret_created_at")?;
        secrets.view.previous = Some(SecretView::of(&secret, created, Some(expires)));
        secrets.active.push(secret);
    }
    Ok(secrets)
}

/// The project's active secrets as its owner may see them.
pub async fn view(services: &Services, actor: &Actor, project_id: i64) -> Result<SigningView> {
    config::get(services, actor, project_id).await?;
    Ok(read(services, project_id).await?.view)
}

/// Makes a new signing secret and returns it, to be shown once; the current one (if any)
/// keeps signing beside it for `overlap`.
pub async fn rotate(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    overlap: Overlap,
) -> Result<String> {
    settings::get_to_configure(services, actor, project_id).await?;
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let secret = format!("whsec_{}", hex::encode(bytes));
    let now = now_ms();
    let mut tx = services.db.pool().begin().await?;
    // Every right-hand side reads the row as it was: the current secret becomes the old.
    let updated = sqlx::query(
        r"UPDATE webhook_configs SET
            previous_secret_enc = CASE WHEN $4 > 0 AND signing_secret_enc <> ''
                THEN signing_secret_enc ELSE NULL END,
            previous_secret_created_at = CASE WHEN $4 > 0 THEN signing_secret_created_at
                ELSE NULL END,
            previous_secret_expires_at = CASE WHEN $4 > 0 AND signing_secret_enc <> ''
                THEN $2 + $4 ELSE NULL END,
            signing_secret_enc = $1, signing_secret_created_at = $2, updated_at = $2
          WHERE project_id = $3",
    )
    .bind(services.secrets.encrypt(&secret)?)
    .bind(now)
    .bind(project_id)
    .bind(overlap.millis())
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(Error::field(
            "url",
            "Configure the webhook URL first, then create its signing secret.",
        ));
    }
    let change = Change {
        action: "webhook.signing_secret",
        subject_type: "project",
        subject_id: Some(project_id),
        project_id: Some(project_id),
        after: Some(json!({"signing_secret": "changed", "overlap": overlap.key()})),
        ..Change::default()
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    services.changes.bump();
    Ok(secret)
}
