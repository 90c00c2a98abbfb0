//! Logging in with email and password, with throttling of repeated failures kept in the
//! database (so every instance sees the same count).

use sqlx::Row;

use crate::accounts::password;
use crate::accounts::users::{self, User, normalize_email};
use crate::platform::db::now_ms;
use crate::{Db, Error, Result};

/// How many failures within the window lock a subject (an email or a client address) out.
#[derive(Clone, Debug)]
pub struct Throttle {
    pub max_failures_per_email: i64,
    pub max_failures_per_ip: i64,
    pub window_secs: i64,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle {
            max_failures_per_email: 5,
            max_failures_per_ip: 20,
            window_secs: 15 * 60,
        }
    }
}

/// Checks the credentials. Unknown email, wrong password and disabled account all answer
/// the same `Invalid` error so the form reveals nothing about which accounts exist.
pub async fn authenticate(
    db: &Db,
    throttle: &Throttle,
    email: &str,
    password_text: &str,
    client_ip: &str,
) -> Result<User> {
    let email = normalize_email(email);
    let subjects = subjects(throttle, &email, client_ip);
    refuse_if_throttled(db, throttle, &subjects).await?;
    let row = sqlx::query("SELECT id, password_hash FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(db.pool())
        .await?;
    let found = match &row {
        Some(row) => Some((
            row.try_get::<i64, _>("id")?,
            row.try_get::<String, _>("password_hash")?,
        )),
        None => None,
    };
    let hash = match &found {
        Some((_, h)) => h.as_str(),
        None => password::decoy_hash().await?,
    };
    let password_ok = password::verify(password_text, hash).await?;
    let user = match (found, password_ok) {
        (Some((id, _)), true) => Some(users::get_any(db, id).await?).filter(|u| !u.disabled),
        _ => None,
    };
    let Some(user) = user else {
        record_failure(db, &subjects).await?;
        tracing::info!(target: "audit", "failed console login");
        return Err(Error::field(
            "email",
            "Wrong email or password, or the account is disabled.",
        ));
    };
    sqlx::query("DELETE FROM login_failures WHERE subject = $1")
        .bind(&subjects[0].0)
        .execute(db.pool())
        .await?;
    sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(user.id)
        .execute(db.pool())
        .await?;
    Ok(user)
}

/// Checks the password of a user already logged in who proves it again (to change it).
/// A wrong one counts as a failed login: guessing through a stolen session is throttled
/// like guessing at the login form.
pub async fn check_password(
    db: &Db,
    throttle: &Throttle,
    user: &User,
    password_text: &str,
    client_ip: &str,
) -> Result<bool> {
    let subjects = subjects(throttle, &user.email, client_ip);
    refuse_if_throttled(db, throttle, &subjects).await?;
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user.id)
        .fetch_one(db.pool())
        .await?;
    if password::verify(password_text, &hash).await? {
        return Ok(true);
    }
    record_failure(db, &subjects).await?;
    tracing::info!(target: "audit", "wrong current password in a password change");
    Ok(false)
}

/// What failures are counted against, each with its limit: the account and the address.
fn subjects(throttle: &Throttle, email: &str, client_ip: &str) -> [(String, i64); 2] {
    [
        (format!("email:{email}"), throttle.max_failures_per_email),
        (format!("ip:{client_ip}"), throttle.max_failures_per_ip),
    ]
}

async fn refuse_if_throttled(
    db: &Db,
    throttle: &Throttle,
    subjects: &[(String, i64)],
) -> Result<()> {
    let since = now_ms() - throttle.window_secs * 1000;
    for (subject, max) in subjects {
        let (count, oldest) = failures_since(db, subject, since).await?;
        if count >= *max {
            let retry_after_secs =
                ((oldest + throttle.window_secs * 1000 - now_ms()) / 1000).max(1);
            return Err(Error::Throttled { retry_after_secs });
        }
    }
    Ok(())
}

async fn record_failure(db: &Db, subjects: &[(String, i64)]) -> Result<()> {
    for (subject, _) in subjects {
        sqlx::query("INSERT INTO login_failures (subject, at) VALUES ($1, $2)")
            .bind(subject)
            .bind(now_ms())
            .execute(db.pool())
            .await?;
    }
    Ok(())
}

async fn failures_since(db: &Db, subject: &str, since: i64) -> Result<(i64, i64)> {
    let row = sqlx::query("SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failures WHERE subject = $1 AND at >= $2")
        .bind(subject)
        .bind(since)
        .fetch_one(db.pool())
        .await?;
    Ok((
        row.try_get("n")?,
        row.try_get::<Option<i64>, _>("oldest")?.unwrap_or(since),
    ))
}

/// Forgets failures older than the window; run now and then.
pub async fn purge_old_failures(db: &Db, throttle: &Throttle) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(now_ms() - throttle.window_secs * 1000)
        .execute(db.pool())
        .await?;
    Ok(())
}
