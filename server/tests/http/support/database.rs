//! Each test's own database: a SQLite file in its folder, or, when
//! `TUJENGE_TEST_POSTGRES` names a PostgreSQL server (`postgres://USER@HOST:PORT`), a
//! new database there. The URL is kept in the folder, so processes started for the same
//! folder share it.

use std::path::Path;

pub fn url_for(dir: &Path) -> String {
    let file = dir.join("database-url");
    if let Ok(url) = std::fs::read_to_string(&file) {
        return url;
    }
    let url = match std::env::var("TUJENGE_TEST_POSTGRES") {
        Ok(server) if !server.is_empty() => new_postgres_database(server.trim_end_matches('/')),
        _ => format!("sqlite://{}/tujenge.db", dir.display()),
    };
    std::fs::write(&file, &url).unwrap();
    url
}

/// A database name of its own on `server`; `tujenge` creates it on first connection.
fn new_postgres_database(server: &str) -> String {
    format!("{server}/test_{:016x}", rand::random::<u64>())
}
