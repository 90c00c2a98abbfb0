//! The floor under any gateway on this machine: a proxy on the same stack (axum server,
//! reqwest client, multi-threaded tokio) that forwards each request to the upstream and
//! passes the answer back, with no key check, no validation and no log. The bench runs it
//! as a child process (itself, re-executed), so it competes for the cores like the gateway.

use std::process::{Command, Stdio};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;

use super::Proc;

const UPSTREAM_VAR: &str = "BENCH_BARE_PROXY_UPSTREAM";

/// When this process was started as the bare proxy: serves until killed, never returns.
pub async fn serve_if_asked() {
    let Ok(upstream) = std::env::var(UPSTREAM_VAR) else {
        return;
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("http://{}", listener.local_addr().unwrap());
    let client = reqwest::Client::new();
    let app = axum::Router::new()
        .fallback(forward)
        .with_state((client, upstream));
    axum::serve(listener, app).await.unwrap();
    std::process::exit(0);
}

async fn forward(
    State((client, upstream)): State<(reqwest::Client, String)>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let url = format!("{upstream}{}", parts.uri.path());
    let mut outgoing = client.request(parts.method, url).body(body);
    for name in [http::header::AUTHORIZATION, http::header::CONTENT_TYPE] {
        if let Some(v) = parts.headers.get(&name) {
            outgoing = outgoing.header(name, v);
        }
    }
    match outgoing.send().await {
        Ok(answer) => {
            let status = answer.status();
            let bytes = answer.bytes().await.unwrap_or_default();
            Response::builder()
                .status(status)
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(Body::from(bytes))
                .unwrap()
        }
        Err(_) => Response::builder().status(502).body(Body::empty()).unwrap(),
    }
}

/// Starts the bare proxy in front of `upstream`; returns it and its URL.
pub fn start(upstream: &str) -> (Proc, String) {
    use std::io::BufRead;
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(UPSTREAM_VAR, upstream)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (Proc(child), line.trim().to_owned())
}
