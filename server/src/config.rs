//! Settings shared by every subcommand; each option also reads an environment variable.
//! The secret key belongs to its database: by default it sits beside the SQLite file, a
//! new one is made only for a database that holds no secrets yet, and a key that does
//! not open the database's secrets is refused with a message that names where it was read.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use domain::Db;
use domain::platform::crypto::SecretBox;
use domain::platform::key_check::{self, KeyFit};

#[derive(Args, Clone, Debug)]
pub struct StoreArgs {
    /// Database URL: a SQLite file (created when missing), or
    /// postgres://USER:PASSWORD@HOST/DB for several instances sharing one database.
    #[arg(
        long,
        env = "TUJENGE_DATABASE_URL",
        default_value = "sqlite://data/tujenge.db",
        global = true
    )]
    pub database_url: String,

    /// Key that encrypts stored secrets (upstream passwords): 64 hex characters or
    /// base64 of 32 bytes. When unset, the key file below is used.
    #[arg(
        long,
        env = "TUJENGE_SECRET_KEY",
        hide_env_values = true,
        global = true
    )]
    pub secret_key: Option<String>,

    /// File holding the secret key when --secret-key is not given. Default: `secret.key`
    /// beside the SQLite database file (required for PostgreSQL). Created with a new random
    /// key (mode 0600) only while the database holds no secrets.
    #[arg(long, env = "TUJENGE_SECRET_KEY_FILE", global = true)]
    pub secret_key_file: Option<PathBuf>,
}

/// Where the key came from, for messages that say what to do.
enum KeySource {
    Given,
    File(PathBuf),
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Given => f.write_str("--secret-key (TUJENGE_SECRET_KEY)"),
            KeySource::File(path) => write!(f, "the key file {}", absolute(path).display()),
        }
    }
}

impl StoreArgs {
    /// The database, migrated, and the key that opens its secrets.
    pub async fn open(&self) -> anyhow::Result<(Db, SecretBox)> {
        let source = match &self.secret_key {
            Some(_) => KeySource::Given,
            None => KeySource::File(self.key_file()?),
        };
        let db = Db::connect(&self.database_url).await?;
        let secrets = self.load_key(&db, &source).await?;
        let database = Db::describe_url(&self.database_url);
        match key_check::check(&db, &secrets).await? {
            KeyFit::Opens => Ok((db, secrets)),
            KeyFit::WrongKey => bail!(
                "the secret key from {source} does not open the secrets stored in {database}: \
                 it is not the key this database was used with. Start with the database's own \
                 key (--secret-key-file PATH, or secret.key beside the SQLite file), or restore \
                 that key from your backup. Nothing was changed."
            ),
        }
    }

    async fn load_key(&self, db: &Db, source: &KeySource) -> anyhow::Result<SecretBox> {
        let path = match (source, &self.secret_key) {
            (KeySource::File(path), _) => path,
            (KeySource::Given, key) => {
                return SecretBox::from_key_text(key.as_deref().unwrap_or(""));
            }
        };
        if !path.exists() {
            if key_check::holds_secrets(db).await? {
                bail!(
                    "there is no secret key at {}, but {} holds secrets encrypted with one, so \
                     no new key was made. Point --secret-key-file (TUJENGE_SECRET_KEY_FILE) at \
                     the database's key, or put that key back at this path.",
                    absolute(path).display(),
                    Db::describe_url(&self.database_url)
                );
            }
            create_key_file(path)?;
            tracing::info!(path = %path.display(), "created a new secret key file; back it up with the database");
        }
        let text =
            std::fs::read_to_string(path).with_context(|| format!("could not read {source}"))?;
        SecretBox::from_key_text(&text).with_context(|| format!("in {source}"))
    }

    /// The key file: the one given, or `secret.key` beside the SQLite database.
    fn key_file(&self) -> anyhow::Result<PathBuf> {
        if let Some(path) = &self.secret_key_file {
            return Ok(path.clone());
        }
        match Db::sqlite_file(&self.database_url) {
            Some(file) => Ok(file.parent().unwrap_or(Path::new("")).join("secret.key")),
            None => bail!(
                "a PostgreSQL database needs its secret key given: --secret-key-file PATH or \
                 --secret-key KEY (TUJENGE_SECRET_KEY_FILE / TUJENGE_SECRET_KEY); every instance \
                 sharing the database uses the same key"
            ),
        }
    }
}

fn create_key_file(path: &Path) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    write_private(path, &SecretBox::generate_key_text())
        .with_context(|| format!("could not create the key file {}", path.display()))
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}
