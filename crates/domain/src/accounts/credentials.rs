//! Passwords of console users: a user changes their own (proving the current one), an
//! admin sets one; either way the user's older sessions end.

use rules::FieldErrors;

use crate::accounts::sessions::SessionUser;
use crate::accounts::users::{User, get_any};
use crate::accounts::{login, password};
use crate::audit::{self, Change};
use crate::platform::db::now_ms;
use crate::{Actor, Db, Error, Result, Services};

/// A password change as the form sends it.
pub struct PasswordChange<'a> {
    pub current: &'a str,
    pub new: &'a str,
    pub repeated: &'a str,
}

/// The acting user changes their own password, proving the current one first (wrong
/// guesses are throttled like failed logins). Their other sessions end; returns the
/// session to continue this one with.
pub async fn change_own_password(
    services: &Services,
    actor: &Actor,
    client_ip: &str,
    change: PasswordChange<'_>,
) -> Result<SessionUser> {
    let db = &services.db;
    let user = get_any(db, actor.user_id.ok_or(Error::Forbidden)?).await?;
    let mut errors = FieldErrors::new();
    if !login::check_password(db, &services.throttle, &user, change.current, client_ip).await? {
        errors.add("current_password", "That is not your current password.");
    }
    errors.check("new_password", password::check_strength(change.new));
    if change.new == change.current && errors.get("new_password").is_none() {
        errors.add(
            "new_password",
            "Choose a password other than the current one.",
        );
    }
    if change.repeated != change.new {
        errors.add(
            "repeat_password",
            "The two new passwords differ: type the same one twice.",
        );
    }
    errors.into_result()?;
    let credentials_at =
        store_password(db, actor, user.id, change.new, "user.password_change").await?;
    Ok(SessionUser {
        id: user.id,
        credentials_at,
    })
}

/// An admin gives a user a new password (they forgot theirs, or it leaked); every session
/// of that user ends.
pub async fn set_password(db: &Db, actor: &Actor, id: i64, new: &str) -> Result<User> {
    actor.require_admin()?;
    let user = get_any(db, id).await?;
    let mut errors = FieldErrors::new();
    errors.check("password", password::check_strength(new));
    errors.into_result()?;
    store_password(db, actor, id, new, "user.password_set").await?;
    Ok(user)
}

/// Stores the new hash and its time (which ends older sessions), audited without either.
async fn store_password(
    db: &Db,
    actor: &Actor,
    id: i64,
    new: &str,
    action: &'static str,
) -> Result<i64> {
    let hash = password::hash(new).await?;
    let mut tx = db.pool().begin().await?;
    // Strictly later than the stamp it replaces, even within one millisecond.
    let before: i64 = sqlx::query_scalar("SELECT credentials_changed_at FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let changed_at = now_ms().max(before + 1);
    let organization_id: Option<i64> = sqlx::query_scalar("UPDATE users SET password_hash = $1, credentials_changed_at = $2 WHERE id = $3 RETURNING organization_id")
        .bind(&hash)
        .bind(changed_at)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let change = Change {
        action,
        subject_type: "user",
        subject_id: Some(id),
        organization_id,
        ..Change::default()
    };
    audit::record(&mut *tx, actor, change).await?;
    tx.commit().await?;
    Ok(changed_at)
}
