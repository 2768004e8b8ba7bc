//! `tryggkarta`: serve the app (default), run migrations, or manage users.

use clap::Parser;

use server::cli::{self, Cli};

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
