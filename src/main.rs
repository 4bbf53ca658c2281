use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    spanmark::cli::run(spanmark::cli::Cli::parse(), spanmark::app::run)
}
