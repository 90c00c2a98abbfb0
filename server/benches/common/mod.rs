//! What the benchmarks share: running the built `tujenge` binary as separate processes.

#![allow(dead_code)]

pub mod bare_proxy;
#[path = "../../tests/http/support/kit.rs"]
pub mod kit;
pub mod receiver;
#[path = "../../tests/http/support/receiver/tls.rs"]
pub mod tls;

pub use kit::output;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A child process killed when dropped.
pub struct Proc(pub Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The bench's database: a SQLite file in `dir`, or with `TUJENGE_BENCH_POSTGRES`
/// (`postgres://USER@HOST:PORT`) a database named after `dir` on that server.
pub fn database_url(dir: &Path) -> String {
    match std::env::var("TUJENGE_BENCH_POSTGRES") {
        Ok(server) if !server.is_empty() => {
            let name: String = dir
                .file_name()
                .unwrap()
                .to_string_lossy()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            format!(
                "{}/bench_{}",
                server.trim_end_matches('/'),
                name.to_ascii_lowercase()
            )
        }
        _ => format!("sqlite://{}/db.sqlite", dir.display()),
    }
}

/// "SQLite" or "PostgreSQL", for the results.
pub fn engine() -> &'static str {
    if std::env::var("TUJENGE_BENCH_POSTGRES").is_ok_and(|s| !s.is_empty()) {
        "PostgreSQL"
    } else {
        "SQLite"
    }
}

/// `tujenge` with its database and key in `dir`, quiet logs.
pub fn tujenge(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tujenge"));
    c.env("TUJENGE_DATABASE_URL", database_url(dir))
        .env("TUJENGE_SECRET_KEY_FILE", dir.join("key"))
        .env("TUJENGE_LOG", "warn");
    c
}

/// Creates a project (upstream at `upstream_url`) and an API key; returns (id, key).
pub fn project(
    dir: &Path,
    name: &str,
    phone: &str,
    upstream_url: &str,
    password: &str,
) -> (String, String) {
    let mut create = tujenge(dir);
    create.args([
        "project",
        "create",
        "--name",
        name,
        "--phone",
        phone,
        "--upstream-url",
        upstream_url,
        "--upstream-user",
        "admin",
        "--org",
        name,
    ]);
    let id = output(create, &format!("{password}\n"));
    let mut key = tujenge(dir);
    key.args(["key", "create", "--project", &id, "--name", "bench"]);
    (id.clone(), output(key, ""))
}

/// The project's inbound URL under `base`.
pub fn inbound_url(dir: &Path, project: &str, base: &str) -> String {
    let mut show = tujenge(dir);
    show.args(["project", "show", project, "--public-url", base]);
    output(show, "")
        .lines()
        .find_map(|l| l.strip_prefix("inbound URL:").map(|u| u.trim().to_owned()))
        .unwrap()
}

/// Starts the simulator on a free port (each message taking `latency_ms`); returns it and its URL.
pub fn simulator(password: &str, latency_ms: u64) -> (Proc, String) {
    let mut sim = Command::new(env!("CARGO_BIN_EXE_tujenge"));
    sim.args([
        "simulate-upstream",
        "--addr",
        "127.0.0.1:0",
        "--admin-password",
        password,
        "--status-delay-ms",
        "1000",
    ])
    .args(["--message-latency-ms", &latency_ms.to_string()]);
    listening(sim)
}

/// Starts the simulator on `port`, posting each message's sent, delivered and read to
/// `callback`, `status_delay_ms` apart; returns it and its URL.
pub fn simulator_calling(
    password: &str,
    port: u16,
    callback: &str,
    status_delay_ms: u64,
) -> (Proc, String) {
    let mut sim = Command::new(env!("CARGO_BIN_EXE_tujenge"));
    sim.args(["simulate-upstream", "--addr", &format!("127.0.0.1:{port}")])
        .args(["--admin-password", password, "--callback-url", callback])
        .args(["--status-delay-ms", &status_delay_ms.to_string()]);
    listening(sim)
}

/// Starts a simulator command; it and the URL it prints first.
fn listening(mut command: Command) -> (Proc, String) {
    command.stdout(Stdio::piped()).stderr(Stdio::null());
    let mut sim = Proc(command.spawn().unwrap());
    let mut line = String::new();
    BufReader::new(sim.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .trim_start_matches("simulator listening on ")
        .to_owned();
    (sim, url)
}

/// CPU time (user + system) process `pid` has used so far, from `/proc`.
pub fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // After the command (in parentheses): state, then utime and stime at 12th and 13th.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_secs_f64(ticks as f64 / clock_ticks() as f64)
}

