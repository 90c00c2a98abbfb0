//! The provider's Meta apps: the app id and secret (the secret signs every notification
//! Meta posts), the Graph API address and version the app's numbers are called at, and a
//! verify token for the subscription handshake. Admins register them; what to paste into
//! Meta's dashboard (callback URL, verify token) is shown to them.

use rand::RngCore;
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, Change};
use crate::error::Violation;
use crate::platform::db::now_ms;
use crate::{Actor, Error, Result, Services};

pub use rules::cloud::{MetaAppInput, MetaAppView};

/// A Meta app with its secrets, for the intake and the Graph client only.
#[derive(Clone)]
pub struct MetaApp {
    pub id: i64,
    pub app_id: String,
    pub graph_url: String,
    pub graph_version: String,
    pub app_secret: String,
    pub verify_token: String,
}

impl std::fmt::Debug for MetaApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetaApp")
            .field("app_id", &self.app_id)
            .field("graph_url", &self.graph_url)
            .finish_non_exhaustive()
    }
}

/// Where Meta posts the app's notifications, under the server's public URL.
pub fn callback_url(public_url: &str, app_id: &str) -> String {
    format!("{}/meta/{app_id}/webhook", public_url.trim_end_matches('/'))
}

const COLUMNS: &str =
    "id, app_id, name, graph_url, graph_version, app_secret_enc, verify_token_enc, created_at";

fn view(services: &Services, row: &sqlx::any::AnyRow, public_url: &str) -> Result<MetaAppView> {
    let app_id: String = row.try_get("app_id")?;
    Ok(MetaAppView {
        id: row.try_get("id")?,
        callback_url: callback_url(public_url, &app_id),
        app_id,
        name: row.try_get("name")?,
        graph_url: row.try_get("graph_url")?,
        graph_version: row.try_get("graph_version")?,
        verify_token: services
            .secrets
            .decrypt(&row.try_get::<String, _>("verify_token_enc")?)?,
        created_at: row.try_get("created_at")?,
    })
}

/// Registers a Meta app (admins); a verify token is made for it.
pub async fn add(
    services: &Services,
    actor: &Actor,
    input: &MetaAppInput,
    public_url: &str,
) -> Result<MetaAppView> {
    actor.require_admin()?;
    input.check(true).into_result()?;
    let mut token = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut token);
    let verify_token = hex::encode(token);
    let graph_url = match input.graph_url.trim() {
        "" => rules::cloud::GRAPH_URL.to_owned(),
        url => url.trim_end_matches('/').to_owned(),
    };
    let graph_version = match input.graph_version.trim() {
        "" => rules::cloud::GRAPH_VERSION,
        version => version,
    };
    let mut tx = services.db.pool().begin().await?;
    let row = sqlx::query(&format!(
        "INSERT INTO meta_apps (app_id, name, app_secret_enc, verify_token_enc, graph_url,
         graph_version, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
    ))
    .bind(input.app_id.trim())
    .bind(input.name.trim())
    .bind(services.secrets.encrypt(input.app_secret.trim())?)
    .bind(services.secrets.encrypt(&verify_token)?)
    .bind(&graph_url)
    .bind(graph_version)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        let taken = Violation::Unique {
            field: "app_id",
            message: format!(
                "The Meta app {} is registered already.",
                input.app_id.trim()
            ),
        };
        Error::from_write(e, vec![taken])
    })?;
    let app = view(services, &row, public_url)?;
    let change = Change {
        action: "meta_app.create",
        subject_type: "meta_app",
        subject_id: Some(app.id),
        after: Some(json!({"app_id": app.app_id, "name": app.name,
            "graph_url": app.graph_url, "graph_version": app.graph_version})),
        ..Change::default()
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    // The intake may have cached that no app has this id.
    services.changes.bump();
    Ok(app)
}

/// Every Meta app, with what to paste into Meta's dashboard (admins).
pub async fn list(
    services: &Services,
    actor: &Actor,
    public_url: &str,
) -> Result<Vec<MetaAppView>> {
    actor.require_admin()?;
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM meta_apps ORDER BY name"))
        .fetch_all(services.db.pool())
        .await?;
    rows.iter().map(|r| view(services, r, public_url)).collect()
}

/// The app Meta calls `app_id`, with its secrets (intake and Graph calls).
pub async fn find(services: &Services, app_id: &str) -> Result<Option<MetaApp>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM meta_apps WHERE app_id = $1"
    ))
    .bind(app_id)
    .fetch_optional(services.db.pool())
    .await?;
    row.map(|r| secrets_of(services, &r)).transpose()
}

/// The app with internal id `id`, with its secrets.
pub async fn by_id(services: &Services, id: i64) -> Result<MetaApp> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM meta_apps WHERE id = $1"))
        .bind(id)
        .fetch_optional(services.db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    secrets_of(services, &row)
}

fn secrets_of(services: &Services, row: &sqlx::any::AnyRow) -> Result<MetaApp> {
    Ok(MetaApp {
        id: row.try_get("id")?,
        app_id: row.try_get("app_id")?,
        graph_url: row.try_get("graph_url")?,
        graph_version: row.try_get("graph_version")?,
        app_secret: services
            .secrets
            .decrypt(&row.try_get::<String, _>("app_secret_enc")?)?,
        verify_token: services
            .secrets
            .decrypt(&row.try_get::<String, _>("verify_token_enc")?)?,
    })
}
