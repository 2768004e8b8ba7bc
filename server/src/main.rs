//! `tryggkarta`: serve the app (default), run migrations, or manage users.

use clap::Parser;

use server::cli::{self, Cli};

/// mimalloc instead of the C library's allocator: every request makes many small,
/// short-lived allocations on both worker threads, and glibc's malloc and free took
/// about a fifth of the server's time under load (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    server::telemetry::init();
    match cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("fel: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
