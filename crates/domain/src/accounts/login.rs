//! Logging in with email and password, with throttling of repeated failures kept in the
//! database (so every instance sees the same count). See [`Throttle`] for what holds under
//! attack.

use std::sync::Arc;
use std::time::Duration;

use rules::text::Email;
use sqlx::Row;
use tokio::sync::Semaphore;

use crate::accounts::password;
use crate::accounts::users::{self, User};
use crate::platform::db::now_ms;
use crate::{Db, Error, Result};

/// How logins hold under attack. Every attempt is counted before the password is
/// checked (so parallel guesses cannot all pass the limit), against three subjects:
/// - the pair (email, client address) locks after `max_failures_per_pair` in the window;
/// - the client address locks after `max_failures_per_ip` (one address guessing many
///   emails);
/// - the email alone never locks (anyone could keep its owner out by failing on
///   purpose): its failures from everywhere slow its logins down instead, by a delay
///   that doubles from `email_delay_base` up to `email_delay_cap`.
///
/// Password checks (argon2) run a few at a time (`concurrent_checks`); beyond that a login
/// is answered 429 at once instead of queueing CPU work behind the gateway's requests.
#[derive(Clone, Debug)]
pub struct Throttle {
    pub max_failures_per_pair: i64,
    pub max_failures_per_ip: i64,
    /// Failures of one email (from any address) before its logins start to slow down.
    pub email_free_failures: i64,
    pub email_delay_base: Duration,
    pub email_delay_cap: Duration,
    pub window_secs: i64,
    checks: Arc<Semaphore>,
}

impl Throttle {
    pub fn new(concurrent_checks: usize) -> Self {
        Throttle {
            max_failures_per_pair: 5,
            max_failures_per_ip: 20,
            email_free_failures: 5,
            email_delay_base: Duration::from_millis(250),
            email_delay_cap: Duration::from_secs(3),
            window_secs: 15 * 60,
            checks: Arc::new(Semaphore::new(concurrent_checks)),
        }
    }

    /// The pause before checking a password of an email that failed `failures` times.
    pub fn email_delay(&self, failures: i64) -> Duration {
        let over = failures - self.email_free_failures;
        if over <= 0 {
            return Duration::ZERO;
        }
        let factor = 2u32.saturating_pow(u32::try_from(over - 1).unwrap_or(u32::MAX).min(16));
        self.email_delay_base
            .saturating_mul(factor)
            .min(self.email_delay_cap)
    }
}

impl Default for Throttle {
    /// Half the cores check passwords at most: a login flood leaves the rest to the
    /// gateway (each argon2 check holds a core for its duration).
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Throttle::new((cores / 2).max(1))
    }
}

/// One attempt's rows in `login_failures`, written before the password is checked.
struct Attempt {
    pair: String,
    ids: Vec<i64>,
}

/// Counts the attempt against its subjects, refuses it when the pair or the address is
/// locked, and waits as long as the email's failures ask for.
async fn count_attempt(
    db: &Db,
    throttle: &Throttle,
    email: &str,
    client_ip: &str,
) -> Result<Attempt> {
    let now = now_ms();
    let since = now - throttle.window_secs * 1000;
    let pair = format!("pair:{email}|{client_ip}");
    let subjects = [
        (pair.clone(), Some(throttle.max_failures_per_pair)),
        (
            format!("ip:{client_ip}"),
            Some(throttle.max_failures_per_ip),
        ),
        (format!("email:{email}"), None),
    ];
    let mut ids = Vec::new();
    // Each row is committed on its own before the counts: every count then sees at least
    // the rows committed before its own, so at most `max` attempts can see `max` or fewer.
    for (subject, _) in &subjects {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO login_failures (subject, at) VALUES ($1, $2) RETURNING id",
        )
        .bind(subject)
        .bind(now)
        .fetch_one(db.pool())
        .await?;
        ids.push(id);
    }
    let mut email_failures = 0;
    for (subject, max) in &subjects {
        let (count, oldest) = attempts_since(db, subject, since).await?;
        match max {
            Some(max) if count > *max => {
                let retry_after_secs =
                    ((oldest + throttle.window_secs * 1000 - now_ms()) / 1000).max(1);
                return Err(Error::Throttled { retry_after_secs });
            }
            Some(_) => {}
            None => email_failures = count - 1,
        }
    }
    tokio::time::sleep(throttle.email_delay(email_failures)).await;
    Ok(Attempt { pair, ids })
}

/// A right password: the pair's failures and this attempt's rows are forgotten.
async fn forget(db: &Db, attempt: &Attempt) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE subject = $1")
        .bind(&attempt.pair)
        .execute(db.pool())
        .await?;
    let sql = format!(
        "DELETE FROM login_failures WHERE id IN ({})",
        Db::list_placeholders(1, attempt.ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in &attempt.ids {
        query = query.bind(*id);
    }
    query.execute(db.pool()).await?;
    Ok(())
}

/// Checks `password_text` against `hash` when a check slot is free (429 at once when not).
async fn verify(throttle: &Throttle, password_text: &str, hash: &str) -> Result<bool> {
    let _slot = throttle
        .checks
        .try_acquire()
        .map_err(|_| Error::Throttled {
            retry_after_secs: 1,
        })?;
    password::verify(password_text, hash).await
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
    let email = Email::normalize(email);
    let attempt = count_attempt(db, throttle, &email, client_ip).await?;
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
    let password_ok = verify(throttle, password_text, hash).await?;
    let user = match (found, password_ok) {
        (Some((id, _)), true) => Some(users::get_any(db, id).await?).filter(|u| !u.disabled),
        _ => None,
    };
    let Some(user) = user else {
        tracing::info!(target: "audit", "failed console login");
        return Err(Error::field(
            "email",
            "Wrong email or password, or the account is disabled.",
        ));
    };
    forget(db, &attempt).await?;
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
    let attempt = count_attempt(db, throttle, &user.email, client_ip).await?;
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user.id)
        .fetch_one(db.pool())
        .await?;
    if verify(throttle, password_text, &hash).await? {
        forget(db, &attempt).await?;
        return Ok(true);
    }
    tracing::info!(target: "audit", "wrong current password in a password change");
    Ok(false)
}

async fn attempts_since(db: &Db, subject: &str, since: i64) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failures WHERE subject = $1 AND at >= $2",
    )
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Throttle;

    #[test]
    fn an_emails_failures_slow_it_down_up_to_the_cap() {
        let t = Throttle::default();
        assert_eq!(t.email_delay(5), Duration::ZERO);
        assert_eq!(t.email_delay(6), Duration::from_millis(250));
        assert_eq!(t.email_delay(8), Duration::from_secs(1));
        assert_eq!(t.email_delay(50), Duration::from_secs(3));
        assert_eq!(t.email_delay(i64::MAX), Duration::from_secs(3));
    }
}
