//! A project's webhook: where its notifications are forwarded, with the partner's extra
//! headers (stored encrypted: they are often credentials) and an optional signing secret.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, Change};
use crate::platform::db::now_ms;
use crate::projects::settings;
use crate::webhooks::queue::Attempt;
use crate::webhooks::signing;
use crate::{Actor, Error, Result, Services};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookConfig {
    pub url: String,
    pub headers: BTreeMap<String, String>,
    /// Whether deliveries carry an HMAC signature (the secret itself is never returned).
    pub signed: bool,
    pub updated_at: i64,
}

/// The configuration with its active signing secrets (the current one first, then the
/// old one while a rotation overlaps), for the delivery worker only.
pub struct WebhookTarget {
    pub config: WebhookConfig,
    pub signing_secrets: Vec<String>,
}

impl WebhookTarget {
    /// Sends `payload` as event `event_id` (`evt_…`) with the configured headers and the
    /// signature: what a delivery, a resend and a test event all do.
    pub async fn send(&self, services: &Services, event_id: &str, payload: &str) -> Attempt {
        let (url, headers) = (&self.config.url, &self.config.headers);
        let secrets = &self.signing_secrets;
        services
            .webhooks
            .send(url, headers, event_id, payload, secrets)
            .await
    }
}

/// A saved webhook, and how many notifications waiting for a retry go to it now.
pub struct Saved {
    pub config: WebhookConfig,
    pub retrying_now: u64,
}

pub async fn target(services: &Services, project_id: i64) -> Result<Option<WebhookTarget>> {
    let row = sqlx::query(
        "SELECT url, headers_enc, updated_at FROM webhook_configs WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_optional(services.db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let headers: BTreeMap<String, String> = serde_json::from_str(
        &services
            .secrets
            .decrypt(&row.try_get::<String, _>("headers_enc")?)?,
    )
    .map_err(|e| Error::internal("stored webhook headers", e))?;
    let signing_secrets = signing::read(services, project_id).await?.active;
    Ok(Some(WebhookTarget {
        config: WebhookConfig {
            url: row.try_get("url")?,
            headers,
            signed: !signing_secrets.is_empty(),
            updated_at: row.try_get("updated_at")?,
        },
        signing_secrets,
    }))
}

/// When each of `projects`' webhooks was last saved (ms), for the forwarder: a webhook
/// saved since its endpoint began to rest is tried again at once.
pub async fn saved_at(services: &Services, projects: &[i64]) -> Result<HashMap<i64, i64>> {
    let sql = format!(
        "SELECT project_id, updated_at FROM webhook_configs WHERE project_id IN ({})",
        crate::Db::list_placeholders(1, projects.len())
    );
    let mut query = sqlx::query(&sql);
    for project in projects {
        query = query.bind(*project);
    }
    query
        .fetch_all(services.db.pool())
        .await?
        .iter()
        .map(|row| Ok((row.try_get("project_id")?, row.try_get("updated_at")?)))
        .collect()
}

/// The project's webhook as its owner may see it.
pub async fn get(
    services: &Services,
    actor: &Actor,
    project_id: i64,
) -> Result<Option<WebhookConfig>> {
    settings::get(services, actor, project_id).await?;
    Ok(target(services, project_id).await?.map(|t| t.config))
}

/// The headers to store: each given header by name (surrounding spaces trimmed; rows
/// without a name ignored), where an empty value keeps the value already stored for that
/// header. The console shows stored values masked, so they cannot be sent back; the
/// gateway's `POST /v1/configs/webhook` follows the same rule. Headers not given are
/// removed.
pub fn merge_headers(
    stored: Option<&BTreeMap<String, String>>,
    given: impl IntoIterator<Item = (String, String)>,
) -> BTreeMap<String, String> {
    let mut merged = BTreeMap::new();
    for (name, value) in given {
        let name = name.trim().to_owned();
        if name.is_empty() {
            continue;
        }
        let value = match (value.is_empty(), stored.and_then(|s| s.get(&name))) {
            (true, Some(kept)) => kept.clone(),
            _ => value,
        };
        merged.insert(name, value);
    }
    merged
}

/// Sets URL and headers (checked by `rules::webhooks::config` under the server's
/// policy; header values merged by [`merge_headers`]); pending deliveries are retried now.
pub async fn set(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    url: &str,
    given_headers: impl IntoIterator<Item = (String, String)>,
) -> Result<Saved> {
    settings::get_to_configure(services, actor, project_id).await?;
    let before = target(services, project_id).await?.map(|t| t.config);
    let headers = merge_headers(before.as_ref().map(|b| &b.headers), given_headers);
    let policy = &services.webhooks.policy;
    rules::webhooks::config::check(url, &headers, policy.allow_http).into_result()?;
    crate::webhooks::address::check_url(url, &policy.allow).await?;
    let headers_enc = services.secrets.encrypt(
        &serde_json::to_string(&headers).map_err(|e| Error::internal("webhook headers", e))?,
    )?;
    let now = now_ms();
    let mut tx = services.db.pool().begin().await?;
    sqlx::query(
        "INSERT INTO webhook_configs (project_id, url, headers_enc, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (project_id) DO UPDATE SET url = excluded.url, headers_enc = excluded.headers_enc, updated_at = excluded.updated_at",
    )
    .bind(project_id)
    .bind(url.trim())
    .bind(&headers_enc)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let retrying_now = sqlx::query(
        "UPDATE deliveries SET next_attempt_at = $1
         WHERE project_id = $2 AND status = 'pending' AND next_attempt_at > $1",
    )
    .bind(now)
    .bind(project_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let shown = |c: &WebhookConfig| json!({"url": c.url, "headers": c.headers.keys().map(|k| (k.clone(), "[redacted]")).collect::<BTreeMap<_, _>>()});
    let config = WebhookConfig {
        url: url.trim().to_owned(),
        headers,
        signed: before.as_ref().is_some_and(|b| b.signed),
        updated_at: now,
    };
    let change = Change {
        action: "webhook.update",
        subject_type: "project",
        subject_id: Some(project_id),
        project_id: Some(project_id),
        before: before.as_ref().map(shown),
        after: Some(shown(&config)),
        ..Change::default()
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    // The forwarder's cached target is stale now.
    services.changes.bump();
    Ok(Saved {
        config,
        retrying_now,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::merge_headers;

    #[test]
    fn an_empty_value_keeps_the_stored_one_and_unnamed_rows_are_ignored() {
        let stored = BTreeMap::from([("Authorization".to_owned(), "Bearer s3cret".to_owned())]);
        let given = [
            (" Authorization ".to_owned(), String::new()),
            ("X-Tenant".to_owned(), "acme".to_owned()),
            ("  ".to_owned(), "ignored".to_owned()),
        ];
        let merged = merge_headers(Some(&stored), given);
        assert_eq!(merged["Authorization"], "Bearer s3cret");
        assert_eq!(merged["X-Tenant"], "acme");
        assert_eq!(merged.len(), 2);
        let replaced = merge_headers(Some(&stored), [("Authorization".into(), "new".into())]);
        assert_eq!(replaced["Authorization"], "new");
    }
}
