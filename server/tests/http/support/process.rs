//! The real `tujenge` binary as separate processes, for tests that measure or kill it.

use std::path::Path;
use std::process::{Child, Command};

pub use super::kit::output;

/// `tujenge` with its database and key in `dir`.
pub fn tujenge(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tujenge"));
    c.env("TUJENGE_DATABASE_URL", super::database::url_for(dir))
        .env("TUJENGE_SECRET_KEY_FILE", dir.join("key"))
        .env("TUJENGE_LOG", "warn");
    c
}

/// Runs a subcommand with `stdin`; its trimmed standard output.
pub fn run(dir: &Path, args: &[&str], stdin: &str) -> String {
    let mut command = tujenge(dir);
    command.args(args);
    output(command, stdin)
}

/// A project and its API key, made from the command line as an operator would.
pub fn project_and_key(
    dir: &Path,
    phone: &str,
    upstream_url: &str,
    upstream_password: &str,
) -> (String, String) {
    let upstream = ["--upstream-url", upstream_url, "--upstream-user", "admin"];
    create_with_key(dir, phone, &upstream, upstream_password)
}

/// A Cloud project on the Graph simulator at `graph_url` and its API key, made from the
/// command line as an operator would (the Meta app registered first).
pub fn cloud_project_and_key(dir: &Path, phone: &str, graph_url: &str) -> (String, String) {
    use super::cloud::{ACCESS_TOKEN, APP_ID, APP_SECRET, UPSTREAM_FLAGS};
    let app = [
        "meta-app",
        "add",
        "--app-id",
        APP_ID,
        "--name",
        "Process test app",
    ];
    run(
        dir,
        &[&app[..], &["--graph-url", graph_url]].concat(),
        &format!("{APP_SECRET}\n"),
    );
    create_with_key(dir, phone, &UPSTREAM_FLAGS, ACCESS_TOKEN)
}

/// `project create` with the upstream's flags (its secret typed at the prompt), then a key.
fn create_with_key(dir: &Path, phone: &str, upstream: &[&str], secret: &str) -> (String, String) {
    let project = [
        "project",
        "create",
        "--name",
        "Process test",
        "--phone",
        phone,
    ];
    let id = run(
        dir,
        &[&project[..], upstream].concat(),
        &format!("{secret}\n"),
    );
    let key = run(
        dir,
        &["key", "create", "--project", &id, "--name", "process test"],
        "",
    );
    (id, key)
}

/// A free port on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `tujenge serve` on `port`, once it answers /healthz.
pub async fn serve(dir: &Path, port: u16, extra: &[&str]) -> Child {
    super::kit::start_serving(tujenge(dir), port, extra).await
}
