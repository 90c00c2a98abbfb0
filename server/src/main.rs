//! `tujenge`: the server and its command line.

// The request path allocates many small buffers (headers, JSON, log rows); glibc's malloc
// spent about a tenth of the gateway's CPU on them under load (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tujenge_server::cli::main().await
}
