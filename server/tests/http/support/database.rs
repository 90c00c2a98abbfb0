//! Each test's own database: a SQLite file in its folder, or, when
//! `TUJENGE_TEST_POSTGRES` names a PostgreSQL server (`postgres://USER@HOST:PORT`), a
//! new database there. The URL is kept in the folder, so processes started for the same
//! folder share it.

use std::path::Path;

use sqlx::{Connection, Executor};

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

fn new_postgres_database(server: &str) -> String {
    let name = format!("test_{:016x}", rand::random::<u64>());
    let (admin, statement) = (format!("{server}/postgres"), format!("CREATE DATABASE {name}"));
    // Its own thread and runtime: callers may be sync or inside another runtime.
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
            let mut conn = sqlx::postgres::PgConnection::connect(&admin).await.expect("the test PostgreSQL server answers");
            conn.execute(statement.as_str()).await.unwrap();
        })
    })
    .join()
    .unwrap();
    format!("{server}/{name}")
}
