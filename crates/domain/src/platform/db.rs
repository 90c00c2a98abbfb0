//! The database handle. SQLite (a file, WAL mode, foreign keys on) is the embedded
//! default; PostgreSQL (`postgres://…`) is for several instances sharing one database.
//! Queries are written once in portable SQL with `$1` placeholders through sqlx's `Any`
//! driver, and timestamps are stored as UTC milliseconds (BIGINT); each engine has its
//! own migrations (`migrations/sqlite`, `migrations/postgres`, the same steps).

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, MutexGuard};

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    postgres: bool,
    /// SQLite's one write lock, taken in turn inside this process (see [`Db::write_turn`]).
    writers: Arc<Mutex<()>>,
}

/// A writer's turn on SQLite, held until dropped (after its commit); nothing on PostgreSQL.
pub type WriteTurn<'a> = Option<MutexGuard<'a, ()>>;

impl Db {
    /// Connects, creating a SQLite file and its folder when missing, and applies migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        install_default_drivers();
        let is_sqlite = url.starts_with("sqlite:");
        let is_postgres = url.starts_with("postgres:") || url.starts_with("postgresql:");
        if !is_sqlite && !is_postgres {
            anyhow::bail!("unsupported database URL: use sqlite://FILE or postgres://USER@HOST/DB");
        }
        let url = if is_sqlite {
            prepare_sqlite_url(url)?
        } else {
            url.to_owned()
        };
        if is_postgres {
            create_postgres_database_if_missing(&url).await?;
        }
        let pool = AnyPoolOptions::new()
            .max_connections(if is_sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if is_sqlite {
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .with_context(|| "could not open the database")?;
        if is_sqlite {
            sqlx::migrate!("../../migrations/sqlite")
                .run(&pool)
                .await
                .context("migrations failed")?;
        } else {
            // Several instances may start at once: sqlx holds an advisory lock while migrating.
            sqlx::migrate!("../../migrations/postgres")
                .run(&pool)
                .await
                .context("migrations failed")?;
        }
        Ok(Db {
            pool,
            postgres: is_postgres,
            writers: Arc::default(),
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that reads before it writes. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`, waiting its turn): a deferred one that read first fails
    /// with "database is locked" when another connection wrote in between.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        if self.postgres {
            self.pool.begin().await
        } else {
            self.pool.begin_with("BEGIN IMMEDIATE").await
        }
    }

    /// Waits for this process's turn to write on SQLite, for the busy write paths (the
    /// intake's and the forwarder's group commits, the message log's): SQLite lets one
    /// connection write at a time, and a connection that finds the lock taken sleeps and
    /// polls (1, 2, 5, 10… ms), so two group commits colliding lost milliseconds of idle
    /// time per batch. Waiting here, in line, the next writer starts as the last one
    /// commits. On PostgreSQL writers do not exclude each other: no wait.
    pub async fn write_turn(&self) -> WriteTurn<'_> {
        if self.postgres {
            None
        } else {
            Some(self.writers.lock().await)
        }
    }

    /// PostgreSQL rather than SQLite, for the few statements that differ (row locks).
    pub fn is_postgres(&self) -> bool {
        self.postgres
    }

    /// Placeholders for a multi-row `INSERT … VALUES` of `rows` × `columns` values:
    /// `($1, $2), ($3, $4)` on PostgreSQL, `(?, ?), (?, ?)` on SQLite, whose lookup of a
    /// numbered parameter walks the statement's list (quadratic over a batch). Written by
    /// hand because sqlx's `QueryBuilder<Any>` writes `?` even on PostgreSQL, which
    /// PostgreSQL refuses.
    pub fn values_placeholders(&self, rows: usize, columns: usize) -> String {
        let row = |r: usize| -> String {
            let cells: Vec<String> = (1..=columns)
                .map(|c| {
                    if self.postgres {
                        format!("${}", r * columns + c)
                    } else {
                        "?".to_owned()
                    }
                })
                .collect();
            format!("({})", cells.join(", "))
        };
        (0..rows).map(row).collect::<Vec<_>>().join(", ")
    }

    /// `$first, $first+1, …`: the placeholders of an `IN (…)` list of `count` bound
    /// values (`NULL`, which matches nothing, for none).
    pub fn list_placeholders(first: usize, count: usize) -> String {
        if count == 0 {
            return "NULL".to_owned();
        }
        let numbers: Vec<String> = (first..first + count).map(|n| format!("${n}")).collect();
        numbers.join(", ")
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The file a `sqlite:` URL names (`None` for PostgreSQL and in-memory databases).
    pub fn sqlite_file(url: &str) -> Option<PathBuf> {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))?;
        let file = path.split('?').next().unwrap_or_default();
        (!file.is_empty() && file != ":memory:").then(|| PathBuf::from(file))
    }

    /// The database for messages: the SQLite file, or PostgreSQL's host and database
    /// without the user and password.
    pub fn describe_url(url: &str) -> String {
        if let Some(file) = Db::sqlite_file(url) {
            let file = std::path::absolute(&file).unwrap_or(file);
            return format!("the database {}", file.display());
        }
        let without_query = url.split('?').next().unwrap_or_default();
        let (scheme, rest) = without_query
            .split_once("://")
            .unwrap_or(("postgres", without_query));
        let host_and_db = rest.rsplit_once('@').map_or(rest, |(_, after)| after);
        format!("the database {scheme}://{host_and_db}")
    }
}

/// Adds `mode=rwc` (create if missing) and creates the parent folder of the file.
fn prepare_sqlite_url(url: &str) -> anyhow::Result<String> {
    if let Some(file) = Db::sqlite_file(url) {
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("could not create {}", dir.display()))?;
        }
    }
    Ok(if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// Creates the database the URL names when the server does not have it yet (as a SQLite
/// file is created when missing); needs the right to create databases.
async fn create_postgres_database_if_missing(url: &str) -> anyhow::Result<()> {
    use sqlx::postgres::PgConnectOptions;
    use sqlx::{ConnectOptions, Connection};
    let options: PgConnectOptions = url.parse().context("not a PostgreSQL URL")?;
    let name = options.get_database().unwrap_or("postgres").to_owned();
    match options.connect().await {
        Ok(conn) => return Ok(conn.close().await?),
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("3D000") => {}
        Err(e) => return Err(e).context("could not reach PostgreSQL"),
    }
    let mut admin = options
        .database("postgres")
        .connect()
        .await
        .context("could not connect to the postgres database to create yours")?;
    let created = admin
        .execute(format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\"")).as_str())
        .await;
    match created {
        // Another instance starting at the same time created it first.
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P04") => {}
        other => {
            other.with_context(|| format!("could not create the database {name}"))?;
            tracing::info!(database = %name, "created the PostgreSQL database");
        }
    }
    Ok(())
}

/// Now, as stored: UTC milliseconds since the epoch.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::Db;

    #[test]
    fn database_descriptions_never_show_a_password() {
        let pg = Db::describe_url("postgres://app:s3cret@db.internal:5432/tujenge?sslmode=require");
        assert_eq!(pg, "the database postgres://db.internal:5432/tujenge");
        assert!(
            Db::describe_url("sqlite:///srv/tujenge/data.db").ends_with("/srv/tujenge/data.db")
        );
        assert_eq!(
            Db::sqlite_file("sqlite://data/t.db?mode=rwc"),
            Some("data/t.db".into())
        );
        assert_eq!(Db::sqlite_file("sqlite::memory:"), None);
    }

    #[tokio::test]
    async fn every_sqlite_connection_gets_the_settings() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        // Several connections: each must have run the set-up, not just the first.
        for _ in 0..3 {
            let mut conn = db.pool().acquire().await.unwrap();
            let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            assert_eq!((fk, busy, sync, journal.as_str()), (1, 5000, 2, "wal"));
        }
    }
}
