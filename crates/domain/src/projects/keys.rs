//! API keys: one key, one project. A key is `tj_` and 32 random base64url characters
//! (192 bits); only its SHA-256 is stored, with the first 11 characters as a visible
//! prefix for lists and lookups. The plaintext is returned once, at creation.

use base64::Engine;
use rand::RngCore;
use rules::time::{DAY_MS, HOUR_MS};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;
use subtle::ConstantTimeEq;

use crate::audit::{self, Change};
use crate::platform::db::now_ms;
use crate::projects::settings;
use crate::{Actor, Error, Result, Services};

pub const PREFIX_LEN: usize = 11;

pub use rules::projects::keys::{ApiKey, NewApiKey as NewKey};

/// What the gateway needs to know about a presented key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyGrant {
    pub key_id: i64,
    /// The key's visible prefix, to name it in the audit log.
    pub prefix: String,
    pub project_id: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl KeyGrant {
    /// Why the key may not be used at `now`, if it may not.
    pub fn refusal(&self, now: i64) -> Option<&'static str> {
        if self.revoked_at.is_some_and(|at| at <= now) {
            Some("This API key has been revoked. Use a current key for this project.")
        } else if self.expires_at.is_some_and(|at| at <= now) {
            Some("This API key has expired. Ask for a new key for this project.")
        } else {
            None
        }
    }
}

pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn generate_secret() -> String {
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!(
        "tj_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

const COLUMNS: &str =
    "id, project_id, name, prefix, created_by, created_at, expires_at, revoked_at, last_used_at";

/// When a key made now for `days` days stops working (`None`: it does not expire).
pub fn expiry_after_days(days: Option<i64>) -> Result<Option<i64>> {
    match days {
        None => Ok(None),
        Some(d) if (1..=3650).contains(&d) => Ok(Some(now_ms() + d * DAY_MS)),
        Some(_) => Err(Error::field(
            "expires_in_days",
            "Choose an expiry between 1 day and 10 years, or none.",
        )),
    }
}

pub async fn create(
    services: &Services,
    actor: &Actor,
    project_id: i64,
    name: &str,
    expires_at: Option<i64>,
) -> Result<NewKey> {
    settings::get_to_configure(services, actor, project_id).await?;
    rules::text::required(name, "a name for the key (what uses it)")
        .and_then(|_| rules::text::max_chars(name, 80))
        .map_err(|m| Error::field("name", m))?;
    if expires_at.is_some_and(|at| at <= now_ms()) {
        return Err(Error::field(
            "expires_at",
            "Choose an expiry in the future, or none.",
        ));
    }
    let secret = generate_secret();
    let mut tx = services.db.pool().begin().await?;
    let key: ApiKey = sqlx::query_as(&format!(
        "INSERT INTO api_keys (project_id, name, prefix, key_hash, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
    ))
    .bind(project_id)
    .bind(name.trim())
    .bind(&secret[..PREFIX_LEN])
    .bind(hash(&secret))
    .bind(&actor.label)
    .bind(now_ms())
    .bind(expires_at)
    .fetch_one(&mut *tx)
    .await?;
    let change = Change {
        action: "api_key.create",
        subject_type: "api_key",
        subject_id: Some(key.id),
        project_id: Some(project_id),
        after: Some(json!({"name": key.name, "prefix": key.prefix, "expires_at": key.expires_at})),
        ..Change::default()
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    Ok(NewKey { key, secret })
}

/// Grace periods a rotation offers: the old key keeps working this long.
pub const ROTATION_GRACE: [(&str, i64); 4] = [
    ("none", 0),
    ("1h", HOUR_MS),
    ("24h", DAY_MS),
    ("7d", 7 * DAY_MS),
];

/// Issues a new key with the same name and expiry, and stops the old one after `grace_ms`.
pub async fn rotate(
    services: &Services,
    actor: &Actor,
    key_id: i64,
    grace_ms: i64,
) -> Result<NewKey> {
    let old = get(services, key_id).await?;
    settings::get_to_configure(services, actor, old.project_id).await?;
    if old.status(now_ms()) != "active" {
        return Err(Error::field("key", "Only an active key can be rotated."));
    }
    let new = create(services, actor, old.project_id, &old.name, old.expires_at).await?;
    revoke(services, actor, key_id, now_ms() + grace_ms.max(0)).await?;
    Ok(new)
}

async fn get(services: &Services, key_id: i64) -> Result<ApiKey> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM api_keys WHERE id = $1"))
        .bind(key_id)
        .fetch_optional(services.db.pool())
        .await?
        .ok_or(Error::NotFound)
}

/// The grant behind a presented key, if such a key exists (valid or not).
pub async fn find(services: &Services, secret: &str) -> Result<Option<KeyGrant>> {
    if secret.len() < PREFIX_LEN || !secret.is_ascii() {
        return Ok(None);
    }
    let presented = hash(secret);
    let rows = sqlx::query(
        "SELECT id, project_id, key_hash, expires_at, revoked_at FROM api_keys WHERE prefix = $1",
    )
    .bind(&secret[..PREFIX_LEN])
    .fetch_all(services.db.pool())
    .await?;
    for row in rows {
        let stored: String = row.try_get("key_hash")?;
        if bool::from(stored.as_bytes().ct_eq(presented.as_bytes())) {
            return Ok(Some(KeyGrant {
                key_id: row.try_get("id")?,
                prefix: secret[..PREFIX_LEN].to_owned(),
                project_id: row.try_get("project_id")?,
                expires_at: row.try_get("expires_at")?,
                revoked_at: row.try_get("revoked_at")?,
            }));
        }
    }
    Ok(None)
}

/// Writes last-used times gathered in memory by the gateway, in one transaction.
pub async fn record_last_used(services: &Services, uses: &[(i64, i64)]) -> Result<()> {
    let mut tx = services.db.pool().begin().await?;
    for (key_id, at) in uses {
        sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)")
            .bind(at)
            .bind(key_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn list(services: &Services, actor: &Actor, project_id: i64) -> Result<Vec<ApiKey>> {
    settings::get(services, actor, project_id).await?;
    let keys = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM api_keys WHERE project_id = $1 ORDER BY id DESC"
    ))
    .bind(project_id)
    .fetch_all(services.db.pool())
    .await?;
    Ok(keys)
}

/// Stops a key at `at` (now, or later for a rotation's grace period); an earlier
/// revocation stands.
pub async fn revoke(services: &Services, actor: &Actor, key_id: i64, at: i64) -> Result<ApiKey> {
    let before = get(services, key_id).await?;
    settings::get_to_configure(services, actor, before.project_id).await?;
    let mut tx = services.db.pool().begin().await?;
    let key: ApiKey = sqlx::query_as(&format!("UPDATE api_keys SET revoked_at = CASE WHEN revoked_at IS NULL OR revoked_at > $1 THEN $1 ELSE revoked_at END WHERE id = $2 RETURNING {COLUMNS}"))
        .bind(at)
        .bind(key_id)
        .fetch_one(&mut *tx)
        .await?;
    let change = Change {
        action: "api_key.revoke",
        subject_type: "api_key",
        subject_id: Some(key_id),
        project_id: Some(key.project_id),
        before: Some(json!({"revoked_at": before.revoked_at})),
        after: Some(json!({"revoked_at": key.revoked_at})),
        ..Change::default()
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    services.changes.bump();
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_prefixed() {
        let a = generate_secret();
        let b = generate_secret();
        assert_ne!(a, b);
        assert!(a.starts_with("tj_") && a.len() == 35, "{a}");
        assert_eq!(hash(&a).len(), 64);
    }

    #[test]
    fn revoked_and_expired_grants_say_why() {
        let grant = KeyGrant {
            key_id: 1,
            prefix: "tj_abcdefgh".into(),
            project_id: 1,
            expires_at: Some(100),
            revoked_at: None,
        };
        assert_eq!(grant.refusal(99), None);
        assert!(grant.refusal(100).unwrap().contains("expired"));
        let revoked = KeyGrant {
            revoked_at: Some(50),
            ..grant
        };
        assert!(revoked.refusal(60).unwrap().contains("revoked"));
        assert_eq!(
            revoked.refusal(40),
            None,
            "a revocation in the future (rotation grace) has not happened yet"
        );
    }
}
