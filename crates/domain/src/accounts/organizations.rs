//! Organizations: the partner companies. Admins create them; staff see all, a partner
//! only their own.

use serde_json::json;

use crate::audit::{self, Change};
use crate::error::Violation;
use crate::platform::db::now_ms;
use crate::{Actor, Db, Error, Result};

pub use rules::accounts::Organization;

pub fn validate_name(name: &str) -> Result<(), String> {
    rules::text::required(name, "the organization's name")?;
    rules::text::max_chars(name.trim(), 120)
}

pub async fn create(db: &Db, actor: &Actor, name: &str) -> Result<Organization> {
    actor.require_admin()?;
    validate_name(name).map_err(|m| Error::field("name", m))?;
    let name = name.trim();
    let mut tx = db.pool().begin().await?;
    let org: Organization = sqlx::query_as(
        "INSERT INTO organizations (name, created_at) VALUES ($1, $2) RETURNING id, name, created_at",
    )
    .bind(name)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        let taken = Violation::Unique {
            field: "name",
            message: format!("An organization named '{name}' already exists."),
        };
        Error::from_write(e, vec![taken])
    })?;
    let change = Change {
        action: "organization.create",
        subject_type: "organization",
        subject_id: Some(org.id),
        organization_id: Some(org.id),
        after: Some(json!({"name": org.name})),
        ..Change::default()
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    Ok(org)
}

pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<Organization>> {
    let orgs = sqlx::query_as(
        "SELECT id, name, created_at FROM organizations WHERE ($1 IS NULL OR id = $1) ORDER BY name",
    )
    .bind(actor.organization_scope())
    .fetch_all(db.pool())
    .await?;
    Ok(orgs)
}

pub async fn find_by_name(db: &Db, name: &str) -> Result<Organization> {
    sqlx::query_as("SELECT id, name, created_at FROM organizations WHERE name = $1")
        .bind(name.trim())
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::NotFound)
}
