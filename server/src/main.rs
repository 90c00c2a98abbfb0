//! `tujenge`: the server and its command line.

// The request path allocates many small buffers (headers, JSON, log rows); glibc's malloc
// spent about a tenth of the gateway's CPU on them under load (docs/benchmarks.md).
// Built with `no_thp`: with transparent huge pages on (as on many servers), its arenas
// were backed by 2 MB pages and a streamed 20 MB media transfer raised the peak memory by
// 8-10 MB instead of staying within a few (the media test).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tujenge_server::cli::main().await
}
