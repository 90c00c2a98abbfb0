//! Console passwords: argon2id hashes (PHC strings), never stored or logged in clear.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

use crate::{Error, Result};

pub use rules::text::password_strength as check_strength;

/// An argon2id hash of `password`. Hashing takes tens of milliseconds of CPU, so it runs
/// on the password threads, never on the threads that serve requests.
pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_owned();
    off_the_runtime(move || hash_now(&password)).await?
}

/// Whether `password` matches `stored_hash` (a PHC string); on the password threads too.
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

type Job = Box<dyn FnOnce() + Send>;

/// Threads of their own for argon2 (half the cores, at least one), at a lower scheduling
/// priority (nice 10) on Linux: under a flood of logins the gateway's threads still get
/// the CPU first, and an idle machine checks passwords as fast as ever.
fn password_threads() -> &'static std::sync::mpsc::Sender<Job> {
    static JOBS: std::sync::OnceLock<std::sync::mpsc::Sender<Job>> = std::sync::OnceLock::new();
    JOBS.get_or_init(|| {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        for i in 0..cores.div_ceil(2) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("password-{i}"))
                .spawn(move || {
                    lower_priority();
                    loop {
                        let job = queue.lock().unwrap().recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => break,
                        }
                    }
                })
                .expect("a password thread starts");
        }
        jobs
    })
}

#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: setpriority on this thread's own id; it only changes its scheduling weight.
    let done = unsafe { libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 10) };
    if done != 0 {
        tracing::debug!("password threads keep the normal priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

async fn off_the_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    let (done, answer) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    password_threads()
        .send(job)
        .map_err(|_| anyhow::anyhow!("the password threads stopped"))?;
    answer
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