fn clock_ticks() -> u64 {
    let out = Command::new("getconf").arg("CLK_TCK").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// `perf record` of process `pid` with call stacks into the file `TUJENGE_BENCH_PROFILE`
/// names, until dropped; nothing without it. The stacks are unwound from DWARF call frame
/// information (`.eh_frame`, in every unwinding Rust binary): release builds keep no frame
/// pointers, so `-g` would give a flat profile.
pub struct Profile(Option<Child>);

pub fn profile(pid: u32) -> Profile {
    let Ok(file) = std::env::var("TUJENGE_BENCH_PROFILE") else {
        return Profile(None);
    };
    let perf = Command::new("perf")
        .args([
            "record",
            "-F",
            "199",
            "--call-graph",
            "dwarf,16384",
            "-o",
            &file,
            "-p",
            &pid.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("perf (linux-perf) for TUJENGE_BENCH_PROFILE");
    std::thread::sleep(Duration::from_millis(300));
    Profile(Some(perf))
}

impl Drop for Profile {
    fn drop(&mut self) {
        if let Some(perf) = &mut self.0 {
            // SIGINT: perf writes its file and ends.
            let _ = Command::new("kill")
                .args(["-INT", &perf.id().to_string()])
                .status();
            let _ = perf.wait();
        }
    }
}

/// Opens the 24-hour window with `recipient` on `project` (as if they had just written),
/// so that the benches' free-form messages pass the gateway's checks.
pub async fn open_window(dir: &Path, project: &str, recipient: &str) {
    let db = domain::Db::connect(&database_url(dir)).await.unwrap();
    let project = project.parse().unwrap();
    let until = domain::platform::db::now_ms() + rules::time::DAY_MS;
    domain::messages::contacts::record_inbound(db.pool(), project, recipient, until)
        .await
        .unwrap();
    db.close().await;
}

/// A free loopback port, for a process whose address must be known before it starts.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `tujenge serve` on a free port with `extra` flags; returns it and its base URL.
pub async fn serve(dir: &Path, extra: &[&str]) -> (Proc, String) {
    serve_on(dir, free_port(), extra).await
}

/// Starts `tujenge serve` on `port` with `extra` flags; returns it and its base URL.
pub async fn serve_on(dir: &Path, port: u16, extra: &[&str]) -> (Proc, String) {
    let child = kit::start_serving(tujenge(dir), port, extra).await;
    (Proc(child), format!("http://127.0.0.1:{port}"))
}

/// The value below which a fraction `p` of `samples` falls.
pub fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut s = samples.to_vec();
    s.sort();
    s[((s.len() as f64 * p) as usize).min(s.len() - 1)]
}

pub fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// The Meta app and number of the benches' Cloud projects (the Graph simulator's too).
pub const META_APP_ID: &str = "1234567890";
pub const META_APP_SECRET: &str = "bench meta app secret";
pub const ACCESS_TOKEN: &str = "EAAGbenchSystemUserAccessToken0123456789";
pub const WABA_ID: &str = "102290129340398";

/// Creates a Cloud project on number `phone_number_id` (registering the Meta app, calling
/// Graph at `graph_url`, on first use) and an API key; returns (id, key).
pub fn cloud_project(
    dir: &Path,
    name: &str,
    phone: &str,
    graph_url: &str,
    phone_number_id: &str,
) -> (String, String) {
    let mut app = tujenge(dir);
    app.args([
        "meta-app",
        "add",
        "--app-id",
        META_APP_ID,
        "--name",
        "Bench app",
    ])
    .args(["--graph-url", graph_url])
    .stderr(Stdio::null());
    output(app, &format!("{META_APP_SECRET}\n"));
    let mut create = tujenge(dir);
    create.args([
        "project", "create", "--name", name, "--phone", phone, "--org", name,
    ]);
    create.args([
        "--meta-app",
        META_APP_ID,
        "--phone-number-id",
        phone_number_id,
    ]);
    create.args(["--waba-id", WABA_ID]);
    let id = output(create, &format!("{ACCESS_TOKEN}\n"));
    let mut key = tujenge(dir);
    key.args(["key", "create", "--project", &id, "--name", "bench"]);
    (id.clone(), output(key, ""))
}

/// Starts the Graph simulator (the Cloud API) for `phone_number_id` on a free port, posting
/// no notifications; returns it and its URL.
pub fn graph_simulator(phone_number_id: &str) -> (Proc, String) {
    let mut sim = Command::new(env!("CARGO_BIN_EXE_tujenge"));
    sim.args(["simulate-upstream", "--cloud", "--addr", "127.0.0.1:0"])
        .args([
            "--access-token",
            ACCESS_TOKEN,
            "--app-secret",
            META_APP_SECRET,
        ])
        .args(["--app-id", META_APP_ID, "--waba-id", WABA_ID])
        .args(["--phone-number-id", phone_number_id]);
    listening(sim)
}
