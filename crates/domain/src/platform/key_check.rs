//! Whether a secret key belongs to a database. The first key used with a database leaves
//! a check value in it (`secret_key_check`); later, a key that cannot decrypt that value
//! is refused at start-up instead of failing on the first stored secret it meets.

use sqlx::Row;

use crate::platform::crypto::SecretBox;
use crate::platform::db;
use crate::{Db, Result};

const CHECK_TEXT: &str = "tujenge secret key check";

/// How a key stands with a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFit {
    /// It opens the database's secrets (or the database had none: the key is now its key).
    Opens,
    /// The database's secrets were encrypted with another key.
    WrongKey,
}

/// Whether the database holds anything encrypted: a check value or a stored secret. A
/// command must not make a new key for such a database.
pub async fn holds_secrets(db: &Db) -> Result<bool> {
    Ok(stored_check(db).await?.is_some() || any_secret(db).await?.is_some())
}

/// Checks `secrets` against the database, recording the check value on first use.
pub async fn check(db: &Db, secrets: &SecretBox) -> Result<KeyFit> {
    if let Some(value) = stored_check(db).await? {
        return Ok(fit(secrets, &value));
    }
    // A database from before the check value: its secrets say which key it has.
    if let Some(secret) = any_secret(db).await? {
        if fit(secrets, &secret) == KeyFit::WrongKey {
            return Ok(KeyFit::WrongKey);
        }
    }
    sqlx::query(
        "INSERT INTO secret_key_check (id, value, created_at) VALUES (1, $1, $2) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(secrets.encrypt(CHECK_TEXT)?)
    .bind(db::now_ms())
    .execute(db.pool())
    .await?;
    // Another instance may have recorded its own key first: the stored value decides.
    let value = stored_check(db).await?.unwrap_or_default();
    Ok(fit(secrets, &value))
}

fn fit(secrets: &SecretBox, value: &str) -> KeyFit {
    match secrets.decrypt(value) {
        Ok(_) => KeyFit::Opens,
        Err(_) => KeyFit::WrongKey,
    }
}

async fn stored_check(db: &Db) -> Result<Option<String>> {
    let row = sqlx::query("SELECT value FROM secret_key_check WHERE id = 1")
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|r| r.get::<String, _>(0)))
}

async fn any_secret(db: &Db) -> Result<Option<String>> {
    let row = sqlx::query(
        "SELECT upstream_password_enc FROM projects WHERE upstream_password_enc <> '' \
         UNION ALL SELECT access_token_enc FROM projects WHERE access_token_enc <> '' \
         UNION ALL SELECT app_secret_enc FROM meta_apps \
         UNION ALL SELECT headers_enc FROM webhook_configs WHERE headers_enc <> '' LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| r.get::<String, _>(0)))
}

#[cfg(test)]
mod tests {
    use super::{KeyFit, check, holds_secrets};
    use crate::Db;
    use crate::platform::crypto::SecretBox;

    fn new_key() -> SecretBox {
        SecretBox::from_key_text(&SecretBox::generate_key_text()).unwrap()
    }

    #[tokio::test]
    async fn the_first_key_becomes_the_databases_key() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        let (first, second) = (new_key(), new_key());
        assert!(!holds_secrets(&db).await.unwrap());
        assert_eq!(check(&db, &first).await.unwrap(), KeyFit::Opens);
        assert!(holds_secrets(&db).await.unwrap());
        assert_eq!(check(&db, &first).await.unwrap(), KeyFit::Opens);
        assert_eq!(check(&db, &second).await.unwrap(), KeyFit::WrongKey);
    }
}
