//! Settings shared by every subcommand; each option also reads an environment variable.

use std::path::PathBuf;

use clap::Args;
use domain::crypto::SecretBox;

#[derive(Args, Clone, Debug)]
pub struct StoreArgs {
    /// Database URL: a SQLite file (created when missing), or postgres://USER:PASSWORD@HOST/DB for several instances sharing one database.
    #[arg(long, env = "TUJENGE_DATABASE_URL", default_value = "sqlite://data/tujenge.db", global = true)]
    pub database_url: String,

    /// Key that encrypts stored secrets (upstream passwords): 64 hex characters or
    /// base64 of 32 bytes. When unset, the key file below is used (and created).
    #[arg(long, env = "TUJENGE_SECRET_KEY", hide_env_values = true, global = true)]
    pub secret_key: Option<String>,

    /// File holding the secret key when --secret-key is not given; created with a new
    /// random key (mode 0600) the first time.
    #[arg(long, env = "TUJENGE_SECRET_KEY_FILE", default_value = "data/secret.key", global = true)]
    pub secret_key_file: PathBuf,
}

impl StoreArgs {
    pub fn secret_box(&self) -> anyhow::Result<SecretBox> {
        if let Some(key) = &self.secret_key {
            return SecretBox::from_key_text(key);
        }
        let path = &self.secret_key_file;
        if !path.exists() {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            write_private(path, &SecretBox::generate_key_text())?;
            tracing::info!(path = %path.display(), "created a new secret key file; back it up with the database");
        }
        SecretBox::from_key_text(&std::fs::read_to_string(path)?)
    }
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}
