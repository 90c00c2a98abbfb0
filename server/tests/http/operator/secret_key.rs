//! The secret key belongs to its database: a wrong key is refused at start-up with a
//! message naming the key file, a missing key file never becomes a new key for a
//! database that holds secrets, and the default key sits beside the SQLite file whatever
//! the working directory.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{kit, process};

/// `tujenge` with only the database given (the key file left to its default), run in `cwd`.
fn tujenge_in(cwd: &Path, database_url: &str, args: &[&str], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tujenge"));
    command
        .current_dir(cwd)
        .env_remove("TUJENGE_SECRET_KEY")
        .env_remove("TUJENGE_SECRET_KEY_FILE")
        .env("TUJENGE_DATABASE_URL", database_url)
        .env("TUJENGE_LOG", "warn")
        .args(args);
    kit::run_with_input(command, stdin)
}

fn create_project(cwd: &Path, database_url: &str) -> Output {
    let args = [
        "project",
        "create",
        "--name",
        "Key test",
        "--phone",
        "255711000099",
        "--upstream-url",
        "http://127.0.0.1:9",
        "--upstream-user",
        "admin",
    ];
    tujenge_in(cwd, database_url, &args, "upstream password\n")
}

#[test]
fn the_default_key_sits_beside_the_sqlite_file_from_any_working_directory() {
    let data = tempfile::tempdir().unwrap();
    let (elsewhere, other) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let url = format!("sqlite://{}/tujenge.db", data.path().display());

    assert!(create_project(elsewhere.path(), &url).status.success());
    assert!(
        data.path().join("secret.key").exists(),
        "the key is made beside the database"
    );
    assert!(
        !elsewhere.path().join("data").exists(),
        "nothing is made in the working directory"
    );

    // From another directory the same key is found, so the stored password still opens.
    let shown = tujenge_in(other.path(), &url, &["project", "list"], "");
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    assert!(String::from_utf8_lossy(&shown.stdout).contains("Key test"));
}

#[test]
fn no_new_key_is_made_for_a_database_that_holds_secrets() {
    let data = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/tujenge.db", data.path().display());
    assert!(create_project(data.path(), &url).status.success());
    let key = data.path().join("secret.key");
    std::fs::rename(&key, data.path().join("backup.key")).unwrap();

    let refused = tujenge_in(data.path(), &url, &["project", "list"], "");
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(!key.exists(), "no new key was written");
    assert!(
        message.contains("no secret key at") && message.contains("secret.key"),
        "{message}"
    );
    assert!(message.contains("no new key was made"), "{message}");
}

#[tokio::test]
async fn a_server_with_the_wrong_key_refuses_to_start_and_names_the_key_file() {
    let dir = tempfile::tempdir().unwrap();
    process::run(dir.path(), &["project", "list"], "");
    let wrong = dir.path().join("wrong.key");
    std::fs::write(
        &wrong,
        domain::platform::crypto::SecretBox::generate_key_text(),
    )
    .unwrap();

    let port = process::free_port().to_string();
    let started = process::tujenge(dir.path())
        .env("TUJENGE_SECRET_KEY_FILE", &wrong)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&started.stderr);
    assert!(!started.status.success(), "the server must not start");
    assert!(message.contains("does not open the secrets"), "{message}");
    assert!(
        message.contains(&wrong.display().to_string()),
        "names the key file: {message}"
    );
}

#[test]
fn postgres_needs_its_key_given() {
    let cwd = tempfile::tempdir().unwrap();
    let refused = tujenge_in(
        cwd.path(),
        "postgres://tujenge@127.0.0.1:9/none",
        &["user", "list"],
        "",
    );
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        message.contains("PostgreSQL database needs its secret key given"),
        "{message}"
    );
}
