//! Console passwords: argon2id hashes (PHC strings), never stored or logged in clear.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

use crate::{Error, Result};

pub use rules::text::password_strength as check_strength;

/// An argon2id hash of `password`. Hashing takes tens of milliseconds of CPU, so it runs
/// on the blocking pool, never on the threads that serve requests.
pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_owned();
    off_the_runtime(move || hash_now(&password)).await?
}

/// Whether `password` matches `stored_hash` (a PHC string); on the blocking pool too.
pub async fn verify(password: &str, stored_hash: &str) -> Result<bool> {
    let (password, stored_hash) = (password.to_owned(), stored_hash.to_owned());
    off_the_runtime(move || verify_now(&password, &stored_hash)).await
}

/// A hash of nothing in particular, verified against when the email is unknown so that a
/// wrong email takes as long as a wrong password.
pub async fn decoy_hash() -> Result<&'static str> {
    static DECOY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    let decoy = DECOY
        .get_or_try_init(|| hash("decoy password that matches nothing"))
        .await?;
    Ok(decoy.as_str())
}

async fn off_the_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::internal("password hashing task", e))
}

fn hash_now(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing: {e}").into())
}

fn verify_now(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_argon2id_and_verifies() {
        let h = hash("correct horse battery").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h).await.unwrap());
        assert!(!verify("wrong horse battery", &h).await.unwrap());
        assert!(!verify("x", "not a hash").await.unwrap());
    }
}
