use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    spanmark::cli::run(spanmark::cli::Cli::parse(), window)
}

#[cfg(feature = "gui")]
fn window(
    path: Option<std::path::PathBuf>,
    compare: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    spanmark::app::run(path, compare)
}

/// Built without the `gui` feature: the command line works, the window does not exist.
#[cfg(not(feature = "gui"))]
fn window(_: Option<std::path::PathBuf>, _: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    anyhow::bail!(
        "this spanmark was built without the window (cargo feature `gui`); use a subcommand, or see --help"
    )
}
