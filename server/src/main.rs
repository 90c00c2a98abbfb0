//! `tujenge`: the server and its command line.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tujenge_server::cli::main().await
}
