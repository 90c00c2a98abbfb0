//! Console users: email, argon2id password, role, organization (partners only),
//! disabled flag. Admins manage them; the first admin comes from the command line.
//! Password changes are in `credentials`, who a session belongs to in `sessions`.

use rules::text::Email;
use rules::{FieldErrors, Role};
use serde_json::json;
use sqlx::Row;

use crate::accounts::password;
use crate::audit::{self, Change};
use crate::error::Violation;
use crate::platform::db::now_ms;
use crate::{Actor, Db, Error, Result};

pub use rules::accounts::{User, UserUpdate};

/// The acting identity of a user.
pub fn actor(user: &User) -> Actor {
    Actor {
        user_id: Some(user.id),
        label: user.email.clone(),
        role: user.role,
        organization_id: user.organization_id,
    }
}

fn snapshot(user: &User) -> serde_json::Value {
    json!({"email": user.email, "role": user.role, "organization_id": user.organization_id, "disabled": user.disabled})
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub role: Role,
    pub organization_id: Option<i64>,
}

pub(super) const COLUMNS: &str =
    "id, email, role, organization_id, disabled, created_at, last_login_at";

pub(super) fn from_row(row: &sqlx::any::AnyRow) -> Result<User> {
    let role: String = row.try_get("role")?;
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        role: Role::parse(&role).map_err(|e| anyhow::anyhow!("stored role {role:?}: {e}"))?,
        organization_id: row.try_get("organization_id")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        created_at: row.try_get("created_at")?,
        last_login_at: row.try_get("last_login_at")?,
    })
}

fn check_role_and_org(errors: &mut FieldErrors, role: Role, organization_id: Option<i64>) {
    if role.needs_organization() && organization_id.is_none() {
        errors.add("organization_id", "Choose the partner's organization.");
    }
    if !role.needs_organization() && organization_id.is_some() {
        errors.add(
            "organization_id",
            "Staff (admin and support) belong to no organization: leave it empty.",
        );
    }
}

pub async fn create(db: &Db, actor: &Actor, new: NewUser<'_>) -> Result<User> {
    actor.require_admin()?;
    let mut errors = FieldErrors::new();
    let email = errors.parse("email", Email::parse(new.email));
    errors.check("password", password::check_strength(new.password));
    check_role_and_org(&mut errors, new.role, new.organization_id);
    errors.into_result()?;
    let email = email.ok_or_else(|| Error::unexpected("an email neither parsed nor refused"))?;
    let hash = password::hash(new.password).await?;
    let mut tx = db.pool().begin().await?;
    let row = sqlx::query(&format!(
        "INSERT INTO users (email, password_hash, role, organization_id, disabled, created_at) VALUES ($1, $2, $3, $4, 0, $5) RETURNING {COLUMNS}"
    ))
    .bind(email.as_str())
    .bind(&hash)
    .bind(new.role.as_str())
    .bind(new.organization_id)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        let taken = Violation::Unique {
            field: "email",
            message: format!("A user with the email {email} already exists."),
        };
        Error::from_write(e, vec![taken, no_such_organization()])
    })?;
    let user = from_row(&row)?;
    let change = Change {
        action: "user.create",
        subject_type: "user",
        subject_id: Some(user.id),
        organization_id: user.organization_id,
        after: Some(snapshot(&user)),
        ..Change::default()
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    Ok(user)
}

/// Saves an admin's change to a user; one that changes what the user may see or whether
/// they may log in is refused, naming what it does (`rules::accounts::consequence`), until
/// the admin `confirmed` it.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    update: UserUpdate,
    confirmed: bool,
) -> Result<User> {
    actor.require_admin()?;
    let before = get_any(db, id).await?;
    let mut errors = FieldErrors::new();
    check_role_and_org(&mut errors, update.role, update.organization_id);
    if actor.user_id == Some(id) && (update.disabled || update.role != Role::Admin) {
        errors.add(
            "role",
            "You cannot disable yourself or remove your own admin role: ask another admin.",
        );
    }
    errors.into_result()?;
    if !confirmed {
        let name: Option<String> = match update.organization_id {
            Some(org) => {
                sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
                    .bind(org)
                    .fetch_optional(db.pool())
                    .await?
            }
            None => None,
        };
        let name = |_| name.clone().unwrap_or_else(|| "that organization".into());
        if let Some(said) = rules::accounts::consequence(&before, &update, name) {
            return Err(Error::field(
                "confirm",
                format!("{said} Tick “Confirm the change” and save again."),
            ));
        }
    }
    let mut tx = db.pool().begin().await?;
    let row = sqlx::query(&format!(
        "UPDATE users SET role = $1, organization_id = $2, disabled = $3 WHERE id = $4 RETURNING {COLUMNS}"
    ))
    .bind(update.role.as_str())
    .bind(update.organization_id)
    .bind(i64::from(update.disabled))
    .bind(id)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| Error::from_write(e, vec![no_such_organization()]))?;
    let user = from_row(&row)?;
    let change = Change {
        action: "user.update",
        subject_type: "user",
        subject_id: Some(id),
        organization_id: user.organization_id.or(before.organization_id),
        before: Some(snapshot(&before)),
        after: Some(snapshot(&user)),
        ..Change::default()
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    Ok(user)
}

/// Every user, for staff only.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<User>> {
    actor.require_staff()?;
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM users ORDER BY email"))
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// Any user by id, without an access check: for the session loader and internal use.
pub async fn get_any(db: &Db, id: i64) -> Result<User> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::NotFound)?;
    from_row(&row)
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users")
        .fetch_one(db.pool())
        .await?)
}

/// A user's organization that does not exist (a foreign-key violation on write).
fn no_such_organization() -> Violation<'static> {
    Violation::ForeignKey {
        field: "organization_id",
        message: "That organization does not exist.".into(),
    }
}
